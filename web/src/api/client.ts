// The one way the app talks to keel serve: JSON over fetch with the bearer token, errors turned into
// ApiError (status, code, message, details, request id) so every view can show them in words.
import type { components } from './generated/schema';
import { safeFileName } from '../app/text';
import { reportAnswer, reportUnreachable } from '../app/online';
import { MAX_WAITS, pace, retryAfterSeconds } from '../app/pacing';

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

let token: string | null = null;
let onUnauthorized: () => void = () => {};

export function setToken(t: string | null): void {
  token = t;
}
export function getToken(): string | null {
  return token;
}
export function setUnauthorizedHandler(f: () => void): void {
  onUnauthorized = f;
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

// Sends `method path` and returns the parsed JSON body (null for an empty one). Throws ApiError for
// every non-2xx answer; a 401 also signs the user out (the token expired or was revoked).
export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const sent = token;
  if (sent) headers.Authorization = `Bearer ${sent}`;
  let body: string | undefined;
  if (opts.csv !== undefined) {
    headers['Content-Type'] = 'text/csv';
    body = opts.csv;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res = await send(path, { method, headers, body, signal: opts.signal });
  // Refused for the user's request rate: wait as told and send it again (src/app/pacing.ts).
  for (let waits = 0; res.status === 429 && opts.paced !== false && waits < MAX_WAITS; ++waits) {
    await pace(retryAfterSeconds(res.headers.get('Retry-After')), opts.signal);
    res = await send(path, { method, headers, body, signal: opts.signal });
  }
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    // A 401 of a token the app has already replaced (a password change revokes the old one while a
    // request with it may still be under way) does not sign out: the new token stands.
    if (res.status === 401 && path !== '/api/v1/auth/login' && sent === token) onUnauthorized();
    throw errorOf(res, text, json);
  }
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
// and the caller forgets the token all the same.
export async function revokeToken(t: string): Promise<void> {
  const res = await send('/api/v1/auth/logout', { method: 'POST', headers: { Accept: 'application/json', Authorization: `Bearer ${t}` } });
  if (res.ok || res.status === 401 || res.status === 404) return;
  throw await readError(res);
}

// GET `path` with the bearer token, for a file: the response when it is ok, else ApiError like api().
async function fetchFile(path: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await send(path, { headers });
  if (res.ok) return res;
  if (res.status === 401) onUnauthorized();
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
// before the stream; then yields its events as eventsOf does.
export async function* serverEvents(
  method: string,
  path: string,
  body: unknown,
  signal: AbortSignal,
): AsyncGenerator<{ event: string; data: string }> {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await send(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  if (!res.ok || !res.body) {
    if (res.status === 401) onUnauthorized();
    throw await readError(res);
  }
  yield* eventsOf(res.body);
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
