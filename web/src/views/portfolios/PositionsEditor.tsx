// A portfolio's positions in an editable grid (docs/formats.md "Positions"): symbol, quantity and
// the optional columns, an option's terms from its OCC symbol (checked as typed) or from their own
// cells. Saving sends every row as the JSON array of POST …/positions, which replaces the stored
// positions; the server checks every row as it checks an imported file and stores nothing unless
// all are valid, and a refused row shows the server's problems by its cells. The unsaved changes
// are counted and can be discarded; leaving the page with some asks first. keel refuses an upload
// without rows, so a book whose every row was removed is not sent. Without the
// import_positions permission (a viewer) the grid is read-only.
import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { PositionsImportResult, PositionsList } from '../../api/types';
import { navigate, useLeaveGuard } from '../../app/router';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { EditGrid } from '../../components/EditGrid';
import { changesOf, isBlank, serverProblems, type Changes } from '../../components/editRows';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { emptyPosition, POSITION_FIELDS, positionColumns, positionToRow, rowToPosition, type PositionDraft } from './positions';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function describeChanges(c: Changes): string {
  if (!c.total) return 'No unsaved changes';
  const parts = [c.added && `${c.added} added`, c.changed && `${c.changed} edited`, c.removed && `${c.removed} removed`].filter(Boolean);
  return `${plural(c.total, 'unsaved change', 'unsaved changes')} (${parts.join(', ')})`;
}

export function PositionsEditor({ portfolio }: { portfolio: string }) {
  const { can, fmt } = useSession();
  const qc = useQueryClient();
  useTitle(`${portfolio} (positions)`);
  const editable = can('import_positions');
  const route = `/api/v1/portfolios/${seg(portfolio)}/positions`;
  const stored = useQuery({ queryKey: ['positions', portfolio], queryFn: () => api<PositionsList>('GET', route), staleTime: Infinity });
  const columns = useMemo(() => positionColumns(fmt), [fmt]);

  // The rows as loaded (the baseline of the unsaved changes) and as edited; loaded again after
  // every fetch of the stored positions (the first, and the one after a save).
  const [loadedAt, setLoadedAt] = useState(0);
  const [baseline, setBaseline] = useState<PositionDraft[]>([]);
  const [rows, setRows] = useState<PositionDraft[]>([]);
  const load = (b: PositionDraft[]) => {
    setBaseline(b);
    setRows(b.length || !editable ? b : [emptyPosition()]);
  };
  if (stored.data && stored.dataUpdatedAt !== loadedAt) {
    setLoadedAt(stored.dataUpdatedAt);
    load(stored.data.items.map(positionToRow));
  }

  // The rows sent by the last save, so that the server's problems (numbered by the rows sent) find
  // their rows whatever was added or removed since.
  const [sent, setSent] = useState<PositionDraft[]>([]);
  const save = useMutation({
    mutationFn: (send: PositionDraft[]) => api<PositionsImportResult>('POST', route, { body: { positions: send.map(rowToPosition) } }),
    onMutate: (send) => setSent(send),
    // Everything the positions feed is stale now; this list is fetched again and reloads the grid.
    onSuccess: () => qc.invalidateQueries(),
  });
  const problems = useMemo(() => serverProblems(save.error, sent, POSITION_FIELDS), [save.error, sent]);
  const changes = useMemo(() => changesOf(baseline, rows, POSITION_FIELDS), [baseline, rows]);
  useLeaveGuard(editable && changes.total ? `Leave the positions of ${portfolio}? ${describeChanges(changes)} will be lost.` : null);

  const toSend = rows.filter((r) => !isBlank(r, POSITION_FIELDS));
  const go = (to: string) => navigate(`/portfolios/${seg(portfolio)}${to}`);
  return (
    <section>
      <div className="titlebar">
        <h1>Positions of {portfolio}</h1>
        <span className="spacer" />
        <button type="button" onClick={() => go('')}>Dashboard</button>
        {editable && <button type="button" onClick={() => go('/import')}>Import a file</button>}
      </div>
      {editable ? (
        <p className="muted small">
          Symbol: a ticker, or an OCC option symbol — root, expiry YYMMDD, C or P, strike × 1000 in 8 digits (<code className="pre">AAPL  240119C00150000</code> or{' '}
          <code>AAPL240119C00150000</code>), which gives the option&apos;s terms. Another option needs type option, underlying, strike, expiry and call or put.
          Quantity: shares or contracts, negative for a short. Enter in a cell adds a row under it. Saving replaces every position of the portfolio, and
          nothing is stored unless every row is valid.
        </p>
      ) : (
        <p className="muted">The stored positions, as written. Changing them needs the analyst, manager or administrator role.</p>
      )}
      {stored.isLoading && <Loading what="the positions" />}
      <ErrorBox error={stored.error} />
      {stored.data && !editable && rows.length === 0 && <Empty>No positions.</Empty>}
      {stored.data && (editable || rows.length > 0) && (
        <EditGrid
          label={`Positions of ${portfolio}`}
          columns={columns}
          rows={rows}
          setRows={setRows}
          newRow={emptyPosition}
          problems={problems}
          readOnly={!editable}
          changed={changes.changedKeys}
          actions={
            <>
              <button type="button" className="primary" disabled={save.isPending || !changes.total || !toSend.length} onClick={() => save.mutate(toSend)}>
                Save positions
              </button>
              <button
                type="button"
                disabled={save.isPending || !changes.total}
                onClick={() => {
                  save.reset();
                  load(baseline);
                }}
              >
                Discard changes
              </button>
              <span role="status" className={changes.total ? 'unsaved' : 'muted'} data-testid="unsaved">{describeChanges(changes)}</span>
              {changes.total > 0 && !toSend.length && (
                <span className="muted" data-testid="empty-book">keel keeps no portfolio without positions: add one, or delete the portfolio from the list.</span>
              )}
            </>
          }
        />
      )}
      {editable && stored.data && (
        <>
          <ErrorBox error={save.error} />
          {save.isSuccess && !changes.total && (
            <div className="ok" role="status" data-testid="saved">
              Saved: {portfolio} holds {plural(save.data.positions, 'position', 'positions')}
              {save.data.options ? `, ${plural(save.data.options, 'option', 'options')} among them` : ''}.
            </div>
          )}
        </>
      )}
    </section>
  );
}
