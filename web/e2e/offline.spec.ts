// The installable app and offline start (docs/web.md "Installable app and offline"): the web app
// manifest and its icons as keel serve serves them, the service worker installed and in control,
// a reload with the browser offline that still shows the signed-in shell saying it is offline (no
// API answer from the cache, nothing under /api/ in any cache), and the view loading on its own
// once back online. The other specs block service workers (playwright.config.ts); this one allows
// them.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { axe, signIn } from './helpers';

test.use({ serviceWorkers: 'allow' });

const OFFLINE = "You are offline: keel's server cannot be reached.";

// The light theme's colours in src/app/theme.css.
function lightTheme(): Record<string, string> {
  const css = readFileSync(new URL('../src/app/theme.css', import.meta.url), 'utf8');
  const root = /:root \{([^}]*)\}/.exec(css)![1]!;
  return Object.fromEntries([...root.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/g)].map((m) => [m[1]!, m[2]!]));
}

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  scope: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
}

// How many requests keel serve has answered from its web root (/metrics, route "static"). The
// test's own requests (the request fixture) are not the browser's, so not offline.
async function staticAnswers(request: APIRequestContext): Promise<number> {
  const text = await (await request.get('/metrics')).text();
  return [...text.matchAll(/^keel_http_requests_total\{route="static",[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

// Waits until the service worker controls the page.
const controlled = (page: Page) =>
  expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toMatch(/\/sw\.js$/);

// Every URL in the page's caches, as "cache name path".
const cachedUrls = (page: Page) =>
  page.evaluate(async () => {
    const out: string[] = [];
    for (const name of await caches.keys()) {
      for (const r of await (await caches.open(name)).keys()) out.push(`${name} ${new URL(r.url).pathname}`);
    }
    return out;
  });

test('the web app manifest, its icons and the service worker script as keel serve serves them', async ({ request, page }) => {
  const r = await request.get('/manifest.webmanifest');
  expect(r.status()).toBe(200);
  expect(r.headers()['content-type']).toBe('application/manifest+json');
  const m = (await r.json()) as Manifest;
  const theme = lightTheme();
  expect(m).toMatchObject({
    short_name: 'keel',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: theme.panel,
    background_color: theme.bg,
  });
  expect(m.name).toMatch(/keel/);
  for (const icon of m.icons) {
    const res = await request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()['content-type'], icon.src).toMatch(new RegExp(`^${icon.type.replace('+', '\\+')}`));
    const body = await res.body();
    if (icon.type === 'image/png') {
      // The PNG signature, then IHDR's width and height.
      expect(body.subarray(1, 4).toString('latin1'), icon.src).toBe('PNG');
      expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
    } else {
      expect(body.toString('utf8'), icon.src).toContain('<svg');
    }
  }
  const pngs = m.icons.filter((i) => i.type === 'image/png');
  expect(pngs.map((i) => `${i.sizes} ${i.purpose ?? 'any'}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);

  // index.html names them; the touch icon is served too.
  const html = await (await request.get('/')).text();
  expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"');
  expect(html).toMatch(/<meta name="theme-color" content="#[0-9a-f]{6}"/);
  expect(html).toContain('<link rel="apple-touch-icon" href="/apple-touch-icon.png"');
  const touch = await request.get('/apple-touch-icon.png');
  expect(touch.headers()['content-type']).toBe('image/png');
  expect((await touch.body()).readUInt32BE(16)).toBe(180);

  // sw.js is a file of the web root (not the index.html every other path falls back to), as
  // JavaScript, revalidated at every load so that a new build reaches the browser.
  const sw = await request.get('/sw.js');
  expect(sw.status()).toBe(200);
  expect(sw.headers()['content-type']).toMatch(/^text\/javascript/);
  expect(sw.headers()['cache-control']).toBe('no-cache');
  const source = await sw.text();
  const shell = JSON.parse(/\}\)\(self, (\{.*\})\);/.exec(source)![1]!) as { version: string; files: string[] };
  expect(shell.files).toContain('/index.html');
  expect(shell.files).toContain('/manifest.webmanifest');
  expect(shell.files.filter((f) => f.startsWith('/assets/') && f.endsWith('.js')).length).toBeGreaterThan(3);
  expect(shell.files.filter((f) => f.startsWith('/api'))).toEqual([]);

  // Chromium's own verdict: the manifest parses without errors and the page is installable.
  await page.goto('/signin');
  await page.evaluate(() => navigator.serviceWorker.ready);
  const cdp = await page.context().newCDPSession(page);
  const parsed = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string }[] };
  expect(parsed.url).toMatch(/\/manifest\.webmanifest$/);
  expect(parsed.errors.map((e) => e.message)).toEqual([]);
  const installable = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
  // Playwright's browser contexts are off the record, which Chromium never installs from
  // ('in-incognito'): a property of the test's browser, not of the app.
  expect(installable.installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
});

test('offline: the app shell starts from the cache, says it is offline, never serves API data, and loads back online', async ({ page, context, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'analyst');
  await page.goto('/portfolios');
  await expect(page.getByRole('link', { name: 'hnw' })).toBeVisible();

  // The worker is installed, active and controls the page (clients.claim: no reload needed).
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(new URL(scope).pathname).toBe('/');
  await controlled(page);
  const cached = await cachedUrls(page);
  expect(new Set(cached.map((c) => c.split(' ')[0]))).toEqual(new Set([expect.stringMatching(/^keel-shell-[0-9a-f]{16}$/)]));
  expect(cached.map((c) => c.split(' ')[1])).toEqual(expect.arrayContaining(['/index.html', '/manifest.webmanifest', '/icon-192.png']));
  expect(cached.filter((c) => c.includes(' /api'))).toEqual([]);

  await context.setOffline(true);
  const before = await staticAnswers(request);
  expect(before).toBeGreaterThan(0);
  const reload = await page.reload();
  expect(reload?.fromServiceWorker()).toBe(true);
  // The shell, still signed in (the sign-in and user in localStorage), says it is offline.
  await expect(page.getByTestId('role')).toHaveText('analyst');
  await expect(page.getByTestId('offline-badge')).toHaveText('Offline');
  await expect(page.getByRole('heading', { name: 'Portfolios' })).toBeVisible();
  await expect(page.locator('main')).toContainText(OFFLINE);
  await expect(page.locator('main')).not.toContainText('Loading');
  await axe(page, 'offline');
  // The page and its chunks came from the cache: keel serve saw none of it.
  expect(await staticAnswers(request)).toBe(before);

  // API requests get no answer offline: none comes from the worker's cache.
  const api = await page.evaluate(() =>
    fetch('/api/v1/portfolios?limit=500').then(
      (r) => `answered ${r.status}`,
      (e: unknown) => `failed: ${String(e)}`,
    ),
  );
  expect(api).toMatch(/^failed/);

  // Another view offline: its code is in the cache, its data is not.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Jobs' })).toBeVisible();
  await expect(page.locator('main')).toContainText(OFFLINE);
  // A route loaded offline from the address bar starts the shell too.
  await page.goto('/portfolios');
  await expect(page.getByTestId('offline-badge')).toBeVisible();
  await expect(page.locator('main')).toContainText(OFFLINE);
  expect((await cachedUrls(page)).filter((c) => c.includes(' /api'))).toEqual([]);

  // Back online: the view loads by itself, no reload.
  await context.setOffline(false);
  await expect(page.getByRole('link', { name: 'hnw' })).toBeVisible();
  await expect(page.getByTestId('offline-badge')).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText(OFFLINE);
  // The API's answers went to the page, not into a cache.
  expect((await cachedUrls(page)).filter((c) => c.includes(' /api'))).toEqual([]);
  expect(errors).toEqual([]);
});

test('signed out and offline: the sign-in page says the server cannot be reached', async ({ page, context }) => {
  await page.goto('/signin');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await controlled(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('form', { name: 'Sign in' })).toContainText(OFFLINE);
  await axe(page, 'sign-in offline');
  await context.setOffline(false);
  await expect(page.getByRole('form', { name: 'Sign in' })).not.toContainText(OFFLINE);
});

test('a new build takes over: its cache replaces the old one, and the open page offers Reload to update', { tag: '@slow' }, async ({ page }) => {
  await signIn(page, 'analyst');
  await controlled(page);
  await page.goto('/portfolios'); // a page the worker controls from its start
  await expect(page.getByRole('link', { name: 'hnw' })).toBeVisible();
  const names = async () => page.evaluate(() => caches.keys());
  const [old] = await names();
  expect(old).toMatch(/^keel-shell-[0-9a-f]{16}$/);
  await expect(page.getByRole('button', { name: 'Reload to update' })).toHaveCount(0);

  // The next build, as far as the browser can tell: the same files under another version.
  const swFile = fileURLToPath(new URL('../dist/sw.js', import.meta.url));
  const current = readFileSync(swFile, 'utf8');
  const version = old!.slice('keel-shell-'.length);
  const next = version === '0'.repeat(16) ? '1'.repeat(16) : '0'.repeat(16);
  try {
    writeFileSync(swFile, current.split(version).join(next));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    await expect(page.getByRole('status').filter({ hasText: 'A new version of keel is ready.' })).toBeVisible();
    await expect.poll(names).toEqual([`keel-shell-${next}`]);
    await axe(page, 'update offered');
    await page.getByRole('button', { name: 'Reload to update' }).click();
    await expect(page.getByRole('link', { name: 'hnw' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Reload to update' })).toHaveCount(0);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/sw\.js$/);
  } finally {
    writeFileSync(swFile, current);
  }
});
