// The sign-in as kept: the server's answer on this browser's clock, the stored entry read back
// (and refused when it is not one), when to refresh, and what a tab does with the stored sign-in
// another tab changed or refreshed.
import { describe, expect, it } from 'vitest';
import { canRefresh, handedOver, needsRefresh, newest, onStoredChange, parseSignIn, REFRESH_AHEAD_MS, renewal, signInOf, type SignIn } from './tokens';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

function signIn(over: Partial<SignIn> = {}): SignIn {
  return {
    token: 'access-1',
    expiresAt: NOW + 15 * MIN,
    refreshToken: 'refresh-1',
    refreshExpiresAt: NOW + 8 * 60 * MIN,
    sessionExpiresAt: NOW + 24 * 60 * MIN,
    username: 'ann',
    tenant: 'default',
    ...over,
  };
}

describe('signInOf', () => {
  const answer = {
    token: 'jwt',
    token_type: 'Bearer',
    expires_in: 900,
    user: { username: 'ann', tenant: 'acme', role: 'analyst' as const },
  };

  it("keeps the tokens and the server's ends", () => {
    const s = signInOf(
      { ...answer, expires_at: '2026-03-02T10:15:00Z', refresh_token: 'r', refresh_expires_at: '2026-03-02T18:00:00Z', session_expires_at: '2026-03-03T10:00:00Z' },
      NOW,
    );
    expect(s).toEqual({
      token: 'jwt',
      expiresAt: NOW + 15 * MIN,
      refreshToken: 'r',
      refreshExpiresAt: Date.parse('2026-03-02T18:00:00Z'),
      sessionExpiresAt: Date.parse('2026-03-03T10:00:00Z'),
      username: 'ann',
      tenant: 'acme',
    });
  });

  it("moves the server's times onto this browser's clock", () => {
    // The server's clock is 5 minutes ahead: its expires_at is 5 minutes later than now + expires_in.
    const s = signInOf({ ...answer, expires_at: '2026-03-02T10:20:00Z', refresh_token: 'r', refresh_expires_at: '2026-03-02T18:05:00Z' }, NOW);
    expect(s.expiresAt).toBe(NOW + 15 * MIN);
    expect(s.refreshExpiresAt).toBe(Date.parse('2026-03-02T18:00:00Z'));
    expect(s.sessionExpiresAt).toBeNull();
  });

  it('has no refresh token when the server issued none', () => {
    const s = signInOf({ ...answer, expires_at: 'not a time' }, NOW);
    expect(s.refreshToken).toBeNull();
    expect(s.refreshExpiresAt).toBeNull();
    expect(s.expiresAt).toBe(NOW + 15 * MIN);
  });
});

describe('parseSignIn', () => {
  it('reads back what was stored', () => {
    const s = signIn();
    expect(parseSignIn(JSON.stringify(s))).toEqual(s);
    expect(parseSignIn(JSON.stringify({ ...s, refreshToken: null, refreshExpiresAt: null, sessionExpiresAt: null }))).toMatchObject({ refreshToken: null });
  });

  it('drops fields it does not know', () => {
    expect(parseSignIn(JSON.stringify({ ...signIn(), extra: 1 }))).toEqual(signIn());
  });

  it('refuses anything else', () => {
    for (const text of [null, '', 'not json', '"jwt"', 'null', '[]', '{}']) expect(parseSignIn(text), String(text)).toBeNull();
    const bad: Record<string, unknown>[] = [
      { token: '' },
      { token: 7 },
      { expiresAt: '2026-03-02T10:15:00Z' },
      { expiresAt: null },
      { refreshToken: '' },
      { refreshToken: 3 },
      { refreshExpiresAt: 'soon' },
      { sessionExpiresAt: undefined },
      { username: null },
      { tenant: 1 },
    ];
    for (const b of bad) expect(parseSignIn(JSON.stringify({ ...signIn(), ...b })), JSON.stringify(b)).toBeNull();
    expect(parseSignIn(JSON.stringify({ ...signIn(), expiresAt: Infinity }))).toBeNull(); // stored as null
  });
});

describe('when to refresh', () => {
  it('refreshes a token that expires within a minute', () => {
    expect(needsRefresh(signIn({ expiresAt: NOW + REFRESH_AHEAD_MS + 1 }), NOW)).toBe(false);
    expect(needsRefresh(signIn({ expiresAt: NOW + REFRESH_AHEAD_MS }), NOW)).toBe(true);
    expect(needsRefresh(signIn({ expiresAt: NOW - MIN }), NOW)).toBe(true);
    expect(needsRefresh(null, NOW)).toBe(false);
  });

  it('does not when the refresh token is missing or past its ends', () => {
    const soon = { expiresAt: NOW + 10_000 };
    expect(needsRefresh(signIn({ ...soon, refreshToken: null }), NOW)).toBe(false);
    expect(needsRefresh(signIn({ ...soon, refreshExpiresAt: NOW }), NOW)).toBe(false);
    expect(needsRefresh(signIn({ ...soon, sessionExpiresAt: NOW - 1 }), NOW)).toBe(false);
    expect(canRefresh(signIn({ refreshExpiresAt: null, sessionExpiresAt: null }), NOW)).toBe(true);
  });
});

