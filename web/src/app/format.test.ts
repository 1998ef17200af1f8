import { describe, expect, it } from 'vitest';
import { bookCurrency, makeFmt } from './format';

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

describe('money with a currency', () => {
  it('names the ISO code where the locale puts it', () => {
    expect(makeFmt('en-US').money(107877.4, 'USD')).toBe('USD\u00a0107,877');
    expect(makeFmt('en-US').money(-2500, 'EUR')).toBe('-EUR\u00a02,500');
    expect(makeFmt('de-DE').money(107877.4, 'USD')).toBe('107.877\u00a0USD');
  });
  it('puts another label after the figure, and a dash for a missing value', () => {
    expect(makeFmt('en-US').money(1234, 'mixed')).toBe('1,234 mixed');
    expect(makeFmt('de-DE').money(1234, 'mixed')).toBe('1.234 mixed');
    expect(makeFmt('en-US').money(null, 'USD')).toBe('–');
    expect(makeFmt('en-US').money(Number.POSITIVE_INFINITY, 'USD')).toBe('–');
  });
  it('gives cents when asked', () => {
    expect(makeFmt('en-US').money(1082.524, 'USD', 2)).toBe('USD\u00a01,082.52');
    expect(makeFmt('de-DE').money(1082.5, 'EUR', 2)).toBe('1.082,50\u00a0EUR');
    expect(makeFmt('en-US').money(1082.5, undefined, 2)).toBe('1,082.50');
    expect(makeFmt('en-US').money(1082.5, 'USD')).toBe('USD\u00a01,083');
  });
  it('keeps the plain figure without a currency', () => {
    expect(makeFmt('en-US').money(107877.4)).toBe('107,877');
  });
});

describe('a price with its currency', () => {
  it('keeps two to four decimals and names the currency where the locale puts it', () => {
    expect(makeFmt('en-US').price(150, 'USD')).toBe('USD\u00a0150.00');
    expect(makeFmt('en-US').price(0.12345, 'EUR')).toBe('EUR\u00a00.1235');
    expect(makeFmt('de-DE').price(1234.5, 'USD')).toBe('1.234,50\u00a0USD');
    expect(makeFmt('en-US').price(2.5, 'mixed')).toBe('2.50 mixed');
    expect(makeFmt('en-US').price(null, 'USD')).toBe('–');
  });
});

describe('bookCurrency', () => {
  it('is the one currency of the positions', () => {
    expect(bookCurrency(['EUR', 'eur', null])).toBe('EUR');
  });
  it('is mixed when the positions differ, and USD when none is named', () => {
    expect(bookCurrency(['USD', 'EUR'])).toBe('mixed');
    expect(bookCurrency([])).toBe('USD');
    expect(bookCurrency([undefined, ''])).toBe('USD');
  });
});
