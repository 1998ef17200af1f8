// Single sign-on through the server's OpenID Connect provider (docs/web.md "Signing in", docs/
// security.md "Single sign-on"): the server does the protocol (the authorization-code flow with
// PKCE); the browser keeps the `state` the server gave it for the sign-in it started, in this tab's
// sessionStorage, and on the way back at /sign-in/oidc accepts only a redirect that brings the same
// state back. Pure, but for the storage: what is kept, and what a redirect's query means.

// The sessionStorage entry of a sign-in under way (JSON of Started).
export const SSO_KEY = 'keel.sso';
// The page the provider sends the browser back to (the server's redirect_uri).
export const SSO_RETURN_PATH = '/sign-in/oidc';

export interface Started {
  state: string;
  // The page to land on once signed in (a path and query of this app).
  back: string;
}

// The page to land on after signing in from `path` (a path and query): that page, unless it is a
// sign-in page or not a path of this app (then the home page).
export function landingOf(path: string | null | undefined): string {
  if (!path || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  const pathname = path.split(/[?#]/)[0]!;
  if (pathname === '/signin' || pathname === SSO_RETURN_PATH) return '/';
  return path;
}

// A URL the browser may be sent to: http or https only (never javascript: or data:).
export function isWebUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

export function parseStarted(text: string | null): Started | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Partial<Started> | null;
    if (v && typeof v.state === 'string' && v.state !== '' && typeof v.back === 'string') return { state: v.state, back: landingOf(v.back) };
  } catch {
    // Not ours.
  }
  return null;
}

// What the redirect to /sign-in/oidc says, given the sign-in this tab started (null: none):
// - code: the provider's authorization code, to post to the server with the state;
// - refused: the provider's error (access_denied, …) and its description, as text;
// - foreign: no sign-in of this tab brings this state back (a forged or replayed redirect, one
//   started in another tab or browser), or the query holds neither a code nor an error.
export type Redirect =
  | { kind: 'code'; code: string; state: string; back: string }
  | { kind: 'refused'; error: string; description: string; back: string }
  | { kind: 'foreign' };

export function readRedirect(query: URLSearchParams, started: Started | null): Redirect {
  const state = query.get('state') ?? '';
  if (!started || state === '' || state !== started.state) return { kind: 'foreign' };
  const error = query.get('error');
  if (error) return { kind: 'refused', error, description: query.get('error_description') ?? '', back: started.back };
  const code = query.get('code');
  if (code) return { kind: 'code', code, state, back: started.back };
  return { kind: 'foreign' };
}

// ---- This tab's sessionStorage ----

export function keepStarted(s: Started): void {
  try {
    sessionStorage.setItem(SSO_KEY, JSON.stringify(s));
  } catch {
    // Not kept: the way back says the sign-in did not start here.
  }
}

export function keptStarted(): Started | null {
  try {
    return parseStarted(sessionStorage.getItem(SSO_KEY));
  } catch {
    return null;
  }
}

export function forgetStarted(): void {
  try {
    sessionStorage.removeItem(SSO_KEY);
  } catch {
    // Nothing kept.
  }
}
