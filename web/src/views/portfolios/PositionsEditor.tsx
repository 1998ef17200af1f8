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
import type { Translate } from '../../app/i18n';
import { navigate, useLeaveGuard } from '../../app/router';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { EditGrid } from '../../components/EditGrid';
import { changesOf, isBlank, serverProblems, type Changes } from '../../components/editRows';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { emptyPosition, POSITION_FIELDS, positionColumns, positionToRow, rowToPosition, type PositionDraft } from './positions';

function describeChanges(t: Translate, c: Changes): string {
  if (!c.total) return t('pos.changes.none');
  const parts = [
    c.added && t('pos.changes.added', { n: c.added }),
    c.changed && t('pos.changes.edited', { n: c.changed }),
    c.removed && t('pos.changes.removed', { n: c.removed }),
  ].filter(Boolean);
  return t('pos.changes', { count: c.total, parts: parts.join(', ') });
}

export function PositionsEditor({ portfolio }: { portfolio: string }) {
  const { can, fmt, t, rich } = useSession();
  const qc = useQueryClient();
  useTitle(t('pos.docTitle', { name: portfolio }));
  const editable = can('import_positions');
  const route = `/api/v1/portfolios/${seg(portfolio)}/positions`;
  const stored = useQuery({ queryKey: ['positions', portfolio], queryFn: () => api<PositionsList>('GET', route), staleTime: Infinity });
  const columns = useMemo(() => positionColumns(fmt, t), [fmt, t]);

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
  useLeaveGuard(editable && changes.total ? t('pos.leave', { name: portfolio, changes: describeChanges(t, changes) }) : null);

  const toSend = rows.filter((r) => !isBlank(r, POSITION_FIELDS));
  const go = (to: string) => navigate(`/portfolios/${seg(portfolio)}${to}`);
  return (
    <section>
      <div className="titlebar">
        <h1>{t('pos.title', { name: portfolio })}</h1>
        <span className="spacer" />
        <button type="button" onClick={() => go('')}>{t('pos.dashboard')}</button>
        {editable && <button type="button" onClick={() => go('/import')}>{t('pos.importFile')}</button>}
      </div>
      {editable ? (
        <p className="muted small">
          {rich('pos.help', { padded: <code className="pre">AAPL  240119C00150000</code>, compact: <code>AAPL240119C00150000</code> })}
        </p>
      ) : (
        <p className="muted">{t('pos.readOnly')}</p>
      )}
      {stored.isLoading && <Loading what={t('pos.loading')} />}
      <ErrorBox error={stored.error} />
      {stored.data && !editable && rows.length === 0 && <Empty>{t('pos.none')}</Empty>}
      {stored.data && (editable || rows.length > 0) && (
        <EditGrid
          label={t('pos.title', { name: portfolio })}
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
                {t('pos.save')}
              </button>
              <button
                type="button"
                disabled={save.isPending || !changes.total}
                onClick={() => {
                  save.reset();
                  load(baseline);
                }}
              >
                {t('pos.discard')}
              </button>
              <span role="status" className={changes.total ? 'unsaved' : 'muted'} data-testid="unsaved">{describeChanges(t, changes)}</span>
              {changes.total > 0 && !toSend.length && (
                <span className="muted" data-testid="empty-book">{t('pos.emptyBook')}</span>
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
              {t('pos.saved', { name: portfolio, count: save.data.positions })}
              {save.data.options ? t('pos.savedOptions', { count: save.data.options }) : ''}.
            </div>
          )}
        </>
      )}
    </section>
  );
}
