// Requests a screen makes are bounded by construction: a dashboard's VaR tab on "all" asks for its
// VaR once. Another VaR finishing on the same book (a background job, whose kept result the server
// announces to every open tab as portfolio.changed "var") refreshes the stored reads, never the
// computation: over the idle seconds that follow, the tab sends no further POST risk/var and queues
// no job of its own.
import { test, expect } from '@playwright/test';
import { signIn, token } from './helpers';

test('an idle VaR tab asks once, however many VaRs finish around it', async ({ page, request }) => {
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/api\/v1\/(portfolios\/[^/]+\/risk\/var|jobs)$/.test(new URL(r.url()).pathname)) posts.push(r.url());
  });
  await signIn(page, 'analyst');
  await page.goto('/portfolios/balanced?tab=var&method=all');
  await expect(page.locator('tr[data-method=historical] [data-field=var]')).toBeVisible({ timeout: 60_000 });
  expect(posts).toHaveLength(1);

  // Two VaRs of the same book finish elsewhere (jobs of the same user, as another tab would run).
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  for (const confidence of [0.95, 0.975]) {
    const queued = await request.post('/api/v1/portfolios/balanced/risk/var', { headers, data: { method: 'parametric', confidence, async: true } });
    expect(queued.status(), await queued.text()).toBe(202);
    const { id } = await queued.json();
    await expect.poll(async () => (await (await request.get(`/api/v1/jobs/${id}`, { headers })).json()).status, { timeout: 30_000 }).toBe('succeeded');
  }
  const jobsBefore = (await (await request.get('/api/v1/jobs?limit=100', { headers })).json()).items.length;
  // Idle: the page's live stream heard both; it may read the stored figures again, not compute.
  await page.waitForTimeout(8_000);
  expect(posts, posts.join('\n')).toHaveLength(1);
  const jobsAfter = (await (await request.get('/api/v1/jobs?limit=100', { headers })).json()).items.length;
  expect(jobsAfter).toBe(jobsBefore);
  await expect(page.locator('tr[data-method=historical] [data-field=var]')).toBeVisible();
});
