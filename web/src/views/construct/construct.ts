// Portfolio construction in the browser: which of `keel optimize`'s options an objective reads, the
// request bodies made from the URL, the weights before and after as rows, the frontier as chart
// points, target weights read from a CSV, and a rebalance's trades as what-if session trades. The
// figures are the API's; these only arrange them.
import type { FrontierPoint, OptimizeFrontierResult, SessionTradeInput } from '../../api/types';
import { enT, type Translate } from '../../app/i18n';
import { bodyFrom } from '../../components/ParamControls';

export const OPTIMIZE_SCHEMA = 'OptimizeRequest';
export const FRONTIER_SCHEMA = 'OptimizeFrontierRequest';
// The estimation inputs every objective and the frontier read.
export const INPUT_FIELDS = ['covariance', 'window', 'confidence', 'risk_free'] as const;
// The constraints; risk parity and HRP take none but long-only (their definitions fix the weights,
// and the API refuses bounds or a turnover limit for them).
export const CONSTRAINT_FIELDS = ['long_only', 'min_weight', 'max_weight', 'turnover'] as const;
const FIXED_WEIGHTS = new Set(['risk-parity', 'hrp']);

// The objective the URL names (the schema's default when it names none).
export const objectiveOf = (query: URLSearchParams): string => query.get('objective') || 'min-variance';

// The fields of the optimize request an objective reads, in the order the view shows them.
export function inputFields(objective: string, query: URLSearchParams): string[] {
  const f: string[] = ['objective'];
  if (objective === 'target-return') f.push('target_return');
  if (objective === 'target-volatility') f.push('target_volatility');
  f.push(...INPUT_FIELDS);
  if (query.get('covariance') === 'ewma') f.push('lambda');
  // Expected returns matter to the objectives that read a mean; the implied equilibrium takes the
  // investor's risk aversion (views come from a file, on the command line and in the API).
  if (READS_MEAN.has(objective)) {
    f.push('expected_returns');
    if (query.get('expected_returns') === 'equilibrium') f.push('risk_aversion');
  }
  if (objective === 'min-cvar') {
    f.push('scenarios');
    if (query.get('scenarios') === 'monte-carlo') f.push('paths', 'seed', 'distribution');
  }
  return f;
}
const READS_MEAN = new Set(['max-sharpe', 'target-return', 'target-volatility']);
// A limit on the number of names and a tracking error limit against a benchmark (a symbol held or
// any with prices) are solved for every objective but target volatility and the two whose
// definitions fix the weights.
const NAMES_LIMITED = new Set(['min-variance', 'target-return', 'max-sharpe', 'max-diversification', 'min-cvar']);
const LIMITS = ['max_names', 'benchmark', 'max_tracking_error'] as const;
export const constraintFields = (objective: string): string[] =>
  FIXED_WEIGHTS.has(objective)
    ? ['long_only']
    : [...CONSTRAINT_FIELDS, ...(NAMES_LIMITED.has(objective) ? LIMITS : [])];

// POST …/optimize's body from the URL: only the fields the objective reads.
export function optimizeBody(query: URLSearchParams): Record<string, unknown> {
  const objective = objectiveOf(query);
  return bodyFrom(OPTIMIZE_SCHEMA, [...inputFields(objective, query), ...constraintFields(objective)], query);
}

// POST …/optimize/frontier's body: the same inputs and constraints (the frontier has no objective;
// risk parity's and HRP's lack of bounds does not bind it), and the number of points.
export function frontierBody(query: URLSearchParams): Record<string, unknown> {
  const f = [...INPUT_FIELDS, 'expected_returns', 'risk_aversion', ...CONSTRAINT_FIELDS, ...LIMITS, 'points'];
  if (query.get('covariance') === 'ewma') f.push('lambda');
  const objective = objectiveOf(query);
  const body = bodyFrom(FRONTIER_SCHEMA, f, query);
  if (FIXED_WEIGHTS.has(objective)) for (const k of ['min_weight', 'max_weight', 'turnover', ...LIMITS]) delete body[k];
  return body;
}

// Whether an API error is an infeasible problem (its message says so; its details name the
// constraints in conflict).
export const isInfeasible = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && 'message' in e && /^infeasible\b/.test(String((e as { message: unknown }).message));

export interface WeightRow {
  symbol: string;
  current: number | null;
  target: number | null;
  change: number | null;
  contribution: number | null;
}

// One row per symbol of either side, in the API's (symbol) order; a symbol missing on one side is
// null there (and its change is the other side's weight).
// A figure the API could not compute comes as null.
type Weights = Record<string, number | null>;
const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export function weightRows(current: Weights, target: Weights, contributions: Weights = {}): WeightRow[] {
  const symbols = [...new Set([...Object.keys(current), ...Object.keys(target)])].sort();
  return symbols.map((symbol) => {
    const c = current[symbol] ?? null;
    const w = target[symbol] ?? null;
    return { symbol, current: c, target: w, change: (w ?? 0) - (c ?? 0), contribution: contributions[symbol] ?? null };
  });
}

