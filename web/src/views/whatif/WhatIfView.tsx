// What-if: a modelling session on a portfolio (docs/whatif.md). Trades are typed into an editable
// grid (symbol, quantity, optional price and instrument columns) or pasted as CSV (the trades file
// format); the session's stored trades are removed one by one; calculate gives before / after /
// change of exposures, Greeks, VaR/ES, betas and stress; the book after the trades is saved as a
// new portfolio (manager, admin). The session id and the calculation's parameters live in the URL.
import { useCallback, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { SessionCreated, SessionShown, TradesAdded, WhatIfMetrics, WhatIfResult, WhatIfSaved } from '../../api/types';
import { navigate, setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { EditGrid } from '../../components/EditGrid';
import { isBlank, serverProblems } from '../../components/editRows';
import { bodyFrom, ParamControls } from '../../components/ParamControls';
import { ErrorBox, Loading } from '../../components/States';
import { emptyRow, toTrade, TRADE_COLUMNS, TRADE_FIELDS, type TradeDraft } from './trades';

// The flat metrics of before / after / change, in groups (docs/whatif.md "Flat metrics").
const GROUPS: { title: string; match: (k: string) => boolean }[] = [
  { title: 'Exposures', match: (k) => k === 'positions' || /^(gross|net|long|short)$/.test(k) || /^(delta_adjusted|notional)_/.test(k) },
  { title: 'Greeks', match: (k) => ['dollar_delta', 'dollar_gamma_1pct', 'vega_per_point', 'theta_per_day'].includes(k) },
  { title: 'VaR / ES', match: (k) => /^(var|es)_/.test(k) },
  { title: 'Factor betas', match: (k) => k.startsWith('beta_') || k === 'factor_r2' },
];
const CALC_FIELDS = ['method', 'confidence', 'window', 'horizon'];
// A metric of a side by its name: the fixed ones and the beta_<factor> ones the data names.
const metric = (side: WhatIfMetrics, k: string) => (side as unknown as Record<string, number | null | undefined>)[k];

export function WhatIfView({ portfolio }: { portfolio: string }) {
  const { fmt, can } = useSession();
  const { query } = useLocation();
  const qc = useQueryClient();
  useTitle(`${portfolio} (what-if)`);
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
  const calc = useMutation({ mutationFn: () => api<WhatIfResult>('POST', `/api/v1/sessions/${seg(id!)}/calculate`, { body: calcBody }) });
  const save = useMutation({
    mutationFn: () => api<WhatIfSaved>('POST', `/api/v1/sessions/${seg(id!)}/save`, { body: { name: saveAs.trim() } }),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: ['portfolios'] });
      navigate(`/portfolios/${seg(p.name)}`);
    },
  });
  // The server names a refused grid row as body.json:LINE:COLUMN, element i being line i + 2.
  const rowProblems = useMemo(() => serverProblems(addGrid.error, sent, TRADE_FIELDS), [addGrid.error, sent]);
  const resetAdd = addGrid.reset;
  const onRemove = useCallback(() => resetAdd(), [resetAdd]);

  if (!can('compute')) return <div className="error" role="alert">Not allowed for your role: what-if sessions are computations.</div>;
  if (!id) {
    return (
      <section>
        <h1>What-if on {portfolio}</h1>
        <button type="button" className="primary" onClick={() => open.mutate()} disabled={open.isPending}>Open a modelling session</button>
        <ErrorBox error={open.error} />
      </section>
    );
  }
  const d = calc.data;
  const filled = rows.filter((r) => !isBlank(r, TRADE_FIELDS));
  return (
    <section>
      <h1>What-if on {portfolio}</h1>
      {session.isLoading && <Loading what="the session" />}
      <ErrorBox error={session.error} />
      {session.data && (
        <>
          <p className="muted">Session {session.data.id}: {session.data.name}</p>
          <h2>New trades</h2>
          <p className="muted small">Quantity is the signed change: + buys, − sells. Price (optional) is the execution price for the cash impact; empty: the last close or the model value. Option columns only for an option not yet held.</p>
          <EditGrid
            label="New trades"
            columns={TRADE_COLUMNS}
            rows={rows}
            setRows={setRows}
            newRow={emptyRow}
            problems={rowProblems}
            onRemove={onRemove}
            actions={
              <button type="button" className="primary" onClick={() => addGrid.mutate(filled)} disabled={addGrid.isPending || !filled.length}>
                Add {filled.length} {filled.length === 1 ? 'trade' : 'trades'} to the session
              </button>
            }
          />
          <ErrorBox error={addGrid.error} />
          <details>
            <summary>Paste trades as CSV</summary>
            <label htmlFor="trades-csv">Trades to add (CSV: symbol,quantity[,price,type,underlying,strike,expiry,option_type,multiplier,…])</label>
            <textarea id="trades-csv" rows={5} cols={70} value={csv} onChange={(e) => setCsv(e.target.value)} />
            <div>
              <button type="button" onClick={() => addCsv.mutate()} disabled={addCsv.isPending}>Add pasted trades</button>
            </div>
            <ErrorBox error={addCsv.error} />
          </details>
          <h2>Trades in the session</h2>
          <ErrorBox error={del.error} />
          {session.data.trades.length === 0 ? (
            <p className="muted">No trades yet.</p>
          ) : (
            <table className="list" aria-label="Session trades">
              <thead><tr><th>#</th><th>Symbol</th><th className="num">Quantity</th><th className="num">Price</th><th>Type</th><th>Actions</th></tr></thead>
              <tbody>
                {session.data.trades.map((t) => (
                  <tr key={t.number} data-trade={t.number}>
                    <td>{t.number}</td><td>{t.symbol}</td><td className="num">{fmt.num(t.quantity, 0)}</td><td className="num">{t.price === null ? 'close / model' : fmt.num(t.price)}</td><td>{t.type ?? ''}</td>
                    <td><button type="button" className="danger" aria-label={`Remove trade ${t.number} (${t.symbol})`} onClick={() => del.mutate(t.number)}>Remove</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Calculate</h2>
          <ParamControls schema="WhatIfRequest" fields={CALC_FIELDS} query={query} />
          <button type="button" className="primary" onClick={() => calc.mutate()} disabled={calc.isPending || !session.data.trades.length}>Calculate</button>
          {calc.isPending && <Loading what="before and after" />}
          <ErrorBox error={calc.error} />
        </>
      )}
      {d && (
        <>
          <h2>Before, after, change</h2>
          <p className="muted">
            As of {d.as_of}; cash from the trades <span data-field="cash">{fmt.money(d.cash_amount)}</span> (reported, not added to the book).
          </p>
          {d.warnings.length > 0 && (
            <details className="warning">
              <summary>{d.warnings.length} {d.warnings.length === 1 ? 'warning' : 'warnings'}</summary>
              {d.warnings.map((w, i) => <div key={i}>{w}</div>)}
            </details>
          )}
          {GROUPS.map((g) => {
            const keys = Object.keys(d.before).filter(g.match);
            if (!keys.length) {
              return g.title === 'Factor betas' && d.factors && !d.factors.available ? (
                <p key={g.title} className="muted">Factor betas: {d.factors.reason ?? 'not available'}</p>
              ) : null;
            }
            return (
              <table key={g.title} className="list" aria-label={`What-if ${g.title.toLowerCase()}`}>
                <caption>{g.title}</caption>
                <thead><tr><th>Metric</th><th className="num">Before</th><th className="num">After</th><th className="num">Change</th></tr></thead>
                <tbody>
                  {keys.map((k) => {
                    const f = k.startsWith('beta_') || k === 'factor_r2' ? (x: number | null | undefined) => fmt.num(x, 3) : k === 'positions' ? (x: number | null | undefined) => fmt.num(x, 0) : fmt.money;
                    return (
                      <tr key={k} data-metric={k}>
                        <td>{k}</td><td className="num" data-field="before">{f(metric(d.before, k))}</td><td className="num" data-field="after">{f(metric(d.after, k))}</td><td className="num" data-field="change">{f(metric(d.change, k))}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            );
          })}
          <h2>Positions changed</h2>
          <table className="list" aria-label="What-if positions">
            <thead><tr><th>Symbol</th><th className="num">Before</th><th className="num">After</th><th>Effect</th></tr></thead>
            <tbody>
              {d.positions.map((p) => (
                <tr key={p.symbol}><td>{p.symbol}</td><td className="num">{fmt.num(p.quantity_before, 0)}</td><td className="num">{fmt.num(p.quantity_after, 0)}</td><td>{p.effect}</td></tr>
              ))}
            </tbody>
          </table>
          {d.by_sector.length > 0 && (
            <>
              <h2>Net value by sector</h2>
              <table className="list" aria-label="What-if by sector">
                <thead><tr><th>Sector</th><th className="num">Before</th><th className="num">After</th><th className="num">Change</th></tr></thead>
                <tbody>
                  {d.by_sector.map((s) => (
                    <tr key={s.key}><td>{s.key}</td><td className="num">{fmt.money(s.before)}</td><td className="num">{fmt.money(s.after)}</td><td className="num">{fmt.money(s.change)}</td></tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h2>Stress</h2>
          {d.stress.length === 0 ? (
            <p className="muted">No stress scenarios (no factor data in the store).</p>
          ) : (
            <table className="list" aria-label="What-if stress">
              <thead><tr><th>Scenario</th><th>Method</th><th className="num">Before</th><th className="num">After</th><th className="num">Change</th></tr></thead>
              <tbody>
                {d.stress.map((s) => (
                  <tr key={s.name + s.method} data-scenario={s.name} data-method={s.method}><td>{s.name}</td><td>{s.method}</td><td className="num">{fmt.money(s.before)}</td><td className="num">{fmt.money(s.after)}</td><td className="num">{fmt.money(s.change)}</td></tr>
                ))}
              </tbody>
            </table>
          )}
          {can('manage_portfolios') ? (
            <form className="inline" onSubmit={(e) => { e.preventDefault(); if (saveAs.trim()) save.mutate(); }}>
              <label htmlFor="save-as">Save the book after the trades as</label>
              <input id="save-as" value={saveAs} onChange={(e) => setSaveAs(e.target.value)} />
              <button type="submit" disabled={save.isPending || !saveAs.trim()}>Save as a new portfolio</button>
            </form>
          ) : (
            <p className="muted">Saving the book as a new portfolio needs the manager or admin role.</p>
          )}
          <ErrorBox error={save.error} />
        </>
      )}
    </section>
  );
}
