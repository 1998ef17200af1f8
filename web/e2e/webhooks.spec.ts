// Webhooks in the administration (docs/webhooks.md): a manager adds one to a loopback receiver
// (this spec's, on $KEEL_E2E_PORT + 4, the host serve.mjs allows with --webhook-allow-host), sees
// its secret once, imports positions through the API (a portfolio.changed event), and the receiver
// gets the event signed as Standard Webhooks says — checked here with node:crypto and the secret;
// the deliveries panel shows it delivered with 200 and its payload; a second webhook whose endpoint
// answers 410 Gone shows its failed delivery, the webhook disabled with the reason, and Redeliver;
// disable, enable and delete. An analyst sees no Webhooks entry. axe-core on the page; it fits a
// 390 px screen.
import { test, expect } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { axe, expectPageFits, shot, signIn, token } from './helpers';

test.describe.configure({ mode: 'serial' });

const hookPort = Number(process.env.KEEL_E2E_PORT) + 4;
const HOOK = `http://127.0.0.1:${hookPort}/hook`;
const GONE = `http://127.0.0.1:${hookPort}/gone`;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
let receiver: Server;

test.beforeAll(async () => {
  // Answers 200 at /hook and 410 Gone at /gone, and keeps every request.
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(req.url === '/gone' ? 410 : 200, { 'Content-Type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(hookPort, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

// Standard Webhooks: v1, and the base64 HMAC-SHA256 of "id.timestamp.body" keyed with the bytes
// the secret's base64 (after whsec_) names.
function signature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

// A portfolio of the manager's tenant, its positions imported through the API: a portfolio.changed
// event. Its name.
async function changePortfolio(request: import('@playwright/test').APIRequestContext, headers: Record<string, string>, name: string) {
  const created = await request.post('/api/v1/portfolios', { headers, data: { name } });
  expect([200, 201], await created.text()).toContain(created.status());
  const id = (await created.json()).id as number;
  const imported = await request.post(`/api/v1/portfolios/${id}/positions`, {
    headers: { ...headers, 'Content-Type': 'text/csv' },
    data: 'symbol,quantity\nAAPL,10\nMSFT,5\n',
  });
  expect(imported.status(), await imported.text()).toBe(200);
  return id;
}

// Deletes the tenant's webhooks to `url` that an earlier, failed attempt of a test left behind.
async function forgetHooks(request: import('@playwright/test').APIRequestContext, headers: Record<string, string>, url: string) {
  const listed = (await (await request.get('/api/v1/webhooks', { headers })).json()).items as { id: number; url: string }[];
  for (const w of listed.filter((w) => w.url === url)) {
    expect((await request.delete(`/api/v1/webhooks/${w.id}`, { headers })).ok()).toBe(true);
  }
}

const parsed = (r: Received) => JSON.parse(r.body) as { type: string; tenant: string; data: { portfolio?: string; what?: string } };

test('webhooks: a manager adds one, keeps its secret, and sees it delivered and signed', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  await forgetHooks(request, headers, HOOK);
  await signIn(page, 'manager');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('tab', { name: 'Webhooks' }).click();
  await expect(page).toHaveURL(/\/admin\/webhooks$/);

  // Add: the URL, one event, a description; no event at all is refused here first.
  await page.getByLabel('URL', { exact: true }).fill(HOOK);
  await page.getByLabel('Description').fill('Risk feed (e2e)');
  await page.getByRole('button', { name: 'Add webhook' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose at least one event.');
  await page.getByRole('checkbox', { name: 'Portfolio changed' }).check();
  await page.getByRole('button', { name: 'Add webhook' }).click();

  // The secret, once: read-only, with the warning.
  const field = page.getByLabel('Signing secret');
  await expect(field).toBeVisible();
  await expect(field).toHaveAttribute('readonly', '');
  const secret = await field.inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  await expect(page.getByTestId('webhook-secret')).toContainText('it is shown this once and never again');
  const row = page.locator(`tr[data-url="${HOOK}"]`);
  await expect(row.locator('[data-field=events]')).toHaveText('Portfolio changed');
  await expect(row.locator('[data-field=description]')).toHaveText('Risk feed (e2e)');
  await expect(row.locator('[data-field=status]')).toHaveText('enabled');
  await expect(row).toContainText('manager');
  await axe(page, 'webhooks with the secret');
  await shot(page, 'admin-webhooks');
  // The API never shows it again, nor does the page after Done or a reload.
  const listed = (await (await request.get('/api/v1/webhooks', { headers })).json()).items as { id: number; url: string; secret?: string }[];
  const hook = listed.find((w) => w.url === HOOK)!;
  expect(hook).toBeTruthy();
  expect(hook.secret).toBeUndefined();
  await page.getByRole('button', { name: 'Done: I have kept it' }).click();
  await expect(page.getByLabel('Signing secret')).toHaveCount(0);
  await page.reload();
  await expect(row).toBeVisible();
  await expect(page.getByLabel('Signing secret')).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText(secret);

  // An event: positions imported. The receiver gets it, signed with the secret.
  // A name of this run's own (a retry makes another).
  const name = `hooked-${Date.now()}`;
  const portfolio = await changePortfolio(request, headers, name);
  const ours = (r: Received) => r.path === '/hook' && parsed(r).data.portfolio === name && parsed(r).data.what === 'positions';
  await expect.poll(() => received.filter(ours).length, { timeout: 30_000, intervals: [250] }).toBeGreaterThan(0);
  const got = received.find(ours)!;
  expect(parsed(got)).toMatchObject({ type: 'portfolio.changed', tenant: 'default', data: { portfolio: name, what: 'positions' } });
  const id = String(got.headers['webhook-id']);
  const timestamp = String(got.headers['webhook-timestamp']);
  expect(id).toMatch(/^msg_\d+$/);
  expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(300);
  expect(String(got.headers['webhook-signature']).split(' ')).toContain(signature(secret, id, timestamp, got.body));
  // Another key (the secret's first character changed) signs otherwise.
  const other = secret.replace(/^whsec_(.)/, (_, c: string) => `whsec_${c === 'A' ? 'B' : 'A'}`);
  expect(signature(other, id, timestamp, got.body)).not.toBe(got.headers['webhook-signature']);

  // Its deliveries: delivered, 200, the payload.
  await row.getByRole('button', { name: 'Deliveries' }).click();
  await expect(page).toHaveURL(new RegExp(`webhook=${hook.id}`));
  const delivery = page.locator(`tr[data-delivery="${id.replace('msg_', '')}"]`);
  await expect(delivery.locator('[data-field=status]')).toHaveText('delivered');
  await expect(delivery.locator('[data-field=last_status]')).toHaveText('200');
  await expect(delivery.locator('[data-field=event]')).toHaveText('Portfolio changed');
  await expect(delivery.locator('[data-field=attempts]')).toHaveText('1');
  await expect(delivery.locator('[data-field=payload]')).toContainText(name);
  await expect(delivery.getByRole('button', { name: 'Redeliver' })).toHaveCount(0);
  await axe(page, 'webhook deliveries');

  // Disable and enable.
  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row.locator('[data-field=status]')).toHaveText('disabled');
  expect((await (await request.get('/api/v1/webhooks', { headers })).json()).items.find((w: { id: number }) => w.id === hook.id).disabled).toBe(true);
  await row.getByRole('button', { name: 'Enable' }).click();
  await expect(row.locator('[data-field=status]')).toHaveText('enabled');

  // A phone's screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await expectPageFits(page, 'webhooks with deliveries');
  await page.setViewportSize({ width: 1400, height: 900 });

  // Delete, after the confirmation.
  page.once('dialog', (d) => {
    expect(d.message()).toBe(`Delete the webhook to ${HOOK} and all its deliveries?`);
    void d.accept();
  });
  await row.getByRole('button', { name: `Delete the webhook to ${HOOK}` }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('webhook-deliveries')).toHaveCount(0);
  expect((await (await request.get('/api/v1/webhooks', { headers })).json()).items.map((w: { url: string }) => w.url)).not.toContain(HOOK);
  expect((await request.delete(`/api/v1/portfolios/${portfolio}`, { headers })).ok()).toBe(true);
});

test('webhooks: an endpoint that is gone fails its delivery, disables the webhook, and may be posted again', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  await forgetHooks(request, headers, GONE);
  await signIn(page, 'manager');
  await page.goto('/admin/webhooks');
  await page.getByLabel('URL', { exact: true }).fill(GONE);
  await page.getByRole('checkbox', { name: 'All events (also those added later)' }).check();
  await expect(page.getByRole('checkbox', { name: 'Job finished' })).toBeDisabled();
  await page.getByRole('button', { name: 'Add webhook' }).click();
  await expect(page.getByLabel('Signing secret')).toBeVisible();
  const row = page.locator(`tr[data-url="${GONE}"]`);
  await expect(row.locator('[data-field=events]')).toHaveText('All events');

  const portfolio = await changePortfolio(request, headers, `hooked-gone-${Date.now()}`);
  await expect.poll(() => received.filter((r) => r.path === '/gone').length, { timeout: 30_000, intervals: [250] }).toBeGreaterThan(0);
  const gone = received.find((r) => r.path === '/gone')!;
  const deliveryId = String(gone.headers['webhook-id']).replace('msg_', '');
  // The 410 failed the delivery at once and disabled the webhook, saying why.
  await page.reload();
  await expect(row.locator('[data-field=status]')).toHaveText(/^disabled: .+/);
  await row.getByRole('button', { name: 'Deliveries' }).click();
  const failed = page.locator(`tr[data-delivery="${deliveryId}"]`);
  await expect(failed.locator('[data-field=status]')).toHaveText('failed');
  await expect(failed.locator('[data-field=last_status]')).toHaveText('410');
  await expect(failed.locator('[data-field=attempts]')).toHaveText('1');
  await axe(page, 'a failed delivery');
  // Redeliver queues it again; enabling the webhook lets it go: the same webhook-id, posted again.
  const before = received.filter((r) => r.path === '/gone').length;
  await failed.getByRole('button', { name: 'Redeliver' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Delivery ${deliveryId} is posted again.` })).toBeVisible();
  await expect(failed.locator('[data-field=status]')).toHaveText('pending');
  await row.getByRole('button', { name: 'Enable' }).click();
  await expect.poll(() => received.filter((r) => r.path === '/gone').length, { timeout: 30_000, intervals: [250] }).toBeGreaterThan(before);
  expect(received.filter((r) => r.path === '/gone').at(-1)!.headers['webhook-id']).toBe(`msg_${deliveryId}`);
  await expect(failed.locator('[data-field=status]')).toHaveText('failed');
  await expect(failed.locator('[data-field=attempts]')).toHaveText('2');

  page.once('dialog', (d) => void d.accept());
  await row.getByRole('button', { name: `Delete the webhook to ${GONE}` }).click();
  await expect(row).toHaveCount(0);
  expect((await request.delete(`/api/v1/portfolios/${portfolio}`, { headers })).ok()).toBe(true);
});

test('webhooks: an analyst sees no Webhooks entry and is refused the page', async ({ page }) => {
  await signIn(page, 'analyst');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Portfolios' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Webhooks' })).toHaveCount(0);
  await page.goto('/admin/webhooks');
  await expect(page.getByRole('alert')).toContainText('Not allowed for your role');
  await expect(page.getByLabel('URL', { exact: true })).toHaveCount(0);
});
