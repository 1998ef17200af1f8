// Single sign-on through the loopback provider "Bank SSO" (e2e/fake-oidc.mjs; serve.mjs gives keel
// its settings): the sign-in page's "Sign in with Bank SSO" goes to the provider with the
// authorization request the server built (code flow, PKCE S256, the state it answered); choosing
// sso.analyst comes back to /sign-in/oidc, signs in as an analyst (the server provisions the user)
// and lands on the home page with the code and state gone from the URL; sso.manager, started from
// another page, lands there as a manager. A redirect with a state this tab did not keep is refused
// before the server hears of it; the provider's refusal shows its description as text; a code the
// provider does not know shows the server's 401. An administrator's users list shows each user's
// e-mail, full name and how they sign in. axe-core on each page; they fit a 390 px screen.
import { test, expect, type Page } from '@playwright/test';
import { axe, expectPageFits, shot, signIn, token } from './helpers';

test.describe.configure({ mode: 'serial' });

const port = Number(process.env.KEEL_E2E_PORT);
const providerOrigin = `http://127.0.0.1:${port + 3}`;
const DENIED = 'The user declined to sign in to keel at Bank SSO.';

// The access token of the browser's stored sign-in (src/api/tokens.ts).
const storedToken = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('keel.session') ?? 'null') as { token: string } | null)?.token ?? null);

