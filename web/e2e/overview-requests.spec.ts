// The overview of a tenant with 33 portfolios loads in a bounded number of requests: one
// GET /api/v1/overview gives every book's view and snapshots (and each report the server had
// cached), so the page asks for no book's view or history by itself; the reports it still needs go
// one at a time; and no request is refused (429). The books are made in tenant globex and deleted
// at the end.
import { test, expect } from '@playwright/test';
import { signIn, token } from './helpers';

const N = 33;

test('33 portfolios: one overview request, no per-book view or history, no 429', async ({ page, request }) => {
  test.setTimeout(180_000);
  const headers = { Authorization: `Bearer ${await token(request, 'globexmgr')}` };
  const stamp = Date.now();
  const names = Array.from({ length: N }, (_, i) => `ov${stamp}-${String(i).padStart(2, '0')}`);
  for (const name of names) {
    expect((await request.post('/api/v1/portfolios', { headers, data: { name } })).status()).toBe(201);
    const r = await request.post(`/api/v1/portfolios/${name}/positions`, { headers: { ...headers, 'Content-Type': 'text/csv' }, data: 'symbol,quantity\nKLQA,10\n' });
    expect(r.status(), await r.text()).toBe(200);
  }
  try {
    const api: string[] = [];
    const refused: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/v1/')) api.push(`${r.method()} ${path}`);
    });
    page.on('response', (r) => {
      if (r.status() === 429) refused.push(r.url());
    });
    await signIn(page, 'globexmgr');
    await page.goto('/');
    const risk = page.getByRole('table', { name: 'Risk of each portfolio' });
    await expect(risk.locator(`tr[data-portfolio="${names[N - 1]}"] [data-field=net]`)).toBeVisible({ timeout: 120_000 });
    // None of the new books has a report cached: they are asked for one at a time, each once.
    const reportsOf = () => api.filter((x) => /^GET \/api\/v1\/portfolios\/[^/]+\/report$/.test(x));
    await expect.poll(() => reportsOf().length, { timeout: 150_000 }).toBe(N);
    expect(new Set(reportsOf()).size).toBe(N);
    expect(api.filter((x) => x === 'GET /api/v1/overview')).toHaveLength(1);
    const perBook = api.filter((x) => /^GET \/api\/v1\/portfolios\/[^/]+(\/history)?$/.test(x));
    expect(perBook, perBook.join('\n')).toHaveLength(0);
    expect(refused).toHaveLength(0);
    // Loaded again, every report is cached: the overview alone gives the page all it shows.
    api.length = 0;
    await page.reload();
    await expect(risk.locator(`tr[data-portfolio="${names[N - 1]}"] [data-field=net]`)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText('loading the report', { exact: false })).toHaveCount(0);
    await page.waitForTimeout(2_000);
    expect(api.filter((x) => /\/portfolios\/[^/]+(\/history|\/report)?$/.test(x)), api.join('\n')).toHaveLength(0);
    expect(api.filter((x) => x === 'GET /api/v1/overview')).toHaveLength(1);
  } finally {
    for (const name of names) await request.delete(`/api/v1/portfolios/${name}`, { headers });
  }
});
