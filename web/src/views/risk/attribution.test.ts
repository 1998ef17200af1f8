// The two-stock one-factor book of tests/cases/cli/factor_attribution.test, worked by hand there:
// A (1,000 at the start) earns 19.70 = mkt 19.40 + risk free 0.203 + alpha 2.03 + residual -1.933;
// B (1,000) earns -10.20 = mkt -5.10 + risk free 0.198 + residual -5.298; the book the sums.
import { describe, expect, it } from 'vitest';
import { attributionRows, stackedParts, unexplained, type Attribution } from './attribution';

const position = (symbol: string, pnl: number, factor: number, rf: number, alpha: number, residual: number) => ({
  symbol, driver: symbol, market_value: 1000, end_value: 1000 + pnl, return: pnl / 1000, pnl_amount: pnl,
  factors: { mkt: factor }, factor_amount: factor, risk_free_amount: rf, alpha_amount: alpha, residual_amount: residual,
  betas: { mkt: 0 }, alpha_daily: 0,
});
const result = {
  portfolio_name: 'book', currency: 'USD', start_date: '2024-01-08', end_date: '2024-01-10', days: 2,
  factors: ['mkt'], factor_source: 'factors.csv', excess_returns: true, window: 4, window_first_date: '2024-01-03',
  window_last_date: '2024-01-08', factor_returns: { mkt: 0.0098 }, risk_free_return: 0.00020001,
  positions: [position('A', 19.7, 19.4, 0.203, 2.03, -1.933), position('B', -10.2, -5.1, 0.198, 0, -5.298)],
  book: {
    market_value: 2000, end_value: 2009.5, return: 0.00475, pnl_amount: 9.5, factors: { mkt: 14.3 }, factor_amount: 14.3,
    risk_free_amount: 0.401, alpha_amount: 2.03, residual_amount: -7.231,
  },
  excluded: [], warnings: [],
} as unknown as Attribution;

describe('attributionRows', () => {
  it('lists the positions in book order, then the book', () => {
    const rows = attributionRows(result);
    expect(rows.map((r) => r.symbol)).toEqual(['A', 'B', null]);
    expect(rows[0]!.parts).toEqual({ factors: 19.4, risk_free: 0.203, alpha: 2.03, residual: -1.933 });
    expect(rows[2]!.pnl).toBe(9.5);
    expect(rows[2]!.value).toBe(2000);
  });

  it('parts that add up to each P&L, the book the sum of the positions', () => {
    const rows = attributionRows(result);
    for (const r of rows) expect(Math.abs(unexplained(r))).toBeLessThan(1e-9);
    const [a, b, book] = rows;
    for (const p of ['factors', 'risk_free', 'alpha', 'residual'] as const) {
      expect(book!.parts[p]).toBeCloseTo(a!.parts[p] + b!.parts[p], 9);
    }
  });
});

describe('stackedParts', () => {
  it('one series per part, one bar per position, the book left out', () => {
    const s = stackedParts(result);
    expect(s.symbols).toEqual(['A', 'B']);
    expect(s.series.factors).toEqual([19.4, -5.1]);
    expect(s.series.residual).toEqual([-1.933, -5.298]);
    expect(s.series.alpha).toEqual([2.03, 0]);
  });
});
