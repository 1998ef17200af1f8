// A loopback OpenID Connect provider for the end-to-end tests ("Bank SSO"), written from the specs:
// OpenID Connect Discovery 1.0 (GET /.well-known/openid-configuration, its issuer
// http://127.0.0.1:PORT), the authorization-code flow of OpenID Connect Core 1.0 §3.1 with PKCE
// (RFC 7636, S256 only), client authentication by client_secret_basic (RFC 6749 §2.3.1: the client
// id and secret each form-urlencoded, then joined with ':' and base64'd), and an RS256 ID token
// whose key is in its JWKS (RFC 7517, GET /jwks).
// - GET /authorize checks response_type=code, the client id, the redirect URI, scope openid, the
//   S256 challenge, state and nonce, and shows "Sign in to Bank SSO" with one button per user and
//   Deny. A user's button redirects (302) to redirect_uri?code=…&state=…; Deny to
//   redirect_uri?error=access_denied&error_description=…&state=…. A bad client id or redirect URI is
//   a 400 page (never a redirect), any other bad request a redirect with error=invalid_request.
// - POST /token takes each code once (within a minute of its issue), with the same redirect URI,
//   the client's secret, and the verifier whose SHA-256 (base64url) is the challenge; it answers
//   {access_token, token_type: "Bearer", expires_in, id_token}. The ID token carries iss, aud (the
//   client id), sub, nonce, iat, exp (+300 s), preferred_username, email, name and groups.
// - GET /logout, its end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0), checks the client
//   id and that post_logout_redirect_uri is the registered one, and sends the browser back there (302).
// startFakeOidc(port, {clientId, clientSecret, redirectUri, postLogoutRedirectUri}) resolves when it listens.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';

// The provider's users: the button shows the user name; groups map to keel's roles through the
// operator's role_map (serve.mjs: risk-analysts → analyst, alm-managers → manager).
export const SSO_USERS = {
  'sso.analyst': { sub: 'bank-1001', email: 'sso.analyst@bank.example', name: 'Ada Analyst', groups: ['risk-analysts'] },
  'sso.manager': { sub: 'bank-1002', email: 'sso.manager@bank.example', name: 'Max Manager', groups: ['alm-managers', 'staff'] },
};
export const DENIED = 'The user declined to sign in to keel at Bank SSO.';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const sha256 = (text) => createHash('sha256').update(text, 'ascii').digest();
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// application/x-www-form-urlencoded's decoding ('+' is a space).
const formDecode = (s) => decodeURIComponent(s.replace(/\+/g, ' '));
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

function body(req) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c) => {
      text += c;
      if (text.length > 64 * 1024) reject(new Error('too large'));
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function json(res, status, value, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(value));
}

function redirect(res, uri, params) {
  const to = new URL(uri);
  for (const [k, v] of Object.entries(params)) to.searchParams.set(k, v);
  res.writeHead(302, { Location: to.toString(), 'Cache-Control': 'no-store' });
  res.end();
}

