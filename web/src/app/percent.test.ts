import { describe, expect, it } from 'vitest';
import { fractionText, fractionToPercent, parsePercent, percentText, percentToFraction } from './percent';

describe('percent <-> fraction', () => {
  it('turns fractions into percents without floating-point noise', () => {
    expect(fractionToPercent(0.04)).toBe(4);
    expect(fractionToPercent(0.07)).toBe(7); // 0.07 * 100 = 7.000000000000001
    expect(fractionToPercent(0.025)).toBe(2.5);
    expect(fractionToPercent(0.0125)).toBe(1.25);
    expect(fractionToPercent('0.9')).toBe(90);
    expect(fractionToPercent(-0.1)).toBe(-10);
    expect(fractionToPercent(0)).toBe(0);
    expect(fractionToPercent('')).toBeNull();
    expect(fractionToPercent('x')).toBeNull();
    expect(fractionToPercent(null)).toBeNull();
    expect(fractionToPercent(Number.NaN)).toBeNull();
  });
  it('turns percents into fractions without floating-point noise', () => {
    expect(percentToFraction(4)).toBe(0.04);
    expect(percentToFraction(7)).toBe(0.07);
    expect(percentToFraction(2.5)).toBe(0.025);
    expect(percentToFraction(0.1)).toBe(0.001);
    expect(percentToFraction(33.3)).toBe(0.333); // 33.3 / 100 = 0.33299999999999996
    expect(percentToFraction('4,5')).toBe(0.045);
    expect(percentToFraction(' 12 % ')).toBe(0.12);
    expect(percentToFraction('')).toBeNull();
    expect(percentToFraction('four')).toBeNull();
    expect(percentToFraction('4..5')).toBeNull();
  });
  it('reads what a person types', () => {
    expect(parsePercent('4')).toBe(4);
    expect(parsePercent('-2.5')).toBe(-2.5);
    expect(parsePercent('.5')).toBe(0.5);
    expect(parsePercent('5%')).toBe(5);
    expect(parsePercent('1e1')).toBe(10);
    expect(parsePercent('abc')).toBeNull();
    expect(parsePercent('4 5')).toBeNull();
  });
  it('round-trips the address text', () => {
    for (const f of ['0.04', '0.025', '0.9', '0.07', '0.333', '1', '0']) expect(fractionText(percentText(f))).toBe(String(Number(f)));
    expect(percentText(null)).toBe('');
    expect(fractionText('')).toBeNull();
  });
});
