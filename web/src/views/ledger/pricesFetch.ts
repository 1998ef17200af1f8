// Fresh prices for an account's holdings: POST /api/v1/prices/fetch {account} starts a job of kind
// prices.fetch (202) on the server's own market-data provider; it is followed live (the job's
// server-sent events, as the job page follows a job) to its end, and its result, a
// FetchPricesResult (docs/marketdata.md), is read here. The document gives the job's result no
// schema, so its parts are checked rather than trusted.
import { api, ApiError } from '../../api/client';
import type { Job, PricesFetchRequest } from '../../api/types';
import { choiceLabel, enT, type Translate } from '../../app/i18n';
import { followJob } from '../jobs/JobsView';

export type FetchState = Pick<Job, 'id' | 'status' | 'progress' | 'message'>;

export interface FetchedSymbol {
  symbol: string;
  status: string; // fetched, up_to_date or failed
  new_bars: number | null;
  error: string | null;
}
export interface FetchSummary {
  symbols: FetchedSymbol[];
  failed: number;
  warnings: string[];
  counts: { fetched: number; up_to_date: number; failed: number };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

// The parts of a FetchPricesResult the page shows, or null when `result` is not one.
export function fetchSummary(result: unknown): FetchSummary | null {
  if (!isObject(result) || !Array.isArray(result.symbols) || typeof result.failed !== 'number' || !Array.isArray(result.warnings)) return null;
  const symbols: FetchedSymbol[] = [];
  for (const s of result.symbols as unknown[]) {
    if (!isObject(s) || typeof s.symbol !== 'string' || typeof s.status !== 'string') return null;
    symbols.push({
      symbol: s.symbol,
      status: s.status,
      new_bars: typeof s.new_bars === 'number' ? s.new_bars : null,
      error: typeof s.error === 'string' ? s.error : null,
    });
  }
  const count = (status: string) => symbols.filter((s) => s.status === status).length;
  return {
    symbols,
    failed: result.failed,
    warnings: (result.warnings as unknown[]).map(String),
    counts: { fetched: count('fetched'), up_to_date: count('up_to_date'), failed: count('failed') },
  };
}

// What to fetch prices for: an account's holdings or a stored portfolio's symbols.
export type FetchTarget = Pick<PricesFetchRequest, 'account'> | Pick<PricesFetchRequest, 'portfolio'>;

// POSTs `body` to a route that answers with a job (202), tells `onJob` of each state of the job
// while it runs (its server-sent events) and gives the job once it succeeded; a job that failed or
// was cancelled is an ApiError whose message is `ended(job)` and the job's error.
export async function runJob(path: string, body: unknown, onJob: (j: FetchState) => void, signal: AbortSignal, ended: (j: Job) => string): Promise<Job> {
  const job = await api<Job>('POST', path, { body, signal });
  onJob(job);
  if (job.status === 'queued' || job.status === 'running') {
    await followJob(job.id, (j) => onJob({ id: job.id, status: j.status, progress: j.progress ?? null, message: j.message ?? '' }), signal);
  }
  const done = await api<Job>('GET', `/api/v1/jobs/${job.id}`, { signal });
  onJob(done);
  if (done.status !== 'succeeded') {
    const why = done.error ? `: ${done.error.message}` : '';
    throw new ApiError(done.status === 'failed' ? 500 : 409, done.error?.code ?? done.status, `${ended(done)}${why}`, done.error?.details ?? [], '');
  }
  return done;
}

// Starts the fetch for an account's holdings or a portfolio's symbols, tells `onJob` of each state
// of its job, and gives its summary; a job that failed or was cancelled is an ApiError with the
// job's error.
export async function fetchPrices(body: FetchTarget, onJob: (j: FetchState) => void, signal: AbortSignal, t: Translate = enT): Promise<FetchSummary> {
  const done = await runJob('/api/v1/prices/fetch', body, onJob, signal, (j) => t('ledger.px.ended', { id: j.id, status: choiceLabel(t, 'status', j.status) }));
  const summary = fetchSummary(done.result);
  if (!summary) throw new ApiError(500, 'bad_result', t('ledger.px.badResult', { id: done.id }), [], '');
  return summary;
}
