// A CLO trade ticket written line by line (the Trades tab's editor, components/EditGrid.tsx) and the
// CSV text it becomes (docs/clo.md "Trades tested before they are made"): a buy carries the new
// loan's tape columns, a sell, upsize or downsize names a loan of the pool (or one an earlier line
// bought) by its asset id, else its obligor. The CSV is what the server reads as trades_csv; every
// cell is sent as typed (a number converted only when it is one), so the server names a bad cell
// as trades.csv:LINE:COLUMN.
import { enT, type Translate } from '../../app/i18n';
import type { GridColumn } from '../../components/EditGrid';
import { isBlank, numberProblem, rowOf, type DraftRow } from '../../components/editRows';

export const TICKET_FIELDS = [
  'action', 'loan', 'asset_id', 'obligor', 'par', 'price', 'industry', 'spread', 'maturity', 'moodys_rating', 'sp_rating', 'lien', 'country', 'cov_lite',
] as const;
export type TicketField = (typeof TICKET_FIELDS)[number];
export type TicketLine = DraftRow<TicketField>;
export const emptyLine = (): TicketLine => rowOf(TICKET_FIELDS, {});

export const ACTIONS = ['buy', 'sell', 'upsize', 'downsize'] as const;
export const LIENS = ['first', 'second', 'unsecured'] as const;
// The spread of a buy as typed: basis points (375) or percent (3.75); the CSV has a decimal (0.0375).
export type SpreadUnit = 'bp' | 'percent';

// The columns of the CSV sent, in this order (the loan tape's names).
export const CSV_COLUMNS = ['action', 'asset_id', 'obligor', 'par', 'price', 'industry', 'spread', 'maturity', 'moodys_rating', 'sp_rating', 'lien', 'country', 'cov_lite'] as const;

// A loan of the pool as the editor's loan choice: by asset id when it has one, else by obligor.
export interface LoanRef {
  asset_id: string;
  obligor: string;
}
export const loanKey = (l: LoanRef): string => (l.asset_id ? `a:${l.asset_id}` : `o:${l.obligor}`);
// A loan choice's words: "LX3 · Gamma", or the obligor alone.
export function loanText(key: string, pool: readonly LoanRef[]): string {
  const id = key.slice(2);
  if (key.startsWith('a:')) {
    const l = pool.find((x) => x.asset_id === id);
    return l?.obligor ? `${id} · ${l.obligor}` : id;
  }
  return id;
}

// The loans a sell, upsize or downsize may name: the pool's, then those the ticket buys.
export function loanChoices(pool: readonly LoanRef[], lines: readonly TicketLine[]): { keys: string[]; refs: LoanRef[] } {
  const refs: LoanRef[] = [...pool];
  for (const r of lines) {
    if (r.action !== 'buy' || !(r.asset_id.trim() || r.obligor.trim())) continue;
    refs.push({ asset_id: r.asset_id.trim(), obligor: r.obligor.trim() });
  }
  return { keys: [...new Set(refs.map(loanKey))], refs };
}

const isBuy = (r: TicketLine) => r.action === 'buy';
const names = (r: TicketLine) => r.action !== '' && r.action !== 'buy';

// A number as typed ("16000000", " 99.5 "), or the text itself when it is not one.
function numberCell(s: string): string {
  const text = s.trim();
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? String(n) : text;
}

// The spread as a decimal per year, rounded to 12 significant digits (3.75 % is 0.0375, not
// 0.037500000000000006); text that is not a number is sent as it is.
export function spreadCell(s: string, unit: SpreadUnit): string {
  const text = s.trim();
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) return text;
  return String(Number((n / (unit === 'bp' ? 10_000 : 100)).toPrecision(12)));
}

