// The report's sentences in the session's language, as report.md writes them
// (src/service/report_markdown.cpp): the provenance line, the executive summary's paragraph and the
// line that leads each section. Amounts carry the report's currency (to the cent, as report.md
// has them), fractions are percentages, ids are words (labels.ts); a sentence whose figures are
// missing is left out, as report.md leaves it out.
import type { Report, ReportAttribution, ReportCorrelation, ReportFactors, ReportVar } from '../../api/types';
import type { Fmt } from '../../app/format';
import { choiceLabel, type Translate } from '../../app/i18n';
import { labelOf } from '../../app/labels';
import { finite, scenarioLabel, varMethod, worstScenario } from './reportLayout';

export interface Words {
  t: Translate;
  fmt: Fmt;
  currency: string;
}

const DASH = '–';

// An amount in the report's currency, to the cent.
export const money = (w: Words, x: number | null | undefined): string => w.fmt.money(x, w.currency, 2);
export const pct = (w: Words, x: number | null | undefined): string => w.fmt.pct(x, 2);
// A text the report may leave out (null): the dash.
export const text = (s: string | null | undefined): string => (s === null || s === undefined || s === '' ? DASH : s);
// A date as the locale writes it (the dash for none).
export const day = (w: Words, iso: string | null | undefined): string => w.fmt.date(iso ?? null);

type CountKey = 'report.n.symbols' | 'report.n.days' | 'report.n.positions' | 'report.n.scenarios' | 'report.n.exceptions' | 'report.n.observations' | 'report.n.gaps' | 'report.n.outliers';
// "252 days", "1 symbol": a count with its noun (the dash for none).
export function count(w: Words, key: CountKey, n: number | null | undefined): string {
  const x = finite(n);
  return x === undefined ? DASH : w.t(key, { count: x, n: w.fmt.num(x, 0) });
}

// A whole number without decimals, else up to four (report.md's quantities).
export function quantity(w: Words, x: number | null | undefined): string {
  const v = finite(x);
  if (v === undefined) return DASH;
  return new Intl.NumberFormat(w.fmt.locale, { maximumFractionDigits: Number.isInteger(v) ? 0 : 4 }).format(v);
}

// A stress scenario in words: the label table's, else its label in the report.
export function scenarioName(w: Words, report: Report, name: string | null | undefined): string {
  if (!name) return DASH;
  return labelOf(w.t, 'scenario', name, scenarioLabel(report.stress, name));
}

export function provenanceText(w: Words, p: Report['provenance']): string {
  return w.t('report.prov.text', {
    prices: text(p.prices_source),
    from: day(w, p.prices_first_date),
    to: day(w, p.prices_last_date),
    symbols: count(w, 'report.n.symbols', p.price_symbols),
    factors: text(p.factor_source),
    factorsTo: day(w, p.factor_last_date),
    rate: pct(w, p.rate),
    rateSource: text(p.rate_source),
    sectors: text(p.sectors_source),
    window: count(w, 'report.n.days', p.window_days),
    confidence: pct(w, p.confidence),
    horizon: count(w, 'report.n.days', p.horizon_days),
  });
}

// The summary's risk settings, "historical, 99.00%, 1 day": the method, and the provenance's
// confidence and horizon (the summary's own confidence when the provenance has none).
export function riskParams(w: Words, report: Report): { method: string; confidence: string; horizon: string } {
  const p = report.provenance;
  const ok = p.status === 'ok';
  return {
    method: choiceLabel(w.t, 'method', report.summary.var_method ?? ''),
    confidence: pct(w, ok ? (p.confidence ?? report.summary.confidence) : report.summary.confidence),
    horizon: count(w, 'report.n.days', ok ? p.horizon_days : undefined),
  };
}

// The executive summary's paragraph: each sentence only when its figures are there.
export function summarySentences(w: Words, report: Report): string[] {
  const s = report.summary;
  const { t } = w;
  const out: string[] = [];
  const net = finite(s.net_value_amount);
  if (net !== undefined)
    out.push(t('report.sum.holds', { positions: count(w, 'report.n.positions', s.positions_count), net: money(w, net), gross: money(w, s.gross_value_amount) }));
  const pnl = finite(s.pnl_1d_amount);
  if (pnl !== undefined) out.push(t(pnl < 0 ? 'report.sum.lost' : 'report.sum.gained', { amount: money(w, Math.abs(pnl)), pct: pct(w, s.pnl_1d_pct) }));
  if (finite(s.var_amount) !== undefined) {
    const r = riskParams(w, report);
    out.push(t('report.sum.expects', { confidence: r.confidence, method: r.method, var: money(w, s.var_amount), pct: pct(w, s.var_pct), horizon: r.horizon, es: money(w, s.es_amount) }));
  }
  if (s.backtest_zone) out.push(t('report.sum.zone', { zone: choiceLabel(t, 'zone', s.backtest_zone) }));
  const beta = finite(s.beta_mkt);
  if (beta !== undefined) out.push(t('report.sum.beta', { move: pct(w, beta / 100), beta: w.fmt.num(beta, 2) }));
  if (finite(s.worst_stress_pnl_amount) !== undefined)
    out.push(t('report.sum.stress', { scenario: scenarioName(w, report, s.worst_stress_scenario), pnl: money(w, s.worst_stress_pnl_amount) }));
  if (s.largest_position_symbol) out.push(t('report.sum.largestIs', { symbol: s.largest_position_symbol, pct: pct(w, s.largest_position_weight) }));
  const warnings = finite(s.data_warnings_count) ?? 0;
  out.push(warnings === 0 ? t('report.sum.clean') : t('report.sum.warnings', { count: warnings, n: w.fmt.num(warnings, 0) }));
  return out;
}

