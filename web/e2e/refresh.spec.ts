// The browser's one sign-in (src/api/tokens.ts, docs/web.md "Signing in"): kept in localStorage and
// shared by the tabs; an access token about to expire is refreshed (POST /api/v1/auth/refresh) before
// the next request, the next refresh token stored; a 401 is mended by one refresh and the request
// sent again; two tabs whose token expires at once make one refresh between them (the Web Lock: a
// refresh token presented twice would end the sign-in); signing out in one tab signs the others
// out; a refused refresh returns to the sign-in page saying the session ended. The stored access
// token is made to look about to expire by rewriting its expiry (the token itself stays valid).
import { test, expect, type BrowserContext, type Page, type Request } from '@playwright/test';
import { signIn } from './helpers';

const KEY = 'keel.session';
const REFRESH = '/api/v1/auth/refresh';

interface Stored {
  token: string;
  expiresAt: number;
  refreshToken: string | null;
  username: string;
}

const stored = (page: Page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? 'null') as Stored | null, KEY);

// Rewrites the stored sign-in: its access token expires in `ms` (as far as the app can tell), and
// `change` replaces any other field.
const expireIn = (page: Page, ms: number, change: Partial<Stored> = {}) =>
  page.evaluate(
    ({ k, ms, change }) => {
      const s = JSON.parse(localStorage.getItem(k)!) as Stored;
      localStorage.setItem(k, JSON.stringify({ ...s, expiresAt: Date.now() + ms, ...change }));
    },
    { k: KEY, ms, change },
  );

const isRefresh = (r: Request) => r.method() === 'POST' && new URL(r.url()).pathname === REFRESH;
const WAIT = { timeout: 15_000 };

// Every refresh the context's pages send from now on.
function refreshesOf(context: BrowserContext): Request[] {
  const seen: Request[] = [];
  context.on('request', (r) => {
    if (isRefresh(r)) seen.push(r);
  });
  return seen;
}

async function showsPortfolios(page: Page) {
  await expect(page.getByRole('link', { name: 'hnw' })).toBeVisible();
  await expect(page.getByTestId('role')).toHaveText('analyst');
}

test('a token about to expire is refreshed once before the next request, and the next refresh token is stored', async ({ page, request }) => {
  await signIn(page, 'analyst');
  const before = (await stored(page))!;
  expect(before.refreshToken).toBeTruthy();
  expect(before.expiresAt).toBeGreaterThan(Date.now() + 10 * 60_000); // 15 minutes (--token-ttl 900)
  expect(await page.evaluate(() => sessionStorage.getItem('keel.token'))).toBeNull();

  await expireIn(page, 30_000);
  const refreshes = refreshesOf(page.context());
  const answered = page.waitForResponse((r) => isRefresh(r.request()), WAIT);
  const me = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/auth/me', WAIT);
  await page.goto('/portfolios');
  await showsPortfolios(page);
  expect((await answered).status()).toBe(200);
  expect(refreshes).toHaveLength(1);
  expect(refreshes[0]!.postDataJSON()).toEqual({ refresh_token: before.refreshToken });
  expect(refreshes[0]!.headers().authorization).toBeUndefined();

  const after = (await stored(page))!;
  expect(after.refreshToken).toBeTruthy();
  expect(after.refreshToken).not.toBe(before.refreshToken);
  expect(after.token).not.toBe(before.token);
  expect(after.expiresAt).toBeGreaterThan(Date.now() + 10 * 60_000);
  // The page asked who is signed in with the new token, which the server takes.
  expect((await me).headers().authorization).toBe(`Bearer ${after.token}`);
  expect((await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${after.token}` } })).status()).toBe(200);

  // Used again, nothing more is refreshed.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Jobs' })).toBeVisible();
  expect(refreshes).toHaveLength(1);
});

test('a request refused with 401 is sent once more after one refresh, without signing out', async ({ page }) => {
  // The server's first answer to the portfolio list is a 401 (as for a token revoked meanwhile).
  const sent: string[] = [];
  await page.route(
    (url) => url.pathname === '/api/v1/portfolios',
    async (route) => {
      sent.push(route.request().headers().authorization ?? '');
      if (sent.length > 1) return route.continue();
      return route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unauthorized', message: 'token revoked', details: [], request_id: 'e2e' } }) });
    },
  );
  const refreshes = refreshesOf(page.context());
  await signIn(page, 'analyst');
  await page.goto('/portfolios');
  await showsPortfolios(page);
  expect(refreshes).toHaveLength(1);
  const after = (await stored(page))!;
  expect(sent.length).toBeGreaterThanOrEqual(2);
  expect(sent[0]).not.toBe(sent[1]);
  expect(sent.slice(1).every((h) => h === `Bearer ${after.token}`)).toBe(true);
  await expect(page.getByText('Your session ended')).toHaveCount(0);
});

test('two tabs whose token expires at once refresh once between them and both stay signed in', async ({ page, context, request }) => {
  await signIn(page, 'analyst');
  const other = await context.newPage();
  // The second tab shares the sign-in: no sign-in page.
  await other.goto('/portfolios');
  await showsPortfolios(other);
  await page.goto('/portfolios');
  await showsPortfolios(page);
  const before = (await stored(page))!;

  await expireIn(page, 30_000);
  // The refresh answered a moment late, so that both tabs want one while it is under way.
  await context.route(`**${REFRESH}`, async (route) => {
    await new Promise((r) => setTimeout(r, 1000));
    await route.continue();
  });
  const refreshes = refreshesOf(context);
  await Promise.all([page.reload(), other.reload()]);
  await showsPortfolios(page);
  await showsPortfolios(other);
  expect(refreshes).toHaveLength(1);

  const after = (await stored(page))!;
  expect(after.refreshToken).not.toBe(before.refreshToken);
  // The sign-in stands (a second use of the refresh token would have ended it): both tabs go on.
  expect((await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${after.token}` } })).status()).toBe(200);
  for (const p of [page, other]) {
    const next = p.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/jobs', WAIT);
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
    expect((await next).headers().authorization).toBe(`Bearer ${after.token}`);
    await expect(p.getByRole('heading', { name: 'Jobs' })).toBeVisible();
  }
  expect(refreshes).toHaveLength(1);
  await other.close();
});

test('signing out in one tab signs the other out; signing in signs it in again', async ({ page, context, request }) => {
  await signIn(page, 'analyst');
  const other = await context.newPage();
  await other.goto('/portfolios');
  await showsPortfolios(other);
  const token = (await stored(page))!.token;

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  // The other tab, without a reload: the sign-in page, saying why.
  await expect(other.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(other.getByRole('status')).toHaveText('Signed out in another tab of this browser.');
  await expect(other.getByRole('link', { name: 'hnw' })).toHaveCount(0);
  expect(await stored(other)).toBeNull();
  expect((await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);

  await signIn(page, 'analyst');
  await expect(other.getByTestId('role')).toHaveText('analyst');
  await other.close();
});

test('a refused refresh returns to the sign-in page saying the session ended', async ({ page }) => {
  await signIn(page, 'analyst');
  await expireIn(page, 30_000, { refreshToken: '1.00000000000000000000000000000000.not-a-secret' });
  const answered = page.waitForResponse((r) => isRefresh(r.request()), WAIT);
  await page.goto('/portfolios');
  expect((await answered).status()).toBe(401);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Your session ended: sign in again.');
  expect(await stored(page)).toBeNull();
  // A reload stays signed out.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
});
