// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, changeSignIn, getToken, keepSignIn, revokeToken, serverEvents, setUnauthorizedHandler, storedSignIn } from './client';
import { SIGN_IN_KEY, type SignIn } from './tokens';

// The IndexedDB hand-off (src/api/handoff.ts; jsdom has no IndexedDB): what was handed over, and
// each write in order.
const handoff = vi.hoisted(() => ({ current: null as SignIn | null, writes: [] as (string | null)[] }));
vi.mock('./handoff', () => ({
  readHandoff: async () => handoff.current,
  writeHandoff: async (s: SignIn | null) => {
    handoff.writes.push(s?.token ?? null);
    handoff.current = s;
  },
}));

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body = '') {
  const calls: [string, RequestInit][] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push([url, init]);
    return new Response(status === 204 ? null : body, { status, headers: { 'X-Request-Id': 'r1' } });
  });
  return calls;
}

describe('revokeToken', () => {
  it('posts the token to /api/v1/auth/logout', async () => {
    const calls = answer(204);
    await revokeToken('tok');
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe('/api/v1/auth/logout');
    expect(calls[0]![1].method).toBe('POST');
    expect((calls[0]![1].headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('answers where a single sign-on user signs out at the provider, and nothing else', async () => {
    answer(200, JSON.stringify({ end_session_url: 'https://idp.example.com/logout?client_id=keel' }));
    await expect(revokeToken('tok')).resolves.toBe('https://idp.example.com/logout?client_id=keel');
    answer(200, JSON.stringify({ end_session_url: '' }));
    await expect(revokeToken('tok')).resolves.toBe('');
    answer(200, JSON.stringify({ end_session_url: 'javascript:alert(1)' }));
    await expect(revokeToken('tok')).resolves.toBe('');
  });

  it('takes 200, 204, 401 and 404 as signed out', async () => {
    for (const s of [200, 204, 401, 404]) {
      answer(s);
      await expect(revokeToken('tok')).resolves.toBe('');
    }
  });

  it('throws the server error for anything else', async () => {
    answer(503, JSON.stringify({ error: { code: 'unavailable', message: 'store busy', details: [], request_id: 'r9' } }));
    const e = await revokeToken('tok').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(503);
    expect((e as ApiError).message).toBe('store busy');
    expect((e as ApiError).requestId).toBe('r9');
  });
});

// The sign-in kept fresh: a token about to expire refreshed before the request (once for a burst
// of requests, under the Web Lock), a token another tab refreshed taken instead, a 401 mended by a
// refresh and sent once more, and a refused refresh signing out.
describe('refreshing the sign-in', () => {
  const MIN = 60_000;
  const signIn = (over: Partial<SignIn> = {}): SignIn => ({
    token: 'access-1',
    expiresAt: Date.now() + 15 * MIN,
    refreshToken: 'refresh-1',
    refreshExpiresAt: Date.now() + 8 * 60 * MIN,
    sessionExpiresAt: null,
    username: 'ann',
    tenant: 'default',
    ...over,
  });
  const expiring = () => signIn({ expiresAt: Date.now() + 20_000 });
  const loginResult = (n: number) =>
    JSON.stringify({
      token: `access-${n}`,
      token_type: 'Bearer',
      expires_at: new Date(Date.now() + 15 * MIN).toISOString(),
      expires_in: 900,
      refresh_token: `refresh-${n}`,
      refresh_expires_at: new Date(Date.now() + 8 * 60 * MIN).toISOString(),
      user: { username: 'ann', tenant: 'default', role: 'analyst' },
    });
  const refused = (message: string) => new Response(JSON.stringify({ error: { code: 'unauthorized', message, details: [], request_id: 'r' } }), { status: 401 });

  // fetch answered by `route` (path, bearer token, body); every call recorded.
  function serve(route: (path: string, token: string | undefined, body: string | undefined) => Response | Promise<Response>) {
    const calls: { path: string; token?: string; body?: string }[] = [];
    vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
      const auth = (init.headers as Record<string, string> | undefined)?.Authorization;
      const call = { path, token: auth?.replace(/^Bearer /, ''), body: init.body as string | undefined };
      calls.push(call);
      return route(call.path, call.token, call.body);
    });
    return calls;
  }
  const refreshes = (calls: { path: string }[]) => calls.filter((c) => c.path === '/api/v1/auth/refresh');

  let signedOut = 0;
  afterEach(() => {
    keepSignIn(null);
    localStorage.clear();
    handoff.current = null;
    handoff.writes.length = 0;
    signedOut = 0;
    vi.unstubAllGlobals();
    Reflect.deleteProperty(navigator, 'locks');
  });
  const watchSignOut = () => setUnauthorizedHandler(() => ++signedOut);

  it('refreshes a token about to expire first, once for a burst of requests, and stores the next sign-in', async () => {
    keepSignIn(expiring());
    watchSignOut();
    const calls = serve((path) => new Response(path === '/api/v1/auth/refresh' ? loginResult(2) : '{}'));
    await Promise.all([api('GET', '/api/v1/a'), api('GET', '/api/v1/b'), api('POST', '/api/v1/c', { body: {} })]);
    expect(refreshes(calls)).toEqual([{ path: '/api/v1/auth/refresh', token: undefined, body: '{"refresh_token":"refresh-1"}' }]);
    expect(calls.filter((c) => c.path !== '/api/v1/auth/refresh').map((c) => c.token)).toEqual(['access-2', 'access-2', 'access-2']);
    expect(getToken()).toBe('access-2');
    expect(storedSignIn()).toMatchObject({ token: 'access-2', refreshToken: 'refresh-2' });
    expect(signedOut).toBe(0);
  });

  it('does not refresh a token that lasts more than a minute', async () => {
    keepSignIn(signIn());
    const calls = serve(() => new Response('{}'));
    await api('GET', '/api/v1/a');
    expect(calls.map((c) => [c.path, c.token])).toEqual([['/api/v1/a', 'access-1']]);
  });

  it('takes the token another tab has refreshed instead of presenting the refresh token again', async () => {
    keepSignIn(expiring());
    localStorage.setItem(SIGN_IN_KEY, JSON.stringify(signIn({ token: 'access-9', refreshToken: 'refresh-9' })));
    const calls = serve(() => new Response('{}'));
    await api('GET', '/api/v1/a');
    expect(calls.map((c) => [c.path, c.token])).toEqual([['/api/v1/a', 'access-9']]);
    expect(getToken()).toBe('access-9');
  });

  it('refreshes under the Web Lock keel.refresh, and hands the new sign-in over before letting go', async () => {
    const log: string[] = [];
    Object.defineProperty(navigator, 'locks', {
      configurable: true,
      value: {
        request: async (name: string, f: () => Promise<unknown>) => {
          log.push(`lock ${name}`);
          const r = await f();
          log.push(`handed over ${handoff.writes.join(' ')}`, 'unlock');
          return r;
        },
      },
    });
    keepSignIn(expiring());
    handoff.writes.length = 0;
    serve((path) => new Response(path === '/api/v1/auth/refresh' ? loginResult(2) : '{}'));
    await api('GET', '/api/v1/a');
    expect(log).toEqual(['lock keel.refresh', 'handed over access-2', 'unlock']);
    expect(getToken()).toBe('access-2');
  });

  it('takes the sign-in handed over in IndexedDB when localStorage has not caught up with the tab that refreshed', async () => {
    keepSignIn(expiring()); // localStorage and this tab: the old sign-in
    handoff.current = signIn({ token: 'access-7', refreshToken: 'refresh-7' });
    const calls = serve(() => new Response('{}'));
    await api('GET', '/api/v1/a');
    expect(calls.map((c) => [c.path, c.token])).toEqual([['/api/v1/a', 'access-7']]);
  });

  it('sends a request refused with 401 once more after a refresh', async () => {
    keepSignIn(signIn());
    watchSignOut();
    const calls = serve((path, token) => {
      if (path === '/api/v1/auth/refresh') return new Response(loginResult(2));
      return token === 'access-2' ? new Response('{"ok":true}') : refused('token revoked');
    });
    expect(await api('PUT', '/api/v1/a', { body: { x: 1 } })).toEqual({ ok: true });
    expect(calls.map((c) => [c.path, c.token ?? null, c.body])).toEqual([
      ['/api/v1/a', 'access-1', '{"x":1}'],
      ['/api/v1/auth/refresh', null, '{"refresh_token":"refresh-1"}'],
      ['/api/v1/a', 'access-2', '{"x":1}'],
    ]);
    expect(signedOut).toBe(0);
  });

  it('signs out when the refresh is refused, and when the request is refused again', async () => {
    keepSignIn(signIn());
    watchSignOut();
    let calls = serve((path) => (path === '/api/v1/auth/refresh' ? refused('refresh token used twice: the sign-in is ended') : refused('token revoked')));
    const e = await api('GET', '/api/v1/a').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(401);
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/a', '/api/v1/auth/refresh']);
    expect(signedOut).toBe(1);

    keepSignIn(signIn());
    calls = serve((path) => (path === '/api/v1/auth/refresh' ? new Response(loginResult(2)) : refused('not allowed')));
    await expect(api('GET', '/api/v1/a')).rejects.toThrow('not allowed');
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/a', '/api/v1/auth/refresh', '/api/v1/a']);
    expect(signedOut).toBe(2);
  });

  it('signs out a token about to expire whose refresh is refused', async () => {
    keepSignIn(expiring());
    watchSignOut();
    serve((path) => (path === '/api/v1/auth/refresh' ? refused('the sign-in has expired; sign in again') : new Response('{}')));
    await api('GET', '/api/v1/a').catch(() => undefined);
    expect(signedOut).toBe(1);
  });

  // The server revokes every token of the user while the password change is under way: a request
  // refused meanwhile waits for the change, then goes on with the new sign-in; no refresh of the
  // ended sign-in is tried, and nobody is signed out.
  it('takes the new sign-in of a password change for a request the change revoked meanwhile', async () => {
    keepSignIn(signIn());
    watchSignOut();
    let answer: (r: Response) => void = () => undefined;
    const changed = new Promise<Response>((resolve) => (answer = resolve));
    const calls = serve((path, token) => {
      if (path === '/api/v1/me/password') return changed;
      if (path === '/api/v1/auth/refresh') return refused('unknown or ended refresh token');
      return token === 'access-2' ? new Response('{"ok":true}') : refused('invalid or expired token');
    });
    const change = changeSignIn(() => api('POST', '/api/v1/me/password', { body: {}, paced: false }));
    await vi.waitFor(() => expect(calls.map((c) => c.path)).toContain('/api/v1/me/password'));
    const meanwhile = api('GET', '/api/v1/a'); // sent with access-1, which the change revoked
    await vi.waitFor(() => expect(calls.filter((c) => c.path === '/api/v1/a')).toHaveLength(1));
    answer(new Response(loginResult(2)));
    await change;
    expect(await meanwhile).toEqual({ ok: true });
    expect(refreshes(calls)).toEqual([]);
    expect(calls.filter((c) => c.path === '/api/v1/a').map((c) => c.token)).toEqual(['access-1', 'access-2']);
    expect(storedSignIn()).toMatchObject({ token: 'access-2', refreshToken: 'refresh-2' });
    expect(signedOut).toBe(0);
  });

  it('never sends the sign-in, a refresh or a password change again', async () => {
    keepSignIn(signIn());
    watchSignOut();
    const calls = serve(() => refused('no'));
    await expect(api('POST', '/api/v1/auth/login', { body: {} })).rejects.toThrow('no');
    expect(calls.map((c) => [c.path, c.token ?? null])).toEqual([['/api/v1/auth/login', null]]);
    expect(signedOut).toBe(0);
    await expect(api('POST', '/api/v1/me/password', { body: {} })).rejects.toThrow('no');
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/auth/login', '/api/v1/me/password']);
    expect(signedOut).toBe(1); // its token refused: signed out as before
  });

  it('does not refresh nor sign out when another tab signed out (its storage event does)', async () => {
    keepSignIn(expiring());
    watchSignOut();
    localStorage.removeItem(SIGN_IN_KEY);
    const calls = serve(() => refused('token revoked'));
    await expect(api('GET', '/api/v1/a')).rejects.toThrow('token revoked');
    expect(refreshes(calls)).toEqual([]);
    expect(signedOut).toBe(0);
  });

  it('keeps the sign-in when the refresh gets no answer', async () => {
    const s = expiring();
    keepSignIn(s);
    watchSignOut();
    const calls = serve((path) => {
      if (path === '/api/v1/auth/refresh') throw new TypeError('Failed to fetch');
      return new Response('{}');
    });
    await api('GET', '/api/v1/a');
    expect(calls.map((c) => [c.path, c.token ?? null])).toEqual([
      ['/api/v1/auth/refresh', null],
      ['/api/v1/a', 'access-1'],
    ]);
    expect(storedSignIn()).toEqual(s);
    expect(signedOut).toBe(0);
  });

  it("opens a GET stream again with the new token when its token's end is announced", async () => {
    keepSignIn(signIn());
    let streams = 0;
    const calls = serve((path, token) => {
      if (path === '/api/v1/auth/refresh') return new Response(loginResult(2));
      ++streams;
      const last = streams === 1 ? 'event: revoked\ndata: {"reason":"expired"}\n\n' : '';
      return new Response(`event: progress\ndata: {"n":${streams},"token":"${token}"}\n\n${last}`);
    });
    const seen: string[] = [];
    for await (const e of serverEvents('GET', '/api/v1/jobs/1/events', undefined, new AbortController().signal)) seen.push(`${e.event} ${e.data}`);
    expect(seen).toEqual(['progress {"n":1,"token":"access-1"}', 'progress {"n":2,"token":"access-2"}']);
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/jobs/1/events', '/api/v1/auth/refresh', '/api/v1/jobs/1/events']);
  });

  it('ends a POST stream at event: revoked (opened again it would ask again)', async () => {
    keepSignIn(signIn());
    const calls = serve(() => new Response('event: delta\ndata: {}\n\nevent: revoked\ndata: {"reason":"expired"}\n\n'));
    const seen: string[] = [];
    for await (const e of serverEvents('POST', '/api/v1/assistant/messages', { q: 1 }, new AbortController().signal)) seen.push(e.event);
    expect(seen).toEqual(['delta', 'revoked']);
    expect(calls).toHaveLength(1);
  });
});
