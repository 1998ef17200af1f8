// The report's layout in the page, as report.md lays it out (src/service/report_markdown.cpp and
// report_charts.cpp): the sections in document order, the fields each one shows in its sentences,
// tables and charts, and the small figures the page derives from them as report.md does (keel.report/2
// embeds each analysis' API result as the API returns it, without report-specific restatements):
// a group's weight of the book's gross, the Greeks' totals over the options, the factor table from
// the factor names and the portfolio's maps, the worst stress scenario, the stress scenarios' direct
// and correlated results side by side, the ten largest VaR contributors, the historical P&L
// histogram's bins, the last snapshots. Every figure is the API's; what a section holds beyond the
// fields laid out here (a field the server adds later) is listed by extraFields(), so the page
// shows it all the same.
import type {
  ExposureGroup,
  GreeksPosition,
  PnlHistogram,
  Report,
  ReportAttribution,
  ReportFactors,
  ReportStress,
  ReportVar,
  StressScenarioResult,
  VarMethodResult,
} from '../../api/types';
import type { PlainKey } from '../../app/i18n';

// The report's sections in report.md's order, each with its heading: provenance closes the title
// block (no heading of its own), positions is the "Positions" part of "Positions and exposures",
// attribution is there only when the report was asked for it, and the run steps come last.
export const SECTIONS: [keyof Report, PlainKey][] = [
  ['provenance', 'report.s.provenance'],
  ['summary', 'report.s.summary'],
  ['exposures', 'report.s.exposures'],
  ['positions', 'report.s.positions'],
  ['greeks', 'report.s.greeks'],
  ['factors', 'report.s.factors'],
  ['var', 'report.s.var'],
  ['stress', 'report.s.stress'],
  ['attribution', 'report.s.attribution'],
  ['correlation', 'report.s.correlation'],
  ['concentration', 'report.s.concentration'],
  ['history', 'report.s.history'],
  ['data_quality', 'report.s.data_quality'],
  ['steps', 'report.steps'],
];

// The report's own fields besides its sections (the title block's).
export const HEADER_FIELDS: readonly string[] = ['schema', 'portfolio', 'as_of', 'generated_at', 'keel_version'];

// The fields of each section that the page lays out by hand (status and reason always are). A
// dotted path is a field of a nested object: the object's other fields are listed all the same.
export const LAID_OUT: Record<string, readonly string[]> = {
  provenance: [
    'prices_source', 'prices_first_date', 'prices_last_date', 'price_symbols', 'factor_source', 'factor_last_date', 'rate',
    'rate_source', 'sectors_source', 'window_days', 'confidence', 'horizon_days',
  ],
  summary: [
    'currency', 'positions_count', 'net_value_amount', 'gross_value_amount', 'long_value_amount', 'short_value_amount',
    'pnl_1d_amount', 'pnl_1d_pct', 'var_method', 'var_amount', 'var_pct', 'es_amount', 'confidence', 'backtest_zone', 'beta_mkt',
    'worst_stress_scenario', 'worst_stress_pnl_amount', 'largest_position_symbol', 'largest_position_weight', 'data_warnings_count',
  ],
  // `by` is the "By sector" heading; each valued position's figures are the positions table's.
  exposures: ['by', 'gross', 'net', 'long', 'short', 'delta_adjusted.gross', 'delta_adjusted.net', 'groups', 'by_type', 'positions'],
  positions: ['rows'],
  // The positions: the options' table and the totals over them (a stock's Greeks are its delta of 1).
  greeks: ['positions'],
  factors: [
    'factor_source', 'window', 'first_date', 'last_date', 'factors', 'portfolio.alpha', 'portfolio.r2', 'portfolio.betas',
    'portfolio.exposures', 'portfolio.regression.t_stats', 'portfolio.regression.residual_vol',
  ],
  var: [
    'window', 'results', 'contributions', 'backtest.status', 'backtest.reason', 'backtest.zone', 'backtest.plus_factor',
    'backtest.exceptions', 'backtest.observations', 'backtest.kupiec.p_value', 'backtest.christoffersen.p_value',
  ],
  stress: ['scenarios'],
  attribution: [
    'start_date', 'end_date', 'days', 'window', 'factor_source', 'factors', 'factor_returns', 'positions', 'excluded',
    'book.market_value', 'book.pnl_amount', 'book.factor_amount', 'book.risk_free_amount', 'book.alpha_amount',
    'book.residual_amount', 'book.factors',
  ],
  correlation: [
    'average_pairwise', 'symbols', 'window', 'average_pairwise_correlation', 'correlated_positions', 'diversification_ratio',
    'effective_number_of_bets', 'highest_pairs', 'lowest_pairs',
  ],
  concentration: ['hhi', 'effective_positions', 'top1_weight', 'top5_weight', 'top10_weight', 'largest', 'by_sector'],
  history: ['points'],
  data_quality: ['symbols_checked', 'gaps_count', 'stale_count', 'outliers_count', 'missing_count', 'issues'],
};

