// The report's layout helpers: the sections in report.md's order, the fields a section holds beyond
// the layout, the stress table's rows, the top VaR contributors, the P&L histogram's bins (as
// keel::report::histogram_svg bins them), the chart heights and the last snapshots.
import { describe, expect, it } from 'vitest';
import {
  barChartHeight,
  extraFields,
  lastItems,
  pnlBinCount,
  pnlHistogram,
  SECTIONS,
  shareOfNet,
  stepsTotal,
  stressRows,
  topContributors,
  unknownSections,
} from './reportLayout';

describe('sections', () => {
  it('follow report.md: summary, exposures and positions, Greeks, factors, VaR, stress, attribution, correlation, concentration, history, data quality, steps', () => {
    expect(SECTIONS.map(([k]) => k)).toEqual([
      'provenance', 'summary', 'exposures', 'positions', 'greeks', 'factors', 'var', 'stress', 'attribution', 'correlation',
      'concentration', 'history', 'data_quality', 'steps',
    ]);
  });

  it('finds the top-level fields that are no known section', () => {
    const report = { schema: 'keel.report/1', portfolio: 'p', as_of: 'd', generated_at: 'g', keel_version: 'v', summary: {}, var: {}, steps: [], liquidity: { status: 'ok' } };
    expect(unknownSections(report)).toEqual(['liquidity']);
  });
});

describe('extraFields', () => {
  it('lists what a section holds beyond the layout, in the API order, without status, reason and empty lists', () => {
    const exposures = { status: 'ok', gross_amount: 1, net_amount: 1, by_sector: [], notional_gross_amount: 3, errors: [], positions_valued: 2, new_figure_amount: 7 };
    expect(extraFields('exposures', exposures)).toEqual([
      ['notional_gross_amount', 3],
      ['positions_valued', 2],
      ['new_figure_amount', 7],
    ]);
  });

  it('counts a VaR method\'s own figures as shown when the methods table has the method', () => {
    const v = {
      status: 'ok',
      methods: [{ method: 'historical', var_amount: 1, es_amount: 2, var_pct: 0.1 }],
      historical_var_amount: 1,
      historical_es_amount: 2,
      parametric_var_amount: 3,
      covariance: 'sample',
    };
    expect(extraFields('var', v).map(([k]) => k)).toEqual(['parametric_var_amount', 'covariance']);
  });

  it('shows every field of a section it does not know', () => {
    expect(extraFields('liquidity', { status: 'ok', reason: 'x', days_to_liquidate: 3 })).toEqual([['days_to_liquidate', 3]]);
    expect(extraFields('var', null)).toEqual([]);
  });
});

describe('stressRows', () => {
  it('puts a scenario\'s direct and correlated results side by side, in first-seen order', () => {
    const rows = stressRows([
      { name: 'b', description: 'B', kind: 'historical', method: 'direct', pnl_amount: -2, pnl_pct: -0.2 },
      { name: 'a', description: 'A', kind: 'hypothetical', method: 'correlated', pnl_amount: -1, pnl_pct: -0.1 },
      { name: 'b', description: 'B', kind: 'historical', method: 'correlated', pnl_amount: -3, pnl_pct: -0.3 },
    ]);
    expect(rows).toEqual([
      { name: 'b', description: 'B', kind: 'historical', direct: { pnl_amount: -2, pnl_pct: -0.2 }, correlated: { pnl_amount: -3, pnl_pct: -0.3 } },
      { name: 'a', description: 'A', kind: 'hypothetical', correlated: { pnl_amount: -1, pnl_pct: -0.1 } },
    ]);
  });
});

describe('topContributors', () => {
  it('takes the largest component VaRs first, a missing figure last, ties in the API order', () => {
    const rows = [
      { symbol: 'A', component_var_amount: 1 },
      { symbol: 'B', component_var_amount: null },
      { symbol: 'C', component_var_amount: 5 },
      { symbol: 'D', component_var_amount: 1 },
      { symbol: 'E', component_var_amount: -2 },
    ];
    expect(topContributors(rows).map((r) => r.symbol)).toEqual(['C', 'A', 'D', 'E', 'B']);
    expect(topContributors(rows, 2).map((r) => r.symbol)).toEqual(['C', 'A']);
  });
});

describe('pnlHistogram', () => {
  it('bins as report.md: √n bins within [5, 40]', () => {
    expect(pnlBinCount(1)).toBe(5);
    expect(pnlBinCount(252)).toBe(16);
    expect(pnlBinCount(10_000)).toBe(40);
  });

  it('spans the values and the marker, counts every value once, marks the bins beyond -VaR', () => {
    const values = [-10, -5, -1, 0, 1, 2, 3, 4, 5, null, 10];
    const h = pnlHistogram(values, -12);
    expect(h.lo).toBe(-12);
    expect(h.hi).toBe(10);
    expect(h.bins).toHaveLength(5); // 10 finite values: ⌈√10⌉ = 4, at least 5
    expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(10);
    expect(h.bins[0]!.from).toBe(-12);
    expect(h.bins[4]!.to).toBe(10);
    // The largest value falls in the last bin, not past it.
    expect(h.bins[4]!.count).toBeGreaterThan(0);
    // Bins are 4.4 wide: the first (−12 to −7.6) holds −10; its middle is right of −12, so nothing is beyond.
    expect(h.bins.map((b) => b.beyond)).toEqual([false, false, false, false, false]);
    expect(pnlHistogram([-10, 10], -5).bins.filter((b) => b.beyond).length).toBeGreaterThan(0);
  });

  it('is empty without a value, and takes one value', () => {
    expect(pnlHistogram([], -1).bins).toEqual([]);
    expect(pnlHistogram([null]).bins).toEqual([]);
    const one = pnlHistogram([3]);
    expect(one.lo).toBe(3);
    expect(one.hi).toBe(4);
    expect(one.bins[0]!.count).toBe(1);
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
