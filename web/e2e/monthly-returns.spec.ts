// The history tab's monthly returns calendar and benchmark picker. The demo store's portfolios have
// no batch snapshot (e2e/serve.mjs imports positions only), and recording some on hnw would change
// what other specs see, so this spec makes a book of its own from the balanced example (a new name
// each run, deleted at the end) and records it through the API at seven dates from September to
// December 2017: 09-28 and 09-29 (September starts inside the series: partial), 10-02 and 10-31
// (October, measured from September's last snapshot: whole), 11-01 and 11-30 (November: whole),
// and 12-01 (December ends on its first day: partial). The calendar's cells are compared with the
// API's series compounded here; the picker puts a benchmark the store prices (KO) in the URL and
// adds its row, whose October is KO's index at 10-31 over that at 09-29. On a 390 px phone the page
// keeps to the screen while the calendar scrolls in its box with the year column pinned.
import { test, expect, type APIRequestContext } from '@playwright/test';
import { axe, bookWithSnapshots, deleteBook, expectPageFits, signIn, token } from './helpers';

const BOOK = `monthly-${Date.now()}`;
const B = `/api/v1/portfolios/${BOOK}`;
const DATES = ['2017-09-28', '2017-09-29', '2017-10-02', '2017-10-31', '2017-11-01', '2017-11-30', '2017-12-01'];
const BENCHMARK = 'KO';

type Headers = Record<string, string>;
type Day = { date: string; return_pct: number | null; benchmark_index: number | null };
type Perf = { series: Day[] };

// A month's return as the calendar shows it: signed, one decimal.
const signed = (x: number) =>
  new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(x);
const PERCENT = /^[+-]?\d+\.\d%/;


async function performance(request: APIRequestContext, headers: Headers, benchmark?: string): Promise<Perf> {
  const r = await request.get(`${B}/performance`, { headers, params: benchmark ? { series: 'true', benchmark } : { series: 'true' } });
  expect(r.status(), await r.text()).toBe(200);
  return (await r.json()) as Perf;
}

// October's return from the API's days, computed here: Π(1 + r) over its days − 1.
const october = (p: Perf) => p.series.filter((d) => d.date.startsWith('2017-10')).reduce((w, d) => w * (1 + (d.return_pct ?? 0)), 1) - 1;
const indexOn = (p: Perf, date: string) => p.series.find((d) => d.date === date)!.benchmark_index!;


test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  test.setTimeout(180_000);
  await bookWithSnapshots(request, BOOK, DATES);
});

test.afterAll(async ({ request }) => {
  await deleteBook(request, BOOK);
});

test('the calendar compounds the days by month; the picker adds the benchmark\'s row and keeps it in the URL', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const own = await performance(request, headers);
  const withKo = await performance(request, headers, BENCHMARK);

  await signIn(page, 'analyst');
  await page.goto(`/portfolios/${BOOK}?tab=history`);
  const panel = page.getByTestId('performance');
  const calendar = panel.getByRole('table', { name: 'Monthly returns' });
  await expect(calendar).toBeVisible({ timeout: 30_000 });
  await expect(calendar.getByRole('columnheader', { name: 'Oct', exact: true })).toBeVisible();
  await expect(calendar.getByRole('columnheader', { name: 'Year', exact: true })).toBeVisible();

  // One row for 2017, the portfolio's, its four months each a signed percent.
  const year = calendar.locator('tr[data-year="2017"][data-series="portfolio"]');
  await expect(calendar.locator('tbody tr')).toHaveCount(1);
  await expect(year.getByRole('rowheader')).toHaveText('2017');
  const months = year.locator('td[data-month]');
  await expect(months).toHaveCount(4);
  for (const cell of await months.all()) await expect(cell).toHaveText(PERCENT);
  await expect(year.locator('td[data-month="2017-10"]')).toHaveText(signed(october(own)));
  // September and December are marked partial (a dagger, "partial" for a screen reader); October
  // and November are whole, and so is the year not.
  for (const [m, partial] of [['09', true], ['10', false], ['11', false], ['12', true]] as const) {
    const cell = year.locator(`td[data-month="2017-${m}"]`);
    if (partial) await expect(cell).toContainText('†');
    else await expect(cell).not.toContainText('†');
  }
  await expect(year.locator('td[data-field=year]')).toHaveText(new RegExp(`${PERCENT.source}†`));
  await expect(panel.getByTestId('monthly-returns-partial')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await axe(page, 'monthly returns');

  // The picker: the benchmark into the URL, then its row under the portfolio's.
  const field = panel.getByRole('textbox', { name: 'Benchmark' });
  await expect(field).toHaveAttribute('placeholder', 'SPY or 60:SPY,40:AGG');
  await field.fill(BENCHMARK);
  await panel.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]benchmark=${BENCHMARK}(&|$)`));
  const bench = calendar.locator('tr[data-year="2017"][data-series="benchmark"]');
  await expect(bench).toBeVisible({ timeout: 30_000 });
  await expect(bench.getByRole('rowheader')).toHaveText(`2017 ${BENCHMARK}`);
  await expect(year.getByRole('rowheader')).toHaveText('2017 portfolio');
  for (const cell of await bench.locator('td[data-month]').all()) await expect(cell).toHaveText(PERCENT);
  // KO's October: its index at October's last snapshot over September's last, less 1.
  await expect(bench.locator('td[data-month="2017-10"]')).toHaveText(signed(indexOn(withKo, '2017-10-31') / indexOn(withKo, '2017-09-29') - 1));
  await axe(page, 'monthly returns with a benchmark');

  // A shared link opens with the benchmark chosen; removing it takes its row away.
  await page.reload();
  await expect(bench).toBeVisible({ timeout: 30_000 });
  await expect(field).toHaveValue(BENCHMARK);
  await panel.getByRole('button', { name: 'Remove the benchmark' }).click();
  await expect(page).not.toHaveURL(/benchmark=/);
  await expect(bench).toHaveCount(0);
  await expect(field).toHaveValue('');
});

test('phone: the calendar scrolls in its own box with the year pinned, the page within 390 px', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'analyst');
  await page.goto(`/portfolios/${BOOK}?tab=history&benchmark=${BENCHMARK}`);
  const box = page.getByTestId('monthly-returns-scroll');
  const row = box.locator('tr[data-year="2017"][data-series="benchmark"]');
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expectPageFits(page, 'monthly returns');
  // The box scrolls sideways, and the year's cell stays at its left edge while a month moves under it.
  const { scrollWidth, clientWidth } = await box.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(scrollWidth, 'the calendar is wider than its box').toBeGreaterThan(clientWidth);
  const key = row.getByRole('rowheader');
  const month = row.locator('td[data-month="2017-10"]');
  const before = (await key.boundingBox())!;
  const monthBefore = (await month.boundingBox())!;
  await box.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await expect.poll(async () => (await month.boundingBox())!.x, { message: 'the box scrolled' }).toBeLessThan(monthBefore.x - 10);
  expect(Math.abs((await key.boundingBox())!.x - before.x), 'the year column stayed').toBeLessThan(1);
  await expect(key).toBeVisible();
  await expectPageFits(page, 'monthly returns, scrolled');
  await axe(page, 'monthly returns on a phone');
});
