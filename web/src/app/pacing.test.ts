// Pacing after a 429: Retry-After read as seconds or a date and bounded, one shared wait that a
// view's abort ends, and api() sending a refused request again after the wait.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../api/client';
import { MAX_WAIT_S, pace, pacedUntil, retryAfterSeconds } from './pacing';

describe('retryAfterSeconds', () => {
  it('reads seconds and HTTP dates, at least 1 s and at most the cap', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds(' 0 ', now)).toBe(1);
    expect(retryAfterSeconds('Sat, 28 Nov 2026 12:00:05 GMT', now)).toBe(5);
    expect(retryAfterSeconds('3600', now)).toBe(MAX_WAIT_S);
    expect(retryAfterSeconds(null, now)).toBe(1);
    expect(retryAfterSeconds('soon', now)).toBe(1);
  });
});

describe('pace', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('holds one banner while waits overlap, and an abort ends a wait at once', async () => {
    vi.useFakeTimers();
    const ac = new AbortController();
    const start = Date.now();
    const a = pace(2);
    const b = pace(5, ac.signal);
    expect(pacedUntil()).toBe(start + 5000);
    // The longer wait's view went away: the banner now ends with the other wait.
    ac.abort();
    await expect(b).rejects.toBeDefined();
    expect(pacedUntil()).toBe(start + 2000);
    await vi.advanceTimersByTimeAsync(2000);
    await a;
    expect(pacedUntil()).toBe(0);
  });

  it('api() waits out a 429 and sends the request again', async () => {
    vi.useFakeTimers();
    const answers = [
      new Response('{"error":{"code":"rate_limited","message":"slow down","details":[]}}', { status: 429, headers: { 'Retry-After': '2' } }),
      new Response('{"ok":true}', { status: 200 }),
    ];
    const calls: number[] = [];
    vi.stubGlobal('fetch', async () => {
      calls.push(Date.now());
      return answers.shift()!;
    });
    const got = api<{ ok: boolean }>('GET', '/api/v1/portfolios');
    await vi.advanceTimersByTimeAsync(2000);
    expect(await got).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(2000);
  });

  it('gives the 429 to the view once the waits run out', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('fetch', async () => new Response('{"error":{"code":"rate_limited","message":"slow down","details":[]}}', { status: 429, headers: { 'Retry-After': '1' } }));
    const got = api('GET', '/api/v1/portfolios').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await got).toMatchObject({ status: 429, code: 'rate_limited' });
  });
});
