// The web app against a real keel serve: sign in as analyst and viewer, import a good and a bad
// positions file, every dashboard tab with its figures checked against the API's JSON for the same
// request, a job followed to the end, report downloads (md zip, csv, xlsx), locale and theme,
// axe-core on each main view, and the
// performance figures (first-load JS gzip size, time to the KPI strip) written to test-results/.
import { test, expect } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { axe, en, inCurrency, shot, signIn, token } from './helpers';

const figures = 'test-results/figures.txt';
mkdirSync('test-results', { recursive: true });

test('first load: JavaScript gzip size', async ({ page }) => {
  const scripts: string[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('.js')) scripts.push(new URL(r.url()).pathname);
  });
  await page.goto('/signin');
  await expect(page.getByLabel('User name')).toBeVisible();
  const bytes = scripts.reduce((n, p) => n + gzipSync(readFileSync(join('dist', p))).length, 0);
  writeFileSync(figures, `first_load_js_gzip_bytes ${bytes}\n`);
  expect(bytes).toBeGreaterThan(0);
  // The document the types were generated from (`keel openapi`) is the one the server serves.
  const served = await (await page.request.get('/api/v1/openapi.json')).json();
  expect(served).toEqual(JSON.parse(readFileSync('src/api/generated/openapi.json', 'utf8')));
  await axe(page, 'sign in');
  await shot(page, 'signin');
});

