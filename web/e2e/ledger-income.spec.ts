// The investor's income, benchmark and tearsheet against a real keel serve. A manager's account,
// seeded through the API from examples/ledger/transactions.csv with a quarterly payer (AAPL) and a
// quarterly payer with 15% withheld (JNJ) added, and every figure the page shows equal to the API's
// JSON for the same request: the income KPIs, groups by month and quarter, each holding's yields,
// frequency and next payment, the calendar of expected payments, a date range; the performance
// against KO (measures, the same flows, monthly and annual excess, the cumulative chart) and a
// 60:KO,40:PG blend; an unknown benchmark and a currency without FX rates shown with the API's
// message; the return in local currencies and the currency effect; the tearsheet opened as HTML and
// downloaded as Markdown with the bearer token, never in a URL; a phone's width; German amounts. Everything the spec
// creates is deleted at the end (later specs list every account).
import { test, expect, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axe, shot, signIn, token } from './helpers';

const ACCOUNT = 'income';
const EMPTY = 'income-empty';
const base = readFileSync('../examples/ledger/transactions.csv', 'utf8');
// Regular payers on top of the example's one AAPL dividend and its cash interest: AAPL each quarter
// (80 shares, then 40 after the March sale) and JNJ each quarter with 15% withheld at source.
const extra = [
  '2016-11-10,DIVIDEND,AAPL,,,,45.60,,',
  '2017-02-16,DIVIDEND,AAPL,,,,45.60,,',
  '2017-05-18,DIVIDEND,AAPL,,,,25.20,,',
  '2017-08-17,DIVIDEND,AAPL,,,,25.20,,',
  '2017-11-16,DIVIDEND,AAPL,,,,25.20,,',
  '2016-09-13,DIVIDEND,JNJ,,,,32.00,,',
  '2016-09-13,WITHHOLDING,JNJ,,,,4.80,,15% at source',
  '2016-12-13,DIVIDEND,JNJ,,,,32.00,,',
  '2016-12-13,WITHHOLDING,JNJ,,,,4.80,,15% at source',
  '2017-03-14,DIVIDEND,JNJ,,,,32.00,,',
  '2017-03-14,WITHHOLDING,JNJ,,,,4.80,,15% at source',
  '2017-06-13,DIVIDEND,JNJ,,,,33.60,,',
  '2017-06-13,WITHHOLDING,JNJ,,,,5.04,,15% at source',
  '2017-09-12,DIVIDEND,JNJ,,,,33.60,,',
  '2017-09-12,WITHHOLDING,JNJ,,,,5.04,,15% at source',
];
const csv = base.trimEnd() + '\n' + extra.join('\n') + '\n';

const money = (x: number, locale = 'en-US', currency = 'USD') =>
  new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
const pct = (x: number, d = 2, locale = 'en-US') => new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d }).format(x);
const num = (x: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);

async function cleanup(request: APIRequestContext) {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  for (const name of [ACCOUNT, EMPTY]) {
    const r = await request.delete(`/api/v1/accounts/${name}`, { headers });
    expect([200, 204, 404]).toContain(r.status());
  }
}

test.afterAll(async ({ request }) => cleanup(request));

