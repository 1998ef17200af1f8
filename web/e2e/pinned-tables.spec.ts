// Wide data tables on a phone (390 × 844): the portfolios list, a dashboard's positions, a ledger
// account's holdings and a CLO deal's pool each scroll sideways inside their own box while the page
// keeps to the screen, and their key column (name, symbol, asset id) stays pinned at the box's left
// edge as the box scrolls — one rule for all (`table.pinned`, theme.css); the amounts carry their
// currency. axe-core on each.
import { test, expect, type Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axe, expectPageFits, inCurrency, signIn, token } from './helpers';

test.use({ viewport: { width: 390, height: 844 } });


// The box scrolls sideways (its table is wider than the screen), and the first cell of `row` stays
// where it was — at the box's left edge — while a cell further right moves under it.
async function keyColumnPinned(box: Locator, row: Locator, what: string) {
  const { scrollWidth, clientWidth } = await box.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(scrollWidth, `${what}: the table is wider than its box`).toBeGreaterThan(clientWidth);
  const key = row.locator('td').first();
  const other = row.locator('td').nth(2);
  const boxAt = (await box.boundingBox())!;
  const before = (await key.boundingBox())!;
  const otherBefore = (await other.boundingBox())!;
  await box.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await expect.poll(async () => (await other.boundingBox())!.x, { message: `${what}: the box scrolled` }).toBeLessThan(otherBefore.x - 10);
  const after = (await key.boundingBox())!;
  expect(Math.abs(after.x - before.x), `${what}: the key column stayed`).toBeLessThan(1);
  expect(after.x).toBeGreaterThanOrEqual(boxAt.x - 1);
  await expect(key).toBeVisible();
  await box.evaluate((el) => el.scrollTo({ left: 0 }));
}

test('phone: portfolios and positions keep their key column pinned, the page within 390 px', async ({ page, request }) => {
  // A name far wider than the screen: the key column wraps it within 45 % of the screen, else
  // the pinned column would cover the box and be pushed out as it scrolls.
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const long = `pinned ${Date.now()} a portfolio name much longer than a phone is wide`;
  const created = await request.post('/api/v1/portfolios', { headers, data: { name: long } });
  expect(created.status(), await created.text()).toBe(201);
  try {
    await signIn(page, 'manager');
    await page.goto('/portfolios');
    const list = page.getByTestId('portfolios-scroll');
    const hnw = list.getByRole('row').filter({ has: page.getByRole('link', { name: 'hnw', exact: true }) });
    await expect(hnw).toBeVisible();
    const longCell = list.getByRole('row').filter({ has: page.getByRole('link', { name: long }) }).locator('td').first();
    expect((await longCell.boundingBox())!.width).toBeLessThanOrEqual(390 * 0.45 + 1);
    await expectPageFits(page, 'portfolios');
    await keyColumnPinned(list, hnw, 'portfolios');
    // Each amount of the newest snapshot with its book's currency (a book without one says so).
    const all = await (await request.get('/api/v1/portfolios?limit=500', { headers })).json();
    const book = all.items.find((p: { name: string }) => p.name === 'hnw');
    if (book.last_snapshot) {
      await expect(hnw.locator('[data-field=net_value]')).toHaveText(inCurrency('en-US', book.base_currency, book.last_snapshot.net_value_amount));
      await expect(hnw.locator('[data-field=var]')).toHaveText(inCurrency('en-US', book.base_currency, book.last_snapshot.var_amount));
    } else {
      await expect(hnw).toContainText('no snapshot yet');
    }
    await axe(page, 'portfolios on a phone');

    await page.goto('/portfolios/hnw');
    const positions = page.getByRole('region', { name: 'Positions', exact: true });
    await expect(positions.locator('tbody tr').first()).toBeVisible({ timeout: 30_000 });
    await expectPageFits(page, 'hnw positions');
    await keyColumnPinned(positions, positions.locator('tbody tr:not([aria-hidden])').first(), 'positions');
    await axe(page, 'positions on a phone');
  } finally {
    await request.delete(`/api/v1/portfolios/${encodeURIComponent(long)}`, { headers });
  }
});

test('phone: ledger holdings and a CLO pool keep their key column pinned', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const account = `pinned-${Date.now()}`;
  expect((await request.post('/api/v1/accounts', { headers, data: { name: account } })).status()).toBe(201);
  const deal = JSON.parse(readFileSync('../examples/clo/example_bsl_clo.json', 'utf8'));
  const created = await request.post('/api/v1/clo/deals', { headers, data: { name: `pinned-${Date.now()}`, deal } });
  expect(created.status(), await created.text()).toBe(201);
  const dealId = (await created.json()).deal.id as number;
  try {
    const csv = readFileSync('../examples/ledger/transactions.csv', 'utf8');
    expect((await request.post(`/api/v1/accounts/${account}/transactions`, { headers, data: { csv } })).status()).toBe(200);
    const h = await (await request.get(`/api/v1/accounts/${account}/holdings`, { headers })).json();
    await signIn(page, 'manager');
    await page.goto(`/ledger/${account}?tab=holdings`);
    const holdings = page.getByRole('region', { name: 'Holdings', exact: true });
    await expect(holdings.locator('tbody tr').first()).toBeVisible();
    // The totals carry the currency; the table names it in its amount columns.
    const usd2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: h.currency, currencyDisplay: 'code', minimumFractionDigits: 2, maximumFractionDigits: 2 });
    await expect(page.locator('[data-kpi=net_worth] .kpi-value')).toHaveText(usd2.format(h.totals.net_worth));
    await expect(holdings.getByRole('columnheader', { name: `Market value (${h.currency})` })).toBeVisible();
    await expectPageFits(page, 'holdings');
    await keyColumnPinned(holdings, holdings.locator('tbody tr:not([aria-hidden])').first(), 'holdings');
    await axe(page, 'holdings on a phone');

    await page.goto(`/clo/deals/${dealId}?tab=collateral`);
    const pool = page.getByRole('region', { name: 'Collateral loans', exact: true });
    await expect(pool.locator('tbody tr').first()).toBeVisible({ timeout: 30_000 });
    await expectPageFits(page, 'CLO pool');
    await keyColumnPinned(pool, pool.locator('tbody tr:not([aria-hidden])').first(), 'CLO pool');
    await axe(page, 'CLO pool on a phone');
  } finally {
    await request.delete(`/api/v1/accounts/${account}`, { headers });
    await request.delete(`/api/v1/clo/deals/${dealId}`, { headers });
  }
});
