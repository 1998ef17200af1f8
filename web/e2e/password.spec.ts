// The signed-in user's password change (/account, the user name in the header; POST
// /api/v1/me/password): a wrong current password (403), a new one too short (400, its reason) and a
// repetition that differs are shown in words; a change keeps this page signed in with the new
// token, revokes the old token (401) and signs out another browser; the new password signs in.
// The user is pwchanger (e2e/serve.mjs), whom no other spec uses; its password is set back at the end.
import { test, expect } from '@playwright/test';
import { axe, PW, signIn, token } from './helpers';

const USER = 'pwchanger';
const NEW = 'pwchanger new password e2e';

test('password change: errors in words, this page stays signed in, every other token revoked', async ({ page, request, browser }) => {
  // A second browser signed in as the same user, and a token from before the change.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signIn(other, USER);
  const old = await token(request, USER);
  expect((await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${old}` } })).status()).toBe(200);

  await signIn(page, USER);
  await page.getByTestId('account').click();
  await expect(page).toHaveURL(/\/account$/);
  const form = page.getByRole('form', { name: 'Change password' });
  await expect(form).toBeVisible();
  await axe(page, 'account');

  // Wrong current password: 403 in words.
  await form.getByLabel('Current password').fill('not my password');
  await form.getByLabel('New password', { exact: true }).fill(NEW);
  await form.getByLabel('Repeat the new password').fill(NEW);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('alert')).toContainText('The current password is wrong.');
  // The repetition differs: said before anything is sent.
  await form.getByLabel('Current password').fill(PW(USER));
  await form.getByLabel('Repeat the new password').fill(`${NEW}x`);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('alert')).toHaveText('The new password and its repetition differ.');
  // Too short: the server's 400 with its reason.
  await form.getByLabel('New password', { exact: true }).fill('short');
  await form.getByLabel('Repeat the new password').fill('short');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('alert')).toContainText('400');
  await expect(form.getByRole('alert')).toContainText(/8/);
  await axe(page, 'account errors');
  // Nothing changed so far: the old token still works.
  expect((await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${old}` } })).status()).toBe(200);

  // The change.
  await form.getByLabel('New password', { exact: true }).fill(NEW);
  await form.getByLabel('Repeat the new password').fill(NEW);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('password-changed')).toContainText('Every other browser signed in as you was signed out');
  await expect(form.getByRole('alert')).toHaveCount(0);
  // The old token is refused; this page goes on with the new one, across a reload too.
  expect((await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${old}` } })).status()).toBe(401);
  await page.getByRole('link', { name: 'Portfolios' }).first().click();
  await expect(page.locator('tr', { hasText: 'balanced' }).first()).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('who')).toContainText(USER);
  await expect(page.locator('tr', { hasText: 'balanced' }).first()).toBeVisible();
  // The other browser was signed out: its next request finds its token revoked.
  await other.reload();
  await expect(other.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await otherContext.close();

  // The old password no longer signs in; the new one does.
  expect((await request.post('/api/v1/auth/login', { data: { username: USER, password: PW(USER) } })).status()).toBe(401);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('User name').fill(USER);
  await page.getByLabel('Password').fill(NEW);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('role')).toBeVisible();

  // Back to the password the specs know.
  const r = await request.post('/api/v1/auth/login', { data: { username: USER, password: NEW } });
  const fresh = ((await r.json()) as { token: string }).token;
  const back = await request.post('/api/v1/me/password', { headers: { Authorization: `Bearer ${fresh}` }, data: { current_password: NEW, new_password: PW(USER) } });
  expect(back.status(), await back.text()).toBe(200);
});