test('analyst: portfolios, dashboard tabs against the API, locale and theme', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  await signIn(page, 'analyst');
  await expect(page.getByTestId('role')).toHaveText('analyst');
  await expect(page.getByTestId('tenant')).toHaveText('default');
  // Sign-in lands on the overview; the portfolios list is one link away.
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Portfolios' }).click();
  await expect(page.getByRole('link', { name: 'hnw' })).toBeVisible();
  await axe(page, 'portfolios');
  await shot(page, 'portfolios');

  // Time from navigation to the KPI strip (loopback), with the report not yet cached by the server.
  const t0 = Date.now();
  await page.goto('/portfolios/hnw');
  await expect(page.getByTestId('kpi-strip')).toBeVisible();
  const kpiMs = Date.now() - t0;
  appendFileSync(figures, `time_to_kpi_ms ${kpiMs}\n`);

  const report = await (await request.get('/api/v1/portfolios/hnw/report', { headers: auth })).json();
  const s = report.summary;
  await expect(page.locator('[data-kpi=net] .kpi-value')).toHaveText(inCurrency('en-US', 'USD', s.net_value_amount));
  await expect(page.locator('[data-kpi=var] .kpi-value')).toHaveText(inCurrency('en-US', 'USD', s.var_amount));
  await expect(page.locator('[data-kpi=es] .kpi-value')).toHaveText(inCurrency('en-US', 'USD', s.es_amount));
  await expect(page.locator('[data-kpi=zone] .kpi-value')).toHaveText(s.backtest_zone);
  await expect(page.getByRole('region', { name: 'Positions' })).toContainText('AAPL');
  await axe(page, 'dashboard');
  await shot(page, 'dashboard');

  // VaR with parameters from the URL: the page's figures equal the API's for the same body.
  await page.goto('/portfolios/hnw?tab=var&method=parametric&confidence=0.975&window=500');
  await expect(page.getByLabel('confidence')).toHaveValue('0.975');
  const v = await (await request.post('/api/v1/portfolios/hnw/risk/var', { headers: auth, data: { method: 'parametric', confidence: 0.975, window: 500 } })).json();
  const row = page.locator('tr[data-method=parametric]');
  await expect(row.locator('[data-field=var]')).toHaveText(en(v.results[0].var));
  await expect(row.locator('[data-field=es]')).toHaveText(en(v.results[0].es));
  await expect(page.locator('[data-testid=var-histogram][data-method=parametric]')).toBeVisible();
  await axe(page, 'var');
  await shot(page, 'var');

  await page.getByRole('tab', { name: 'Backtest' }).click();
  const bt = await (await request.post('/api/v1/portfolios/hnw/risk/backtest', { headers: auth, data: { method: 'parametric', confidence: 0.975, window: 500, series: true } })).json();
  await expect(page.locator('[data-kpi=exceptions] .kpi-value')).toContainText(String(bt.exceptions));
  await expect(page.locator('[data-kpi=zone] .kpi-value').last()).toHaveText(bt.zone);
  await axe(page, 'backtest');
  await shot(page, 'backtest');

  await page.getByRole('tab', { name: 'Factor betas' }).click();
  const f = await (await request.post('/api/v1/portfolios/hnw/risk/factors', { headers: auth, data: {} })).json();
  await expect(page.locator('tr[data-factor=mkt_rf] [data-field=beta]')).toHaveText(f.portfolio.regression.betas.mkt_rf.toFixed(3));
  await axe(page, 'factor betas');
  await shot(page, 'factors');

  await page.getByRole('tab', { name: 'Stress' }).click();
  const st = await (await request.post('/api/v1/portfolios/hnw/risk/stress', { headers: auth, data: {} })).json();
  const gfc = st.scenarios.find((x: { name: string; method: string }) => x.name === 'gfc_2008' && x.method === 'direct');
  await expect(page.locator('tr[data-scenario=gfc_2008]')).toContainText(en(gfc.pnl));
  await shot(page, 'stress');

  await axe(page, 'stress');

  // Exposures by tag (the URL's parameter): each group's net value is the API's for the same body.
  await page.goto('/portfolios/hnw?tab=exposures&by=sector');
  const ex = await (await request.post('/api/v1/portfolios/hnw/exposures', { headers: auth, data: { by: 'sector' } })).json();
  expect(ex.groups.length).toBeGreaterThan(1);
  for (const g of ex.groups) await expect(page.locator(`tr[data-group="${g.key}"] [data-field=net]`)).toHaveText(en(g.net));
  await axe(page, 'exposures');
  await shot(page, 'exposures');

  await page.getByRole('tab', { name: 'Greeks' }).click();
  const gk = await (await request.post('/api/v1/portfolios/hnw/greeks', { headers: auth, data: {} })).json();
  await expect(page.locator('[data-kpi=dd] .kpi-value')).toHaveText(inCurrency('en-US', 'USD', gk.totals.dollar_delta));
  await expect(page.locator('[data-kpi=vega] .kpi-value')).toHaveText(inCurrency('en-US', 'USD', gk.totals.vega_per_point));
  await axe(page, 'greeks');
  await shot(page, 'greeks');

  await page.getByRole('tab', { name: 'Correlation' }).click();
  const co = await (await request.post('/api/v1/portfolios/hnw/risk/correlation', { headers: auth, data: {} })).json();
  await expect(page.locator('[data-kpi=avg] .kpi-value')).toHaveText(
    new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(co.average_pairwise_correlation));
  await axe(page, 'correlation');
  await shot(page, 'correlation');

  // No batch has run on this store yet: the history tab says so (the empty state).
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByRole('tabpanel')).toContainText('No snapshots yet');

  // Keyboard: the tabs follow the WAI-ARIA pattern (arrow keys move and select), and the URL follows.
  await page.getByRole('tab', { name: 'History' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Correlation' })).toBeFocused();
  await expect(page).toHaveURL(/tab=correlation/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Positions' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Locale: the same figure in de-DE; theme: dark on request.
  await page.getByTestId('language').selectOption('de-DE');
  await expect(page.locator('[data-kpi=net] .kpi-value')).toHaveText(inCurrency('de-DE', 'USD', s.net_value_amount));
  // The theme follows the system until one is chosen.
  await expect(page.getByTestId('theme')).toHaveValue('system');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await axe(page, 'dashboard (dark)');
  await shot(page, 'dashboard-dark');
  // Choices are kept on the server for the user's other browsers: back to the defaults, which the
  // later specs of this user expect.
  await page.getByTestId('theme').selectOption('system');
  await page.getByTestId('language').selectOption('en-US');
  await expect
    .poll(async () => (await (await request.get('/api/v1/me/preferences', { headers: auth })).json()).preferences)
    .toEqual({ locale: 'en-US', theme: 'system' });
});

test('analyst: import a good and a bad positions file', async ({ page }) => {
  await signIn(page, 'analyst');
  // An analyst may import into an existing portfolio but not create one (manage_portfolios).
  await page.goto('/portfolios');
  await expect(page.getByRole('link', { name: 'hnw' })).toBeVisible();
  await expect(page.getByLabel('New portfolio')).toHaveCount(0);
  await page.goto('/portfolios/balanced/import');
  await page.getByLabel('Positions file').setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Ticker,Qty,entry_price\nAAPL,10,100\nMSFT,abc,50\n,5,1\n'),
  });
  // Map the file's headers to keel's names.
  await page.getByLabel('keel column for Ticker').selectOption('symbol');
  await page.getByLabel('keel column for Qty').selectOption('quantity');
  await page.getByLabel('Save this mapping as').fill('my broker');
  await page.getByRole('button', { name: 'Save mapping' }).click();
  await page.getByRole('button', { name: /Import 3 rows/ }).click();
  await expect(page.getByRole('alert')).toContainText('2 problems');
  await expect(page.locator('tr.bad')).toHaveCount(2);
  await expect(page.locator('tr.bad').first()).toContainText('line 3, column 2: quantity: expected a number');
  await axe(page, 'import');
  await shot(page, 'import-errors');

  // The same headers again: the saved mapping applies by itself.
  await page.getByLabel('Positions file').setInputFiles({
    name: 'good.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Ticker,Qty,entry_price\nAAPL,10,100\nMSFT,20,50\n'),
  });
  await expect(page.getByLabel('keel column for Ticker')).toHaveValue('symbol');
  await page.getByRole('button', { name: /Import 2 rows/ }).click();
  await expect(page.getByRole('status')).toContainText('Imported into balanced');
});

