// Import notices (src/app/jobNotices.ts): an import that stored its rows with warnings sends
// `import.warnings` to the importer's streams; wherever the importer is in the app, the header's
// polite live region shows "Import of positions into … stored with 1 warning", the warnings as
// plain text behind a disclosure and a link to the portfolio. Here the analyst, signed in on the FX
// page, imports a positions file without a last line ending through the API into a book the spec
// makes (a new name each run, deleted at the end).
import { test, expect } from '@playwright/test';
import { axe, deleteBook, signIn, token } from './helpers';

const BOOK = `import-notice-${Date.now()}`;
const TRUNCATED = 'the last line has no line ending';

test.afterAll(async ({ request }) => {
  await deleteBook(request, BOOK);
});

test('import notice: positions imported through the API with a warning show on the page the importer is on', async ({ page, request }) => {
  const manager = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const created = await request.post('/api/v1/portfolios', { headers: manager, data: { name: BOOK } });
  expect(created.status(), await created.text()).toBe(201);

  const stream = page.waitForRequest((r) => r.url().endsWith('/api/v1/events'));
  await signIn(page, 'analyst');
  await page.goto('/fx');
  await stream;
  await expect(page.getByTestId('import-notice')).toHaveCount(0);
  // Wait until the server holds the stream before importing.
  await page.waitForTimeout(500);

  const analyst = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const imported = await request.post(`/api/v1/portfolios/${BOOK}/positions`, { headers: { ...analyst, 'Content-Type': 'text/csv' }, data: 'symbol,quantity\nAAPL,1' });
  expect(imported.status(), await imported.text()).toBe(200);

  const notice = page.locator('header [aria-live=polite]').getByTestId('import-notice');
  await expect(notice).toHaveCount(1, { timeout: 15_000 });
  await expect(notice).toHaveAttribute('data-count', '1');
  const summary = notice.locator('summary');
  await expect(summary).toHaveText(`Import of positions into ${BOOK} stored with 1 warning`);
  // The disclosure: closed until opened, then the warning as text and the link to the portfolio.
  const warnings = notice.getByRole('list', { name: "The import's warnings" });
  await expect(warnings).toBeHidden();
  await summary.click();
  await expect(warnings.getByRole('listitem')).toHaveCount(1);
  await expect(warnings.getByRole('listitem')).toContainText(TRUNCATED);
  await expect(page).toHaveURL(/\/fx$/);
  await axe(page, 'import notice');
  await notice.getByRole('link', { name: `Open portfolio ${BOOK}` }).click();
  await expect(page).toHaveURL(new RegExp(`/portfolios/${BOOK}$`));
  await notice.getByRole('button', { name: 'Dismiss the notice of the import' }).click();
  await expect(page.getByTestId('import-notice')).toHaveCount(0);
});
