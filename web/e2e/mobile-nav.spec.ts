// The navigation on a phone (390 × 844): the destinations sit behind a "Menu" button that says
// whether it is open (aria-expanded) and which list it controls; every destination of the admin's
// role is reached through it; choosing one, Escape, tabbing past it and a click outside close it;
// the page never scrolls sideways on any destination (the overview first) nor on a dashboard. axe-core on the open menu.
import { test, expect } from '@playwright/test';
import { axe, expectPageFits, shot, signIn } from './helpers';

test.use({ viewport: { width: 390, height: 844 } });

const destinations: [string, string, string][] = [
  ['Overview', '/', 'Overview'],
  ['Portfolios', '/portfolios', 'Portfolios'],
  ['Jobs', '/jobs', 'Jobs'],
  ['IRRBB', '/alm', 'Bank IRRBB: ALM sessions'],
  ['CLO', '/clo', 'CLO deals'],
  ['Ledger', '/ledger', 'Ledger'],
  ['Plan', '/plan', 'Retirement plan'],
  ['Ask', '/ask', 'Ask'],
  ['Prices', '/prices/import', 'Import prices'],
  ['FX rates', '/fx', 'FX rates'],
  ['Admin', '/admin', 'Administration'],
];

test('phone: the menu reaches every destination of the admin', { tag: '@slow' }, async ({ page }) => {
  await signIn(page, 'admin');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const menu = nav.getByRole('button', { name: 'Menu' });
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  // Closed, the destinations are not shown (nor in the accessibility tree).
  await expect(nav.getByRole('link')).toHaveCount(0);

  const list = page.locator(`#${await menu.getAttribute('aria-controls')}`);
  for (const [label, path, heading] of destinations) {
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(list).toBeVisible();
    // The same list as on a wide screen: all eleven destinations, in order.
    await expect(nav.getByRole('link')).toHaveText(destinations.map(([l]) => l));
    await nav.getByRole('link', { name: label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole('heading', { level: 1, name: heading, exact: true })).toBeVisible();
    await shot(page, `mobile-${path === '/' ? 'overview' : path.slice(1).replace(/\//g, '-')}`);
    // The view fits the screen: no sideways scrolling of the page.
    await expectPageFits(page, label);
    // Choosing a destination closes the menu.
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(list).toBeHidden();
  }

  // The current page is marked in the list.
  await menu.click();
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveAttribute('aria-current', 'page');
  await axe(page, 'open menu');
  await shot(page, 'mobile-menu');

  // Escape closes it and puts focus back on the button.
  await nav.getByRole('link', { name: 'Plan' }).focus();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(list).toBeHidden();
  await expect(menu).toBeFocused();

  // The keyboard alone: Enter opens it, Tab reaches the first destination and the next, Enter
  // follows it.
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'Overview' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'Portfolios' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/portfolios$/);
  await expect(menu).toHaveAttribute('aria-expanded', 'false');

  // Tabbing on past the last destination closes it.
  await menu.click();
  await nav.getByRole('link', { name: 'Admin' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('account')).toBeFocused(); // the header's next control: the user's account
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(list).toBeHidden();

  // A click outside closes it, without following anything.
  await menu.click();
  await expect(list).toBeVisible();
  const panel = await list.boundingBox();
  expect(panel && panel.y + panel.height).toBeLessThan(800);
  await page.mouse.click(195, 800); // below the open panel
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(list).toBeHidden();
  await expect(page).toHaveURL(/\/portfolios$/);
});

test('phone: a manager is not offered Prices', async ({ page }) => {
  await signIn(page, 'manager');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Menu' }).click();
  await expect(nav.getByRole('link')).toHaveText(['Overview', 'Portfolios', 'Jobs', 'IRRBB', 'CLO', 'Ledger', 'Plan', 'Ask', 'FX rates', 'Admin']);
});

test('phone: the portfolios list and a dashboard fit the screen', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/portfolios');
  await expect(page.getByRole('link', { name: 'hnw' })).toBeVisible();
  await expectPageFits(page, 'portfolios');
  await shot(page, 'mobile-portfolios');

  await page.getByRole('link', { name: 'hnw' }).click();
  await expect(page.getByTestId('kpi-strip')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Positions' })).toContainText('AAPL');
  await expectPageFits(page, 'dashboard');
  await shot(page, 'mobile-dashboard');
});

test('wide screen: the destinations are a row of links and no menu button', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await signIn(page, 'admin');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('button', { name: 'Menu' })).toBeHidden();
  await expect(nav.getByRole('link')).toHaveText(destinations.map(([l]) => l));
  const tops = await nav.getByRole('link').evaluateAll((as) => as.map((a) => Math.round(a.getBoundingClientRect().top)));
  expect(new Set(tops).size).toBe(1);
});
