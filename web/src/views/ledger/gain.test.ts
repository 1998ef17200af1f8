// "Where the gain came from": the parts in order then the total, the check that they add up to the
// cent (docs/ledger.md's worked example), and amounts with their sign in both languages.
import { describe, expect, it } from 'vitest';
import { gainAddsUp, gainRows, makeSignedAmount } from './gain';

// docs/ledger.md: 678.83 = 663.42 + 50.61 + 0 - 35.20.
const example = { total: 678.83, price: 663.42, income: 50.61, fees: 0, currency: -35.2 };

describe('gainRows', () => {
  it('lists price, income, fees, currency, then the total', () => {
    expect(gainRows(example)).toEqual([
      { key: 'price', amount: 663.42 },
      { key: 'income', amount: 50.61 },
      { key: 'fees', amount: 0 },
      { key: 'currency', amount: -35.2 },
      { key: 'total', amount: 678.83 },
    ]);
  });
});

describe('gainAddsUp', () => {
  it('adds the parts in cents, so binary fractions do not miss', () => {
    expect(0.1 + 0.2 === 0.3).toBe(false);
    expect(gainAddsUp({ total: 0.3, price: 0.1, income: 0.2, fees: 0, currency: 0 })).toBe(true);
    expect(gainAddsUp(example)).toBe(true);
  });

  it('is false when a cent is missing or an amount is absent', () => {
    expect(gainAddsUp({ ...example, total: 678.84 })).toBe(false);
    expect(gainAddsUp({ ...example, currency: null })).toBe(false);
    expect(gainAddsUp({ ...example, total: null })).toBe(false);
  });
});

describe('makeSignedAmount', () => {
  it('shows the sign, the code and two decimals in the locale', () => {
    const en = makeSignedAmount('en-US');
    expect(en(663.42, 'USD')).toBe('+USD\u00a0663.42');
    expect(en(-35.2, 'USD')).toBe('-USD\u00a035.20');
    expect(en(0, 'USD')).toBe('USD\u00a00.00');
    expect(en(-0.001, 'USD')).toBe('USD\u00a00.00');
    const de = makeSignedAmount('de-DE');
    expect(de(1234.5, 'EUR')).toBe('+1.234,50\u00a0EUR');
    expect(de(-35.2, 'EUR')).toBe('-35,20\u00a0EUR');
  });

  it('puts a code Intl does not know after the figure, and a dash for no amount', () => {
    expect(makeSignedAmount('en-US')(5, 'points')).toBe('+5.00 points');
    expect(makeSignedAmount('en-US')(null, 'USD')).toBe('–');
  });
});
