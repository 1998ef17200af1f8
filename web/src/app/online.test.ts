// @vitest-environment jsdom
// Offline: the browser's events, an API request with no answer, the probe of /healthz that brings
// the app back, and the views' words for it (Loading and ErrorBox).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { cleanup, render, screen } from '@testing-library/react';
import { QueryObserver } from '@tanstack/react-query';

type Online = typeof import('./online');

// A fresh copy of the module (its state is the page's), with navigator.onLine as given.
async function fresh(onLine = true): Promise<Online> {
  vi.resetModules();
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(onLine);
  return import('./online');
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('online state', () => {
  it("starts from navigator.onLine and follows the browser's events", async () => {
    const o = await fresh(false);
    expect(o.isOffline()).toBe(true);
    const seen: boolean[] = [];
    o.subscribeOnline(() => seen.push(o.isOffline()));
    window.dispatchEvent(new Event('online'));
    window.dispatchEvent(new Event('offline'));
    expect(seen).toEqual([false, true]);
  });

  it('counts a request with no answer as offline, and probes /healthz until the server answers', async () => {
    const o = await fresh(true);
    const probes: string[] = [];
    let up = false;
    vi.stubGlobal('fetch', async (url: string) => {
      probes.push(url);
      if (!up) throw new TypeError('Failed to fetch');
      return new Response('{"status":"ok"}');
    });
    o.reportUnreachable();
    expect(o.isOffline()).toBe(true);
    await vi.advanceTimersByTimeAsync(o.PROBE_MS);
    expect(probes).toEqual(['/healthz']);
    expect(o.isOffline()).toBe(true);
    up = true;
    await vi.advanceTimersByTimeAsync(o.PROBE_MS);
    expect(probes).toEqual(['/healthz', '/healthz']);
    expect(o.isOffline()).toBe(false);
    await vi.advanceTimersByTimeAsync(o.PROBE_MS * 3);
    expect(probes).toHaveLength(2); // no probing while online
  });

  it('probes at once when the browser is back online', async () => {
    const o = await fresh(true);
    vi.stubGlobal('fetch', async () => new Response(''));
    window.dispatchEvent(new Event('offline'));
    o.reportUnreachable(); // the requests in flight failed
    expect(o.isOffline()).toBe(true);
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(o.isOffline()).toBe(false);
  });

  it('api(): no answer is ApiError status 0 and offline; any HTTP answer is online', async () => {
    const o = await fresh(true);
    const { api, ApiError } = await import('../api/client');
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const e = await api('GET', '/api/v1/portfolios').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as InstanceType<typeof ApiError>).status).toBe(0);
    expect(o.isOffline()).toBe(true);
    vi.stubGlobal('fetch', async () => new Response('{"error":{"code":"unavailable","message":"busy","details":[]}}', { status: 503 }));
    await expect(api('GET', '/api/v1/portfolios')).rejects.toThrow('busy');
    expect(o.isOffline()).toBe(false);
  });

  it("a query that got no answer fails at once, and runs again when the server is back", async () => {
    const o = await fresh(true);
    const { makeQueryClient } = await import('./queries');
    const { api } = await import('../api/client');
    const qc = makeQueryClient();
    qc.mount();
    const calls: string[] = [];
    let up = false;
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push(url);
      if (!up) throw new TypeError('Failed to fetch');
      return new Response('{"items":[]}');
    });
    const q = new QueryObserver(qc, { queryKey: ['portfolios'], queryFn: () => api('GET', '/api/v1/portfolios') });
    const stop = q.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(q.getCurrentResult().status).toBe('error'); // no retries offline
    expect(calls).toEqual(['/api/v1/portfolios']);
    expect(o.isOffline()).toBe(true);
    up = true;
    await vi.advanceTimersByTimeAsync(o.PROBE_MS);
    expect(calls).toEqual(['/api/v1/portfolios', '/healthz', '/api/v1/portfolios']);
    expect(q.getCurrentResult().status).toBe('success');
    stop();
    qc.unmount();
  });

  it('the views say the app is offline instead of loading, and a request with no answer says so too', async () => {
    const o = await fresh(false);
    const { Loading, ErrorBox } = await import('../components/States');
    const { ApiError } = await import('../api/client');
    render(createElement(Loading, { what: 'portfolios' }));
    expect(screen.getByRole('status').textContent).toBe("You are offline: keel's server cannot be reached. Loading portfolios resumes when it can be reached.");
    cleanup();
    render(createElement(ErrorBox, { error: new ApiError(0, 'network', 'keel serve cannot be reached: TypeError', [], '') }));
    expect(screen.getByRole('alert').textContent).toMatch(/^You are offline: keel's server cannot be reached\./);
    cleanup();
    window.dispatchEvent(new Event('online'));
    expect(o.isOffline()).toBe(false);
    render(createElement(Loading, { what: 'portfolios' }));
    expect(screen.getByRole('status').textContent).toBe('Loading portfolios…');
  });
});
