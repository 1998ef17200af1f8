// The VaR tab's histogram of the chosen method (historical and Monte Carlo) against the API's
// pnl_histogram, the what-if grid (add, remove, a refused row, remove a stored trade, calculate,
// save as a new portfolio), and the administrators' prices import (a bad file's row errors, a good
// file) which other roles do not see.
import { test, expect } from '@playwright/test';
import { axe, en, shot, signIn, token } from './helpers';

test('analyst: the VaR histogram is the chosen method\'s, with its VaR and ES lines', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  await signIn(page, 'analyst');
  for (const [method, extra] of [['historical', '&window=500'], ['montecarlo', '&paths=20000']] as const) {
    await page.goto(`/portfolios/hnw?tab=var&method=${method}${extra}`);
    const data: Record<string, unknown> = { method, histogram_bins: 40 };
    if (method === 'historical') data.window = 500;
    else data.paths = 20000;
    const v = await (await request.post('/api/v1/portfolios/hnw/risk/var', { headers: auth, data })).json();
    const r = v.results[0];
    const fig = page.locator(`[data-testid=var-histogram][data-method=${method}]`);
    await expect(fig).toBeVisible({ timeout: 30_000 });
    await expect(fig).toHaveAttribute('data-bins', '40');
    await expect(fig).toHaveAttribute('data-var', String(r.var));
    await expect(fig.locator('[data-field=var-line]')).toHaveText(en(-r.var));
    await expect(fig.locator('[data-field=es-line]')).toHaveText(en(-r.es));
    await expect(fig.locator('canvas')).toHaveCount(1);
    // The API's histogram is of the method's own scenarios: the window's returns or the paths.
    expect(r.pnl_histogram.total).toBe(method === 'historical' ? 500 : 20000);
    expect(r.pnl_histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(r.pnl_histogram.total);
    if (method === 'montecarlo') {
      await axe(page, 'var histogram');
      await shot(page, 'var-montecarlo');
    }
  }
});

