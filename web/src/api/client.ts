// The one way the app talks to keel serve: JSON over fetch with the bearer token, errors turned into
// ApiError (status, code, message, details, request id) so every view can show them in words. The
// token is the browser's one sign-in (src/api/tokens.ts): refreshed before it expires, by one tab
// at a time, and a request refused with a token that a refresh replaces is sent once more.
import type { components } from './generated/schema';
import { safeFileName } from '../app/text';
import { reportAnswer, reportUnreachable } from '../app/online';
import { MAX_WAITS, pace, retryAfterSeconds } from '../app/pacing';
import { handedOver, needsRefresh, parseSignIn, REFRESH_LOCK, renewal, SIGN_IN_KEY, signInOf, type SignIn } from './tokens';
import { readHandoff, writeHandoff } from './handoff';

export type Schemas = components['schemas'];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string[],
    readonly requestId: string,
    // A 429's Retry-After, in seconds (null: none, or not a 429).
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

// This tab's sign-in (src/api/tokens.ts), kept in localStorage for the browser's other tabs.
let held: SignIn | null = null;
let onUnauthorized: () => void = () => {};

export function getToken(): string | null {
  return held?.token ?? null;
}
export function heldSignIn(): SignIn | null {
  return held;
}
// Called when the sign-in is over: a 401 that no refresh could replace.
export function setUnauthorizedHandler(f: () => void): void {
  onUnauthorized = f;
}

// The stored sign-in: null when there is none, undefined when the storage cannot be read (a
// browser that refuses it: this tab then keeps its sign-in to itself).
export function storedSignIn(): SignIn | null | undefined {
  try {
    return parseSignIn(localStorage.getItem(SIGN_IN_KEY));
  } catch {
    return undefined;
  }
}

function store(s: SignIn | null): void {
  try {
    if (s) localStorage.setItem(SIGN_IN_KEY, JSON.stringify(s));
    else localStorage.removeItem(SIGN_IN_KEY);
  } catch {
    // Not stored: this tab goes on with its own (storedSignIn reads undefined).
  }
}

// A new sign-in of this tab (a login, a password change; null: signed out), stored for the others.
export function keepSignIn(s: SignIn | null): void {
  held = s;
  store(s);
  void writeHandoff(s);
}

// The sign-in this tab uses, not stored: one another tab stored, or none (this tab forgets
// without signing the others out).
export function adoptSignIn(s: SignIn | null): void {
  held = s;
}

// Removes the stored sign-in, this tab keeping its own: signing out, the other tabs forget at once
// (their `storage` event) while this one still tells the server.
export function unstoreSignIn(): void {
  store(null);
  void writeHandoff(null);
}

export interface RequestOptions {
  body?: unknown;
  csv?: string; // a text/csv body
  signal?: AbortSignal;
  // false: a 429 is not waited out and sent again but thrown (with its Retry-After), for a request
  // whose repetition counts against the user (a wrong password is a failed sign-in).
  paced?: boolean;
}

// fetch, telling src/app/online.ts whether the server answered: a failure with no HTTP answer
// (other than the caller's own abort) is ApiError status 0, code 'network', and means offline.
async function send(path: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    reportUnreachable();
    throw new ApiError(0, 'network', 'keel serve cannot be reached: ' + String(e), [], '');
  }
  reportAnswer();
  return res;
}

// send(), a 429 (refused for the request rate) waited out as told and sent again
// (src/app/pacing.ts) unless `paced` is false.
async function sendPaced(path: string, init: RequestInit, paced: boolean): Promise<Response> {
  let res = await send(path, init);
  for (let waits = 0; res.status === 429 && paced && waits < MAX_WAITS; ++waits) {
    await pace(retryAfterSeconds(res.headers.get('Retry-After')), init.signal ?? undefined);
    res = await send(path, init);
  }
  return res;
}

// ---- Refreshing the sign-in (src/api/tokens.ts) ----

