import { describe, expect, it } from 'vitest';
import { endsWithLineEnding, parseCsv, parseProblem, toCsv } from './csv';

describe('csv', () => {
  it('reads quoted cells, doubled quotes and CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","he said ""hi"""\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"'],
    ]);
  });
  it('writes what it reads', () => {
    const rows = [['symbol', 'tags'], ['AAPL', 'core;growth'], ['X', 'a,b']];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });
  it('keeps a file\'s missing last line ending when asked', () => {
    const rows = [['date', 'symbol', 'close'], ['2017-12-06', 'AAPL', '169.01']];
    expect(toCsv(rows)).toBe('date,symbol,close\n2017-12-06,AAPL,169.01\n');
    expect(toCsv(rows, false)).toBe('date,symbol,close\n2017-12-06,AAPL,169.01');
    expect(endsWithLineEnding('a\n1')).toBe(false);
    expect(endsWithLineEnding('a\n1\n')).toBe(true);
    expect(endsWithLineEnding('a\r\n1\r\n')).toBe(true);
    expect(endsWithLineEnding('')).toBe(true);
  });
  it('reads the line and column of a server problem', () => {
    expect(parseProblem('body.csv:3:2: quantity: expected a number, got "abc"')).toEqual({
      line: 3,
      column: 2,
      message: 'quantity: expected a number, got "abc"',
    });
    expect(parseProblem('no position')).toBeNull();
  });
});
