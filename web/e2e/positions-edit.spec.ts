// The positions editor (/portfolios/NAME/positions): a manager creates a portfolio in the browser
// and lands in its editor, types stocks and an OCC option with the keyboard (a mistyped OCC symbol
// named as typed), saves, and finds exactly that in GET …/positions; edits a quantity and removes a
// row, saves, and checks again. A row the server refuses shows the server's message by its row and
// cell, and nothing is stored. Leaving with unsaved changes asks. A viewer sees the grid read-only.
// At 390 px the page keeps to the screen and the grid scrolls in its box. A book of 5,000 positions
// renders only the rows in view.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { axe, shot, signIn, token } from './helpers';

interface Stored {
  symbol: string;
  quantity: number;
  type: string;
  [k: string]: unknown;
}

async function stored(request: APIRequestContext, user: string, portfolio: string): Promise<Stored[]> {
  const auth = { Authorization: `Bearer ${await token(request, user)}` };
  const r = await request.get(`/api/v1/portfolios/${encodeURIComponent(portfolio)}/positions`, { headers: auth });
  expect(r.status()).toBe(200);
  return ((await r.json()) as { items: Stored[] }).items;
}

const cell = (page: Page, row: number, field: string) => page.locator(`table.grid tr[data-row="${row}"] td[data-field="${field}"]`);

test('manager: create a portfolio, type stocks and an option, save; edit a quantity, remove a row, save', async ({ page, request }) => {
  const name = 'Book <b>1</b>';
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'manager');
  // Sign-in lands on the overview; portfolios are created on their list.
  await page.goto('/portfolios');
  await page.getByLabel('New portfolio').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  // The new portfolio opens in its positions editor, its name as text.
  await expect(page).toHaveURL(/\/positions$/);
  expect(new URL(page.url()).pathname).toBe(`/portfolios/${encodeURIComponent(name)}/positions`);
  await expect(page.getByRole('heading', { level: 1, name: `Positions of ${name}`, exact: true })).toBeVisible();
  await expect(page).toHaveTitle(`${name} (positions) · keel`);
  const grid = page.getByRole('table', { name: `Positions of ${name}` });
  await expect(grid.locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('unsaved')).toHaveText('No unsaved changes');

  // Row 1 with the mouse; symbols become upper case as typed; the cost carries its currency.
  await page.getByLabel('Symbol, row 1', { exact: true }).fill('aapl');
  await expect(page.getByLabel('Symbol, row 1', { exact: true })).toHaveValue('AAPL');
  await page.getByLabel('Quantity, row 1', { exact: true }).fill('100');
  await page.getByLabel('Cost per unit, row 1', { exact: true }).fill('150.25');
  await expect(cell(page, 1, 'entry_price')).toContainText('USD');
  await page.getByLabel('Tags, row 1', { exact: true }).fill('core; growth');

  // Enter adds a row under the current one and moves there; Tab goes to the next cell.
  await page.getByLabel('Quantity, row 1', { exact: true }).press('Enter');
  await expect(page.getByLabel('Symbol, row 2', { exact: true })).toBeFocused();
  await page.keyboard.type('MSFT');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Quantity, row 2', { exact: true })).toBeFocused();
  await page.keyboard.type('-50');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Symbol, row 3', { exact: true })).toBeFocused();

  // A mistyped OCC symbol (a strike of 7 digits) is named as typed, next to its cell.
  await page.keyboard.type('AAPL  240119C0015000');
  const symbol3 = page.getByLabel('Symbol, row 3', { exact: true });
  await expect(symbol3).toHaveAttribute('aria-invalid', 'true');
  await expect(cell(page, 3, 'symbol').locator('.cell-problem')).toHaveText(
    'not a valid OCC option symbol: the strike must be 8 digits (strike × 1000, e.g. 00150000 for 150), not 7',
  );
  await expect(symbol3).toHaveAccessibleDescription(/strike must be 8 digits/);
  await expect(grid.locator('tr[data-row="3"] td.problems')).toContainText('Symbol: not a valid OCC option symbol');
  await axe(page, 'positions editor');
  // Corrected: the option's terms come from the symbol.
  await symbol3.fill('AAPL  240119C00150000');
  await expect(symbol3).not.toHaveAttribute('aria-invalid', 'true');
  await expect(cell(page, 3, 'underlying')).toHaveText('AAPL');
  await expect(cell(page, 3, 'strike')).toHaveText('USD\u00a0150.00');
  await expect(cell(page, 3, 'expiry')).toHaveText('2024-01-19');
  await expect(cell(page, 3, 'option_type')).toHaveText('call');
  await page.getByLabel('Quantity, row 3', { exact: true }).fill('2');
  await page.getByLabel('Implied volatility, row 3', { exact: true }).fill('0.3');
  await expect(page.getByTestId('unsaved')).toHaveText('3 unsaved changes (3 added)');
  await expect(grid.locator('tr.bad')).toHaveCount(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
  await page.locator('.grid-box').evaluate((el) => el.scrollTo({ left: 0 }));
  await shot(page, 'positions-editor');

  // Leaving with unsaved changes asks; declined, the editor stays with its rows.
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole('link', { name: 'Portfolios' }).click();
  await expect(page).toHaveURL(/\/positions$/);
  expect(asked).toContain('3 unsaved changes');
  await expect(page.getByLabel('Quantity, row 3', { exact: true })).toHaveValue('2');

  await page.getByRole('button', { name: 'Save positions' }).click();
  await expect(page.getByTestId('saved')).toHaveText(`Saved: ${name} holds 3 positions, 1 option among them.`);
  await expect(page.getByTestId('unsaved')).toHaveText('No unsaved changes');
  // What is stored is what was typed (the OCC symbol in its compact form, with its terms).
  expect(await stored(request, 'manager', name)).toMatchObject([
    { symbol: 'AAPL', quantity: 100, type: 'stock', entry_price: 150.25, tags: ['core', 'growth'], currency: 'USD', multiplier: 1 },
    { symbol: 'MSFT', quantity: -50, type: 'stock', currency: 'USD' },
    { symbol: 'AAPL240119C00150000', quantity: 2, type: 'option', underlying: 'AAPL', strike: 150, expiry: '2024-01-19', option_type: 'call', implied_vol: 0.3, multiplier: 100 },
  ]);
  await expect(page.getByLabel('Symbol, row 3', { exact: true })).toHaveValue('AAPL240119C00150000');

  // Edit a quantity and remove a row: counted, then saved.
  await page.getByLabel('Quantity, row 2', { exact: true }).fill('-80');
  await page.getByRole('button', { name: 'Remove row 1' }).click();
  await expect(grid.locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('unsaved')).toHaveText('2 unsaved changes (1 edited, 1 removed)');
  await expect(grid.locator('tr.changed')).toHaveCount(1);
  await page.getByRole('button', { name: 'Save positions' }).click();
  await expect(page.getByTestId('saved')).toHaveText(`Saved: ${name} holds 2 positions, 1 option among them.`);
  const after = await stored(request, 'manager', name);
  expect(after).toHaveLength(2);
  expect(after).toMatchObject([
    { symbol: 'MSFT', quantity: -80, type: 'stock' },
    { symbol: 'AAPL240119C00150000', quantity: 2, type: 'option', strike: 150 },
  ]);

  // Nothing unsaved: leaving does not ask. The list offers the editor.
  await page.getByRole('link', { name: 'Portfolios' }).click();
  const listed = page.getByRole('row', { name });
  await expect(listed.locator('td.num').first()).toHaveText('2');
  await listed.getByRole('button', { name: 'Edit positions' }).click();
  await expect(page.getByLabel('Quantity, row 1', { exact: true })).toHaveValue('-80');
});

