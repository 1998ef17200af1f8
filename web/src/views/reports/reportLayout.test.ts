// The report's layout helpers: the sections in report.md's order, the fields a section holds beyond
// the layout (a nested object laid out in part, the title block's repetitions left out), and the
// figures the page derives from the embedded API results as report.md does (a group's weight, the
// Greeks' totals over the options, the factor rows, the worst stress scenario, the stress table's
// rows, the top VaR contributors, the historical P&L histogram's bins), the chart heights and the
// last snapshots.
import { describe, expect, it } from 'vitest';
import type { GreeksPosition, ReportAttribution, ReportFactors } from '../../api/types';
import {
  attributionFactorRows,
  barChartHeight,
  extraFields,
  factorRows,
  groupWeight,
  histogramBins,
  isAmount,
  lastItems,
  optionPositions,
  optionTotals,
  SECTIONS,
  shareOfNet,
  stepsTotal,
  stressRows,
  topContributors,
  unknownSections,
  worstScenario,
} from './reportLayout';

describe('sections', () => {
  it('follow report.md: summary, exposures and positions, Greeks, factors, VaR, stress, attribution, correlation, concentration, history, data quality, steps', () => {
    expect(SECTIONS.map(([k]) => k)).toEqual([
      'provenance', 'summary', 'exposures', 'positions', 'greeks', 'factors', 'var', 'stress', 'attribution', 'correlation',
      'concentration', 'history', 'data_quality', 'steps',
    ]);
  });

  it('finds the top-level fields that are no known section', () => {
    const report = { schema: 'keel.report/2', portfolio: 'p', as_of: 'd', generated_at: 'g', keel_version: 'v', summary: {}, var: {}, steps: [], liquidity: { status: 'ok' } };
    expect(unknownSections(report)).toEqual(['liquidity']);
  });
});

describe('extraFields', () => {
  const title = { as_of: '2017-12-06', portfolio: 'hnw', currency: 'USD' };

  it('lists what a section holds beyond the layout, in the API order, without status, reason and empty lists', () => {
    const exposures = {
      status: 'ok', as_of: '2017-12-06', portfolio: 'hnw', portfolio_id: 3, by: 'sector', gross: 1, net: 1, long: 1, short: 0,
      delta_adjusted: { gross: 2, net: 1, long: 3, short: -1 }, notional: { gross: 5, net: 4, long: 4, short: 0 },
      groups: [], by_type: [], positions: [{ symbol: 'A' }], errors: [], positions_valued: 2, new_figure: 7,
    };
    expect(extraFields('exposures', exposures, title)).toEqual([
      // A nested object of figures, one entry per figure by its path; the laid-out ones left out.
      ['delta_adjusted.long', 3],
      ['delta_adjusted.short', -1],
      ['notional.gross', 5],
      ['notional.net', 4],
      ['notional.long', 4],
      ['notional.short', 0],
      ['positions_valued', 2],
      ['new_figure', 7],
    ]);
  });

  it('keeps a repetition of the title block that says something else', () => {
    const v = { status: 'ok', as_of: '2017-12-05', currency: 'EUR', portfolio: 'hnw', window: 252, window_start: '2016-12-07' };
    expect(extraFields('var', v, title)).toEqual([
      ['as_of', '2017-12-05'],
      ['currency', 'EUR'],
      ['window_start', '2016-12-07'],
    ]);
  });

  it('keeps the rest of a nested object laid out in part, deeper objects whole', () => {
    const v = {
      status: 'ok',
      results: [{ method: 'historical', var: 1 }],
      backtest: {
        status: 'ok', as_of: '2017-12-06', zone: 'green', plus_factor: 0, exceptions: 3, observations: 250, method: 'historical',
        kupiec: { df: 1, lr: 0.5, p_value: 0.4 }, christoffersen: { df: 1, lr: 0.1, p_value: 0.7 },
      },
      covariance: 'sample',
    };
    expect(extraFields('var', v, title)).toEqual([
      ['backtest', { method: 'historical', kupiec: { df: 1, lr: 0.5 }, christoffersen: { df: 1, lr: 0.1 } }],
      ['covariance', 'sample'],
    ]);
    const f = {
      status: 'ok', factors: ['mkt_rf'], market_factor: 'mkt_rf',
      portfolio: { alpha: 0.1, r2: 0.5, betas: { mkt_rf: 1 }, exposures: { mkt_rf: 9 }, regression: { adj_r2: 0.49, t_stats: { mkt_rf: 3 }, residual_vol: 0.1 } },
    };
    expect(extraFields('factors', f, title)).toEqual([
      ['market_factor', 'mkt_rf'],
      ['portfolio', { regression: { adj_r2: 0.49 } }],
    ]);
  });

  it('shows every field of a section it does not know', () => {
    expect(extraFields('liquidity', { status: 'ok', reason: 'x', days_to_liquidate: 3 })).toEqual([['days_to_liquidate', 3]]);
    expect(extraFields('var', null)).toEqual([]);
  });

  it('knows the embedded results\' amounts by their names', () => {
    expect(['gross', 'notional.gross', 'totals.dollar_delta', 'book_value', 'pnl_amount', 'value'].every(isAmount)).toBe(true);
    expect(['r2', 'weight', 'positions', 'notional.positions', 'portfolio_volatility'].some(isAmount)).toBe(false);
  });
});

