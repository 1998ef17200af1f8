// An editable grid of rows of text cells (editRows.ts), in a box of its own that scrolls on a
// narrow screen: one input or select per cell, labelled "<column>, row N" (in the session's language, grid.*); a cell's problem (the
// server's, or the column's own check as typed) shown under it and tied to it (aria-invalid,
// aria-describedby), and every problem of a row listed in its Problems cell with the column's name
// in words; a select's choices are shown by the label table (choice.FIELD.VALUE). Tab moves through the cells; Enter in a cell adds a row under it and moves there; each
// row has a remove button, and "Add a row" under the grid adds one at the end. Read-only, the same grid shows the cells as text. The rows are the
// caller's state (`rows`, `setRows`); a row re-renders only when it changes, and from VIRTUAL_FROM
// rows on only the rows in view are in the DOM (TanStack Virtual), so a book of 5,000 positions
// opens at once. Used by the positions editor and the what-if trades grid.
import { memo, useCallback, useEffect, useRef, useState, type Dispatch, type KeyboardEvent, type ReactNode, type SetStateAction } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { choiceLabel } from '../app/i18n';
import { useT } from '../app/session';
import { isBlank, standing, type CellProblem, type DraftRow } from './editRows';

// From this many rows on, only the rows in view (and a few around them) are rendered.
export const VIRTUAL_FROM = 200;
const ROW_PX = 34;

export interface GridColumn<F extends string> {
  field: F;
  label: string; // words: the header, and with the row number each input's label
  kind?: 'text' | 'number' | 'date' | 'select';
  choices?: readonly string[]; // a select's values, after the empty one
  choiceText?: (value: string) => string; // a choice's words (default: the label table's, choice.FIELD.VALUE)
  blank?: (row: DraftRow<F>) => string; // the text of a select's empty choice
  size?: number;
  upper?: boolean; // what is typed becomes upper case (symbols, currency codes)
  // Whether the column applies to the row: true (a cell to edit), false (an empty cell), or text
  // derived from the row's other cells, shown as it is (an OCC symbol's strike, say).
  applies?: (row: DraftRow<F>) => boolean | string;
  suffix?: (row: DraftRow<F>) => string | null; // a unit after the input (a currency code)
  placeholder?: (row: DraftRow<F>) => string; // what an empty cell means (a default)
  show?: (row: DraftRow<F>) => ReactNode; // the read-only cell (default: the text)
  check?: (value: string, row: DraftRow<F>) => string | null; // a problem found as typed
}

export interface EditGridProps<F extends string> {
  label: string;
  columns: readonly GridColumn<F>[];
  rows: readonly DraftRow<F>[];
  setRows: Dispatch<SetStateAction<DraftRow<F>[]>>;
  newRow: () => DraftRow<F>;
  problems?: ReadonlyMap<number, CellProblem[]>; // the server's, by row key
  readOnly?: boolean;
  changed?: ReadonlySet<number>; // rows marked as edited since loaded
  onRemove?: (index: number) => void;
  actions?: ReactNode; // the caller's buttons, beside "Add a row"
}

// The problems of a row: the server's still standing, then the columns' own checks of cells the
// server said nothing about. A blank row has none of its own.
export function rowProblems<F extends string>(row: DraftRow<F>, columns: readonly GridColumn<F>[], server: readonly CellProblem[] | undefined): CellProblem[] {
  const out = standing(server, row);
  if (isBlank(row, columns.map((c) => c.field))) return out;
  for (const c of columns) {
    if (!c.check || c.applies?.(row) === false || out.some((p) => p.field === c.field)) continue;
    const m = c.check(row[c.field], row);
    if (m) out.push({ field: c.field, message: m });
  }
  return out;
}

