// A book in EUR holding a USD and a EUR stock, with EUR/USD rates posted through POST /api/v1/fx:
// its dashboard shows EUR amounts everywhere (the KPI strip, the positions' market value, VaR,
// exposures and their by-currency chart and table, stress), each checked against the API's JSON;
// the reporting-currency selector shows it in USD for this view only (?currency=USD, the API's
// ?currency= and body currency), a manager stores USD (PATCH), and a currency without rates shows
// the API's error naming the pair. The portfolio is deleted at the end; the rates stay (the API
// has no route that deletes FX rates), and no later spec values a book across EUR and USD.
import { test, expect, type APIRequestContext } from '@playwright/test';
import { en, inCurrency, signIn, token } from './helpers';

// EUR/USD on every weekday of the example prices (2012-12-06 to 2017-12-06) and the week before:
// 1.08 to 1.14, so every return date of the risk window has its rate.
function eurUsdRates(): string {
  const lines = ['date,base,quote,rate'];
  const day = new Date('2012-11-26T00:00:00Z');
  const end = new Date('2017-12-06T00:00:00Z');
  for (let i = 0; day <= end; day.setUTCDate(day.getUTCDate() + 1), i++) {
    const wd = day.getUTCDay();
    if (wd === 0 || wd === 6) continue;
    lines.push(`${day.toISOString().slice(0, 10)},EUR,USD,${(1.11 + 0.03 * Math.sin(i / 40)).toFixed(4)}`);
  }
  return lines.join('\n') + '\n';
}

async function json(request: APIRequestContext, method: 'GET' | 'POST', path: string, headers: Record<string, string>, data?: unknown) {
  const r = method === 'GET' ? await request.get(path, { headers }) : await request.post(path, { headers, data });
  expect(r.status(), `${method} ${path}: ${await r.text()}`).toBe(200);
  return r.json();
}

