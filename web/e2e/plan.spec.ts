// Retirement planning in the browser: inputs in the URL, the life events of examples/plan/events.json
// loaded into the table, and the plan's figures — success rate, safe withdrawal rate, the strategy
// comparison — equal to the API's jobs for the same body. A viewer cannot run a plan. axe-core.
import { test, expect, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axe, shot, signIn, token } from './helpers';

const pct = (x: number, d: number) => new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d }).format(x);

async function job(request: APIRequestContext, headers: Record<string, string>, path: string, data: unknown) {
  const j = await (await request.post(path, { headers, data })).json();
  for (;;) {
    const s = await (await request.get(`/api/v1/jobs/${j.id}`, { headers })).json();
    if (s.status === 'succeeded') return s.result;
    if (s.status === 'failed' || s.status === 'cancelled') throw new Error(JSON.stringify(s.error));
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('plan: events, fan chart, success, safe rate and strategies against the API', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  await signIn(page, 'analyst');
  await page.goto('/plan?balance=1000000&years=30&withdrawal_rate=0.04&trials=2000&seed=7&target_success=0.9');
  await page.getByLabel('Load an events file').setInputFiles('../examples/plan/events.json');
  await expect(page.locator('tr[data-event]')).toHaveCount(4);
  await expect(page).toHaveURL(/events=/);
  await page.getByRole('button', { name: 'Run the plan' }).click();

  const events = JSON.parse(readFileSync('../examples/plan/events.json', 'utf8')).events;
  const body = { balance: 1000000, years: 30, withdrawal_rate: 0.04, trials: 2000, seed: 7, target_success: 0.9, events };
  const [retire, compare] = await Promise.all([job(request, headers, '/api/v1/plan/retire', body), job(request, headers, '/api/v1/plan/compare', body)]);
  expect(retire.inputs.events).toBe(4);
  await expect(page.locator('[data-kpi=success] .kpi-value')).toContainText(pct(retire.success_rate, 1));
  await expect(page.locator('[data-kpi=swr] .kpi-value')).toHaveText(pct(retire.safe_withdrawal_rate, 2));
  await expect(page.getByTestId('fan-chart').locator('canvas')).toBeVisible();
  await expect(page.locator('tr[data-strategy]')).toHaveCount(compare.rows.length);
  for (const row of compare.rows) {
    await expect(page.locator(`tr[data-strategy="${row.strategy}"] [data-field=success]`)).toHaveText(pct(row.success_rate, 1));
  }
  await expect(page.locator('tr[data-strategy="constant-dollar"] [data-field=swr]')).toHaveText(pct(compare.rows[0].safe_withdrawal_rate, 2));
  await expect(page.getByTestId('sensitivity-chart').locator('canvas')).toBeVisible();
  await axe(page, 'plan');
  await shot(page, 'plan');
});

test('plan: a viewer cannot run a plan', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/plan');
  await expect(page.getByRole('alert')).toContainText('Not allowed for your role');
  await expect(page.getByRole('button', { name: 'Run the plan' })).toHaveCount(0);
});