describe('exposures', () => {
  it('weighs a group by its gross over the book\'s gross', () => {
    expect(groupWeight({ gross: 25 }, 100)).toBe(0.25);
    expect(groupWeight({ gross: 25 }, 0)).toBe(0);
    expect(groupWeight({ gross: null }, 100)).toBeUndefined();
    expect(groupWeight({ gross: 25 }, null)).toBeUndefined();
  });
});

describe('Greeks', () => {
  const position = (p: Partial<GreeksPosition>): GreeksPosition => ({
    symbol: 'X', type: 'stock', underlying: 'X', quantity: 1, multiplier: 1, price: 1, spot: 1, market_value: 1, delta: 1, gamma: 0,
    theta: 0, vega: 0, rho: 0, dollar_delta: 0, dollar_gamma_1pct: 0, vega_per_point: 0, theta_per_day: 0, rho_per_point: 0, ...p,
  });
  const positions = [
    position({ symbol: 'AAPL', dollar_delta: 1000 }),
    position({ symbol: 'C1', type: 'option', quantity: 10, multiplier: 100, rho: 0.5, rho_per_point: 5, dollar_delta: 80, dollar_gamma_1pct: 8, vega_per_point: 20, theta_per_day: -6 }),
    position({ symbol: 'P1', type: 'option', quantity: -2, multiplier: 100, rho: -0.25, rho_per_point: 0.5, dollar_delta: 30, dollar_gamma_1pct: 2, vega_per_point: 5, theta_per_day: -1 }),
  ];

  it('totals over the options only', () => {
    const options = optionPositions(positions);
    expect(options.map((p) => p.symbol)).toEqual(['C1', 'P1']);
    expect(optionTotals(options)).toEqual({ options: 2, dollar_delta: 110, dollar_gamma_1pct: 10, vega_per_point: 25, theta_per_day: -7, rho_per_point: 5 + 0.5 });
  });

  it('leaves a total out when one of its figures is missing', () => {
    const t = optionTotals([position({ type: 'option', vega_per_point: null }), position({ type: 'option', vega_per_point: 3 })]);
    expect(t.vega_per_point).toBeNull();
    expect(t.options).toBe(2);
    expect(optionTotals([])).toEqual({ options: 0, dollar_delta: 0, dollar_gamma_1pct: 0, vega_per_point: 0, theta_per_day: 0, rho_per_point: 0 });
  });
});

describe('factors and attribution', () => {
  it('a row per factor in the result\'s order, from the portfolio\'s maps', () => {
    const f = {
      status: 'ok', factors: ['mkt_rf', 'smb', 'new'],
      portfolio: { alpha: 0.1, r2: 0.7, betas: { smb: -0.2, mkt_rf: 1.2 }, exposures: { mkt_rf: 100, smb: -20 }, regression: { t_stats: { mkt_rf: 20, smb: -3 } } },
    } as unknown as ReportFactors;
    expect(factorRows(f)).toEqual([
      { factor: 'mkt_rf', beta: 1.2, t_stat: 20, exposure: 100 },
      { factor: 'smb', beta: -0.2, t_stat: -3, exposure: -20 },
      { factor: 'new', beta: null, t_stat: null, exposure: null },
    ]);
  });

  it('an attribution row per factor: its return and the book\'s P&L from it', () => {
    const a = { status: 'ok', factors: ['mkt_rf', 'smb'], factor_returns: { mkt_rf: 0.0125 }, book: { factors: { mkt_rf: 20, smb: -1 } } } as unknown as ReportAttribution;
    expect(attributionFactorRows(a)).toEqual([
      { factor: 'mkt_rf', return: 0.0125, amount: 20 },
      { factor: 'smb', return: null, amount: -1 },
    ]);
  });
});

