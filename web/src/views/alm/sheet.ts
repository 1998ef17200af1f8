// The balance sheet of a new ALM session, as the request carries it: a CSV as text
// (`balance_sheet`), or a zip archive of CSVs (every .csv entry one part of the book) as base64
// (`balance_sheet_zip`, docs/alm.md "Balance sheets in a zip"). A zip is bytes: read as text it
// would be mangled (the decoder replaces what is not UTF-8), so it is never read as text. A file is
// a zip by its content (a zip begins with a "PK" record), whatever its name says, or by a .zip name.
// What reading it noted (rows left out, columns ignored) comes back as the creation's warnings.

export type SheetField = { balance_sheet: string } | { balance_sheet_zip: string };

// The signatures a zip archive can begin with: a local file header, and the end-of-central-
// directory record of an empty archive (which the server refuses with its own message).
const ZIP_MAGIC = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06],
];

export function looksLikeZip(head: Uint8Array): boolean {
  return ZIP_MAGIC.some((m) => m.every((b, i) => head[i] === b));
}

export function hasZipName(name: string): boolean {
  return /\.zip$/i.test(name);
}

// Bytes as base64 (RFC 4648, with padding). btoa takes a "binary string" of one char per byte;
// the string is built a chunk at a time, since spreading a large array into one call overflows
// the stack.
export function toBase64(bytes: Uint8Array): string {
  const CHUNK = 0x8000;
  let s = '';
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

// The request's balance-sheet field for a chosen file: a zip (by its first bytes or its name) as
// base64 of its bytes, anything else as its text.
export async function sheetField(file: Blob & { name: string }): Promise<SheetField> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (looksLikeZip(head) || hasZipName(file.name)) return { balance_sheet_zip: toBase64(new Uint8Array(await file.arrayBuffer())) };
  return { balance_sheet: await file.text() };
}

// Every warning once, in the order first given: the creation's and the runs' (a rerun may say the
// same again).
export function sessionWarnings(...lists: (readonly string[] | null | undefined)[]): string[] {
  return [...new Set(lists.flatMap((l) => l ?? []))];
}