describe('newest and onStoredChange', () => {
  const held = signIn();
  const later = signIn({ token: 'access-2', refreshToken: 'refresh-2', expiresAt: held.expiresAt + 5 * MIN });

  it('picks the token that lasts longer', () => {
    expect(newest(later, held)).toBe(later);
    expect(newest(held, later)).toBe(later);
    const copy = { ...held };
    expect(newest(copy, held)).toBe(held); // a tie keeps this tab's
  });

  it('forgets when another tab signed out, adopts its newer token, starts with its sign-in', () => {
    expect(onStoredChange(null, held)).toBe('forget');
    expect(onStoredChange(null, null)).toBe('none');
    expect(onStoredChange(later, held)).toBe('adopt');
    expect(onStoredChange(held, later)).toBe('none'); // older than this tab's
    expect(onStoredChange(held, held)).toBe('none');
    expect(onStoredChange(held, null)).toBe('start');
    expect(onStoredChange(signIn({ username: 'bob' }), held)).toBe('start');
    expect(onStoredChange(signIn({ tenant: 'acme' }), held)).toBe('start');
  });
});

describe('handedOver', () => {
  const stored = signIn();
  const later = signIn({ token: 'access-2', refreshToken: 'refresh-2', expiresAt: stored.expiresAt + 5 * MIN });

  it("takes the later sign-in handed over in IndexedDB while localStorage lags", () => {
    expect(handedOver(stored, later)).toBe(later);
    expect(handedOver(later, stored)).toBe(later);
    expect(handedOver(stored, null)).toBe(stored);
  });

  it('keeps what localStorage says of a sign-out, another user, or no storage', () => {
    expect(handedOver(null, later)).toBeNull();
    expect(handedOver(undefined, later)).toBeUndefined();
    const bob = signIn({ username: 'bob', expiresAt: stored.expiresAt + 5 * MIN });
    expect(handedOver(stored, bob)).toBe(stored);
    const sameToken = signIn({ expiresAt: stored.expiresAt + 5 * MIN });
    expect(handedOver(stored, sameToken)).toBe(stored);
  });
});

describe('renewal', () => {
  const soon = signIn({ expiresAt: NOW + 30_000 });
  const fresh = signIn({ token: 'access-2', refreshToken: 'refresh-2', expiresAt: NOW + 15 * MIN });

  it('refreshes a token about to expire that nobody replaced', () => {
    expect(renewal(soon, soon, soon.token, false, NOW)).toEqual({ kind: 'refresh', signIn: soon });
  });

  it('adopts what another tab refreshed instead of presenting the same refresh token again', () => {
    expect(renewal(fresh, soon, soon.token, false, NOW)).toEqual({ kind: 'adopt', signIn: fresh });
    expect(renewal(fresh, soon, soon.token, true, NOW)).toEqual({ kind: 'adopt', signIn: fresh });
  });

  it('refreshes with the latest refresh token when the stored one is newer but about to expire too', () => {
    const stored = signIn({ token: 'access-2', refreshToken: 'refresh-2', expiresAt: NOW + 40_000 });
    expect(renewal(stored, soon, soon.token, false, NOW)).toEqual({ kind: 'refresh', signIn: stored });
  });

  it('does nothing for a fresh token that was not refused, and refreshes one the server refused', () => {
    expect(renewal(fresh, fresh, fresh.token, false, NOW)).toEqual({ kind: 'adopt', signIn: fresh });
    expect(renewal(fresh, fresh, fresh.token, true, NOW)).toEqual({ kind: 'refresh', signIn: fresh });
  });

  it('takes the token this tab holds when a request was sent with an older one', () => {
    expect(renewal(fresh, fresh, 'access-0', true, NOW)).toEqual({ kind: 'adopt', signIn: fresh });
  });

  it('is over when the sign-in was removed or replaced by another user in another tab', () => {
    expect(renewal(null, soon, soon.token, false, NOW)).toEqual({ kind: 'over', why: 'gone' });
    expect(renewal(signIn({ username: 'bob' }), soon, soon.token, true, NOW)).toEqual({ kind: 'over', why: 'gone' });
    expect(renewal(soon, null, soon.token, true, NOW)).toEqual({ kind: 'over', why: 'gone' });
  });

  it('has ended when the refused token cannot be refreshed; one not refused is used until it is', () => {
    const single = signIn({ refreshToken: null, refreshExpiresAt: null, sessionExpiresAt: null });
    expect(renewal(single, single, single.token, true, NOW)).toEqual({ kind: 'over', why: 'ended' });
    const idle = signIn({ expiresAt: NOW + 30_000, refreshExpiresAt: NOW - 1 });
    expect(renewal(idle, idle, idle.token, false, NOW)).toEqual({ kind: 'adopt', signIn: idle });
    expect(renewal(idle, idle, idle.token, true, NOW)).toEqual({ kind: 'over', why: 'ended' });
  });

  it("uses this tab's sign-in when the storage cannot be read", () => {
    expect(renewal(undefined, soon, soon.token, false, NOW)).toEqual({ kind: 'refresh', signIn: soon });
    expect(renewal(undefined, fresh, 'access-1', true, NOW)).toEqual({ kind: 'adopt', signIn: fresh });
  });
});
