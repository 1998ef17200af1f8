// The positions editor's rows: a stored position (GET …/positions) as a row of text cells, a row as
// the JSON position POST …/positions reads (the positions file's columns, docs/formats.md
// "Positions"), and the grid's columns with their labels in words and their checks as typed.
import type { PositionRowInput, StoredPosition } from '../../api/types';
import { DEFAULT_CURRENCY, type Fmt } from '../../app/format';
import { choiceLabel, enT, type Translate } from '../../app/i18n';
import { parseOcc, symbolProblem, type Occ } from '../../app/symbols';
import type { GridColumn } from '../../components/EditGrid';
import { numberProblem, numOrText, rowOf, type DraftRow } from '../../components/editRows';

export const POSITION_FIELDS = [
  'symbol', 'quantity', 'type', 'currency', 'entry_price', 'entry_date', 'sector', 'underlying', 'strike', 'expiry',
  'option_type', 'exercise', 'multiplier', 'implied_vol', 'dividend_yield', 'tags', 'strategy',
] as const;
export type PositionField = (typeof POSITION_FIELDS)[number];
export type PositionDraft = DraftRow<PositionField>;

export const INSTRUMENT_TYPES = ['stock', 'etf', 'option', 'cash', 'other'] as const;

export const emptyPosition = (): PositionDraft => rowOf(POSITION_FIELDS, {});

// The OCC option symbol of a row (its terms), or null when the symbol is not one.
export const occOf = (r: PositionDraft): Occ | null => parseOcc(r.symbol.trim().toUpperCase());
// Whether a row is an option: an OCC symbol, or type option.
export const isOption = (r: PositionDraft): boolean => r.type === 'option' || occOf(r) !== null;
// An option's terms come from the OCC symbol when there is one, else from their own cells.
const termsInCells = (r: PositionDraft): boolean => r.type === 'option' && occOf(r) === null;
// The currency of a row's prices: its own, else keel's default.
export const currencyOf = (r: PositionDraft): string => r.currency.trim().toUpperCase() || DEFAULT_CURRENCY;

const text = (x: string | number | null | undefined): string => (x === null || x === undefined ? '' : String(x));

// A stored position as a row. An option's terms are left to its OCC symbol when it has one; a
// multiplier equal to the default (100 for an option, 1 otherwise) is left empty.
export function positionToRow(p: StoredPosition): PositionDraft {
  const option = p.type === 'option';
  const inCells = option && !parseOcc(p.symbol);
  return rowOf(POSITION_FIELDS, {
    symbol: p.symbol,
    quantity: text(p.quantity),
    type: p.type ?? '',
    currency: p.currency ?? '',
    entry_price: text(p.entry_price),
    entry_date: text(p.entry_date),
    sector: p.sector ?? '',
    underlying: inCells ? text(p.underlying) : '',
    strike: inCells ? text(p.strike) : '',
    expiry: inCells ? text(p.expiry) : '',
    option_type: inCells ? text(p.option_type) : '',
    exercise: option ? text(p.exercise) : '',
    multiplier: p.multiplier === undefined || p.multiplier === (option ? 100 : 1) ? '' : String(p.multiplier),
    implied_vol: text(p.implied_vol),
    dividend_yield: option ? text(p.dividend_yield) : '',
    tags: (p.tags ?? []).join('; '),
    strategy: p.strategy ?? '',
  });
}

// A row as the JSON position the server reads: the cells that apply to the row and are not empty,
// numbers as numbers (else the text, so that the server names the cell), symbols and currency in
// upper case, tags as a list. The option cells are sent for an option only, and its terms only when
// no OCC symbol carries them.
export function rowToPosition(r: PositionDraft): PositionRowInput {
  const out: PositionRowInput = { symbol: r.symbol.trim().toUpperCase(), quantity: numOrText(r.quantity) };
  const put = (k: PositionField, v: string | number) => {
    if (typeof v === 'number' || v !== '') (out as Record<string, unknown>)[k] = v;
  };
  put('type', r.type.trim());
  put('currency', r.currency.trim().toUpperCase());
  if (r.entry_price.trim()) put('entry_price', numOrText(r.entry_price));
  put('entry_date', r.entry_date.trim());
  put('sector', r.sector.trim());
  if (isOption(r)) {
    if (termsInCells(r)) {
      put('underlying', r.underlying.trim().toUpperCase());
      if (r.strike.trim()) put('strike', numOrText(r.strike));
      put('expiry', r.expiry.trim());
      put('option_type', r.option_type.trim());
    }
    put('exercise', r.exercise.trim());
    if (r.implied_vol.trim()) put('implied_vol', numOrText(r.implied_vol));
    if (r.dividend_yield.trim()) put('dividend_yield', numOrText(r.dividend_yield));
  }
  if (r.multiplier.trim()) put('multiplier', numOrText(r.multiplier));
  const tags = r.tags.split(';').map((t) => t.trim()).filter(Boolean);
  if (tags.length) out.tags = tags;
  put('strategy', r.strategy.trim());
  return out;
}

