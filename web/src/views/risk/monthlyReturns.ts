// The history tab's monthly returns calendar: the days of GET …/performance?series=true compounded
// into months and years, for the portfolio (each day's time-weighted `return_pct`) and, when a
// benchmark was compared, for the benchmark (its growth of 1, `benchmark_index`). Both become the
// same chain of steps from one snapshot to the next, so a month is always the product of its steps:
// for the portfolio Π(1 + r) − 1 over the month's days, for the benchmark the index at the month's
// last day over the one before the month (or over its first value) − 1. A month is dated by the
// day a step ends on: the move from the last snapshot of a month to the first of the next belongs
// to the next, as a calendar of month-end values would have it.
import type { Locale } from '../../app/format';
import type { PortfolioPerformance } from './performance';

type Day = NonNullable<PortfolioPerformance['series']>[number];

// One measured move: from one snapshot's date to the next one's, as a growth factor (1.01 = +1 %).
export interface Step {
  from: string; // YYYY-MM-DD
  to: string;
  factor: number;
}

export interface MonthCell {
  month: string; // YYYY-MM
  value: number; // the month's return [fraction]
  from: string; // the snapshot the month's return starts from (the last one before the month, else its first)
  to: string; // the month's last snapshot
  steps: number; // the moves compounded
  // The series covers only part of the month: it starts inside it, or it ends inside it before its
  // last weekday. Such a month is not comparable with a whole one.
  partial: boolean;
}

export interface YearRow {
  year: string;
  months: (MonthCell | null)[]; // January to December; null where the series has no move
  total: number; // the year's months compounded [fraction]
  partial: boolean; // fewer than twelve whole months
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

// The portfolio's moves: each day with a return, from the snapshot before it. The first day has
// none (nothing to measure from); a day the API left without one breaks the chain there.
export function portfolioSteps(series: readonly Day[]): Step[] {
  const steps: Step[] = [];
  for (let i = 1; i < series.length; i++) {
    const r = series[i]!.return_pct;
    if (finite(r)) steps.push({ from: series[i - 1]!.date, to: series[i]!.date, factor: 1 + r });
  }
  return steps;
}

// The benchmark's moves: the ratio of each value of its growth of 1 to the previous one (days
// without a value are skipped, so the ratio spans them); none when no benchmark was compared.
export function benchmarkSteps(series: readonly Day[]): Step[] {
  const steps: Step[] = [];
  let prev: { date: string; index: number } | null = null;
  for (const d of series) {
    const x = d.benchmark_index;
    if (!finite(x) || x <= 0) continue;
    if (prev) steps.push({ from: prev.date, to: d.date, factor: x / prev.index });
    prev = { date: d.date, index: x };
  }
  return steps;
}

// The month's last weekday (a month-end snapshot is taken on a trading day; a holiday on that day
// marks a whole last month partial, the cautious side).
export function lastWeekday(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m, 0)); // day 0 of the next month: this month's last day
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

// The moves compounded by the month they end in, oldest first. A month is partial at its start
// when its first move starts inside it (the series began there, or a day without a return broke
// the chain), and at its end when it is the series' last month and its last snapshot is before the
// month's last weekday.
export function monthlyCells(steps: readonly Step[]): MonthCell[] {
  const cells: MonthCell[] = [];
  for (const s of steps) {
    const month = s.to.slice(0, 7);
    const last = cells[cells.length - 1];
    if (last && last.month === month) {
      last.value = (1 + last.value) * s.factor - 1;
      last.to = s.to;
      last.steps += 1;
    } else {
      cells.push({ month, value: s.factor - 1, from: s.from, to: s.to, steps: 1, partial: s.from.slice(0, 7) === month });
    }
  }
  const end = cells[cells.length - 1];
  if (end && end.to < lastWeekday(end.month)) end.partial = true;
  return cells;
}

// The months as one row per year, January to December, with the year's months compounded.
export function byYear(cells: readonly MonthCell[]): YearRow[] {
  const years = new Map<string, (MonthCell | null)[]>();
  for (const c of cells) {
    const y = c.month.slice(0, 4);
    let row = years.get(y);
    if (!row) years.set(y, (row = Array<MonthCell | null>(12).fill(null)));
    row[Number(c.month.slice(5, 7)) - 1] = c;
  }
  return [...years.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([year, months]) => ({
      year,
      months,
      total: months.reduce((w, c) => (c ? w * (1 + c.value) : w), 1) - 1,
      partial: months.some((c) => !c || c.partial),
    }));
}

export interface Calendar {
  portfolio: YearRow[];
  benchmark: YearRow[] | null; // null: no benchmark compared, or no value of it in the series
}

// The calendar of an answer of the route: the portfolio's years and, with a benchmark, its years.
export function monthlyReturns(r: PortfolioPerformance): Calendar {
  const series = r.series ?? [];
  const bench = r.benchmark ? benchmarkSteps(series) : [];
  return {
    portfolio: byYear(monthlyCells(portfolioSteps(series))),
    benchmark: bench.length ? byYear(monthlyCells(bench)) : null,
  };
}

// A return with its sign, in percent with `digits` decimals ("+2.5%", "−0.4 %" in German): the sign
// says up or down without the colour. A figure that rounds to zero has none.
export function makeSignedPct(locale: Locale, digits = 1): (x: number) => string {
  const f = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'exceptZero' });
  return (x) => f.format(x);
}

// The colour class of a figure as it is shown with `digits` decimals of a percent: 'up', 'down',
// or '' for one that rounds to zero (as the sign, so text and colour agree).
export function tone(x: number, digits = 1): 'up' | 'down' | '' {
  const shown = Math.round(Math.abs(x) * 10 ** (digits + 2));
  return shown === 0 ? '' : x > 0 ? 'up' : 'down';
}
