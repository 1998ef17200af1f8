// The ledger's holdings as a portfolio in the browser against a real keel serve: a manager's
// account (seeded through the API: 20,000 deposited, AAPL bought twice, MSFT once, in 2017 where the
// e2e store has prices) becomes a new portfolio from the ledger page, and its dashboard opens. The
// portfolio's positions are the account's, worked by hand: AAPL 10 @ 116.15 + 10 @ 128.75 = 20 at
// an average 122.45 from 2017-01-04; MSFT 20 @ 64.94 from 2017-03-01; cash 20,000 - 1,161.50 -
// 1,287.50 - 1,298.80 = 16,252.20 USD. A viewer is not offered the form.
import { test, expect } from '@playwright/test';
import { axe, signIn, token } from './helpers';

const NAME = 'holdings-e2e';

test('ledger: an account\'s holdings become a portfolio and its dashboard opens', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  // A retry starts from no account and no portfolio of this name.
  await request.delete(`/api/v1/accounts/${NAME}`, { headers });
  await request.delete(`/api/v1/portfolios/${NAME}`, { headers });
  expect((await request.post('/api/v1/accounts', { headers, data: { name: NAME, method: 'fifo' } })).status()).toBe(201);
  const csv = [
    'date,type,symbol,quantity,price,fees,amount',
    '2017-01-03,DEPOSIT,,,,,20000',
    '2017-01-04,BUY,AAPL,10,116.15,0,',
    '2017-02-01,BUY,AAPL,10,128.75,0,',
    '2017-03-01,BUY,MSFT,20,64.94,0,',
  ].join('\n') + '\n';
  expect((await request.post(`/api/v1/accounts/${NAME}/transactions`, { headers, data: { csv } })).ok()).toBe(true);

  await signIn(page, 'manager');
  await page.goto('/ledger');
  const form = page.getByRole('form', { name: 'Risk of these holdings' });
  await form.getByLabel('Account').selectOption(NAME);
  await form.getByLabel('into portfolio').fill(NAME);
  await axe(page, 'ledger holdings to portfolio');
  await form.getByRole('button', { name: 'Make the portfolio' }).click();
  await expect(page).toHaveURL(new RegExp(`/portfolios/${NAME}$`));
  await expect(page.getByRole('heading', { level: 1, name: NAME })).toBeVisible();

  const view = await (await request.get(`/api/v1/portfolios/${NAME}`, { headers })).json();
  const rows = view.positions.map((p: { symbol: string; type: string; quantity: number; entry_price?: number; entry_date?: string }) =>
    [p.symbol, p.type, p.quantity, p.entry_price ?? null, p.entry_date ?? null]);
  expect(rows).toEqual([
    ['AAPL', 'stock', 20, 122.45, '2017-01-04'],
    ['MSFT', 'stock', 20, 64.94, '2017-03-01'],
    ['USD', 'cash', 16252.2, null, null],
  ]);
  // Leave no account behind: the ledger page's charts of later specs show every account.
  expect((await request.delete(`/api/v1/accounts/${NAME}`, { headers })).ok()).toBe(true);
  expect((await request.delete(`/api/v1/portfolios/${NAME}`, { headers })).ok()).toBe(true);
});

test('ledger: a viewer is not offered the holdings-to-portfolio form', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/ledger');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Risk of these holdings' })).toHaveCount(0);
});
