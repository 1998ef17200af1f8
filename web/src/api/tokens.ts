// The sign-in the browser keeps (docs/web.md "Signing in"): the access token and when it expires,
// the refresh token and when the sign-in ends, in one localStorage entry every tab of the browser
// shares. Each refresh token is good once (presented twice, the server ends the sign-in), so one
// tab refreshes at a time and the others take what it stored. Pure: what is stored, whether to
// refresh, which of two sign-ins to use; src/api/client.ts stores, locks and sends.
import type { components } from './generated/schema';

type LoginResult = components['schemas']['LoginResult'];

// The localStorage entry of the sign-in (JSON of SignIn) and the Web Lock a refresh holds.
export const SIGN_IN_KEY = 'keel.session';
export const REFRESH_LOCK = 'keel.refresh';
// An access token that expires within this is refreshed before the next request.
export const REFRESH_AHEAD_MS = 60_000;

// Times are milliseconds since 1970 on this browser's clock (signInOf takes out the server's skew).
export interface SignIn {
  token: string;
  expiresAt: number;
  // null: the server issued none (a sign-in lasts one access token).
  refreshToken: string | null;
  // When the refresh token expires unused (the idle timeout), and when the sign-in ends however
  // it is used (the absolute timeout); null when not given.
  refreshExpiresAt: number | null;
  sessionExpiresAt: number | null;
  username: string;
  tenant: string;
}

// A login's (or a refresh's, or a password change's) answer as kept. expires_in counts from the
// answer, so the server's expires_at minus (now + expires_in) is how far its clock is from this
// browser's: every end is moved by that, and a browser whose clock is wrong still refreshes in time.
export function signInOf(r: LoginResult, now = Date.now()): SignIn {
  const expiresAt = now + r.expires_in * 1000;
  const server = Date.parse(r.expires_at);
  const skew = Number.isFinite(server) ? server - expiresAt : 0;
  const local = (iso: string | undefined): number | null => {
    const t = iso === undefined ? NaN : Date.parse(iso);
    return Number.isFinite(t) ? t - skew : null;
  };
  return {
    token: r.token,
    expiresAt,
    refreshToken: r.refresh_token || null,
    refreshExpiresAt: local(r.refresh_expires_at),
    sessionExpiresAt: local(r.session_expires_at),
    username: r.user.username,
    tenant: r.user.tenant,
  };
}

const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isTimeOrNull = (x: unknown): x is number | null => x === null || isTime(x);

// The stored entry read back: null when absent, unreadable, or not a sign-in this app wrote (a
// half-written or hand-edited entry signs out rather than sends garbage).
export function parseSignIn(text: string | null): SignIn | null {
  if (!text) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const s = v as Record<string, unknown>;
  const ok =
    typeof s.token === 'string' &&
    s.token !== '' &&
    isTime(s.expiresAt) &&
    (s.refreshToken === null || (typeof s.refreshToken === 'string' && s.refreshToken !== '')) &&
    isTimeOrNull(s.refreshExpiresAt) &&
    isTimeOrNull(s.sessionExpiresAt) &&
    typeof s.username === 'string' &&
    typeof s.tenant === 'string';
  if (!ok) return null;
  const { token, expiresAt, refreshToken, refreshExpiresAt, sessionExpiresAt, username, tenant } = s as unknown as SignIn;
  return { token, expiresAt, refreshToken, refreshExpiresAt, sessionExpiresAt, username, tenant };
}

export function expiresSoon(s: SignIn, now: number): boolean {
  return s.expiresAt - now <= REFRESH_AHEAD_MS;
}

// Whether the server may still take the sign-in's refresh token (its ends not passed).
export function canRefresh(s: SignIn, now: number): boolean {
  const before = (end: number | null) => end === null || end > now;
  return s.refreshToken !== null && before(s.refreshExpiresAt) && before(s.sessionExpiresAt);
}

// Before a request: refresh first, because the token expires within a minute and can be renewed.
export function needsRefresh(s: SignIn | null, now: number): boolean {
  return s !== null && expiresSoon(s, now) && canRefresh(s, now);
}

export function sameUser(a: SignIn, b: SignIn): boolean {
  return a.username === b.username && a.tenant === b.tenant;
}

// Of the stored sign-in and this tab's, the one to use: the token that lasts longer (a refresh in
// another tab, or this tab's own when the storage could not be written).
export function newest(stored: SignIn, held: SignIn): SignIn {
  return stored.expiresAt > held.expiresAt ? stored : held;
}

// The stored sign-in as the refresh lock's holder sees it: localStorage's, unless the one handed
// over in IndexedDB (src/api/handoff.ts) is another, later token of the same user (localStorage
// has not caught up yet with the tab that refreshed last). For the same token localStorage's
// stands: it is written first.
export function handedOver(stored: SignIn | null | undefined, handed: SignIn | null): SignIn | null | undefined {
  if (!stored || !handed || !sameUser(stored, handed) || handed.token === stored.token) return stored;
  return newest(handed, stored);
}

// What a tab does when the stored sign-in changed under it (the `storage` event): forget it (another
// tab signed out), take another tab's newer token of the same user, or start with the stored
// sign-in (another tab signed in, as this user or another).
export type StoredChange = 'none' | 'forget' | 'adopt' | 'start';

export function onStoredChange(stored: SignIn | null, held: SignIn | null): StoredChange {
  if (stored === null) return held === null ? 'none' : 'forget';
  if (held === null || !sameUser(stored, held)) return 'start';
  return stored.token !== held.token && stored.expiresAt > held.expiresAt ? 'adopt' : 'none';
}

// What a tab holding the refresh lock does, the stored sign-in read again: `used` is the token the
// tab last sent and `refused` whether the server answered it 401 (else it is about to expire).
// - adopt: the sign-in to go on with, no request (another tab or request already replaced `used`,
//   or nothing can be done before the token fails);
// - refresh: present this sign-in's refresh token;
// - over 'gone': the sign-in is no longer stored (another tab signed out, or signed in as someone
//   else; its `storage` event signs this tab out); 'ended': the server refused the token and
//   nothing can replace it. `stored` undefined: the storage cannot be read (this tab's own counts).
export type Renewal = { kind: 'adopt'; signIn: SignIn } | { kind: 'refresh'; signIn: SignIn } | { kind: 'over'; why: 'gone' | 'ended' };

export function renewal(stored: SignIn | null | undefined, held: SignIn | null, used: string | null, refused: boolean, now: number): Renewal {
  if (held === null || stored === null) return { kind: 'over', why: 'gone' };
  if (stored !== undefined && !sameUser(stored, held)) return { kind: 'over', why: 'gone' };
  const current = stored === undefined ? held : newest(stored, held);
  const replaced = current.token !== used;
  if (!expiresSoon(current, now) && (replaced || !refused)) return { kind: 'adopt', signIn: current };
  if (canRefresh(current, now)) return { kind: 'refresh', signIn: current };
  // Nothing renews it: a token that was not refused is used until it is.
  return refused && !replaced ? { kind: 'over', why: 'ended' } : { kind: 'adopt', signIn: current };
}
