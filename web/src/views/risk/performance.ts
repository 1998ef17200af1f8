// A portfolio's performance over its batch snapshots (GET …/performance, docs/batch.md "Returns over
// the snapshots") as the history tab shows it: the route asked, the answer that means "not enough
// snapshots yet", the drawdown's dates and the wealth index drawn. The figures are the API's; this
// only asks for them and arranges them.
import { ApiError, seg, type Schemas } from '../../api/client';

export type PortfolioPerformance = Schemas['PortfolioPerformanceResult'];
export type PerformanceDrawdown = Schemas['PerformanceDrawdown'];

// The route with each day's series, and the benchmark when one is chosen (a symbol or a blend
// such as 60:SPY,40:AGG, sent as typed, trimmed).
export function performancePath(portfolio: string, benchmark?: string | null): string {
  const q = new URLSearchParams({ series: 'true' });
  const b = benchmark?.trim();
  if (b) q.set('benchmark', b);
  return `/api/v1/portfolios/${seg(portfolio)}/performance?${q.toString()}`;
}

// Whether the route refused the portfolio for having fewer than two snapshots with a net value: a
// 400 (invalid_input) to the request without a benchmark or dates, which asks nothing else that
// could be invalid. Not an error of the app: the daily batch has not recorded two days yet.
export function tooFewSnapshots(error: unknown): boolean {
  return error instanceof ApiError && error.status === 400 && error.code === 'invalid_input';
}

// The worst fall's dates, "peak → trough", each in the locale's form; '' when there was no fall
// (the API names no peak or trough).
export function drawdownDates(d: PerformanceDrawdown, date: (iso: string) => string): string {
  if (!d.peak || !d.trough) return '';
  return `${date(d.peak)} → ${date(d.trough)}`;
}

export interface WealthLines {
  dates: string[];
  wealth: (number | null)[];
  benchmark: (number | null)[] | null; // null: no benchmark asked, or none in the series
}

// The growth of 1 of the portfolio and, with a benchmark, of the benchmark, per snapshot date.
export function wealthLines(r: PortfolioPerformance): WealthLines {
  const s = r.series ?? [];
  const hasBenchmark = !!r.benchmark && s.some((d) => d.benchmark_index != null);
  return {
    dates: s.map((d) => d.date),
    wealth: s.map((d) => d.wealth ?? null),
    benchmark: hasBenchmark ? s.map((d) => d.benchmark_index ?? null) : null,
  };
}