// What the report's title block says (the as-of date, the portfolio, the reporting currency): an
// embedded result repeats it, and the page leaves out a repetition that says the same.
export interface TitleBlock {
  as_of?: string;
  portfolio?: string;
  currency?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object';

// A field that repeats the title block (portfolio_id: the stored portfolio's number, which the
// page's address names).
function echoes(key: string, value: unknown, title: TitleBlock | undefined): boolean {
  if (key === 'portfolio_id') return true;
  if (!title) return false;
  if (key === 'as_of') return value === title.as_of;
  if (key === 'portfolio' || key === 'portfolio_name') return value === title.portfolio;
  if (key === 'currency') return value === title.currency;
  return false;
}

// The fields of `obj` not laid out (`paths`, relative to it), empty lists, absent fields and
// repetitions of the title block left out; a nested object laid out in part keeps the rest of it.
function remainder(obj: Obj, paths: readonly string[], title: TitleBlock | undefined): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (paths.includes(k) || v === undefined || (Array.isArray(v) && v.length === 0) || echoes(k, v, title)) continue;
    const inner = paths.filter((p) => p.startsWith(`${k}.`)).map((p) => p.slice(k.length + 1));
    if (inner.length > 0 && isObj(v)) {
      const rest = remainder(v, inner, title);
      if (rest.length > 0) out.push([k, Object.fromEntries(rest)]);
    } else out.push([k, v]);
  }
  return out;
}

// The fields of a section the page does not lay out (in the API's order), for the generic table
// under it: a nested object of figures (exposures' notional) gives one entry per figure, keyed by
// its path (notional.gross); deeper objects stay whole.
export function extraFields(id: string, section: unknown, title?: TitleBlock): [string, unknown][] {
  if (!isObj(section)) return [];
  const out: [string, unknown][] = [];
  for (const [k, v] of remainder(section, ['status', 'reason', ...(LAID_OUT[id] ?? [])], title)) {
    if (isObj(v) && Object.values(v).every(isScalar)) for (const [sub, x] of Object.entries(v)) out.push([`${k}.${sub}`, x]);
    else out.push([k, v]);
  }
  return out;
}

// The fields of an embedded result that are amounts in the reporting currency although their names
// do not end in _amount (the API results name them plainly: gross, dollar_delta, book_value …), by
// the last part of their path.
const AMOUNTS = new Set([
  'gross', 'net', 'long', 'short', 'value', 'book_value', 'market_value', 'end_value', 'exposure', 'weight_base', 'hedged',
  'dollar_delta', 'dollar_gamma_1pct', 'vega_per_point', 'theta_per_day',
]);
export function isAmount(key: string): boolean {
  const last = key.slice(key.lastIndexOf('.') + 1);
  return last.endsWith('_amount') || AMOUNTS.has(last);
}

// The report's top-level fields that are neither the title block's nor a known section: a section
// the server adds later, shown generically under its own name.
export function unknownSections(report: object): string[] {
  const known = new Set<string>([...HEADER_FIELDS, ...SECTIONS.map(([k]) => k as string)]);
  return Object.keys(report).filter((k) => !known.has(k));
}

