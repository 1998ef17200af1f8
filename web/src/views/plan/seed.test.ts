import { describe, expect, it } from 'vitest';
import { balanceText, networthSeed } from './seed';

const point = (date: string, net_worth: number) => ({ date, net_worth, cash: null, change: null, cost_basis: null, growth: null, market_value: null, unrealized: null });

describe('the plan seeded from the net worth', () => {
  it('takes the last point, its date and the result’s currency', () => {
    expect(networthSeed({ currency: 'EUR', points: [point('2017-11-30', 90000), point('2017-12-29', 101234.56)] })).toEqual({ balance: 101234.56, date: '2017-12-29', currency: 'EUR' });
  });
  it('gives nothing without points or for a debt', () => {
    expect(networthSeed({ currency: 'USD', points: [] })).toBeNull();
    expect(networthSeed({ currency: 'USD', points: [point('2017-12-29', -5)] })).toBeNull();
    expect(networthSeed(null)).toBeNull();
  });
  it('writes the balance to the cent', () => {
    expect(balanceText(101234.56)).toBe('101234.56');
    expect(balanceText(1000000)).toBe('1000000');
    expect(balanceText(0.1 + 0.2)).toBe('0.3');
  });
});
