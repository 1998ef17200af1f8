// A stored deal's trades, tested before they are made (docs/clo.md "Trades tested before they are
// made"): the manager writes a ticket line by line (buy, sell, upsize, downsize; a sale names a loan
// of the pool) or pastes or uploads a CSV ticket; "Test the trades" asks
// POST …/trades/preview and shows each line's cash, par and principal cash before and after, every
// test before and after with its effect, and the maintain-or-improve verdict; "Make the trades"
// (import_positions) keeps the pool after the ticket as a new version (POST …/trades), asking for
// a comment and, when the ticket does not comply, for a confirmation. Every figure is the API's.
import { useCallback, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg, type Schemas } from '../../api/client';
import { choiceLabel } from '../../app/i18n';
import { labelOf } from '../../app/labels';
import { setQuery } from '../../app/router';
import { useSession } from '../../app/session';
import { EditGrid } from '../../components/EditGrid';
import { serverProblems } from '../../components/editRows';
import { Kpi } from '../../components/Kpi';
import { ErrorBox, Loading } from '../../components/States';
import { cloTestTitle, cloTestValue, effectZone } from './cloFormat';
import { emptyLine, filledLines, loanChoices, loanText, ticketColumns, ticketCsv, TICKET_FIELDS, type SpreadUnit, type TicketLine } from './ticket';

type TradeResult = Schemas['CloTradeResult'];
type Collateral = Schemas['CloDealCollateral'];

// Today in the browser's time zone, as YYYY-MM-DD.
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

interface Tested {
  csv: string;
  date: string;
  version: number;
  lines: TicketLine[]; // the editor's lines sent (empty for a pasted ticket): the server's line numbers name them
}

