// The dashboard's Health tab (docs/health.md): the example hnw book's nine checks, each in words
// with its status as text, figure, limit, subject and positions, against POST …/health for the same
// limits; the summary counts warnings and alerts; a limit typed in percent reaches the request and
// the verdict; axe-clean. A viewer may not compute: the usual message, and no request is made.
import { test, expect } from '@playwright/test';
import { axe, shot, signIn, token } from './helpers';

const LABELS = ['Largest holding', 'Top five holdings', 'Largest sector', 'Unclassified', 'Other currencies', 'Cash', 'Stale prices', 'Options expiring', 'Not valued'];
const STATUS: Record<string, string> = { ok: 'OK', warn: 'Warning', alert: 'Alert', na: 'Not applicable' };
const pct1 = (x: number) => new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

interface Check { id: string; status: string; figure: number | null; limit: number | null; unit: string; subject: string; positions: string[] }

test('health: the nine checks of a demo book against the API, a limit changed in percent', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const api = async (data: object) => {
    const r = await request.post('/api/v1/portfolios/hnw/health', { headers, data });
    expect(r.status(), await r.text()).toBe(200);
    return (await r.json()) as { checks: Check[]; warnings: number; alerts: number; stale_days: number; expiry_days: number };
  };
  const h = await api({});
  expect(h.checks.map((c) => c.id)).toEqual(['position', 'top_five', 'sector', 'unclassified', 'foreign', 'cash', 'stale_prices', 'expiring', 'unvalued']);

  await signIn(page, 'analyst');
  await page.goto('/portfolios/hnw');
  await page.getByRole('tab', { name: 'Health' }).click();
  await expect(page).toHaveURL(/tab=health/);
  const table = page.getByRole('table', { name: 'Health checks' });
  await expect(table.locator('tbody tr')).toHaveCount(9);
  await expect(table.locator('tbody th')).toHaveText(LABELS);
  for (const c of h.checks) {
    const row = table.locator(`tr[data-check="${c.id}"]`);
    await expect(row.locator('[data-field=status]')).toHaveText(STATUS[c.status]!);
    const figure = c.figure === null ? '–' : c.unit === 'positions' ? String(c.figure) : pct1(c.figure);
    await expect(row.locator('[data-field=figure]')).toHaveText(figure);
    // The day-measured checks say their days in the page's language (from stale_days, expiry_days).
    const subject =
      c.id === 'stale_prices' ? `older than ${h.stale_days} days` : c.id === 'expiring' ? `within ${h.expiry_days} days` : c.subject;
    await expect(row.locator('[data-field=subject]')).toHaveText(subject);
    await expect(row.locator('[data-field=positions]')).toHaveText(c.positions.join(', '));
  }
  // hnw holds a fifth of its gross in AMZN: the largest holding warns against the default 10 %.
  const position = h.checks[0]!;
  expect(position.status).toBe('warn');
  await expect(table.locator('tr[data-check=position] [data-field=limit]')).toHaveText('10.0%');
  await expect(page.getByTestId('health-summary')).toContainText(`${plural(h.warnings, 'warning')}, ${plural(h.alerts, 'alert')}`);
  await axe(page, 'health');
  await shot(page, 'health');

  // The largest holding allowed up to 25 %: typed in percent, sent as the fraction, the check is ok.
  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/portfolios/hnw/health') && (r.postDataJSON() as { max_position_weight?: number }).max_position_weight === 0.25);
  const limit = page.getByLabel('Largest holding at most (%)');
  await limit.fill('25');
  await limit.blur();
  await sent;
  await expect(page).toHaveURL(/max_position_weight=0.25/);
  const h25 = await api({ max_position_weight: 0.25 });
  expect(h25.checks[0]!.status).toBe('ok');
  await expect(table.locator('tr[data-check=position] [data-field=status]')).toHaveText('OK');
  await expect(table.locator('tr[data-check=position] [data-field=limit]')).toHaveText('25.0%');
  await expect(page.getByTestId('health-summary')).toContainText(`${plural(h25.warnings, 'warning')}, ${plural(h25.alerts, 'alert')}`);

  // German: the checks' and statuses' words.
  await page.getByTestId('language').selectOption('de-DE');
  const de = page.getByRole('table', { name: 'Zustandsprüfungen' });
  await expect(de.locator('tbody th').first()).toHaveText('Größte Position');
  await expect(de.locator('tr[data-check=top_five] [data-field=status]')).toHaveText(h25.checks[1]!.status === 'warn' ? 'Warnung' : 'OK');
  // Back to English, kept on the server before the spec ends: the specs after it read English.
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/preferences') && r.request().method() === 'PUT' && (r.request().postData() ?? '').includes('en-US'));
  await page.getByTestId('language').selectOption('en-US');
  expect((await saved).ok()).toBe(true);
});

test('health: a viewer is told the checks are a computation, and nothing is asked', async ({ page, request }) => {
  const viewer = { Authorization: `Bearer ${await token(request, 'viewer')}` };
  expect((await request.post('/api/v1/portfolios/hnw/health', { headers: viewer, data: {} })).status()).toBe(403);
  let asked = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/health')) asked += 1;
  });
  await signIn(page, 'viewer');
  await page.goto('/portfolios/hnw?tab=health');
  await expect(page.getByRole('alert')).toContainText('this analysis is a computation');
  await expect(page.getByRole('table', { name: 'Health checks' })).toHaveCount(0);
  await axe(page, 'health viewer');
  expect(asked).toBe(0);
});