// A CSV cell: quoted when it holds a comma, a quote or a line break (quotes doubled).
export function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// One line of the ticket as the CSV's cells, by column.
export function lineCells(r: TicketLine, unit: SpreadUnit): Record<(typeof CSV_COLUMNS)[number], string> {
  const out = Object.fromEntries(CSV_COLUMNS.map((c) => [c, ''])) as Record<(typeof CSV_COLUMNS)[number], string>;
  out.action = r.action.trim();
  out.par = numberCell(r.par);
  out.price = numberCell(r.price);
  if (names(r)) {
    const key = r.loan;
    if (key.startsWith('a:')) out.asset_id = key.slice(2);
    else if (key.startsWith('o:')) out.obligor = key.slice(2);
    return out;
  }
  if (!isBuy(r)) return out; // no action chosen: the server says so
  out.asset_id = r.asset_id.trim();
  out.obligor = r.obligor.trim();
  out.industry = r.industry.trim();
  out.spread = spreadCell(r.spread, unit);
  out.maturity = r.maturity.trim();
  out.moodys_rating = r.moodys_rating.trim();
  out.sp_rating = r.sp_rating.trim().toUpperCase();
  out.lien = r.lien.trim();
  out.country = r.country.trim().toUpperCase();
  out.cov_lite = r.cov_lite.trim();
  return out;
}

// The lines that are sent: every line with a cell filled, in order (line i is trades.csv line i + 2).
export const filledLines = (rows: readonly TicketLine[]): TicketLine[] => rows.filter((r) => !isBlank(r, TICKET_FIELDS));

// The ticket's CSV text (header and one line per filled line), '' for an empty ticket.
export function ticketCsv(rows: readonly TicketLine[], unit: SpreadUnit): string {
  const lines = filledLines(rows);
  if (lines.length === 0) return '';
  const body = lines.map((r) => {
    const cells = lineCells(r, unit);
    return CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',');
  });
  return [CSV_COLUMNS.join(','), ...body].join('\n') + '\n';
}

// The editor's columns in `t`'s language: a buy's loan columns only on a buy, the pool's loan only
// on a sell, upsize or downsize. `loans` are the loan choices (loanChoices) and their words.
export function ticketColumns(t: Translate = enT, loans: { keys: readonly string[]; text: (key: string) => string } = { keys: [], text: (k) => k }, unit: SpreadUnit = 'bp', actionText: (v: string) => string = (v) => v): readonly GridColumn<TicketField>[] {
  return [
    { field: 'action', label: t('clo.tr.col.action'), kind: 'select', choices: ACTIONS, blank: () => t('clo.tr.chooseAction'), choiceText: actionText, check: (v) => (v ? null : t('clo.tr.needAction')) },
    { field: 'loan', label: t('clo.tr.col.loan'), kind: 'select', choices: loans.keys, choiceText: loans.text, blank: () => t('clo.tr.chooseLoan'), applies: names, check: (v) => (v ? null : t('clo.tr.needLoan')) },
    { field: 'asset_id', label: t('clo.tr.col.assetId'), size: 8, applies: isBuy },
    { field: 'obligor', label: t('clo.tr.col.obligor'), size: 12, applies: isBuy, check: (v) => (v.trim() ? null : t('clo.tr.needObligor')) },
    { field: 'par', label: t('clo.tr.col.par'), kind: 'number', size: 11, placeholder: (r) => (r.action === 'sell' ? t('clo.tr.wholeLoan') : ''), check: (v, r) => numberProblem(v, r.action !== 'sell', t) },
    { field: 'price', label: t('clo.tr.col.price'), kind: 'number', size: 6, check: (v) => numberProblem(v, true, t) },
    { field: 'industry', label: t('clo.tr.col.industry'), size: 12, applies: isBuy },
    { field: 'spread', label: t(unit === 'bp' ? 'clo.tr.col.spreadBp' : 'clo.tr.col.spreadPct'), kind: 'number', size: 5, applies: isBuy, check: (v) => numberProblem(v, false, t) },
    { field: 'maturity', label: t('clo.tr.col.maturity'), kind: 'date', applies: isBuy },
    { field: 'moodys_rating', label: t('clo.tr.col.moodys'), size: 4, applies: isBuy },
    { field: 'sp_rating', label: t('clo.tr.col.sp'), size: 4, upper: true, applies: isBuy },
    { field: 'lien', label: t('clo.tr.col.lien'), kind: 'select', choices: LIENS, blank: () => t('grid.default'), applies: isBuy },
    { field: 'country', label: t('clo.tr.col.country'), size: 3, upper: true, applies: isBuy },
    { field: 'cov_lite', label: t('clo.tr.col.covLite'), kind: 'select', choices: ['true', 'false'], choiceText: (v) => t(v === 'true' ? 'common.yes' : 'common.no'), blank: () => t('grid.default'), applies: isBuy },
  ];
}
