// Storage in the administration (GET /api/v1/storage): a manager opens Administration → Storage and
// sees the tenant's total and bounds in words (how long the batch snapshots' reports are kept too)
// and a table of the areas in words — the figures those of the API for the same tenant, the shared
// market data set apart as all tenants' — with axe-core on the page, and it fits a 390 px screen.
// An analyst sees no Storage entry, is refused the page, and the API answers 403.
import { test, expect } from '@playwright/test';
import { axe, en, expectPageFits, shot, signIn, token } from './helpers';

interface Area { area: string; owner: string; items: number; rows: number; bytes: number; shared: boolean }
interface Usage { tenant: string; bytes: number; whatif_sessions_per_user: number; snapshot_report_retention_days: number | null; areas: Area[] }

test('storage: a manager sees the areas in words with the figures the API gives', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  await signIn(page, 'manager');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('tab', { name: 'Storage' }).click();
  await expect(page).toHaveURL(/\/admin\/storage$/);

  const answer = await request.get('/api/v1/storage', { headers });
  expect(answer.status(), await answer.text()).toBe(200);
  const usage = (await answer.json()) as Usage;
  const table = page.getByRole('table', { name: 'Storage by area' });
  await expect(table).toBeVisible();
  await expect(table.locator('thead').getByRole('columnheader')).toHaveText(['Area', 'Owner', 'Items', 'Rows', 'Size']);

  // The tenant's portfolios: in words, the tenant's, the API's figures.
  const api = usage.areas.find((a) => a.area === 'portfolios' && a.owner === '' && !a.shared);
  expect(api, JSON.stringify(usage.areas)).toBeTruthy();
  const row = table.locator('tr[data-area="portfolios"][data-owner=""]');
  await expect(row.locator('[data-field=area]')).toHaveText('Portfolios');
  await expect(row.locator('[data-field=owner]')).toHaveText('Tenant');
  await expect(row.locator('[data-field=items]')).toHaveText(en(api!.items));
  await expect(row.locator('[data-field=rows]')).toHaveText(en(api!.rows));
  await expect(row.locator('[data-field=bytes]')).toHaveAttribute('data-bytes', String(api!.bytes));
  await expect(row.locator('[data-field=bytes]')).toHaveText(/^[\d.,]+ (B|kB|MB|GB)$/);

  // Every row the API sends, in its order, never a raw area id.
  await expect(table.locator('tr[data-area]')).toHaveCount(usage.areas.length);
  expect(await table.locator('tr[data-area]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-area')))).toEqual(usage.areas.map((a) => a.area));
  const shown = (await table.locator('tbody').allInnerTexts()).join('\n');
  for (const id of usage.areas.map((a) => a.area).filter((x) => x.includes('_'))) expect(shown).not.toContain(id);

  // Market data, kept once for every tenant: set apart and said to be all tenants'.
  const shared = usage.areas.find((a) => a.shared);
  if (shared) {
    const sharedRow = page.getByTestId('storage-shared').locator(`tr[data-area="${shared.area}"]`);
    await expect(sharedRow.locator('[data-field=owner]')).toHaveText('All tenants');
    await expect(sharedRow.locator('[data-field=items]')).toHaveText(en(shared.items));
    await expect(page.getByTestId('storage-shared')).toContainText('Kept once for all tenants (not in the total)');
  }

  // The total and the bounds in words.
  await expect(page.getByTestId('storage-summary').locator('[data-field=total]')).toHaveAttribute('data-bytes', String(usage.bytes));
  const bounds = page.getByRole('list', { name: 'Bounds' }).getByRole('listitem');
  await expect(bounds).toHaveCount(7);
  await expect(bounds.filter({ hasText: 'What-if sessions per user:' })).toHaveText(
    `What-if sessions per user: ${usage.whatif_sessions_per_user > 0 ? en(usage.whatif_sessions_per_user) : 'no limit'}`,
  );
  await expect(bounds.first()).toHaveText(/^Jobs: (deleted \d+ days? after they end|kept after they end)$/);
  // How long the batch snapshots' reports are kept (the e2e server keeps them: 0).
  const days = usage.snapshot_report_retention_days ?? 0;
  await expect(bounds.last()).toHaveText(
    days > 0 ? `Batch snapshot reports: dropped after ${en(days)} day${days === 1 ? '' : 's'} (figures kept)` : 'Batch snapshot reports: kept',
  );

  await axe(page, 'storage');
  await shot(page, 'admin-storage');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectPageFits(page, 'storage');
});

test('storage: an analyst sees no Storage entry and is refused the page and the API', async ({ page, request }) => {
  await signIn(page, 'analyst');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Portfolios' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await page.goto('/admin/storage');
  await expect(page.getByRole('alert')).toContainText('Not allowed for your role');
  await expect(page.getByRole('tab', { name: 'Storage' })).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Storage by area' })).toHaveCount(0);
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  expect((await request.get('/api/v1/storage', { headers })).status()).toBe(403);
});
