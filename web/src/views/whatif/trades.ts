// The what-if grid's rows and the JSON trades they become (the trades file's columns, docs/formats.md).
import type { SessionTradeInput } from '../../api/types';

// The grid's columns: the trades file's (docs/formats.md "Trades"); option columns only matter for
// an option not yet held (an OCC symbol carries its own terms).
export const TYPES = ['stock', 'etf', 'option', 'cash', 'other'] as const;
export interface DraftRow {
  key: number;
  symbol: string;
  quantity: string;
  price: string;
  type: string;
  underlying: string;
  strike: string;
  expiry: string;
  option_type: string;
  multiplier: string;
}
let nextKey = 1;
export const emptyRow = (): DraftRow => ({ key: nextKey++, symbol: '', quantity: '', price: '', type: '', underlying: '', strike: '', expiry: '', option_type: '', multiplier: '' });

// A grid row as the JSON trade the session route reads (same keys as the CSV columns); empty cells
// are left out, numbers sent as typed so the server names a bad one.
export function toTrade(r: DraftRow): SessionTradeInput {
  const t: SessionTradeInput = { symbol: r.symbol.trim().toUpperCase(), quantity: numOrText(r.quantity) };
  for (const k of ['price', 'strike', 'multiplier'] as const) if (r[k].trim()) t[k] = numOrText(r[k]);
  for (const k of ['type', 'expiry', 'option_type'] as const) if (r[k].trim()) t[k] = r[k].trim();
  if (r.underlying.trim()) t.underlying = r.underlying.trim().toUpperCase();
  return t;
}
function numOrText(s: string): number | string {
  const n = Number(s.trim());
  return s.trim() !== '' && Number.isFinite(n) ? n : s.trim();
}

