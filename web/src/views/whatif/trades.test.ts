import { describe, expect, it } from 'vitest';
import { emptyRow, toTrade } from './trades';

describe('toTrade', () => {
  it('sends only the filled cells, numbers as numbers and symbols upper case', () => {
    const r = { ...emptyRow(), symbol: ' aapl ', quantity: '-500', price: '' };
    expect(toTrade(r)).toEqual({ symbol: 'AAPL', quantity: -500 });
  });
  it('keeps a cell that is not a number as text, so the server names it', () => {
    expect(toTrade({ ...emptyRow(), symbol: 'JPM', quantity: 'lots' })).toEqual({ symbol: 'JPM', quantity: 'lots' });
  });
  it('carries an option not yet held with its terms', () => {
    const r = { ...emptyRow(), symbol: 'AAPL180119C00170000', quantity: '2', price: '5.5', type: 'option', underlying: 'aapl', strike: '170', expiry: '2018-01-19', option_type: 'call', multiplier: '100' };
    expect(toTrade(r)).toEqual({ symbol: 'AAPL180119C00170000', quantity: 2, price: 5.5, type: 'option', underlying: 'AAPL', strike: 170, expiry: '2018-01-19', option_type: 'call', multiplier: 100 });
  });
  it('leaves out the option columns of a row whose type is not option (they are hidden)', () => {
    const r = { ...emptyRow(), symbol: 'MSFT', quantity: '10', type: 'stock', underlying: 'AAPL', strike: '170' };
    expect(toTrade(r)).toEqual({ symbol: 'MSFT', quantity: 10, type: 'stock' });
  });
});