test('a row the server refuses: its message by its row and cell, nothing stored', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const manager = { Authorization: `Bearer ${await token(request, 'manager')}` };
  expect((await request.post('/api/v1/portfolios', { headers: manager, data: { name: 'refused-book' } })).status()).toBe(201);
  expect((await request.post('/api/v1/portfolios/refused-book/positions', { headers: auth, data: [{ symbol: 'JPM', quantity: 10 }] })).status()).toBe(200);

  // An analyst may edit positions (import_positions).
  await signIn(page, 'analyst');
  await page.goto('/portfolios/refused-book');
  await page.getByRole('button', { name: 'Edit positions' }).click();
  await expect(page.getByLabel('Symbol, row 1', { exact: true })).toHaveValue('JPM');
  await page.getByRole('button', { name: 'Add a row' }).click();
  await expect(page.getByLabel('Symbol, row 2', { exact: true })).toBeFocused();
  await page.getByLabel('Symbol, row 2', { exact: true }).fill('AAPL  240119P00150000');
  await page.getByLabel('Quantity, row 2', { exact: true }).fill('1');
  // A volatility typed in percent: a number, so nothing to say as typed; keel refuses it.
  await page.getByLabel('Implied volatility, row 2', { exact: true }).fill('25');
  await expect(page.locator('tr.bad')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save positions' }).click();

  await expect(page.getByRole('alert')).toContainText('Error 400');
  const row = page.locator('table.grid tr[data-row="2"]');
  await expect(row).toHaveClass(/bad/);
  await expect(cell(page, 2, 'implied_vol').locator('.cell-problem')).toContainText('is above 500%: give it as a decimal (0.25 = 25%)');
  await expect(page.getByLabel('Implied volatility, row 2', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(row.locator('td.problems')).toContainText('Implied volatility: implied_vol 25 is above 500%');
  await expect(page.locator('table.grid tr[data-row="1"]')).not.toHaveClass(/bad/);
  await expect(page.getByTestId('unsaved')).toHaveText('1 unsaved change (1 added)');
  await axe(page, 'positions editor, a refused row');
  await page.locator('.grid-box').evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await shot(page, 'positions-refused');
  expect(await stored(request, 'analyst', 'refused-book')).toEqual([expect.objectContaining({ symbol: 'JPM', quantity: 10 })]);

  // Corrected, the cell's problem goes; saved, both rows are stored.
  await page.getByLabel('Implied volatility, row 2', { exact: true }).fill('0.25');
  await expect(row).not.toHaveClass(/bad/);
  await page.getByRole('button', { name: 'Save positions' }).click();
  await expect(page.getByTestId('saved')).toContainText('holds 2 positions');
  expect(await stored(request, 'analyst', 'refused-book')).toMatchObject([
    { symbol: 'JPM', quantity: 10 },
    { symbol: 'AAPL240119P00150000', quantity: 1, option_type: 'put', implied_vol: 0.25 },
  ]);

  // Discard puts the rows back as stored.
  await page.getByLabel('Quantity, row 1', { exact: true }).fill('11');
  await expect(page.getByTestId('unsaved')).toHaveText('1 unsaved change (1 edited)');
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByLabel('Quantity, row 1', { exact: true })).toHaveValue('10');
  await expect(page.getByTestId('unsaved')).toHaveText('No unsaved changes');

  // Every row removed: keel keeps no empty portfolio, so there is nothing to save.
  await page.getByRole('button', { name: 'Remove row 1' }).click();
  await page.getByRole('button', { name: 'Remove row 1' }).click();
  await expect(page.getByLabel('Symbol, row 1', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Symbol, row 1', { exact: true })).toBeFocused();
  await expect(page.getByTestId('unsaved')).toHaveText('2 unsaved changes (2 removed)');
  await expect(page.getByTestId('empty-book')).toContainText('delete the portfolio');
  await expect(page.getByRole('button', { name: 'Save positions' })).toBeDisabled();
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByTestId('unsaved')).toHaveText('No unsaved changes');
});

test('viewer: the stored positions, read-only', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/portfolios');
  await expect(page.getByRole('link', { name: 'hnw' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit positions' })).toHaveCount(0);
  await page.goto('/portfolios/hnw');
  await expect(page.getByRole('button', { name: 'Edit positions' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Stored positions' }).click();
  await expect(page).toHaveURL(/\/portfolios\/hnw\/positions$/);
  const grid = page.getByRole('table', { name: 'Positions of hnw' });
  await expect(grid.locator('tbody tr').first()).toBeVisible();
  await expect(page.getByText('Changing them needs the analyst, manager or administrator role.')).toBeVisible();
  await expect(grid.getByRole('textbox')).toHaveCount(0);
  await expect(grid.getByRole('combobox')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save positions' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add a row' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Remove row/ })).toHaveCount(0);
  await axe(page, 'positions, read-only');
});

test('390 px: the page keeps to the screen, the grid scrolls in its box and can be edited', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'manager');
  await page.goto('/portfolios/hnw/positions');
  const box = page.locator('.grid-box');
  await expect(box.locator('tbody tr').first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const { scrollWidth, clientWidth } = await box.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(clientWidth).toBeLessThanOrEqual(390);
  expect(scrollWidth).toBeGreaterThan(clientWidth);
  // A cell far to the right is reached by scrolling the box, and edited.
  const strategy = page.getByLabel('Strategy, row 1', { exact: true });
  await strategy.fill('kept');
  await expect(strategy).toBeInViewport();
  expect(await box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await expect(page.getByTestId('unsaved')).toHaveText('1 unsaved change (1 edited)');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByTestId('unsaved')).toHaveText('No unsaved changes');
});

test('5,000 positions: only the rows in view are in the DOM; a row added at the end is reached and focused', async ({ page }) => {
  await signIn(page, 'manager');
  await page.goto('/portfolios/big/positions');
  await expect(page.getByLabel('Symbol, row 1', { exact: true })).toHaveValue('AAPL');
  expect(await page.locator('table.grid tbody tr[data-key]').count()).toBeLessThan(100);
  await page.getByLabel('Quantity, row 2', { exact: true }).fill('21234');
  await expect(page.getByTestId('unsaved')).toHaveText('1 unsaved change (1 edited)');
  await page.getByRole('button', { name: 'Add a row' }).click();
  await expect(page.getByLabel('Symbol, row 5001', { exact: true })).toBeFocused();
  await page.keyboard.type('ZZZ');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Symbol, row 5002', { exact: true })).toBeFocused();
  await expect(page.getByTestId('unsaved')).toHaveText('2 unsaved changes (1 added, 1 edited)');
  expect(await page.locator('table.grid tbody tr[data-key]').count()).toBeLessThan(100);
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByTestId('unsaved')).toHaveText('No unsaved changes');
});
