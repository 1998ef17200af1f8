// A stored position as a row of the editor and a row as the JSON position sent back (POST
// …/positions reads the positions file's columns): the expected objects written out by hand.
import { describe, expect, it } from 'vitest';
import type { StoredPosition } from '../../api/types';
import { makeFmt } from '../../app/format';
import { rowProblems } from '../../components/EditGrid';
import { emptyPosition, positionColumns, positionToRow, rowToPosition } from './positions';

const stock: StoredPosition = { symbol: 'AAPL', type: 'stock', quantity: 1200, multiplier: 1, currency: 'USD', entry_price: 150.25, entry_date: '2017-03-01', sector: 'Information Technology', tags: ['core', 'growth'], strategy: 'long-term' };
const occ: StoredPosition = { symbol: 'AAPL180119C00170000', type: 'option', quantity: -10, multiplier: 100, currency: 'USD', underlying: 'AAPL', strike: 170, expiry: '2018-01-19', option_type: 'call', exercise: 'european', implied_vol: 0.25 };
const listed: StoredPosition = { symbol: 'SPXW-DEC', type: 'option', quantity: 2, multiplier: 50, currency: 'USD', underlying: 'SPY', strike: 265, expiry: '2017-12-15', option_type: 'put', exercise: 'american' };

describe('a stored position as a row', () => {
  it('a stock: every cell as text, tags joined by ";", the default multiplier left empty', () => {
    const r = positionToRow(stock);
    expect(r).toMatchObject({ symbol: 'AAPL', quantity: '1200', type: 'stock', currency: 'USD', entry_price: '150.25', entry_date: '2017-03-01', sector: 'Information Technology', tags: 'core; growth', strategy: 'long-term', multiplier: '', underlying: '', strike: '', implied_vol: '' });
  });
  it('an option with an OCC symbol: the terms are the symbol\'s, not cells', () => {
    expect(positionToRow(occ)).toMatchObject({ symbol: 'AAPL180119C00170000', quantity: '-10', type: 'option', underlying: '', strike: '', expiry: '', option_type: '', exercise: 'european', multiplier: '', implied_vol: '0.25' });
  });
  it('an option without one: its terms in their cells, a multiplier other than 100 kept', () => {
    expect(positionToRow(listed)).toMatchObject({ underlying: 'SPY', strike: '265', expiry: '2017-12-15', option_type: 'put', exercise: 'american', multiplier: '50' });
  });
});

describe('a row as the JSON position', () => {
  it('sends the cells that are filled, numbers as numbers, tags as a list', () => {
    expect(rowToPosition(positionToRow(stock))).toEqual({
      symbol: 'AAPL', quantity: 1200, type: 'stock', currency: 'USD', entry_price: 150.25, entry_date: '2017-03-01',
      sector: 'Information Technology', tags: ['core', 'growth'], strategy: 'long-term',
    });
    expect(rowToPosition(positionToRow(occ))).toEqual({ symbol: 'AAPL180119C00170000', quantity: -10, type: 'option', currency: 'USD', exercise: 'european', implied_vol: 0.25 });
    expect(rowToPosition(positionToRow(listed))).toEqual({
      symbol: 'SPXW-DEC', quantity: 2, type: 'option', currency: 'USD', underlying: 'SPY', strike: 265, expiry: '2017-12-15', option_type: 'put', exercise: 'american', multiplier: 50,
    });
  });
  it('a typed row: symbol and currency in upper case, the padded OCC form as typed, bad numbers as text', () => {
    expect(rowToPosition({ ...emptyPosition(), symbol: ' aapl  240119c00150000 ', quantity: '3', implied_vol: '0.3' })).toEqual({ symbol: 'AAPL  240119C00150000', quantity: 3, implied_vol: 0.3 });
    expect(rowToPosition({ ...emptyPosition(), symbol: 'msft', quantity: 'lots', currency: 'eur', entry_price: '12,5' })).toEqual({ symbol: 'MSFT', quantity: 'lots', currency: 'EUR', entry_price: '12,5' });
  });
  it('leaves out option cells on a row that is not an option, and the terms of an OCC option', () => {
    const was = { ...positionToRow(listed), type: 'stock', symbol: 'SPY' };
    expect(rowToPosition(was)).toEqual({ symbol: 'SPY', quantity: 2, type: 'stock', currency: 'USD', multiplier: 50 });
    const occRow = { ...emptyPosition(), symbol: 'AAPL240119C00150000', quantity: '1', underlying: 'MSFT', strike: '1', type: 'option' };
    expect(rowToPosition(occRow)).toEqual({ symbol: 'AAPL240119C00150000', quantity: 1, type: 'option' });
  });
});

describe('the grid\'s checks as typed', () => {
  const columns = positionColumns(makeFmt('en-US'));
  it('a mistyped OCC symbol, a missing quantity and a type that contradicts the symbol', () => {
    const r = { ...emptyPosition(), symbol: 'AAPL  240119C0015000', type: 'stock' };
    expect(rowProblems(r, columns, undefined)).toEqual([
      { field: 'symbol', message: 'not a valid OCC option symbol: the strike must be 8 digits (strike × 1000, e.g. 00150000 for 150), not 7' },
      { field: 'quantity', message: 'give a number' },
    ]);
    const o = { ...emptyPosition(), symbol: 'AAPL  240119C00150000', quantity: '1', type: 'stock' };
    expect(rowProblems(o, columns, undefined)).toEqual([{ field: 'type', message: 'the symbol is an OCC option symbol: the type is option, not stock' }]);
  });
  it('nothing on a blank row or a good one; the server\'s problem of a cell before the check\'s', () => {
    expect(rowProblems(emptyPosition(), columns, undefined)).toEqual([]);
    const good = { ...emptyPosition(), symbol: 'JPM', quantity: '50', currency: 'usd' };
    expect(rowProblems({ ...good, currency: 'USD' }, columns, undefined)).toEqual([]);
    const bad = { ...good, quantity: 'x' };
    expect(rowProblems(bad, columns, [{ field: 'quantity', message: 'expected a number, got "x"', sent: 'x' }])).toEqual([{ field: 'quantity', message: 'expected a number, got "x"', sent: 'x' }]);
  });
});
