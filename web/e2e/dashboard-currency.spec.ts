// The dashboard's VaR tab when the API answers with a job (method "all": 202), followed to the
// job's result with no page error; and the currency every amount of the dashboard is in: the KPI
// strip's figures name it, the positions' and VaR's amount columns name it in their headers.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { de, en, inCurrency, signIn, token } from './helpers';

// Every uncaught error of the page, from the moment it is created.
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

async function jobResult(request: APIRequestContext, headers: Record<string, string>, id: number) {
  for (let i = 0; i < 120; i++) {
    const j = await (await request.get(`/api/v1/jobs/${id}`, { headers })).json();
    if (j.status === 'succeeded') return j.result;
    expect(['queued', 'running'], `job ${id}: ${JSON.stringify(j.error)}`).toContain(j.status);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`job ${id} did not end`);
}

test('analyst: VaR with method "all" is a job, followed to every method\'s row with no page error', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const errors = pageErrors(page);
  // The API answers method "all" with a job, not the VaR result.
  const posted = await request.post('/api/v1/portfolios/hnw/risk/var', { headers, data: { method: 'all', histogram_bins: 40 } });
  expect(posted.status()).toBe(202);
  const result = await jobResult(request, headers, (await posted.json()).id);
  expect(result.results.map((r: { method: string }) => r.method)).toEqual(['parametric', 'historical', 'montecarlo']);

  await signIn(page, 'analyst');
  // The first read of the job is answered as running at 40 % and the next one held, so that the
  // page's running state can be seen; then the server's own answers pass.
  let reads = 0;
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/api\/v1\/jobs\/\d+$/, async (route) => {
    reads += 1;
    if (reads === 1) {
      const j = await (await route.fetch()).json();
      await route.fulfill({ json: { ...j, status: 'running', progress: 0.4, message: 'montecarlo paths', result: null, finished_at: null } });
    } else {
      if (reads === 2) await held;
      await route.continue();
    }
  });
  await page.goto('/portfolios/hnw?tab=var&method=all');
  const progress = page.getByTestId('var-job');
  await expect(progress).toContainText('running 40%');
  await expect(progress).toContainText('montecarlo paths');
  await expect(progress.getByRole('progressbar', { name: 'VaR job progress' })).toBeVisible();
  release();
  const table = page.getByRole('table', { name: 'VaR and ES' });
  await expect(table).toBeVisible({ timeout: 60_000 });
  await expect(table.locator('thead')).toContainText('VaR (USD)');
  await expect(table.locator('thead')).toContainText('ES (USD)');
  for (const r of result.results as { method: string; var: number; es: number }[]) {
    const row = table.locator(`tr[data-method=${r.method}]`);
    await expect(row.locator('td').first()).toHaveText(r.method === 'montecarlo' ? 'Monte Carlo' : r.method);
    await expect(row.locator('[data-field=var]')).toHaveText(en(r.var));
    await expect(row.locator('[data-field=es]')).toHaveText(en(r.es));
    await expect(page.locator(`[data-testid=var-histogram][data-method=${r.method}]`)).toBeVisible();
  }
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(page.getByText(/Contributions \(.+\) \(USD\)/)).toBeVisible();
  await expect(page.getByTestId('var-job')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('analyst: a VaR job that fails shows its error and details on the VaR tab', async ({ page }) => {
  const errors = pageErrors(page);
  await signIn(page, 'analyst');
  // The job's reads are answered as the job failed (keel's demo data gives no failing VaR).
  await page.route(/\/api\/v1\/jobs\/\d+$/, async (route) => {
    const j = await (await route.fetch()).json();
    await route.fulfill({ json: { ...j, status: 'failed', result: null, error: { code: 'invalid_input', message: 'no prices for ZZZ', details: ['ZZZ: no close on 2026-11-20'] } } });
  });
  await page.goto('/portfolios/hnw?tab=var&method=all');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(/VaR job \d+ failed: no prices for ZZZ/, { timeout: 30_000 });
  await expect(alert).toContainText('ZZZ: no close on 2026-11-20');
  await expect(page.getByRole('table', { name: 'VaR and ES' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('analyst: the KPI strip, positions, exposures, Greeks and stress say the book\'s currency', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const errors = pageErrors(page);
  const s = (await (await request.get('/api/v1/portfolios/hnw/report', { headers })).json()).summary;
  await signIn(page, 'analyst');
  await page.goto('/portfolios/hnw');
  const strip = page.getByTestId('kpi-strip');
  await expect(strip.locator('[data-kpi=net] .kpi-value')).toHaveText(inCurrency('en-US', 'USD', s.net_value_amount));
  await expect(strip.locator('[data-kpi=gross] .kpi-value')).toHaveText(inCurrency('en-US', 'USD', s.gross_value_amount));
  await expect(strip.locator('[data-kpi=var] .kpi-value')).toHaveText(inCurrency('en-US', 'USD', s.var_amount));
  await expect(strip.locator('[data-kpi=es] .kpi-value')).toHaveText(inCurrency('en-US', 'USD', s.es_amount));
  await expect(strip.locator('[data-kpi=net] .kpi-value')).toContainText('USD');
  const positions = page.getByRole('region', { name: 'Positions' });
  await expect(positions.getByRole('columnheader', { name: 'Market value (USD)' })).toBeVisible();
  await expect(positions.getByRole('columnheader', { name: '1-day P&L (USD)' })).toBeVisible();
  // de-DE puts the code after the figure.
  await page.getByTestId('language').selectOption('de-DE');
  await expect(strip.locator('[data-kpi=net] .kpi-value')).toHaveText(`${de(s.net_value_amount)}\u00a0USD`);
  await page.getByTestId('language').selectOption('en-US');

  await page.getByRole('tab', { name: 'Exposures' }).click();
  await expect(page.getByRole('table', { name: 'Exposure groups' }).locator('thead')).toContainText('Net (USD)', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Greeks' }).click();
  await expect(page.locator('[data-kpi=dd] .kpi-value')).toContainText('USD', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Stress' }).click();
  await expect(page.getByRole('table', { name: 'Stress scenarios' }).locator('thead')).toContainText('P&L (USD)', { timeout: 30_000 });
  expect(errors).toEqual([]);
});

test('manager: a book in two currencies with no FX rates is refused, naming the currency, never summed as it is', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const name = `two currencies ${Date.now()}`;
  const created = await request.post('/api/v1/portfolios', { headers, data: { name } });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id as number;
  const imported = await request.post(`/api/v1/portfolios/${id}/positions`, {
    headers: { ...headers, 'Content-Type': 'text/csv' },
    data: 'symbol,quantity,currency\nAAPL,100,USD\nMSFT,50,EUR\n',
  });
  expect(imported.status(), await imported.text()).toBe(200);
  const report = await request.get(`/api/v1/portfolios/${id}/report`, { headers });
  expect(report.status(), await report.text()).toBe(400);
  expect(await report.text()).toContain('no FX rate for EUR/USD');
  await signIn(page, 'manager');
  await page.goto(`/portfolios/${encodeURIComponent(name)}`);
  await expect(page.getByRole('alert').filter({ hasText: 'no FX rate for EUR/USD' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('kpi-strip')).toHaveCount(0);
  // The book cannot be valued: it leaves the store, so the overview's later tests see only books with results.
  const deleted = await request.delete(`/api/v1/portfolios/${id}`, { headers });
  expect(deleted.ok(), await deleted.text()).toBe(true);
});