export const isOk = (section: { status?: string } | null | undefined): boolean => section?.status === 'ok';

// A finite number, or undefined (the API writes a figure it could not compute as null).
export const finite = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

// The sum of the figures, null when one of them is missing (report.md's sum is then n/a).
function total(xs: readonly (number | null | undefined)[]): number | null {
  let s = 0;
  for (const x of xs) {
    const v = finite(x);
    if (v === undefined) return null;
    s += v;
  }
  return s;
}

// --- exposures ----------------------------------------------------------------------------------

// A group's weight: its gross over the book's gross (0 for a book of no gross, as report.md has it).
export function groupWeight(group: Pick<ExposureGroup, 'gross'>, bookGross: number | null | undefined): number | undefined {
  const g = finite(group.gross);
  const b = finite(bookGross);
  if (g === undefined || b === undefined) return undefined;
  return b === 0 ? 0 : g / b;
}

// --- Greeks -------------------------------------------------------------------------------------

export interface OptionTotals {
  options: number;
  dollar_delta: number | null;
  dollar_gamma_1pct: number | null;
  vega_per_point: number | null;
  theta_per_day: number | null;
  rho_per_point: number | null; // P&L of a one-point (0.01) rise of the rate
}

// The option positions of a Greeks result (every position is listed, stocks too).
export const optionPositions = (positions: readonly GreeksPosition[] | undefined): GreeksPosition[] => (positions ?? []).filter((p) => p.type === 'option');

// report.md's Greek totals: sums over the options of each position's figures.
export function optionTotals(options: readonly GreeksPosition[]): OptionTotals {
  return {
    options: options.length,
    dollar_delta: total(options.map((p) => p.dollar_delta)),
    dollar_gamma_1pct: total(options.map((p) => p.dollar_gamma_1pct)),
    vega_per_point: total(options.map((p) => p.vega_per_point)),
    theta_per_day: total(options.map((p) => p.theta_per_day)),
    rho_per_point: total(options.map((p) => p.rho_per_point)),
  };
}

// --- factors ------------------------------------------------------------------------------------

export interface FactorRow {
  factor: string;
  beta: number | null;
  t_stat: number | null;
  exposure: number | null;
}

// One row per factor in the result's order: the book's beta, its t-statistic and its exposure.
export function factorRows(f: ReportFactors): FactorRow[] {
  const p = f.portfolio;
  const at = (m: Record<string, number | null> | undefined, k: string) => m?.[k] ?? null;
  return (f.factors ?? []).map((factor) => ({
    factor,
    beta: at(p?.betas, factor),
    t_stat: at(p?.regression?.t_stats, factor),
    exposure: at(p?.exposures, factor),
  }));
}

// --- attribution --------------------------------------------------------------------------------

export interface AttributionFactorRow {
  factor: string;
  return: number | null;
  amount: number | null;
}

// One row per factor: its return over the period and the book's P&L from it.
export function attributionFactorRows(a: ReportAttribution): AttributionFactorRow[] {
  return (a.factors ?? []).map((factor) => ({ factor, return: a.factor_returns?.[factor] ?? null, amount: a.book?.factors?.[factor] ?? null }));
}

// --- stress -------------------------------------------------------------------------------------

export interface StressResultOf {
  pnl: number | null;
  pnl_pct: number | null;
}
export interface StressRow {
  name: string;
  label: string;
  kind?: string;
  direct?: StressResultOf;
  correlated?: StressResultOf;
}

type ScenarioEntry = Pick<StressScenarioResult, 'name' | 'label' | 'kind' | 'method' | 'pnl' | 'pnl_pct'>;

// One row per scenario, in the order the scenarios first appear, its direct and correlated results
// side by side (a method not run stays undefined): report.md's stress table.
export function stressRows(scenarios: readonly ScenarioEntry[]): StressRow[] {
  const rows = new Map<string, StressRow>();
  for (const s of scenarios) {
    let row = rows.get(s.name);
    if (!row) rows.set(s.name, (row = { name: s.name, label: s.label, kind: s.kind }));
    const result = { pnl: s.pnl, pnl_pct: s.pnl_pct };
    if (s.method === 'correlated') row.correlated = result;
    else row.direct = result;
  }
  return [...rows.values()];
}