// The routes that take no bearer token (signing in: with a password, or through the single
// sign-on provider), and those whose 401 is not sent again after a refresh (a password change
// repeated would count as a second attempt).
const ANONYMOUS: ReadonlySet<string> = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/refresh',
  '/api/v1/auth/oidc',
  '/api/v1/auth/oidc/start',
  '/api/v1/auth/oidc/callback',
]);
const NOT_REPEATED: ReadonlySet<string> = new Set(['/api/v1/me/password']);
// A refresh holds the lock of every tab: one that hangs gives up after this (the request fails as
// offline; the next one tries again).
const REFRESH_TIMEOUT_MS = 30_000;

type Renewed = { token: string } | { over: 'gone' | 'ended' };

// Runs `f` while no other tab of the browser (Web Locks) and no other call of this tab runs one.
// Without Web Locks (a page not served over HTTPS or from localhost) only this tab's calls wait.
let queue: Promise<unknown> = Promise.resolve();
async function exclusive<T>(f: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) return await navigator.locks.request(REFRESH_LOCK, f);
  const run = queue.then(f, f);
  queue = run.catch(() => undefined);
  return run;
}

// POST /api/v1/auth/refresh with the sign-in's refresh token: the next sign-in, or null when the
// server refused it (used twice, expired, ended by a sign-out or a password change). Anything
// else (no answer, a 5xx) throws: the sign-in stands and the next request tries again.
async function refreshed(s: SignIn): Promise<SignIn | null> {
  const init: RequestInit = {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ refresh_token: s.refreshToken }),
    signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS),
  };
  const res = await sendPaced('/api/v1/auth/refresh', init, true);
  if (res.ok) return signInOf((await res.json()) as Schemas['LoginResult']);
  if (res.status === 400 || res.status === 401) return null;
  throw await readError(res);
}

// Inside the lock: the stored sign-in read again (another tab may have refreshed or signed out
// meanwhile; what it handed over in IndexedDB when localStorage lags), then adopted, refreshed or
// given up as tokens.renewal says. A refreshed sign-in is handed over before the lock is let go.
async function renewLocked(used: string | null, refused: boolean): Promise<Renewed> {
  const stored = handedOver(storedSignIn(), await readHandoff());
  const plan = renewal(stored, held, used, refused, Date.now());
  if (plan.kind === 'over') return { over: plan.why };
  if (plan.kind === 'adopt') {
    held = plan.signIn;
    return { token: plan.signIn.token };
  }
  const next = await refreshed(plan.signIn);
  if (!next) return { over: 'ended' };
  // Signed out in another tab while the refresh was under way: not stored again.
  if (storedSignIn() === null) return { over: 'gone' };
  held = next;
  store(next);
  await writeHandoff(next);
  return { token: next.token };
}

// A request that replaces the sign-in (a password change: the server ends every sign-in of the
// user and answers a new one), run under the refresh lock and kept before the lock is let go. A
// request of this tab or another that meets the server's revocation of the old tokens while it is
// under way waits for the lock, then finds the new sign-in stored and takes it, instead of
// refreshing with the ended sign-in's token and signing out. The token is refreshed first, outside
// the lock, so that the request inside it never needs a refresh (the lock is not re-entrant).
export async function changeSignIn(send: () => Promise<Schemas['LoginResult']>): Promise<void> {
  await freshen();
  await exclusive(async () => {
    const next = signInOf(await send());
    held = next;
    store(next);
    await writeHandoff(next);
  });
}

// One renewal at a time per token and cause in this tab (a burst of requests waits for one), and
// one at a time in the browser (the lock).
const renewals = new Map<string, Promise<Renewed>>();
function renew(used: string | null, refused: boolean): Promise<Renewed> {
  const key = `${refused ? 'refused' : 'ahead'} ${used ?? ''}`;
  let p = renewals.get(key);
  if (!p) {
    p = exclusive(() => renewLocked(used, refused)).finally(() => renewals.delete(key));
    renewals.set(key, p);
  }
  return p;
}

