// Names are text, never markup: a portfolio, sector, tag, account, CLO deal and tranche, and an LLM
// provider's model whose name holds an <img> with an onerror handler and a <b> element are shown as
// the literal characters in tables, headings, chart tooltips (hovered), select options and the
// document title (a provider's own name with markup is refused by the server). After each view:
// the handler never ran (window.__xss), no <img src="x"> and no <b>bold</b> is in the DOM, and the
// browser requested no image "x".
import { test, expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { signIn, token } from './helpers';

const XSS = '<img src=x onerror="window.__xss=1">';
const BOLD = '<b>bold</b>';
const hostile = (what: string) => `${what} ${BOLD}${XSS}`;
const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;

// Records every request for an image "x" from the moment the page is created; check() asserts
// that nothing in the page was taken as markup.
function watch(page: Page) {
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/x')) fetched.push(r.url());
  });
  return async (where: string) => {
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), `${where}: the onerror handler ran`).toBeUndefined();
    await expect(page.locator('img[src="x"]'), `${where}: an <img src="x"> is in the DOM`).toHaveCount(0);
    await expect(page.locator('b', { hasText: 'bold' }), `${where}: a <b> element is in the DOM`).toHaveCount(0);
    expect(fetched, `${where}: the browser fetched the image "x"`).toEqual([]);
  };
}

// Moves the mouse over the chart, row by row from its middle out, until its tooltip shows `text`;
// returns the tooltip's element holding it.
async function hoverUntil(page: Page, chart: Locator, text: string): Promise<Locator> {
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.boundingBox())!;
  const shown = chart.getByText(text).first();
  const ys = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85];
  const xs = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9];
  for (const fy of ys) {
    for (const fx of xs) {
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      await page.waitForTimeout(40);
      if (await shown.isVisible()) return shown;
    }
  }
  throw new Error(`no tooltip showing ${JSON.stringify(text)} over the chart`);
}

async function auth(request: APIRequestContext, user = 'manager') {
  return { Authorization: `Bearer ${await token(request, user)}` };
}

async function portfolioWith(request: APIRequestContext, name: string, csv: string) {
  const headers = await auth(request);
  const created = await request.post('/api/v1/portfolios', { headers, data: { name } });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id as number;
  const imported = await request.post(`/api/v1/portfolios/${id}/positions`, { headers: { ...headers, 'Content-Type': 'text/csv' }, data: csv });
  expect(imported.status(), await imported.text()).toBe(200);
  return id;
}

test('names: a portfolio name is text in the list, the dashboard, the report, the title and the import', async ({ page, request }) => {
  const check = watch(page);
  const name = hostile('Portfolio');
  await portfolioWith(request, name, 'symbol,quantity\nAAPL,100\nMSFT,50\n');
  await signIn(page, 'manager');
  await page.goto('/portfolios');
  const link = page.getByRole('link', { name, exact: true });
  await expect(link).toBeVisible();
  await check('portfolio list');
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  await expect(page).toHaveTitle(`${name} · keel`);
  await expect(page.getByTestId('kpi-strip')).toBeVisible();
  await check('dashboard');
  await page.getByRole('button', { name: 'Report' }).click();
  await expect(page).toHaveTitle(`${name} (report) · keel`);
  await expect(page.getByTestId('kpi-strip')).toBeVisible();
  await check('report');
  await page.goto(`/portfolios/${encodeURIComponent(name)}/import`);
  await expect(page.getByRole('heading', { name: `Import positions into ${name}` })).toBeVisible();
  await check('import');
});

test('names: a sector is text in the positions table, the exposure table and the chart tooltips', async ({ page, request }) => {
  const check = watch(page);
  const sector = hostile('Sector');
  const portfolio = 'names-sector';
  await portfolioWith(request, portfolio, `symbol,quantity,sector\nAAPL,100,${csvCell(sector)}\nMSFT,50,${csvCell(sector)}\n`);
  await signIn(page, 'manager');
  await page.goto(`/portfolios/${portfolio}`);
  await expect(page.getByRole('cell', { name: sector, exact: true }).first()).toBeVisible();
  await check('positions');
  await page.goto(`/portfolios/${portfolio}?tab=exposures&by=sector`);
  await expect(page.locator('table[aria-label="Exposure groups"] td', { hasText: sector })).toHaveText(sector);
  await hoverUntil(page, page.locator('.chart').nth(0), sector);
  await check('exposure bars, hovered');
  await hoverUntil(page, page.locator('.chart').nth(1), sector);
  await check('exposure donut, hovered');
});

test('names: a tag is text in the exposure table and the chart tooltips', async ({ page, request }) => {
  const check = watch(page);
  const tag = hostile('Tag');
  const portfolio = 'names-tag';
  await portfolioWith(request, portfolio, `symbol,quantity,tags\nAAPL,100,${csvCell(tag)}\nMSFT,50,${csvCell(tag)}\n`);
  await signIn(page, 'manager');
  await page.goto(`/portfolios/${portfolio}?tab=exposures&by=tag`);
  await expect(page.locator('table[aria-label="Exposure groups"] td', { hasText: tag })).toHaveText(tag);
  await hoverUntil(page, page.locator('.chart').nth(0), tag);
  await check('exposure bars by tag, hovered');
  await hoverUntil(page, page.locator('.chart').nth(1), tag);
  await check('exposure donut by tag, hovered');
});

