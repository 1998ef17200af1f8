// The investor's day in the browser against a real keel serve whose market-data provider is the
// loopback Yahoo of e2e/fake-yahoo.mjs: a manager creates an account, imports a broker's OFX
// investment statement (written here, in the shape Fidelity and Vanguard download: SGML, CURDEF
// USD, BUYSTOCK / SELLSTOCK / INCOME rows, a SECLIST naming the CUSIPs' tickers) through the import
// tab, refreshes the holdings' prices (a prices.fetch job followed to its end), corrects a buy's
// price on the activities tab and sees the realized gains move to the API's new figures, and
// exports the transactions (the download is the API's file). The second spec covers the
// activities' add, edit and delete with their refusals, the JSON export and the refresh on an
// account seeded through the API; the third, a viewer's pages, filters and export, and no change.
// The tickers KLQA and KLQB are made up: no other spec prices them. Each spec starts from no
// account of its own, so CI's retry on the same server starts afresh.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { closeOn, LAST } from './fake-yahoo.mjs';
import { axe, signIn, token } from './helpers';

const c2 = (x: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
// A total with its currency, to the cent, as the holdings' KPIs show it ("USD 1,082.52").
const m2 = (x: number, currency: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
// The statement's year: the e2e store's prices end on 2017-12-06 (LAST), the fake vendor's too.
const Y = 2017;

type Trade = { kind: 'BUYSTOCK' | 'SELLSTOCK'; id: string; date: string; cusip: string; units: number; price: number; commission: number };
const CUSIP = { KLQA: '99999A101', KLQB: '99999B202' };

// An OFX 1.02 (SGML) investment statement: leaves without end tags, as brokers write it.
function statement(): string {
  const trades: Trade[] = [
    { kind: 'BUYSTOCK', id: 'B1', date: `${Y}0303`, cusip: CUSIP.KLQA, units: 100, price: 120, commission: 1 },
    { kind: 'BUYSTOCK', id: 'B2', date: `${Y}0304`, cusip: CUSIP.KLQB, units: 200, price: 30, commission: 0 },
    { kind: 'SELLSTOCK', id: 'S1', date: `${Y}0915`, cusip: CUSIP.KLQA, units: -40, price: 140, commission: 1 },
    { kind: 'BUYSTOCK', id: 'B3', date: `${Y}1020`, cusip: CUSIP.KLQB, units: 50, price: 32.5, commission: 0.5 },
  ];
  const trade = (t: Trade) => {
    const aggregate = t.kind === 'BUYSTOCK' ? 'INVBUY' : 'INVSELL';
    const total = t.kind === 'BUYSTOCK' ? -(t.units * t.price + t.commission) : -t.units * t.price - t.commission;
    return `<${t.kind}>
<${aggregate}>
<INVTRAN>
<FITID>${t.id}
<DTTRADE>${t.date}
</INVTRAN>
<SECID>
<UNIQUEID>${t.cusip}
<UNIQUEIDTYPE>CUSIP
</SECID>
<UNITS>${t.units}
<UNITPRICE>${t.price.toFixed(2)}
<COMMISSION>${t.commission.toFixed(2)}
<TOTAL>${total.toFixed(2)}
<SUBACCTSEC>CASH
<SUBACCTFUND>CASH
</${aggregate}>
<${t.kind === 'BUYSTOCK' ? 'BUYTYPE>BUY' : 'SELLTYPE>SELL'}
</${t.kind}>`;
  };
  const security = (ticker: 'KLQA' | 'KLQB', name: string) => `<STOCKINFO>
<SECINFO>
<SECID>
<UNIQUEID>${CUSIP[ticker]}
<UNIQUEIDTYPE>CUSIP
</SECID>
<SECNAME>${name}
<TICKER>${ticker}
</SECINFO>
</STOCKINFO>`;
  return `OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<SIGNONMSGSRSV1>
<SONRS>
<STATUS>
<CODE>0
<SEVERITY>INFO
</STATUS>
<DTSERVER>${Y}1201120000.000[-5:EST]
<LANGUAGE>ENG
</SONRS>
</SIGNONMSGSRSV1>
<INVSTMTMSGSRSV1>
<INVSTMTTRNRS>
<TRNUID>1
<STATUS>
<CODE>0
<SEVERITY>INFO
</STATUS>
<INVSTMTRS>
<DTASOF>${Y}1201160000.000[-5:EST]
<CURDEF>USD
<INVACCTFROM>
<BROKERID>fidelity.com
<ACCTID>Z12345678
</INVACCTFROM>
<INVTRANLIST>
<DTSTART>${Y}0101
<DTEND>${Y}1201
<INVBANKTRAN>
<STMTTRN>
<TRNTYPE>CREDIT
<DTPOSTED>${Y}0102
<TRNAMT>25000.00
<FITID>D1
<NAME>ACH DEPOSIT
</STMTTRN>
<SUBACCTFUND>CASH
</INVBANKTRAN>
${trade(trades[0]!)}
${trade(trades[1]!)}
<INCOME>
<INVTRAN>
<FITID>I1
<DTTRADE>${Y}0616
</INVTRAN>
<SECID>
<UNIQUEID>${CUSIP.KLQA}
<UNIQUEIDTYPE>CUSIP
</SECID>
<INCOMETYPE>DIV
<TOTAL>50.00
<SUBACCTSEC>CASH
<SUBACCTFUND>CASH
</INCOME>
${trade(trades[2]!)}
${trade(trades[3]!)}
</INVTRANLIST>
</INVSTMTRS>
</INVSTMTTRNRS>
</INVSTMTMSGSRSV1>
<SECLISTMSGSRSV1>
<SECLIST>
${security('KLQA', 'KLQ ALPHA INC')}
${security('KLQB', 'KLQ BETA CORP')}
</SECLIST>
</SECLISTMSGSRSV1>
</OFX>
`;
}

type Row = { number: number; date: string; type: string; symbol: string; quantity: string; price: string; amount?: string };

async function api(request: APIRequestContext, user = 'manager') {
  const headers = { Authorization: `Bearer ${await token(request, user)}` };
  return {
    headers,
    get: async (path: string) => (await request.get(path, { headers })).json(),
    text: async (path: string) => (await request.get(path, { headers })).text(),
  };
}

// A fresh account holding the statement, made through the API.
async function seed(request: APIRequestContext, name: string) {
  const { headers } = await api(request);
  await request.delete(`/api/v1/accounts/${name}`, { headers });
  expect((await request.post('/api/v1/accounts', { headers, data: { name } })).status()).toBe(201);
  const r = await request.post(`/api/v1/accounts/${name}/transactions`, { headers, data: { csv: statement() } });
  expect(r.status()).toBe(200);
}

// The holdings table's cells of a symbol's row: price and price date against the API's holdings.
async function expectHoldingsPrices(page: Page, h: { positions: { symbol: string; price: number | null; price_date: string | null }[] }) {
  const table = page.getByRole('region', { name: 'Holdings', exact: true });
  for (const p of h.positions) {
    const cells = table.locator('tr', { has: page.getByRole('cell', { name: p.symbol, exact: true }) }).locator('td');
    await expect(cells.nth(4)).toHaveText(c2(p.price!));
    await expect(cells.nth(5)).toHaveText(p.price_date!);
  }
}

test('investor day: an OFX statement imported, prices refreshed, a buy corrected, gains moved and the transactions exported', async ({ page, request }) => {
  const ACCOUNT = 'investor-day';
  const a = await api(request);
  // A retry starts from no account: the first attempt may have created and filled it.
  await request.delete(`/api/v1/accounts/${ACCOUNT}`, { headers: a.headers });
  await signIn(page, 'manager');
  await page.goto('/ledger');
  await page.getByRole('textbox', { name: 'New account' }).fill(ACCOUNT);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/ledger/${ACCOUNT}\\?tab=import$`));

  // The statement through the import tab: keel tells OFX from its content; six rows.
  await page.getByLabel('Transactions file', { exact: true }).setInputFiles({ name: 'Fidelity_Z12345678.ofx', mimeType: 'application/x-ofx', buffer: Buffer.from(statement()) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-result')).toContainText('Imported 6 new rows');
  const tx = await a.get(`/api/v1/accounts/${ACCOUNT}/transactions`);
  expect(tx.total).toBe(6);
  expect(tx.items.map((r: Row) => `${r.type} ${r.symbol}`)).toEqual(['DEPOSIT ', 'BUY KLQA', 'BUY KLQB', 'DIVIDEND KLQA', 'SELL KLQA', 'BUY KLQB']);

  // Holdings: KLQB's last stored close is weeks old, and the tab says so as the API does (unless
  // a first attempt refreshed it); Refresh prices fetches the missing sessions from the server's
  // provider (a job).
  await page.getByRole('tab', { name: 'Holdings' }).click();
  const stale = await a.get(`/api/v1/accounts/${ACCOUNT}/holdings`);
  const klqb = stale.positions.find((p: { symbol: string }) => p.symbol === 'KLQB');
  if (klqb.price_date !== LAST) expect(stale.warnings.join(' ')).toContain(`KLQB: valued at its close of ${klqb.price_date}`);
  await expect(page.locator('[data-kpi=net_worth] .kpi-value')).toHaveText(m2(stale.totals.net_worth, stale.currency));
  for (const w of stale.warnings as string[]) await expect(page.getByTestId('holdings-warnings')).toContainText(w);
  await page.getByRole('button', { name: 'Refresh prices' }).click();
  const summary = page.getByTestId('prices-summary');
  await expect(summary).toContainText('0 failed', { timeout: 30_000 });
  for (const s of ['KLQA', 'KLQB']) {
    // fetched, or up to date when a retry finds them stored already.
    await expect(summary.locator(`tr[data-symbol=${s}] [data-field=status]`)).toHaveAttribute('data-status', /^(fetched|up_to_date)$/);
  }
  const h = await a.get(`/api/v1/accounts/${ACCOUNT}/holdings`);
  expect(h.unpriced).toEqual([]);
  expect(h.warnings).toEqual([]);
  for (const p of h.positions) expect([p.price_date, p.price]).toEqual([LAST, closeOn(p.symbol, LAST)]);
  await expectHoldingsPrices(page, h);
  await expect(page.getByTestId('holdings-warnings')).toHaveCount(0);
  await expect(page.locator('[data-kpi=net_worth] .kpi-value')).toHaveText(m2(h.totals.net_worth, h.currency));

  // Activities: the buy of KLQA was at 120 in the statement; it was 110. Its amount follows.
  const before = await a.get(`/api/v1/accounts/${ACCOUNT}/gains?year=${Y}`);
  await page.getByRole('tab', { name: 'Activities' }).click();
  await expect(page).toHaveURL(/tab=transactions/);
  await expect(page.getByTestId('activities-page')).toHaveText('Rows 1–6 of 6');
  await page.getByRole('combobox', { name: 'Type', exact: true }).selectOption('BUY');
  await page.getByRole('textbox', { name: 'Symbol', exact: true }).fill('klqa');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(page).toHaveURL(/type=BUY/);
  await expect(page).toHaveURL(/symbol=KLQA/);
  const buys = await a.get(`/api/v1/accounts/${ACCOUNT}/transactions?type=BUY&symbol=KLQA`);
  expect(buys.total).toBe(1);
  const buy: Row = buys.items[0];
  await expect(page.getByTestId('activities-page')).toHaveText('Rows 1–1 of 1');
  const row = page.locator(`tr[data-number="${buy.number}"]`);
  await expect(row.locator('[data-field=price]')).toHaveText('120.00');
  await row.getByRole('button', { name: `Edit transaction ${buy.number}` }).click();
  const form = page.getByRole('form', { name: `Transaction ${buy.number}` });
  await expect(form.getByLabel('Price')).toHaveValue('120');
  await form.getByLabel('Price').fill('110');
  await expect(form.getByLabel('Amount')).toHaveValue('11001');
  await axe(page, 'ledger activities, a row edited');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('activities-notice')).toContainText(`Transaction ${buy.number} saved`);
  const change = page.getByTestId('activities-change');
  await expect(change.locator('tr[data-field=price] [data-side=before]')).toHaveText('120');
  await expect(change.locator('tr[data-field=price] [data-side=after]')).toHaveText('110');
  await expect(change.locator('tr[data-field=amount] [data-side=after]')).toHaveText('11001');
  await expect(row.locator('[data-field=price]')).toHaveText('110.00');

  // The gains of the year: the sale's cost is now 40 × 110.01; the page shows the API's new totals.
  const after = await a.get(`/api/v1/accounts/${ACCOUNT}/gains?year=${Y}`);
  expect(after.totals.total).toBeCloseTo(before.totals.total + 400, 6);
  await page.getByRole('tab', { name: 'Realized gains' }).click();
  await page.getByLabel('Tax year').selectOption(String(Y));
  await expect(page.locator('[data-kpi=total] .kpi-value')).toHaveText(c2(after.totals.total));
  await expect(page.locator('[data-kpi=short] .kpi-value')).toHaveText(c2(after.totals.short));
  await expect(page.locator('[data-kpi=proceeds] .kpi-value')).toHaveText(c2(after.totals.proceeds));

  // The export: the CSV download is the API's file, byte for byte.
  await page.getByRole('tab', { name: 'Activities' }).click();
  const want = await a.text(`/api/v1/accounts/${ACCOUNT}/export/transactions`);
  expect(want).toContain(`${Y}-03-03,BUY,KLQA,100,110,${ACCOUNT},1,11001`);
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(file.suggestedFilename()).toBe(`${ACCOUNT}_transactions.csv`);
  expect(readFileSync((await file.path())!, 'utf8')).toBe(want);
  await request.delete(`/api/v1/accounts/${ACCOUNT}`, { headers: a.headers });
});

test('activities: refusals shown by their field, a row added, corrected and deleted, the JSON export; prices refreshed', async ({ page, request }) => {
  const ACCOUNT = 'activities';
  await seed(request, ACCOUNT);
  const a = await api(request);
  await signIn(page, 'manager');

  // Refresh prices on the holdings tab: the job followed to its summary, the table the API's.
  await page.goto(`/ledger/${ACCOUNT}?tab=holdings`);
  await page.getByRole('button', { name: 'Refresh prices' }).click();
  await expect(page.getByTestId('prices-summary')).toContainText('0 failed', { timeout: 30_000 });
  await expectHoldingsPrices(page, await a.get(`/api/v1/accounts/${ACCOUNT}/holdings`));
  await axe(page, 'ledger holdings after a price refresh');

  await page.getByRole('tab', { name: 'Activities' }).click();
  await expect(page.getByTestId('activities-page')).toHaveText('Rows 1–6 of 6');
  // Add: a quantity that is not a number is named by the server next to its field, the form stays.
  await page.getByRole('button', { name: 'Add a transaction' }).click();
  const add = page.getByRole('form', { name: 'A new transaction' });
  await add.getByLabel('Date').fill(`${Y}-11-03`);
  await add.getByLabel('Type').selectOption('SELL');
  await add.getByLabel('Symbol').fill('KLQB');
  await add.getByLabel('Quantity').fill('ten');
  await add.getByLabel('Price').fill('35');
  await add.getByLabel('Note').fill('sold, "half"');
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(add.getByTestId('problem-quantity')).toContainText("'ten' is not a decimal number");
  await expect(add.getByLabel('Quantity')).toHaveAttribute('aria-invalid', 'true');
  await axe(page, 'ledger activities, a refused row');
  // A sale of more than is held: the booking's refusal in words.
  await add.getByLabel('Quantity').fill('1000');
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(add.getByTestId('tx-error')).toContainText('sale of 1000 shares but only 250 held');
  // The sale of 100: added (the note's comma and quotes travel quoted in the one-row CSV).
  await add.getByLabel('Quantity').fill('100');
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('activities-notice')).toHaveText('Transaction added; the account holds 7 rows.');
  await expect(add).toHaveCount(0);
  const all = await a.get(`/api/v1/accounts/${ACCOUNT}/transactions`);
  const added: Row & { note: string } = all.items.at(-1);
  expect(added).toMatchObject({ number: 7, date: `${Y}-11-03`, type: 'SELL', symbol: 'KLQB', quantity: '100', price: '35', note: 'sold, "half"' });
  await expect(page.locator('tr[data-number="7"] [data-field=note]')).toHaveText('sold, "half"');

  // An edit the server refuses keeps the form open with the problem at its field.
  await page.getByRole('button', { name: 'Edit transaction 7' }).click();
  const edit = page.getByRole('form', { name: 'Transaction 7' });
  await edit.getByLabel('Price').fill('3x');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByTestId('problem-price')).toContainText('price: expected a non-negative decimal number');
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await expect(edit).toHaveCount(0);
  // A correction it accepts: the row before and after, as the server answers.
  await page.getByRole('button', { name: 'Edit transaction 7' }).click();
  await edit.getByLabel('Price').fill('36.25');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('activities-notice')).toHaveText('Transaction 7 saved; the account was booked again with it.');
  await expect(page.getByTestId('activities-change').locator('tr[data-field=price] [data-side=after]')).toHaveText('36.25');
  await expect(page.locator('tr[data-number="7"] [data-field=price]')).toHaveText('36.25');
  expect((await a.get(`/api/v1/accounts/${ACCOUNT}/transactions?type=SELL&symbol=KLQB`)).items[0].price).toBe('36.25');

  // Delete: declined, nothing happens; accepted, the row is gone and the account booked again.
  page.once('dialog', (d) => void d.dismiss());
  await page.getByRole('button', { name: 'Delete transaction 7' }).click();
  await expect(page.locator('tr[data-number="7"]')).toHaveCount(1);
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); void d.accept(); });
  await page.getByRole('button', { name: 'Delete transaction 7' }).click();
  await expect(page.getByTestId('activities-notice')).toHaveText(`Transaction 7 (${Y}-11-03 SELL KLQB) deleted; the account holds 6 rows.`);
  expect(asked).toBe(`Delete transaction 7 (${Y}-11-03 sell KLQB)? The account is booked again without it.`);
  await expect(page.locator('tr[data-number="7"]')).toHaveCount(0);
  expect((await a.get(`/api/v1/accounts/${ACCOUNT}`)).transactions).toBe(6);
  await expect(page.getByTestId('account-summary')).toContainText('6 transactions');

  // The JSON export is the API's file.
  const want = await a.text(`/api/v1/accounts/${ACCOUNT}/export/transactions?format=json`);
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  expect(file.suggestedFilename()).toBe(`${ACCOUNT}_transactions.json`);
  // The same document, but for the time it was made at (a JSON export's meta.exported_at).
  const withoutTime = (text: string) => {
    const doc = JSON.parse(text) as { meta?: { exported_at?: string } };
    delete doc.meta?.exported_at;
    return doc;
  };
  expect(withoutTime(readFileSync((await file.path())!, 'utf8'))).toEqual(withoutTime(want));
  await request.delete(`/api/v1/accounts/${ACCOUNT}`, { headers: a.headers });
});

test('activities: a viewer pages, filters and exports the transactions, and changes nothing', async ({ page, request }) => {
  const ACCOUNT = 'activities-read';
  await seed(request, ACCOUNT);
  const v = await api(request, 'viewer');
  await signIn(page, 'viewer');
  // Pages of four (the URL's limit): the API's rows, page by page.
  await page.goto(`/ledger/${ACCOUNT}?tab=transactions&limit=4`);
  const numbers = (p: { items: Row[] }) => p.items.map((r) => String(r.number));
  const p1 = await v.get(`/api/v1/accounts/${ACCOUNT}/transactions?limit=4`);
  const p2 = await v.get(`/api/v1/accounts/${ACCOUNT}/transactions?limit=4&cursor=${encodeURIComponent(p1.next_cursor)}`);
  const shown = page.getByTestId('activities').locator('tbody tr[data-number]');
  await expect(page.getByTestId('activities-page')).toHaveText('Rows 1–4 of 6');
  await expect(shown).toHaveCount(4);
  expect(await shown.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-number')))).toEqual(numbers(p1));
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByTestId('activities-page')).toHaveText('Rows 5–6 of 6');
  await expect(shown).toHaveCount(2);
  expect(await shown.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-number')))).toEqual(numbers(p2));
  await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(page.getByTestId('activities-page')).toHaveText('Rows 1–4 of 6');

  // A range of dates from the URL: the API's rows of that range.
  await page.goto(`/ledger/${ACCOUNT}?tab=transactions&from=${Y}-06-01&to=${Y}-09-30`);
  const summer = await v.get(`/api/v1/accounts/${ACCOUNT}/transactions?from=${Y}-06-01&to=${Y}-09-30`);
  expect(summer.items.map((r: Row) => r.type)).toEqual(['DIVIDEND', 'SELL']);
  await expect(page.getByTestId('activities-page')).toHaveText('Rows 1–2 of 2');
  await expect(page.getByRole('textbox', { name: 'From' })).toHaveValue(`${Y}-06-01`);
  await page.getByRole('button', { name: 'Clear the filters' }).click();
  await expect(page.getByTestId('activities-page')).toHaveText('Rows 1–6 of 6');

  // A type from the URL; the list is read only.
  await page.goto(`/ledger/${ACCOUNT}?tab=transactions&type=BUY`);
  await expect(page.getByTestId('activities-page')).toHaveText('Rows 1–3 of 3');
  await expect(page.getByTestId('activities-read-only')).toBeVisible();
  for (const name of [/^Edit transaction/, /^Delete transaction/, 'Add a transaction']) await expect(page.getByRole('button', { name })).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: 'Actions' })).toHaveCount(0);
  const want = await v.text(`/api/v1/accounts/${ACCOUNT}/export/transactions`);
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(readFileSync((await file.path())!, 'utf8')).toBe(want);
  await axe(page, 'ledger activities, read only');
  // No price refresh for a role that may not compute; the server refuses both changes.
  await page.getByRole('tab', { name: 'Holdings' }).click();
  await expect(page.getByTestId('holdings-kpis')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Refresh prices' })).toHaveCount(0);
  expect((await request.put(`/api/v1/accounts/${ACCOUNT}/transactions/2`, { headers: v.headers, data: { price: '1' } })).status()).toBe(403);
  expect((await request.post('/api/v1/prices/fetch', { headers: v.headers, data: { account: ACCOUNT } })).status()).toBe(403);
  await request.delete(`/api/v1/accounts/${ACCOUNT}`, { headers: (await api(request)).headers });
});
