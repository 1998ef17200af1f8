// The balance sheet's field: a zip (by its first bytes or its .zip name) goes as base64 of its exact
// bytes, never through a text decoder; a CSV goes as its text. base64 agrees with Node's for every
// length (padding) and for files larger than one chunk. A refused zip's problems name the entry.
import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { hasZipName, looksLikeZip, sessionWarnings, sheetField, toBase64 } from './sheet';
import { parseProblem } from './parts';

// A one-entry zip as the browser would hand it over: the bytes of a local header, the entry
// (deflated, so it holds bytes that are not UTF-8) and the end record are enough for the check.
function tinyZip(): Uint8Array {
  const data = deflateRawSync(Buffer.from('id,side\nL1,asset\n'));
  const name = Buffer.from('a.csv');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(data.length, 18);
  local.writeUInt16LE(name.length, 26);
  return new Uint8Array(Buffer.concat([local, name, data, Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)])]));
}

describe('toBase64', () => {
  it("is Node's base64 for every padding and across chunks", () => {
    for (const n of [0, 1, 2, 3, 4, 5, 0x8000 - 1, 0x8000, 0x8000 + 1, 100_003]) {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = (i * 131 + 7) & 0xff;
      expect(toBase64(bytes), `${n} bytes`).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});

describe('which files are zips', () => {
  it('by their first bytes, or by a .zip name', () => {
    expect(looksLikeZip(tinyZip().subarray(0, 4))).toBe(true);
    expect(looksLikeZip(new Uint8Array([0x50, 0x4b, 0x05, 0x06]))).toBe(true); // an empty archive
    expect(looksLikeZip(new TextEncoder().encode('id,s'))).toBe(false);
    expect(looksLikeZip(new Uint8Array([0x50, 0x4b]))).toBe(false);
    expect(hasZipName('book.ZIP')).toBe(true);
    expect(hasZipName('book.zip.csv')).toBe(false);
  });
});

describe('sheetField', () => {
  it('sends a zip as base64 of its bytes, whatever its name', async () => {
    const zip = tinyZip();
    const b64 = Buffer.from(zip).toString('base64');
    expect(await sheetField(new File([zip as BlobPart], 'book.zip'))).toEqual({ balance_sheet_zip: b64 });
    // Named .csv by mistake, still a zip: never decoded as text.
    expect(await sheetField(new File([zip as BlobPart], 'book.csv'))).toEqual({ balance_sheet_zip: b64 });
  });

  it('sends a CSV as its text, and a .zip name as a zip (the server says what is wrong with it)', async () => {
    const csv = 'id,side,type\nL1,asset,loan\n';
    expect(await sheetField(new File([csv], 'book.csv'))).toEqual({ balance_sheet: csv });
    expect(await sheetField(new File([csv], 'book.zip'))).toEqual({ balance_sheet_zip: Buffer.from(csv).toString('base64') });
  });
});

describe('a problem of a refused balance sheet', () => {
  it('names the zip entry, the line and the column', () => {
    expect(parseProblem('balance_sheet_zip/liabilities.csv:3:5: notional: expected a number, got "lots"')).toEqual({
      file: 'balance_sheet_zip/liabilities.csv', line: '3', column: '5', message: 'notional: expected a number, got "lots"',
    });
  });

  it('keeps a row named by its id with the message, and anything else as the message', () => {
    expect(parseProblem('balance_sheet_zip/assets.csv:18 (id OLD-LOAN): maturity_date 2020-06-30 is on or before the as-of date')).toEqual({
      file: 'balance_sheet_zip/assets.csv', line: '18', column: '', message: '(id OLD-LOAN) maturity_date 2020-06-30 is on or before the as-of date',
    });
    expect(parseProblem('curves[0].text: empty')).toEqual({ file: '', line: '', column: '', message: 'curves[0].text: empty' });
  });
});

describe('sessionWarnings', () => {
  it("lists the creation's and the runs' warnings once each, in order", () => {
    const skipped = 'skipped 1 position matured on or before 2020-12-15: OLD-LOAN';
    expect(sessionWarnings([skipped], [], undefined, null, [skipped, 'ignored column x'])).toEqual([skipped, 'ignored column x']);
    expect(sessionWarnings()).toEqual([]);
  });
});
