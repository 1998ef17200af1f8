// Preferences kept on the server: what a user chooses in one browser (language and theme) is what
// another browser opens in after signing in, and the API says the same (GET /api/v1/me/preferences).
// The user is globex's manager, whom no other spec signs in as in the browser; the choices are
// put back to the defaults at the end (and at the start, for CI's retry).
import { test, expect } from '@playwright/test';
import { signIn, token } from './helpers';

test('preferences: a language and a theme chosen in one browser open the next one', async ({ browser, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'globexmgr')}` };
  await request.put('/api/v1/me/preferences', { headers, data: { locale: '', theme: '' } });

  const first = await browser.newContext();
  const a = await first.newPage();
  await signIn(a, 'globexmgr');
  await a.getByTestId('language').selectOption('de-DE');
  await a.getByTestId('theme').selectOption('dark');
  await expect
    .poll(async () => (await (await request.get('/api/v1/me/preferences', { headers })).json()).preferences)
    .toEqual({ locale: 'de-DE', theme: 'dark' });
  await first.close();

  // Another browser: nothing in its storage, the server's choice after sign-in.
  const second = await browser.newContext();
  const b = await second.newPage();
  await signIn(b, 'globexmgr');
  await expect(b.locator('html')).toHaveAttribute('lang', 'de-DE');
  await expect(b.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(b.getByTestId('language')).toHaveValue('de-DE');
  await expect(b.getByTestId('theme')).toHaveValue('dark');
  // Back to the defaults, from this browser.
  await b.getByTestId('language').selectOption('en-US');
  await b.getByTestId('theme').selectOption('system');
  await expect
    .poll(async () => (await (await request.get('/api/v1/me/preferences', { headers })).json()).preferences)
    .toEqual({ locale: 'en-US', theme: 'system' });
  await second.close();
});