// Before a request: a token that expires within a minute is refreshed first (or replaced by the
// one another tab refreshed). A refresh the server refused ends the sign-in here; one that got no
// answer leaves the token as it is (the request may still pass, else its 401 tries again).
async function freshen(): Promise<void> {
  if (!needsRefresh(held, Date.now())) return;
  try {
    const r = await renew(held!.token, false);
    if ('over' in r && r.over === 'ended') onUnauthorized();
  } catch {
    // No answer: see above.
  }
}

// The token to send now, refreshed first when it is about to expire (what holds a token open, the
// event stream, lasts as long as its token).
export async function currentToken(): Promise<string | null> {
  await freshen();
  return getToken();
}

// A token to send in place of `refused`, which the server answered 401: the one held now when
// another tab or request replaced it, else a refreshed one. null when there is none: the sign-in
// ended (this tab is signed out, the 'expired' notice) or was signed out in another tab (whose
// `storage` event signs this tab out). Throws when the refresh got no answer.
export async function replacedToken(refused: string): Promise<string | null> {
  const r = await renew(refused, true);
  if ('token' in r) return r.token;
  if (r.over === 'ended' && getToken() === refused) onUnauthorized();
  return null;
}

// Sends a request with the bearer token (attempt(token)): refreshed first when about to expire; a
// 401 sent once more with the token replacedToken finds; a 401 that stands signs the tab out.
async function authorized(path: string, attempt: (token: string | null) => Promise<Response>): Promise<Response> {
  if (ANONYMOUS.has(path)) return attempt(null);
  await freshen();
  const sent = getToken();
  const res = await attempt(sent);
  if (res.status !== 401 || sent === null) return res;
  if (NOT_REPEATED.has(path)) {
    // A 401 of a token the app has already replaced (a password change revokes the old one while
    // a request with it may still be under way) does not sign out: the new token stands.
    if (getToken() === sent) onUnauthorized();
    return res;
  }
  const next = await replacedToken(sent);
  if (next === null) return res;
  await res.body?.cancel();
  const again = await attempt(next);
  if (again.status === 401 && getToken() === next) onUnauthorized();
  return again;
}

const bearer = (token: string | null): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {});

// Sends `method path` and returns the parsed JSON body (null for an empty one). Throws ApiError for
// every non-2xx answer; a 401 that a refresh cannot mend also signs the user out.
export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (opts.csv !== undefined) {
    headers['Content-Type'] = 'text/csv';
    body = opts.csv;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await authorized(path, (t) => sendPaced(path, { method, headers: { ...headers, ...bearer(t) }, body, signal: opts.signal }, opts.paced !== false));
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) throw errorOf(res, text, json);
  return json as T;
}

// The ApiError of a failed answer: its Error body's code, message, details and request id, else
// the HTTP status, the start of the text and the X-Request-Id header.
function errorOf(res: Response, text: string, json: unknown): ApiError {
  const err = (json as Schemas['Error'] | null)?.error;
  return new ApiError(
    res.status,
    err?.code ?? `http_${res.status}`,
    err?.message ?? (text.slice(0, 200) || res.statusText),
    err?.details ?? [],
    err?.request_id ?? res.headers.get('X-Request-Id') ?? '',
    res.status === 429 ? retryAfterOf(res.headers.get('Retry-After')) : null,
  );
}

// A Retry-After header's seconds as the server gave them (a delay, or an HTTP date from now), not
// capped as pacing caps its waits; null when absent or unreadable.
export function retryAfterOf(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const t = Date.parse(header);
  return Number.isNaN(t) ? null : Math.max(0, Math.ceil((t - now) / 1000));
}

// errorOf for an answer whose body has not been read yet.
async function readError(res: Response): Promise<ApiError> {
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return errorOf(res, text, json);
}

