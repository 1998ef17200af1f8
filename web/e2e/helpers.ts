// What every spec needs: sign in through the page, a token for the API, axe-core with no serious
// or critical violation, screenshots for docs/web.md (KEEL_SCREENSHOTS), en-US and de-DE money.
import { expect, type Page, type APIRequestContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PW = (u: string) => `${u} password e2e`;
const shots = process.env.KEEL_SCREENSHOTS; // a folder: screenshots of the main views for docs/web.md

export async function signIn(page: Page, user: string) {
  await page.goto('/signin');
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(PW(user));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('role')).toBeVisible();
}

export async function token(request: APIRequestContext, user: string): Promise<string> {
  const r = await request.post('/api/v1/auth/login', { data: { username: user, password: PW(user) } });
  return ((await r.json()) as { token: string }).token;
}

export async function axe(page: Page, view: string) {
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${view}: ${v.id} ${v.help} (${v.nodes.length})`)).toEqual([]);
}

export async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`) });
}

export const en = (x: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(x);
export const de = (x: number) => new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 }).format(x);
// An amount as the dashboard shows it with its currency: the ISO code where the locale puts it
// ("USD 107,877", "107.877 USD").
export const inCurrency = (locale: 'en-US' | 'de-DE', currency: string, x: number) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(x);

// The example CLO deal stored as `name` with its example ratings, through the API (as `headers`'
// user): its id.
export async function storeExampleDeal(request: APIRequestContext, headers: Record<string, string>, name: string): Promise<number> {
  const doc = JSON.parse(readFileSync('../examples/clo/example_bsl_clo.json', 'utf8'));
  const created = await request.post('/api/v1/clo/deals', { headers, data: { name, deal: doc } });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).deal.id as number;
  const ratings = await request.post(`/api/v1/clo/deals/${id}/ratings`, {
    headers: { ...headers, 'Content-Type': 'text/csv' },
    data: readFileSync('../examples/clo/ratings.csv', 'utf8'),
  });
  expect(ratings.status(), await ratings.text()).toBe(200);
  return id;
}

// Records `portfolio`'s daily snapshot at `as_of` through the batch (the valuation and the snapshot
// only) and waits for the job to succeed.
export async function batchSnapshot(request: APIRequestContext, headers: Record<string, string>, portfolio: string, as_of: string) {
  const r = await request.post('/api/v1/batch', { headers, data: { portfolios: [portfolio], as_of, steps: ['exposures', 'snapshot'] } });
  expect(r.status(), await r.text()).toBe(202);
  const id = (await r.json()).id as number;
  await expect
    .poll(async () => (await (await request.get(`/api/v1/jobs/${id}`, { headers })).json()).status, { timeout: 60_000, intervals: [250] })
    .toBe('succeeded');
}

// A book of its own for a spec: `name` made by the manager from the balanced example, with the
// analyst's batch snapshots at `dates` (in order). The spec deletes it (deleteBook) at the end.
export async function bookWithSnapshots(request: APIRequestContext, name: string, dates: readonly string[]) {
  const manager = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const created = await request.post('/api/v1/portfolios', { headers: manager, data: { name } });
  expect(created.status(), await created.text()).toBe(201);
  const csv = readFileSync('../examples/portfolios/balanced.csv', 'utf8');
  const imported = await request.post(`/api/v1/portfolios/${name}/positions`, { headers: { ...manager, 'Content-Type': 'text/csv' }, data: csv });
  expect(imported.status(), await imported.text()).toBe(200);
  const analyst = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  for (const d of dates) await batchSnapshot(request, analyst, name, d);
}

// Deletes the book `name` as the manager.
export async function deleteBook(request: APIRequestContext, name: string) {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const deleted = await request.delete(`/api/v1/portfolios/${name}`, { headers });
  expect(deleted.ok(), await deleted.text()).toBe(true);
}

// The page keeps to a `width`-pixel screen; a failure names the widest element.
export async function expectPageFits(page: Page, what: string, width = 390) {
  const w = await page.evaluate(() => {
    let widest = '';
    let right = 0;
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect().right;
      if (r > right) {
        right = r;
        widest = `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} ${Math.round(r)}px`;
      }
    }
    return { width: document.documentElement.scrollWidth, widest };
  });
  expect(w.width, `${what}: widest ${w.widest}`).toBeLessThanOrEqual(width);
}
