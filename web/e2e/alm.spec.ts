// Bank IRRBB in the browser against a real keel serve: an ALM session from the example balance
// sheet and Treasury curve uploaded through the page (and one from the stored curve), EVE, NII, the
// repricing gap and the shocked curves checked against the API's JSON for the same session; a bad
// balance sheet shows its row problems; a viewer reads but cannot create or delete; the lifetimes
// offered follow GET /api/v1/alm/limits; owner and sharing in the list, the owner's share toggle,
// another user sees a shared session and no toggle; axe-core on every tab.
import { test, expect, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { axe, de, en, shot, signIn, token } from './helpers';

const SHEET = '../examples/alm/balance_sheet.csv';
const CURVE = '../examples/alm/ust_par_2020-12-31.csv';
const pct = (x: number, d = 2) => new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d }).format(x);
const SHOCKS = ['parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down'];

async function newSession(page: Page, name: string, curve: 'upload' | 'stored', shockTable?: string) {
  await page.goto('/alm');
  const form = page.getByRole('form', { name: 'New ALM session' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Balance sheet file').setInputFiles(SHEET);
  if (curve === 'upload') {
    await form.getByLabel('Curve file').setInputFiles(CURVE);
    await form.getByLabel('Curve quoted as').selectOption('par');
    await form.getByLabel('Curve rate units').selectOption('percent');
  } else {
    await form.getByLabel('A stored curve').check();
    await form.getByLabel('Stored curve', { exact: true }).selectOption({ label: 'ust-2020 2020-12-31 (USD, par, 12 tenors)' });
  }
  if (shockTable) await form.getByLabel('Shock table file').setInputFiles(shockTable);
  await form.getByLabel('As of').fill('2020-12-31');
  await form.getByLabel('Tier 1 capital').fill('180000000');
  await form.getByRole('button', { name: 'Create session' }).click();
  await expect(page).toHaveURL(/\/alm\/sessions\/\d+/);
  return Number(/sessions\/(\d+)/.exec(page.url())![1]);
}

test('IRRBB: a session from the example balance sheet, every tab against the API', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  await signIn(page, 'analyst');
  const id = await newSession(page, 'q4-2020', 'upload');
  const shown = await (await request.get(`/api/v1/alm/sessions/${id}`, { headers: auth })).json();
  const eve = shown.results.eve;
  // Every read of a session slides its expiry (ttl from the last access), so the page's figure,
  // from its own read just before the test's, may be a second or two earlier, never later. The API
  // gives ISO-8601 UTC text, which en-US shows as it is.
  expect(shown.session.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(shown.session.last_accessed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await expect(page.getByTestId('expires')).toHaveText(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await expect(page.getByTestId('last-accessed')).toHaveText(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const pageExpiry = Date.parse((await page.getByTestId('expires').textContent())!);
  expect(pageExpiry).toBeLessThanOrEqual(Date.parse(shown.session.expires_at));
  expect(pageExpiry).toBeGreaterThanOrEqual(Date.parse(shown.session.expires_at) - 5000);
  await expect(page.locator('[data-testid=eve-kpis] [data-kpi=base] .kpi-value')).toHaveText(en(eve.base));
  await expect(page.locator('[data-testid=eve-kpis] [data-kpi=limit] .kpi-value')).toHaveText(en(eve.sot.limit));
  await expect(page.locator('[data-testid=eve-kpis] [data-kpi=ratio] .kpi-value')).toHaveText(pct(eve.sot.ratio));
  expect(eve.sot.limit).toBeCloseTo(0.15 * 180000000, 6);
  for (const s of eve.scenarios) {
    await expect(page.locator(`[data-testid=eve-table] tr[data-scenario=${s.name}] [data-field=delta_regulatory]`)).toHaveText(en(s.delta_regulatory));
  }
  // The stored result is the run of the session's inputs.
  const rerun = await (await request.get(`/api/v1/alm/sessions/${id}/eve`, { headers: auth })).json();
  expect(rerun.scenarios).toEqual(eve.scenarios);
  await axe(page, 'alm eve');
  await shot(page, 'alm-eve');

  await page.getByRole('tab', { name: 'NII' }).click();
  const nii = shown.results.nii;
  await expect(page.locator('[data-testid=nii-kpis] [data-kpi=base] .kpi-value')).toHaveText(en(nii.base));
  for (const s of nii.scenarios) {
    await expect(page.locator(`[data-testid=nii-table] tr[data-scenario=${s.name}] [data-field=delta]`)).toHaveText(en(s.delta));
  }
  await expect(page.locator('[data-testid=nii-kpis] [data-kpi=limit] .kpi-value')).toHaveText(en(nii.outlier_test.limit));
  await axe(page, 'alm nii');
  await shot(page, 'alm-nii');

  // Keyboard: the tab list moves with the arrow keys.
  await page.getByRole('tab', { name: 'NII' }).press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Repricing gap' })).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/tab=gap/);
  const gap = shown.results.gap;
  expect(gap.buckets).toHaveLength(19);
  for (const b of gap.buckets) {
    await expect(page.locator(`[data-testid=gap-table] tr[data-bucket="${b.name}"] [data-field=cumulative_gap]`)).toHaveText(en(b.cumulative_gap));
  }
  await axe(page, 'alm gap');
  await shot(page, 'alm-gap');
  // de-DE numbers and the dark theme on the same figures.
  await page.getByTestId('language').selectOption('de-DE');
  const b0 = gap.buckets[18];
  await expect(page.locator(`[data-testid=gap-table] tr[data-bucket="${b0.name}"] [data-field=cumulative_gap]`)).toHaveText(de(b0.cumulative_gap));
  await page.getByTestId('theme').selectOption('dark');
  await axe(page, 'alm gap dark');
  await shot(page, 'alm-gap-dark');
  // Back to the defaults: the choices are kept on the server for this user's later sign-ins.
  await page.getByTestId('theme').selectOption('system');
  await page.getByTestId('language').selectOption('en-US');

  await page.getByRole('tab', { name: 'Shocked curves' }).click();
  const shocks = await (await request.get(`/api/v1/alm/sessions/${id}/shocks?currency=USD`, { headers: auth })).json();
  for (const b of [shocks.buckets[0], shocks.buckets[10], shocks.buckets[18]]) {
    const row = page.locator(`[data-testid=shock-table] tr[data-bucket="${b.name}"]`);
    await expect(row.locator('[data-field=base]')).toHaveText(pct(b.rates.base, 3));
    for (const k of SHOCKS) {
      await expect(row.locator(`[data-field=${k}]`)).toHaveText(new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(b.shift_bp[k]));
    }
  }
  await axe(page, 'alm curves');
  await shot(page, 'alm-curves');

  // The same inputs with the curve stored by `keel import curve` and a custom shock table holding
  // USD's sizes of the regulation: the same EVE, the table named as the shocks' source.
  const id2 = await newSession(page, 'q4-2020-stored', 'stored', '../examples/alm/shock_table_extra.csv');
  const shown2 = await (await request.get(`/api/v1/alm/sessions/${id2}`, { headers: auth })).json();
  expect(shown2.results.eve.scenarios).toEqual(eve.scenarios);
  await expect(page.locator('[data-testid=eve-kpis] [data-kpi=base] .kpi-value')).toHaveText(en(eve.base));
  await page.getByRole('tab', { name: 'Shocked curves' }).click();
  const shocks2 = await (await request.get(`/api/v1/alm/sessions/${id2}/shocks`, { headers: auth })).json();
  expect(shocks2.source).not.toEqual(shocks.source);
  await expect(page.getByText(`(${shocks2.source})`)).toBeVisible();

  // The list: expiry of each session, delete with confirmation.
  await page.goto('/alm');
  const list = await (await request.get('/api/v1/alm/sessions', { headers: auth })).json();
  for (const s of list.items) {
    // The list's read of the sessions and the test's are both after the last access: the same text.
    await expect(page.locator(`tr[data-session="${s.name}"] [data-field=expires]`)).toHaveText(s.expires_at);
    await expect(page.locator(`tr[data-session="${s.name}"] [data-field=last_accessed]`)).toHaveText(s.last_accessed);
    await expect(page.locator(`tr[data-session="${s.name}"] [data-field=owner]`)).toHaveText('analyst');
    await expect(page.locator(`tr[data-session="${s.name}"] [data-field=shared]`)).toHaveText(s.shared ? 'shared with the tenant' : 'private');
  }
  // The lifetimes offered: those up to the server's longest (e2e: the default 7 days), that one chosen.
  const limits = await (await request.get('/api/v1/alm/limits', { headers: auth })).json();
  expect(limits.max_ttl_seconds).toBe(604800);
  const ttl = page.getByRole('form', { name: 'New ALM session' }).getByTestId('ttl');
  await expect(ttl.locator('option')).toHaveText(['1 hour', '1 day', '7 days']);
  await expect(ttl).toHaveValue(String(limits.max_ttl_seconds));
  // German: the ISO text in the locale's date-time, the same instant.
  await page.getByTestId('language').selectOption('de-DE');
  const first = list.items[0];
  const deTime = `${new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(new Date(first.expires_at))} UTC`;
  await expect(page.locator(`tr[data-session="${first.name}"] [data-field=expires]`)).toHaveText(deTime);
  await page.getByTestId('language').selectOption('en-US');
  await axe(page, 'alm sessions');
  await shot(page, 'alm-sessions');
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete session q4-2020-stored' }).click();
  await expect(page.locator('tr[data-session="q4-2020-stored"]')).toHaveCount(0);
  expect((await request.get(`/api/v1/alm/sessions/${id2}`, { headers: auth })).status()).toBe(404);
});

test('IRRBB: a bad balance sheet shows its row problems; sharing; a viewer reads but cannot create or delete', async ({ page, request, browser }) => {
  mkdirSync('test-results', { recursive: true });
  const bad = 'test-results/bad_balance_sheet.csv';
  writeFileSync(
    bad,
    'id,side,type,notional,start_date,maturity_date,rate_type,rate\n' +
      'L1,asset,loan,1000000,2019-01-01,2029-01-01,fixed,0.04\n' +
      'L2,asset,loan,-5,2019-01-01,2029-01-01,fixed,0.04\n' +
      'L3,sideways,loan,100,2019-01-01,2029-01-01,fixed,4.5\n',
  );
  await signIn(page, 'analyst');
  await page.goto('/alm');
  const form = page.getByRole('form', { name: 'New ALM session' });
  await form.getByLabel('Name').fill('bad');
  await form.getByLabel('Balance sheet file').setInputFiles(bad);
  await form.getByLabel('Curve file').setInputFiles(CURVE);
  await form.getByLabel('As of').fill('2020-12-31');
  await form.getByRole('button', { name: 'Create session' }).click();
  const problems = page.getByTestId('problems');
  await expect(problems.locator('tr[data-line="3"]').first()).toContainText('notional');
  await expect(problems.locator('tr[data-line="4"]').first()).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('request id');
  await axe(page, 'alm bad upload');
  await shot(page, 'alm-upload-errors');

  // A session is its maker's until shared (docs/alm.md): the analyst shares q4-2020 with the tenant
  // with the row's toggle; the API then lists it shared.
  const auth = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const viewerAuth = { Authorization: `Bearer ${await token(request, 'viewer')}` };
  const sessions = await (await request.get('/api/v1/alm/sessions', { headers: auth })).json();
  const q4 = sessions.items.find((s: { name: string }) => s.name === 'q4-2020');
  expect(q4.owner).toBe('analyst');
  const shareIfShared = async () => (await (await request.get('/api/v1/alm/sessions', { headers: auth })).json()).items.find((s: { name: string }) => s.name === 'q4-2020').shared;
  if (q4.shared) {
    // Private first, so the toggle's both ways are seen (a run's retry finds it shared).
    expect((await request.put(`/api/v1/alm/sessions/${q4.id}/sharing`, { headers: auth, data: { shared: false } })).status()).toBe(200);
  }
  await page.goto('/alm');
  const row = page.locator('tr[data-session="q4-2020"]');
  await expect(row.locator('[data-field=shared]')).toHaveText('private');
  // Private: another user of the tenant does not see it.
  const hidden = await (await request.get('/api/v1/alm/sessions', { headers: viewerAuth })).json();
  expect(hidden.items.map((s: { name: string }) => s.name)).not.toContain('q4-2020');
  await row.getByRole('button', { name: 'Share session q4-2020 with the tenant' }).click();
  await expect(row.locator('[data-field=shared]')).toHaveText('shared with the tenant');
  expect(await shareIfShared()).toBe(true);
  await expect(row.getByRole('button', { name: 'Make session q4-2020 private' })).toHaveAttribute('aria-pressed', 'true');
  await axe(page, 'alm sessions shared');
  // The other way, and back to shared for the viewer below.
  await row.getByRole('button', { name: 'Make session q4-2020 private' }).click();
  await expect(row.locator('[data-field=shared]')).toHaveText('private');
  expect(await shareIfShared()).toBe(false);
  await row.getByRole('button', { name: 'Share session q4-2020 with the tenant' }).click();
  await expect(row.locator('[data-field=shared]')).toHaveText('shared with the tenant');

  // A manager, in another browser, sees the shared session with its owner, and no toggle: only
  // the owner or an administrator shares (the server's 403 for anyone else).
  const other = await browser.newContext();
  const mgr = await other.newPage();
  await signIn(mgr, 'manager');
  await mgr.goto('/alm');
  const mrow = mgr.locator('tr[data-session="q4-2020"]');
  await expect(mrow.locator('[data-field=owner]')).toHaveText('analyst');
  await expect(mrow.locator('[data-field=shared]')).toHaveText('shared with the tenant');
  await expect(mrow.getByTestId('share')).toHaveCount(0);
  await expect(mrow.getByRole('button', { name: /Delete session/ })).toHaveCount(0);
  const mgrAuth = { Authorization: `Bearer ${await token(request, 'manager')}` };
  expect((await request.put(`/api/v1/alm/sessions/${q4.id}/sharing`, { headers: mgrAuth, data: { shared: false } })).status()).toBe(403);
  await other.close();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'viewer');
  await page.goto('/alm');
  await expect(page.locator('tr[data-session="q4-2020"]')).toBeVisible();
  await expect(page.getByRole('form', { name: 'New ALM session' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Delete session/ })).toHaveCount(0);
  await page.locator('tr[data-session="q4-2020"] a').click();
  await expect(page.locator('[data-testid=eve-kpis] [data-kpi=base]')).toBeVisible();  // stored results are readable
  await expect(page.getByLabel('Tier 1 for the outlier tests')).toHaveCount(0);  // a rerun is a computation
  await axe(page, 'alm viewer');
});
