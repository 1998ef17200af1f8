// The monthly returns calendar of the history tab: the days' returns compounded by month and year,
// the benchmark's month from its growth of 1, the partial first and last months marked, and the
// figures shown with their sign. Every expected value is worked out by hand in the comment beside it.
import { describe, expect, it } from 'vitest';
import {
  benchmarkSteps, byYear, lastWeekday, makeSignedPct, monthlyCells, monthlyReturns, portfolioSteps, tone,
} from './monthlyReturns';
import type { PortfolioPerformance } from './performance';

type Day = NonNullable<PortfolioPerformance['series']>[number];
const day = (date: string, return_pct: number | null, benchmark_index: number | null = null): Day => ({
  date, value_amount: 100, pnl_amount: null, flow_amount: 0, return_pct, wealth: 1, drawdown: 0, benchmark_index,
});
const result = (series: Day[], benchmark = false): PortfolioPerformance => ({
  portfolio: 'book', currency: 'USD', start: series[0]!.date, end: series[series.length - 1]!.date, days: 1, points: series.length, gaps: 0,
  start_value_amount: 100, end_value_amount: 100, pnl_amount: 0, flows_amount: 0, twr: 0, cagr: 0, volatility: 0,
  sharpe: null, sortino: null, max_drawdown: { depth: 0, peak: null, trough: null, recovery: null }, calmar: 0, risk_free_rate: 0, warnings: [],
  series,
  ...(benchmark ? { benchmark: { benchmark: 'SPY' } as PortfolioPerformance['benchmark'] } : {}),
}) as PortfolioPerformance;

// From the last weekday of December 2023 into the middle of February 2024, with a benchmark.
const SERIES = [
  day('2023-12-29', null, 1), // Friday, December's last weekday: the base, no return
  day('2024-01-02', 0.01, 1.02),
  day('2024-01-15', 0.02, 1.0),
  day('2024-01-31', -0.005, 1.05),
  day('2024-02-01', 0.03, 1.029),
  day('2024-02-14', -0.01, 1.0), // the series ends before February's last weekday (Thursday 29th)
];

describe('lastWeekday', () => {
  it('is the last day of the month that is not a Saturday or Sunday', () => {
    expect(lastWeekday('2024-03')).toBe('2024-03-29'); // the 31st is a Sunday, the 30th a Saturday
    expect(lastWeekday('2024-02')).toBe('2024-02-29'); // leap year, a Thursday
    expect(lastWeekday('2017-11')).toBe('2017-11-30'); // a Thursday
    expect(lastWeekday('2017-12')).toBe('2017-12-29'); // the 31st a Sunday
  });
});

describe('steps', () => {
  it('the portfolio moves from each snapshot to the next by the day\'s return; the first day has none', () => {
    expect(portfolioSteps(SERIES.slice(0, 3))).toEqual([
      { from: '2023-12-29', to: '2024-01-02', factor: 1.01 },
      { from: '2024-01-02', to: '2024-01-15', factor: 1.02 },
    ]);
  });

  it('the benchmark moves by the ratio of its index to the previous value, spanning days without one', () => {
    const s = [day('2024-01-02', null, 1), day('2024-01-03', 0.01, null), day('2024-01-04', 0.01, 1.1)];
    // 1.1 / 1 = 1.1, from the 2nd straight to the 4th
    expect(benchmarkSteps(s)).toEqual([{ from: '2024-01-02', to: '2024-01-04', factor: 1.1 }]);
    expect(benchmarkSteps(SERIES.map((d) => ({ ...d, benchmark_index: null })))).toEqual([]);
  });
});

describe('monthlyCells', () => {
  it('compounds the days of a month: January 1.01 × 1.02 × 0.995 − 1 = 0.025049, whole', () => {
    const [jan, feb] = monthlyCells(portfolioSteps(SERIES));
    expect(jan!.month).toBe('2024-01');
    expect(jan!.value).toBeCloseTo(0.025049, 12); // 1.0302 × 0.995 = 1.025049
    expect(jan!.steps).toBe(3);
    expect(jan!.from).toBe('2023-12-29'); // measured from December's last snapshot: a whole month
    expect(jan!.to).toBe('2024-01-31');
    expect(jan!.partial).toBe(false);
    // February: 1.03 × 0.99 − 1 = 1.0197 − 1 = 0.0197, ending on the 14th: partial
    expect(feb!.month).toBe('2024-02');
    expect(feb!.value).toBeCloseTo(0.0197, 12);
    expect(feb!.partial).toBe(true);
  });

  it('the benchmark\'s month is its index at the month\'s last day over the one before the month', () => {
    const [jan, feb] = monthlyCells(benchmarkSteps(SERIES));
    expect(jan!.value).toBeCloseTo(0.05, 12); // 1.05 / 1 − 1 (the 2nd and 15th cancel out)
    expect(feb!.value).toBeCloseTo(-0.0476190476, 9); // 1.0 / 1.05 − 1 = 0.952380952 − 1
    expect(feb!.partial).toBe(true);
  });

  it('marks a first month the series starts inside as partial, and a last one ending on its last weekday as whole', () => {
    const started = monthlyCells(portfolioSteps([day('2024-03-05', null), day('2024-03-06', 0.01), day('2024-03-07', -0.02)]));
    // 1.01 × 0.98 − 1 = 0.9898 − 1 = −0.0102; from the 5th of March: partial
    expect(started).toHaveLength(1);
    expect(started[0]!.value).toBeCloseTo(-0.0102, 12);
    expect(started[0]!.partial).toBe(true);
    const ended = monthlyCells(portfolioSteps([day('2024-02-29', null), day('2024-03-28', 0.01), day('2024-03-29', 0.01)]));
    // 1.01 × 1.01 − 1 = 0.0201; from February's last snapshot to Friday 29 March, March's last weekday
    expect(ended[0]!.value).toBeCloseTo(0.0201, 12);
    expect(ended[0]!.partial).toBe(false);
  });

  it('a day without a return breaks the chain: the month it falls in is partial', () => {
    const cells = monthlyCells(portfolioSteps([day('2024-05-31', null), day('2024-06-03', null), day('2024-06-04', 0.01), day('2024-07-01', 0.02)]));
    // June: only the 4th (0.01), measured from the 3rd, inside June; July: 0.02 from June's 4th
    expect(cells.map((c) => [c.month, c.partial])).toEqual([['2024-06', true], ['2024-07', true]]);
    expect(cells[0]!.value).toBeCloseTo(0.01, 12);
  });

  it('no moves, no months', () => {
    expect(monthlyCells([])).toEqual([]);
  });
});

