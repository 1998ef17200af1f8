import { describe, expect, it } from 'vitest';
import { buildReturnModel, DEFAULT_RETURNS, modelProblems, parseReturnModel, withDistribution } from './returnModel';

describe('return model', () => {
  it('reads the formulas of PlanRequest.returns as percents', () => {
    expect(parseReturnModel(DEFAULT_RETURNS)).toEqual({ distribution: 'normal', mean: 6, volatility: 12 });
    expect(parseReturnModel('t:0.07,0.15,4')).toEqual({ distribution: 't', mean: 7, volatility: 15, df: 4 });
    expect(parseReturnModel('mix:0.07,0.16,0.03,0.06,0.1')).toEqual({ distribution: 'mix', mean: 7, volatility: 16, bondMean: 3, bondVolatility: 6, correlation: 0.1 });
    expect(parseReturnModel(' normal: 0.055 , 0.1 ')).toEqual({ distribution: 'normal', mean: 5.5, volatility: 10 });
  });
  it('leaves what it cannot show to the text field', () => {
    expect(parseReturnModel('bootstrap')).toBeNull();
    expect(parseReturnModel('bootstrap:file.csv')).toBeNull();
    expect(parseReturnModel('normal:0.06')).toBeNull();
    expect(parseReturnModel('normal:0.06,abc')).toBeNull();
    expect(parseReturnModel('t:0.06,0.12')).toBeNull();
    expect(parseReturnModel('')).toBeNull();
    expect(parseReturnModel(null)).toBeNull();
  });
  it('builds the formula the API takes, in decimals without noise', () => {
    expect(buildReturnModel({ distribution: 'normal', mean: 6, volatility: 12 })).toBe('normal:0.06,0.12');
    expect(buildReturnModel({ distribution: 'normal', mean: 7, volatility: 33.3 })).toBe('normal:0.07,0.333');
    expect(buildReturnModel({ distribution: 'normal', mean: -1.5, volatility: 0 })).toBe('normal:-0.015,0');
    expect(buildReturnModel({ distribution: 't', mean: 6, volatility: 12, df: 5 })).toBe('t:0.06,0.12,5');
    expect(buildReturnModel({ distribution: 't', mean: 6, volatility: 12 })).toBe('t:0.06,0.12,5');
    expect(buildReturnModel({ distribution: 'mix', mean: 7, volatility: 16, bondMean: 3, bondVolatility: 6, correlation: 0.1 })).toBe('mix:0.07,0.16,0.03,0.06,0.1');
    for (const f of ['normal:0.06,0.12', 't:0.065,0.14,7', 'mix:0.07,0.16,0.03,0.06,-0.2']) expect(buildReturnModel(parseReturnModel(f)!)).toBe(f);
  });
  it('keeps mean and volatility across a change of distribution', () => {
    const m = { distribution: 'normal' as const, mean: 5, volatility: 10 };
    expect(withDistribution(m, 't')).toEqual({ distribution: 't', mean: 5, volatility: 10, df: 5 });
    expect(buildReturnModel(withDistribution(m, 'mix'))).toBe('mix:0.05,0.1,0.03,0.06,0.1');
    expect(withDistribution(withDistribution(m, 'mix'), 'normal')).toEqual(m);
  });
  it('names what the API would refuse', () => {
    expect(modelProblems({ distribution: 'normal', mean: 6, volatility: 12 })).toEqual([]);
    expect(modelProblems({ distribution: 'normal', mean: 6, volatility: -1 })).toEqual(['volatility']);
    expect(modelProblems({ distribution: 't', mean: 6, volatility: 12, df: 2 })).toEqual(['df']);
    expect(modelProblems({ distribution: 'mix', mean: 6, volatility: 12, bondMean: 3, bondVolatility: 6, correlation: 1.5 })).toEqual(['correlation']);
    expect(modelProblems({ distribution: 'normal', mean: Number.NaN, volatility: 12 })).toEqual(['number']);
  });
});
