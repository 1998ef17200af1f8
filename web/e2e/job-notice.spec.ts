// Job notices (src/app/jobNotices.ts): a VaR run as a background job from the dashboard ends while
// its user is on another page; the header there says so, in the job kind's words, in a polite live
// region, with a link to the job's page (which shows it succeeded) and a dismiss button. Jobs the
// user starts through the API are announced as well, the newest three at most.
import { test, expect, type APIRequestContext } from '@playwright/test';
import { axe, signIn, token } from './helpers';

async function ended(request: APIRequestContext, headers: Record<string, string>, id: number) {
  await expect
    .poll(async () => (await (await request.get(`/api/v1/jobs/${id}`, { headers })).json()).status, { timeout: 60_000, intervals: [250] })
    .toBe('succeeded');
}

test("job notice: a VaR job's end shows on another page, links to the job and is dismissed", async ({ page }) => {
  const stream = page.waitForRequest((r) => r.url().endsWith('/api/v1/events'));
  await signIn(page, 'analyst');
  await page.goto('/portfolios/balanced?tab=var&method=montecarlo&paths=20000');
  await stream;
  await expect(page.getByTestId('job-notice')).toHaveCount(0);
  // Wait until the server holds the stream before the job is started.
  await page.waitForTimeout(500);
  await page.getByRole('button', { name: 'Run as a background job' }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  // Somewhere else in the app (navigation within the page: the stream stays open).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'FX rates' }).click();
  await expect(page).toHaveURL(/\/fx$/);

  const notice = page.locator(`[data-testid=job-notice][data-job="${id}"]`);
  await expect(notice).toHaveText(`VaR job ${id} finished×`, { timeout: 60_000 });
  await expect(notice).toHaveAttribute('data-status', 'succeeded');
  // Inside the header's polite live region.
  await expect(page.locator('header [aria-live=polite]').getByTestId('job-notice')).toHaveCount(1);
  await axe(page, 'job notice');
  await notice.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}$`));
  await expect(page.getByTestId('job-status')).toHaveText('succeeded');
  await notice.getByRole('button', { name: `Dismiss the notice of job ${id}` }).click();
  await expect(page.getByTestId('job-notice')).toHaveCount(0);
});

test('job notices: jobs started through the API by the same user, the newest three shown', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const stream = page.waitForRequest((r) => r.url().endsWith('/api/v1/events'));
  await signIn(page, 'analyst');
  await page.goto('/jobs');
  await stream;
  await page.waitForTimeout(500);
  const ids: number[] = [];
  for (let i = 0; i < 4; i++) {
    const started = await request.post('/api/v1/jobs', { headers, data: { kind: 'risk.var', request: { portfolio: 'balanced', options: { method: 'parametric' } } } });
    expect(started.status(), await started.text()).toBe(202);
    const id = ((await started.json()) as { id: number }).id;
    ids.push(id);
    // One at a time, so the order they end in is known.
    await ended(request, headers, id);
    await expect(page.locator(`[data-testid=job-notice][data-job="${id}"]`)).toBeVisible({ timeout: 15_000 });
  }
  // The jobs list was read again: the last job is in it without a reload.
  await expect(page.getByRole('table', { name: 'Jobs' }).getByRole('link', { name: String(ids[3]), exact: true })).toBeVisible();
  const notices = page.getByTestId('job-notice');
  await expect(notices).toHaveCount(3);
  await expect(notices).toHaveText(ids.slice(1).reverse().map((id) => `VaR job ${id} finished×`));
});
