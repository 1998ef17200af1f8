// Signing out ends the session on the server: the app sends POST /api/v1/auth/logout with its
// bearer token before it forgets the token, and that token is refused afterwards; when the server
// cannot end the session the tab is signed out all the same and the sign-in page says so.
import { test, expect, type Page } from '@playwright/test';
import { signIn } from './helpers';

// The access token of the browser's stored sign-in (src/api/tokens.ts), null when signed out.
const storedToken = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('keel.session') ?? 'null') as { token: string } | null)?.token ?? null);

test('sign-out: the server revokes the token, which is then refused', async ({ page, request }) => {
  await signIn(page, 'analyst');
  const old = await storedToken(page);
  expect(old).toBeTruthy();
  const me = await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${old}` } });
  expect(me.status()).toBe(200);

  const logout = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/auth/logout');
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/logout');
  await page.getByRole('button', { name: 'Sign out' }).click();
  expect((await logout).headers().authorization).toBe(`Bearer ${old}`);
  expect([200, 204]).toContain((await answered).status());
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  expect(await storedToken(page)).toBeNull();

  const after = await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${old}` } });
  expect(after.status()).toBe(401);
  // Reloading the page does not sign back in.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
});

test('sign-out: a server that cannot end the session still leaves the tab signed out, and says so', async ({ page }) => {
  await signIn(page, 'analyst');
  await page.route('**/api/v1/auth/logout', (r) =>
    r.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'store busy', details: [], request_id: 'e2e' } }) }),
  );
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText(/^Signed out in this tab, but the server could not end the session \(error 503: store busy\)/);
  expect(await storedToken(page)).toBeNull();
  // A 404 (a server without the route) is signed out too, with nothing to say.
  await page.unroute('**/api/v1/auth/logout');
  await page.route('**/api/v1/auth/logout', (r) => r.fulfill({ status: 404, body: '' }));
  await signIn(page, 'analyst');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await storedToken(page)).toBeNull();
});