describe('stress', () => {
  const scenarios = [
    { name: 'b', label: 'B', kind: 'historical', method: 'direct', pnl: -2, pnl_pct: -0.2 },
    { name: 'a', label: 'A', kind: 'hypothetical', method: 'correlated', pnl: -1, pnl_pct: -0.1 },
    { name: 'b', label: 'B', kind: 'historical', method: 'correlated', pnl: -3, pnl_pct: -0.3 },
    { name: 'c', label: 'C', kind: 'historical', method: 'direct', pnl: -3, pnl_pct: -0.31 },
    { name: 'd', label: 'D', kind: 'historical', method: 'direct', pnl: null, pnl_pct: null },
  ];

  it('puts a scenario\'s direct and correlated results side by side, in first-seen order', () => {
    expect(stressRows(scenarios.slice(0, 3))).toEqual([
      { name: 'b', label: 'B', kind: 'historical', direct: { pnl: -2, pnl_pct: -0.2 }, correlated: { pnl: -3, pnl_pct: -0.3 } },
      { name: 'a', label: 'A', kind: 'hypothetical', correlated: { pnl: -1, pnl_pct: -0.1 } },
    ]);
  });

  it('finds the worst entry: the lowest P&L, the first of equals, none without a P&L', () => {
    expect(worstScenario(scenarios)).toBe(scenarios[2]);
    expect(worstScenario([scenarios[4]!])).toBeUndefined();
    expect(worstScenario(undefined)).toBeUndefined();
  });
});

describe('topContributors', () => {
  it('takes the largest component VaRs first, a missing figure last, ties in the API order', () => {
    const rows = [
      { symbol: 'A', component_var: 1 },
      { symbol: 'B', component_var: null },
      { symbol: 'C', component_var: 5 },
      { symbol: 'D', component_var: 1 },
      { symbol: 'E', component_var: -2 },
    ];
    expect(topContributors(rows).map((r) => r.symbol)).toEqual(['C', 'A', 'D', 'E', 'B']);
    expect(topContributors(rows, 2).map((r) => r.symbol)).toEqual(['C', 'A']);
  });
});

describe('histogramBins', () => {
  const h = { kind: 'scenarios', edges: [-10, -5, 0, 5, 10], counts: [1, 3, 4, 2], total: 10 };

  it('takes the API\'s bins, marks those whose middle is beyond -VaR, widens the axis to take the marker', () => {
    const b = histogramBins(h, -6);
    expect(b.bins).toEqual([
      { from: -10, to: -5, count: 1, beyond: true },
      { from: -5, to: 0, count: 3, beyond: false },
      { from: 0, to: 5, count: 4, beyond: false },
      { from: 5, to: 10, count: 2, beyond: false },
    ]);
    expect([b.lo, b.hi]).toEqual([-10, 10]);
    expect(histogramBins(h, -12).lo).toBe(-12);
    expect(histogramBins(h).bins.every((x) => !x.beyond)).toBe(true);
    expect(b.bins.reduce((s, x) => s + x.count, 0)).toBe(h.total);
  });

  it('is empty without a histogram, or with edges that do not fit its counts', () => {
    expect(histogramBins(undefined, -1).bins).toEqual([]);
    expect(histogramBins({ ...h, counts: [] }).bins).toEqual([]);
    expect(histogramBins({ ...h, edges: [-10, 0, 10] }).bins).toEqual([]);
    expect(histogramBins({ ...h, edges: [-10, null, 0, 5, 10] }).bins).toEqual([]);
  });
});

describe('the rest', () => {
  it('sizes bar charts as report.md does', () => {
    expect(barChartHeight(0)).toBe(200);
    expect(barChartHeight(9)).toBe(332);
    expect(barChartHeight(100)).toBe(1200);
  });

  it('keeps the last snapshots', () => {
    expect(lastItems([1, 2, 3], 10)).toEqual([1, 2, 3]);
    expect(lastItems(Array.from({ length: 12 }, (_, i) => i), 10)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('totals the steps and takes ES over the net value', () => {
    expect(stepsTotal([{ elapsed_ms: 1.5 }, { elapsed_ms: null }, { elapsed_ms: 2 }])).toBe(3.5);
    expect(shareOfNet(50, -1000)).toBe(0.05);
    expect(shareOfNet(50, 0)).toBeUndefined();
    expect(shareOfNet(null, 10)).toBeUndefined();
  });
});