test('5,000 positions: virtual rows, scrolling frame rate', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'analyst');
  await page.goto('/portfolios/big');
  await expect(page.getByTestId('kpi-strip')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText('5,000 of 5,000 rows')).toBeVisible();
  // Only the rows in view are in the DOM.
  expect(await page.locator('[data-testid=table-scroller] tbody tr').count()).toBeLessThan(80);
  // Scroll 90 px (3 rows) a frame for 3 s, as a fast wheel does, counting frames: the average rate and the longest frame.
  const r = await page.evaluate(
    () =>
      new Promise<{ fps: number; worstMs: number; frames: number }>((done) => {
        const el = document.querySelector('[data-testid=table-scroller]') as HTMLElement;
        const t0 = performance.now();
        let last = t0;
        let worst = 0;
        let frames = 0;
        const step = (t: number) => {
          worst = Math.max(worst, t - last);
          last = t;
          frames++;
          el.scrollTop += 90;
          if (el.scrollTop + el.clientHeight < el.scrollHeight - 1 && t - t0 < 3000) requestAnimationFrame(step);
          else done({ fps: (frames * 1000) / (t - t0), worstMs: worst, frames });
        };
        requestAnimationFrame(step);
      }),
  );
  appendFileSync(figures, `scroll_5000_rows_fps ${r.fps.toFixed(1)}\nscroll_5000_rows_worst_frame_ms ${r.worstMs.toFixed(1)}\n`);
  // The last row is reachable.
  await page.locator('[data-testid=table-scroller]').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.getByRole('region', { name: 'Positions' }).locator('tbody')).toContainText('5,000');
});

test('analyst: a VaR run as a job, followed live to its result', async ({ page }) => {
  await signIn(page, 'analyst');
  await page.goto('/portfolios/balanced?tab=var&method=montecarlo&paths=20000');
  await page.getByRole('button', { name: 'Run as a background job' }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.getByTestId('job-status')).toHaveText('succeeded', { timeout: 60_000 });
  // The result as a table of words, the JSON behind its toggle.
  await expect(page.getByRole('table', { name: 'Result' }).locator('tr[data-key="results.1.method"] td')).toHaveText('Monte Carlo');
  await expect(page.locator('pre.result')).toContainText('"method": "montecarlo"');
});