test('manager: what-if grid, add and remove trades, a refused row, calculate, save as a new portfolio', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'manager')}` };
  await signIn(page, 'manager');
  await page.goto('/portfolios/hnw/whatif');
  await page.getByRole('button', { name: 'Open a modelling session' }).click();
  const grid = page.getByRole('table', { name: 'New trades' });
  await expect(grid).toBeVisible();

  // Three rows typed, the third removed before sending.
  await page.getByLabel('Symbol, row 1').fill('AAPL');
  await page.getByLabel('Quantity, row 1').fill('-500');
  await page.getByRole('button', { name: 'Add a row' }).click();
  await page.getByLabel('Symbol, row 2').fill('MSFT');
  await page.getByLabel('Quantity, row 2').fill('100');
  await page.getByLabel('Price, row 2').fill('80');
  await page.getByRole('button', { name: 'Add a row' }).click();
  await page.getByLabel('Symbol, row 3').fill('JPM');
  await page.getByLabel('Quantity, row 3').fill('50');
  await page.getByRole('button', { name: 'Remove row 3' }).click();
  await expect(grid.locator('tbody tr')).toHaveCount(2);
  await page.getByRole('button', { name: 'Add 2 trades to the session' }).click();
  const trades = page.getByRole('table', { name: 'Session trades' });
  await expect(trades.locator('tbody tr')).toHaveCount(2);
  await expect(trades).toContainText('MSFT');

  // A refused row: the server's line and column shown next to it; nothing is stored.
  await page.getByLabel('Symbol, row 1').fill('JPM');
  await page.getByLabel('Quantity, row 1').fill('lots');
  await page.getByRole('button', { name: 'Add 1 trade to the session' }).click();
  await expect(grid.locator('tr.bad')).toHaveCount(1);
  await expect(grid.locator('tr.bad .problems')).toContainText('Quantity: expected a number, got "lots"');
  await expect(grid.locator('tr.bad [data-field=quantity] .cell-problem')).toHaveText('expected a number, got "lots"');
  await expect(trades.locator('tbody tr')).toHaveCount(2);
  await page.getByRole('button', { name: 'Remove row 1' }).click();

  // Remove the stored MSFT trade; calculate; the page's change equals the API's.
  await page.getByRole('button', { name: /Remove trade 2 \(MSFT\)/ }).click();
  await expect(trades.locator('tbody tr')).toHaveCount(1);
  await page.getByRole('button', { name: 'Calculate' }).click();
  const id = new URL(page.url()).searchParams.get('session');
  const w = await (await request.post(`/api/v1/sessions/${id}/calculate`, { headers: auth, data: {} })).json();
  await expect(page.locator('tr[data-metric=gross] [data-field=change]')).toHaveText(en(w.change.gross));
  await expect(page.locator('tr[data-metric=var_historical] [data-field=after]')).toHaveText(en(w.after.var_historical));
  await expect(page.locator('tr[data-metric=dollar_delta] [data-field=change]')).toHaveText(en(w.change.dollar_delta));
  const gfc = w.stress.find((s: { name: string; method: string }) => s.name === 'gfc_2008' && s.method === 'direct');
  await expect(page.locator('tr[data-scenario=gfc_2008][data-method=direct]')).toContainText(en(gfc.change));
  await expect(grid.locator('tr.bad')).toHaveCount(0);
  await axe(page, 'what-if');
  await page.getByRole('heading', { name: 'Trades in the session' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'whatif');

  // Save the book after the trades: the new portfolio holds 500 AAPL fewer.
  await page.getByLabel('Save the book after the trades as').fill('hnw-less-aapl');
  await page.getByRole('button', { name: 'Save as a new portfolio' }).click();
  await expect(page).toHaveURL(/\/portfolios\/hnw-less-aapl$/);
  await expect(page.getByTestId('kpi-strip')).toBeVisible();
  const before = await (await request.get('/api/v1/portfolios/hnw/positions', { headers: auth })).json();
  const after = await (await request.get('/api/v1/portfolios/hnw-less-aapl/positions', { headers: auth })).json();
  const qty = (p: unknown, s: string) => {
    const items = (Array.isArray(p) ? p : (p as { items: unknown[] }).items) as { symbol: string; quantity: number }[];
    return items.find((x) => x.symbol === s)?.quantity ?? 0;
  };
  expect(qty(after, 'AAPL')).toBe(qty(before, 'AAPL') - 500);
  expect(qty(after, 'MSFT')).toBe(qty(before, 'MSFT'));
});

test('admin: prices import with a bad file\'s row errors, then a good one', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Prices' }).click();
  await expect(page.getByRole('heading', { name: 'Import prices' })).toBeVisible();
  await page.getByLabel('Prices file').setInputFiles({
    name: 'bad-prices.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Date,Ticker,Close\n2017-12-01,AAPL,171.05\n2017-13-01,AAPL,170.00\n2017-12-04,AAPL,-3\n'),
  });
  // Ticker is not a keel column: mapped to symbol; Date and Close are recognised.
  await expect(page.getByLabel('keel column for Date')).toHaveValue('date');
  await page.getByLabel('keel column for Ticker').selectOption('symbol');
  await expect(page.getByRole('heading', { name: /long layout/ })).toBeVisible();
  await page.getByRole('button', { name: /Import 3 rows/ }).click();
  await expect(page.getByRole('alert')).toContainText('problem');
  await expect(page.locator('tr.bad')).toHaveCount(2);
  await expect(page.locator('tr.bad').first()).toContainText('line 3, column 1');
  await expect(page.locator('tr.bad').nth(1)).toContainText('line 4, column 3');
  await axe(page, 'prices import');
  await shot(page, 'prices-import-errors');

  // A wide file of two symbols no portfolio holds, on the store's last date (so no other figure moves).
  await page.getByLabel('Prices file').setInputFiles({
    name: 'wide.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('date,ZZA,ZZB\n2017-12-06,10.5,20.25\n'),
  });
  await expect(page.getByRole('heading', { name: /wide layout: 2 symbols/ })).toBeVisible();
  await expect(page.getByLabel('keel column for ZZA')).toHaveValue('ZZA');
  await page.getByRole('button', { name: /Import 1 row/ }).click();
  await expect(page.getByRole('status')).toContainText('Prices imported');
});

test('viewer and analyst: no prices import', async ({ page }) => {
  for (const user of ['viewer', 'analyst']) {
    await signIn(page, user);
    await expect(page.getByRole('link', { name: 'Prices' })).toHaveCount(0);
    await page.goto('/prices/import');
    await expect(page.getByRole('alert')).toContainText('Not allowed for your role');
    await expect(page.getByLabel('Prices file')).toHaveCount(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
  }
});