// The grid's columns, their labels and checks in `t`'s language (grid.col.*). `fmt` formats the
// prices of the read-only grid and an OCC symbol's strike.
export function positionColumns(fmt: Fmt, t: Translate = enT): GridColumn<PositionField>[] {
  const fromOcc = (f: (o: Occ, r: PositionDraft) => string) => (r: PositionDraft): boolean | string => {
    const o = occOf(r);
    return o ? f(o, r) : termsInCells(r);
  };
  const priceShown = (f: PositionField) => (r: PositionDraft) => (r[f].trim() && Number.isFinite(Number(r[f])) ? fmt.price(Number(r[f]), currencyOf(r)) : r[f]);
  const num = (required = false) => (v: string) => numberProblem(v, required, t);
  return [
    { field: 'symbol', label: t('grid.col.symbol'), size: 22, upper: true, check: (v) => symbolProblem(v, t) },
    { field: 'quantity', label: t('grid.col.quantity'), kind: 'number', size: 9, check: num(true) },
    {
      field: 'type', label: t('grid.col.type'), kind: 'select', choices: INSTRUMENT_TYPES,
      blank: (r) => (occOf(r) ? t('pos.type.fromSymbol') : t('pos.type.default')),
      check: (v, r) => (occOf(r) && v && v !== 'option' ? t('pos.check.occType', { type: v }) : null),
    },
    { field: 'currency', label: t('grid.col.currency'), size: 4, upper: true, check: (v) => (v.trim() && !/^[A-Z]{3}$/.test(v.trim().toUpperCase()) ? t('pos.check.currency') : null) },
    { field: 'entry_price', label: t('grid.col.entry_price'), kind: 'number', size: 9, suffix: currencyOf, show: priceShown('entry_price'), check: num() },
    { field: 'entry_date', label: t('grid.col.entry_date'), kind: 'date' },
    { field: 'sector', label: t('grid.col.sector'), size: 12 },
    { field: 'underlying', label: t('grid.col.underlying'), size: 7, upper: true, applies: fromOcc((o) => o.root) },
    { field: 'strike', label: t('grid.col.strike'), kind: 'number', size: 7, applies: fromOcc((o, r) => fmt.price(o.strike, currencyOf(r))), suffix: currencyOf, show: priceShown('strike'), check: num() },
    { field: 'expiry', label: t('grid.col.expiry'), kind: 'date', applies: fromOcc((o) => o.expiry) },
    { field: 'option_type', label: t('grid.col.option_type'), kind: 'select', choices: ['call', 'put'], applies: fromOcc((o) => choiceLabel(t, 'option_type', o.right)) },
    { field: 'exercise', label: t('grid.col.exercise'), kind: 'select', choices: ['european', 'american'], blank: () => t('pos.exercise.default'), applies: isOption },
    { field: 'multiplier', label: t('grid.col.multiplier'), kind: 'number', size: 5, placeholder: (r) => (isOption(r) ? '100' : '1'), check: num() },
    { field: 'implied_vol', label: t('grid.col.implied_vol'), kind: 'number', size: 6, applies: isOption, check: num() },
    { field: 'dividend_yield', label: t('grid.col.dividend_yield'), kind: 'number', size: 6, applies: isOption, check: num() },
    { field: 'tags', label: t('grid.col.tags'), size: 14 },
    { field: 'strategy', label: t('grid.col.strategy'), size: 10 },
  ];
}
