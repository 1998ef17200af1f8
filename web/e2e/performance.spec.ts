// The dashboard's history tab: the portfolio's performance over its batch snapshots (GET
// …/performance). A book of its own (the balanced example) has no snapshot yet: the tab says the
// history needs two daily snapshots, without an error. The batch then records it at four dates
// through the API (Tuesday to Thursday, then Monday: the Friday between is a gap the API warns of),
// with a trade before the third, so that the day's flow is not zero; the tab's figures are the API's
// for the same request, formatted. A benchmark from the store's prices (AAPL) adds the comparison,
// and one the store does not price shows its error while the portfolio's own figures stay.
// The book's name is new on every run (a retry on the same server starts with no snapshot) and it is
// deleted at the end.
import { test, expect, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axe, batchSnapshot, inCurrency, signIn, token } from './helpers';

const pct = (x: number) => new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
const num = (x: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);

const BOOK = `perf-${Date.now()}`;
const B = `/api/v1/portfolios/${BOOK}`;
const DATES = ['2017-11-28', '2017-11-29', '2017-11-30', '2017-12-04'];
const balanced = readFileSync('../examples/portfolios/balanced.csv', 'utf8');

type Headers = Record<string, string>;
type Drawdown = { depth: number; peak: string | null; trough: string | null };
type Perf = {
  twr: number; cagr: number; volatility: number; sharpe: number; sortino: number; calmar: number;
  pnl_amount: number; flows_amount: number; currency: string; gaps: number; warnings: string[]; max_drawdown: Drawdown;
  benchmark?: { benchmark_return: number; excess_return: number; tracking_error: number; information_ratio: number; beta: number; alpha: number };
};

async function importPositions(request: APIRequestContext, headers: Headers, csv: string) {
  const r = await request.post(`${B}/positions`, { headers: { ...headers, 'Content-Type': 'text/csv' }, data: csv });
  expect(r.status(), await r.text()).toBe(200);
}


async function performance(request: APIRequestContext, headers: Headers, benchmark?: string): Promise<Perf> {
  const r = await request.get(`${B}/performance`, { headers, params: benchmark ? { series: 'true', benchmark } : { series: 'true' } });
  expect(r.status(), await r.text()).toBe(200);
  return (await r.json()) as Perf;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const created = await request.post('/api/v1/portfolios', { headers, data: { name: BOOK } });
  expect(created.status(), await created.text()).toBe(201);
  await importPositions(request, headers, balanced);
});

test.afterAll(async ({ request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const deleted = await request.delete(B, { headers });
  expect(deleted.ok(), await deleted.text()).toBe(true);
});

test('no snapshots yet: the history tab says two daily snapshots are needed, without an error', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const r = await request.get(`${B}/performance`, { headers });
  expect(r.status()).toBe(400);
  await signIn(page, 'analyst');
  await page.goto(`/portfolios/${BOOK}?tab=history`);
  const panel = page.getByTestId('performance');
  await expect(panel.getByTestId('perf-too-few')).toContainText('at least two daily snapshots');
  await expect(panel.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('tabpanel')).toContainText('No snapshots yet');
});

