// The account's read views: holdings (allocation donut), realized gains by tax year (wash sales
// flagged with their code and amount), reconciliation against a broker holdings file, net worth
// over time and performance (time- and money-weighted returns side by side, the underwater curve).
import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { api } from '../../api/client';
import type { AccountShow, Gain, GainsResult, HoldingPosition, HoldingsResult, NetworthResult, PerformanceResult, ReconcileResult, SnapshotResult } from '../../api/types';
import { setQuery } from '../../app/router';
import { useSession } from '../../app/session';
import { Chart } from '../../components/Chart';
import { DataTable } from '../../components/DataTable';
import { Kpi } from '../../components/Kpi';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { NetworthChart, NetworthTable, RangeControls } from './NetworthParts';

export const METHODS = ['fifo', 'lifo', 'hifo', 'average', 'specific'] as const;

function params(entries: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(entries)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function MethodSelect({ query, label = 'Lot method' }: { query: URLSearchParams; label?: string }) {
  return (
    <label htmlFor="lot-method">
      {label}{' '}
      <select id="lot-method" value={query.get('method') ?? ''} onChange={(e) => setQuery({ method: e.target.value || null })}>
        <option value="">the account's</option>
        {METHODS.map((m) => <option key={m}>{m}</option>)}
      </select>
    </label>
  );
}

const BY = ['asset_type', 'sector', 'account'] as const;

export function HoldingsTab({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { fmt } = useSession();
  const c2 = (x: number | null | undefined) => fmt.num(x, 2);
  const by = (BY as readonly string[]).includes(query.get('by') ?? '') ? (query.get('by') as (typeof BY)[number]) : 'asset_type';
  const path = `/api/v1/accounts/${account.id}/holdings${params({ as_of: query.get('as_of'), method: query.get('method') })}`;
  const h = useQuery({ queryKey: ['ledger', path], queryFn: () => api<HoldingsResult>('GET', path) });
  const columns = useMemo<ColumnDef<HoldingPosition, unknown>[]>(() => {
    const money = (k: keyof HoldingPosition, header: string): ColumnDef<HoldingPosition, unknown> => ({
      accessorKey: k, header, meta: { num: true }, cell: (c) => c2(c.getValue() as number | null),
    });
    return [
      { accessorKey: 'symbol', header: 'Symbol' },
      { accessorKey: 'sector', header: 'Sector' },
      { accessorKey: 'asset_type', header: 'Type' },
      { accessorKey: 'quantity', header: 'Quantity', meta: { num: true }, cell: (c) => fmt.num(c.getValue() as number, 4) },
      money('price', 'Price'),
      { accessorKey: 'price_date', header: 'Price date' },
      money('market_value', 'Market value'),
      money('basis', 'Basis'),
      money('unrealized', 'Unrealized'),
      { accessorKey: 'weight', header: 'Weight', meta: { num: true }, cell: (c) => fmt.pct(c.getValue() as number, 1) },
    ];
  }, [fmt]);
  if (h.isLoading) return <Loading what="holdings" />;
  if (h.error) return <ErrorBox error={h.error} />;
  const d = h.data!;
  return (
    <>
      <form className="params" aria-label="Holdings parameters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="holdings-as-of">
          as of
          <input id="holdings-as-of" type="date" value={query.get('as_of') ?? ''} onChange={(e) => setQuery({ as_of: e.target.value || null })} />
        </label>
        <label htmlFor="holdings-by">
          allocation by
          <select id="holdings-by" value={by} onChange={(e) => setQuery({ by: e.target.value })}>
            {BY.map((b) => <option key={b}>{b}</option>)}
          </select>
        </label>
      </form>
      <div className="kpis" data-testid="holdings-kpis" aria-label="Holdings totals">
        <Kpi id="net_worth" label={`Net worth ${d.as_of}`}>{c2(d.totals.net_worth)}</Kpi>
        <Kpi id="securities" label="Securities at market">{c2(d.totals.securities_value)}</Kpi>
        <Kpi id="cash" label="Cash">{c2(d.totals.cash)}</Kpi>
        <Kpi id="basis" label="Cost basis">{c2(d.totals.basis)}</Kpi>
        <Kpi id="unrealized" label="Unrealized">{c2(d.totals.unrealized)}</Kpi>
      </div>
      {d.unpriced.length > 0 && <div className="warning">No price for {d.unpriced.join(', ')}: left out of the totals.</div>}
      {d.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
      {d.positions.length === 0 ? (
        <Empty>No open positions.</Empty>
      ) : (
        <div className="grid2">
          <div data-testid="allocation-chart"><Chart
            label={`Allocation by ${by}`}
            option={{
              tooltip: { trigger: 'item' },
              legend: { type: 'scroll', bottom: 0 },
              series: [{ type: 'pie', radius: ['45%', '70%'], data: d.allocation[by].map((s) => ({ name: s.key, value: s.market_value })) }],
            }}
          /></div>
          <table className="list" aria-label={`Allocation by ${by}`}>
            <thead><tr><th>{by}</th><th className="num">Market value</th><th className="num">Weight</th></tr></thead>
            <tbody>
              {d.allocation[by].map((s) => (
                <tr key={s.key} data-slice={s.key}><td>{s.key}</td><td className="num">{c2(s.market_value)}</td><td className="num">{fmt.pct(s.weight, 1)}</td></tr>
              ))}
            </tbody>
          </table>
          <div style={{ gridColumn: '1 / -1' }}>
            <DataTable data={d.positions} columns={columns} label="Holdings" height={360} />
          </div>
        </div>
      )}
    </>
  );
}

export function GainsTab({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { fmt } = useSession();
  const c2 = (x: number | null | undefined) => fmt.num(x, 2);
  const years: number[] = [];
  const first = Number(account.first_date?.slice(0, 4));
  const last = Number(account.last_date?.slice(0, 4));
  if (first && last) for (let y = last; y >= first; y--) years.push(y);
  const year = query.get('year') ?? '';
  const path = `/api/v1/accounts/${account.id}/gains${params({ year, method: query.get('method') })}`;
  const g = useQuery({ queryKey: ['ledger', path], queryFn: () => api<GainsResult>('GET', path) });
  const columns = useMemo<ColumnDef<Gain, unknown>[]>(() => {
    const money = (k: keyof Gain, header: string): ColumnDef<Gain, unknown> => ({
      accessorKey: k, header, meta: { num: true }, cell: (c) => c2(c.getValue() as number),
    });
    return [
      { accessorKey: 'symbol', header: 'Symbol' },
      { accessorKey: 'sell_date', header: 'Sold' },
      { accessorKey: 'buy_date', header: 'Bought' },
      { accessorKey: 'acquired_date', header: 'Held from' },
      { accessorKey: 'lot_id', header: 'Lot' },
      { accessorKey: 'quantity', header: 'Quantity', meta: { num: true }, cell: (c) => fmt.num(c.getValue() as number, 4) },
      money('proceeds', 'Proceeds'),
      money('cost', 'Cost'),
      {
        accessorKey: 'adjustment_code', header: 'Code',
        cell: (c) => (c.getValue() ? <span className="badge" title="Wash sale: loss disallowed (Form 8949 code W)">{String(c.getValue())}</span> : ''),
      },
      money('wash_sale_disallowed', 'Wash sale disallowed'),
      money('gain', 'Gain'),
      { accessorKey: 'term', header: 'Term' },
    ];
  }, [fmt]);
  return (
    <>
      <form className="params" aria-label="Gains parameters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="gains-year">
          Tax year
          <select id="gains-year" value={year} onChange={(e) => setQuery({ year: e.target.value || null })}>
            <option value="">all years</option>
            {years.map((y) => <option key={y}>{y}</option>)}
          </select>
        </label>
        <MethodSelect query={query} />
      </form>
      {g.isLoading && <Loading what="gains" />}
      <ErrorBox error={g.error} />
      {g.data && (
        <>
          <div className="kpis" data-testid="gains-kpis" aria-label="Realized gains totals">
            <Kpi id="short" label="Short-term gain">{c2(g.data.totals.short)}</Kpi>
            <Kpi id="long" label="Long-term gain">{c2(g.data.totals.long)}</Kpi>
            <Kpi id="total" label="Total gain">{c2(g.data.totals.total)}</Kpi>
            <Kpi id="wash" label="Wash-sale loss disallowed (W)">{c2(g.data.totals.wash_sale_disallowed)}</Kpi>
            <Kpi id="proceeds" label="Proceeds">{c2(g.data.totals.proceeds)}</Kpi>
            <Kpi id="dividends" label="Dividends">{c2(g.data.income.dividends)}</Kpi>
            <Kpi id="interest" label="Interest">{c2(g.data.income.interest)}</Kpi>
          </div>
          <p className="muted small">
            Method {g.data.method}. Long term: held more than one year. A wash sale's disallowed loss is added back to the gain
            (Form 8949 column g, code W) and to the basis of the replacement shares.
          </p>
          {g.data.realized.length === 0 ? <Empty>No sales {year ? `in ${year}` : 'yet'}.</Empty> : <DataTable data={g.data.realized} columns={columns} label="Realized gains" height={400} />}
        </>
      )}
    </>
  );
}

export function ReconcileTab({ account }: { account: AccountShow }) {
  const { can, fmt } = useSession();
  const c2 = (x: number | null | undefined) => fmt.num(x, 2);
  const [broker, setBroker] = useState<{ name: string; text: string } | null>(null);
  const [tolerance, setTolerance] = useState('0');
  const run = useMutation({
    mutationFn: () => api<ReconcileResult>('POST', `/api/v1/accounts/${account.id}/reconcile`, { body: { broker: broker!.text, tolerance: Number(tolerance) } }),
  });
  if (!can('compute')) return <div className="error" role="alert">Not allowed for your role: reconciling is a computation.</div>;
  return (
    <>
      <p className="muted">A broker holdings CSV: <code>symbol,quantity</code> and optional <code>cost_basis,account</code>. Every symbol on either side gets a row.</p>
      <form className="inline" aria-label="Reconcile" onSubmit={(e) => { e.preventDefault(); if (broker) run.mutate(); }}>
        <label htmlFor="broker-file">Broker holdings file</label>
        <input id="broker-file" type="file" accept=".csv,text/csv" onChange={async (e) => {
          const f = e.target.files?.[0];
          run.reset();
          setBroker(f ? { name: f.name, text: await f.text() } : null);
        }} />
        <label htmlFor="tolerance">basis tolerance</label>
        <input id="tolerance" type="number" min={0} step="0.01" value={tolerance} onChange={(e) => setTolerance(e.target.value)} />
        <button type="submit" className="primary" disabled={!broker || run.isPending}>Reconcile</button>
      </form>
      <ErrorBox error={run.error} />
      {run.data && (
        <>
          <p role="status" data-testid="discrepancies">
            {run.data.discrepancies === 0 ? 'Everything agrees.' : `${run.data.discrepancies} discrepancies`} ({broker?.name})
          </p>
          <table className="list" aria-label="Reconciliation">
            <thead>
              <tr><th>Account</th><th>Symbol</th><th className="num">Ledger qty</th><th className="num">Broker qty</th><th className="num">Difference</th><th className="num">Ledger basis</th><th className="num">Broker basis</th><th className="num">Difference</th><th>Status</th></tr>
            </thead>
            <tbody>
              {run.data.rows.map((r) => (
                <tr key={`${r.account}/${r.symbol}`} className={r.status === 'ok' ? '' : 'bad'} data-symbol={r.symbol}>
                  <td>{r.account}</td><td>{r.symbol}</td>
                  <td className="num">{fmt.num(r.ledger_quantity, 4)}</td><td className="num">{fmt.num(r.broker_quantity, 4)}</td><td className="num">{fmt.num(r.quantity_difference, 4)}</td>
                  <td className="num">{c2(r.ledger_basis)}</td><td className="num">{c2(r.broker_basis)}</td><td className="num">{c2(r.basis_difference)}</td>
                  <td data-field="status">{r.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

export function NetworthTab({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { can, fmt } = useSession();
  const qc = useQueryClient();
  const path = `/api/v1/accounts/${account.id}/networth${params({ from: query.get('from'), to: query.get('to') })}`;
  const n = useQuery({ queryKey: ['networth', path], queryFn: () => api<NetworthResult>('GET', path) });
  const [asOf, setAsOf] = useState('');
  const snap = useMutation({
    mutationFn: () => api<SnapshotResult>('POST', `/api/v1/accounts/${account.id}/snapshots`, { body: asOf ? { as_of: asOf } : {} }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['networth'] }),
  });
  return (
    <>
      <RangeControls query={query} />
      {can('compute') && (
        <form className="inline" aria-label="Record a snapshot" onSubmit={(e) => { e.preventDefault(); snap.mutate(); }}>
          <label htmlFor="snap-date">Snapshot date</label>
          <input id="snap-date" type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
          <button type="submit" disabled={snap.isPending}>Record a snapshot</button>
          {snap.data && <span role="status" className="muted">Recorded {snap.data.as_of}: {fmt.num(snap.data.net_worth, 2)}{snap.data.replaced ? ' (replaced)' : ''}</span>}
        </form>
      )}
      <ErrorBox error={snap.error} />
      {n.isLoading && <Loading what="net worth" />}
      <ErrorBox error={n.error} />
      {n.data && n.data.points.length === 0 && <Empty>No net worth in this range.</Empty>}
      {n.data && n.data.points.length > 0 && (
        <>
          <NetworthChart result={n.data} label={`Net worth of ${account.name} by asset class`} />
          <NetworthTable result={n.data} />
        </>
      )}
    </>
  );
}

export function PerformanceTab({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { fmt } = useSession();
  const path = `/api/v1/accounts/${account.id}/performance${params({ series: 'true', from: query.get('from'), as_of: query.get('as_of') })}`;
  const p = useQuery({ queryKey: ['ledger', path], queryFn: () => api<PerformanceResult>('GET', path) });
  return (
    <>
      <RangeControls query={query} toName="as_of" />
      {p.isLoading && <Loading what="performance" />}
      <ErrorBox error={p.error} />
      {p.data && (
        <>
          <p className="muted">{p.data.start} to {p.data.end} ({fmt.num(p.data.days, 0)} days, {fmt.num(p.data.points, 0)} daily values); net deposits {fmt.num(p.data.net_flows, 2)}.</p>
          <div className="grid2" data-testid="returns">
            <div className="kpi" data-kpi="twr">
              <div className="kpi-label">Time-weighted return</div>
              <div className="kpi-value">{fmt.pct(p.data.twr)} <span className="muted small">({fmt.pct(p.data.cagr)} a year)</span></div>
              <p className="small">How the investments did, with the timing and size of deposits and withdrawals taken out: compare it with a fund or an index.</p>
            </div>
            <div className="kpi" data-kpi="mwr">
              <div className="kpi-label">Money-weighted return (XIRR)</div>
              <div className="kpi-value">{p.data.xirr === null ? 'no solution' : `${fmt.pct(p.data.xirr)} a year`}</div>
              <p className="small">The yearly rate your own money earned, the timing of your deposits and withdrawals included: what you actually got.</p>
            </div>
          </div>
          <table className="list" aria-label="Performance measures">
            <tbody>
              <tr data-field="volatility"><th scope="row">Volatility (annualised)</th><td className="num">{fmt.pct(p.data.volatility)}</td></tr>
              <tr data-field="sharpe"><th scope="row">Sharpe ratio</th><td className="num">{fmt.num(p.data.sharpe)}</td></tr>
              <tr data-field="sortino"><th scope="row">Sortino ratio</th><td className="num">{fmt.num(p.data.sortino)}</td></tr>
              <tr data-field="max_drawdown"><th scope="row">Maximum drawdown</th><td className="num">{fmt.pct(p.data.max_drawdown.depth)} (peak {p.data.max_drawdown.peak ?? '–'}, trough {p.data.max_drawdown.trough ?? '–'}, recovered {p.data.max_drawdown.recovery ?? 'not yet'})</td></tr>
              <tr data-field="calmar"><th scope="row">Calmar ratio</th><td className="num">{fmt.num(p.data.calmar)}</td></tr>
            </tbody>
          </table>
          {p.data.series && (
            <div data-testid="underwater-chart"><Chart
              label="Drawdown from the running peak of the time-weighted wealth index (underwater chart)"
              height={240}
              option={{
                tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.pct(v as number) },
                xAxis: { type: 'time' },
                yAxis: { type: 'value', inverse: true, axisLabel: { formatter: (v: number) => fmt.pct(v, 0) }, name: 'drawdown' },
                series: [{ name: 'drawdown', type: 'line', symbol: 'none', areaStyle: { opacity: 0.4 }, color: '#b42318', data: p.data.series.map((s) => [s.date, s.drawdown]) }],
              }}
            /></div>
          )}
          {p.data.net_worth.length > 0 && (
            <Chart
              label="Value at each month end"
              height={240}
              option={{
                tooltip: { trigger: 'axis' },
                xAxis: { type: 'time' },
                yAxis: { type: 'value', scale: true },
                series: [{ name: 'value', type: 'line', data: p.data.net_worth.map((v) => [v.date, v.value]) }],
              }}
            />
          )}
          {p.data.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
        </>
      )}
    </>
  );
}
