// What-if: a modelling session on a portfolio (docs/whatif.md). Trades are typed into an editable
// grid (symbol, quantity, optional price and instrument columns) or pasted as CSV (the trades file
// format); the session's stored trades are removed one by one; calculate gives before / after /
// change of exposures, Greeks, VaR/ES, betas and stress; the book after the trades is saved as a
// new portfolio (manager, admin). The session id and the calculation's parameters live in the URL.
import { useCallback, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { Job, SessionCreated, SessionShown, TradesAdded, WhatIfMetrics, WhatIfResult, WhatIfSaved } from '../../api/types';
import { resultOrJob } from '../plan/jobs';
import { navigate, setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { EditGrid } from '../../components/EditGrid';
import { isBlank, serverProblems } from '../../components/editRows';
import { choiceLabel, fieldLabel, type PlainKey, type Translate } from '../../app/i18n';
import { labelOf } from '../../app/labels';
import { bodyFrom, ParamControls } from '../../components/ParamControls';
import { ErrorBox, Loading } from '../../components/States';
import { emptyRow, toTrade, tradeColumns, TRADE_FIELDS, type TradeDraft } from './trades';

// The flat metrics of before / after / change, in groups (docs/whatif.md "Flat metrics").
const GROUPS: { title: PlainKey; match: (k: string) => boolean }[] = [
  { title: 'whatif.g.exposures', match: (k) => k === 'positions' || /^(gross|net|long|short)$/.test(k) || /^(delta_adjusted|notional)_/.test(k) },
  { title: 'whatif.g.greeks', match: (k) => ['dollar_delta', 'dollar_gamma_1pct', 'vega_per_point', 'theta_per_day'].includes(k) },
  { title: 'whatif.g.var', match: (k) => /^(var|es)_/.test(k) },
  { title: 'whatif.g.betas', match: (k) => k.startsWith('beta_') || k === 'factor_r2' },
];
const CALC_FIELDS = ['method', 'confidence', 'window', 'horizon'];
// A metric of a side by its name: the fixed ones and the beta_<factor> ones the data names.
const metric = (side: WhatIfMetrics, k: string) => (side as unknown as Record<string, number | null | undefined>)[k];
// A metric's label: the label table's, a beta_<factor> by its factor.
const metricLabel = (t: Translate, k: string) => (k.startsWith('beta_') ? t('whatif.beta', { factor: labelOf(t, 'factor', k.slice(5)) }) : fieldLabel(t, k));

export function WhatIfView({ portfolio }: { portfolio: string }) {
  const { fmt, can, t, rich } = useSession();
  const { query } = useLocation();
  const qc = useQueryClient();
  useTitle(t('whatif.docTitle', { name: portfolio }));
  const id = query.get('session');
  const [rows, setRows] = useState<TradeDraft[]>(() => [emptyRow()]);
  const [csv, setCsv] = useState('symbol,quantity,price\n');
  const [saveAs, setSaveAs] = useState('');
  const open = useMutation({
    mutationFn: () => api<SessionCreated>('POST', `/api/v1/portfolios/${seg(portfolio)}/sessions`, { body: { name: `${portfolio} ${new Date().toISOString()}` } }),
    onSuccess: (s) => setQuery({ session: String(s.id) }),
  });
  const session = useQuery({ queryKey: ['session', id], queryFn: () => api<SessionShown>('GET', `/api/v1/sessions/${seg(id!)}`), enabled: !!id });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['session', id] });
  // The rows sent by the last add, so that the server's problems (numbered by the rows sent) find
  // their rows.
  const [sent, setSent] = useState<TradeDraft[]>([]);
  const addGrid = useMutation({
    mutationFn: (send: TradeDraft[]) => api<TradesAdded>('POST', `/api/v1/sessions/${seg(id!)}/trades`, { body: { trades: send.map(toTrade) } }),
    onMutate: (send) => setSent(send),
    onSuccess: () => {
      setRows([emptyRow()]);
      refresh();
    },
  });
  const addCsv = useMutation({ mutationFn: () => api<TradesAdded>('POST', `/api/v1/sessions/${seg(id!)}/trades`, { csv }), onSuccess: refresh });
  const del = useMutation({ mutationFn: (n: number) => api('DELETE', `/api/v1/sessions/${seg(id!)}/trades/${n}`), onSuccess: refresh });
  const calcBody = bodyFrom('WhatIfRequest', CALC_FIELDS, query);
  // The result, or a job when the calculation is too large to answer at once (a big Monte Carlo).
  const calc = useMutation({
    mutationFn: async () => resultOrJob<WhatIfResult>(await api<WhatIfResult | Job>('POST', `/api/v1/sessions/${seg(id!)}/calculate`, { body: calcBody })),
  });
  const save = useMutation({
    mutationFn: () => api<WhatIfSaved>('POST', `/api/v1/sessions/${seg(id!)}/save`, { body: { name: saveAs.trim() } }),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: ['portfolios'] });
      navigate(`/portfolios/${seg(p.name)}`);
    },
  });
  // The server names a refused grid row as body.json:LINE:COLUMN, element i being line i + 2.
  const columns = useMemo(() => tradeColumns(t), [t]);
  const rowProblems = useMemo(() => serverProblems(addGrid.error, sent, TRADE_FIELDS), [addGrid.error, sent]);
  const resetAdd = addGrid.reset;
  const onRemove = useCallback(() => resetAdd(), [resetAdd]);

  if (!can('compute')) return <div className="error" role="alert">{t('state.notAllowed')}{t('whatif.notAllowed')}</div>;
  if (!id) {
    return (
      <section>
        <h1>{t('whatif.title', { name: portfolio })}</h1>
        <button type="button" className="primary" onClick={() => open.mutate()} disabled={open.isPending}>{t('whatif.open')}</button>
        <ErrorBox error={open.error} />
      </section>
    );
  }
  const d = calc.data;
  const filled = rows.filter((r) => !isBlank(r, TRADE_FIELDS));
  return (
    <section>
      <h1>{t('whatif.title', { name: portfolio })}</h1>
      {session.isLoading && <Loading what={t('whatif.loading.session')} />}
      <ErrorBox error={session.error} />
      {session.data && (
        <>
          <p className="muted">{t('whatif.session', { id: session.data.id, name: session.data.name })}</p>
          <h2>{t('whatif.newTrades')}</h2>
          <p className="muted small">{t('whatif.newTradesHelp')}</p>
          <EditGrid
            label={t('whatif.newTrades')}
            columns={columns}
            rows={rows}
            setRows={setRows}
            newRow={emptyRow}
            problems={rowProblems}
            onRemove={onRemove}
            actions={
              <button type="button" className="primary" onClick={() => addGrid.mutate(filled)} disabled={addGrid.isPending || !filled.length}>
                {t('whatif.addTrades', { count: filled.length })}
              </button>
            }
          />
          <ErrorBox error={addGrid.error} />
          <details>
            <summary>{t('whatif.paste')}</summary>
            <label htmlFor="trades-csv">{t('whatif.pasteLabel')}</label>
            <textarea id="trades-csv" rows={5} cols={70} value={csv} onChange={(e) => setCsv(e.target.value)} />
            <div>
              <button type="button" onClick={() => addCsv.mutate()} disabled={addCsv.isPending}>{t('whatif.addPasted')}</button>
            </div>
            <ErrorBox error={addCsv.error} />
          </details>
          <h2>{t('whatif.tradesIn')}</h2>
          <ErrorBox error={del.error} />
          {session.data.trades.length === 0 ? (
            <p className="muted">{t('whatif.noTrades')}</p>
          ) : (
            <table className="list" aria-label={t('whatif.sessionTrades')}>
              <thead><tr><th>#</th><th>{t('common.symbol')}</th><th className="num">{t('common.quantity')}</th><th className="num">{t('common.price')}</th><th>{t('common.type')}</th><th>{t('common.actions')}</th></tr></thead>
              <tbody>
                {session.data.trades.map((tr) => (
                  <tr key={tr.number} data-trade={tr.number}>
                    <td>{tr.number}</td><td>{tr.symbol}</td><td className="num">{fmt.num(tr.quantity, 0)}</td><td className="num">{tr.price === null ? t('whatif.closeModel') : fmt.num(tr.price)}</td><td>{tr.type ? choiceLabel(t, 'type', tr.type) : ''}</td>
                    <td><button type="button" className="danger" aria-label={t('whatif.removeTrade', { number: tr.number, symbol: tr.symbol })} onClick={() => del.mutate(tr.number)}>{t('common.remove')}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t('whatif.calculate')}</h2>
          <ParamControls schema="WhatIfRequest" fields={CALC_FIELDS} query={query} />
          <button type="button" className="primary" onClick={() => calc.mutate()} disabled={calc.isPending || !session.data.trades.length}>{t('whatif.calculate')}</button>
          {calc.isPending && <Loading what={t('whatif.loading.calc')} />}
          <ErrorBox error={calc.error} />
        </>
      )}
      {d && (
        <>
          <h2>{t('whatif.results')}</h2>
          <p className="muted">
            {rich('whatif.cash', { date: fmt.date(d.as_of), cash: <span data-field="cash">{fmt.money(d.cash_amount)}</span> })}
          </p>
          {d.warnings.length > 0 && (
            <details className="warning">
              <summary>{t('common.warnings', { count: d.warnings.length })}</summary>
              {d.warnings.map((w, i) => <div key={i}>{w}</div>)}
            </details>
          )}
          {GROUPS.map((g) => {
            const keys = Object.keys(d.before).filter(g.match);
            if (!keys.length) {
              return g.title === 'whatif.g.betas' && d.factors && !d.factors.available ? (
                <p key={g.title} className="muted">{t('whatif.betasNa', { reason: d.factors.reason ?? t('whatif.na') })}</p>
              ) : null;
            }
            return (
              <table key={g.title} className="list" aria-label={t('whatif.groupTable', { group: t(g.title) })}>
                <caption>{t(g.title)}</caption>
                <thead><tr><th>{t('whatif.metric')}</th><th className="num">{t('common.before')}</th><th className="num">{t('common.after')}</th><th className="num">{t('common.change')}</th></tr></thead>
                <tbody>
                  {keys.map((k) => {
                    const f = k.startsWith('beta_') || k === 'factor_r2' ? (x: number | null | undefined) => fmt.num(x, 3) : k === 'positions' ? (x: number | null | undefined) => fmt.num(x, 0) : fmt.money;
                    return (
                      <tr key={k} data-metric={k}>
                        <td>{metricLabel(t, k)}</td><td className="num" data-field="before">{f(metric(d.before, k))}</td><td className="num" data-field="after">{f(metric(d.after, k))}</td><td className="num" data-field="change">{f(metric(d.change, k))}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            );
          })}
          <h2>{t('whatif.positionsChanged')}</h2>
          <table className="list" aria-label={t('whatif.positionsTable')}>
            <thead><tr><th>{t('common.symbol')}</th><th className="num">{t('common.before')}</th><th className="num">{t('common.after')}</th><th>{t('whatif.effect')}</th></tr></thead>
            <tbody>
              {d.positions.map((p) => (
                <tr key={p.symbol}><td>{p.symbol}</td><td className="num">{fmt.num(p.quantity_before, 0)}</td><td className="num">{fmt.num(p.quantity_after, 0)}</td><td data-effect={p.effect}>{choiceLabel(t, 'effect', p.effect)}</td></tr>
              ))}
            </tbody>
          </table>
          {d.by_sector.length > 0 && (
            <>
              <h2>{t('whatif.bySector')}</h2>
              <table className="list" aria-label={t('whatif.bySectorTable')}>
                <thead><tr><th>{t('common.sector')}</th><th className="num">{t('common.before')}</th><th className="num">{t('common.after')}</th><th className="num">{t('common.change')}</th></tr></thead>
                <tbody>
                  {d.by_sector.map((s) => (
                    <tr key={s.key}><td>{s.key}</td><td className="num">{fmt.money(s.before)}</td><td className="num">{fmt.money(s.after)}</td><td className="num">{fmt.money(s.change)}</td></tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h2>{t('dash.tab.stress')}</h2>
          {d.stress.length === 0 ? (
            <p className="muted">{t('whatif.noStress')}</p>
          ) : (
            <table className="list" aria-label={t('whatif.stressTable')}>
              <thead><tr><th>{t('common.scenario')}</th><th>{t('common.method')}</th><th className="num">{t('common.before')}</th><th className="num">{t('common.after')}</th><th className="num">{t('common.change')}</th></tr></thead>
              <tbody>
                {d.stress.map((s) => (
                  <tr key={s.name + s.method} data-scenario={s.name} data-method={s.method}><td>{labelOf(t, 'scenario', s.name)}</td><td>{choiceLabel(t, 'stress', s.method)}</td><td className="num">{fmt.money(s.before)}</td><td className="num">{fmt.money(s.after)}</td><td className="num">{fmt.money(s.change)}</td></tr>
                ))}
              </tbody>
            </table>
          )}
          {can('manage_portfolios') ? (
            <form className="inline" onSubmit={(e) => { e.preventDefault(); if (saveAs.trim()) save.mutate(); }}>
              <label htmlFor="save-as">{t('whatif.saveAs')}</label>
              <input id="save-as" value={saveAs} onChange={(e) => setSaveAs(e.target.value)} />
              <button type="submit" disabled={save.isPending || !saveAs.trim()}>{t('whatif.saveButton')}</button>
            </form>
          ) : (
            <p className="muted">{t('whatif.saveRole')}</p>
          )}
          <ErrorBox error={save.error} />
        </>
      )}
    </section>
  );
}
