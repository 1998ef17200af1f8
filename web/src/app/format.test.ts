import { describe, expect, it } from 'vitest';
import { makeFmt } from './format';

// Expected strings written out by hand from the CLDR conventions of each locale.
describe('makeFmt', () => {
  it('formats money and percentages in en-US', () => {
    const f = makeFmt('en-US');
    expect(f.money(2213222.42)).toBe('2,213,222');
    expect(f.pct(0.0181006, 2)).toBe('1.81%');
    expect(f.num(-0.5, 3)).toBe('-0.500');
  });
  it('formats money and percentages in de-DE', () => {
    const f = makeFmt('de-DE');
    expect(f.money(2213222.42)).toBe('2.213.222');
    expect(f.pct(0.0181006, 2)).toBe('1,81\u00a0%');
    expect(f.num(1234.5, 1)).toBe('1.234,5');
  });
  it('shows a dash for missing values', () => {
    expect(makeFmt('en-US').money(null)).toBe('–');
    expect(makeFmt('en-US').pct(Number.NaN)).toBe('–');
  });
});