export function EditGrid<F extends string>({ label, columns, rows, setRows, newRow, problems, readOnly, changed, onRemove, actions }: EditGridProps<F>) {
  const t = useT();
  const table = useRef<HTMLTableElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const virtual = rows.length >= VIRTUAL_FROM;
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => box.current,
    estimateSize: () => ROW_PX,
    overscan: 10,
    enabled: virtual,
    getItemKey: (i) => rows[i]?.key ?? i,
  });
  const [focus, setFocus] = useState<{ key: number; what: 'cell' | 'remove' } | null>(null);
  // After the render that brings the row: focus its first cell or its remove button. A virtual row
  // out of view is scrolled to first, and focused on the render that shows it.
  useEffect(() => {
    if (!focus || !table.current) return;
    const tr = table.current.querySelector(`tr[data-key="${focus.key}"]`);
    if (!tr && virtual) {
      const i = rows.findIndex((r) => r.key === focus.key);
      if (i >= 0) {
        v.scrollToIndex(i, { align: 'center' });
        return;
      }
    }
    tr?.querySelector<HTMLElement>(focus.what === 'cell' ? 'input, select' : 'button.remove')?.focus();
    setFocus(null);
  });

  // The rows as last rendered, for the row callbacks (which stay the same from one render to the next).
  const current = useRef(rows);
  current.current = rows;
  const edit = useCallback((key: number, f: F, v: string) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, [f]: v } : r))), [setRows]);
  const addAfter = useCallback((key: number) => {
    const rs = current.current;
    const i = rs.findIndex((r) => r.key === key);
    const added = newRow();
    setRows([...rs.slice(0, i + 1), added, ...rs.slice(i + 1)]);
    setFocus({ key: added.key, what: 'cell' });
  }, [setRows, newRow]);
  const remove = useCallback((key: number) => {
    const rs = current.current;
    const i = rs.findIndex((r) => r.key === key);
    const left = rs.filter((r) => r.key !== key);
    const next = left.length ? left : [newRow()];
    setRows(next);
    onRemove?.(i);
    setFocus({ key: next[Math.min(i, next.length - 1)]!.key, what: left.length ? 'remove' : 'cell' });
  }, [setRows, newRow, onRemove]);
  const append = () => {
    const added = newRow();
    setRows([...current.current, added]);
    setFocus({ key: added.key, what: 'cell' });
  };

  // The rows rendered: all of them, or those in view with spacers for the others.
  const items = virtual ? v.getVirtualItems() : [];
  const shown = virtual ? items.map((vi) => vi.index) : rows.map((_, i) => i);
  const top = virtual ? (items[0]?.start ?? 0) : 0;
  const bottom = virtual ? v.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const span = columns.length + (readOnly ? 1 : 3);

  return (
    <>
      {/* Read-only, the box holds nothing to focus: it takes focus itself, so that the keyboard can scroll it. */}
      <div ref={box} className="scroller grid-box" {...(readOnly ? { tabIndex: 0, role: 'region', 'aria-label': label } : {})}>
        <table className="list grid" aria-label={label} ref={table}>
          <thead>
            <tr>
              <th scope="col">#</th>
              {columns.map((c) => <th key={c.field} scope="col">{c.label}</th>)}
              {!readOnly && <th scope="col">{t('common.problems')}</th>}
              {!readOnly && <th scope="col"><span className="sr-only">{t('common.actions')}</span></th>}
            </tr>
          </thead>
          <tbody>
            {top > 0 && (
              <tr aria-hidden="true">
                <td style={{ height: top, padding: 0 }} colSpan={span} />
              </tr>
            )}
            {shown.map((i) => rows[i]!).map((r, j) => (
              <GridRow
                key={r.key}
                row={r}
                n={shown[j]! + 1}
                measure={virtual ? v.measureElement : undefined}
                columns={columns}
                server={problems?.get(r.key)}
                readOnly={!!readOnly}
                changed={!!changed?.has(r.key)}
                edit={edit}
                addAfter={addAfter}
                remove={remove}
              />
            ))}
            {bottom > 0 && (
              <tr aria-hidden="true">
                <td style={{ height: bottom, padding: 0 }} colSpan={span} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {!readOnly && (
        <div className="actions">
          <button type="button" onClick={append}>{t('grid.addRow')}</button>
          {actions}
        </div>
      )}
    </>
  );
}

interface GridRowProps<F extends string> {
  row: DraftRow<F>;
  n: number;
  measure?: (el: HTMLTableRowElement | null) => void; // a virtual row's height, measured
  columns: readonly GridColumn<F>[];
  server: readonly CellProblem[] | undefined;
  readOnly: boolean;
  changed: boolean;
  edit: (key: number, f: F, v: string) => void;
  addAfter: (key: number) => void;
  remove: (key: number) => void;
}

function GridRowOf<F extends string>({ row: r, n, measure, columns, server, readOnly, changed, edit, addAfter, remove }: GridRowProps<F>) {
  const t = useT();
  const ps = readOnly ? [] : rowProblems(r, columns, server);
  const cls = [ps.length ? 'bad' : '', changed ? 'changed' : ''].filter(Boolean).join(' ');
  const labelOf = (f: string) => columns.find((c) => c.field === f)?.label ?? f.replace(/_/g, ' ');
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      addAfter(r.key);
    }
  };
  return (
    <tr ref={measure} data-index={n - 1} data-key={r.key} data-row={n} className={cls || undefined}>
      <td className="num">{n}{changed && <span className="unsaved" title={t('grid.unsaved')}> •<span className="sr-only"> {t('grid.unsaved')}</span></span>}</td>
      {columns.map((c) => {
        const applies = c.applies ? c.applies(r) : true;
        if (applies === false) return <td key={c.field} />;
        if (typeof applies === 'string') return <td key={c.field} className="derived muted" data-field={c.field}>{applies}</td>;
        if (readOnly) return <td key={c.field} className={c.kind === 'number' ? 'num' : undefined} data-field={c.field}>{c.show ? c.show(r) : c.kind === 'select' && r[c.field] ? (c.choiceText ?? ((v: string) => choiceLabel(t, c.field, v)))(r[c.field]) : r[c.field]}</td>;
        const p = ps.find((x) => x.field === c.field);
        const pid = `problem-${r.key}-${c.field}`;
        const common = {
          'aria-label': t('grid.cell', { label: c.label, row: n }),
          'aria-invalid': p ? true : undefined,
          'aria-describedby': p ? pid : undefined,
          onKeyDown,
        };
        const suffix = c.suffix?.(r);
        return (
          <td key={c.field} data-field={c.field}>
            <span className="cell">
              {c.kind === 'select' ? (
                <select {...common} value={r[c.field]} onChange={(e) => edit(r.key, c.field, e.target.value)}>
                  <option value="">{c.blank?.(r) ?? ''}</option>
                  {(c.choices ?? []).map((v) => <option key={v} value={v}>{c.choiceText ? c.choiceText(v) : choiceLabel(t, c.field, v)}</option>)}
                </select>
              ) : (
                <input
                  {...common}
                  type={c.kind === 'date' ? 'date' : 'text'}
                  inputMode={c.kind === 'number' ? 'decimal' : undefined}
                  size={c.size}
                  placeholder={c.placeholder?.(r)}
                  spellCheck={false}
                  autoComplete="off"
                  value={r[c.field]}
                  onChange={(e) => edit(r.key, c.field, c.upper ? e.target.value.toUpperCase() : e.target.value)}
                />
              )}
              {suffix && <span className="unit muted">{suffix}</span>}
            </span>
            {p && <div className="cell-problem" id={pid}>{p.message}</div>}
          </td>
        );
      })}
      {!readOnly && (
        <td className="problems">
          {ps.map((p, j) => <div key={j}>{p.field ? `${labelOf(p.field)}: ${p.message}` : p.message}</div>)}
        </td>
      )}
      {!readOnly && (
        <td>
          <button type="button" className="remove" aria-label={t('grid.removeRow', { row: n })} onClick={() => remove(r.key)}>✕</button>
        </td>
      )}
    </tr>
  );
}
const GridRow = memo(GridRowOf) as typeof GridRowOf;
