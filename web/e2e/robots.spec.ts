// What crawlers and link previews see: /robots.txt is a robots file (not the app's index.html),
// and the page has a description.
import { test, expect } from '@playwright/test';

test('robots.txt is a robots file and the page has a description', async ({ page, request }) => {
  const robots = await request.get('/robots.txt');
  expect(robots.status()).toBe(200);
  expect(robots.headers()['content-type']).toContain('text/plain');
  expect(await robots.text()).toContain('Disallow: /');
  await page.goto('/');
  await expect(page.locator('meta[name=description]')).toHaveAttribute('content', /portfolio risk/);
});
