// The one way the app talks to keel serve: JSON over fetch with the bearer token, errors turned into
// ApiError (status, code, message, details, request id) so every view can show them in words.
import type { components } from './generated/schema';
import { safeFileName } from '../app/text';
import { reportAnswer, reportUnreachable } from '../app/online';

export type Schemas = components['schemas'];
// The body of every error answer (#/components/schemas/Error).
type ErrorBody = Schemas['Error']['error'];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string[],
    readonly requestId: string,
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
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.csv !== undefined) {
    headers['Content-Type'] = 'text/csv';
    body = opts.csv;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await send(path, { method, headers, body, signal: opts.signal });
  const requestId = res.headers.get('X-Request-Id') ?? '';
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
    const err = (json as Schemas['Error'] | null)?.error;
    const e = new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? (text.slice(0, 200) || res.statusText),
      err?.details ?? [],
      err?.request_id ?? requestId,
    );
    if (res.status === 401 && path !== '/api/v1/auth/login') onUnauthorized();
    throw e;
  }
  return json as T;
}

// Sign-out on the server: POST /api/v1/auth/logout with the token, so the token is refused from
// then on (200 or 204). A 401 or 404 means the server already holds no session for it (expired,
// revoked, or a server without the route): that is signed out too. Anything else throws ApiError,
// and the caller forgets the token all the same.
export async function revokeToken(t: string): Promise<void> {
  const res = await send('/api/v1/auth/logout', { method: 'POST', headers: { Accept: 'application/json', Authorization: `Bearer ${t}` } });
  if (res.ok || res.status === 401 || res.status === 404) return;
  const text = await res.text();
  let err: ErrorBody | undefined;
  try {
    err = (JSON.parse(text) as Schemas['Error']).error;
  } catch {
    err = undefined;
  }
  throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.details ?? [],
    err?.request_id ?? res.headers.get('X-Request-Id') ?? '');
}

// GET `path` with the bearer token, for a file: the response when it is ok, else ApiError like api().
async function fetchFile(path: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await send(path, { headers });
  if (res.ok) return res;
  const text = await res.text();
  let err: ErrorBody | undefined;
  try {
    err = (JSON.parse(text) as Schemas['Error']).error;
  } catch {
    err = undefined;
  }
  if (res.status === 401) onUnauthorized();
  throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.details ?? [],
    err?.request_id ?? res.headers.get('X-Request-Id') ?? '');
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
