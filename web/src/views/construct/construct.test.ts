import { describe, expect, it } from 'vitest';
import type { OptimizeFrontierResult } from '../../api/types';
import {
  constraintFields,
  frontierBody,
  frontierPoints,
  inputFields,
  isInfeasible,
  knownWeights,
  optimizeBody,
  parseTargetCsv,
  sessionTrades,
  targetCsv,
  weightRows,
  weightSum,
} from './construct';
import { ApiError } from '../../api/client';

const q = (s: string) => new URLSearchParams(s);

describe('optimize requests from the URL', () => {
  it('sends the fields the objective reads, typed as the schema says', () => {
    expect(optimizeBody(q('objective=max-sharpe&long_only=true&max_weight=0.3&window=500&risk_free=0.02&points=30'))).toEqual({
      objective: 'max-sharpe', long_only: true, max_weight: 0.3, window: 500, risk_free: 0.02,
    });
    // A target is sent with its objective only.
    expect(optimizeBody(q('objective=min-variance&target_return=0.1'))).toEqual({ objective: 'min-variance' });
    expect(optimizeBody(q('objective=target-return&target_return=0.1'))).toEqual({ objective: 'target-return', target_return: 0.1 });
    // The EWMA decay with EWMA only.
    expect(optimizeBody(q('covariance=sample&lambda=0.9'))).toEqual({ covariance: 'sample' });
    expect(optimizeBody(q('covariance=ewma&lambda=0.9'))).toEqual({ covariance: 'ewma', lambda: 0.9 });
  });

  it('leaves bounds and turnover out for risk parity and HRP', () => {
    expect(constraintFields('risk-parity')).toEqual(['long_only']);
    expect(constraintFields('target-volatility')).toEqual(['long_only', 'min_weight', 'max_weight', 'turnover']);
    expect(optimizeBody(q('objective=hrp&max_weight=0.2&turnover=0.5&long_only=true'))).toEqual({ objective: 'hrp', long_only: true });
    expect(frontierBody(q('objective=hrp&max_weight=0.2&long_only=true&points=10'))).toEqual({ long_only: true, points: 10 });
  });

  it('asks the frontier with the same inputs and constraints, without an objective', () => {
    expect(frontierBody(q('objective=max-sharpe&long_only=true&min_weight=0.01&confidence=0.99&points=40'))).toEqual({
      long_only: true, min_weight: 0.01, confidence: 0.99, points: 40,
    });
    expect(inputFields('target-volatility', q(''))).toEqual(['objective', 'target_volatility', 'covariance', 'window', 'confidence', 'risk_free', 'expected_returns']);
    expect(inputFields('max-sharpe', q('expected_returns=equilibrium'))).toEqual(['objective', 'covariance', 'window', 'confidence', 'risk_free', 'expected_returns', 'risk_aversion']);
    expect(inputFields('min-cvar', q('scenarios=monte-carlo'))).toEqual(['objective', 'covariance', 'window', 'confidence', 'risk_free', 'scenarios', 'paths', 'seed', 'distribution']);
    expect(constraintFields('min-variance')).toEqual(['long_only', 'min_weight', 'max_weight', 'turnover', 'max_names', 'benchmark', 'max_tracking_error']);
    expect(constraintFields('min-cvar')).toEqual(['long_only', 'min_weight', 'max_weight', 'turnover', 'max_names', 'benchmark', 'max_tracking_error']);
    expect(constraintFields('target-volatility')).toEqual(['long_only', 'min_weight', 'max_weight', 'turnover']);
    expect(constraintFields('hrp')).toEqual(['long_only']);
    expect(frontierBody(q('objective=min-variance&long_only=true&max_names=5&points=10'))).toEqual({
      long_only: true, max_names: 5, points: 10,
    });
    expect(frontierBody(q('objective=min-variance&benchmark=SPY&max_tracking_error=0.05&points=10'))).toEqual({
      benchmark: 'SPY', max_tracking_error: 0.05, points: 10,
    });
    expect(frontierBody(q('objective=hrp&benchmark=SPY&max_tracking_error=0.05&points=10'))).toEqual({ points: 10 });
  });

  it('knows an infeasible problem by the API message', () => {
    expect(isInfeasible(new ApiError(400, 'invalid_input', 'infeasible: the constraints cannot all hold', ['budget 1 and upper bounds (they sum to 0.8)'], 'r'))).toBe(true);
    expect(isInfeasible(new ApiError(400, 'invalid_input', 'window: expected at least 2', [], 'r'))).toBe(false);
    expect(isInfeasible(null)).toBe(false);
  });
});