// Clicks "Sign in with Bank SSO" and waits for the provider's page: the state the server answered
// (read as it passes: the page leaves before its body could be asked for).
async function toProvider(page: Page): Promise<string> {
  let state = '';
  await page.route('**/api/v1/auth/oidc/start', async (route) => {
    const answer = await route.fetch();
    state = ((await answer.json()) as { state: string }).state;
    await route.fulfill({ response: answer });
  });
  await page.getByRole('button', { name: 'Sign in with Bank SSO' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Bank SSO' })).toBeVisible();
  await page.unroute('**/api/v1/auth/oidc/start');
  const at = new URL(page.url());
  expect(at.origin).toBe(providerOrigin);
  expect(state).not.toBe('');
  expect(at.searchParams.get('state')).toBe(state);
  return state;
}

test('single sign-on: an analyst, then a manager, sign in through the provider', async ({ page, request }) => {
  const info = await (await request.get('/api/v1/auth/oidc')).json();
  expect(info).toEqual({ enabled: true, display_name: 'Bank SSO' });
  await page.goto('/signin');
  await expect(page.getByRole('button', { name: 'Sign in with Bank SSO' })).toBeVisible();
  // The password form is still there, its button named "Sign in" alone.
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await axe(page, 'sign in with single sign-on');
  await shot(page, 'signin-sso');

  const state = await toProvider(page);
  const q = new URL(page.url()).searchParams;
  expect(q.get('response_type')).toBe('code');
  expect(q.get('client_id')).toBe('keel-e2e');
  expect(q.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/sign-in/oidc`);
  expect(q.get('code_challenge_method')).toBe('S256');
  expect(q.get('scope')?.split(' ')).toContain('openid');
  expect(q.get('nonce')).toBeTruthy();

  const callback = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/auth/oidc/callback');
  await page.getByRole('button', { name: 'sso.analyst' }).click();
  const posted = (await callback).postDataJSON();
  expect(posted.state).toBe(state);
  expect(posted.code).toBeTruthy();
  await expect(page.getByTestId('account')).toHaveText('sso.analyst');
  await expect(page.getByTestId('role')).toHaveText('analyst');
  await expect(page.getByTestId('tenant')).toHaveText('default');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  // The code and state are gone from the address bar, and the kept state from the tab.
  expect(new URL(page.url()).pathname).toBe('/');
  expect(new URL(page.url()).search).toBe('');
  expect(await page.evaluate(() => sessionStorage.getItem('keel.sso'))).toBeNull();
  // The sign-in is kept as a login's: the server's user behind the stored token, and a reload.
  const me = await (await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${await storedToken(page)}` } })).json();
  expect(me).toMatchObject({ username: 'sso.analyst', role: 'analyst', tenant: 'default', sign_in: 'single_sign_on' });
  await page.reload();
  await expect(page.getByTestId('account')).toHaveText('sso.analyst');
  await page.getByTestId('account').click();
  await expect(page.locator('main')).toContainText('Signed in as sso.analyst, tenant default.');
  // No password to change here: the provider keeps it; the page shows the provider's name and e-mail.
  await expect(page.getByTestId('account-sso')).toContainText('your password is kept by your organisation');
  await expect(page.getByTestId('account-profile')).toHaveText('Ada Analyst · sso.analyst@bank.example');
  await expect(page.getByTestId('password-form')).toHaveCount(0);

  // Signed out of keel, the browser signs out at the provider too (its end_session_endpoint with
  // keel's client id), which sends it back to keel's sign-in page.
  const atProvider = page.waitForRequest((r) => new URL(r.url()).pathname === '/logout' && new URL(r.url()).port !== String(port));
  await page.getByRole('button', { name: 'Sign out' }).click();
  const logout = new URL((await atProvider).url());
  expect(logout.searchParams.get('client_id')).toBe('keel-e2e');
  expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`http://127.0.0.1:${port}/signin`);
  await expect(page.getByRole('button', { name: 'Sign in with Bank SSO' })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/signin');
  // Signed in again, on another page: the manager lands back on it.
  await page.goto('/jobs');
  await toProvider(page);
  await page.getByRole('button', { name: 'sso.manager' }).click();
  await expect(page.getByTestId('account')).toHaveText('sso.manager');
  await expect(page.getByTestId('role')).toHaveText('manager');
  expect(new URL(page.url()).pathname).toBe('/jobs');
  const manager = await (await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${await storedToken(page)}` } })).json();
  expect(manager).toMatchObject({ username: 'sso.manager', role: 'manager' });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
});

test('single sign-on: a forged redirect, the provider\'s refusal and the server\'s are shown as text', async ({ page }) => {
  const callbacks: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/auth/oidc/callback') callbacks.push(r.url());
  });
  // A state this tab never kept: refused here, the server never asked.
  await page.goto('/sign-in/oidc?code=x&state=forged');
  await expect(page.getByRole('alert')).toHaveText(/This sign-in did not start here/);
  await expect(page).toHaveURL(/\/sign-in\/oidc$/);
  await expect(page.getByRole('link', { name: 'Back to sign in' })).toBeVisible();
  expect(callbacks).toEqual([]);
  await axe(page, 'single sign-on refused');
  await shot(page, 'signin-sso-refused');

  // The button again, and the provider refuses: its description, as text.
  await toProvider(page);
  await page.getByRole('button', { name: 'Deny' }).click();
  await expect(page.getByTestId('sso-error')).toHaveText(`The sign-in provider refused: ${DENIED}`);
  await expect(page).toHaveURL(/\/sign-in\/oidc$/);
  expect(callbacks).toEqual([]);

  // A code the provider never issued, with the right state: the server's 401 names why.
  const state = await toProvider(page);
  await page.goto(`/sign-in/oidc?code=never-issued&state=${encodeURIComponent(state)}`);
  await expect(page.getByTestId('sso-error')).toContainText('keel did not accept this sign-in');
  await expect(page.getByTestId('sso-error').getByRole('alert')).toContainText('Error 401: single sign-on refused');
  await expect(page).toHaveURL(/\/sign-in\/oidc$/);
  expect(callbacks).toHaveLength(1);
  await expect(page.getByTestId('role')).toHaveCount(0);
  await page.getByRole('link', { name: 'Back to sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();

  // A phone's screen, in German.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => localStorage.setItem('keel.locale', 'de-DE'));
  await page.goto('/signin');
  await expect(page.getByRole('button', { name: 'Anmelden mit Bank SSO' })).toBeVisible();
  await expectPageFits(page, 'sign-in page');
  await page.goto('/sign-in/oidc?error=access_denied&state=forged');
  await expect(page.getByRole('alert')).toHaveText(/Diese Anmeldung wurde nicht hier begonnen/);
  await expectPageFits(page, '/sign-in/oidc');
});

test('single sign-on: an administrator sees how each user signs in', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'admin')}` };
  const users = (await (await request.get('/api/v1/users?tenant=default&limit=200', { headers })).json()).items as { username: string; email: string; full_name: string; sign_in: string }[];
  expect(users.find((u) => u.username === 'sso.analyst')).toMatchObject({ email: 'sso.analyst@bank.example', full_name: 'Ada Analyst', sign_in: 'single_sign_on' });
  expect(users.find((u) => u.username === 'analyst')).toMatchObject({ email: '', full_name: '', sign_in: 'password' });

  await signIn(page, 'admin');
  await page.goto('/admin/users?tenant=default');
  const row = page.locator('tr[data-user="sso.analyst"]');
  await expect(row.locator('[data-field=email]')).toHaveText('sso.analyst@bank.example');
  await expect(row.locator('[data-field=full_name]')).toHaveText('Ada Analyst');
  await expect(row.locator('[data-field=sign_in]')).toHaveText('single sign-on');
  await expect(page.locator('tr[data-user="sso.manager"] [data-field=full_name]')).toHaveText('Max Manager');
  await expect(page.locator('tr[data-user="analyst"] [data-field=sign_in]')).toHaveText('password');
  await expect(page.getByRole('columnheader', { name: 'E-mail' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Full name' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Sign-in' })).toBeVisible();
  await axe(page, 'admin users with sign-in');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectPageFits(page, 'admin users');
});