// The factors' line: the source and window, the book's alpha and R² and its regression's
// residual volatility.
export function factorsText(w: Words, f: ReportFactors): string {
  return w.t('report.factors.text', {
    source: text(f.factor_source),
    window: count(w, 'report.n.days', f.window),
    from: day(w, f.first_date),
    to: day(w, f.last_date),
    alpha: pct(w, f.portfolio?.alpha),
    r2: w.fmt.num(f.portfolio?.r2, 4),
    vol: pct(w, f.portfolio?.regression?.residual_vol),
  });
}

// The VaR line as report.md has it: the confidence and horizon of the first method's result, the
// P&L volatility of the parametric one.
export function varText(w: Words, v: ReportVar): string {
  const first = v.results?.[0];
  return w.t('report.var.text', {
    window: count(w, 'report.n.days', v.window),
    confidence: pct(w, first?.confidence),
    horizon: count(w, 'report.n.days', first?.horizon_days),
    vol: money(w, varMethod(v, 'parametric')?.volatility),
  });
}

// The backtest's line without its zone (a badge in the page): the figures it puts in the sentence.
export function backtestParams(w: Words, b: NonNullable<ReportVar['backtest']>) {
  return {
    plus: w.fmt.num(b.plus_factor, 2),
    exceptions: count(w, 'report.n.exceptions', b.exceptions),
    observations: count(w, 'report.n.observations', b.observations),
    kupiec: w.fmt.num(b.kupiec?.p_value, 4),
    christoffersen: w.fmt.num(b.christoffersen?.p_value, 4),
  };
}

// The stress line: the number of scenarios (entries: a scenario run both ways counts twice, as
// report.md counts) and the worst entry, the one of the lowest P&L.
export function stressText(w: Words, report: Report): string {
  const s = report.stress;
  const worst = worstScenario(s.scenarios);
  return w.t('report.stress.text', {
    scenarios: count(w, 'report.n.scenarios', s.scenarios?.length ?? 0),
    worst: scenarioName(w, report, worst?.name),
    pnl: money(w, worst?.pnl),
    pct: pct(w, worst?.pnl_pct),
  });
}

export function attributionText(w: Words, a: ReportAttribution): string {
  const b = a.book;
  return w.t('report.attr.text', {
    start: day(w, a.start_date),
    end: day(w, a.end_date),
    days: count(w, 'report.n.days', a.days),
    pnl: money(w, b?.pnl_amount),
    factors: money(w, b?.factor_amount),
    riskFree: money(w, b?.risk_free_amount),
    alpha: money(w, b?.alpha_amount),
    residual: money(w, b?.residual_amount),
    window: count(w, 'report.n.days', a.window),
    source: text(a.factor_source),
  });
}

// The correlation line: the drivers' average pairwise correlation (the report's own figure) and
// the result's diversification figures.
export function correlationText(w: Words, c: ReportCorrelation): string {
  return w.t('report.corr.text', {
    average: w.fmt.num(finite(c.average_pairwise), 2),
    symbols: count(w, 'report.n.symbols', c.symbols?.length),
    window: count(w, 'report.n.days', c.window),
    positionAverage: w.fmt.num(c.average_pairwise_correlation, 2),
    positions: count(w, 'report.n.positions', c.correlated_positions),
    ratio: w.fmt.num(c.diversification_ratio, 2),
    bets: w.fmt.num(c.effective_number_of_bets, 2),
  });
}

export function concentrationText(w: Words, c: Report['concentration']): string {
  return w.t('report.conc.text', {
    hhi: w.fmt.num(c.hhi, 4),
    effective: w.fmt.num(c.effective_positions, 2),
    top1: pct(w, c.top1_weight),
    top5: pct(w, c.top5_weight),
    top10: pct(w, c.top10_weight),
  });
}

export function dataQualityText(w: Words, d: Report['data_quality']): string {
  return w.t('report.dq.text', {
    symbols: count(w, 'report.n.symbols', d.symbols_checked),
    gaps: count(w, 'report.n.gaps', d.gaps_count),
    stale: w.fmt.num(finite(d.stale_count), 0),
    outliers: count(w, 'report.n.outliers', d.outliers_count),
    missing: w.fmt.num(finite(d.missing_count), 0),
  });
}
