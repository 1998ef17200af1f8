// Portfolio construction in the browser: the optimize view of a book made from the balanced example
// (its weights, figures and frontier against the API's, an infeasible problem with the API's
// message), and a rebalance of the optimum and of a pasted target CSV into a what-if session holding
// its trades. The book is the spec's own: other specs change the stored examples.
import { test, expect, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axe, shot, signIn, token } from './helpers';

const pct = (x: number) => new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
const qty = (x: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(x);

type Weights = Record<string, number>;
const BOOK = 'construct-demo';
const B = `/api/v1/portfolios/${BOOK}`;

test.beforeAll(async ({ request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const created = await request.post('/api/v1/portfolios', { headers, data: { name: BOOK } });
  expect(created.status(), await created.text()).toBe(201);
  const positions = await request.post(`${B}/positions`, {
    headers: { ...headers, 'Content-Type': 'text/csv' },
    data: readFileSync('../examples/portfolios/balanced.csv', 'utf8'),
  });
  expect(positions.status(), await positions.text()).toBe(200);
});

test.afterAll(async ({ request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const deleted = await request.delete(B, { headers });
  expect(deleted.ok(), await deleted.text()).toBe(true);
});
async function post<T>(request: APIRequestContext, auth: Record<string, string>, path: string, data: unknown): Promise<T> {
  const r = await request.post(path, { headers: auth, data });
  expect(r.status(), await r.text()).toBe(200);
  return (await r.json()) as T;
}

test('analyst: optimize the demo book; the page shows the API\'s weights, frontier and an infeasible problem', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  await signIn(page, 'analyst');
  await page.goto(`/portfolios/${BOOK}`);
  await page.getByRole('button', { name: 'Optimize', exact: true }).click();
  await expect(page).toHaveURL(/\/portfolios\/construct-demo\/optimize\?long_only=true$/);
  await page.getByLabel('Maximum weight').fill('0.2');
  await page.getByLabel('Maximum weight').blur();
  await expect(page).toHaveURL(/max_weight=0.2/);

  const o = await post<{ weights: Weights; current_weights: Weights; risk_contributions: Weights; expected_return: number; volatility: number; status: string; solver: { name: string }; binding_constraints: string[] }>(
    request, auth, `${B}/optimize`, { long_only: true, max_weight: 0.2 });
  const table = page.getByRole('table', { name: 'Weights and risk contributions' });
  await expect(table.locator('tbody tr')).toHaveCount(Object.keys(o.current_weights).length);
  for (const [sym, w] of Object.entries(o.weights)) {
    const row = table.locator(`tr[data-symbol="${sym}"]`);
    await expect(row.locator('[data-field=target]')).toHaveText(pct(w));
    await expect(row.locator('[data-field=current]')).toHaveText(pct(o.current_weights[sym]!));
    await expect(row.locator('[data-field=contribution]')).toHaveText(pct(o.risk_contributions[sym]!));
  }
  const kpis = page.getByTestId('optimum');
  await expect(kpis.locator('[data-kpi=expected_return] .kpi-value')).toHaveText(pct(o.expected_return));
  await expect(kpis.locator('[data-kpi=volatility] .kpi-value')).toHaveText(pct(o.volatility));
  await expect(kpis.locator('[data-field=status]')).toHaveText(o.status);
  await expect(kpis.locator('[data-kpi=solver]')).toContainText(o.solver.name);
  await expect(page.getByTestId('binding').locator('[data-field=binding]')).toHaveText(o.binding_constraints.join('; '));

  // The frontier: every point the API gives, the optimal ones drawn, the book's point on the chart.
  const f = await post<{ points: { status: string }[] }>(request, auth, `${B}/optimize/frontier`, { long_only: true, max_weight: 0.2 });
  const fig = page.getByTestId('frontier');
  await expect(fig).toHaveAttribute('data-points', String(f.points.length));
  await expect(fig).toHaveAttribute('data-optimal', String(f.points.filter((p) => p.status === 'optimal').length));
  await expect(fig.locator('canvas')).toHaveCount(1);
  await axe(page, 'optimize');
  await shot(page, 'optimize');

  // Upper bounds of 5% on 15 names cannot hold the budget: the API's message and the conflict.
  await page.getByLabel('Maximum weight').fill('0.05');
  await page.getByLabel('Maximum weight').blur();
  const bad = page.getByTestId('optimize-infeasible');
  await expect(bad).toContainText('The problem is infeasible');
  await expect(bad.getByRole('alert')).toContainText('infeasible: the constraints cannot all hold');
  await expect(bad.getByRole('alert')).toContainText('budget 1 and upper bounds (they sum to 0.75)');
  await expect(page.getByTestId('frontier-infeasible')).toContainText('budget 1 and upper bounds');
  await expect(page.getByRole('table', { name: 'Weights and risk contributions' })).toHaveCount(0);

  // Risk parity takes no bounds: the controls go, and its weights are shown.
  await page.goto(`/portfolios/${BOOK}/optimize?objective=risk-parity&max_weight=0.05`);
  await expect(page.getByLabel('Maximum weight')).toHaveCount(0);
  const rp = await post<{ weights: Weights }>(request, auth, `${B}/optimize`, { objective: 'risk-parity' });
  await expect(page.locator('tr[data-symbol=KO] [data-field=target]')).toHaveText(pct(rp.weights.KO!));
});

type Trade = { symbol: string; side: string; quantity: number; price: number };
type Plan = { trades: Trade[]; cash_after_amount: number; warnings: string[] };

test('manager: rebalance the optimum, then a pasted target, into a what-if session', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'manager')}` };
  await signIn(page, 'manager');
  await page.goto(`/portfolios/${BOOK}/optimize?long_only=true&max_weight=0.2`);
  await page.getByRole('button', { name: 'Rebalance to these weights' }).click();
  await expect(page).toHaveURL(/\/portfolios\/construct-demo\/rebalance\?.*target=optimize/);
  await expect(page.getByTestId('target-optimize')).toContainText('minimum variance');
  await page.getByLabel('Minimum trade').fill('500');
  await page.getByLabel('Minimum trade').blur();
  await page.getByLabel('Cost (bp)').fill('5');
  await page.getByLabel('Cost (bp)').blur();
  await page.getByRole('button', { name: 'Plan the trades' }).click();

  const o = await post<{ weights: Weights }>(request, auth, `${B}/optimize`, { long_only: true, max_weight: 0.2 });
  const plan = await post<Plan>(request, auth, `${B}/rebalance`, { target_weights: o.weights, min_trade_amount: 500, cost_bp: 5 });
  expect(plan.trades.length).toBeGreaterThan(0);
  const trades = page.getByRole('table', { name: 'Rebalance trades' });
  await expect(trades.locator('tbody tr[data-trade]')).toHaveCount(plan.trades.length);
  for (const tr of plan.trades) {
    const row = trades.locator(`tr[data-trade="${tr.symbol}"]`);
    await expect(row).toHaveAttribute('data-side', tr.side);
    await expect(row.locator('[data-field=quantity]')).toHaveText(qty(tr.quantity));
  }
  await axe(page, 'rebalance');
  await shot(page, 'rebalance');

  // The plan's trades into a what-if session: sells negative, at the plan's prices.
  await page.getByRole('button', { name: /Open a what-if session with/ }).click();
  await expect(page).toHaveURL(/\/portfolios\/construct-demo\/whatif\?session=\d+/);
  const session = page.getByRole('table', { name: 'Session trades' });
  await expect(session.locator('tbody tr')).toHaveCount(plan.trades.filter((tr) => tr.quantity !== 0).length);
  const first = plan.trades[0]!;
  await expect(session).toContainText(qty(first.side === 'sell' ? -first.quantity : first.quantity));
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(page.locator('tr[data-metric=gross] [data-field=after]')).toBeVisible({ timeout: 30_000 });

  // A pasted target: half AAPL, half MSFT; everything else is sold.
  await page.goto(`/portfolios/${BOOK}/rebalance?target=csv`);
  await page.getByLabel(/Target weights \(CSV/).fill('symbol,weight\nAAPL,0.5\nmsft,0.5\n');
  await expect(page.getByTestId('target-sum')).toHaveText('2 symbols, weights summing to 100.00%.');
  await page.getByRole('button', { name: 'Plan the trades' }).click();
  const csvPlan = await post<Plan>(request, auth, `${B}/rebalance`, { target_weights: { AAPL: 0.5, MSFT: 0.5 } });
  await expect(trades.locator('tbody tr[data-trade]')).toHaveCount(csvPlan.trades.length);
  await expect(trades.locator('tr[data-trade=KO]')).toHaveAttribute('data-side', 'sell');
  // A bad line is named before anything is sent.
  await page.getByLabel(/Target weights \(CSV/).fill('symbol,weight\nAAPL,half\n');
  await expect(page.getByTestId('target-problems')).toHaveText('line 2: AAPL: the weight must be a number, got "half"');
  await expect(page.getByRole('button', { name: 'Plan the trades' })).toBeDisabled();
});

// A book that mirrors a ledger account (examples/ledger/transactions.csv, which holds AAPL, MSFT, JNJ
// and XOM on the price date), and a loss sale of KO a few days before it: rebalanced tax-aware on
// that account, the page shows the lots the API sells, the gains it realizes and the KO buy it does
// not make (a wash sale). The account's and the book's names hold markup: shown as text.
test('manager: a tax-aware rebalance on a ledger account shows the API\'s lots, gains and wash sales', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const account = `taxes <b>bold</b> ${Date.now()}`;
  const book = `taxbook <b>bold</b> ${Date.now()}`;
  const csv = readFileSync('../examples/ledger/transactions.csv', 'utf8').trimEnd()
    + '\n2017-11-01,BUY,KO,100,50.00,0,,K1,\n2017-11-20,SELL,KO,100,44.00,0,,,loss sale\n';
  const acct = await request.post('/api/v1/accounts', { headers, data: { name: account } });
  expect(acct.status(), await acct.text()).toBe(201);
  const accountId = (await acct.json()).id as number;
  const imported = await request.post(`/api/v1/accounts/${accountId}/transactions`, { headers, data: { csv } });
  expect(imported.status(), await imported.text()).toBe(200);
  const created = await request.post('/api/v1/portfolios', { headers, data: { name: book } });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id as number;
  const positions = await request.post(`/api/v1/portfolios/${id}/positions`, {
    headers: { ...headers, 'Content-Type': 'text/csv' },
    data: 'symbol,quantity\nAAPL,40\nMSFT,50\nJNJ,40\nXOM,30\n',
  });
  expect(positions.status(), await positions.text()).toBe(200);
  try {
    await signIn(page, 'manager');
    await page.goto(`/portfolios/${encodeURIComponent(book)}/rebalance?target=csv`);
    const target = 'symbol,weight\nMSFT,0.4\nJNJ,0.4\nKO,0.2\n';
    await page.getByLabel(/Target weights \(CSV/).fill(target);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Rebalance ${book}`);
    await page.getByLabel('Ledger account (tax lots)').selectOption(account);
    await page.getByLabel('Tax-aware').check();
    await expect(page).toHaveURL(/tax_aware=true/);
    await page.getByRole('button', { name: 'Plan the trades' }).click();

    const plan = await post<Plan & {
      trades: (Trade & { lots: { lot_id: string; gain_amount: number }[] })[];
      realized_gain: { total_amount: number };
      wash_sales_avoided: { symbol: string; reason: string }[];
    }>(request, headers, `/api/v1/portfolios/${id}/rebalance`, {
      target_weights: { MSFT: 0.4, JNJ: 0.4, KO: 0.2 }, account, tax_aware: true,
    });
    const trades = page.getByRole('table', { name: 'Rebalance trades' });
    await expect(trades.locator('tbody tr[data-trade]')).toHaveCount(plan.trades.length);
    const sold = plan.trades.filter((tr) => tr.lots.length > 0);
    expect(sold.length).toBeGreaterThan(0);
    for (const tr of sold) {
      const lots = page.getByRole('table', { name: `Lots sold of ${tr.symbol}` });
      await expect(lots.locator('tbody tr')).toHaveCount(tr.lots.length);
      for (const l of tr.lots) {
        await expect(lots.locator(`tr[data-lot="${l.lot_id}"] [data-field=gain]`)).toHaveText(
          new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(l.gain_amount));
      }
    }
    await expect(page.getByTestId('realized').locator('[data-kpi=total] .kpi-value')).toHaveText(
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', currencyDisplay: 'code', maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(plan.realized_gain.total_amount));
    expect(plan.wash_sales_avoided.map((w) => w.symbol)).toContain('KO');
    const wash = page.getByRole('table', { name: 'Wash sales avoided' });
    await expect(wash.locator('tr[data-wash=KO]')).toContainText(plan.wash_sales_avoided.find((w) => w.symbol === 'KO')!.reason);
    await expect(trades.locator('tr[data-trade=KO]')).toHaveCount(plan.trades.some((tr) => tr.symbol === 'KO') ? 1 : 0);
    await expect(page.locator('b', { hasText: 'bold' })).toHaveCount(0);
    await axe(page, 'rebalance tax-aware');
    await trades.scrollIntoViewIfNeeded();
    await shot(page, 'rebalance-tax');
  } finally {
    // The server closes a connection idle for 5 s: a request on it as it closes is tried again.
    for (const path of [`/api/v1/portfolios/${id}`, `/api/v1/accounts/${accountId}`]) {
      await request.delete(path, { headers }).catch(() => request.delete(path, { headers }));
    }
  }
});
