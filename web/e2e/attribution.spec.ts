// The dashboard's factor attribution tab as a viewer (an attribution is a read): nothing is asked
// before both dates are chosen; then the book's and each position's P&L and residual are the API's
// for the same period (from 2017-11-27, when the book holds its four options, which are not
// attributed), and the page passes axe.
import { test, expect } from '@playwright/test';
import { axe, en, signIn, token } from './helpers';

test('a viewer reads the factor attribution of a period', async ({ page, request }) => {
  await signIn(page, 'viewer');
  await page.goto('/portfolios/hnw?tab=attribution');
  await expect(page.getByText('Choose the period: a start and an end date.')).toBeVisible();

  await page.getByLabel('From', { exact: true }).fill('2017-11-27');
  await page.getByLabel('To', { exact: true }).fill('2017-11-30');
  const auth = { Authorization: `Bearer ${await token(request, 'viewer')}` };
  const res = await request.post('/api/v1/portfolios/hnw/risk/attribution', { headers: auth, data: { from: '2017-11-27', to: '2017-11-30' } });
  expect(res.status()).toBe(200);
  const a = await res.json();
  const book = page.locator('tr.total');
  await expect(book.locator('[data-field=pnl]')).toContainText(en(a.book.pnl_amount));
  await expect(book.locator('[data-field=residual]')).toContainText(en(a.book.residual_amount));
  for (const p of a.positions) {
    await expect(page.locator(`tr[data-symbol="${p.symbol}"] [data-field=pnl]`)).toContainText(en(p.pnl_amount));
  }
  await expect(page.getByText(/Not attributed: AAPL180119C00170000/)).toBeVisible();
  await axe(page, 'factor attribution');
});
