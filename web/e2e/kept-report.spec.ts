// A day's kept report: the History tab's snapshots table has a Report column; a day whose report the
// batch still keeps (report_kept) opens it (GET .../history/{as_of}/report) in the report view at
// /portfolios/:name/report?snapshot=YYYY-MM-DD, laid out as the current report is, its heading
// saying it is the one kept on that day, with the API's figures and as_of, and a way back to the
// current report; axe-core on the page. A day with no snapshot answers 404, shown with the API's
// message. A day whose report the server's retention dropped (report_kept false: the e2e server
// keeps every report, so the history's answer is changed with page.route) says "not kept" and why.
// A report kept in the older format keel.report/1 (before the sections embedded the API's results;
// page.route serves one) is not laid out: the page says so and offers its report.json.
// A book of its own (the balanced example, a new name each run, deleted at the end) gets two batch
// snapshots.
import { test, expect } from '@playwright/test';
import { axe, bookWithSnapshots, deleteBook, signIn, token } from './helpers';

const BOOK = `kept-${Date.now()}`;
const DATES = ['2017-11-28', '2017-11-29'];

type Doc = Record<string, any>;

// An amount as the report view writes it: the currency's code, to the cent ("USD 2,422.80").
const cents = (currency: string, x: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  await bookWithSnapshots(request, BOOK, DATES);
});

test.afterAll(async ({ request }) => {
  await deleteBook(request, BOOK);
});

test('history: Open shows the report the batch kept that day, laid out as the current one, with a way back', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const history = await request.get(`/api/v1/portfolios/${BOOK}/history`, { headers });
  expect(history.status(), await history.text()).toBe(200);
  const points = ((await history.json()) as Doc).points as Doc[];
  expect(points.map((p) => [p.as_of, p.report_kept])).toEqual(DATES.map((d) => [d, true]));
  const answer = await request.get(`/api/v1/portfolios/${BOOK}/history/${DATES[0]}/report`, { headers });
  expect(answer.status(), await answer.text()).toBe(200);
  const kept = (await answer.json()) as Doc;
  expect(kept.as_of).toBe(DATES[0]);
  const cur = kept.summary.currency as string;

  await signIn(page, 'analyst');
  await page.goto(`/portfolios/${BOOK}?tab=history`);
  const table = page.getByRole('table', { name: 'Snapshots' });
  await expect(table.locator('thead th').last()).toHaveText('Report');
  await expect(table.locator('tbody tr')).toHaveCount(DATES.length);
  for (const d of DATES) await expect(table.locator(`tr[data-as-of="${d}"] td[data-field=report]`)).toHaveText('Open');
  await table.locator(`tr[data-as-of="${DATES[0]}"]`).getByRole('link', { name: `Open the report kept on ${DATES[0]}` }).click();

  await expect(page).toHaveURL(new RegExp(`/portfolios/${BOOK}/report\\?snapshot=${DATES[0]}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Report: ${BOOK}, kept on ${DATES[0]}`);
  await expect(page.getByTestId('kept-report')).toContainText('as it was computed then (not recomputed)');
  await expect(page.getByTestId('kpi-strip')).toBeVisible();
  const report = page.locator('section.report');
  await expect(report).toHaveAttribute('data-as-of', DATES[0]!);
  // The kept document's figures, laid out by the report view.
  await expect(report.locator('p.muted.small').first()).toHaveText(`Generated ${kept.generated_at} by keel ${kept.keel_version} (${kept.schema}).`);
  await expect(report.locator('[data-section=summary] tr[data-field=net_value_amount] td')).toHaveText(cents(cur, kept.summary.net_value_amount));
  await expect(report.locator('h2').first()).toHaveText('Executive summary');
  // Its download is its report.json (the other formats are the current report's).
  await expect(page.locator('[data-testid^=download-]')).toHaveCount(1);
  await expect(page.getByTestId('download-json')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page).toHaveTitle(`${BOOK} (report kept on ${DATES[0]}) · keel`);
  await axe(page, 'kept report');

  // Back to the current report: its own heading and as_of, no note of a kept one.
  const current = await request.get(`/api/v1/portfolios/${BOOK}/report`, { headers });
  expect(current.status(), await current.text()).toBe(200);
  const now = (await current.json()) as Doc;
  await page.getByRole('link', { name: 'Show the current report' }).click();
  await expect(page).toHaveURL(new RegExp(`/portfolios/${BOOK}/report$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Report: ${BOOK}, ${now.as_of}`);
  await expect(report).toHaveAttribute('data-as-of', now.as_of);
  await expect(page.getByTestId('kept-report')).toHaveCount(0);
  await expect(page.locator('[data-testid^=download-]')).toHaveCount(4);
});

test('a report kept in format keel.report/1: a notice to rerun it instead of the sections, its report.json to download', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  await page.route(`**/api/v1/portfolios/${BOOK}/history/${DATES[1]}/report`, async (route) => {
    const res = await route.fetch();
    const doc = (await res.json()) as Doc;
    // keel.report/1's VaR section: flat report-specific figures (no results, no backtest section).
    doc.schema = 'keel.report/1';
    doc.var = { status: 'ok', window_days: 252, parametric_var_amount: 1, historical_var_amount: 2, methods: [{ method: 'historical', var_amount: 2 }], backtest_zone: 'green' };
    doc.stress = { status: 'ok', scenarios_count: 1, worst_scenario: 'gfc_2008', scenarios: [{ name: 'gfc_2008', description: 'Global financial crisis', method: 'direct', pnl_amount: -1 }] };
    await route.fulfill({ response: res, json: doc });
  });
  const kept = (await (await request.get(`/api/v1/portfolios/${BOOK}/history/${DATES[1]}/report`, { headers })).json()) as Doc;
  expect(kept.schema).toBe('keel.report/2');

  await signIn(page, 'analyst');
  await page.goto(`/portfolios/${BOOK}/report?snapshot=${DATES[1]}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Report: ${BOOK}, kept on ${DATES[1]}`);
  await expect(page.getByTestId('report-schema')).toHaveText(
    'This report was kept in format keel.report/1; rerun the report to see it. Its report.json can be downloaded above.',
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('kpi-strip')).toHaveCount(0);
  await expect(page.locator('section.report h2')).toHaveCount(0);
  await expect(page.locator('[data-testid^=download-]')).toHaveCount(1);
  await expect(page.getByTestId('download-json')).toBeVisible();
  await axe(page, 'kept report in keel.report/1');
});

