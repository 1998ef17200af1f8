// The activities tab's rules, kept apart from the page so they can be tested: a stored row as the
// form's text, the PUT body of an edit (only the fields changed, decimals as exact text), the
// one-row canonical CSV of an added transaction (quoted where it must be), the server's problems
// put next to the fields they name, and a trade's amount worked out the way keel books it when the
// row's amount is that (so correcting a price moves the cost along). Decimals are exact: text in,
// text out, BigInt in between, never a binary float.
import type { TransactionItem } from '../../api/types';
import { toCsv } from '../portfolios/csv';

// The transaction types keel books (docs/ledger.md "Input: transactions").
export const TX_TYPES = [
  'BUY', 'SELL', 'DIVIDEND', 'SPLIT', 'FEE', 'INTEREST', 'DEPOSIT', 'WITHDRAWAL', 'TRANSFER_IN', 'TRANSFER_OUT', 'WITHHOLDING', 'DISTRIBUTION',
] as const;

// The fields a row's form edits, in the order of the added row's CSV columns.
export const TX_FIELDS = ['date', 'type', 'symbol', 'quantity', 'price', 'fees', 'amount', 'note'] as const;
export type TxField = (typeof TX_FIELDS)[number];
export type TxForm = Record<TxField, string>;
const DECIMALS: readonly TxField[] = ['quantity', 'price', 'fees', 'amount'];

export const EMPTY_FORM: TxForm = { date: '', type: 'BUY', symbol: '', quantity: '', price: '', fees: '', amount: '', note: '' };

export function formOf(item: TransactionItem): TxForm {
  return {
    date: item.date,
    type: item.type,
    symbol: item.symbol,
    quantity: item.quantity,
    price: item.price,
    fees: item.fees,
    amount: item.amount ?? '',
    note: item.note ?? '',
  };
}

// An exact decimal's text as units of 1e-8 (keel keeps at most 8 places), or null when it is not
// one ("", "1.2.3", "1e5", nine places).
const SCALE = 10n ** 8n;
export function parseDecimal(text: string): bigint | null {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || (!m[2] && !m[3])) return null;
  const frac = m[3] ?? '';
  if (frac.length > 8) return null;
  const v = BigInt(m[2] || '0') * SCALE + BigInt((frac + '00000000').slice(0, 8));
  return m[1] === '-' ? -v : v;
}

// Units of 1e-8 as the shortest decimal text ("12001", "0.5", "-3.25").
export function formatDecimal(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const frac = (a % SCALE).toString().padStart(8, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${a / SCALE}${frac ? `.${frac}` : ''}`;
}

// Whether two texts are the same number ("110" and "110.00"), or the same text when either is not
// a number.
export function sameDecimal(a: string, b: string): boolean {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return x !== null && y !== null ? x === y : a.trim() === b.trim();
}

// A BUY's or SELL's amount as keel works it out when the row gives none: quantity × price rounded
// to the cent (half away from zero), plus the fees for a BUY, less them for a SELL
// (docs/ledger.md). null for other types or when quantity or price is not a number.
export function tradeAmount(form: Pick<TxForm, 'type' | 'quantity' | 'price' | 'fees'>): string | null {
  if (form.type !== 'BUY' && form.type !== 'SELL') return null;
  const q = parseDecimal(form.quantity);
  const p = parseDecimal(form.price);
  const f = form.fees.trim() === '' ? 0n : parseDecimal(form.fees);
  if (q === null || p === null || f === null) return null;
  const gross = q * p; // units of 1e-16
  const unit = 10n ** 14n; // a cent in those units
  const half = unit / 2n;
  const cents = gross >= 0n ? (gross + half) / unit : -((-gross + half) / unit);
  const g = cents * 10n ** 6n; // back to units of 1e-8
  return formatDecimal(form.type === 'BUY' ? g + f : g - f);
}

// Whether a stored row's amount is the one keel would work out from its quantity, price and fees:
// then an edit of those moves the amount along (the amount is what keel books a trade's cost or
// proceeds from). A broker's own net amount that differs is left as it is.
export function amountFollows(stored: TxForm): boolean {
  const a = tradeAmount(stored);
  return a !== null && stored.amount.trim() !== '' && sameDecimal(a, stored.amount);
}

// The form with one field set; when the amount follows (amountFollows of the stored row, and the
// user has not typed an amount), a change of the type, quantity, price or fees works it out again.
export function withField(form: TxForm, field: TxField, value: string, follow: boolean): TxForm {
  const next = { ...form, [field]: value };
  if (follow && (field === 'type' || field === 'quantity' || field === 'price' || field === 'fees')) {
    const a = tradeAmount(next);
    if (a !== null) next.amount = a;
  }
  return next;
}

// The PUT body of an edit: each field whose value differs from the stored row's, as text (decimals
// compared as numbers, so "110.00" for a stored "110" is no change; the symbol trimmed).
export function editBody(before: TxForm, form: TxForm): Partial<TxForm> {
  const out: Partial<TxForm> = {};
  for (const f of TX_FIELDS) {
    const value = f === 'note' ? form.note : form[f].trim();
    const same = DECIMALS.includes(f) ? sameDecimal(before[f], value) : before[f] === value;
    if (!same) out[f] = value;
  }
  return out;
}

// The body of a one-row canonical import: the header and the row, fields quoted where CSV needs it
// (a comma, a quote, a line break), the note kept as typed and the other fields trimmed.
export function addCsv(form: TxForm): string {
  return toCsv([[...TX_FIELDS], TX_FIELDS.map((f) => (f === 'note' ? form.note : form[f].trim()))]);
}

// The server's problems by the field they name: an edit's "price: expected …", an added row's
// "body.csv:2:4: quantity: …" (column 4 of the CSV above); anything else (the booking's refusal of a
// sale, a file-wide problem) is `other`.
export interface Problems {
  fields: Partial<Record<TxField, string[]>>;
  other: string[];
}
export function problemsOf(details: readonly string[]): Problems {
  const out: Problems = { fields: {}, other: [] };
  const add = (f: TxField, m: string) => (out.fields[f] = [...(out.fields[f] ?? []), m]);
  for (const d of details) {
    const csv = /^[^:\s]*:\d+:(\d+):\s*(.*)$/s.exec(d);
    const byColumn = csv ? TX_FIELDS[Number(csv[1]) - 1] : undefined;
    if (csv && byColumn) {
      add(byColumn, csv[2]!);
      continue;
    }
    const named = /^(\w+):\s/.exec(d);
    const field = TX_FIELDS.find((f) => f === named?.[1]);
    if (field) add(field, d);
    else out.other.push(d);
  }
  return out;
}

// How many decimals a decimal text shows: its own places, at least `min`, at most 8.
export function placesOf(text: string, min: number): number {
  const frac = /\.(\d*)$/.exec(text.trim())?.[1]?.replace(/0+$/, '') ?? '';
  return Math.min(8, Math.max(min, frac.length));
}