test('analyst: the report downloads are the files of the API', { tag: '@slow' }, async ({ page, request }) => {
  await signIn(page, 'analyst');
  await page.goto('/portfolios/hnw/report');
  await expect(page.getByTestId('kpi-strip')).toBeVisible();
  const auth = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  // The sections in the page are the API's document: a figure of each of three sections, each
  // amount with the report's currency to the cent (e2e/report-view.spec.ts checks the layout).
  const doc = await (await request.get('/api/v1/portfolios/hnw/report', { headers: auth })).json();
  const cents = (x: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', currencyDisplay: 'code', minimumFractionDigits: 2 }).format(x);
  const historical = page.locator('[data-section=var] [data-testid=table-methods] tbody tr', { has: page.locator('td[data-field=method]', { hasText: 'Historical' }) });
  const historicalVar = doc.var.results.find((m: { method: string }) => m.method === 'historical').var;
  await expect(historical.locator('td[data-field=var]')).toHaveText(cents(historicalVar));
  await expect(page.locator('[data-section=exposures] tr[data-field=gross] td')).toHaveText(cents(doc.exposures.gross));
  // An id in words: the worst scenario (the entry of the lowest P&L) by its name (the one the
  // server labels it with), not gfc_2008.
  const worst = doc.stress.scenarios.reduce((w: { pnl: number } | undefined, x: { pnl: number }) => (w === undefined || x.pnl < w.pnl ? x : w), undefined);
  await expect(page.locator('[data-section=stress] > p').first()).toContainText(`Worst of ${doc.stress.scenarios.length} scenarios: ${worst.label},`);
  await axe(page, 'report');
  await shot(page, 'report');
  for (const format of ['zip', 'json', 'csv', 'xlsx']) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`download-${format}`).click()]);
    expect(file.suggestedFilename()).toMatch(new RegExp(`^hnw_\\d{4}-\\d{2}-\\d{2}\\.${format}$`));
    const got = readFileSync(await file.path());
    const want = await (await request.get(`/api/v1/portfolios/hnw/report/download?format=${format}`, { headers: auth })).body();
    if (format === 'csv') expect(got.toString()).toBe(want.toString());
    else if (format === 'json') expect(JSON.parse(got.toString())).toEqual(JSON.parse(want.toString()));
    else expect(got.subarray(0, 2).toString()).toBe('PK');
    if (format === 'zip') {
      // report.md, its charts and positions.csv under one folder; the same bytes as the API's.
      expect(got.equals(want)).toBe(true);
      const names = got.toString('latin1');
      const base = file.suggestedFilename().replace(/\.zip$/, '');
      for (const m of ['report.md', 'positions.csv']) expect(names).toContain(`${base}/${m}`);
      expect(names).toMatch(new RegExp(`${base}/[^\\0]*\\.svg`));
    }
  }
});

test('viewer: read-only controls and a 403 in words', async ({ page }) => {
  await signIn(page, 'viewer');
  await expect(page.getByTestId('role')).toHaveText('viewer');
  await page.goto('/portfolios');
  await expect(page.getByRole('link', { name: 'hnw' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Import' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await page.goto('/portfolios/longshort?tab=var');
  await expect(page.getByTestId('kpi-strip')).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Not allowed for your role');
  await page.goto('/portfolios/longshort/import');
  await expect(page.getByRole('alert')).toContainText('may not import');
});

test('manager: create and delete a portfolio; analyst: a batch job followed to the end', async ({ page }) => {
  await signIn(page, 'manager');
  await page.goto('/portfolios');
  await page.getByLabel('New portfolio').fill('scratch');
  await page.getByRole('button', { name: 'Create' }).click();
  // A new portfolio opens in its positions editor (e2e/positions-edit.spec.ts).
  await expect(page).toHaveURL(/\/portfolios\/scratch\/positions$/);
  await page.getByRole('link', { name: 'Portfolios' }).click();
  await expect(page.getByRole('link', { name: 'scratch' })).toBeVisible();
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('row', { name: /scratch/ }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('link', { name: 'scratch' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'analyst');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await page.getByRole('button', { name: /Run the daily batch/ }).click();
  await expect(page.getByTestId('job-status')).toHaveText('succeeded', { timeout: 30_000 });
  await axe(page, 'job');
  await shot(page, 'job');
  // The snapshot the batch recorded now fills the portfolio list's columns.
  await page.getByRole('link', { name: 'Portfolios' }).click();
  await expect(page.getByRole('row', { name: /hnw/ })).toContainText('green');
});

test('a revoked session returns to sign-in; a running job cancelled from its page', async ({ page, request }) => {
  // A user of its own, disabled by an administrator while signed in: the next request is a 401
  // and the app goes back to sign-in saying why.
  const admin = { Authorization: `Bearer ${await token(request, 'admin')}` };
  const created = await request.post('/api/v1/users', { headers: admin, data: { username: 'leaver', password: 'leaver password e2e', role: 'analyst' } });
  expect(created.status()).toBe(201);
  const leaver = await created.json();
  await signIn(page, 'leaver');
  await page.goto('/portfolios');
  await expect(page.getByRole('link', { name: 'hnw' })).toBeVisible();
  expect((await request.post(`/api/v1/users/${leaver.id}/disable`, { headers: admin })).status()).toBe(200);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByRole('status')).toContainText('Your session ended');
  await expect(page.getByLabel('User name')).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  expect(await page.evaluate(() => localStorage.getItem('keel.session'))).toBeNull();

  // The daily batch reports per portfolio; cancelled from its page, it stops at the next one.
  await signIn(page, 'analyst');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await page.getByRole('button', { name: /Run the daily batch/ }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('job-status')).toHaveText('cancelled', { timeout: 60_000 });
  const id = new URL(page.url()).pathname.split('/').pop();
  const auth = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  expect((await (await request.get(`/api/v1/jobs/${id}`, { headers: auth })).json()).status).toBe('cancelled');
});