test('a day without a snapshot: the API\'s 404 message, under the kept report\'s heading, with the way back', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const day = '2017-11-27';
  const refused = await request.get(`/api/v1/portfolios/${BOOK}/history/${day}/report`, { headers });
  expect(refused.status()).toBe(404);
  const message = ((await refused.json()) as { error: { message: string } }).error.message;

  await signIn(page, 'analyst');
  await page.goto(`/portfolios/${BOOK}/report?snapshot=${day}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Report: ${BOOK}, kept on ${day}`);
  await expect(page.getByRole('alert')).toContainText(message);
  await expect(page.getByTestId('kpi-strip')).toHaveCount(0);
  await page.getByRole('link', { name: 'Show the current report' }).click();
  await expect(page.getByTestId('kpi-strip')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a day whose report the server dropped: "not kept", with why, and the row\'s figures', async ({ page }) => {
  // The e2e server keeps every report (no --snapshot-report-retention-days): the history's answer
  // says the first day's was dropped, as the server's would once its retention has passed.
  await page.route(`**/api/v1/portfolios/${BOOK}/history`, async (route) => {
    const res = await route.fetch();
    const doc = (await res.json()) as Doc;
    doc.points[0].report_kept = false;
    await route.fulfill({ response: res, json: doc });
  });
  await signIn(page, 'analyst');
  await page.goto(`/portfolios/${BOOK}?tab=history`);
  const table = page.getByRole('table', { name: 'Snapshots' });
  const dropped = table.locator(`tr[data-as-of="${DATES[0]}"]`);
  const cell = dropped.locator('td[data-field=report]');
  await expect(cell).toHaveText('not kept');
  await expect(cell.locator('span.muted')).toHaveAttribute('title', 'The server’s retention has dropped this day’s report; the figures on this row remain.');
  await expect(cell.getByRole('link')).toHaveCount(0);
  await expect(dropped.locator('td.num').first()).not.toHaveText('–');
  await expect(table.locator(`tr[data-as-of="${DATES[1]}"]`).getByRole('link', { name: `Open the report kept on ${DATES[1]}` })).toBeVisible();
  await axe(page, 'history with a report not kept');
});
