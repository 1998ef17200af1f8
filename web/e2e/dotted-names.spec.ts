// A portfolio whose name has a dot (fund.v2) is a portfolio, not a missing static file: opened,
// reloaded and bookmarked by its URL it shows its dashboard, and its sub-pages too. keel serve
// serves only the files of the web root's manifest and answers the app for every other path.
import { test, expect } from '@playwright/test';
import { signIn, token } from './helpers';

test('manager: /portfolios/fund.v2 opens, reloads and deep-links its dashboard and editor', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const name = 'fund.v2';
  let created = await request.post('/api/v1/portfolios', { headers, data: { name } });
  if (created.status() === 409) {
    // A rerun against the same store: the portfolio is already there.
    created = await request.get(`/api/v1/portfolios/${name}`, { headers });
  }
  expect([200, 201]).toContain(created.status());
  const id = (await created.json()).id as number;
  const imported = await request.post(`/api/v1/portfolios/${id}/positions`, {
    headers: { ...headers, 'Content-Type': 'text/csv' },
    data: 'symbol,quantity\nAAPL,10\nMSFT,5\n',
  });
  expect(imported.status(), await imported.text()).toBe(200);

  // The document itself: the app's index, not a 404 for a file named fund.v2.
  const doc = await request.get(`/portfolios/${name}`);
  expect(doc.status()).toBe(200);
  expect(doc.headers()['content-type']).toContain('text/html');

  await signIn(page, 'manager');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/portfolios/${name}`);
  await expect(page.getByTestId('kpi-strip')).toBeVisible({ timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId('kpi-strip')).toBeVisible({ timeout: 30_000 });
  await page.goto(`/portfolios/${name}/positions`);
  await expect(page.getByLabel('Symbol, row 1', { exact: true })).toHaveValue('AAPL', { timeout: 30_000 });
  expect(errors).toEqual([]);
});
