// The rows of an editable grid (EditGrid.tsx) as plain data: every cell is the text typed, a row
// has a key of its own (stable across inserts and removals), and the rows sent to keel as JSON
// objects of the positions-like files' columns come back refused with problems that name their row
// as body.json:LINE[:COLUMN], element i being line i + 2, and their column's name
// (`quantity: expected a number`). Used by the positions editor and the what-if trades grid.
import { ApiError } from '../api/client';
import { enT, type Translate } from '../app/i18n';
import { parseProblem } from '../views/portfolios/csv';

export type Cells<F extends string> = Record<F, string>;
export type DraftRow<F extends string> = Cells<F> & { key: number };

let nextKey = 1;
// A row with every cell empty.
export function blankRow<F extends string>(fields: readonly F[]): DraftRow<F> {
  const r = { key: nextKey++ } as DraftRow<F>;
  for (const f of fields) (r as Record<string, string | number>)[f] = '';
  return r;
}
// A row with the given cells (the others empty) and a new key.
export function rowOf<F extends string>(fields: readonly F[], cells: Partial<Cells<F>>): DraftRow<F> {
  return { ...blankRow(fields), ...cells };
}

// Whether every cell of the row is empty (such a row is left out when the grid is sent).
export function isBlank<F extends string>(r: DraftRow<F>, fields: readonly F[]): boolean {
  return fields.every((f) => !r[f].trim());
}

// A number cell as sent: the number when it is one, else the text as typed (trimmed), so that the
// server names the bad cell in its own words.
export function numOrText(s: string): number | string {
  const t = s.trim();
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}

// What differs between the rows as loaded and as edited (blank rows count for nothing): rows
// added, rows removed and rows whose cells changed.
export interface Changes {
  added: number;
  removed: number;
  changed: number;
  total: number;
  changedKeys: Set<number>; // the added and changed rows
}
export function changesOf<F extends string>(baseline: readonly DraftRow<F>[], rows: readonly DraftRow<F>[], fields: readonly F[]): Changes {
  const before = new Map(baseline.map((r) => [r.key, r]));
  const now = new Set(rows.map((r) => r.key));
  const changedKeys = new Set<number>();
  let added = 0;
  let changed = 0;
  for (const r of rows) {
    const b = before.get(r.key);
    if (!b) {
      if (!isBlank(r, fields)) {
        added++;
        changedKeys.add(r.key);
      }
    } else if (fields.some((f) => b[f] !== r[f])) {
      changed++;
      changedKeys.add(r.key);
    }
  }
  const removed = baseline.filter((r) => !now.has(r.key)).length;
  return { added, removed, changed, total: added + removed + changed, changedKeys };
}

// One problem of a row: of one cell (field) or of the row as a whole (field null). `sent` is the
// cell's text when the server answered, so a problem goes once its cell is edited.
export interface CellProblem {
  field: string | null;
  message: string;
  sent?: string;
}

// The server's problems of a refused JSON array, by the key of the row they name: `sent` holds the
// rows in the order they were sent. A problem whose column name is one of `fields` is that cell's,
// its message without the name; any other is the row's. Details that name no row are left to the
// error box.
export function serverProblems<F extends string>(error: unknown, sent: readonly DraftRow<F>[], fields: readonly F[]): Map<number, CellProblem[]> {
  const out = new Map<number, CellProblem[]>();
  if (!(error instanceof ApiError)) return out;
  for (const d of error.details) {
    const p = parseProblem(d);
    if (!p) continue;
    const row = sent[p.line - 2];
    if (!row) continue;
    const m = /^([a-z_]+): (.*)$/s.exec(p.message);
    const field = m && (fields as readonly string[]).includes(m[1]!) ? (m[1] as F) : null;
    const problem: CellProblem = field ? { field, message: m![2]!, sent: row[field] } : { field: null, message: p.message };
    out.set(row.key, [...(out.get(row.key) ?? []), problem]);
  }
  return out;
}

// The problems of a row still standing: a cell's goes once the cell no longer holds what was sent.
export function standing(problems: readonly CellProblem[] | undefined, row: Readonly<Record<string, unknown>>): CellProblem[] {
  return (problems ?? []).filter((p) => p.field === null || p.sent === undefined || row[p.field] === p.sent);
}

// A number cell's problem as typed: empty is fine unless `required`, anything else must be a number.
export function numberProblem(s: string, required = false, t: Translate = enT): string | null {
  const text = s.trim();
  if (!text) return required ? t('grid.giveNumber') : null;
  return Number.isFinite(Number(text)) ? null : t('grid.notNumber', { text });
}
