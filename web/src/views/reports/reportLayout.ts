// The report's layout in the page, as report.md lays it out (src/service/report_markdown.cpp and
// report_charts.cpp): the sections in document order, the fields each one shows in its sentences,
// tables and charts, and the small reshaping those need (the stress scenarios' direct and
// correlated results side by side, the ten largest VaR contributors, the P&L distribution's bins,
// the last snapshots). Every figure is the API's; what a section holds beyond the fields laid out
// here (a field the server adds later) is listed by extraFields(), so the page shows it all the same.
import type { Report } from '../../api/types';
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

// The fields of each section that the page lays out by hand (status and reason always are).
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
  exposures: [
    'gross_amount', 'net_amount', 'long_amount', 'short_amount', 'delta_adjusted_gross_amount', 'delta_adjusted_net_amount',
    'by_sector', 'by_type',
  ],
  positions: ['rows'],
  greeks: [
    'options_count', 'dollar_delta_amount', 'dollar_gamma_1pct_amount', 'vega_per_point_amount', 'theta_per_day_amount',
    'rho_per_point_amount', 'options',
  ],
  factors: ['factor_source', 'window_days', 'first_date', 'last_date', 'alpha_annual', 'r2', 'residual_vol_annual', 'betas'],
  var: [
    'window_days', 'confidence', 'horizon_days', 'volatility_amount', 'methods', 'backtest_zone', 'backtest_plus_factor',
    'backtest_exceptions', 'backtest_observations', 'kupiec_p_value', 'christoffersen_p_value', 'backtest_reason', 'contributions',
    'pnl_distribution_amount', 'historical_var_amount',
  ],
  stress: ['scenarios_count', 'worst_scenario', 'worst_pnl_amount', 'worst_pnl_pct', 'scenarios'],
  attribution: [
    'start_date', 'end_date', 'days', 'pnl_amount', 'factor_amount', 'risk_free_amount', 'alpha_amount', 'residual_amount',
    'window_days', 'factor_source', 'factors', 'positions', 'market_value_amount', 'excluded',
  ],
  correlation: [
    'average_pairwise', 'symbols_count', 'window_days', 'position_average_pairwise', 'positions_count', 'diversification_ratio',
    'effective_bets', 'highest_pairs', 'lowest_pairs',
  ],
  concentration: ['hhi', 'effective_positions', 'top1_weight', 'top5_weight', 'top10_weight', 'largest', 'by_sector'],
  history: ['points'],
  data_quality: ['symbols_checked', 'gaps_count', 'stale_count', 'outliers_count', 'missing_count', 'issues'],
};

// A VaR method's own figures (var.historical_var_amount …): the methods table shows them when the
// method is one of its rows.
const METHOD_FIELDS: Record<string, readonly string[]> = {
  historical: ['historical_var_amount', 'historical_es_amount'],
  parametric: ['parametric_var_amount', 'parametric_es_amount'],
  montecarlo: ['monte_carlo_var_amount', 'monte_carlo_es_amount'],
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// The fields of a section the page does not lay out (in the API's order), for the generic table
// under it; empty lists and absent fields are left out.
export function extraFields(id: string, section: unknown): [string, unknown][] {
  if (!isObj(section)) return [];
  const shown = new Set<string>(['status', 'reason', ...(LAID_OUT[id] ?? [])]);
  if (id === 'var' && Array.isArray(section.methods)) {
    for (const m of section.methods) if (isObj(m) && typeof m.method === 'string') for (const f of METHOD_FIELDS[m.method] ?? []) shown.add(f);
  }
  return Object.entries(section).filter(([k, v]) => !shown.has(k) && v !== undefined && !(Array.isArray(v) && v.length === 0));
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

// --- stress -------------------------------------------------------------------------------------

export interface StressResultOf {
  pnl_amount: number | null;
  pnl_pct: number | null;
}
export interface StressRow {
  name: string;
  description: string;
  kind?: string;
  direct?: StressResultOf;
  correlated?: StressResultOf;
}

// One row per scenario, in the order the scenarios first appear, its direct and correlated results
// side by side (a method not run stays undefined): report.md's stress table.
export function stressRows(scenarios: readonly { name: string; description: string; kind?: string; method: string; pnl_amount: number | null; pnl_pct: number | null }[]): StressRow[] {
  const rows = new Map<string, StressRow>();
  for (const s of scenarios) {
    let row = rows.get(s.name);
    if (!row) rows.set(s.name, (row = { name: s.name, description: s.description, kind: s.kind }));
    const result = { pnl_amount: s.pnl_amount, pnl_pct: s.pnl_pct };
    if (s.method === 'correlated') row.correlated = result;
    else row.direct = result;
  }
  return [...rows.values()];
}

// --- VaR ----------------------------------------------------------------------------------------

// The `n` largest component VaRs, largest first; a contributor without a figure sorts last, ties
// keep the API's order (report.md's "Top contributor" table).
export function topContributors<T extends { component_var_amount: number | null }>(rows: readonly T[], n = 10): T[] {
  const key = (r: T) => finite(r.component_var_amount) ?? -Infinity;
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => key(b.r) - key(a.r) || a.i - b.i)
    .slice(0, n)
    .map((x) => x.r);
}

// The number of bins of a P&L distribution of `count` values: √count rounded up, within [5, 40]
// (keel::report::pnl_histogram_bins, the bins of report.md's chart).
export function pnlBinCount(count: number): number {
  return Math.min(40, Math.max(5, Math.ceil(Math.sqrt(count))));
}

export interface Bin {
  from: number;
  to: number;
  count: number;
  beyond: boolean; // its middle lies left of the marker (a loss beyond VaR)
}

// The P&L distribution's histogram as report.md draws it: equal bins from the smallest to the
// largest value (widened to take the marker, -VaR), the values without a figure left out; the last
// bin takes its upper edge. Empty when there is no value.
export function pnlHistogram(values: readonly (number | null)[], marker?: number): { bins: Bin[]; lo: number; hi: number } {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return { bins: [], lo: 0, hi: 0 };
  let lo = Math.min(...xs);
  let hi = Math.max(...xs);
  const m = finite(marker);
  if (m !== undefined) {
    lo = Math.min(lo, m);
    hi = Math.max(hi, m);
  }
  if (hi === lo) hi = lo + 1;
  const n = pnlBinCount(xs.length);
  const width = (hi - lo) / n;
  const bins: Bin[] = Array.from({ length: n }, (_, b) => {
    const from = lo + b * width;
    const to = b === n - 1 ? hi : lo + (b + 1) * width;
    return { from, to, count: 0, beyond: m !== undefined && (from + to) / 2 < m };
  });
  for (const v of xs) bins[Math.min(n - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * n)))]!.count++;
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
