// An import that is stored with warnings shows each warning as text: a prices file and a positions
// file whose last line has no line ending are imported, and the server's warning that the file may
// be truncated is shown under the result, naming the line.
import { test, expect } from '@playwright/test';
import { signIn, token } from './helpers';

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
