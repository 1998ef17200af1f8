import { describe, expect, it } from 'vitest';
import { groupReadiness, namedSymbols, type ReadinessItem } from './readiness';

const item = (what: string, symbol = ''): ReadinessItem => ({ what, symbol, missing: `${what} ${symbol}`, how_to_fix: 'keel …' });

describe('groupReadiness', () => {
  it('groups the items by kind in the server order, each keeping its items in order', () => {
    const groups = groupReadiness([item('sectors', 'AAPL'), item('prices', 'MSFT'), item('sectors', 'SAP'), item('fx', 'EUR'), item('prices', 'SAP')]);
    expect(groups.map((g) => g.what)).toEqual(['prices', 'sectors', 'fx']);
    expect(groups[0]!.items.map((i) => i.symbol)).toEqual(['MSFT', 'SAP']);
    expect(groups[1]!.items.map((i) => i.symbol)).toEqual(['AAPL', 'SAP']);
  });
  it('puts a kind it does not know last, in the order it came', () => {
    expect(groupReadiness([item('zeta'), item('alpha'), item('factors')]).map((g) => g.what)).toEqual(['factors', 'zeta', 'alpha']);
  });
  it('is empty for a ready portfolio', () => {
    expect(groupReadiness([])).toEqual([]);
  });
});

describe('namedSymbols', () => {
  it('lists each symbol once and skips the portfolio-wide items', () => {
    expect(namedSymbols([item('option_inputs', 'X'), item('option_inputs', 'X'), item('factors'), item('option_inputs', 'Y')])).toEqual(['X', 'Y']);
  });
});