// Sign-out on the server: POST /api/v1/auth/logout with the token, so the token is refused from
// then on (200 or 204). A 401 or 404 means the server already holds no session for it (expired,
// revoked, or a server without the route): that is signed out too. Anything else throws ApiError,
// and the caller forgets the token all the same. Returns where the browser goes next to sign out
// at the identity provider too (a single sign-on user: the answer's end_session_url, an http(s)
// URL), or '' to stay.
export async function revokeToken(t: string): Promise<string> {
  const res = await send('/api/v1/auth/logout', { method: 'POST', headers: { Accept: 'application/json', Authorization: `Bearer ${t}` } });
  if (res.ok) {
    const text = await res.text();
    try {
      const url: unknown = text ? (JSON.parse(text) as { end_session_url?: unknown }).end_session_url : '';
      return typeof url === 'string' && /^https?:\/\//.test(url) ? url : '';
    } catch {
      return '';
    }
  }
  if (res.status === 401 || res.status === 404) return '';
  throw await readError(res);
}

// GET `path` with the bearer token, for a file: the response when it is ok, else ApiError like api().
async function fetchFile(path: string): Promise<Response> {
  const res = await authorized(path, (t) => send(path, { headers: bearer(t) }));
  if (res.ok) return res;
  throw await readError(res);
}

// The server-sent events of a response body as they arrive (the event's name, 'message' when it has
// none, and its data lines joined with line feeds; comments, heartbeats and events without data
// skipped), until the stream ends. Lines may end in CR LF, LF or CR.
export async function* eventsOf(body: NonNullable<Response['body']>): AsyncGenerator<{ event: string; data: string }> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end).split('\n');
      buf = buf.slice(end + 2);
      const data = block.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
      const event = block.find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message';
      if (data) yield { event, data };
    }
  }
}

// A stream of server-sent events: `method path` with the bearer token (in a header, which
// EventSource cannot send) and an optional JSON body. Throws ApiError when the server refuses
// before the stream; then yields its events as eventsOf does. A stream lasts as long as its token:
// a GET stream that ends in `event: revoked` (the token expired, or was replaced by a password
// change) is opened again with the token held now when there is one, and ends otherwise; a POST
// stream (which opened again would repeat its request) yields the event and ends.
export async function* serverEvents(
  method: string,
  path: string,
  body: unknown,
  signal: AbortSignal,
): AsyncGenerator<{ event: string; data: string }> {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const text = body === undefined ? undefined : JSON.stringify(body);
  const used: { token: string | null } = { token: null };
  for (;;) {
    const res = await authorized(path, (t) => {
      used.token = t;
      return send(path, { method, headers: { ...headers, ...bearer(t) }, body: text, signal });
    });
    if (!res.ok || !res.body) throw await readError(res);
    let revoked = false;
    for await (const e of eventsOf(res.body)) {
      if (e.event === 'revoked' && method === 'GET') {
        revoked = true;
        break;
      }
      yield e;
    }
    if (!revoked || signal.aborted || used.token === null || (await replacedToken(used.token)) === null) return;
  }
}

// The file name of the server's Content-Disposition, else `fallback`.
function fileNameOf(res: Response, fallback: string): string {
  return /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? fallback;
}

// Hands a blob URL to the browser as a download, its name made safe as a file name.
function saveAs(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = safeFileName(name, 'download');
  document.body.appendChild(a);
  a.click();
  a.remove();
}

// Fetches `path` (GET, with the bearer token) and hands the body to the browser as a file named
// by the server's Content-Disposition (else `fallback`), made safe as a file name (names of
// portfolios and deals become file names). Throws ApiError like api().
export async function download(path: string, fallback: string): Promise<void> {
  const res = await fetchFile(path);
  const url = URL.createObjectURL(await res.blob());
  saveAs(url, fileNameOf(res, fallback));
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// The path segment of a portfolio, account or job name (names may hold spaces or slashes).
export const seg = (s: string | number): string => encodeURIComponent(String(s));

// A document of the API opened in a new tab (the ledger tearsheet's HTML): fetched with the bearer
// token, as download() does, and shown from a blob URL, so the token is never part of a URL. A
// browser that refuses the new tab gets the file as a download instead. Throws ApiError like api().
export async function openDocument(path: string, fallback: string): Promise<void> {
  const res = await fetchFile(path);
  const url = URL.createObjectURL(await res.blob());
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  if (window.open(url, '_blank')) return;
  saveAs(url, fileNameOf(res, fallback));
}