describe('byYear', () => {
  it('lays the months out January to December and compounds them into the year', () => {
    const [y] = byYear(monthlyCells(portfolioSteps(SERIES)));
    expect(y!.year).toBe('2024');
    expect(y!.months.map((c) => c?.month ?? null)).toEqual(['2024-01', '2024-02', null, null, null, null, null, null, null, null, null, null]);
    // 1.025049 × 1.0197 − 1 = 1.025049 + 0.0201934653 − 1 = 0.0452424653
    expect(y!.total).toBeCloseTo(0.0452424653, 10);
    expect(y!.partial).toBe(true);
  });

  it('a year of twelve whole months is whole: 1.01¹² − 1 = 0.12682503013197', () => {
    // Every month's last weekday of 2023, from that of December 2022 (Friday the 30th), +1 % each.
    const ends = ['01-31', '02-28', '03-31', '04-28', '05-31', '06-30', '07-31', '08-31', '09-29', '10-31', '11-30', '12-29'];
    const series = [day('2022-12-30', null), ...ends.map((e) => day(`2023-${e}`, 0.01)), day('2024-01-31', 0.02)];
    const [y2023, y2024] = byYear(monthlyCells(portfolioSteps(series)));
    // 1.01² = 1.0201, ⁴ = 1.04060401, ⁸ = 1.0828567056, ¹² = 1.0828567056 × 1.04060401 = 1.12682503013
    expect(y2023!.total).toBeCloseTo(0.12682503013197, 12);
    expect(y2023!.months.every((c) => c !== null && !c.partial)).toBe(true);
    expect(y2023!.partial).toBe(false);
    // January 2024 ends on Wednesday the 31st, its last weekday: whole, but one month of a year.
    expect(y2024!.months[0]!.partial).toBe(false);
    expect(y2024!.total).toBeCloseTo(0.02, 12);
    expect(y2024!.partial).toBe(true);
  });
});

describe('monthlyReturns', () => {
  it('gives the benchmark\'s years only when one was compared and has values', () => {
    const own = monthlyReturns(result(SERIES));
    expect(own.portfolio.map((y) => y.year)).toEqual(['2024']);
    expect(own.benchmark).toBeNull();
    const compared = monthlyReturns(result(SERIES, true));
    // 1.05 × (1.0 / 1.05) − 1 = 0: the index ends where it started
    expect(compared.benchmark![0]!.total).toBeCloseTo(0, 12);
    expect(compared.benchmark![0]!.months[0]!.value).toBeCloseTo(0.05, 12);
    expect(monthlyReturns(result(SERIES.map((d) => ({ ...d, benchmark_index: null })), true)).benchmark).toBeNull();
    expect(monthlyReturns({ ...result(SERIES), series: undefined }).portfolio).toEqual([]);
  });
});

describe('makeSignedPct and tone', () => {
  it('shows the sign with the figure, so the colour is never the only cue', () => {
    const en = makeSignedPct('en-US');
    expect(en(0.025049)).toBe('+2.5%');
    expect(en(-0.0476190476)).toBe('-4.8%');
    expect(en(0.0004)).toBe('0.0%'); // 0.04 % shows as 0.0 %, without a sign
    const de = makeSignedPct('de-DE', 2);
    expect(de(0.025049)).toBe('+2,50\u00a0%');
    expect(de(-0.0102)).toBe('-1,02\u00a0%');
  });

  it('colours a figure as it is shown: up, down, or nothing when it rounds to zero', () => {
    expect(tone(0.025049)).toBe('up');
    expect(tone(-0.0102)).toBe('down');
    expect(tone(0.0004)).toBe(''); // 0.04 % → "0.0%"
    expect(tone(-0.0004)).toBe('');
    expect(tone(0.0004, 2)).toBe('up'); // "+0.04%"
  });
});
