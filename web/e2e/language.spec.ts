// Languages: switched to Deutsch in the header, the main views (the overview, the positions editor,
// portfolios, a dashboard and each of its tabs, the report, plan, ledger, IRRBB, CLO) speak German with de-DE numbers, no field name (snake_case)
// shows in a heading, label, table header, tab or key figure, axe-core passes; the choice is kept
// across a reload, and switching back gives English again.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axe, inCurrency, shot, signIn, token } from './helpers';

const SNAKE = /\b[a-z]+_[a-z_]+\b/;
const de2 = (x: number) => new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
const de0 = (x: number) => new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 }).format(x);
const dePct = (x: number, d = 2) => new Intl.NumberFormat('de-DE', { style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d }).format(x);

// The words people read as labels: headings, labels, legends, captions, table headers, buttons,
// tabs, key-figure labels, summaries, figure captions (a <code> inside one is a file format's
// column names, shown as such).
async function labelTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const sel = 'h1, h2, h3, label, legend, caption, th, button, [role=tab], .kpi-label, summary, figcaption, option';
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(sel))) {
      const visible = el.tagName === 'OPTION' ? !!(el.closest('select') as HTMLElement | null)?.offsetParent : !!el.offsetParent;
      if (!visible) continue;
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('code, select, textarea, input').forEach((c) => c.remove());
      const text = (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (text) out.push(text);
    }
    return out;
  });
}

async function noFieldNames(page: Page, view: string) {
  const bad = (await labelTexts(page)).filter((s) => SNAKE.test(s));
  expect(bad, `${view}: snake_case in labels`).toEqual([]);
}

// What the spec made (an account, an ALM session, a CLO deal) is deleted after it, so that the specs
// after it see the store as they would without it.
const made: { path: string; user: string }[] = [];
test.afterEach(async ({ request }) => {
  for (const { path, user } of made.splice(0)) {
    await request.delete(path, { headers: { Authorization: `Bearer ${await token(request, user)}` } });
  }
});

async function german(page: Page, view: string) {
  await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');
  await noFieldNames(page, view);
  await axe(page, view);
}

