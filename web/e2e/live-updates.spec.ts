// Live updates: two browsers (two contexts, two users of tenant default) show the same portfolio.
// When the first imports new positions, the second's dashboard shows the new net value without a
// reload (the page's own window object survives: no navigation happened), pushed over
// GET /api/v1/events. A user of another tenant with the same portfolio name sees nothing change.
// The expected figures are worked out here from examples/market/prices.csv: quantity x the close of
// AAPL on 2017-12-06, the last date of the examples' prices.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { inCurrency, signIn, token } from './helpers';

const close = (symbol: string, date: string) => {
  const line = readFileSync('../examples/market/prices.csv', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${date},${symbol},`))!;
  return Number(line.split(',')[5]); // date,symbol,open,high,low,close,...
};
const net = (page: Page) => page.locator('[data-kpi="net"] .kpi-value');

test('a second browser sees imported positions without a reload; another tenant does not', { tag: '@slow' }, async ({ browser, request, baseURL }) => {
  const aapl = close('AAPL', '2017-12-06'); // 169.011993
  const name = 'live';
  for (const user of ['manager', 'globexmgr']) {
    const headers = { Authorization: `Bearer ${await token(request, user)}` };
    expect((await request.post('/api/v1/portfolios', { headers, data: { name } })).status()).toBe(201);
    const r = await request.post(`/api/v1/portfolios/${name}/positions`, { headers: { ...headers, 'Content-Type': 'text/csv' }, data: 'symbol,quantity\nAAPL,10\n' });
    expect(r.status()).toBe(200);
  }

  // Three browsers: contexts share nothing (storage, tokens), as two machines would not.
  const browse = async () => (await browser.newContext({ baseURL, locale: 'en-US', serviceWorkers: 'block' })).newPage();
  const first = await browse();
  const second = await browse();
  const other = await browse();
  await signIn(first, 'manager');
  await signIn(second, 'viewer');
  await signIn(other, 'globexmgr');
  for (const p of [second, other]) {
    await p.goto(`/portfolios/${name}`);
    await expect(net(p)).toHaveText(inCurrency('en-US', 'USD', 10 * aapl)); // USD 1,690
    await p.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  }
  // From here on, what the other tenant's page asks of the server.
  const asked: string[] = [];
  other.on('request', (r) => asked.push(new URL(r.url()).pathname));

  // The first browser imports 30 AAPL through the import page.
  await first.goto(`/portfolios/${name}/import`);
  await first.getByLabel('Positions file').setInputFiles({ name: 'positions.csv', mimeType: 'text/csv', buffer: Buffer.from('symbol,quantity\nAAPL,30\n') });
  await first.getByRole('button', { name: 'Import 1 row' }).click();
  await expect(first.getByRole('status').filter({ hasText: `Imported into ${name}.` })).toBeVisible();

  // The second shows 30 x the close, on the same page.
  await expect(net(second)).toHaveText(inCurrency('en-US', 'USD', 30 * aapl)); // USD 5,070
  expect(await second.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

  // Tenant globex's portfolio of the same name did not change, and its page was not told to load it
  // again: no request for it since the import.
  await other.waitForTimeout(1000);
  await expect(net(other)).toHaveText(inCurrency('en-US', 'USD', 10 * aapl));
  expect(asked.filter((path) => path.includes(`/portfolios/${name}`))).toEqual([]);
  expect(await other.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
});
