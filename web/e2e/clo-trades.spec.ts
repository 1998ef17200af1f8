// A CLO manager's trades (the deal's Trades tab, docs/clo.md "Trades tested before they are made"):
// a five-loan deal with a loan tape (asset ids, both agencies' ratings, countries, cov-lite, an
// unfunded revolver) stored through the API; in the page a manager writes a ticket that sells the
// second-lien Gamma loan and buys Zeta, sees a bad cell named at its line and column, tests the
// ticket and compares the verdict, the cash and the tests' effects with the API's own preview of
// the same ticket, then makes the trades (confirming, as the ticket does not comply) and finds
// version 2 with change "trade". The pool shows the tape's columns and the quality tab the buckets,
// the largest obligors and the rank tests' subjects. axe-core on each. The deal is deleted at the end.
import { test, expect } from '@playwright/test';
import { axe, shot, signIn, token } from './helpers';

const DEAL = {
  name: 'Five loans',
  dates: { closing: '2025-01-15', first_payment: '2025-04-15', payment_frequency_months: 3, reinvestment_end: '2025-01-15', legal_maturity: '2027-01-15' },
  reference_rate: { flat: 0.05 },
  collateral: 'pool.csv',
  rating_rule: 'lower',
  tranches: [
    { class: 'A', balance: 70000000, spread: 0.015, oc_trigger: 1.2, ic_trigger: 1.1 },
    { class: 'B', balance: 20000000, spread: 0.03, deferrable: true, oc_trigger: 1.05 },
    { class: 'Sub', type: 'equity', balance: 10000000 },
  ],
  tests: {
    max_ccc_share: 0.075, obligor_limits: [0.32, 0.2], industry_limits: [0.4], top_obligors: { count: 3, max_share: 0.8 },
    buckets: { second_lien: 0.25, cov_lite: 0.5, fixed_rate: 0.1, non_domestic: 0.3, revolver: 0.2 },
  },
  scenario: { cdr: 0, cpr: 0, recovery: 0.4, recovery_lag_months: 6 },
};
const POOL =
  'asset_id,obligor,industry,par,price,spread,coupon_type,coupon,maturity,moodys_rating,sp_rating,lien,country,cov_lite,unfunded\n' +
  'LX1,Alpha,Tech,30000000,99,0.035,floating,,2029-06-30,B2,B,first,US,true,0\n' +
  'LX2,Beta,Health,25000000,98,0.040,floating,,2029-06-30,B1,,first,GB,false,0\n' +
  'LX3,Gamma,Tech,20000000,80,0.045,floating,,2029-06-30,B3,CCC+,second,US,false,0\n' +
  'LX4,Delta,Retail,15000000,97,,fixed,0.07,2029-06-30,B3,,first,US,false,0\n' +
  'LX5,Epsilon,Health,10000000,60,0.050,floating,,2029-06-30,,CCC,first,,false,5000000\n';

const usd = (x: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', currencyDisplay: 'code', minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(x);
const pct = (x: number) => new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);

