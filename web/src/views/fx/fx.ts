// The FX page's requests and readings: the body of POST /api/v1/fx/fetch from the form, and the
// fx.fetch job's result (a FetchFxResult, which the OpenAPI document does not type: a job's result
// is untyped) read field by field.
import type { Schemas } from '../../api/client';

type FxFetchRequest = Partial<Schemas['FxFetchRequest']>;

// The currencies typed ("usd, gbp jpy") as the API's list (["USD","GBP","JPY"]); the date and the
// whole-range choice only when given.
export function fxFetchBody(currencies: string, from: string, full: boolean): FxFetchRequest {
  const body: FxFetchRequest = {};
  const list = currencies.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter(Boolean);
  if (list.length) body.currencies = [...new Set(list)];
  if (from) body.from = from;
  if (full) body.full = true;
  return body;
}

export interface FetchedFxPair {
  pair: string;
  stored_until: string | null;
  rates: number;
  first: string | null;
  last: string | null;
}
export interface FxFetchSummary {
  provider: string;
  from: string;
  to: string;
  status: string; // fetched, no_new_data or up_to_date
  rates: number;
  pairs: FetchedFxPair[];
}

const str = (x: unknown): string => (typeof x === 'string' ? x : '');
const strOrNull = (x: unknown): string | null => (typeof x === 'string' ? x : null);
const count = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

export function fetchedPairs(result: unknown): FxFetchSummary {
  const r = typeof result === 'object' && result !== null && !Array.isArray(result) ? (result as Record<string, unknown>) : {};
  const pairs = Array.isArray(r.pairs) ? r.pairs : [];
  return {
    provider: str(r.provider),
    from: str(r.from),
    to: str(r.to),
    status: str(r.status),
    rates: count(r.rates),
    pairs: pairs
      .filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null && typeof (p as Record<string, unknown>).pair === 'string')
      .map((p) => ({ pair: str(p.pair), stored_until: strOrNull(p.stored_until), rates: count(p.rates), first: strOrNull(p.first), last: strOrNull(p.last) })),
  };
}
