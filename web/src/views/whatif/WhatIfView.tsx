// What-if: a modelling session on a portfolio (docs/whatif.md). Paste trades as CSV (the trades
// file format) or remove them one by one, calculate, and read before / after / change of exposures,
// Greeks, VaR/ES, betas and stress; save the book after the trades as a new portfolio. The session
// id lives in the URL.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import { navigate, setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { ErrorBox, Loading } from '../../components/States';

interface SessionShown {
  id: number;
  name: string;
  portfolio: string;
  trades: { number: number; symbol: string; quantity: number; price: number | null }[];
}
interface Side {
  [metric: string]: number | null;
}
interface WhatIf {
  before: Side;
  after: Side;
  change: Side;
  stress: { name: string; method: string; before: number | null; after: number | null; change: number | null }[];
  warnings: string[];
}

export function WhatIfView({ portfolio }: { portfolio: string }) {
  const { fmt, can } = useSession();
  const { query } = useLocation();
  const qc = useQueryClient();
  const id = query.get('session');
  const [csv, setCsv] = useState('symbol,quantity\n');
  const [saveAs, setSaveAs] = useState('');
  const open = useMutation({
    mutationFn: () => api<{ id: number }>('POST', `/api/v1/portfolios/${seg(portfolio)}/sessions`, { body: { name: `${portfolio} ${new Date().toISOString()}` } }),
    onSuccess: (s) => setQuery({ session: String(s.id) }),
  });
  const session = useQuery({ queryKey: ['session', id], queryFn: () => api<SessionShown>('GET', `/api/v1/sessions/${seg(id!)}`), enabled: !!id });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['session', id] });
  const add = useMutation({ mutationFn: () => api('POST', `/api/v1/sessions/${seg(id!)}/trades`, { csv }), onSuccess: refresh });
  const del = useMutation({ mutationFn: (n: number) => api('DELETE', `/api/v1/sessions/${seg(id!)}/trades/${n}`), onSuccess: refresh });
  const calc = useMutation({ mutationFn: () => api<WhatIf>('POST', `/api/v1/sessions/${seg(id!)}/calculate`, { body: {} }) });
  const save = useMutation({
    mutationFn: () => api<{ name: string }>('POST', `/api/v1/sessions/${seg(id!)}/save`, { body: { name: saveAs } }),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: ['portfolios'] });
      navigate(`/portfolios/${seg(p.name)}`);
    },
  });
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
  return (
    <section>
      <h1>What-if on {portfolio}</h1>
      {session.isLoading && <Loading what="the session" />}
      <ErrorBox error={session.error} />
      {session.data && (
        <>
          <p className="muted">Session {session.data.id}: {session.data.name}</p>
          <label htmlFor="trades-csv">Trades to add (CSV: symbol,quantity[,price,…])</label>
          <textarea id="trades-csv" rows={5} cols={60} value={csv} onChange={(e) => setCsv(e.target.value)} />
          <div>
            <button type="button" onClick={() => add.mutate()} disabled={add.isPending}>Add trades</button>
          </div>
          <ErrorBox error={add.error ?? del.error} />
          <table className="list" aria-label="Trades">
            <thead><tr><th>#</th><th>Symbol</th><th className="num">Quantity</th><th className="num">Price</th><th>Actions</th></tr></thead>
            <tbody>
              {session.data.trades.map((t) => (
                <tr key={t.number}>
                  <td>{t.number}</td><td>{t.symbol}</td><td className="num">{fmt.num(t.quantity, 0)}</td><td className="num">{fmt.num(t.price)}</td>
                  <td><button type="button" className="danger" onClick={() => del.mutate(t.number)}>Remove</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" className="primary" onClick={() => calc.mutate()} disabled={calc.isPending || !session.data.trades.length}>Calculate</button>
          <ErrorBox error={calc.error} />
        </>
      )}
      {d && (
        <>
          <h2>Before, after, change</h2>
          <table className="list" aria-label="What-if metrics">
            <thead><tr><th>Metric</th><th className="num">Before</th><th className="num">After</th><th className="num">Change</th></tr></thead>
            <tbody>
              {Object.keys(d.before).map((k) => {
                const f = k.startsWith('beta_') || k === 'factor_r2' ? (x: number | null | undefined) => fmt.num(x, 3) : fmt.money;
                return (
                  <tr key={k} data-metric={k}>
                    <td>{k}</td><td className="num">{f(d.before[k])}</td><td className="num">{f(d.after[k])}</td><td className="num" data-field="change">{f(d.change[k])}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h2>Stress</h2>
          <table className="list" aria-label="What-if stress">
            <thead><tr><th>Scenario</th><th>Method</th><th className="num">Before</th><th className="num">After</th><th className="num">Change</th></tr></thead>
            <tbody>
              {d.stress.map((s) => (
                <tr key={s.name + s.method}><td>{s.name}</td><td>{s.method}</td><td className="num">{fmt.money(s.before)}</td><td className="num">{fmt.money(s.after)}</td><td className="num">{fmt.money(s.change)}</td></tr>
              ))}
            </tbody>
          </table>
          {can('manage_portfolios') && (
            <form className="inline" onSubmit={(e) => { e.preventDefault(); if (saveAs.trim()) save.mutate(); }}>
              <label htmlFor="save-as">Save the book after the trades as</label>
              <input id="save-as" value={saveAs} onChange={(e) => setSaveAs(e.target.value)} />
              <button type="submit">Save as a new portfolio</button>
            </form>
          )}
          <ErrorBox error={save.error} />
        </>
      )}
    </section>
  );
}