test('CLO trades: a ticket written in the page, tested as the API tests it, then made as version 2', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const created = await request.post('/api/v1/clo/deals', { headers, data: { name: `trades-${Date.now()}`, deal: DEAL, collateral_csv: POOL } });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).deal.id as number;
  const d = `/api/v1/clo/deals/${id}`;
  try {
    await signIn(page, 'manager');

    // The pool shows the tape's columns.
    await page.goto(`/clo/deals/${id}?tab=collateral`);
    const pool = page.getByRole('region', { name: 'Collateral loans' });
    await expect(pool).toContainText('LX5');
    for (const h of ['Asset id', 'Country', "Moody's", 'S&P', 'Cov-lite', 'Unfunded']) await expect(pool.getByRole('columnheader', { name: h, exact: true })).toBeVisible();

    // The quality tab: buckets with their limits, the largest obligors, the rank tests' subjects.
    await page.getByRole('tab', { name: 'Collateral quality' }).click();
    const tests = await (await request.post(`${d}/tests`, { headers, data: { version: 1 } })).json();
    const rank2 = tests.quality.find((x: { name: string }) => x.name === 'Obligor rank 2');
    await expect(page.locator('[data-testid=quality-tests] tr[data-test="Obligor rank 2"] td').first()).toHaveText(`Obligor rank 2 — ${rank2.subject}`);
    const fixed = tests.metrics.buckets.find((b: { bucket: string }) => b.bucket === 'fixed_rate');
    const fixedRow = page.locator('[data-testid=buckets] tr[data-bucket=fixed_rate]');
    await expect(fixedRow.locator('[data-field=share]')).toHaveText(pct(fixed.share));
    await expect(fixedRow.locator('[data-field=limit]')).toHaveText(`at most ${pct(fixed.limit)}`);
    await expect(fixedRow).toHaveClass(/bad/);
    await expect(page.locator('[data-testid=top-obligors] tbody tr')).toHaveCount(tests.metrics.top_obligors.length);
    await expect(page.locator('[data-testid=top-obligors] tr[data-name=Alpha] [data-field=share]')).toHaveText(pct(tests.metrics.top_obligors[0].share));
    await expect(page.locator('[data-kpi=caa_haircut] .kpi-value')).toHaveText(new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(tests.metrics.caa_haircut));
    await axe(page, 'clo quality buckets');
    await shot(page, 'clo-quality-buckets');

    // The ticket: sell Gamma (LX3) whole at 80, buy 16m of Zeta at par.
    await page.getByRole('tab', { name: 'Trades' }).click();
    await page.getByLabel('Trade date').fill('2025-07-01');
    const grid = page.getByTestId('ticket-editor');
    await grid.getByLabel('Action, row 1').selectOption('sell');
    await grid.getByLabel('Loan, row 1').selectOption({ label: 'LX3 · Gamma' });
    await grid.getByLabel('Price (%), row 1').fill('80');
    await grid.getByRole('button', { name: 'Add a row' }).click();
    await grid.getByLabel('Action, row 2').selectOption('buy');
    const cells: [string, string][] = [
      ['Asset id', 'LX6'], ['Obligor', 'Zeta'], ['Par', 'lots'], ['Price (%)', '100'], ['Industry', 'Retail'], ['Spread (bp)', '375'],
      ['Maturity', '2030-06-30'], ["Moody's", 'B2'], ['Country', 'us'],
    ];
    for (const [label, value] of cells) await grid.getByLabel(`${label}, row 2`).fill(value);
    await grid.getByLabel('Lien, row 2').selectOption('first');

    // A bad cell: the server names it at its line and column, and the grid under its cell.
    await page.getByRole('button', { name: 'Test the trades' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'trades.csv:3:4' });
    await expect(alert).toContainText('par: expected a number');
    await expect(grid.locator('tr[data-row="2"] td[data-field=par] .cell-problem')).toContainText('expected a number');
    await grid.getByLabel('Par, row 2').fill('16000000');

    const sentReq = page.waitForRequest((r) => r.url().endsWith(`${d}/trades/preview`) && r.method() === 'POST');
    await page.getByRole('button', { name: 'Test the trades' }).click();
    const sent = JSON.parse((await sentReq).postData() ?? '{}');
    expect(sent.trade_date).toBe('2025-07-01');
    expect(sent.trades_csv).toContain('sell,LX3,,,80,');
    expect(sent.trades_csv).toContain('buy,LX6,Zeta,16000000,100,Retail,0.0375,2030-06-30,B2,,first,US,');
    const api = await (await request.post(`${d}/trades/preview`, { headers, data: sent })).json();
    expect(api.applied).toBe(false);

    const verdict = page.getByTestId('verdict');
    await expect(verdict).toHaveAttribute('data-complies', String(api.complies));
    await expect(verdict).toContainText(api.complies ? 'Complies with maintain or improve' : 'Does not comply with maintain or improve');
    for (const name of api.worsens) await expect(verdict.locator('[data-field=worsens]')).toContainText(name);
    const lines = page.getByTestId('trade-lines');
    for (const [i, l] of api.lines.entries()) await expect(lines.locator(`tr[data-line="${i + 1}"] [data-field=cash]`)).toHaveText(usd(l.cash));
    const par = page.locator('[data-testid=trade-balances] tr[data-row=par]');
    await expect(par.locator('[data-field=before]')).toHaveText(usd(api.par_before));
    await expect(par.locator('[data-field=after]')).toHaveText(usd(api.par_after));
    await expect(page.locator('[data-testid=trade-balances] tr[data-row=principal_cash] [data-field=after]')).toHaveText(usd(api.principal_cash_after));
    await expect(page.locator('[data-testid=trade-kpis] [data-kpi=net_cash] .kpi-value')).toHaveText(usd(api.net_cash));
    await expect(page.getByTestId('trade-tests').locator('tbody tr')).toHaveCount(api.tests.length);
    for (const x of api.tests) await expect(page.locator(`[data-testid=trade-tests] tr[data-test="${x.name}"]`)).toHaveAttribute('data-effect', x.effect);
    // One test in words: the industry limit is cured (Tech before, Health after), a failing test made worse is marked.
    const industry = api.tests.find((x: { name: string }) => x.name === 'Industry rank 1');
    const row = page.locator('[data-testid=trade-tests] tr[data-test="Industry rank 1"]');
    await expect(row.locator('[data-field=effect]')).toHaveText(industry.effect);
    await expect(row.locator('td').first()).toHaveText(`Industry rank 1 — ${industry.subject_before} → ${industry.subject_after}`);
    await expect(row.locator('[data-field=after]')).toHaveText(pct(industry.after));
    const worse = api.tests.find((x: { effect: string; pass_after: boolean }) => x.effect === 'worsens' && !x.pass_after);
    await expect(page.locator(`[data-testid=trade-tests] tr[data-test="${worse.name}"]`)).toHaveClass(/bad/);
    await axe(page, 'clo trades tested');
    await shot(page, 'clo-trades');
    // The same ticket as CSV text (to paste into, or to replace by an uploaded file): the verdict stands.
    await page.getByLabel('pasted or uploaded as CSV').check();
    await expect(page.getByLabel(/^Trade ticket \(CSV/)).toHaveValue(sent.trades_csv);
    await expect(page.getByTestId('verdict')).toBeVisible();
    await axe(page, 'clo trades as csv');
    await page.getByLabel('written here, line by line').check();

    // Make the trades: a comment, and a confirmation as the ticket does not comply.
    const make = page.getByRole('form', { name: 'Make the trades' });
    await make.getByLabel('Comment for the new version').fill('swap Gamma for Zeta');
    let asked = '';
    page.once('dialog', (dlg) => {
      asked = dlg.message();
      void dlg.accept();
    });
    await make.getByRole('button', { name: 'Make the trades' }).click();
    await expect(page.getByTestId('applied')).toContainText('version 2');
    expect(asked).toContain('does not maintain or improve');
    const versions = await (await request.get(`${d}/versions`, { headers })).json();
    expect(versions.items.map((v: { change: string }) => v.change)).toEqual(['created', 'trade']);
    await page.getByRole('button', { name: 'Show the versions' }).click();
    const v2 = page.locator('[data-testid=versions] tr[data-version="2"]');
    await expect(v2).toContainText('trade');
    await expect(v2).toContainText('swap Gamma for Zeta');
    await expect(v2).toContainText(new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(api.par_after));
    await axe(page, 'clo versions after trade');
    await page.getByRole('tab', { name: 'Collateral', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Collateral loans' })).toContainText('Zeta');
  } finally {
    await request.delete(d, { headers });
  }
});
