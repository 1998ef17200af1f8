import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { computeVar, histogramPoints, type JobState } from './varJob';

afterEach(() => vi.unstubAllGlobals());

const result = {
  as_of: '2026-11-20', portfolio: 'hnw', value: 1000, positions: 2, window: 250, window_start: '2025-11-20', covariance: 'sample',
  mean: 'zero', parametric_model: 'delta-normal', contributions_method: 'parametric', contributions: [], warnings: [],
  results: [{ method: 'parametric', confidence: 0.99, horizon_days: 1, var: 10, es: 12, var_pct: 0.01, volatility: 4, scenarios: 250 }],
};
const job = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 7, kind: 'risk.var', status, progress: status === 'running' ? 0.5 : null, message: status, attempts: 1, max_attempts: 1,
  created_by: 'analyst', created_at: '', started_at: null, finished_at: null, cancel_requested: false,
  links: { self: '/api/v1/jobs/7', events: '/api/v1/jobs/7/events' }, result: null, error: null, ...extra,
});

// Answers each request with the next body of `bodies` (the first with `firstStatus`).
function serve(firstStatus: number, bodies: unknown[]) {
  const urls: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    const body = bodies[urls.length];
    urls.push(url);
    return new Response(JSON.stringify(body), { status: urls.length === 1 ? firstStatus : 200 });
  });
  return urls;
}

describe('computeVar', () => {
  it('returns the 200 result as it is', async () => {
    const urls = serve(200, [result]);
    const r = await computeVar('hnw', { method: 'parametric' }, () => {}, new AbortController().signal);
    expect(r.results[0]?.var).toBe(10);
    expect(urls).toEqual(['/api/v1/portfolios/hnw/risk/var']);
  });

  it('follows a 202 job through queued and running to its result', async () => {
    const urls = serve(202, [job('queued'), job('running'), job('succeeded', { result })]);
    const states: (string | null)[] = [];
    const r = await computeVar('hnw', { method: 'all' }, (j: JobState | null) => states.push(j ? `${j.status} ${j.progress ?? ''}` : null), new AbortController().signal);
    expect(r.results.map((m) => m.method)).toEqual(['parametric']);
    expect(urls.slice(1)).toEqual(['/api/v1/jobs/7', '/api/v1/jobs/7']);
    expect(states).toEqual([null, 'queued ', 'running 0.5', null]);
  });

  it("turns a failed job into an error with the job's message and details", async () => {
    serve(202, [job('running'), job('failed', { error: { code: 'invalid_input', message: 'no prices', details: ['AAPL: no price'] } })]);
    const e = await computeVar('hnw', {}, () => {}, new AbortController().signal).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).message).toBe('VaR job 7 failed: no prices');
    expect((e as ApiError).details).toEqual(['AAPL: no price']);
  });

  it('refuses a succeeded job whose result has no list of results', async () => {
    serve(202, [job('succeeded', { result: { portfolio: 'hnw' } })]);
    await expect(computeVar('hnw', {}, () => {}, new AbortController().signal)).rejects.toThrow('succeeded without a VaR result');
  });
});

describe('histogramPoints', () => {
  it('gives each bin its centre and count', () => {
    expect(histogramPoints({ kind: 'scenarios', edges: [-2, 0, 2], counts: [3, 5], total: 8 })).toEqual({ points: [[-1, 3], [1, 5]], lo: -2, hi: 2 });
  });
  it('draws nothing from edges that do not fit the counts or are not numbers', () => {
    expect(histogramPoints({ kind: 'density', edges: [], counts: [], total: 0 })).toBeNull();
    expect(histogramPoints({ kind: 'scenarios', edges: [0, 1], counts: [1, 2], total: 3 })).toBeNull();
    expect(histogramPoints({ kind: 'scenarios', edges: [0, null, 2], counts: [1, 2], total: 3 })).toBeNull();
  });
});
