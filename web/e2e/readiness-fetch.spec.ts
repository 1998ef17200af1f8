// The dashboard's readiness panel: a book holding a ticker no store or vendor prices (beside KLQA,
// which the loopback vendor knows) lists it under missing prices, with a button that asks the
// server's market-data provider for the book's symbols (POST /api/v1/prices/fetch {portfolio}, a
// prices.fetch job on the loopback Yahoo of serve.mjs).
// The vendor does not know the ticker: the summary names it as failed, and the panel still lists it.
// The book's name is new on every run, and it is deleted at the end.
import { test, expect, type APIRequestContext } from '@playwright/test';
import { axe, signIn, token } from './helpers';

const BOOK = `ready-${Date.now()}`;
const TICKER = 'NOPEXQ';

test.beforeAll(async ({ request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const created = await request.post('/api/v1/portfolios', { headers, data: { name: BOOK } });
  expect(created.status(), await created.text()).toBe(201);
  const r = await request.post(`/api/v1/portfolios/${BOOK}/positions`, {
    headers: { ...headers, 'Content-Type': 'text/csv' },
    data: `symbol,quantity\nKLQA,10\n${TICKER},5\n`,
  });
  expect(r.status(), await r.text()).toBe(200);
});

test.afterAll(async ({ request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  await request.delete(`/api/v1/portfolios/${BOOK}`, { headers });
});

// A manager's new portfolio `name` (with `fields`, e.g. its currency) holding the positions of
// `csv`; the manager's headers, to delete it at the end.
async function makeBook(request: APIRequestContext, name: string, fields: Record<string, string>, csv: string) {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const created = await request.post('/api/v1/portfolios', { headers, data: { name, ...fields } });
  expect(created.status(), await created.text()).toBe(201);
  const r = await request.post(`/api/v1/portfolios/${name}/positions`, { headers: { ...headers, 'Content-Type': 'text/csv' }, data: csv });
  expect(r.status(), await r.text()).toBe(200);
  return headers;
}

test('missing prices have a button that fetches the book\'s symbols and says which failed', async ({ page }) => {
  await signIn(page, 'analyst');
  await page.goto(`/portfolios/${BOOK}`);
  const panel = page.getByTestId('readiness');
  await expect(panel).toBeVisible();
  await panel.locator('summary').click();
  const fix = panel.getByTestId('readiness-fetch-prices');
  await expect(fix).toBeVisible();
  await fix.getByRole('button', { name: 'Fetch the missing prices' }).click();
  const summary = fix.getByTestId('prices-summary');
  await expect(summary).toBeVisible({ timeout: 60_000 });
  await expect(summary.locator(`tr[data-symbol="${TICKER}"] [data-field="status"]`)).toHaveAttribute('data-status', 'failed');
  await expect(panel).toContainText(TICKER);
  await axe(page, 'readiness with a fetch');
});

test('a viewer sees what is missing but no button', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto(`/portfolios/${BOOK}`);
  const panel = page.getByTestId('readiness');
  await panel.locator('summary').click();
  await expect(panel).toContainText(TICKER);
  await expect(panel.getByRole('button', { name: 'Fetch the missing prices' })).toHaveCount(0);
});

// Missing sectors: the book's security-master records are fetched from the same loopback Yahoo
// (POST /api/v1/symbols/fetch, a symbols.fetch job); KLQS gets its sector and the panel no longer
// lists it under sectors.
test('missing sectors have a button that fetches the security master', async ({ page, request }) => {
  const book = `sectors-${Date.now()}`;
  const headers = await makeBook(request, book, {}, 'symbol,quantity\nKLQS,10\n');
  try {
    await signIn(page, 'manager');
    await page.goto(`/portfolios/${book}`);
    const panel = page.getByTestId('readiness');
    await panel.locator('summary').click();
    const fix = panel.getByTestId('readiness-fetch-sectors');
    await expect(fix).toBeVisible();
    await fix.getByRole('button', { name: 'Fetch the missing sectors' }).click();
    // Once the job ends the panel is asked for again: sectors are no longer missing, so their group
    // (and its button) goes, and the prices still are.
    await expect(panel.getByRole('table', { name: 'Sectors' })).toHaveCount(0, { timeout: 60_000 });
    await expect(panel.getByRole('table', { name: 'Prices' })).toBeVisible();
    const record = await request.get('/api/v1/symbols?symbols=KLQS', { headers });
    expect(await record.text()).toContain('"sector":"Utilities"');
    await axe(page, 'readiness after a sectors fetch');
  } finally {
    await request.delete(`/api/v1/portfolios/${book}`, { headers });
  }
});

// Missing FX rates: a book reported in JPY holding a CHF position has no rate in the store; the
// button fetches the ECB's rates of the risk window for the book's currencies from the loopback
// vendor (POST /api/v1/fx/fetch, an fx.fetch job), and the panel no longer lists FX.
test('missing FX rates have a button that fetches the reference rates', async ({ page, request }) => {
  const book = `fx-${Date.now()}`;
  const headers = await makeBook(request, book, { currency: 'JPY' }, 'symbol,quantity,currency\nKLQA,10,CHF\nKLQB,20,JPY\n');
  try {
    await signIn(page, 'manager');
    await page.goto(`/portfolios/${book}`);
    const panel = page.getByTestId('readiness');
    await panel.locator('summary').click();
    await expect(panel.getByRole('table', { name: 'FX rates' })).toContainText('CHF');
    // The FX rates page is a link away, for importing a rates file instead.
    await expect(panel.getByTestId('readiness-fx-page')).toHaveAttribute('href', '/fx');
    const fix = panel.getByTestId('readiness-fetch-fx');
    await fix.getByRole('button', { name: 'Fetch the FX rates' }).click();
    await expect(panel.getByRole('table', { name: 'FX rates' })).toHaveCount(0, { timeout: 60_000 });
    // CHF in JPY through the euro: 160 / 0.95.
    const rate = await request.get('/api/v1/fx/rate?from=CHF&to=JPY&date=2017-11-30', { headers });
    expect(rate.status(), await rate.text()).toBe(200);
    expect((await rate.json()).rate).toBeCloseTo(160 / 0.95, 9);
    await axe(page, 'readiness after an FX fetch');
  } finally {
    await request.delete(`/api/v1/portfolios/${book}`, { headers });
  }
});
