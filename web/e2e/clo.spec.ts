// CLO deals in the browser against a real keel serve: the example BSL deal uploaded through the page,
// its waterfall, OC/IC cushions, collateral quality tests, scenario grid and Monte Carlo checked
// against the API's JSON for the same version; an assumptions edit makes version 2, run as such; a
// pool CSV with bad rows shows each row's problem; a viewer reads but cannot upload or run; axe-core
// on every tab.
import { test, expect } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { axe, en, shot, signIn, token } from './helpers';

const BSL = '../examples/clo/example_bsl_clo.json';
const pct = (x: number, d = 2) => new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d }).format(x);
const num = (x: number, d: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }).format(x);

test('CLO: the example deal uploaded, every analysis against the API, an assumptions edit as a new version', { tag: '@slow' }, async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  await signIn(page, 'analyst');
  await page.goto('/clo');
  const form = page.getByRole('form', { name: 'Upload a CLO deal' });
  await form.getByLabel('Deal name').fill('bsl-2025-1');
  await form.getByLabel('Deal file').setInputFiles(BSL);
  await form.getByLabel('Comment').fill('closing');
  await form.getByRole('button', { name: 'Upload' }).click();
  await expect(page).toHaveURL(/\/clo\/deals\/\d+/);
  const id = Number(/deals\/(\d+)/.exec(page.url())![1]);
  const d = `/api/v1/clo/deals/${id}`;

  const run = await (await request.post(`${d}/run`, { headers: auth, data: { version: 1 } })).json();
  for (const [i, t] of run.tranches.entries()) {
    const row = page.locator(`[data-testid=tranche-metrics] tr[data-tranche="${t.name}"]`);
    await expect(row.locator('[data-field=irr]')).toHaveText(pct(t.irr));
    // The equity (last) row shows no principal loss beside its IRR.
    await expect(row.locator('[data-field=principal_loss]')).toHaveText(i === run.tranches.length - 1 ? '–' : en(t.principal_loss));
  }
  await expect(page.getByRole('region', { name: 'Waterfall by period' })).toContainText(run.periods[0].date);
  await axe(page, 'clo waterfall');
  await shot(page, 'clo-waterfall');

  await page.getByRole('tab', { name: 'OC/IC tests' }).click();
  const first = run.periods[0];
  const row = page.getByRole('region', { name: 'Coverage tests by period' }).locator('tbody tr:not([aria-hidden])').first();
  await expect(row).toContainText(first.date);
  for (const t of first.tests) {
    await expect(row.locator(`[data-test="${t.name}"][data-field=cushion]`)).toContainText(pct(t.cushion));
  }
  await axe(page, 'clo coverage');
  await shot(page, 'clo-coverage');

  await page.getByRole('tab', { name: 'Collateral quality' }).click();
  const tests = await (await request.post(`${d}/tests`, { headers: auth, data: { version: 1 } })).json();
  await expect(page.locator('[data-testid=quality-kpis] [data-kpi=warf] .kpi-value')).toHaveText(num(tests.metrics.warf, 0));
  for (const t of tests.quality) {
    const row = page.locator(`[data-testid=quality-tests] tr[data-test="${t.name}"]`);
    await expect(row).toContainText(t.pass ? 'pass' : 'fail');
  }
  const warf = tests.quality.find((t: { name: string }) => t.name === 'WARF');
  await expect(page.locator('[data-testid=quality-tests] tr[data-test=WARF] [data-field=cushion]')).toHaveText(num(warf.cushion, 2));
  await axe(page, 'clo quality');
  await shot(page, 'clo-quality');

  await page.getByRole('tab', { name: 'Scenario grid' }).click();
  const grid = await (await request.post(`${d}/grid`, { headers: auth, data: { version: 1, cdr: [0, 0.01, 0.02, 0.03, 0.05, 0.08], cpr: [0.1, 0.2], recovery: [0.5, 0.7] } })).json();
  await expect(page.getByTestId('grid')).toHaveAttribute('data-points', String(grid.points));
  const last = grid.scenarios.length - 1;
  for (const t of grid.scenarios[last].tranches) {
    await expect(page.locator(`[data-testid=grid] tr[data-point="${last}"][data-tranche="${t.name}"] [data-field=loss_pct]`)).toHaveText(pct(t.loss_pct));
  }
  await axe(page, 'clo grid');
  await shot(page, 'clo-grid');

  await page.getByRole('tab', { name: 'Monte Carlo' }).click();
  const mc = await (await request.post(`${d}/montecarlo`, { headers: auth, data: { version: 1, scenarios: 1000, seed: 1, correlation: 0.3, histogram_bins: 20 } })).json();
  for (const t of mc.tranches) {
    await expect(page.locator(`[data-testid=mc-table] tr[data-tranche="${t.name}"] [data-field=expected_loss_pct]`)).toHaveText(pct(t.expected_loss_pct, 3));
  }
  const sub = mc.tranches[mc.tranches.length - 1].name;
  await page.locator(`[data-testid=mc-table] tr[data-tranche="${sub}"] button`).click();
  await expect(page.getByTestId('mc-histogram')).toHaveAttribute('data-tranche', sub);
  await expect(page).toHaveURL(new RegExp(`tranche=${sub}`));
  await axe(page, 'clo monte carlo');
  await shot(page, 'clo-montecarlo');

  await page.getByRole('tab', { name: 'Collateral' , exact: true }).click();
  await expect(page.getByRole('region', { name: 'Collateral loans' })).toBeVisible();
  await expect(page.getByText(/Version 1: 160 loans/)).toBeVisible();

  // A new version with CDR 4 %: the page runs it, and version 1 stays as it was.
  const edit = page.getByRole('form', { name: 'Assumptions' });
  await edit.getByLabel('CDR').fill('0.04');
  await edit.getByLabel('Version comment').fill('stress');
  await edit.getByRole('button', { name: 'Save as a new version' }).click();
  await expect(page).toHaveURL(/version=2/);
  await expect(page.getByTestId('assumptions')).toContainText('CDR 4.00%');
  await page.getByRole('tab', { name: 'Waterfall' }).click();
  const run2 = await (await request.post(`${d}/run`, { headers: auth, data: { version: 2 } })).json();
  expect(run2.scenario.cdr).toBe(0.04);
  for (const t of run2.tranches) {
    await expect(page.locator(`[data-testid=tranche-metrics] tr[data-tranche="${t.name}"] [data-field=irr]`)).toHaveText(pct(t.irr));
  }
  await page.getByRole('tab', { name: 'Versions' }).click();
  await expect(page.getByTestId('versions').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('versions').locator('tr[data-version="1"]')).toContainText('2.00%');
  await axe(page, 'clo versions');
});

