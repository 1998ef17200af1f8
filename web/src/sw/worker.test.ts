// @vitest-environment node
/// <reference types="node" />
// The service worker as the build writes it (swSource's text), run in a fresh V8 context against a
// stand-in of its scope: it caches the shell and nothing else, answers the shell's files from the
// cache, falls back to index.html for a page load the network cannot answer, and never answers an
// /api/ request (or any other request outside the shell) nor puts anything into a cache.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { swSource, type Shell } from './worker';

const ORIGIN = 'https://keel.example';
const shell: Shell = {
  version: '0123456789abcdef',
  files: ['/index.html', '/assets/index-abc.js', '/assets/index-abc.css', '/manifest.webmanifest', '/icon-192.png'],
};

type Listener = (e: unknown) => void;

class FakeCache {
  readonly entries = new Map<string, Response>();
  readonly puts: string[] = [];
  constructor(private readonly net: (r: Request) => Promise<Response>) {}
  async addAll(reqs: Request[]) {
    for (const r of reqs) {
      const res = await this.net(r);
      if (!res.ok) throw new TypeError(`addAll: ${r.url} ${res.status}`);
      this.entries.set(r.url, res);
    }
  }
  async put(r: Request | string, res: Response) {
    const url = new URL(typeof r === 'string' ? r : r.url, ORIGIN).href;
    this.puts.push(url);
    this.entries.set(url, res);
  }
  async match(r: Request | string) {
    return this.entries.get(new URL(typeof r === 'string' ? r : r.url, ORIGIN).href)?.clone();
  }
}

function worker(online = true) {
  const listeners: Record<string, Listener> = {};
  const fetched: string[] = [];
  const state = { online, skipped: false, claimed: false };
  const net = async (r: Request) => {
    fetched.push(r.url);
    if (!state.online) throw new TypeError('Failed to fetch');
    return new Response(`network ${new URL(r.url).pathname}`, { status: 200 });
  };
  const stores = new Map<string, FakeCache>();
  const caches = {
    open: async (name: string) => {
      if (!stores.has(name)) stores.set(name, new FakeCache(net));
      return stores.get(name)!;
    },
    keys: async () => [...stores.keys()],
    delete: async (name: string) => stores.delete(name),
    match: async () => undefined,
  };
  const self = {
    location: { origin: ORIGIN },
    caches,
    clients: { claim: async () => void (state.claimed = true) },
    skipWaiting: async () => void (state.skipped = true),
    fetch: net,
    addEventListener: (type: string, f: Listener) => void (listeners[type] = f),
  };
  // Relative URLs resolve against the worker's origin, as they do in a worker.
  class WorkerRequest extends Request {
    constructor(u: string, init?: RequestInit) {
      super(new URL(u, ORIGIN), init);
    }
  }
  runInNewContext(swSource(shell), { self, URL, Request: WorkerRequest, Response, TypeError });

  const extendable = async (type: string) => {
    let wait: Promise<unknown> = Promise.resolve();
    listeners[type]!({ waitUntil: (p: Promise<unknown>) => void (wait = p) });
    await wait;
  };
  // A fetch event: the response the worker gave, or null when it left the request to the network.
  const request = async (path: string, init: { method?: string; mode?: string } = {}) => {
    let answer: Promise<Response> | null = null;
    const req = { url: new URL(path, ORIGIN).href, method: init.method ?? 'GET', mode: init.mode ?? 'cors' };
    listeners.fetch!({ request: req, respondWith: (r: Promise<Response>) => void (answer = r) });
    return answer === null ? null : await (answer as Promise<Response>);
  };
  const everyCachedUrl = () => [...stores.values()].flatMap((c) => [...c.entries.keys()]);
  const everyPut = () => [...stores.values()].flatMap((c) => c.puts);
  return { state, stores, fetched, extendable, request, everyCachedUrl, everyPut };
}

describe('service worker', () => {
  it('refuses to build with an API path in the shell', () => {
    expect(() => swSource({ ...shell, files: [...shell.files, '/api/v1/portfolios'] })).toThrow(/API paths/);
    expect(() => swSource({ ...shell, files: ['/assets/x.js'] })).toThrow(/index.html/);
  });

  it('caches the shell in a cache named by the version, takes over, and removes old versions', async () => {
    const w = worker();
    await w.extendable('install');
    expect([...w.stores.keys()]).toEqual(['keel-shell-0123456789abcdef']);
    expect(w.everyCachedUrl().sort()).toEqual(shell.files.map((f) => ORIGIN + f).sort());
    expect(w.state.skipped).toBe(true);
    w.stores.set('keel-shell-fedcba9876543210', new FakeCache(async () => new Response('')));
    w.stores.set('someone-else', new FakeCache(async () => new Response('')));
    await w.extendable('activate');
    expect([...w.stores.keys()].sort()).toEqual(['keel-shell-0123456789abcdef', 'someone-else']);
    expect(w.state.claimed).toBe(true);
  });

  it('never answers an API request, online or offline, and never caches one', async () => {
    for (const online of [true, false]) {
      const w = worker();
      await w.extendable('install');
      w.state.online = online;
      for (const path of ['/api/v1/portfolios', '/api/v1/auth/me', '/api', '/api/v1/openapi.json?x=1']) {
        expect(await w.request(path)).toBeNull();
        expect(await w.request(path, { mode: 'navigate' })).toBeNull();
        expect(await w.request(path, { method: 'POST' })).toBeNull();
      }
      expect(w.everyCachedUrl().filter((u) => new URL(u).pathname.startsWith('/api'))).toEqual([]);
      expect(w.everyPut()).toEqual([]);
    }
  });

  it('answers the shell from the cache and leaves everything else to the network', async () => {
    const w = worker();
    await w.extendable('install');
    w.fetched.length = 0;
    expect(await (await w.request('/assets/index-abc.js'))!.text()).toBe('network /assets/index-abc.js'); // the cached copy
    expect(w.fetched).toEqual([]);
    expect(await w.request('/assets/other-123.js')).toBeNull();
    expect(await w.request('/healthz')).toBeNull();
    expect(await w.request('/readyz', { mode: 'navigate' })).toBeNull();
    expect(await w.request('/metrics', { mode: 'navigate' })).toBeNull();
    expect(await w.request('https://elsewhere.example/assets/index-abc.js')).toBeNull();
    expect(await w.request('/icon-192.png', { method: 'HEAD' })).toBeNull();
  });

  it('loads a page from the network first, and from the cached index.html offline', async () => {
    const w = worker();
    await w.extendable('install');
    w.fetched.length = 0;
    expect(await (await w.request('/portfolios/hnw?tab=var', { mode: 'navigate' }))!.text()).toBe('network /portfolios/hnw');
    expect(w.fetched).toEqual([ORIGIN + '/portfolios/hnw?tab=var']);
    w.state.online = false;
    const cachedIndex = await (await w.stores.get('keel-shell-0123456789abcdef')!.match('/index.html'))!.text();
    expect(await (await w.request('/portfolios/hnw?tab=var', { mode: 'navigate' }))!.text()).toBe(cachedIndex);
    expect(await (await w.request('/', { mode: 'navigate' }))!.text()).toBe(cachedIndex);
    // A page load of a file of the shell is that file.
    expect(await (await w.request('/manifest.webmanifest', { mode: 'navigate' }))!.text()).toBe('network /manifest.webmanifest');
    // Offline, with nothing cached, the page load fails as it would without the worker.
    w.stores.clear();
    await expect(w.request('/portfolios', { mode: 'navigate' })).rejects.toThrow(/Failed to fetch/);
    expect(w.everyPut()).toEqual([]);
  });
});