export function TradesTab({ id, latest, currency }: { id: string; latest: number; currency: string }) {
  const { can, t } = useSession();
  const qc = useQueryClient();
  const pool = useQuery({ queryKey: ['clo-pool', id, latest], queryFn: () => api<Collateral>('GET', `/api/v1/clo/deals/${seg(id)}/collateral?version=${latest}`) });
  const [mode, setMode] = useState<'editor' | 'csv'>('editor');
  const [rows, setRows] = useState<TicketLine[]>(() => [emptyLine()]);
  const [unit, setUnit] = useState<SpreadUnit>('bp');
  const [text, setText] = useState('');
  const [date, setDate] = useState(today);
  const [comment, setComment] = useState('');
  const file = useRef<HTMLInputElement>(null);

  const lines = filledLines(rows);
  const csv = mode === 'editor' ? ticketCsv(rows, unit) : text;
  const loans = useMemo(() => {
    const refs = (pool.data?.items ?? []).map((l) => ({ asset_id: l.asset_id, obligor: l.obligor }));
    const c = loanChoices(refs, rows);
    return { keys: c.keys, text: (k: string) => loanText(k, c.refs) };
  }, [pool.data, rows]);
  const actionText = useCallback((v: string) => labelOf(t, 'cloAction', v), [t]);
  const columns = useMemo(() => ticketColumns(t, loans, unit, actionText), [t, loans, unit, actionText]);

  const [tested, setTested] = useState<Tested | null>(null);
  const preview = useMutation({
    mutationFn: (x: Tested) => api<TradeResult>('POST', `/api/v1/clo/deals/${seg(id)}/trades/preview`, { body: { trade_date: x.date, trades_csv: x.csv, version: x.version } }),
    onMutate: (x) => setTested(x),
  });
  const apply = useMutation({
    mutationFn: (x: Tested) => api<TradeResult>('POST', `/api/v1/clo/deals/${seg(id)}/trades`, { body: { trade_date: x.date, trades_csv: x.csv, comment: comment.trim() } }),
    onSuccess: () => {
      for (const key of [['clo-versions', id], ['clo-deal', id], ['clo-pool', id], ['clo-deals'], ['clo-run', id], ['clo-determinations', id]]) void qc.invalidateQueries({ queryKey: key });
      setRows([emptyLine()]);
      setText('');
      setComment('');
      preview.reset();
    },
  });
  // The verdict shown is the one of the ticket as it is now, on the latest version: any edit (or a
  // new version) asks for another test before the trades are made.
  const fresh = !!tested && !!preview.data && tested.csv === csv && tested.date === date && tested.version === latest;
  const test = () => {
    apply.reset();
    preview.mutate({ csv, date, version: latest, lines: mode === 'editor' ? lines : [] });
  };
  const make = () => {
    if (!fresh || !preview.data || !tested) return;
    if (!preview.data.complies && !window.confirm(t('clo.tr.confirmBreach', { breaks: preview.data.breaks.length, worsens: preview.data.worsens.length }))) return;
    apply.mutate(tested);
  };
  const error = preview.error ?? apply.error;
  const problems = useMemo(() => serverProblems(error, tested?.lines ?? [], TICKET_FIELDS), [error, tested]);
  const { reset: resetPreview } = preview;
  const { reset: resetApply } = apply;
  const resetErrors = useCallback(() => {
    resetPreview();
    resetApply();
  }, [resetPreview, resetApply]);
  const toCsv = () => {
    if (!text.trim()) setText(ticketCsv(rows, unit));
    setMode('csv');
  };
  const readTicket = async () => {
    const f = file.current?.files?.[0];
    if (f) setText(await f.text());
  };
  const shown = apply.data ?? (fresh ? preview.data : undefined);

  return (
    <>
      <p className="muted small">{t('clo.tr.help', { version: latest })}</p>
      <form className="params" aria-label={t('clo.tr.settings')} onSubmit={(e) => e.preventDefault()}>
        <label>{t('clo.tr.date')}<input type="date" required value={date} onChange={(e) => setDate(e.target.value)} aria-label={t('clo.tr.date')} /></label>
        <fieldset className="params">
          <legend>{t('clo.tr.written')}</legend>
          <label className="check"><input type="radio" name="ticket-mode" checked={mode === 'editor'} onChange={() => setMode('editor')} /> {t('clo.tr.inEditor')}</label>
          <label className="check"><input type="radio" name="ticket-mode" checked={mode === 'csv'} onChange={toCsv} /> {t('clo.tr.asCsv')}</label>
        </fieldset>
        {mode === 'editor' && (
          <label>
            {t('clo.tr.spreadIn')}
            <select value={unit} onChange={(e) => setUnit(e.target.value === 'percent' ? 'percent' : 'bp')} aria-label={t('clo.tr.spreadUnit')}>
              <option value="bp">{t('clo.tr.bp')}</option>
              <option value="percent">{t('clo.tr.percent')}</option>
            </select>
          </label>
        )}
      </form>
      {pool.isLoading && <Loading what={t('clo.loading.collateral')} />}
      <ErrorBox error={pool.error} />
      {mode === 'editor' ? (
        <div data-testid="ticket-editor">
          <EditGrid label={t('clo.tr.ticket')} columns={columns} rows={rows} setRows={setRows} newRow={emptyLine} problems={problems} onRemove={resetErrors} />
        </div>
      ) : (
        <div className="stack" data-testid="ticket-csv">
          <label htmlFor="ticket-text">{t('clo.tr.csvLabel')} <code>action,asset_id|obligor,par,price,…</code></label>
          <textarea id="ticket-text" rows={6} cols={90} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
          <label>{t('clo.tr.csvFile')} <input type="file" accept=".csv,text/csv" ref={file} onChange={() => void readTicket()} aria-label={t('clo.tr.csvFile')} /></label>
        </div>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={test} disabled={preview.isPending || !csv.trim() || !date}>{t('clo.tr.test')}</button>
        {preview.isPending && <Loading what={t('clo.tr.testing')} />}
      </div>
      <ErrorBox error={error} />
      {preview.data && !fresh && !apply.data && <p className="warning" role="status">{t('clo.tr.stale')}</p>}
      {shown && <TradeView r={shown} currency={currency} />}
      {fresh && !apply.data && (
        can('import_positions') ? (
          <form className="params" aria-label={t('clo.tr.makeForm')} onSubmit={(e) => { e.preventDefault(); make(); }}>
            <label>{t('common.comment')}<input value={comment} onChange={(e) => setComment(e.target.value)} required maxLength={500} aria-label={t('clo.tr.comment')} /></label>
            <button type="submit" className={preview.data?.complies ? 'primary' : 'danger'} disabled={apply.isPending || !comment.trim()}>{t('clo.tr.make')}</button>
            {apply.isPending && <Loading what={t('clo.tr.making')} />}
          </form>
        ) : (
          <p className="muted">{t('clo.tr.roleTests')}</p>
        )
      )}
    </>
  );
}

// A tested (or applied) ticket: the verdict, the lines with their cash, par and principal cash
// before and after, and every test before and after with its effect.
function TradeView({ r, currency }: { r: TradeResult; currency: string }) {
  const { fmt, t } = useSession();
  const money = (x: number | null | undefined) => fmt.money(x, currency);
  return (
    <section aria-label={t('clo.tr.result')} data-testid="trade-result" data-applied={r.applied}>
      <div className={r.complies ? 'ok' : 'error'} role="status" data-testid="verdict" data-complies={r.complies}>
        <strong>{t(r.complies ? 'clo.tr.complies' : 'clo.tr.notComply')}</strong>
        {r.breaks.length > 0 && <div data-field="breaks">{t('clo.tr.breaks', { names: r.breaks.join(', ') })}</div>}
        {r.worsens.length > 0 && <div data-field="worsens">{t('clo.tr.worsens', { names: r.worsens.join(', ') })}</div>}
      </div>
      {r.applied ? (
        <div className="ok" data-testid="applied">
          {t('clo.tr.applied', { version: r.new_version ?? '' })}{' '}
          <button type="button" onClick={() => setQuery({ tab: 'versions', version: null })}>{t('clo.tr.showVersions')}</button>
        </div>
      ) : (
        <p className="muted small">{t('clo.tr.previewNote', { date: fmt.date(r.trade_date), version: r.version })}</p>
      )}
      {r.warnings.length > 0 && (
        <ul className="warning" data-testid="trade-warnings">
          {r.warnings.map((w, i) => <li key={i}>{w}</li>)}
        </ul>
      )}
      <table className="list" aria-label={t('clo.tr.balances')} data-testid="trade-balances">
        <thead>
          <tr><th><span className="sr-only">{t('clo.tr.balance')}</span></th><th className="num">{t('common.before')}</th><th className="num">{t('common.after')}</th><th className="num">{t('common.change')}</th></tr>
        </thead>
        <tbody>
          {([['par', t('clo.tr.par'), r.par_before, r.par_after], ['principal_cash', t('clo.tr.principalCash'), r.principal_cash_before, r.principal_cash_after]] as const).map(([k, label, before, after]) => (
            <tr key={k} data-row={k}>
              <th scope="row">{label}</th>
              <td className="num" data-field="before">{money(before)}</td>
              <td className="num" data-field="after">{money(after)}</td>
              <td className="num" data-field="change">{before !== null && after !== null ? money(after - before) : money(null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="kpis" data-testid="trade-kpis">
        <Kpi id="net_cash" label={t('clo.tr.netCash')}>{money(r.net_cash)}</Kpi>
        <Kpi id="proceeds" label={t('clo.tr.proceeds')}>{money(r.proceeds)}</Kpi>
        <Kpi id="cost" label={t('clo.tr.cost')}>{money(r.cost)}</Kpi>
      </div>
      <table className="list" aria-label={t('clo.tr.lines')} data-testid="trade-lines">
        <thead>
          <tr><th className="num">#</th><th>{t('clo.tr.col.action')}</th><th>{t('clo.tr.col.assetId')}</th><th>{t('clo.tr.col.obligor')}</th><th className="num">{t('clo.tr.col.par')}</th><th className="num">{t('clo.tr.col.price')}</th><th className="num">{t('clo.tr.cash')}</th></tr>
        </thead>
        <tbody>
          {r.lines.map((l, i) => (
            <tr key={i} data-line={i + 1}>
              <td className="num">{i + 1}</td>
              <td>{labelOf(t, 'cloAction', l.action)}</td>
              <td>{l.asset_id}</td>
              <td>{l.obligor}</td>
              <td className="num" data-field="par">{money(l.par)}</td>
              <td className="num" data-field="price">{fmt.num(l.price, 2)}</td>
              <td className="num" data-field="cash">{money(l.cash)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="list" aria-label={t('clo.tr.tests')} data-testid="trade-tests">
        <caption>{t('clo.tr.testsCaption')}</caption>
        <thead>
          <tr><th>{t('clo.q.test')}</th><th>{t('clo.tr.kind')}</th><th>{t('clo.q.limit')}</th><th className="num">{t('common.before')}</th><th className="num">{t('common.after')}</th>
            <th className="num">{t('clo.tr.cushionBefore')}</th><th className="num">{t('clo.tr.cushionAfter')}</th><th>{t('clo.tr.effect')}</th></tr>
        </thead>
        <tbody>
          {r.tests.map((x) => {
            const flagged = x.effect === 'breaks' || (x.effect === 'worsens' && !x.pass_after);
            const show = (v: number | null | undefined) => cloTestValue(fmt, x.name, v);
            return (
              <tr key={`${x.kind} ${x.name}`} data-test={x.name} data-effect={x.effect} className={flagged ? 'bad' : undefined}>
                <td>{flagged ? <strong>{cloTestTitle(x.name, x.subject_before, x.subject_after)}</strong> : cloTestTitle(x.name, x.subject_before, x.subject_after)}</td>
                <td>{choiceLabel(t, 'testKind', x.kind)}</td>
                <td>{x.bound === 'max' ? t('clo.atMost') : t('clo.atLeast')} {show(x.threshold)}</td>
                <td className="num" data-field="before">{show(x.before)}{x.pass_before ? '' : ` (${t('clo.fail')})`}</td>
                <td className="num" data-field="after">{show(x.after)}{x.pass_after ? '' : ` (${t('clo.fail')})`}</td>
                <td className="num" data-field="cushion_before">{show(x.cushion_before)}</td>
                <td className="num" data-field="cushion_after">{show(x.cushion_after)}</td>
                <td data-field="effect"><span className={effectZone(x.effect, x.pass_after)}>{labelOf(t, 'cloEffect', x.effect)}</span></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