test('Deutsch: the main views in German with de-DE numbers and no field names; back to English', { tag: '@slow' }, async ({ page, request }) => {
  test.setTimeout(240_000);
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  await signIn(page, 'analyst');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
  await page.getByTestId('language').selectOption('de-DE');

  // The overview (the home page, where signing in lands).
  await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Risiko auf einen Blick' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Risiko je Portfolio' }).getByRole('columnheader', { name: 'Schlechtester Stresstest' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Laufende Aufträge' })).toBeVisible();
  await german(page, 'overview (de)');

  // The positions editor: its grid's headers, cell labels, buttons and a check as typed.
  await page.goto('/portfolios/hnw/positions');
  await expect(page.getByRole('heading', { name: 'Positionen von hnw', level: 1 })).toBeVisible();
  const grid = page.getByRole('table', { name: 'Positionen von hnw' });
  await expect(grid.getByRole('columnheader', { name: 'Einstandspreis je Stück' })).toBeVisible();
  await expect(grid.getByRole('columnheader', { name: 'Probleme' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Zeile hinzufügen' })).toBeVisible();
  await expect(page.getByTestId('unsaved')).toHaveText('Keine ungespeicherten Änderungen');
  await page.getByLabel('Stückzahl, Zeile 1', { exact: true }).fill('abc');
  await expect(grid.locator('tr[data-row="1"] .cell-problem')).toHaveText('„abc“ ist keine Zahl');
  await expect(page.getByTestId('unsaved')).toHaveText('1 ungespeicherte Änderung (1 bearbeitet)');
  await german(page, 'positions editor (de)');
  await page.getByRole('button', { name: 'Änderungen verwerfen' }).click();
  await expect(page.getByTestId('unsaved')).toHaveText('Keine ungespeicherten Änderungen');

  // Portfolios.
  await page.goto('/portfolios');
  await expect(page.getByRole('button', { name: 'Abmelden' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Aufträge' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Nettowert' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Aktionen' })).toBeVisible();
  await expect(page.getByLabel('Sprache und Zahlenformat')).toHaveValue('de-DE');
  await german(page, 'portfolios (de)');
  await shot(page, 'portfolios-de');

  // The choice is kept across a reload.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Abmelden' })).toBeVisible();

  // A dashboard and each of its tabs.
  const report = await (await request.get('/api/v1/portfolios/hnw/report', { headers })).json();
  await page.goto('/portfolios/hnw');
  await expect(page.getByRole('tablist', { name: 'Analysen' })).toBeVisible();
  await expect(page.locator('[data-kpi=net] .kpi-label')).toHaveText('Nettowert');
  await expect(page.locator('[data-kpi=net] .kpi-value')).toHaveText(inCurrency('de-DE', 'USD', report.summary.net_value_amount));
  await expect(page.getByRole('region', { name: 'Positionen' }).getByRole('columnheader', { name: 'Marktwert (USD)' })).toBeVisible();
  await german(page, 'dashboard positions (de)');
  await shot(page, 'dashboard-de');
  const tabs: [string, string][] = [
    ['Exposures', 'Exposure-Gruppen'],
    ['Griechen', 'Griechen je Position'],
    ['VaR / ES', 'VaR und ES'],
    ['Backtest', ''],
    ['Faktor-Betas', 'Faktor-Betas'],
    ['Stresstests', 'Stressszenarien'],
    ['Korrelation', ''],
    ['Verlauf', ''],
  ];
  for (const [tab, table] of tabs) {
    await page.getByRole('tab', { name: tab, exact: true }).click();
    await expect(page.getByRole('tab', { name: tab, exact: true })).toHaveAttribute('aria-selected', 'true');
    if (table) await expect(page.getByRole('table', { name: table })).toBeVisible({ timeout: 60_000 });
    else await expect(page.getByRole('tabpanel').locator('.kpis, .state.empty, table').first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('status')).toHaveCount(0, { timeout: 60_000 });
    await german(page, `dashboard ${tab} (de)`);
  }
  // The VaR tab's controls are labelled in words, their choices too.
  await page.getByRole('tab', { name: 'VaR / ES', exact: true }).click();
  await expect(page.getByLabel('Konfidenzniveau')).toBeVisible();
  await expect(page.getByLabel('Kovarianzschätzer')).toBeVisible();
  await expect(page.locator('#param-method option[value=historical]')).toHaveText('historisch');
  const exposures = await (await request.post('/api/v1/portfolios/hnw/exposures', { headers, data: {} })).json();
  await page.getByRole('tab', { name: 'Exposures', exact: true }).click();
  const g0 = exposures.groups[0];
  await expect(page.locator(`tr[data-group="${g0.key}"] [data-field=net]`)).toHaveText(de0(g0.net), { timeout: 60_000 });
  await expect(page.getByRole('table', { name: 'Exposure-Gruppen' }).locator('thead')).toContainText('Netto (USD)');

  // The report of the same book: every figure and list by its label.
  await page.goto('/portfolios/hnw/report');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bericht: hnw, 06.12.2017');
  await expect(page.getByRole('heading', { name: 'Datenqualität' })).toBeVisible();
  await german(page, 'report (de)');

  // Plan.
  await page.goto('/plan?balance=1000000&years=30&withdrawal_rate=0.04&trials=500&seed=7&target_success=0.9');
  await expect(page.getByRole('heading', { name: 'Ruhestandsplanung' })).toBeVisible();
  // Rates in percent: the address's 0.04 is shown as 4.
  await expect(page.getByLabel('Entnahmerate (%)')).toHaveValue('4');
  await expect(page.getByLabel('Jahre bis zum Ruhestand')).toBeVisible();
  await expect(page.getByLabel('Ziel-Erfolgsquote (%)')).toHaveValue('90');
  await page.getByRole('button', { name: 'Plan berechnen' }).click();
  await expect(page.locator('[data-kpi=success] .kpi-label')).toHaveText('Erfolgsquote (500 Lebensverläufe)', { timeout: 60_000 });
  await expect(page.locator('[data-kpi=success] .kpi-value')).toContainText(/\d+,\d\s%/);
  await expect(page.getByRole('table', { name: 'Strategien im Vergleich' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('table', { name: 'Strategien im Vergleich' })).toContainText('konstanter Betrag');
  await expect(page.getByTestId('sensitivity-chart')).toBeVisible({ timeout: 60_000 });
  await german(page, 'plan (de)');
  await shot(page, 'plan-de');

  // Ledger: an account with the Fidelity example imported.
  const manager = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const created = await request.post('/api/v1/accounts', { headers: manager, data: { name: 'sprache', method: 'fifo' } });
  expect(created.ok()).toBe(true);
  made.push({ path: `/api/v1/accounts/${(await created.json()).id}`, user: 'manager' });
  const csv = readFileSync('../examples/ledger/fidelity_history.csv', 'utf8');
  expect((await request.post('/api/v1/accounts/sprache/transactions', { headers: manager, data: { csv, mapping_name: 'fidelity' } })).ok()).toBe(true);
  await page.goto('/ledger');
  await expect(page.getByRole('heading', { name: 'Depotbuch', exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Konten' }).getByRole('columnheader', { name: 'Verbrauchsfolge' })).toBeVisible();
  await german(page, 'ledger (de)');
  const holdings = await (await request.get('/api/v1/accounts/sprache/holdings', { headers })).json();
  await page.goto('/ledger/sprache');
  await expect(page.getByRole('tab', { name: 'Bestand' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('[data-kpi=net_worth] .kpi-value')).toHaveText(`${de2(holdings.totals.net_worth)}\u00a0${holdings.currency}`);
  await expect(page.locator('[data-kpi=cash] .kpi-label')).toHaveText('Barmittel');
  await german(page, 'ledger holdings (de)');

  // IRRBB: a session from the example balance sheet and the stored curve.
  const sheet = readFileSync('../examples/alm/balance_sheet.csv', 'utf8');
  const session = await request.post('/api/v1/alm/sessions', {
    headers,
    data: { name: 'sprache-alm', currency: 'USD', balance_sheet: sheet, as_of: '2020-12-31', tier1: 180000000, curves: [{ currency: 'USD', stored: 'ust-2020', date: '2020-12-31' }] },
  });
  expect(session.ok()).toBe(true);
  const sid = (await session.json()).session.id;
  made.push({ path: `/api/v1/alm/sessions/${sid}`, user: 'analyst' });
  await page.goto('/alm');
  await expect(page.getByRole('heading', { name: 'IRRBB der Bank: ALM-Sitzungen' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'ALM-Sitzungen' }).getByRole('columnheader', { name: 'Lebensdauer' })).toBeVisible();
  await german(page, 'alm sessions (de)');
  await page.goto(`/alm/sessions/${sid}`);
  await expect(page.getByRole('tab', { name: 'Zinsbindungsbilanz' })).toBeVisible();
  await expect(page.locator('[data-testid=eve-table] tr[data-scenario=parallel_up] td').first()).toHaveText('Parallel nach oben');
  await german(page, 'alm eve (de)');
  const gap = await (await request.get(`/api/v1/alm/sessions/${sid}/gap`, { headers })).json();
  await page.getByRole('tab', { name: 'Zinsbindungsbilanz' }).click();
  const b = gap.buckets[18];
  await expect(page.locator(`[data-testid=gap-table] tr[data-bucket="${b.name}"] [data-field=cumulative_gap]`)).toHaveText(de0(b.cumulative_gap));
  await german(page, 'alm gap (de)');

  // CLO: the example deal.
  const deal = JSON.parse(readFileSync('../examples/clo/example_bsl_clo.json', 'utf8'));
  const up = await request.post('/api/v1/clo/deals', { headers, data: { deal, name: 'sprache-clo', comment: 'Sprache' } });
  expect(up.ok()).toBe(true);
  const did = (await up.json()).deal.id;
  made.push({ path: `/api/v1/clo/deals/${did}`, user: 'manager' });
  await page.goto('/clo');
  await expect(page.getByRole('heading', { name: 'CLO-Transaktionen' })).toBeVisible();
  await german(page, 'clo deals (de)');
  const run = await (await request.post(`/api/v1/clo/deals/${did}/run`, { headers, data: { version: 1 } })).json();
  await page.goto(`/clo/deals/${did}`);
  await expect(page.getByRole('tab', { name: 'Wasserfall' })).toHaveAttribute('aria-selected', 'true');
  const t0 = run.tranches[0];
  const row = page.locator(`[data-testid=tranche-metrics] tr[data-tranche="${t0.name}"]`);
  await expect(row.locator('[data-field=irr]')).toHaveText(dePct(t0.irr), { timeout: 60_000 });
  await expect(page.getByRole('table', { name: 'Kennzahlen der Tranchen' }).getByRole('columnheader', { name: 'Kapitalverlust' })).toBeVisible();
  await german(page, 'clo waterfall (de)');
  await page.getByRole('tab', { name: 'OC/IC-Tests' }).click();
  await expect(page.getByRole('region', { name: 'Deckungstests je Periode' })).toBeVisible({ timeout: 60_000 });
  await german(page, 'clo coverage (de)');
  await shot(page, 'clo-de');

  // Back to English.
  await page.getByTestId('language').selectOption('en-US');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'OC/IC tests' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Coverage tests by period' })).toBeVisible();
  await page.goto('/portfolios');
  await expect(page.getByRole('columnheader', { name: 'Net value' })).toBeVisible();
  await noFieldNames(page, 'portfolios (en)');
});
