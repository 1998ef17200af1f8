// A CLO deal's compliance on determination dates (the deal's Compliance tab): a manager uploads
// the example deal and its ratings through the API, keeps the tests of two dates in the page, and
// sees each date's breaches and alerts as the API kept them, the cushions over time in a chart and
// the tests of the date chosen; a viewer sees the history but no button. The deal is deleted at
// the end.
import { test, expect } from '@playwright/test';
import { axe, signIn, storeExampleDeal, token } from './helpers';

test('CLO compliance: two determination dates kept in the page, as the API keeps them', async ({ page, request, browser }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  const name = `det-${Date.now()}`;
  const id = await storeExampleDeal(request, headers, name);
  try {
    await signIn(page, 'manager');
    await page.goto(`/clo/deals/${id}?tab=compliance`);
    await expect(page.getByText('No determination kept yet')).toBeVisible();
    const form = page.getByTestId('determine');
    for (const date of ['2025-12-31', '2026-03-31']) {
      await form.getByLabel('Determination date').fill(date);
      await form.getByRole('button', { name: 'Test and keep this date' }).click();
      await expect(page.locator(`[data-testid=determinations] tr[data-date="${date}"]`)).toBeVisible({ timeout: 30_000 });
    }
    const kept = await (await request.get(`/api/v1/clo/deals/${id}/determinations`, { headers })).json();
    expect(kept.items).toHaveLength(2);
    for (const d of kept.items) {
      const row = page.locator(`[data-testid=determinations] tr[data-date="${d.as_of}"]`);
      await expect(row.locator('[data-field=breaches]')).toHaveText(String(d.breaches));
      await expect(row.locator('[data-field=alerts]')).toHaveText(String(d.alerts));
    }
    // The last kept date is shown: its breaches in words, its failing tests marked.
    const last = kept.items[1];
    expect(last.breaches).toBeGreaterThan(0);
    await expect(page.getByTestId('determination-events')).toContainText(last.events[0]);
    const failing = last.tests.find((x: { pass: boolean }) => !x.pass);
    await expect(page.locator(`[data-testid=determination-tests] tr[data-test="${failing.name}"]`)).toHaveClass(/bad/);
    await expect(page.locator('.chart canvas')).toHaveCount(1);
    await axe(page, 'clo compliance');

    // A viewer, in another browser, reads the history without the button.
    const context = await browser.newContext();
    const viewer = await context.newPage();
    await signIn(viewer, 'viewer');
    await viewer.goto(`/clo/deals/${id}?tab=compliance`);
    await expect(viewer.locator('[data-testid=determinations] tbody tr')).toHaveCount(2);
    await expect(viewer.getByTestId('determine')).toHaveCount(0);
    await context.close();
  } finally {
    await request.delete(`/api/v1/clo/deals/${id}`, { headers });
  }
});
