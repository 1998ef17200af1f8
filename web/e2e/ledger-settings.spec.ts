// An account's settings in the browser against a real keel serve: a manager gives an account its
// type, institution and notes and renames it (the page moves to the new name, the API answers the
// same), an over-long note is named before anything is sent, and a viewer reads the settings
// without being able to change them. axe-core on the view.
import { test, expect } from '@playwright/test';
import { axe, signIn, token } from './helpers';

test('ledger settings: type, institution, notes and a rename through PUT /api/v1/accounts/{id}', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const created = await (await request.post('/api/v1/accounts', { headers, data: { name: 'settings-e2e' } })).json();
  await signIn(page, 'manager');
  await page.goto('/ledger/settings-e2e?tab=settings');
  await expect(page.getByLabel('Type', { exact: true })).toHaveValue('brokerage');
  await page.getByLabel('Type', { exact: true }).selectOption('retirement');
  await page.getByLabel('Institution', { exact: true }).fill('Vanguard');
  await page.getByLabel('Notes', { exact: true }).fill('x'.repeat(2001));
  await expect(page.getByText('At most 2000 characters.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled();
  await page.getByLabel('Notes', { exact: true }).fill('backdoor conversions');
  await page.getByLabel('Name', { exact: true }).fill('roth settings-e2e');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/ledger\/roth%20settings-e2e\?tab=settings$/);
  const a = await (await request.get(`/api/v1/accounts/${created.id}`, { headers })).json();
  expect([a.name, a.type, a.institution, a.notes]).toEqual(['roth settings-e2e', 'retirement', 'Vanguard', 'backdoor conversions']);
  await expect(page.getByTestId('account-summary')).toContainText('retirement · Vanguard');
  await axe(page, 'ledger settings');

  await signIn(page, 'viewer');
  await page.goto(`/ledger/${encodeURIComponent('roth settings-e2e')}?tab=settings`);
  await expect(page.getByLabel('Institution', { exact: true })).toHaveValue('Vanguard');
  await expect(page.getByLabel('Institution', { exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
});