test('manager: a EUR book holding USD and EUR stocks is shown in EUR, in USD for the view, then stored in USD', async ({ page, request }) => {
  test.setTimeout(240_000);
  const admin = { Authorization: `Bearer ${await token(request, 'admin')}` };
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const rates = await request.post('/api/v1/fx', { headers: { ...admin, 'Content-Type': 'text/csv' }, data: eurUsdRates() });
  expect(rates.status(), await rates.text()).toBe(200);

  const name = `eur book ${Date.now()}`;
  const created = await request.post('/api/v1/portfolios', { headers, data: { name, currency: 'EUR' } });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id as number;
  try {
    const imported = await request.post(`/api/v1/portfolios/${id}/positions`, {
      headers: { ...headers, 'Content-Type': 'text/csv' },
      data: 'symbol,quantity,currency\nAAPL,100,USD\nMSFT,200,EUR\n',
    });
    expect(imported.status(), await imported.text()).toBe(200);

    // The API: the report and the portfolio in EUR, AAPL converted at the USD→EUR rate.
    const report = await json(request, 'GET', `/api/v1/portfolios/${id}/report`, headers);
    const s = report.summary;
    expect(s.currency).toBe('EUR');
    const view = await json(request, 'GET', `/api/v1/portfolios/${id}`, headers);
    expect(view.currency).toBe('EUR');
    const aapl = view.positions.find((p: { symbol: string }) => p.symbol === 'AAPL');
    expect(aapl.fx_rate).toBeLessThan(1);
    expect(aapl.market_value).toBeCloseTo(aapl.market_value_local * aapl.fx_rate, 6);
    const byCurrency = await json(request, 'POST', `/api/v1/portfolios/${id}/exposures`, headers, { by: 'currency' });
    expect(byCurrency.groups.map((g: { key: string }) => g.key).sort()).toEqual(['EUR', 'USD']);

    await signIn(page, 'manager');
    await page.goto(`/portfolios/${encodeURIComponent(name)}`);
    const strip = page.getByTestId('kpi-strip');
    await expect(strip.locator('[data-kpi=net] .kpi-value')).toHaveText(inCurrency('en-US', 'EUR', s.net_value_amount), { timeout: 60_000 });
    await expect(strip.locator('[data-kpi=var] .kpi-value')).toHaveText(inCurrency('en-US', 'EUR', s.var_amount));
    await expect(strip.locator('[data-kpi=es] .kpi-value')).toHaveText(inCurrency('en-US', 'EUR', s.es_amount));
    await expect(strip.locator('[data-kpi=stress] .kpi-value')).toHaveText(inCurrency('en-US', 'EUR', s.worst_stress_pnl_amount));
    const positions = page.getByRole('region', { name: 'Positions' });
    await expect(positions.getByRole('columnheader', { name: 'Market value (EUR)' })).toBeVisible();
    await expect(page.getByTestId('view-currency')).toHaveValue('EUR');

    // Exposures: the groups' amounts, and the book's exposure to each currency, in EUR.
    await page.getByRole('tab', { name: 'Exposures' }).click();
    await expect(page.getByRole('table', { name: 'Exposure groups' }).locator('thead')).toContainText('Net (EUR)', { timeout: 30_000 });
    const ccy = page.getByRole('table', { name: 'Exposure by currency' });
    await expect(ccy.locator('thead')).toContainText('Net (EUR)', { timeout: 30_000 });
    for (const g of byCurrency.groups as { key: string; net: number; gross: number }[]) {
      await expect(ccy.locator(`tr[data-currency=${g.key}] [data-field=net]`)).toHaveText(en(g.net));
      await expect(ccy.locator(`tr[data-currency=${g.key}] [data-field=gross]`)).toHaveText(en(g.gross));
    }
    await expect(page.getByTestId('exposure-by-currency').locator('canvas')).toBeVisible();

    await page.getByRole('tab', { name: 'VaR' }).click();
    await expect(page.getByRole('table', { name: 'VaR and ES' }).locator('thead')).toContainText('VaR (EUR)', { timeout: 60_000 });
    await page.getByRole('tab', { name: 'Stress' }).click();
    await expect(page.getByRole('table', { name: 'Stress scenarios' }).locator('thead')).toContainText('P&L (EUR)', { timeout: 60_000 });

    // In USD for this view only: the URL says so, every figure is the API's in USD, the stored
    // currency is still EUR.
    await page.getByRole('tab', { name: 'Positions' }).click();
    await page.getByTestId('view-currency').selectOption('USD');
    await expect(page).toHaveURL(/currency=USD/);
    const inUsd = (await json(request, 'GET', `/api/v1/portfolios/${id}/report?currency=USD`, headers)).summary;
    expect(inUsd.currency).toBe('USD');
    await expect(strip.locator('[data-kpi=net] .kpi-value')).toHaveText(inCurrency('en-US', 'USD', inUsd.net_value_amount), { timeout: 60_000 });
    await expect(strip.locator('[data-kpi=var] .kpi-value')).toHaveText(inCurrency('en-US', 'USD', inUsd.var_amount));
    await expect(positions.getByRole('columnheader', { name: 'Market value (USD)' })).toBeVisible();
    await expect(page.getByTestId('view-only')).toContainText('the portfolio reports in EUR');
    expect((await json(request, 'GET', `/api/v1/portfolios/${id}`, headers)).currency).toBe('EUR');
    await page.getByRole('tab', { name: 'Exposures' }).click();
    const usdGroups = (await json(request, 'POST', `/api/v1/portfolios/${id}/exposures`, headers, { by: 'currency', currency: 'USD' })).groups;
    await expect(ccy.locator('thead')).toContainText('Net (USD)', { timeout: 30_000 });
    for (const g of usdGroups as { key: string; net: number }[]) {
      await expect(ccy.locator(`tr[data-currency=${g.key}] [data-field=net]`)).toHaveText(en(g.net));
    }

    // German words for the selector.
    await page.getByTestId('language').selectOption('de-DE');
    await expect(page.getByTestId('currency-selector')).toContainText('Berichtswährung');
    await expect(page.getByTestId('store-currency')).toHaveText('USD als Berichtswährung speichern');
    await page.getByTestId('language').selectOption('en-US');

    // A manager stores USD: the portfolio reports in it, and the view follows the stored currency.
    await page.getByTestId('store-currency').click();
    await expect(page).not.toHaveURL(/currency=/);
    await expect.poll(async () => (await json(request, 'GET', `/api/v1/portfolios/${id}`, headers)).currency).toBe('USD');
    await expect(page.getByTestId('view-currency')).toHaveValue('USD');
    await expect(page.getByTestId('view-currency').locator('option:checked')).toHaveText('USD (stored)');
    await expect(page.getByTestId('view-only')).toHaveCount(0);

    // A currency without rates: the API's error names the pair; the selector stays to choose another.
    const refused = await request.get(`/api/v1/portfolios/${id}/report?currency=GBP`, { headers });
    expect(refused.status()).toBe(400);
    const message = (await refused.json()).error.message as string;
    expect(message).toMatch(/no FX rate for (EUR|USD)\/GBP/);
    await page.goto(`/portfolios/${encodeURIComponent(name)}?currency=GBP`);
    await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('kpi-strip')).toHaveCount(0);
    await expect(page.getByTestId('view-currency')).toBeVisible();
  } finally {
    // Later specs list every portfolio and expect each to have results and to fit a phone.
    const deleted = await request.delete(`/api/v1/portfolios/${id}`, { headers });
    expect(deleted.ok(), await deleted.text()).toBe(true);
  }
});
