// A bank's download of every account in one OFX file, imported account by account in the browser
// against a real keel serve: the import tab offers the broker account of a statement; with 222
// chosen, the preview and the import hold that statement's row alone (123.00 received), and with an
// id the file does not hold the server's refusal names the ones it does.
import { test, expect } from '@playwright/test';
import { axe, signIn, token } from './helpers';

const NAME = 'statement-accounts-e2e';
const stmt = (id: string, rows: string) =>
  `<STMTTRNRS><TRNUID>0<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>18206<ACCTID>${id}` +
  `<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20170725<DTEND>20170810\n${rows}</BANKTRANLIST></STMTRS></STMTTRNRS>\n`;
const OFX =
  'OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>' +
  '<DTSERVER>20170829<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1>\n' +
  stmt('111', '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20170809<TRNAMT>219.33<FITID>A1<NAME>salaire</STMTTRN>\n' +
              '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20170728<TRNAMT>-123.00<FITID>A2<NAME>Virement A 222</STMTTRN>\n') +
  stmt('222', '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20170728<TRNAMT>123.00<FITID>B1<NAME>Virement 111</STMTTRN>\n') +
  '</BANKMSGSRSV1></OFX>\n';

test('ledger: one statement of a multi-account OFX file is imported into its own account', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'manager')}` };
  await request.delete(`/api/v1/accounts/${NAME}`, { headers });  // a retry starts afresh
  expect((await request.post('/api/v1/accounts', { headers, data: { name: NAME, method: 'fifo', currency: 'EUR' } })).status()).toBe(201);
  await signIn(page, 'manager');
  await page.goto(`/ledger/${NAME}?tab=import`);
  await page.getByLabel('Transactions file', { exact: true }).setInputFiles({ name: 'all.ofx', mimeType: 'application/x-ofx', buffer: Buffer.from(OFX) });
  await page.getByLabel('Broker account').fill('333');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('alert')).toContainText('no statement of broker account 333 (it holds: 111, 222)');
  await page.getByLabel('Broker account').fill('222');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('preview-summary')).toContainText('1 row read: 1 new, 0 already');
  await axe(page, 'ledger import of one statement');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-result')).toContainText(/Imported 1 new rows? into/);
  const account = await (await request.get(`/api/v1/accounts/${NAME}`, { headers })).json();
  expect([account.transactions, account.cash]).toEqual([1, 123]);
  // Leave no account behind: the ledger page's charts of later specs show every account.
  expect((await request.delete(`/api/v1/accounts/${NAME}`, { headers })).ok()).toBe(true);
});