// The before and after weights as horizontal bars, one row per symbol (an ECharts option).
export function beforeAfterBars(rows: WeightRow[], pct: (v: number) => string, before: string, after: string) {
  return {
    tooltip: { trigger: 'axis' },
    legend: {},
    grid: { left: 80, right: 20 },
    xAxis: { type: 'value', axisLabel: { formatter: pct } },
    yAxis: { type: 'category', data: rows.map((x) => x.symbol), inverse: true },
    series: [
      { name: before, type: 'bar', data: rows.map((x) => x.current) },
      { name: after, type: 'bar', data: rows.map((x) => x.target) },
    ],
  };
}

// The frontier as chart points [volatility, expected return]: the optimal ones (the line, in the
// API's order of increasing return), the book's own, and how many points the solver could not reach.
export function frontierPoints(f: OptimizeFrontierResult): { line: [number, number][]; infeasible: FrontierPoint[]; current: [number, number] | null } {
  const line: [number, number][] = [];
  for (const p of f.points) if (p.status === 'optimal' && finite(p.volatility) && finite(p.expected_return)) line.push([p.volatility, p.expected_return]);
  const c = f.current;
  return {
    line,
    infeasible: f.points.filter((p) => p.status !== 'optimal'),
    current: finite(c.volatility) && finite(c.expected_return) ? [c.volatility, c.expected_return] : null,
  };
}

// Target weights from a CSV `symbol,weight` (the file `keel rebalance --target` reads): a header
// naming both columns (in any order, other columns ignored), then one row per symbol. Symbols are
// upper-cased; blank lines are skipped. Problems name their line; the server decides all the same.
export interface TargetCsv {
  weights: Record<string, number>;
  problems: { line: number; message: string }[];
}
export function parseTargetCsv(text: string, t: Translate = enT): TargetCsv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out: TargetCsv = { weights: {}, problems: [] };
  const cells = (s: string) => s.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim());
  let header = -1;
  while (++header < lines.length && !lines[header]!.trim());
  if (header >= lines.length) {
    out.problems.push({ line: 1, message: t('construct.csv.empty') });
    return out;
  }
  const names = cells(lines[header]!).map((c) => c.toLowerCase());
  const si = names.indexOf('symbol');
  const wi = names.indexOf('weight');
  if (si < 0 || wi < 0) {
    out.problems.push({ line: header + 1, message: t('construct.csv.header') });
    return out;
  }
  for (let i = header + 1; i < lines.length; ++i) {
    if (!lines[i]!.trim()) continue;
    const row = cells(lines[i]!);
    const symbol = (row[si] ?? '').toUpperCase();
    const raw = row[wi] ?? '';
    const w = Number(raw);
    if (!symbol) out.problems.push({ line: i + 1, message: t('construct.csv.noSymbol') });
    else if (raw === '' || !Number.isFinite(w)) out.problems.push({ line: i + 1, message: t('construct.csv.notNumber', { symbol, value: raw }) });
    else if (symbol in out.weights) out.problems.push({ line: i + 1, message: t('construct.csv.twice', { symbol }) });
    else out.weights[symbol] = w;
  }
  if (!Object.keys(out.weights).length && !out.problems.length) out.problems.push({ line: header + 1, message: t('construct.csv.empty') });
  return out;
}

// Weights as the CSV parseTargetCsv reads (an optimize result, to edit before rebalancing).
export function targetCsv(weights: Weights): string {
  return 'symbol,weight\n' + Object.entries(weights).filter(([, w]) => finite(w)).map(([s, w]) => `${s},${w}`).join('\n') + '\n';
}

// The weights that are numbers (what a rebalance is asked for).
export const knownWeights = (w: Weights): Record<string, number> =>
  Object.fromEntries(Object.entries(w).filter((e): e is [string, number] => finite(e[1])));

// The sum of the weights (the rebalance target with the cash weight should come to 1).
export const weightSum = (w: Weights): number => Object.values(w).reduce<number>((a, b) => a + (finite(b) ? b : 0), 0);

// A rebalance trade as a what-if session trade: sells as negative quantities, at the price the
// rebalance used with the trade's cost folded in (a buy at (amount + cost) / quantity, a sell at
// (amount − cost) / quantity), so the session's cash moves as the plan's does, costs included,
// and its P&L against the close starts at minus the costs. A trade without a quantity is left out;
// one without a price is priced by the session (the close or the model), without its cost.
export interface PlannedTrade {
  symbol: string;
  side: string;
  quantity: number | null;
  price: number | null;
  cost_amount?: number | null;
}
export function sessionTrades(trades: readonly PlannedTrade[]): SessionTradeInput[] {
  const out: SessionTradeInput[] = [];
  for (const tr of trades) {
    if (!finite(tr.quantity) || tr.quantity === 0) continue;
    const q = Math.abs(tr.quantity);
    const sell = tr.side === 'sell';
    let price: number | null = finite(tr.price) ? tr.price : null;
    if (price !== null && finite(tr.cost_amount) && tr.cost_amount !== 0) price += (sell ? -tr.cost_amount : tr.cost_amount) / q;
    out.push({ symbol: tr.symbol, quantity: sell ? -q : q, ...(price !== null ? { price } : {}) });
  }
  return out;
}
