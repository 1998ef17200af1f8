// A sortable, filterable table (TanStack Table) whose rows are virtual (TanStack Virtual): only the
// rows in view are in the DOM, so 5,000 positions scroll smoothly. Its first column is pinned
// (class `pinned`, theme.css): the row's key stays in view as a wide table scrolls sideways.
import { useRef, useState } from 'react';
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useSession } from '../app/session';

const ROW_PX = 30;

export function DataTable<T>({
  data,
  columns,
  label,
  height = 440,
  filter = true,
  pinned = true,
}: {
  data: T[];
  columns: ColumnDef<T, unknown>[];
  label: string;
  height?: number;
  filter?: boolean;
  pinned?: boolean;
}) {
  const { t, fmt } = useSession();
  const [sorting, setSorting] = useState<SortingState>([]);
  const [globalFilter, setGlobalFilter] = useState('');
  const table = useReactTable({
    data,
    columns,
    state: { sorting, globalFilter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  const rows = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 12 });
  const items = v.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = v.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    <div className="datatable">
      {filter && (
        <input
          className="filter"
          type="search"
          placeholder={t('table.filter')}
          aria-label={t('table.filterOf', { label })}
          value={globalFilter}
          onChange={(e) => setGlobalFilter(e.target.value)}
        />
      )}
      <div ref={scroller} className="scroller" style={{ maxHeight: height }} tabIndex={0} role="region" aria-label={label} data-testid="table-scroller">
        <table className={pinned ? 'pinned' : undefined}>
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const dir = h.column.getIsSorted();
                  return (
                    <th key={h.id} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'} className={(h.column.columnDef.meta as { num?: boolean } | undefined)?.num ? 'num' : ''}>
                      <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        {dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {top > 0 && (
              <tr aria-hidden="true">
                <td style={{ height: top, padding: 0 }} colSpan={columns.length} />
              </tr>
            )}
            {items.map((vi) => {
              const row = rows[vi.index]!;
              return (
                <tr key={row.id} style={{ height: ROW_PX }}>
                  {row.getVisibleCells().map((c) => (
                    <td key={c.id} className={(c.column.columnDef.meta as { num?: boolean } | undefined)?.num ? 'num' : ''}>
                      {flexRender(c.column.columnDef.cell, c.getContext())}
                    </td>
                  ))}
                </tr>
              );
            })}
            {bottom > 0 && (
              <tr aria-hidden="true">
                <td style={{ height: bottom, padding: 0 }} colSpan={columns.length} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="muted small">
        {t('table.rows', { shown: fmt.num(rows.length, 0), total: fmt.num(data.length, 0) })}
      </div>
    </div>
  );
}
