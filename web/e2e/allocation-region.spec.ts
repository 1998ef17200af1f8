// Allocation by country and region (POST …/exposures {"by": "country" | "region"}): the exposures
// tab's grouping offers both; by region the demo book's US holdings (the security master's
// countries, from the S&P file's headquarters) are "North America" with the API's net value, in
// German "Nordamerika"; by country the US is named in the page's language with its code.
import { test, expect } from '@playwright/test';
import { axe, en, signIn, token } from './helpers';

test('allocation: grouping the exposures by region shows North America, by country the United States', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const byRegion = await (await request.post('/api/v1/portfolios/hnw/exposures', { headers, data: { by: 'region' } })).json();
  const na = byRegion.groups.find((g: { key: string }) => g.key === 'North America');
  expect(na, JSON.stringify(byRegion.groups)).toBeTruthy();

  await signIn(page, 'analyst');
  await page.goto('/portfolios/hnw?tab=exposures');
  const by = page.getByLabel('Group by');
  await expect(by.locator('option[value=country]')).toHaveText('country');
  await by.selectOption('region');
  await expect(page).toHaveURL(/by=region/);
  const table = page.getByRole('table', { name: 'Exposure groups' });
  const row = table.locator('tr[data-group="North America"]');
  await expect(row.locator('td').first()).toHaveText('North America');
  await expect(row.locator('[data-field=net]')).toHaveText(en(na.net));
  await axe(page, 'exposures by region');

  await by.selectOption('country');
  await expect(table.locator('tr[data-group="US"] td').first()).toHaveText('United States (US)');

  await page.getByTestId('language').selectOption('de-DE');
  const groups = page.getByRole('table', { name: 'Exposure-Gruppen' });
  await expect(groups.locator('tr[data-group="US"] td').first()).toHaveText('Vereinigte Staaten (US)');
  await page.getByLabel('Gruppieren nach').selectOption('region');
  await expect(groups.locator('tr[data-group="North America"] td').first()).toHaveText('Nordamerika');
  // Back to English, kept on the server before the spec ends: the specs after it read English.
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/preferences') && r.request().method() === 'PUT' && (r.request().postData() ?? '').includes('en-US'));
  await page.getByTestId('language').selectOption('en-US');
  expect((await saved).ok()).toBe(true);
});