describe('weights', () => {
  it('puts before and after side by side, a symbol missing on one side as null', () => {
    expect(weightRows({ AAPL: 0.6, MSFT: 0.4 }, { MSFT: 0.5, KO: 0.5 }, { MSFT: 0.3, KO: 0.7 })).toEqual([
      { symbol: 'AAPL', current: 0.6, target: null, change: -0.6, contribution: null },
      { symbol: 'KO', current: null, target: 0.5, change: 0.5, contribution: 0.7 },
      { symbol: 'MSFT', current: 0.4, target: 0.5, change: 0.09999999999999998, contribution: 0.3 },
    ]);
  });

  it('sums and keeps the weights that are numbers', () => {
    expect(weightSum({ A: 0.25, B: null, C: 0.5 })).toBe(0.75);
    expect(knownWeights({ A: 0.25, B: null })).toEqual({ A: 0.25 });
  });

  it('draws the optimal frontier points and counts the others', () => {
    const p = (status: string, r: number, v: number) => ({ status, expected_return: r, volatility: v, sharpe: r / v, expected_shortfall: 0.01, weights: {} });
    const f = {
      as_of: '2017-12-29', portfolio: 'b', covariance: 'sample', window: 252, warnings: [],
      current: p('optimal', 0.1, 0.2),
      points: [p('optimal', 0.05, 0.1), p('optimal', 0.08, 0.12), p('infeasible', 0.12, 0)],
    } as unknown as OptimizeFrontierResult;
    const pts = frontierPoints(f);
    expect(pts.line).toEqual([[0.1, 0.05], [0.12, 0.08]]);
    expect(pts.infeasible).toHaveLength(1);
    expect(pts.current).toEqual([0.2, 0.1]);
  });
});

describe('target weights CSV', () => {
  it('reads symbol,weight with the columns in any order', () => {
    expect(parseTargetCsv('weight,symbol,note\n0.5,aapl,x\n\n0.25,MSFT\n')).toEqual({ weights: { AAPL: 0.5, MSFT: 0.25 }, problems: [] });
    expect(parseTargetCsv('\uFEFFsymbol,weight\r\nKO,1\r\n').weights).toEqual({ KO: 1 });
  });

  it('names a bad line', () => {
    expect(parseTargetCsv('symbol,weight\nAAPL,half\nMSFT,0.2\nMSFT,0.3\n,0.1\n').problems).toEqual([
      { line: 2, message: 'AAPL: the weight must be a number, got "half"' },
      { line: 4, message: 'MSFT is given twice' },
      { line: 5, message: 'no symbol' },
    ]);
    expect(parseTargetCsv('sym,w\nAAPL,1\n').problems).toEqual([{ line: 1, message: 'the first line must name the columns symbol and weight' }]);
    expect(parseTargetCsv('symbol,weight\n').problems).toEqual([{ line: 1, message: 'no target weights' }]);
    expect(parseTargetCsv('').problems).toEqual([{ line: 1, message: 'no target weights' }]);
  });

  it('writes what it reads', () => {
    const w = { AAPL: 0.123456789012345, MSFT: 0.876543210987655 };
    expect(parseTargetCsv(targetCsv(w))).toEqual({ weights: w, problems: [] });
    expect(targetCsv({ A: 0.5, B: null })).toBe('symbol,weight\nA,0.5\n');
  });
});

describe('a rebalance as what-if trades', () => {
  it('signs sells, keeps the plan price and drops empty trades', () => {
    expect(sessionTrades([
      { symbol: 'AAPL', side: 'sell', quantity: 20, price: 170.5 },
      { symbol: 'KO', side: 'buy', quantity: 35, price: 45.1 },
      { symbol: 'PG', side: 'buy', quantity: 0, price: 90 },
      { symbol: 'JNJ', side: 'buy', quantity: null, price: 90 },
      { symbol: 'XOM', side: 'sell', quantity: 5, price: null },
    ])).toEqual([
      { symbol: 'AAPL', quantity: -20, price: 170.5 },
      { symbol: 'KO', quantity: 35, price: 45.1 },
      { symbol: 'XOM', quantity: -5 },
    ]);
  });

  it('folds each trade\'s cost into its price, so the session pays it', () => {
    // 10 bp: selling 20 at 170.50 (3,410.00) costs 3.41, buying 35 at 45.10 (1,578.50) costs 1.5785.
    const out = sessionTrades([
      { symbol: 'AAPL', side: 'sell', quantity: 20, price: 170.5, cost_amount: 3.41 },
      { symbol: 'KO', side: 'buy', quantity: 35, price: 45.1, cost_amount: 1.5785 },
      { symbol: 'XOM', side: 'sell', quantity: 5, price: null, cost_amount: 2 },
    ]);
    expect(out).toHaveLength(3);
    const sell = Number(out[0]?.price);
    const buy = Number(out[1]?.price);
    expect(sell).toBeCloseTo(170.3295, 10);
    expect(buy).toBeCloseTo(45.1451, 10);
    // The session's cash impact, −quantity × price: the plan's amounts net of the costs.
    expect(20 * sell).toBeCloseTo(3410 - 3.41, 9);
    expect(-35 * buy).toBeCloseTo(-(1578.5 + 1.5785), 9);
    expect(out[2]).toEqual({ symbol: 'XOM', quantity: -5 });
  });
});