test('names: an account name is text in the accounts table, the account view, the title and the net worth tooltip', async ({ page, request }) => {
  const check = watch(page);
  const headers = await auth(request);
  const name = hostile('Account');
  const created = await request.post('/api/v1/accounts', { headers, data: { name, method: 'fifo' } });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id as number;
  const csv = readFileSync('../examples/ledger/transactions.csv', 'utf8');
  const imported = await request.post(`/api/v1/accounts/${id}/transactions`, { headers, data: { csv } });
  expect(imported.status(), await imported.text()).toBe(200);
  const all = await (await request.post('/api/v1/networth/snapshots', { headers, data: {} })).json();
  expect((await request.post(`/api/v1/accounts/${id}/snapshots`, { headers, data: { as_of: all.as_of } })).status()).toBe(201);
  await signIn(page, 'manager');
  await page.goto('/ledger');
  await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  await hoverUntil(page, page.getByTestId('networth-by-account').locator('.chart'), name);
  await check('ledger, net worth by account hovered');
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Ledger / ${name}`);
  await expect(page).toHaveTitle(`${name} (ledger) · keel`);
  await check('account');
});

test('names: CLO tranche and deal names are text in the tables, the grid and balance tooltips, the title and the download', async ({ page, request }) => {
  const check = watch(page);
  const headers = await auth(request, 'analyst');
  const tranche = hostile('A');
  const dealName = hostile('Deal');
  const deal = JSON.parse(readFileSync('../examples/clo/example_bsl_clo.json', 'utf8'));
  deal.tranches[0].class = tranche;
  const up = await request.post('/api/v1/clo/deals', { headers, data: { deal, name: dealName, comment: 'names are text' } });
  expect(up.status(), await up.text()).toBe(201);
  const id = (await up.json()).deal.id as number;
  await signIn(page, 'analyst');
  await page.goto('/clo');
  await expect(page.getByRole('link', { name: dealName, exact: true })).toBeVisible();
  await check('deal list');
  await page.goto(`/clo/deals/${id}?tab=waterfall`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(dealName);
  await expect(page).toHaveTitle(`${dealName} (CLO) · keel`);
  await expect(page.locator(`[data-testid=tranche-metrics] tr[data-tranche="${tranche.replace(/"/g, '\\"')}"] td`).first()).toHaveText(tranche);
  await hoverUntil(page, page.locator('.chart').first(), tranche);
  await check('waterfall, balances hovered');
  // The scenario grid's heatmap: its tooltip names the scenario and the tranche.
  await page.goto(`/clo/deals/${id}?tab=grid&grid_cdr=0.02&grid_cpr=0.2&grid_recovery=0.7`);
  const grid = page.getByTestId('grid').locator('.chart');
  await expect(grid).toBeVisible();
  await hoverUntil(page, grid, `tranche ${tranche}:`);
  await check('scenario grid, hovered');
  // The pool's download is named after the deal, made a safe file name.
  await page.goto(`/clo/deals/${id}?tab=collateral`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  expect(download.suggestedFilename()).not.toMatch(/[<>"/\\:*?|]/);
  await check('collateral');
});

test('names: a provider name with markup is refused, and a model name with markup is text in the Ask view', async ({ page, request }) => {
  const check = watch(page);
  // Providers are added by an administrator.
  const headers = await auth(request, 'admin');
  const base_url = `http://127.0.0.1:${Number(process.env.KEEL_E2E_PORT) + 1}/v1`;
  const refused = await request.post('/api/v1/assistant/providers', { headers, data: { name: hostile('provider'), base_url, model: 'fake-gpt' } });
  expect(refused.status()).toBe(400);
  expect(JSON.stringify(await refused.json())).toContain('name');
  const model = hostile('model');
  const added = await request.post('/api/v1/assistant/providers', { headers, data: { name: 'names-provider', base_url, model } });
  expect(added.status(), await added.text()).toBe(201);
  try {
    await signIn(page, 'admin');
    await page.goto('/ask');
    const option = page.locator('option[value="names-provider"]');
    await expect(option).toHaveText(new RegExp(`^names-provider · ${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(local\\))?$`));
    await page.getByLabel('Question').fill('What is the VaR of hnw?');
    await page.getByLabel('Portfolio').selectOption('hnw');
    await page.getByLabel('Provider').selectOption('names-provider');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect(page.getByTestId('usage')).toContainText('names-provider · ', { timeout: 30_000 });
    await check('ask');
  } finally {
    await request.delete('/api/v1/assistant/providers/names-provider', { headers });
  }
});
