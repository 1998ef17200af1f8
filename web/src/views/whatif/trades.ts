// The what-if grid's rows and the JSON trades they become (the trades file's columns, docs/formats.md
// "Trades"): rows and the grid are the positions editor's (components/EditGrid.tsx, editRows.ts).
import type { SessionTradeInput } from '../../api/types';
import { enT, type Translate } from '../../app/i18n';
import { symbolProblem } from '../../app/symbols';
import type { GridColumn } from '../../components/EditGrid';
import { numberProblem, numOrText, rowOf, type DraftRow } from '../../components/editRows';
import { INSTRUMENT_TYPES } from '../portfolios/positions';

// The grid's columns: option columns only matter for an option not yet held (an OCC symbol carries
// its own terms).
export const TRADE_FIELDS = ['symbol', 'quantity', 'price', 'type', 'underlying', 'strike', 'expiry', 'option_type', 'multiplier'] as const;
export type TradeField = (typeof TRADE_FIELDS)[number];
export type TradeDraft = DraftRow<TradeField>;
export const emptyRow = (): TradeDraft => rowOf(TRADE_FIELDS, {});

const option = (r: TradeDraft) => r.type === 'option';
// The columns, their labels and checks in `t`'s language (grid.col.*).
export const tradeColumns = (t: Translate = enT): readonly GridColumn<TradeField>[] => [
  { field: 'symbol', label: t('grid.col.symbol'), size: 10, upper: true, check: (v) => symbolProblem(v, t) },
  { field: 'quantity', label: t('grid.col.quantity'), kind: 'number', size: 8, check: (v) => numberProblem(v, true, t) },
  { field: 'price', label: t('grid.col.price'), kind: 'number', size: 8, check: (v) => numberProblem(v, false, t) },
  { field: 'type', label: t('grid.col.type'), kind: 'select', choices: INSTRUMENT_TYPES, blank: () => t('grid.default') },
  { field: 'underlying', label: t('grid.col.underlying'), size: 8, upper: true, applies: option },
  { field: 'strike', label: t('grid.col.strike'), kind: 'number', size: 7, applies: option, check: (v) => numberProblem(v, false, t) },
  { field: 'expiry', label: t('grid.col.expiry'), kind: 'date', applies: option },
  { field: 'option_type', label: t('grid.col.option_type'), kind: 'select', choices: ['call', 'put'], applies: option },
  { field: 'multiplier', label: t('grid.col.multiplier'), kind: 'number', size: 5, applies: option, check: (v) => numberProblem(v, false, t) },
];

// A grid row as the JSON trade the session route reads (same keys as the CSV columns); empty cells
// are left out, numbers sent as typed so the server names a bad one. The option columns are sent
// for type option only (they are hidden otherwise).
export function toTrade(r: TradeDraft): SessionTradeInput {
  const t: SessionTradeInput = { symbol: r.symbol.trim().toUpperCase(), quantity: numOrText(r.quantity) };
  if (r.price.trim()) t.price = numOrText(r.price);
  if (r.type.trim()) t.type = r.type.trim();
  if (!option(r)) return t;
  for (const k of ['strike', 'multiplier'] as const) if (r[k].trim()) t[k] = numOrText(r[k]);
  for (const k of ['expiry', 'option_type'] as const) if (r[k].trim()) t[k] = r[k].trim();
  if (r.underlying.trim()) t.underlying = r.underlying.trim().toUpperCase();
  return t;
}
