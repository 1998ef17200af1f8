// Portfolio construction in the browser: the optimize view of the balanced book (its weights, figures
// and frontier against the API's, an infeasible problem with the API's message), and a rebalance of
// the optimum and of a pasted target CSV into a what-if session holding its trades.
import { test, expect, type APIRequestContext } from '@playwright/test';
import { axe, shot, signIn, token } from './helpers';

const pct = (x: number) => new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
const qty = (x: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(x);

type Weights = Record<string, number>;
async function post<T>(request: APIRequestContext, auth: Record<string, string>, path: string, data: unknown): Promise<T> {
  const r = await request.post(path, { headers: auth, data });
  expect(r.status(), await r.text()).toBe(200);
  return (await r.json()) as T;
}

test('analyst: optimize the balanced book; the page shows the API\'s weights, frontier and an infeasible problem', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  await signIn(page, 'analyst');
  await page.goto('/portfolios/balanced');
  await page.getByRole('button', { name: 'Optimize', exact: true }).click();
  await expect(page).toHaveURL(/\/portfolios\/balanced\/optimize\?long_only=true$/);
  await page.getByLabel('Maximum weight').fill('0.2');
  await page.getByLabel('Maximum weight').blur();
  await expect(page).toHaveURL(/max_weight=0.2/);

  const o = await post<{ weights: Weights; current_weights: Weights; risk_contributions: Weights; expected_return: number; volatility: number; status: string; solver: { name: string }; binding_constraints: string[] }>(
    request, auth, '/api/v1/portfolios/balanced/optimize', { long_only: true, max_weight: 0.2 });
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
  const f = await post<{ points: { status: string }[] }>(request, auth, '/api/v1/portfolios/balanced/optimize/frontier', { long_only: true, max_weight: 0.2 });
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
  await page.goto('/portfolios/balanced/optimize?objective=risk-parity&max_weight=0.05');
  await expect(page.getByLabel('Maximum weight')).toHaveCount(0);
  const rp = await post<{ weights: Weights }>(request, auth, '/api/v1/portfolios/balanced/optimize', { objective: 'risk-parity' });
  await expect(page.locator('tr[data-symbol=KO] [data-field=target]')).toHaveText(pct(rp.weights.KO!));
});

type Trade = { symbol: string; side: string; quantity: number; price: number };
type Plan = { trades: Trade[]; cash_after_amount: number; warnings: string[] };

test('manager: rebalance the optimum, then a pasted target, into a what-if session', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'manager')}` };
  await signIn(page, 'manager');
  await page.goto('/portfolios/balanced/optimize?long_only=true&max_weight=0.2');
  await page.getByRole('button', { name: 'Rebalance to these weights' }).click();
  await expect(page).toHaveURL(/\/portfolios\/balanced\/rebalance\?.*target=optimize/);
  await expect(page.getByTestId('target-optimize')).toContainText('minimum variance');
  await page.getByLabel('Minimum trade').fill('500');
  await page.getByLabel('Minimum trade').blur();
  await page.getByLabel('Cost (bp)').fill('5');
  await page.getByLabel('Cost (bp)').blur();
  await page.getByRole('button', { name: 'Plan the trades' }).click();

  const o = await post<{ weights: Weights }>(request, auth, '/api/v1/portfolios/balanced/optimize', { long_only: true, max_weight: 0.2 });
  const plan = await post<Plan>(request, auth, '/api/v1/portfolios/balanced/rebalance', { target_weights: o.weights, min_trade_amount: 500, cost_bp: 5 });
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
  await expect(page).toHaveURL(/\/portfolios\/balanced\/whatif\?session=\d+/);
  const session = page.getByRole('table', { name: 'Session trades' });
  await expect(session.locator('tbody tr')).toHaveCount(plan.trades.filter((tr) => tr.quantity !== 0).length);
  const first = plan.trades[0]!;
  await expect(session).toContainText(qty(first.side === 'sell' ? -first.quantity : first.quantity));
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(page.locator('tr[data-metric=gross] [data-field=after]')).toBeVisible({ timeout: 30_000 });

  // A pasted target: half AAPL, half MSFT; everything else is sold.
  await page.goto('/portfolios/balanced/rebalance?target=csv');
  await page.getByLabel(/Target weights \(CSV/).fill('symbol,weight\nAAPL,0.5\nmsft,0.5\n');
  await expect(page.getByTestId('target-sum')).toHaveText('2 symbols, weights summing to 100.00%.');
  await page.getByRole('button', { name: 'Plan the trades' }).click();
  const csvPlan = await post<Plan>(request, auth, '/api/v1/portfolios/balanced/rebalance', { target_weights: { AAPL: 0.5, MSFT: 0.5 } });
  await expect(trades.locator('tbody tr[data-trade]')).toHaveCount(csvPlan.trades.length);
  await expect(trades.locator('tr[data-trade=KO]')).toHaveAttribute('data-side', 'sell');
  // A bad line is named before anything is sent.
  await page.getByLabel(/Target weights \(CSV/).fill('symbol,weight\nAAPL,half\n');
  await expect(page.getByTestId('target-problems')).toHaveText('line 2: AAPL: the weight must be a number, got "half"');
  await expect(page.getByRole('button', { name: 'Plan the trades' })).toBeDisabled();
});
