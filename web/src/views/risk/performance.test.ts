// The history tab's performance helpers: the route asked, the "fewer than two snapshots" answer
// told apart from other errors, the drawdown's dates, and the growth of 1 drawn.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { makeFmt } from '../../app/format';
import { drawdownDates, performancePath, tooFewSnapshots, wealthLines, type PortfolioPerformance } from './performance';

const day = (date: string, wealth: number, benchmark_index: number | null = null) => ({
  date, value_amount: 100 * wealth, pnl_amount: null, flow_amount: 0, return_pct: null, wealth, drawdown: 0, benchmark_index,
});
const result = (over: Partial<PortfolioPerformance> = {}): PortfolioPerformance => ({
  portfolio: 'book', currency: 'USD', start: '2017-11-28', end: '2017-11-30', days: 2, points: 3, gaps: 0,
  start_value_amount: 100, end_value_amount: 101, pnl_amount: 1, flows_amount: 0, twr: 0.01, cagr: 2, volatility: 0.1,
  sharpe: 1, sortino: 2, max_drawdown: { depth: 0.003, peak: '2017-11-28', trough: '2017-11-29', recovery: '2017-11-30' },
  calmar: 600, risk_free_rate: 0, warnings: [],
  series: [day('2017-11-28', 1), day('2017-11-29', 0.997), day('2017-11-30', 1.01)],
  ...over,
}) as PortfolioPerformance;

describe('performancePath', () => {
  it('asks for the series, and the benchmark when one is chosen, with the name encoded', () => {
    expect(performancePath('hnw')).toBe('/api/v1/portfolios/hnw/performance?series=true');
    expect(performancePath('hnw', '  ')).toBe('/api/v1/portfolios/hnw/performance?series=true');
    expect(performancePath('my book/1', ' SPY ')).toBe('/api/v1/portfolios/my%20book%2F1/performance?series=true&benchmark=SPY');
    expect(performancePath('hnw', '60:SPY,40:AGG')).toBe('/api/v1/portfolios/hnw/performance?series=true&benchmark=60%3ASPY%2C40%3AAGG');
  });
});

describe('tooFewSnapshots', () => {
  it('is the 400 invalid_input answer, not a missing portfolio, a refusal or the network', () => {
    const tooFew = new ApiError(400, 'invalid_input', 'performance needs at least two snapshots with a net value, hnw has 0', [], 'r1');
    expect(tooFewSnapshots(tooFew)).toBe(true);
    expect(tooFewSnapshots(new ApiError(404, 'not_found', 'no portfolio named "x"', [], 'r2'))).toBe(false);
    expect(tooFewSnapshots(new ApiError(403, 'forbidden', 'no', [], 'r3'))).toBe(false);
    expect(tooFewSnapshots(new ApiError(0, 'network', 'offline', [], ''))).toBe(false);
    expect(tooFewSnapshots(new Error('boom'))).toBe(false);
    expect(tooFewSnapshots(null)).toBe(false);
  });
});

describe('drawdownDates', () => {
  it('is peak → trough in the locale, and empty without a fall', () => {
    const d = { depth: 0.05, peak: '2017-11-28', trough: '2017-12-04', recovery: null };
    expect(drawdownDates(d, makeFmt('en-US').date)).toBe('2017-11-28 → 2017-12-04');
    expect(drawdownDates(d, makeFmt('de-DE').date)).toBe('28.11.2017 → 04.12.2017');
    expect(drawdownDates({ depth: 0, peak: null, trough: null, recovery: null }, makeFmt('en-US').date)).toBe('');
  });
});

describe('wealthLines', () => {
  it('draws the growth of 1 per date, and the benchmark only when one was compared', () => {
    const own = wealthLines(result());
    expect(own.dates).toEqual(['2017-11-28', '2017-11-29', '2017-11-30']);
    expect(own.wealth).toEqual([1, 0.997, 1.01]);
    expect(own.benchmark).toBeNull();
    const withBenchmark = result({
      benchmark: { benchmark: 'AAPL' } as PortfolioPerformance['benchmark'],
      series: [day('2017-11-28', 1, 1), day('2017-11-29', 0.997, 0.98), day('2017-11-30', 1.01, null)],
    });
    expect(wealthLines(withBenchmark).benchmark).toEqual([1, 0.98, null]);
    expect(wealthLines(result({ series: undefined })).dates).toEqual([]);
  });
});
