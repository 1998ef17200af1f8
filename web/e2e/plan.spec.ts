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

// Rates in percent and the return model as a distribution with its figures in percent: the page
// shows 3.5 for the address's 0.035, sends 0.045 for a typed 4.5 and `t:0.07,0.12,5` for a Student-t
// of mean 7 % and volatility 12 %; the plan it runs is the API's for the body it sent, the amounts
// with their currency.
test('plan: rates typed in percent, the return model built from its distribution', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  await signIn(page, 'analyst');
  await page.goto('/plan?balance=500000&years=25&withdrawal_rate=0.035&trials=500&seed=3&currency=EUR');
  const rate = page.getByLabel('Withdrawal rate (%)');
  await expect(rate).toHaveValue('3.5');
  await expect(page.getByLabel('Inflation (%)')).toHaveValue('2.5');
  await expect(page.getByLabel('Stock allocation (%)')).toHaveValue('60');
  await expect(page.getByLabel('Starting balance (EUR)')).toHaveValue('500000');
  await rate.fill('4.5');
  await rate.blur();
  await expect(page).toHaveURL(/withdrawal_rate=0\.045(&|$)/);
  await expect(rate).toHaveValue('4.5');

  const model = page.getByTestId('return-model');
  await expect(model.getByLabel('Mean return (%)')).toHaveValue('6');
  await expect(model.getByLabel('Volatility (%)')).toHaveValue('12');
  await model.getByLabel('Annual returns').selectOption({ label: 'Student-t (fat tails)' });
  await expect(page).toHaveURL(/returns=t%3A0\.06%2C0\.12%2C5/);
  await model.getByLabel('Mean return (%)').fill('7');
  await model.getByLabel('Mean return (%)').blur();
  await expect(page.getByTestId('returns-formula')).toHaveText('t:0.07,0.12,5');
  // A volatility below zero is named, and the formula stays as it was.
  await model.getByLabel('Volatility (%)').fill('-3');
  await model.getByLabel('Volatility (%)').blur();
  await expect(model.getByRole('alert')).toHaveText('The volatility must be zero or more.');
  await expect(page.getByTestId('returns-formula')).toHaveText('t:0.07,0.12,5');
  await axe(page, 'plan percent inputs');

  const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/plan/retire') && r.method() === 'POST');
  await page.getByRole('button', { name: 'Run the plan' }).click();
  const body = (await sent).postDataJSON();
  // Fields left at their defaults are the server's (inflation 2.5 %, allocation 60 %), not sent; the
  // currency is the page's label, not the plan's.
  expect(body).toMatchObject({ balance: 500000, years: 25, withdrawal_rate: 0.045, returns: 't:0.07,0.12,5', trials: 500, seed: 3 });
  expect(body).not.toHaveProperty('currency');
  const retire = await job(request, headers, '/api/v1/plan/retire', body);
  await expect(page.locator('[data-kpi=success] .kpi-value')).toContainText(pct(retire.success_rate, 1));
  const eur = (x: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR', currencyDisplay: 'code', maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(x);
  await expect(page.locator('[data-kpi=terminal_p50] .kpi-value')).toHaveText(eur(retire.terminal.p50));
  await expect(page.locator('tr[data-strategy="constant-dollar"] td').nth(3)).toContainText('EUR');
});

// A plan without a balance starts from the user's net worth (GET /api/v1/networth, every ledger
// account together), says so with its date, and lets the person change it and come back to it.
test('plan: seeded from the net worth, with its date, and free to change', async ({ page, request }) => {
  const manager = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const account = `plan-seed-${Date.now()}`;
  expect((await request.post('/api/v1/accounts', { headers: manager, data: { name: account } })).status()).toBe(201);
  try {
    const csv = readFileSync('../examples/ledger/transactions.csv', 'utf8');
    expect((await request.post(`/api/v1/accounts/${account}/transactions`, { headers: manager, data: { csv } })).status()).toBe(200);
    const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
    const nw = await (await request.get('/api/v1/networth', { headers })).json();
    const last = nw.points[nw.points.length - 1];
    const amount = new Intl.NumberFormat('en-US', { style: 'currency', currency: nw.currency, currencyDisplay: 'code', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(last.net_worth);
    const balance = String(Math.round(last.net_worth * 100) / 100);

    await signIn(page, 'analyst');
    await page.goto('/plan');
    const input = page.getByLabel(`Starting balance (${nw.currency})`);
    await expect(input).toHaveValue(balance);
    await expect(page).toHaveURL(new RegExp(`balance=${balance.replace('.', '\\.')}(&|$)`));
    const note = page.getByTestId('plan-seed');
    await expect(note).toHaveText(`Starting balance from your net worth on ${last.date} (${amount}): change it as you like.`);
    await axe(page, 'plan seeded');

    await input.fill('750000');
    await input.blur();
    await expect(page).toHaveURL(/balance=750000(&|$)/);
    await expect(note).toContainText(`Your net worth on ${last.date} was ${amount}.`);
    await note.getByRole('button', { name: 'Start from your net worth' }).click();
    await expect(input).toHaveValue(balance);
    await expect(note).toHaveAttribute('data-seeded', 'true');

    // A bookmarked balance is kept: the net worth is offered beside it.
    await page.goto('/plan?balance=123456');
    await expect(page.getByLabel(`Starting balance (${nw.currency})`)).toHaveValue('123456');
    await expect(page.getByTestId('plan-seed')).toHaveAttribute('data-seeded', 'false');
  } finally {
    await request.delete(`/api/v1/accounts/${account}`, { headers: manager });
  }
});
