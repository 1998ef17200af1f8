// An import that is stored with warnings shows each warning as text: a prices file and a positions
// file whose last line has no line ending are imported, and the server's warning that the file may
// be truncated is shown under the result, naming the line.
import { test, expect } from '@playwright/test';
import { axe, signIn, token } from './helpers';

const TRUNCATED = 'the last line has no line ending: the file may be truncated';

test('import warnings: a prices file without a last line ending is imported and its warning shown', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/prices/import');
  const csv = 'date,symbol,close\n2017-12-04,ZZWARN,10.5\n2017-12-05,ZZWARN,11';
  await page.getByLabel('Prices file').setInputFiles({ name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Prices imported.' })).toBeVisible();
  const warnings = page.getByRole('list', { name: 'Import warnings' });
  await expect(warnings.getByRole('listitem')).toHaveCount(1);
  await expect(warnings.getByRole('listitem')).toContainText(`:3: ${TRUNCATED}`);
});

test('import warnings: a positions file without a last line ending is imported and its warning shown', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  expect((await request.post('/api/v1/portfolios', { headers, data: { name: 'warned' } })).status()).toBe(201);
  await signIn(page, 'manager');
  await page.goto('/portfolios/warned/import');
  await page.getByLabel('Positions file').setInputFiles({ name: 'positions.csv', mimeType: 'text/csv', buffer: Buffer.from('symbol,quantity\nAAPL,10\nMSFT,5\nJPM,7') });
  await page.getByRole('button', { name: 'Import 3 rows' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported into warned.' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Import warnings' }).getByRole('listitem')).toContainText(`:4: ${TRUNCATED}`);
});

// A Fidelity positions download (docs/formats.md, "Brokers' positions downloads") is recognised in
// the browser and sent as it comes: no column mapping, one of its two accounts chosen, and what the
// server left out (Pending Activity, the disclaimers) shown as warnings.
test('import: a Fidelity positions download, one account of two', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  expect((await request.post('/api/v1/portfolios', { headers, data: { name: 'roth' } })).status()).toBe(201);
  await signIn(page, 'manager');
  await page.goto('/portfolios/roth/import');
  await page.getByLabel('Positions file').setInputFiles('../examples/portfolios/fidelity_positions.csv');
  await expect(page.getByTestId('broker-download')).toContainText('is a Fidelity positions download');
  await expect(page.getByLabel('keel column for Symbol')).toHaveCount(0);
  await page.getByLabel('Account').selectOption('Z00000001');
  await axe(page, 'broker download import');
  await page.getByRole('button', { name: 'Import the download' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported into roth.' })).toBeVisible();
  await expect(page.getByTestId('import-summary')).toContainText('2');
  const warnings = page.getByRole('list', { name: 'Import warnings' }).getByRole('listitem');
  await expect(warnings.filter({ hasText: 'Pending Activity (-25.00) is cash in settlement' })).toHaveCount(1);
  await expect(warnings.filter({ hasText: '2 positions of the account Z00000001' })).toHaveCount(1);
  const stored = await (await request.get('/api/v1/portfolios/roth', { headers })).json();
  expect((stored.positions as { symbol: string; quantity: number }[]).map((p) => `${p.symbol} ${p.quantity}`)).toEqual(['JNJ 40', 'XOM 30']);
});

// An OFX statement, the file the ledger imports transactions from, gives its positions: the six it
// lists on 2024-09-30, sent as it comes.
test('import: the positions an OFX statement lists', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  expect((await request.post('/api/v1/portfolios', { headers, data: { name: 'from-ofx' } })).status()).toBe(201);
  await signIn(page, 'manager');
  await page.goto('/portfolios/from-ofx/import');
  await page.getByLabel('Positions file').setInputFiles('../examples/ledger/statement.ofx');
  await expect(page.getByTestId('broker-download')).toContainText('is a broker statement');
  await page.getByRole('button', { name: 'Import the download' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported into from-ofx.' })).toBeVisible();
  const warnings = page.getByRole('list', { name: 'Import warnings' }).getByRole('listitem');
  await expect(warnings.filter({ hasText: "read as the OFX statement's positions on 2024-09-30: 6 positions" })).toHaveCount(1);
  const stored = await (await request.get('/api/v1/portfolios/from-ofx', { headers })).json();
  expect((stored.positions as { symbol: string }[]).map((p) => p.symbol)).toEqual(['AAPL', 'VTSAX', 'GLD', 'KO', 'MSFT', 'NVDA']);
});