// The worst scenario: the entry (scenario and method) of the lowest P&L, the first of equals;
// undefined when no entry has a P&L.
export function worstScenario<T extends Pick<StressScenarioResult, 'pnl'>>(scenarios: readonly T[] | undefined): T | undefined {
  let worst: T | undefined;
  for (const s of scenarios ?? []) {
    const p = finite(s.pnl);
    if (p !== undefined && (worst === undefined || p < worst.pnl!)) worst = s;
  }
  return worst;
}

// A scenario's label in the report (the server's words for a scenario of the user's own file).
export const scenarioLabel = (stress: ReportStress | undefined, name: string): string | undefined => stress?.scenarios?.find((s) => s.name === name)?.label;

// --- VaR ----------------------------------------------------------------------------------------

// A method's result (parametric, historical, montecarlo), when it ran.
export const varMethod = (v: ReportVar, method: string): VarMethodResult | undefined => v.results?.find((m) => m.method === method);

// The `n` largest component VaRs, largest first; a contributor without a figure sorts last, ties
// keep the API's order (report.md's "Top contributor" table).
export function topContributors<T extends { component_var: number | null }>(rows: readonly T[], n = 10): T[] {
  const key = (r: T) => finite(r.component_var) ?? -Infinity;
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => key(b.r) - key(a.r) || a.i - b.i)
    .slice(0, n)
    .map((x) => x.r);
}

export interface Bin {
  from: number;
  to: number;
  count: number;
  beyond: boolean; // its middle lies left of the marker (a loss beyond VaR)
}

// The P&L histogram as report.md draws it: the API's bins (edges ascending, one more than the
// counts), the axis widened to take the marker (-VaR), a bin beyond it when its middle is left of
// it. Empty when the histogram is missing or its edges do not fit its counts.
export function histogramBins(h: PnlHistogram | undefined, marker?: number): { bins: Bin[]; lo: number; hi: number } {
  const counts = h?.counts ?? [];
  const edges = (h?.edges ?? []).map(finite);
  if (counts.length === 0 || edges.length !== counts.length + 1 || edges.some((e) => e === undefined)) return { bins: [], lo: 0, hi: 0 };
  const m = finite(marker);
  const bins = counts.map((c, b) => {
    const from = edges[b]!;
    const to = edges[b + 1]!;
    return { from, to, count: finite(c) ?? 0, beyond: m !== undefined && (from + to) / 2 < m };
  });
  let lo = bins[0]!.from;
  let hi = bins[bins.length - 1]!.to;
  if (m !== undefined) {
    lo = Math.min(lo, m);
    hi = Math.max(hi, m);
  }
  return { bins, lo, hi };
}

// --- charts and history -------------------------------------------------------------------------

// A bar chart's height for `bars` bars: ~28 px each within [200, 1200] px (report.md's charts),
// fixed before the chart loads so that nothing moves when it does.
export function barChartHeight(bars: number): number {
  return Math.min(1200, Math.max(200, 80 + 28 * bars));
}

// The last `n` items (the snapshots report.md lists under its chart).
export function lastItems<T>(items: readonly T[], n = 10): T[] {
  return items.length > n ? items.slice(items.length - n) : [...items];
}

// The run steps' total time: the sum of the finite times (report.md's "total" row).
export function stepsTotal(steps: readonly { elapsed_ms: number | null }[]): number {
  return steps.reduce((s, x) => s + (finite(x.elapsed_ms) ?? 0), 0);
}

// ES as a fraction of the net value's size, as report.md's summary gives it (undefined without both).
export function shareOfNet(amount: number | null | undefined, net: number | null | undefined): number | undefined {
  const a = finite(amount);
  const n = finite(net);
  return a === undefined || n === undefined || n === 0 ? undefined : a / Math.abs(n);
}
