// The price fetch's report as the holdings tab reads it from the job's result (a FetchPricesResult,
// docs/marketdata.md), checked rather than trusted.
import { describe, expect, it } from 'vitest';
import { fetchSummary } from './pricesFetch';

describe('fetchSummary', () => {
  it('reads each symbol\'s status and new prices, the failures and the warnings', () => {
    const s = fetchSummary({
      provider: 'yahoo', to: '2026-11-28', stored: true, fetched_bars: 1305, failed: 1,
      symbols: [
        { symbol: 'KLQA', status: 'fetched', requested: [{ from: '2021-11-28', to: '2026-11-28' }], bars: 1305, new_bars: 1305 },
        { symbol: 'KLQB', status: 'up_to_date', requested: [], bars: 0, new_bars: 0 },
        { symbol: 'GONE', status: 'failed', requested: [{ from: '2021-11-28', to: '2026-11-28' }], error: 'yahoo: HTTP 404' },
      ],
      warnings: ['GONE: not stored: yahoo: HTTP 404'],
    });
    expect(s).toEqual({
      symbols: [
        { symbol: 'KLQA', status: 'fetched', new_bars: 1305, error: null },
        { symbol: 'KLQB', status: 'up_to_date', new_bars: 0, error: null },
        { symbol: 'GONE', status: 'failed', new_bars: null, error: 'yahoo: HTTP 404' },
      ],
      failed: 1,
      warnings: ['GONE: not stored: yahoo: HTTP 404'],
      counts: { fetched: 1, up_to_date: 1, failed: 1 },
    });
  });

  it('is null for anything that is not a price fetch\'s report', () => {
    for (const bad of [null, 'done', [], {}, { symbols: [], failed: '0', warnings: [] }, { symbols: {}, failed: 0, warnings: [] }, { symbols: [{ symbol: 1, status: 'fetched' }], failed: 0, warnings: [] }]) {
      expect(fetchSummary(bad)).toBeNull();
    }
    expect(fetchSummary({ symbols: [], failed: 0, warnings: [] })).toEqual({ symbols: [], failed: 0, warnings: [], counts: { fetched: 0, up_to_date: 0, failed: 0 } });
  });
});
