// End-to-end tests against a real `keel serve` (e2e/serve.mjs) with Debian's Chromium: no browser is
// downloaded (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1; CHROMIUM_PATH, default /usr/bin/chromium).
import { defineConfig } from '@playwright/test';

// Workers inherit the environment, so the port chosen here is the one every worker sees.
process.env.KEEL_E2E_PORT ??= String(20000 + (process.pid % 20000));
const base = `http://127.0.0.1:${process.env.KEEL_E2E_PORT}`;

export default defineConfig({
  testDir: 'e2e',
  // A whole day's flow in one spec takes 25 s on an idle machine; under `make test` the other tests
  // share the two cores, so CI allows twice the minute.
  timeout: process.env.CI ? 120_000 : 60_000,
  workers: 1,
  // Under `make test` (CI=1) a spec that fails is run once more: on a loaded two-core machine a
  // browser step can miss its timeout. The list reporter prints the first failure and marks the
  // spec "flaky"; a spec that fails twice fails the run.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: base,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    viewport: { width: 1400, height: 900 },
    locale: 'en-US',
    // The service worker (production builds register it) answers the app shell's requests itself,
    // which page.route() and request events do not see; the specs test the app against the
    // server, and e2e/offline.spec.ts allows the worker to test it.
    serviceWorkers: 'block',
  },
  webServer: { command: 'node e2e/serve.mjs', url: `${base}/readyz`, timeout: 60_000, reuseExistingServer: false },
});