test('CLO: a pool with bad rows shows each problem; a viewer reads but cannot upload or run', { tag: '@slow' }, async ({ page }) => {
  mkdirSync('test-results', { recursive: true });
  const pool = 'test-results/bad_pool.csv';
  writeFileSync(
    pool,
    'obligor,industry,par,price,spread,floor,coupon_type,maturity,rating,lien,defaulted\n' +
      'L1,High Tech Industries,40000000,99,0.040,0,floating,2030-01-15,B2,first,false\n' +
      'L2,Retail,lots,95,0.045,0,floating,2030-01-15,BB-,first,false\n' +
      'L3,Retail,30000000,97,0.050,0,floating,2030-02-30,B1,first,false\n',
  );
  await signIn(page, 'analyst');
  await page.goto('/clo');
  const form = page.getByRole('form', { name: 'Upload a CLO deal' });
  await form.getByLabel('Deal file').setInputFiles('../examples/clo/small_deal.json');
  await form.getByLabel('Collateral file').setInputFiles(pool);
  await form.getByRole('button', { name: 'Upload' }).click();
  const problems = page.getByTestId('problems');
  await expect(problems.locator('tr[data-line="3"]')).toHaveCount(2);  // par and rating
  await expect(problems.locator('tr[data-line="4"]')).toContainText('maturity');
  await expect(problems).toContainText('collateral.csv');
  await axe(page, 'clo bad upload');
  await shot(page, 'clo-upload-errors');
  // The same deal with its real pool is stored.
  await form.getByLabel('Collateral file').setInputFiles('../examples/clo/small_pool.csv');
  await form.getByRole('button', { name: 'Upload' }).click();
  await expect(page).toHaveURL(/\/clo\/deals\/\d+/);
  await expect(page.getByTestId('assumptions')).toContainText('3 loans');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'viewer');
  await page.goto('/clo');
  await expect(page.getByRole('form', { name: 'Upload a CLO deal' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Delete deal/ })).toHaveCount(0);
  await page.locator('tr[data-deal="Small worked deal"] a').click();
  await expect(page.getByRole('alert')).toContainText('Not allowed for your role');
  await expect(page.getByRole('form', { name: 'Assumptions' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Collateral', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Collateral loans' })).toContainText('L2');
  await axe(page, 'clo viewer');
});
