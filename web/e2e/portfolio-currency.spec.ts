// A portfolio's reporting currency: created in one (POST /api/v1/portfolios {name, currency}),
// shown in the list, and changed there by a manager (PATCH /api/v1/portfolios/{id}); a viewer sees
// it as text. The dashboard's positions table names each position's own currency.
import { test, expect } from '@playwright/test';
import { axe, signIn } from './helpers';

test('manager: creates a portfolio in EUR and changes it to GBP', async ({ page }) => {
  await signIn(page, 'manager');
  await page.goto('/portfolios');
  await page.getByLabel('New portfolio').fill('euro-book');
  await page.getByLabel('Reporting currency', { exact: true }).fill('EUR');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/portfolios\/euro-book\/positions$/);
  await page.goto('/portfolios');
  const input = page.getByLabel('Reporting currency of euro-book');
  await expect(input).toHaveValue('EUR');
  await input.fill('gbp');
  await page.getByRole('row', { name: /euro-book/ }).getByRole('button', { name: 'Set' }).click();
  await expect(page.getByRole('row', { name: /euro-book/ }).getByRole('button', { name: 'Set' })).toBeDisabled();
  await page.reload();
  await expect(page.getByLabel('Reporting currency of euro-book')).toHaveValue('GBP');
  await axe(page, 'portfolios');
  // A code that is not one is refused by the server, and said so.
  await page.getByLabel('Reporting currency of euro-book').fill('G1');
  await page.getByRole('row', { name: /euro-book/ }).getByRole('button', { name: 'Set' }).click();
  await expect(page.getByRole('alert')).toContainText('three-letter');
});

test('viewer: sees the reporting currency as text, and the positions\' currencies', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/portfolios');
  await expect(page.getByRole('row', { name: /hnw/ }).locator('[data-field=currency]')).toHaveText('USD');
  await page.goto('/portfolios/hnw?tab=positions');
  await expect(page.getByRole('columnheader', { name: 'Currency' })).toBeVisible({ timeout: 60_000 });
});
