// Words, not identifiers (issue 63): the jobs view names a job by its kind's words, its result is a
// key/value table (the JSON one click away), and the audit log says its action in words with its
// details as a table, not JSON. axe-core on both views.
import { test, expect } from '@playwright/test';
import { axe, signIn, token } from './helpers';

test('labels: a job kind in words, its result and an audit row as tables', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'admin')}` };
  const started = await request.post('/api/v1/jobs', { headers, data: { kind: 'risk.var', request: { portfolio: 'balanced', options: { method: 'parametric' } } } });
  expect(started.status()).toBe(202);
  const job = (await started.json()) as { id: number };
  await expect
    .poll(async () => (await (await request.get(`/api/v1/jobs/${job.id}`, { headers })).json()).status, { timeout: 60_000, intervals: [250] })
    .toBe('succeeded');

  await signIn(page, 'admin');
  await page.goto('/jobs');
  const cell = page.getByRole('table', { name: 'Jobs' }).locator('a', { hasText: new RegExp(`^${job.id}$`) }).locator('xpath=ancestor::tr').locator('td[data-kind="risk.var"]');
  await expect(cell).toHaveText('VaR');
  await expect(page.getByRole('table', { name: 'Jobs' })).not.toContainText('risk.var');

  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Job ${job.id}: VaR`);
  const result = page.getByRole('table', { name: 'Result' });
  await expect(result.locator('tr[data-key="results.1.method"] td')).toHaveText('parametric');
  await expect(result.locator('tr[data-key="results.1.method"] th')).toHaveText('Results: #1 › Method');
  // The JSON is there, behind its toggle.
  await expect(page.locator('pre.result')).toBeHidden();
  await page.getByText('Show JSON').click();
  await expect(page.locator('pre.result')).toBeVisible();
  await expect(page.locator('pre.result')).toContainText('"method": "parametric"');
  await axe(page, 'job');

  await page.goto('/admin/audit?action=job.create&limit=5');
  const row = page.locator('tr[data-action="job.create"]').first();
  await expect(row.locator('td[data-field=action]')).toHaveText('Job started');
  await expect(row.locator('td[data-field=outcome]')).toHaveText('ok');
  const details = row.locator('td[data-field=details]');
  await expect(details.locator('tr[data-key=kind] th')).toHaveText('Kind');
  await expect(details.locator('tr[data-key=kind] td')).toHaveText('VaR');
  // Not JSON: no braces on the page's row, the JSON only behind "Show JSON".
  await expect(details.locator('pre')).toBeHidden();
  expect(await details.evaluate((el) => (el as HTMLElement).innerText)).not.toContain('{');
  await axe(page, 'admin audit labels');
});
