// FX rates from the browser (/fx): an administrator pastes three EUR/USD rates into the page and
// finds the import's summary and the pair listed with its dates and count as GET /api/v1/fx/pairs
// gives them; a file whose third line has a rate that is no number shows the server's problem at
// line 3, column 4, next to that line, and nothing is stored. A manager fetches the ECB's CHF rates
// through the page from the loopback vendor (fake-yahoo.mjs); roles without import_market_data see
// no import, and a viewer no fetch either; at 390 px the page stays within the screen while the
// pairs table scrolls in its box with the pair pinned. axe-core on each step.
// The rates are of January 2001, far from the examples' dates (2012–2017): more than seven days
// before any date the other specs convert at, so no spec finds a rate it did not expect.
import { test, expect } from '@playwright/test';
import { axe, signIn, token } from './helpers';

const RATES = 'date,base,quote,rate\n2001-01-02,EUR,USD,0.9423\n2001-01-03,EUR,USD,0.9510\n2001-01-04,EUR,USD,0.9545\n';
const BAD = 'date,base,quote,rate\n2001-01-05,EUR,USD,0.9450\n2001-01-08,EUR,USD,abc\n';

test('admin: imports EUR/USD rates through the page, sees the pair listed; a bad file names its line', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'admin')}` };
  await signIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'FX rates' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'FX rates' })).toBeVisible();

  await page.getByLabel('FX rates (CSV)').fill(RATES);
  await page.getByRole('button', { name: 'Import the rates' }).click();
  const result = page.getByTestId('fx-import-result');
  await expect(result).toContainText('FX rates of body.csv imported');
  await expect(page.getByTestId('fx-import-summary')).toContainText(/^3 rows, 1 pairs, \d new and \d replaced rates, 2001-01-02 to 2001-01-04\.$/);

  const pairs = (await (await request.get('/api/v1/fx/pairs', { headers })).json()).items as { pair: string; first_date: string; last_date: string; rates: number }[];
  const eurUsd = pairs.find((p) => p.pair === 'EUR/USD')!;
  expect(eurUsd.first_date).toBe('2001-01-02');
  const row = page.getByTestId('fx-pairs').locator('tr[data-pair="EUR/USD"]');
  await expect(row.locator('td').first()).toHaveText('EUR/USD');
  await expect(row.locator('[data-field=first_date]')).toHaveText(eurUsd.first_date);
  await expect(row.locator('[data-field=last_date]')).toHaveText(eurUsd.last_date);
  await expect(row.locator('[data-field=rates]')).toHaveText(new Intl.NumberFormat('en-US').format(eurUsd.rates));
  await expect(page.getByTestId('fx-pairs').locator('tr[data-pair]')).toHaveCount(pairs.length);
  await axe(page, 'fx import result');

  // A bad file: the server's problem with its file, line and column, next to the line as sent.
  await page.getByLabel('FX rates (CSV)').fill(BAD);
  await page.getByRole('button', { name: 'Import the rates' }).click();
  await expect(page.getByRole('alert').first()).toContainText('body.csv:3:4: rate');
  const bad = page.getByTestId('fx-problems').locator('tr[data-line="3"]');
  await expect(bad).toContainText('line 3, column 4: rate: expected a number, got "abc"');
  await expect(bad).toContainText('2001-01-08,EUR,USD,abc');
  await expect(page.getByTestId('fx-import-result')).toHaveCount(0);
  // Nothing stored: the first line's rate is not there either.
  const rate = await request.get('/api/v1/fx/rate?from=EUR&to=USD&date=2001-01-05', { headers });
  expect((await rate.json()).rate_date).toBe('2001-01-04');
  await axe(page, 'fx import refused');

  // A file read from disk goes into the same box.
  await page.getByLabel('Or read a file').setInputFiles({ name: 'eurusd.csv', mimeType: 'text/csv', buffer: Buffer.from(RATES) });
  await expect(page.getByLabel('FX rates (CSV)')).toHaveValue(RATES);
  await page.getByRole('button', { name: 'Import the rates' }).click();
  await expect(page.getByTestId('fx-import-summary')).toContainText('3 rows, 1 pairs, 0 new and 3 replaced rates');
});

test('manager: fetches the ECB rates through the page; may not import', async ({ page }) => {
  await signIn(page, 'manager');
  await page.goto('/fx');
  await expect(page.getByTestId('fx-import-not-allowed')).toBeVisible();
  await expect(page.getByLabel('FX rates (CSV)')).toHaveCount(0);
  await page.getByLabel('Currencies (optional)').fill('chf');
  await page.getByLabel('From').fill('2017-11-27');
  await page.getByTestId('fx-fetch').click();
  const result = page.getByTestId('fx-fetch-result');
  await expect(result).toContainText(/Fetch (fetched|already up to date|no new rates published) \(ecb, /, { timeout: 60_000 });
  await expect(page.getByTestId('fx-pairs').locator('tr[data-pair="EUR/CHF"]')).toBeVisible();
  await axe(page, 'fx fetch');
});

test('viewer: reads the pairs, no import, no fetch', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/fx');
  await expect(page.getByTestId('fx-pairs').locator('tr[data-pair="EUR/USD"]')).toBeVisible();
  await expect(page.getByTestId('fx-import-not-allowed')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Import the rates' })).toHaveCount(0);
  await expect(page.getByTestId('fx-fetch')).toHaveCount(0);
  await axe(page, 'fx viewer');
});

test('phone: the FX page keeps to 390 px, the pair pinned as its table scrolls', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'admin');
  await page.goto('/fx');
  const box = page.getByTestId('fx-pairs-scroll');
  await expect(box.locator('tr[data-pair="EUR/USD"]')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const first = box.locator('tr[data-pair="EUR/USD"] td').first();
  const before = await first.boundingBox();
  await box.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  const after = await first.boundingBox();
  expect(after!.x).toBeCloseTo(before!.x, 0);
});