function page(res, status, title, inner) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${inner}</main></body></html>`);
}

export function startFakeOidc(port, { clientId, clientSecret, redirectUri, postLogoutRedirectUri }) {
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = b64url(randomBytes(8));
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
  // Authorization requests shown on the page, by their id; codes issued, by the code.
  const requests = new Map();
  const codes = new Map();

  const idToken = (user, nonce) => {
    const u = SSO_USERS[user];
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid };
    const claims = {
      iss: issuer, aud: clientId, sub: u.sub, nonce, iat: now, exp: now + 300,
      preferred_username: user, email: u.email, name: u.name, groups: u.groups,
    };
    const signed = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    return `${signed}.${b64url(sign('sha256', Buffer.from(signed), privateKey))}`;
  };

  const authorize = (url, res) => {
    const q = url.searchParams;
    if (q.get('client_id') !== clientId) return page(res, 400, 'Bank SSO: unknown client', '<p>The client_id is not registered.</p>');
    if (q.get('redirect_uri') !== redirectUri) return page(res, 400, 'Bank SSO: wrong redirect URI', '<p>The redirect_uri is not the one registered.</p>');
    const state = q.get('state') ?? '';
    const invalid = (why) => redirect(res, redirectUri, { error: 'invalid_request', error_description: why, ...(state ? { state } : {}) });
    if (q.get('response_type') !== 'code') return redirect(res, redirectUri, { error: 'unsupported_response_type', ...(state ? { state } : {}) });
    if (!(q.get('scope') ?? '').split(' ').includes('openid')) return invalid('scope must include openid');
    if (q.get('code_challenge_method') !== 'S256') return invalid('PKCE with code_challenge_method S256 is required');
    if (!CHALLENGE.test(q.get('code_challenge') ?? '')) return invalid('code_challenge must be 43 base64url characters');
    if (!state) return invalid('state is required');
    if (!q.get('nonce')) return invalid('nonce is required');
    const id = b64url(randomBytes(16));
    requests.set(id, { state, nonce: q.get('nonce'), challenge: q.get('code_challenge'), redirectUri: q.get('redirect_uri') });
    const buttons = Object.keys(SSO_USERS).map((u) => `<p><button type="submit" name="user" value="${escapeHtml(u)}">${escapeHtml(u)}</button></p>`).join('');
    page(res, 200, 'Sign in to Bank SSO',
      `<p>keel asks to know who you are.</p><form method="post" action="/login">` +
      `<input type="hidden" name="request" value="${escapeHtml(id)}">${buttons}` +
      `<p><button type="submit" name="deny" value="1">Deny</button></p></form>`);
  };

  const login = async (req, res) => {
    const form = new URLSearchParams(await body(req));
    const pending = requests.get(form.get('request') ?? '');
    if (!pending) return page(res, 400, 'Bank SSO: no such sign-in', '<p>This sign-in is unknown or was finished.</p>');
    requests.delete(form.get('request'));
    if (form.get('deny')) return redirect(res, pending.redirectUri, { error: 'access_denied', error_description: DENIED, state: pending.state });
    const user = form.get('user') ?? '';
    if (!SSO_USERS[user]) return page(res, 400, 'Bank SSO: no such user', '<p>Unknown user.</p>');
    const code = b64url(randomBytes(24));
    codes.set(code, { ...pending, user, issued: Date.now() });
    redirect(res, pending.redirectUri, { code, state: pending.state });
  };

  const token = async (req, res) => {
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return json(res, 400, { error: 'invalid_request', error_description: 'expected a form body' });
    }
    const form = new URLSearchParams(await body(req));
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    let id = null;
    let secret = null;
    if (basic) {
      const pair = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = pair.indexOf(':');
      if (colon >= 0) {
        try {
          id = formDecode(pair.slice(0, colon));
          secret = formDecode(pair.slice(colon + 1));
        } catch {
          id = null;
        }
      }
    }
    if (id !== clientId || secret !== clientSecret) {
      return json(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' }, { 'WWW-Authenticate': 'Basic realm="Bank SSO"' });
    }
    if (form.get('grant_type') !== 'authorization_code') return json(res, 400, { error: 'unsupported_grant_type' });
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code); // good once, whatever follows
    const refuse = (why) => json(res, 400, { error: 'invalid_grant', error_description: why });
    if (!issued) return refuse('the code is unknown or was used');
    if (Date.now() - issued.issued > 60_000) return refuse('the code expired');
    if (form.get('redirect_uri') !== issued.redirectUri) return refuse('redirect_uri differs from the authorization request');
    const verifier = form.get('code_verifier') ?? '';
    if (!VERIFIER.test(verifier) || b64url(sha256(verifier)) !== issued.challenge) return refuse('PKCE verification failed');
    json(res, 200, { access_token: b64url(randomBytes(24)), token_type: 'Bearer', expires_in: 300, id_token: idToken(issued.user, issued.nonce) });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const route = `${req.method} ${url.pathname}`;
    const run = async () => {
      if (route === 'GET /.well-known/openid-configuration') {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'email', 'profile'],
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
          grant_types_supported: ['authorization_code'],
          code_challenge_methods_supported: ['S256'],
          end_session_endpoint: `${issuer}/logout`,
          claims_supported: ['iss', 'aud', 'sub', 'nonce', 'iat', 'exp', 'preferred_username', 'email', 'name', 'groups'],
        });
      }
      if (route === 'GET /jwks') return json(res, 200, { keys: [jwk] });
      if (route === 'GET /authorize') return authorize(url, res);
      if (route === 'GET /logout') {
        if (url.searchParams.get('client_id') !== clientId) return page(res, 400, 'Bank SSO: unknown client', '<p>The client_id is not registered.</p>');
        if (url.searchParams.get('post_logout_redirect_uri') !== postLogoutRedirectUri) {
          return page(res, 400, 'Bank SSO: wrong sign-out redirect', '<p>The post_logout_redirect_uri is not the one registered.</p>');
        }
        return redirect(res, postLogoutRedirectUri, {});
      }
      if (route === 'POST /login') return login(req, res);
      if (route === 'POST /token') return token(req, res);
      json(res, 404, { error: 'not_found' });
    };
    run().catch((e) => json(res, 500, { error: 'server_error', error_description: String(e) }));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