test('ledger income, benchmark and tearsheet against the API', { tag: '@slow' }, async ({ page, request }) => {
  test.setTimeout(180_000);
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const apiGet = async (path: string) => {
    const r = await request.get(path, { headers });
    return { status: r.status(), body: await r.json() };
  };
  const get = async (path: string) => {
    const r = await apiGet(path);
    expect(r.status, path).toBe(200);
    return r.body;
  };
  await cleanup(request);
  expect((await request.post('/api/v1/accounts', { headers, data: { name: ACCOUNT } })).status()).toBe(201);
  expect((await request.post(`/api/v1/accounts/${ACCOUNT}/transactions`, { headers, data: { csv } })).status()).toBe(200);
  expect((await request.post('/api/v1/accounts', { headers, data: { name: EMPTY } })).status()).toBe(201);

  // Every request of the page is watched: the tearsheet's travel with the token in a header only.
  const urls: string[] = [];
  const tearsheetAuth: (string | undefined)[] = [];
  page.on('request', (r) => {
    urls.push(r.url());
    if (r.url().includes('/tearsheet')) tearsheetAuth.push(r.headers()['authorization']);
  });

  await signIn(page, 'manager');
  // An account with no income: the empty state.
  await page.goto(`/ledger/${EMPTY}?tab=income`);
  await expect(page.getByText('No dividends or interest yet.')).toBeVisible();

  // The income tab: KPIs, groups by month, holdings, calendar.
  await page.goto(`/ledger/${ACCOUNT}?tab=income`);
  const inc = await get(`/api/v1/accounts/${ACCOUNT}/income?by=month`);
  expect(inc.calendar.length).toBeGreaterThan(0);
  const kpi = (id: string) => page.locator(`[data-kpi=${id}] .kpi-value`);
  await expect(kpi('t12_gross')).toHaveText(money(inc.trailing_12m.gross));
  await expect(kpi('t12_net')).toHaveText(money(inc.trailing_12m.net));
  await expect(kpi('t12_withholding')).toHaveText(money(inc.trailing_12m.withholding));
  await expect(kpi('projected_gross')).toHaveText(money(inc.projected_12m.gross));
  await expect(kpi('projected_net')).toHaveText(money(inc.projected_12m.net));
  // The account's yield on cost is the tearsheet's (the projected gross of the paying holdings
  // over their basis).
  const sheet = await get(`/api/v1/accounts/${ACCOUNT}/tearsheet?benchmark=KO&format=json`);
  await expect(kpi('yield_on_cost')).toHaveText(pct(sheet.income.yield_on_cost));
  await expect(page.getByTestId('income-summary')).toContainText(`${inc.totals.payments} payments, ${money(inc.totals.gross)} gross, ${money(inc.totals.withholding)} withheld, ${money(inc.totals.net)} net`);
  await expect(page.getByTestId('income-chart').locator('canvas')).toBeVisible();
  const groups = page.getByRole('table', { name: 'Income by month' });
  for (const g of inc.groups) {
    const row = groups.locator(`tr[data-key="${g.key}"]`);
    await expect(row.locator('[data-field=gross]')).toHaveText(money(g.totals.gross));
    await expect(row.locator('[data-field=withholding]')).toHaveText(money(g.totals.withholding));
    await expect(row.locator('[data-field=net]')).toHaveText(money(g.totals.net));
  }
  await expect(groups.locator('tr[data-key=total] [data-field=gross]')).toHaveText(money(inc.totals.gross));
  const holdings = page.getByRole('table', { name: 'Income by holding' });
  for (const h of inc.holdings) {
    const row = holdings.locator(`tr[data-symbol="${h.symbol}"]`);
    await expect(row.locator('[data-field=frequency]')).toHaveText(h.frequency);
    await expect(row.locator('[data-field=projected_gross]')).toHaveText(money(h.projected_gross));
    await expect(row.locator('[data-field=yield_on_cost]')).toHaveText(h.yield_on_cost === null ? '–' : pct(h.yield_on_cost));
    await expect(row.locator('[data-field=current_yield]')).toHaveText(h.current_yield === null ? '–' : pct(h.current_yield));
    await expect(row.locator('[data-field=next_payment]')).toHaveText(h.next_payment ?? '–');
  }
  expect(inc.holdings.find((h: { symbol: string }) => h.symbol === 'JNJ').frequency).toBe('quarterly');
  // The calendar: every expected payment under its month, with its amount.
  const calendar = page.getByRole('list', { name: 'Expected payments, next 12 months' });
  for (const c of inc.calendar) {
    const item = calendar.locator(`li[data-month="${c.date.slice(0, 7)}"] li[data-date="${c.date}"][data-symbol="${c.symbol}"]`);
    await expect(item.locator('[data-field=gross]')).toHaveText(money(c.gross));
  }
  expect(await calendar.locator(':scope > li').count()).toBeGreaterThanOrEqual(12);
  await axe(page, 'ledger income');
  await shot(page, 'ledger-income');

  // By quarter, from 2017-01-01.
  await page.getByLabel('Group by').selectOption('quarter');
  await expect(page).toHaveURL(/by=quarter/);
  await page.getByLabel('from', { exact: true }).fill('2017-01-01');
  await expect(page).toHaveURL(/from=2017-01-01/);
  const q = await get(`/api/v1/accounts/${ACCOUNT}/income?by=quarter&from=2017-01-01`);
  const quarters = page.getByRole('table', { name: 'Income by quarter' });
  await expect(quarters.locator('tbody tr')).toHaveCount(q.groups.length);
  for (const g of q.groups) await expect(quarters.locator(`tr[data-key="${g.key}"] [data-field=net]`)).toHaveText(money(g.totals.net));
  await expect(page.getByTestId('income-summary')).toContainText(`${q.totals.payments} payments, ${money(q.totals.gross)} gross`);

  // Performance against KO: the measures side by side, the same flows, the excess by month and year.
  await page.goto(`/ledger/${ACCOUNT}?tab=performance`);
  await page.getByLabel('Benchmark', { exact: true }).fill('KO');
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(/benchmark=KO/);
  const p = await get(`/api/v1/accounts/${ACCOUNT}/performance?series=true&benchmark=KO`);
  const b = p.benchmark;
  const measures = page.getByTestId('benchmark-measures');
  const cell = (table: typeof measures, field: string, side: string) => table.locator(`tr[data-field=${field}] [data-side=${side}]`);
  await expect(cell(measures, 'return', 'account')).toHaveText(pct(b.portfolio_return));
  await expect(cell(measures, 'return', 'benchmark')).toHaveText(pct(b.benchmark_return));
  await expect(cell(measures, 'return', 'difference')).toHaveText(pct(b.excess_return));
  await expect(cell(measures, 'cagr', 'difference')).toHaveText(pct(b.excess_cagr));
  await expect(cell(measures, 'tracking_error', 'account')).toHaveText(pct(b.tracking_error));
  await expect(cell(measures, 'information_ratio', 'account')).toHaveText(num(b.information_ratio));
  await expect(cell(measures, 'beta', 'account')).toHaveText(num(b.beta));
  await expect(cell(measures, 'alpha', 'account')).toHaveText(pct(b.alpha));
  await expect(cell(measures, 'max_drawdown', 'benchmark')).toHaveText(pct(b.benchmark_drawdown.depth));
  const same = page.getByTestId('same-flows');
  await expect(cell(same, 'end_value', 'benchmark')).toHaveText(money(b.same_flows.end_value));
  await expect(cell(same, 'end_value', 'account')).toHaveText(money(b.same_flows.portfolio_end_value));
  await expect(cell(same, 'end_value', 'difference')).toHaveText(money(b.same_flows.difference));
  for (const a of b.annual) await expect(page.getByTestId('annual-excess').locator(`tr[data-period="${a.period}"] [data-side=excess]`)).toHaveText(pct(a.excess));
  const month = b.monthly[b.monthly.length - 1];
  await expect(page.getByTestId('monthly-excess').locator(`td[data-period="${month.period}"]`)).toHaveText(pct(month.excess, 1));
  await expect(page.getByTestId('cumulative-chart').locator('canvas')).toBeVisible();
  // The benchmark's line is the API's index, beside the account's wealth index.
  expect(p.series.every((s: { benchmark_index: number }) => typeof s.benchmark_index === 'number')).toBe(true);
  await axe(page, 'ledger performance against a benchmark');
  await shot(page, 'ledger-benchmark');

  // A blend.
  await page.getByLabel('Benchmark', { exact: true }).fill('60:KO,40:PG');
  await page.getByRole('button', { name: 'Compare' }).click();
  const blend = (await get(`/api/v1/accounts/${ACCOUNT}/performance?series=true&benchmark=${encodeURIComponent('60:KO,40:PG')}`)).benchmark;
  await expect(cell(measures, 'return', 'benchmark')).toHaveText(pct(blend.benchmark_return));
  await expect(page.getByText('Benchmark: 60% KO, 40% PG, rebalanced every month end')).toBeVisible();

  // An unknown symbol: the API's message, and the performance without a benchmark below it.
  await page.getByLabel('Benchmark', { exact: true }).fill('NOSUCH');
  await page.getByRole('button', { name: 'Compare' }).click();
  const bad = await apiGet(`/api/v1/accounts/${ACCOUNT}/performance?series=true&benchmark=NOSUCH`);
  expect(bad.status).toBe(400);
  await expect(page.getByRole('alert')).toContainText(bad.body.error.message);
  await expect(page.getByTestId('benchmark-failed')).toBeVisible();
  await expect(page.locator('[data-kpi=twr] .kpi-value')).toContainText(pct(p.twr));

  // A reporting currency the store has no rates for: the API's message.
  await page.getByLabel('Benchmark', { exact: true }).fill('');
  await page.getByLabel('Reporting currency').fill('EUR');
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(/reporting_currency=EUR/);
  const eur = await apiGet(`/api/v1/accounts/${ACCOUNT}/performance?series=true&reporting_currency=EUR`);
  if (eur.status === 200) {
    await expect(page.locator('[data-kpi=twr] .kpi-value')).toContainText(pct(eur.body.twr));
  } else {
    await expect(page.getByRole('alert')).toContainText(eur.body.error.message);
  }

  // The return in local currencies and the currency effect, as the API gives them for amounts in
  // more than one currency (the e2e store holds no FX rates: the answer is the API's with both added).
  await page.route(/\/api\/v1\/accounts\/\d+\/performance\?/, async (route) => {
    const r = await route.fetch();
    const body = await r.json();
    await route.fulfill({ response: r, json: { ...body, twr_local: 0.1234, fx_effect: -0.0321, end_value_local: body.end_value } });
  });
  await page.goto(`/ledger/${ACCOUNT}?tab=performance`);
  await expect(page.locator('[data-kpi=twr_local] .kpi-value')).toHaveText(pct(0.1234));
  await expect(page.locator('[data-kpi=fx_effect] .kpi-value')).toHaveText(pct(-0.0321));
  await expect(page.getByText('Return in local currencies')).toBeVisible();
  await page.unroute(/\/api\/v1\/accounts\/\d+\/performance\?/);

  // The tearsheet against the URL's benchmark over the performance tab's range: HTML in a new tab,
  // Markdown as a download.
  const range = 'from=2016-06-01&as_of=2017-11-30';
  await page.goto(`/ledger/${ACCOUNT}?tab=performance&benchmark=KO&${range}`);
  await expect(page.getByLabel('Tearsheet benchmark')).toHaveValue('KO');
  const html = await (await request.get(`/api/v1/accounts/${ACCOUNT}/tearsheet?benchmark=KO&format=html&${range}`, { headers })).text();
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
  expect(title).not.toBe('');
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Open tearsheet' }).click();
  const sheetPage = await popup;
  await sheetPage.waitForLoadState();
  expect(sheetPage.url()).toMatch(/^blob:/);
  const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
  expect(await sheetPage.title()).toBe(decode(title));
  await sheetPage.close();
  const md = await (await request.get(`/api/v1/accounts/${ACCOUNT}/tearsheet?benchmark=KO&format=md&${range}`, { headers })).text();
  expect(md).toContain('2016-06-01');
  const dl = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download Markdown' }).click();
  const file = await dl;
  expect(readFileSync((await file.path())!, 'utf8')).toBe(md);
  expect(tearsheetAuth.length).toBeGreaterThanOrEqual(2);
  expect(tearsheetAuth.every((a) => a?.startsWith('Bearer '))).toBe(true);
  const tok = headers.Authorization.slice('Bearer '.length);
  expect(urls.filter((u) => u.includes(tok) || /token=|access_token/i.test(u))).toEqual([]);
  // An unknown benchmark for the tearsheet: the API's message.
  await page.getByLabel('Tearsheet benchmark').fill('NOSUCH');
  await page.getByRole('button', { name: 'Download Markdown' }).click();
  const badSheet = await (await request.get(`/api/v1/accounts/${ACCOUNT}/tearsheet?benchmark=NOSUCH&format=md&${range}`, { headers })).json();
  await expect(page.getByRole('alert')).toContainText(badSheet.error.message);

  // A phone: the income tab and the comparison stay within 390 px (wide tables scroll in their box).
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of [`/ledger/${ACCOUNT}?tab=income`, `/ledger/${ACCOUNT}?tab=performance&benchmark=KO`]) {
    await page.goto(path);
    await expect(page.locator('[data-kpi]').first()).toBeVisible();
    await expect(page.getByRole('list', { name: 'Expected payments, next 12 months' }).or(page.getByTestId('monthly-excess'))).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
  }
  await page.setViewportSize({ width: 1400, height: 900 });

  // German: the words and the amounts in de-DE.
  await page.getByTestId('language').selectOption('de-DE');
  await page.goto(`/ledger/${ACCOUNT}?tab=income`);
  await expect(page.getByRole('tab', { name: 'Erträge' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('[data-kpi=t12_gross] .kpi-label')).toHaveText('Letzte 12 Monate, brutto');
  await expect(kpi('t12_gross')).toHaveText(money(inc.trailing_12m.gross, 'de-DE'));
  await expect(kpi('yield_on_cost')).toHaveText(pct(sheet.income.yield_on_cost, 2, 'de-DE'));
  await axe(page, 'ledger income (de)');
  // Back to English: the choice is kept on the server, and the specs after this one read English.
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/preferences') && r.request().method() === 'PUT');
  await page.getByTestId('language').selectOption('en-US');
  await expect(page.getByRole('tab', { name: 'Income' })).toHaveAttribute('aria-selected', 'true');
  expect((await saved).ok()).toBe(true);

  await cleanup(request);
  const left = await get('/api/v1/accounts');
  expect(left.items.map((a: { name: string }) => a.name)).not.toContain(ACCOUNT);
});
