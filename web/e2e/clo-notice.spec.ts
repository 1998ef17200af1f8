// A CLO determination with a breach, kept through the API by another user, is announced on the
// tenant's event stream (clo.changed): a page open elsewhere shows one notice in its header that
// leads to the deal's compliance tab, and is dismissed; nothing is computed again. The deal is
// deleted at the end.
import { test, expect } from '@playwright/test';
import { axe, signIn, storeExampleDeal, token } from './helpers';

test('CLO notice: a breach determined through the API shows in the header of an open page', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const name = `notice-${Date.now()}`;
  const id = await storeExampleDeal(request, headers, name);
  try {
    // The analyst's page, open on the CLO list; its stream opens a moment after the load.
    const stream = page.waitForRequest((r) => r.url().endsWith('/api/v1/events'));
    await signIn(page, 'analyst');
    await page.goto('/clo');
    await stream;
    await expect(page.getByTestId('clo-notice')).toHaveCount(0);
    let runs = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/v1/clo/')) runs += 1;
    });
    // Wait until the server holds the stream before the determination is made.
    await page.waitForTimeout(500);
    const kept = await request.post(`/api/v1/clo/deals/${id}/determinations`, { headers, data: { as_of: '2026-03-31' } });
    expect(kept.status(), await kept.text()).toBe(201);
    const det = await kept.json();
    expect(det.breaches).toBeGreaterThan(0);

    const notice = page.getByTestId('clo-notice');
    await expect(notice).toHaveText(new RegExp(`CLO deal ${name}: a breach`), { timeout: 15_000 });
    await axe(page, 'clo notice');
    await notice.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/clo/deals/${id}\\?tab=compliance$`));
    await expect(page.locator('[data-testid=determinations] tr[data-date="2026-03-31"] [data-field=breaches]')).toHaveText(String(det.breaches));
    await expect(page.locator('[data-testid=determination-tests] caption')).toContainText('OC tests on 2026-03-31');
    await page.getByRole('button', { name: 'Dismiss the CLO notice' }).click();
    await expect(notice).toHaveCount(0);
    expect(runs).toBe(0); // the page computed nothing
  } finally {
    await request.delete(`/api/v1/clo/deals/${id}`, { headers });
  }
});
