import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { blankRow, changesOf, isBlank, numberProblem, numOrText, rowOf, serverProblems, standing } from './editRows';

const F = ['symbol', 'quantity', 'implied_vol'] as const;

describe('rows of text cells', () => {
  it('a blank row has every cell empty; each row has a key of its own', () => {
    const a = blankRow(F);
    const b = blankRow(F);
    expect(a.key).not.toBe(b.key);
    expect(isBlank(a, F)).toBe(true);
    expect(isBlank({ ...a, quantity: ' 1 ' }, F)).toBe(false);
    expect(isBlank({ ...a, quantity: '   ' }, F)).toBe(true);
  });
  it('a number cell is sent as a number when it is one, else as the text typed', () => {
    expect(numOrText(' -500 ')).toBe(-500);
    expect(numOrText('0.25')).toBe(0.25);
    expect(numOrText('lots')).toBe('lots');
    expect(numOrText('1,000')).toBe('1,000');
    expect(numberProblem('')).toBeNull();
    expect(numberProblem('', true)).toBe('give a number');
    expect(numberProblem('1,000')).toBe('"1,000" is not a number');
  });
});

describe('unsaved changes', () => {
  it('counts rows added, edited and removed; blank rows count for nothing', () => {
    const a = rowOf(F, { symbol: 'AAPL', quantity: '100' });
    const b = rowOf(F, { symbol: 'MSFT', quantity: '50' });
    const c = rowOf(F, { symbol: 'JPM', quantity: '10' });
    const base = [a, b, c];
    expect(changesOf(base, base, F).total).toBe(0);
    const added = rowOf(F, { symbol: 'WMT', quantity: '5' });
    const edited = { ...b, quantity: '60' };
    const ch = changesOf(base, [a, edited, added, blankRow(F)], F);
    expect([ch.added, ch.changed, ch.removed, ch.total]).toEqual([1, 1, 1, 3]);
    expect([...ch.changedKeys].sort()).toEqual([b.key, added.key].sort());
    // Typed back to what was loaded: no change.
    expect(changesOf(base, [a, { ...edited, quantity: '50' }, c], F).total).toBe(0);
  });
});

describe('the server\'s problems of a refused array', () => {
  const sent = [rowOf(F, { symbol: 'AAPL', quantity: '100' }), rowOf(F, { symbol: 'XYZ', quantity: 'lots', implied_vol: '25' })];
  const error = new ApiError(400, 'invalid_input', '3 problems', [
    'body.json:3:2: quantity: expected a number, got "lots"',
    'body.json:3:3: implied_vol: implied_vol 25 is above 500%: give it as a decimal (0.25 = 25%)',
    'body.json:2: option columns (underlying, strike, expiry, option_type) are set on a stock position: use type option or an OCC symbol',
    'positions: expected an array',
  ], 'r1');
  it('finds the row sent as element i on line i + 2, and the cell by its column name', () => {
    const m = serverProblems(error, sent, F);
    expect(m.get(sent[1]!.key)).toEqual([
      { field: 'quantity', message: 'expected a number, got "lots"', sent: 'lots' },
      { field: 'implied_vol', message: 'implied_vol 25 is above 500%: give it as a decimal (0.25 = 25%)', sent: '25' },
    ]);
    expect(m.get(sent[0]!.key)).toEqual([{ field: null, message: 'option columns (underlying, strike, expiry, option_type) are set on a stock position: use type option or an OCC symbol' }]);
    expect(m.size).toBe(2);
  });
  it('keeps nothing of another error', () => {
    expect(serverProblems(new Error('x'), sent, F).size).toBe(0);
    expect(serverProblems(null, sent, F).size).toBe(0);
  });
  it('drops a cell\'s problem once the cell is edited; the row\'s stay', () => {
    const m = serverProblems(error, sent, F);
    const row = sent[1]!;
    expect(standing(m.get(row.key), row)).toHaveLength(2);
    expect(standing(m.get(row.key), { ...row, quantity: '12' }).map((p) => p.field)).toEqual(['implied_vol']);
    expect(standing(m.get(sent[0]!.key), { ...sent[0]!, symbol: 'MSFT' })).toHaveLength(1);
  });
});
