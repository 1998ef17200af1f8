// Administration in the browser: a manager sees and manages the users of its own tenant only (add,
// change role, disable, enable; administrators out of reach), a manager of another tenant sees none
// of them, and an administrator reads the audit log with filters and paging — each list equal to
// the API's. axe-core on each view.
import { test, expect } from '@playwright/test';
import { axe, shot, signIn, token } from './helpers';

test('admin: a manager manages the users of its tenant', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  await signIn(page, 'manager');
  await page.getByRole('link', { name: 'Admin' }).click();
  const users = (await (await request.get('/api/v1/users', { headers })).json()).items as { username: string; tenant: string }[];
  expect(users.every((u) => u.tenant === 'default')).toBe(true);
  await expect(page.locator('tr[data-user]')).toHaveCount(users.length);
  await expect(page.locator('tr[data-user=globexmgr]')).toHaveCount(0);
  // Administrators and the manager itself are out of reach.
  await expect(page.getByLabel('Role of admin')).toBeDisabled();
  await expect(page.getByLabel('Role of manager')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Disable admin' })).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Audit log' })).toHaveCount(0);

  await page.getByLabel('user name').fill('newbie');
  await page.getByLabel('password').fill('newbie password e2e');
  await page.getByLabel('role', { exact: true }).selectOption('viewer');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.locator('tr[data-user=newbie]')).toBeVisible();
  await page.getByLabel('Role of newbie').selectOption('analyst');
  await expect(page.getByLabel('Role of newbie')).toHaveValue('analyst');
  await page.getByRole('button', { name: 'Disable newbie' }).click();
  await expect(page.locator('tr[data-user=newbie] [data-field=status]')).toHaveText('disabled');
  await page.getByRole('button', { name: 'Enable newbie' }).click();
  await expect(page.locator('tr[data-user=newbie] [data-field=status]')).toHaveText('active');
  const newbie = (await (await request.get('/api/v1/users', { headers })).json()).items.find((u: { username: string }) => u.username === 'newbie');
  expect(newbie).toMatchObject({ role: 'analyst', disabled: false, tenant: 'default' });
  await axe(page, 'admin users');
  await shot(page, 'admin-users');

  await page.goto('/admin/audit');
  await expect(page.getByRole('alert')).toContainText('Not allowed for your role');
});

test('admin: another tenant\'s manager sees none of these users', async ({ page }) => {
  await signIn(page, 'globexmgr');
  await page.goto('/admin/users');
  await expect(page.locator('tr[data-user=globexmgr]')).toBeVisible();
  await expect(page.locator('tr[data-user]')).toHaveCount(1);
});

test('admin: the audit log with filters and paging', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'admin')}` };
  await signIn(page, 'admin');
  await page.goto('/admin/audit?limit=5');
  const first = await (await request.get('/api/v1/audit?limit=5', { headers })).json();
  expect(first.next_cursor).not.toBeNull();
  await expect(page.locator('tr[data-action]')).toHaveCount(first.items.length);
  await expect(page.locator('tr[data-action]').first()).toContainText(first.items[0].request_id);
  await axe(page, 'admin audit');
  await shot(page, 'admin-audit');
  {
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page).toHaveURL(/cursor=/);
    const second = await (await request.get(`/api/v1/audit?limit=5&cursor=${encodeURIComponent(first.next_cursor)}`, { headers })).json();
    await expect(page.locator('tr[data-action]').first()).toContainText(second.items[0].request_id);
  }
  // The user filter: only that user's entries.
  await page.goto('/admin/audit?user=manager');
  const mine = await (await request.get('/api/v1/audit?user=manager&limit=50', { headers })).json();
  await expect(page.locator('tr[data-action]')).toHaveCount(mine.items.length);
});
