// The symbol rule against keel's own (src/portfolio/occ_symbol.cpp, src/io/position_row.cpp): each
// example worked out by hand from the C++ — the 15-character tail YYMMDD + C|P + 8 digits, the root
// before it less trailing spaces (1 to 6 characters), then looks_like_occ and is_valid_ticker.
import { describe, expect, it } from 'vitest';
import { isTicker, looksLikeOcc, occProblem, parseOcc, symbolProblem } from './symbols';

describe('OCC option symbols keel accepts', () => {
  it('reads the padded form (21 characters, root padded to 6)', () => {
    // "AAPL  " + "240119" + "C" + "00150000": expiry 2024-01-19, call, 150000 / 1000 = 150.
    expect(parseOcc('AAPL  240119C00150000')).toEqual({ root: 'AAPL', expiry: '2024-01-19', right: 'call', strike: 150, compact: 'AAPL240119C00150000' });
  });
  it('reads the compact form, and any number of padding spaces', () => {
    expect(parseOcc('AAPL240119C00150000')?.compact).toBe('AAPL240119C00150000');
    expect(parseOcc('AAPL 240119C00150000')?.compact).toBe('AAPL240119C00150000');
    // A 6-character root leaves no room for padding: 21 characters as they are.
    expect(parseOcc('GOOGL1240119P00087500')).toEqual({ root: 'GOOGL1', expiry: '2024-01-19', right: 'put', strike: 87.5, compact: 'GOOGL1240119P00087500' });
  });
  it('takes a one-letter root, a dot in a root, and 29 February of a leap year', () => {
    expect(parseOcc('F     250321C00012500')?.strike).toBe(12.5);
    expect(parseOcc('BRK.B 241220P00400000')?.root).toBe('BRK.B');
    expect(parseOcc('SPY240229P00400000')?.expiry).toBe('2024-02-29');
  });
  it('takes a strike of a fraction of a cent (8 digits: thousandths)', () => {
    expect(parseOcc('XYZ250117C00000001')?.strike).toBe(0.001);
  });
});

describe('OCC option symbols keel refuses, and why', () => {
  it('a date that is not on the calendar', () => {
    // 2023 is no leap year; month 13; day 32; day 0.
    expect(occProblem('SPY230229P00400000')).toBe('the expiry "230229" is not a calendar date (YYMMDD)');
    expect(occProblem('AAPL241319C00150000')).toBe('the expiry "241319" is not a calendar date (YYMMDD)');
    expect(occProblem('AAPL240132C00150000')).toMatch(/not a calendar date/);
    expect(occProblem('AAPL240100C00150000')).toMatch(/not a calendar date/);
    expect(occProblem('AAPL240431C00150000')).toMatch(/not a calendar date/); // April has 30 days
  });
  it('a right other than C or P', () => {
    expect(occProblem('AAPL240119X00150000')).toBe('after the expiry comes C (call) or P (put), not "X"');
  });
  it('a strike that is zero or not 8 digits', () => {
    expect(occProblem('AAPL240119C00000000')).toBe('the strike must be positive');
    // 7 digits: keel's tail would be "L240119C0015000", whose "expiry" L24011 is not digits.
    expect(occProblem('AAPL240119C0015000')).toBe('the strike must be 8 digits (strike × 1000, e.g. 00150000 for 150), not 7');
    expect(occProblem('AAPL240119C001500000')).toMatch(/not 9$/);
    expect(occProblem('AAPL240119C0015000A')).toBe('the strike "0015000A" must be 8 digits (strike × 1000)');
  });
  it('a root too long, or not upper case', () => {
    expect(occProblem('GOOGLEX240119C00150000')).toBe('the root "GOOGLEX" is longer than 6 characters');
    expect(occProblem('aapl  240119C00150000')).toBe('the root "aapl" must be upper-case letters or digits');
    expect(occProblem('AA PL 240119C00150000')).toBe('the root "AA PL" must be upper-case letters or digits');
  });
  it('too short to hold the 15-character tail and a root', () => {
    expect(occProblem('240119C00150000')).toMatch(/^an OCC option symbol is ROOT/);
    expect(parseOcc('AAPL')).toBeNull();
  });
});

describe('what keel takes for an attempt at an OCC symbol (looks_like_occ)', () => {
  it('letters, spaces or dots (1 to 8), at least five digits, then C or P', () => {
    expect(looksLikeOcc('AAPL240119C0015000')).toBe(true);
    expect(looksLikeOcc('AAPL  24011C')).toBe(true);
    expect(looksLikeOcc('aapl24011P')).toBe(true);
    expect(looksLikeOcc('AAPL2401C')).toBe(false); // four digits
    expect(looksLikeOcc('AAPL240119X00150000')).toBe(false); // X after the digits
    expect(looksLikeOcc('ABCDEFGHI240119C1')).toBe(false); // nine letters
    expect(looksLikeOcc('240119C00150000')).toBe(false); // no root
  });
});

describe('tickers (is_valid_ticker)', () => {
  it('1 to 12 of A-Z 0-9 . - ^ / =, starting with a letter, a digit or ^', () => {
    for (const t of ['AAPL', 'BRK.B', '^GSPC', 'EURUSD=X', 'BF-B', '7203', 'ABCDEFGHIJKL']) expect(isTicker(t)).toBe(true);
    for (const t of ['', 'aapl', '.X', 'ABCDEFGHIJKLM', 'BRK B', 'AB_C']) expect(isTicker(t)).toBe(false);
  });
});

describe('symbolProblem: a position\'s symbol cell as keel reads it', () => {
  it('nothing for a ticker or an OCC symbol, typed in any case (the grid sends upper case)', () => {
    expect(symbolProblem('AAPL')).toBeNull();
    expect(symbolProblem(' msft ')).toBeNull();
    expect(symbolProblem('AAPL  240119C00150000')).toBeNull();
    expect(symbolProblem('aapl  240119c00150000')).toBeNull();
  });
  it('names a malformed OCC symbol as such (looks_like_occ)', () => {
    expect(symbolProblem('AAPL  240231C00150000')).toBe('not a valid OCC option symbol: the expiry "240231" is not a calendar date (YYMMDD)');
    expect(symbolProblem('AAPL240119C0015000')).toBe('not a valid OCC option symbol: the strike must be 8 digits (strike × 1000, e.g. 00150000 for 150), not 7');
  });
  it('a long symbol that is neither: what is wrong with it as an OCC symbol', () => {
    // looks_like_occ is false (X follows the digits), and 19 characters is no ticker.
    expect(symbolProblem('AAPL240119X00150000')).toBe(
      'neither a ticker (1 to 12 of A-Z 0-9 . - ^ / =) nor an OCC option symbol: after the expiry comes C (call) or P (put), not "X"',
    );
  });
  it('a short symbol that is no ticker, and an empty one', () => {
    expect(symbolProblem('AB_C')).toMatch(/^not a ticker/);
    expect(symbolProblem('  ')).toBe('give a ticker or an OCC option symbol');
  });
});
