// The Ask panel against keel serve and a loopback model (e2e/fake-llm.mjs): the analyst's answer
// streams in with each figure marked and linked to the tool call that produced it, and the figures
// are the VaR and ES the API computes for the same request; the call's arguments and output open
// from the citation; the conversation is kept and listed. The viewer's assistant is refused the
// computation and says so.
import { test, expect } from '@playwright/test';
import { axe, shot, signIn, token } from './helpers';

const two = (x: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.abs(x));

test('analyst: the answer cites each figure with the tool call that produced it', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const v = await (await request.post('/api/v1/portfolios/hnw/risk/var', { headers: auth, data: { method: 'historical', confidence: 0.99 } })).json();
  const varText = two(v.results[0].var);
  const esText = two(v.results[0].es);
  await signIn(page, 'analyst');
  await page.getByRole('link', { name: 'Ask' }).click();
  await expect(page.getByRole('heading', { name: 'Ask' })).toBeVisible();
  await page.getByLabel('Question').fill('Why is my VaR higher than last week?');
  await page.getByLabel('Portfolio').selectOption('hnw');
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  const answer = page.getByTestId('answer').last();
  await expect(answer).toContainText(`The 1-day 99% historical VaR of hnw is ${varText}`, { timeout: 30_000 });
  await expect(answer).toContainText(`expected shortfall ${esText}`);
  // Each figure is marked with its call and the JSON path of the value in the call's output.
  const varMark = answer.locator('mark.figure', { hasText: varText });
  await expect(varMark).toHaveAttribute('data-call', 'T1');
  await expect(varMark).toHaveAttribute('data-path', '/results/0/var');
  await expect(answer.locator('mark.figure', { hasText: esText })).toHaveAttribute('data-path', '/results/0/es');
  // The citation opens the call: risk_var on hnw, its output holding the figure.
  await answer.getByRole('link', { name: 'T1' }).first().click();
  const call = page.locator('details#call-T1');
  await expect(call).toHaveAttribute('open', '');
  await expect(call).toContainText('risk_var');
  await expect(call).toContainText('"portfolio": "hnw"');
  await expect(call.locator('pre.output')).toContainText(String(v.results[0].var));
  await expect(page.getByTestId('usage')).toContainText('fake-gpt');
  await axe(page, 'ask');
  await shot(page, 'ask');
  // The conversation is kept: listed, and opened again from the list it shows the same answer.
  await expect(page).toHaveURL(/\/ask\/\d+$/);
  const id = Number(/\/ask\/(\d+)$/.exec(page.url())![1]);
  const convo = await (await request.get(`/api/v1/assistant/conversations/${id}`, { headers: auth })).json();
  expect(convo.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  expect(convo.exchanges.length).toBe(2);
  await page.goto('/portfolios');
  await page.goto(`/ask/${id}`);
  await expect(page.getByTestId('transcript').getByTestId('answer')).toContainText(varText);
});

test('viewer: the assistant may not compute, and says so', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/ask');
  await page.getByLabel('Question').fill('What is the VaR of hnw?');
  await page.getByLabel('Portfolio').selectOption('hnw');
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(page.getByTestId('answer').last()).toContainText('I may not compute that for you', { timeout: 30_000 });
  await expect(page.locator('details#call-T1')).toHaveAttribute('data-status', 'denied');
  await axe(page, 'ask (viewer)');
});
