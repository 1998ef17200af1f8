// ALM balance sheets in a zip (docs/alm.md "Balance sheets in a zip"): the example balance sheet
// split into assets.csv and liabilities.csv in a zip written here (stored entries: local headers,
// the central directory and its end record), with one loan that matured before the as-of date. The
// page sends the archive as base64 (balance_sheet_zip, never as text); with "Leave out matured and
// forward-starting rows" the session is created and the page shows the server's warning naming the
// loan; with calendar-month NII periods the NII tab lists each period's dates, the API's. A zip
// whose liabilities.csv has a bad cell is refused, and the page names the entry, line and column.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axe, signIn, token } from './helpers';

const SHEET = '../examples/alm/balance_sheet.csv';
const CURVE = '../examples/alm/ust_par_2020-12-31.csv';
const MATURED = 'OLD-LOAN,asset,loan,USD,1000000,2015-01-01,2020-06-30,fixed,0.03,,,,12M,bullet,act/365,,,,';

// CRC-32 (IEEE), which every zip entry carries.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A zip of `files` with every entry stored (method 0): a local header and the bytes of each entry,
// then a central directory header per entry and the end-of-central-directory record.
function storedZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const n = Buffer.from(name);
    const data = Buffer.from(text);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18); // compressed size = size: stored
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6); // needed
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += local.length + n.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

// The example balance sheet as two CSVs, each with the header: assets (and `extra` rows) and
// liabilities (whose row `badRow`, counted from 1 after the header, gets `notional` = "lots").
function book(extra: string[], badRow?: number) {
  const [header, ...rows] = readFileSync(SHEET, 'utf8').trim().split('\n');
  const assets = rows.filter((r) => r.split(',')[1] === 'asset');
  const liabilities = rows.filter((r) => r.split(',')[1] === 'liability');
  if (badRow) {
    const cells = liabilities[badRow - 1]!.split(',');
    cells[4] = 'lots';
    liabilities[badRow - 1] = cells.join(',');
  }
  return {
    zip: storedZip({ 'assets.csv': [header, ...assets, ...extra].join('\n') + '\n', 'liabilities.csv': [header, ...liabilities].join('\n') + '\n' }),
    positions: assets.length + liabilities.length,
  };
}

async function fillForm(page: Page, name: string, zip: Buffer) {
  await page.goto('/alm');
  const form = page.getByRole('form', { name: 'New ALM session' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Balance sheet file').setInputFiles({ name: 'book.zip', mimeType: 'application/zip', buffer: zip });
  await form.getByLabel('Curve file').setInputFiles(CURVE);
  await form.getByLabel('Curve quoted as').selectOption('par');
  await form.getByLabel('Curve rate units').selectOption('percent');
  await form.getByLabel('As of').fill('2020-12-31');
  return form;
}

test('IRRBB: a zip of two CSVs with a matured loan, left out with a warning; calendar-month NII periods', async ({ page, request }) => {
  const headers = { Authorization: `Bearer ${await token(request, 'analyst')}` };
  const { zip, positions } = book([MATURED]);
  await signIn(page, 'analyst');
  const form = await fillForm(page, `zip-${Date.now()}`, zip);
  await form.getByLabel('NII periods').selectOption({ label: 'calendar months' });
  await form.getByLabel('Leave out matured and forward-starting rows (with a warning)').check();
  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/alm/sessions'));
  await form.getByRole('button', { name: 'Create session' }).click();
  // The archive went as base64 of its bytes, not as text.
  const body = (await sent).postDataJSON() as Record<string, unknown>;
  expect(body.balance_sheet).toBeUndefined();
  expect(body.balance_sheet_zip).toBe(zip.toString('base64'));
  expect(body).toMatchObject({ nii_buckets: 'calendar', skip_inactive: true });
  await expect(page).toHaveURL(/\/alm\/sessions\/\d+/);
  const id = Number(/sessions\/(\d+)/.exec(page.url())![1]);
  try {
    const warnings = page.getByRole('list', { name: 'Warnings of the balance sheet' });
    await expect(warnings).toContainText('skipped 1 position matured on or before 2020-12-31: OLD-LOAN');
    const shown = await (await request.get(`/api/v1/alm/sessions/${id}`, { headers })).json();
    expect(shown.session.positions).toBe(positions); // both entries, the matured loan left out
    expect(shown.session.settings.nii_buckets).toBe('calendar');
    await axe(page, 'alm zip warnings');

    await page.getByRole('tab', { name: 'NII' }).click();
    const nii = shown.results.nii;
    expect(nii.nii_buckets).toBe('calendar');
    // From 2020-12-31 over 12 months at month ends: a one-day stub, eleven whole months, a stub.
    expect(nii.monthly).toHaveLength(13);
    const periods = page.getByRole('table', { name: 'NII by period' });
    await expect(periods).toHaveAttribute('data-buckets', 'calendar');
    await expect(periods.locator('caption')).toContainText('calendar months');
    await expect(periods.locator('tbody tr')).toHaveCount(13);
    for (const m of [nii.monthly[0], nii.monthly[1], nii.monthly[12]]) {
      await expect(periods.locator(`tr[data-period="${m.month}"] [data-field=dates]`)).toHaveText(`${m.start} – ${m.end}`);
    }
    await expect(periods.locator('tr[data-period="1"] [data-field=dates]')).toHaveText('2020-12-31 – 2021-01-01');
    await expect(periods.locator('tr[data-period="2"] [data-field=dates]')).toHaveText('2021-01-01 – 2021-02-01');
    await axe(page, 'alm nii periods');
  } finally {
    await request.delete(`/api/v1/alm/sessions/${id}`, { headers });
  }
});

test('IRRBB: a zip with a bad cell in one entry is refused, the entry, line and column named', async ({ page }) => {
  const { zip } = book([], 2);
  await signIn(page, 'analyst');
  const form = await fillForm(page, 'zip-bad', zip);
  await form.getByRole('button', { name: 'Create session' }).click();
  // The second liability is line 3 of liabilities.csv; notional is its fifth column.
  const row = page.getByTestId('problems').locator('tr[data-file="balance_sheet_zip/liabilities.csv"][data-line="3"]');
  await expect(row).toHaveCount(1);
  await expect(row.locator('td').nth(0)).toHaveText('balance_sheet_zip/liabilities.csv');
  await expect(row.locator('td').nth(2)).toHaveText('5');
  await expect(row.locator('td').nth(3)).toContainText('notional: expected a number');
  await expect(page).toHaveURL(/\/alm$/);
  await axe(page, 'alm bad zip');
});
