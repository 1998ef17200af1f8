import { describe, expect, it } from 'vitest';
import { fetchedPairs, fxFetchBody } from './fx';

describe('FX page', () => {
  it('makes the fetch body from the form', () => {
    expect(fxFetchBody('', '', false)).toEqual({});
    expect(fxFetchBody('usd, gbp jpy;USD', '2024-01-02', true)).toEqual({ currencies: ['USD', 'GBP', 'JPY'], from: '2024-01-02', full: true });
  });
  it('reads the fx.fetch job result field by field', () => {
    const r = fetchedPairs({
      provider: 'ecb', from: '2024-01-01', to: '2024-03-01', status: 'fetched', rates: 3, requests: 1,
      pairs: [{ pair: 'EUR/USD', stored_until: null, rates: 3, first: '2024-02-28', last: '2024-03-01' }, { rates: 1 }, 'x'],
    });
    expect(r).toEqual({
      provider: 'ecb', from: '2024-01-01', to: '2024-03-01', status: 'fetched', rates: 3,
      pairs: [{ pair: 'EUR/USD', stored_until: null, rates: 3, first: '2024-02-28', last: '2024-03-01' }],
    });
    expect(fetchedPairs(null)).toEqual({ provider: '', from: '', to: '', status: '', rates: 0, pairs: [] });
  });
});