test('four snapshots: the performance is the API\'s; a benchmark adds the comparison, an unknown one its error', async ({ page, request }) => {
  const manager = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  await batchSnapshot(request, headers, BOOK, DATES[0]!);
  await batchSnapshot(request, headers, BOOK, DATES[1]!);
  // A trade before the third day: 40 more MSFT, the day's flow.
  await importPositions(request, manager, balanced.trimEnd() + '\nMSFT,40,84.00,2017-11-30,core\n');
  await batchSnapshot(request, headers, BOOK, DATES[2]!);
  await batchSnapshot(request, headers, BOOK, DATES[3]!);
  const p = await performance(request, headers);
  expect(p.gaps).toBe(1);
  expect(Math.abs(p.flows_amount)).toBeGreaterThan(1000);

  await signIn(page, 'analyst');
  await page.goto(`/portfolios/${BOOK}?tab=history`);
  const panel = page.getByTestId('performance');
  const kpi = (id: string) => panel.locator(`[data-kpi="${id}"] .kpi-value`);
  await expect(kpi('perf-twr')).toHaveText(pct(p.twr), { timeout: 30_000 });
  await expect(kpi('perf-cagr')).toHaveText(pct(p.cagr));
  await expect(kpi('perf-volatility')).toHaveText(pct(p.volatility));
  await expect(kpi('perf-sharpe')).toHaveText(num(p.sharpe));
  await expect(kpi('perf-sortino')).toHaveText(num(p.sortino));
  await expect(kpi('perf-max-drawdown')).toContainText(pct(p.max_drawdown.depth));
  await expect(kpi('perf-max-drawdown').locator('[data-field=dates]')).toHaveText(`${p.max_drawdown.peak} → ${p.max_drawdown.trough}`);
  await expect(kpi('perf-pnl')).toHaveText(inCurrency('en-US', p.currency, p.pnl_amount));
  await expect(kpi('perf-flows')).toHaveText(inCurrency('en-US', p.currency, p.flows_amount));
  await expect(panel.getByTestId('perf-range')).toContainText(`From ${DATES[0]} to ${DATES[3]}: 4 snapshots`);
  // The gap's warning, as the API words it, as text.
  expect(p.warnings.length).toBeGreaterThan(0);
  for (const w of p.warnings) await expect(panel.getByRole('list', { name: 'Notes on the performance' })).toContainText(w);
  await expect(panel.locator('[data-testid=perf-chart] canvas')).toBeVisible();
  await expect(panel.getByTestId('perf-benchmark')).toHaveCount(0);
  // The snapshots' chart and table stay below.
  await expect(page.getByRole('table', { name: 'Snapshots' }).locator('tbody tr')).toHaveCount(DATES.length);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await axe(page, 'history with performance');

  // A benchmark of the store's prices: its comparison, the API's for the same request.
  const b = (await performance(request, headers, 'AAPL')).benchmark!;
  await panel.getByRole('textbox', { name: 'Benchmark' }).fill('AAPL');
  await panel.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(/benchmark=AAPL/);
  const compared = panel.getByTestId('perf-benchmark');
  await expect(compared.getByRole('heading', { name: 'Against AAPL' })).toBeVisible({ timeout: 30_000 });
  await expect(kpi('perf-bm-return')).toHaveText(pct(b.benchmark_return));
  await expect(kpi('perf-bm-excess')).toHaveText(pct(b.excess_return));
  await expect(kpi('perf-bm-tracking')).toHaveText(pct(b.tracking_error));
  await expect(kpi('perf-bm-ir')).toHaveText(num(b.information_ratio));
  await expect(kpi('perf-bm-beta')).toHaveText(num(b.beta));
  await expect(kpi('perf-bm-alpha')).toHaveText(pct(b.alpha));
  await expect(kpi('perf-twr')).toHaveText(pct(p.twr));
  await axe(page, 'history with a benchmark');

  // A benchmark the store does not price: the API's error, and the portfolio's figures all the same.
  const refused = await request.get(`${B}/performance`, { headers, params: { benchmark: 'NOPE' } });
  expect(refused.status()).toBe(400);
  const message = ((await refused.json()) as { error: { message: string } }).error.message;
  await panel.getByRole('textbox', { name: 'Benchmark' }).fill('NOPE');
  await panel.getByRole('button', { name: 'Compare' }).click();
  await expect(panel.getByTestId('perf-benchmark-failed').getByRole('alert')).toContainText(message, { timeout: 30_000 });
  await expect(compared).toHaveCount(0);
  await expect(kpi('perf-twr')).toHaveText(pct(p.twr));
  await expect(panel.locator('[data-testid=perf-chart] canvas')).toBeVisible();

  // Removed, the comparison leaves the URL and the page.
  await panel.getByRole('button', { name: 'Remove the benchmark' }).click();
  await expect(page).not.toHaveURL(/benchmark=/);
  await expect(panel.getByTestId('perf-benchmark-failed')).toHaveCount(0);
  await expect(panel.getByRole('textbox', { name: 'Benchmark' })).toHaveValue('');
});
