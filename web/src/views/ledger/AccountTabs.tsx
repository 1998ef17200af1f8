// The account's read views: holdings (allocation donut), realized gains by tax year (wash sales
// flagged with their code and amount), reconciliation against a broker holdings file, net worth
// over time and performance (time- and money-weighted returns side by side, the underwater curve;
// against a benchmark and in a reporting currency with BenchmarkParts).
import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { api } from '../../api/client';
import type { AccountShow, Gain, GainsResult, HoldingPosition, HoldingsResult, NetworthResult, PerformanceResult, ReconcileResult, SnapshotResult } from '../../api/types';
import { setQuery } from '../../app/router';
import { useSession } from '../../app/session';
import { choiceLabel } from '../../app/i18n';
import { Chart } from '../../components/Chart';
import { DataTable } from '../../components/DataTable';
import { Kpi } from '../../components/Kpi';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { NetworthChart, NetworthTable, RangeControls } from './NetworthParts';
import { BenchmarkForm, BenchmarkSection, CumulativeChart, FxKpis } from './BenchmarkParts';
import { makeAmount } from './income';
import { GainSection } from './GainParts';
import { PricesRefresh } from './PricesRefresh';
import { detectBrokerDownload } from '../portfolios/brokerDownload';
import { parseCsv } from '../portfolios/csv';

export const METHODS = ['fifo', 'lifo', 'hifo', 'average', 'specific'] as const;

function params(entries: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(entries)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function MethodSelect({ query, label }: { query: URLSearchParams; label?: string }) {
  const { t } = useSession();
  return (
    <label htmlFor="lot-method">
      {label ?? t('ledger.lotMethod')}{' '}
      <select id="lot-method" value={query.get('method') ?? ''} onChange={(e) => setQuery({ method: e.target.value || null })}>
        <option value="">{t('ledger.accountsOwn')}</option>
        {METHODS.map((m) => <option key={m} value={m}>{choiceLabel(t, 'lot', m)}</option>)}
      </select>
    </label>
  );
}

const BY = ['asset_type', 'sector', 'account'] as const;

export function HoldingsTab({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { fmt, t } = useSession();
  const c2 = (x: number | null | undefined) => fmt.num(x, 2);
  const by = (BY as readonly string[]).includes(query.get('by') ?? '') ? (query.get('by') as (typeof BY)[number]) : 'asset_type';
  const path = `/api/v1/accounts/${account.id}/holdings${params({ as_of: query.get('as_of'), method: query.get('method') })}`;
  const h = useQuery({ queryKey: ['ledger', path], queryFn: () => api<HoldingsResult>('GET', path) });
  // The positions' amounts are in the account's currency (named in their headers, as the dashboard
  // names the book's); a price quoted in another currency says so in its cell. The totals are in
  // the holdings' `currency` (the KPIs carry it).
  const cur = account.currency;
  const columns = useMemo<ColumnDef<HoldingPosition, unknown>[]>(() => {
    const money = (k: keyof HoldingPosition, header: string): ColumnDef<HoldingPosition, unknown> => ({
      accessorKey: k, header: t('common.inCurrency', { label: header, currency: cur }), meta: { num: true }, cell: (c) => c2(c.getValue() as number | null),
    });
    return [
      { accessorKey: 'symbol', header: t('common.symbol') },
      { accessorKey: 'sector', header: t('common.sector') },
      { accessorKey: 'asset_type', header: t('common.type') },
      { accessorKey: 'quantity', header: t('common.quantity'), meta: { num: true }, cell: (c) => fmt.num(c.getValue() as number, 4) },
      {
        ...money('price', t('common.price')),
        cell: (c) => {
          const own = c.row.original.currency;
          return own && own !== cur ? fmt.price(c.getValue() as number | null, own) : c2(c.getValue() as number | null);
        },
      },
      { accessorKey: 'price_date', header: t('field.price_date'), cell: (c) => fmt.date(c.getValue() as string) },
      money('market_value', t('common.marketValue')),
      money('basis', t('ledger.basis')),
      money('unrealized', t('ledger.unrealized')),
      { accessorKey: 'weight', header: t('common.weight'), meta: { num: true }, cell: (c) => fmt.pct(c.getValue() as number, 1) },
    ];
  }, [fmt, t, cur]);
  if (h.isLoading) return <Loading what={t('ledger.loading.holdings')} />;
  if (h.error) return <ErrorBox error={h.error} />;
  const d = h.data!;
  return (
    <>
      <form className="params" aria-label={t('ledger.holdingsParams')} onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="holdings-as-of">
          {t('ledger.asOfLower')}
          <input id="holdings-as-of" type="date" value={query.get('as_of') ?? ''} onChange={(e) => setQuery({ as_of: e.target.value || null })} />
        </label>
        <label htmlFor="holdings-by">
          {t('ledger.allocationBy')}
          <select id="holdings-by" value={by} onChange={(e) => setQuery({ by: e.target.value })}>
            {BY.map((b) => <option key={b} value={b}>{choiceLabel(t, 'alloc', b)}</option>)}
          </select>
        </label>
      </form>
      <div className="kpis" data-testid="holdings-kpis" aria-label={t('ledger.holdingsTotals')}>
        <Kpi id="net_worth" label={t('ledger.networthAt', { date: fmt.date(d.as_of) })}>{fmt.money(d.totals.net_worth, d.currency, 2)}</Kpi>
        <Kpi id="securities" label={t('ledger.securities')}>{fmt.money(d.totals.securities_value, d.currency, 2)}</Kpi>
        <Kpi id="cash" label={t('ledger.cash')}>{fmt.money(d.totals.cash, d.currency, 2)}</Kpi>
        <Kpi id="basis" label={t('ledger.costBasis')}>{fmt.money(d.totals.basis, d.currency, 2)}</Kpi>
        <Kpi id="unrealized" label={t('ledger.unrealized')}>{fmt.money(d.totals.unrealized, d.currency, 2)}</Kpi>
      </div>
      <PricesRefresh account={account} />
      {(d.unpriced.length > 0 || d.warnings.length > 0) && (
        <div data-testid="holdings-warnings" role="group" aria-label={t('ledger.holdingsWarnings')}>
          {d.unpriced.length > 0 && <div className="warning">{t('ledger.unpriced', { symbols: d.unpriced.join(', ') })}</div>}
          {d.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
        </div>
      )}
      {d.positions.length === 0 ? (
        <Empty>{t('ledger.noPositions')}</Empty>
      ) : (
        <div className="grid2">
          <div data-testid="allocation-chart"><Chart
            label={t('ledger.allocationChart', { by: choiceLabel(t, 'alloc', by) })}
            option={{
              tooltip: { trigger: 'item' },
              legend: { type: 'scroll', bottom: 0 },
              series: [{ type: 'pie', radius: ['45%', '70%'], data: d.allocation[by].map((s) => ({ name: s.key, value: s.market_value })) }],
            }}
          /></div>
          <table className="list" aria-label={t('ledger.allocationChart', { by: choiceLabel(t, 'alloc', by) })}>
            <thead><tr><th>{choiceLabel(t, 'alloc', by)}</th><th className="num">{t('common.inCurrency', { label: t('common.marketValue'), currency: d.currency })}</th><th className="num">{t('common.weight')}</th></tr></thead>
            <tbody>
              {d.allocation[by].map((s) => (
                <tr key={s.key} data-slice={s.key}><td>{s.key}</td><td className="num">{c2(s.market_value)}</td><td className="num">{fmt.pct(s.weight, 1)}</td></tr>
              ))}
            </tbody>
          </table>
          <div style={{ gridColumn: '1 / -1' }}>
            <DataTable data={d.positions} columns={columns} label={t('ledger.tab.holdings')} height={360} />
          </div>
        </div>
      )}
    </>
  );
}

export function GainsTab({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { fmt, t } = useSession();
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
      { accessorKey: 'symbol', header: t('common.symbol') },
      { accessorKey: 'sell_date', header: t('ledger.sold'), cell: (c) => fmt.date(c.getValue() as string) },
      { accessorKey: 'buy_date', header: t('ledger.bought'), cell: (c) => fmt.date(c.getValue() as string) },
      { accessorKey: 'acquired_date', header: t('ledger.heldFrom'), cell: (c) => fmt.date(c.getValue() as string) },
      { accessorKey: 'lot_id', header: t('ledger.lot') },
      { accessorKey: 'quantity', header: t('common.quantity'), meta: { num: true }, cell: (c) => fmt.num(c.getValue() as number, 4) },
      money('proceeds', t('ledger.proceeds')),
      money('cost', t('ledger.cost')),
      {
        accessorKey: 'adjustment_code', header: t('ledger.code'),
        cell: (c) => (c.getValue() ? <span className="badge" title={t('ledger.washTitle')}>{String(c.getValue())}</span> : ''),
      },
      money('wash_sale_disallowed', t('ledger.washDisallowed')),
      money('gain', t('ledger.gain')),
      { accessorKey: 'term', header: t('ledger.term'), cell: (c) => choiceLabel(t, 'term', String(c.getValue() ?? '')) },
    ];
  }, [fmt, t]);
  return (
    <>
      <form className="params" aria-label={t('ledger.gainsParams')} onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="gains-year">
          {t('ledger.taxYear')}
          <select id="gains-year" value={year} onChange={(e) => setQuery({ year: e.target.value || null })}>
            <option value="">{t('ledger.allYears')}</option>
            {years.map((y) => <option key={y}>{y}</option>)}
          </select>
        </label>
        <MethodSelect query={query} />
      </form>
      {g.isLoading && <Loading what={t('ledger.loading.gains')} />}
      <ErrorBox error={g.error} />
      {g.data && (
        <>
          <div className="kpis" data-testid="gains-kpis" aria-label={t('ledger.gainsTotals')}>
            <Kpi id="short" label={t('ledger.shortGain')}>{c2(g.data.totals.short)}</Kpi>
            <Kpi id="long" label={t('ledger.longGain')}>{c2(g.data.totals.long)}</Kpi>
            <Kpi id="total" label={t('ledger.totalGain')}>{c2(g.data.totals.total)}</Kpi>
            <Kpi id="wash" label={t('ledger.washKpi')}>{c2(g.data.totals.wash_sale_disallowed)}</Kpi>
            <Kpi id="proceeds" label={t('ledger.proceeds')}>{c2(g.data.totals.proceeds)}</Kpi>
            <Kpi id="dividends" label={t('ledger.dividends')}>{c2(g.data.income.dividends)}</Kpi>
            <Kpi id="interest" label={t('ledger.interest')}>{c2(g.data.income.interest)}</Kpi>
          </div>
          <p className="muted small">
            {t('ledger.gainsHelp', { method: choiceLabel(t, 'lot', g.data.method) })}
          </p>
          {g.data.realized.length === 0 ? <Empty>{year ? t('ledger.noSalesIn', { year }) : t('ledger.noSales')}</Empty> : <DataTable data={g.data.realized} columns={columns} label={t('ledger.tab.gains')} height={400} />}
        </>
      )}
    </>
  );
}

export function ReconcileTab({ account }: { account: AccountShow }) {
  const { can, fmt, t, rich } = useSession();
  const c2 = (x: number | null | undefined) => fmt.num(x, 2);
  // A broker's positions download (Fidelity, Schwab, Vanguard) is sent as it comes; of one holding several
  // accounts, one may be compared (broker_account).
  const [broker, setBroker] = useState<{ name: string; text: string; accounts: string[] } | null>(null);
  const [brokerAccount, setBrokerAccount] = useState('');
  const [tolerance, setTolerance] = useState('0');
  const run = useMutation({
    mutationFn: () =>
      api<ReconcileResult>('POST', `/api/v1/accounts/${account.id}/reconcile`, {
        body: { broker: broker!.text, tolerance: Number(tolerance), ...(brokerAccount ? { broker_account: brokerAccount } : {}) },
      }),
  });
  if (!can('compute')) return <div className="error" role="alert">{t('state.notAllowed')}{t('ledger.recNotAllowed')}</div>;
  return (
    <>
      <p className="muted">{rich('ledger.recHelp', { required: <code>symbol,quantity</code>, optional: <code>cost_basis,account</code> })}</p>
      <form className="inline" aria-label={t('ledger.tab.reconcile')} onSubmit={(e) => { e.preventDefault(); if (broker) run.mutate(); }}>
        <label htmlFor="broker-file">{t('ledger.brokerFile')}</label>
        <input id="broker-file" type="file" accept=".csv,.ofx,.qfx,.xml,text/csv" onChange={async (e) => {
          const f = e.target.files?.[0];
          run.reset();
          setBrokerAccount('');
          if (!f) return setBroker(null);
          const text = await f.text();
          const download = detectBrokerDownload(parseCsv(text).filter((r) => r.some((c) => c.trim() !== '')));
          setBroker({ name: f.name, text, accounts: download?.accounts ?? [] });
        }} />
        {broker && broker.accounts.length > 1 && (
          <>
            <label htmlFor="broker-account">{t('import.brokerAccount')}</label>
            <select id="broker-account" value={brokerAccount} onChange={(e) => setBrokerAccount(e.target.value)}>
              <option value="">{t('import.allAccounts', { count: broker.accounts.length })}</option>
              {broker.accounts.map((a) => <option key={a} value={a}>{a}</option>)}
            </select>
          </>
        )}
        <label htmlFor="tolerance">{t('ledger.tolerance')}</label>
        <input id="tolerance" type="number" min={0} step="0.01" value={tolerance} onChange={(e) => setTolerance(e.target.value)} />
        <button type="submit" className="primary" disabled={!broker || run.isPending}>{t('ledger.tab.reconcile')}</button>
      </form>
      <ErrorBox error={run.error} />
      {run.data && (
        <>
          <p role="status" data-testid="discrepancies">
            {run.data.discrepancies === 0 ? t('ledger.agrees') : t('ledger.discrepancies', { count: run.data.discrepancies })} ({broker?.name})
          </p>
          {run.data.warnings.length > 0 && (
            <ul className="muted" aria-label={t('import.warnings')}>
              {run.data.warnings.map((w, i) => <li key={i}>{w}</li>)}
            </ul>
          )}
          <table className="list" aria-label={t('ledger.reconciliation')}>
            <thead>
              <tr><th>{t('ledger.account')}</th><th>{t('common.symbol')}</th><th className="num">{t('ledger.ledgerQty')}</th><th className="num">{t('ledger.brokerQty')}</th><th className="num">{t('ledger.difference')}</th><th className="num">{t('ledger.ledgerBasis')}</th><th className="num">{t('ledger.brokerBasis')}</th><th className="num">{t('ledger.difference')}</th><th>{t('common.status')}</th></tr>
            </thead>
            <tbody>
              {run.data.rows.map((r) => (
                <tr key={`${r.account}/${r.symbol}`} className={r.status === 'ok' ? '' : 'bad'} data-symbol={r.symbol}>
                  <td>{r.account}</td><td>{r.symbol}</td>
                  <td className="num">{fmt.num(r.ledger_quantity, 4)}</td><td className="num">{fmt.num(r.broker_quantity, 4)}</td><td className="num">{fmt.num(r.quantity_difference, 4)}</td>
                  <td className="num">{c2(r.ledger_basis)}</td><td className="num">{c2(r.broker_basis)}</td><td className="num">{c2(r.basis_difference)}</td>
                  <td data-field="status" data-status={r.status}>{r.status.split(',').map((s) => choiceLabel(t, 'reconcile', s)).join(', ')}</td>
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
  const { can, fmt, t } = useSession();
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
        <form className="inline" aria-label={t('ledger.snapshot')} onSubmit={(e) => { e.preventDefault(); snap.mutate(); }}>
          <label htmlFor="snap-date">{t('ledger.snapshotDate')}</label>
          <input id="snap-date" type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
          <button type="submit" disabled={snap.isPending}>{t('ledger.snapshot')}</button>
          {snap.data && <span role="status" className="muted">{t('ledger.recorded', { date: fmt.date(snap.data.as_of), value: fmt.num(snap.data.net_worth, 2) })}{snap.data.replaced ? t('ledger.replaced') : ''}</span>}
        </form>
      )}
      <ErrorBox error={snap.error} />
      {n.isLoading && <Loading what={t('ledger.loading.networth')} />}
      <ErrorBox error={n.error} />
      {n.data && n.data.points.length === 0 && <Empty>{t('ledger.noNetworthRange')}</Empty>}
      {n.data && n.data.points.length > 0 && (
        <>
          <NetworthChart result={n.data} label={t('ledger.networthOf', { name: account.name })} />
          <NetworthTable result={n.data} />
        </>
      )}
    </>
  );
}

export function PerformanceTab({ account, query }: { account: AccountShow; query: URLSearchParams }) {
  const { fmt, t } = useSession();
  const range = { series: 'true', from: query.get('from'), as_of: query.get('as_of') };
  const chosen = { benchmark: query.get('benchmark'), reporting_currency: query.get('reporting_currency') };
  const path = `/api/v1/accounts/${account.id}/performance${params({ ...range, ...chosen })}`;
  const asked = useQuery({ queryKey: ['ledger', path], queryFn: () => api<PerformanceResult>('GET', path) });
  // A benchmark or currency the API refuses (an unknown symbol, no FX rate): its message, and the
  // performance without them below it.
  const plainPath = `/api/v1/accounts/${account.id}/performance${params(range)}`;
  const fallback = !!asked.error && plainPath !== path;
  const plain = useQuery({ queryKey: ['ledger', plainPath], queryFn: () => api<PerformanceResult>('GET', plainPath), enabled: fallback });
  const p = fallback ? plain : asked;
  const amount = useMemo(() => makeAmount(fmt.locale), [fmt.locale]);
  return (
    <>
      <RangeControls query={query} toName="as_of" />
      <BenchmarkForm query={query} />
      {fallback && <p className="warning" data-testid="benchmark-failed">{t('ledger.bm.failed')}</p>}
      {fallback && <ErrorBox error={asked.error} />}
      {p.isLoading && <Loading what={t('ledger.loading.performance')} />}
      <ErrorBox error={p.error} />
      {p.data && (
        <>
          <p className="muted">{t('ledger.perfRange', { from: fmt.date(p.data.start), to: fmt.date(p.data.end), days: fmt.num(p.data.days, 0), points: fmt.num(p.data.points, 0), flows: amount(p.data.net_flows, p.data.currency) })} {t('ledger.bm.inCurrency', { currency: p.data.currency })}</p>
          <div className="grid2" data-testid="returns">
            <div className="kpi" data-kpi="twr">
              <div className="kpi-label">{t('ledger.twr')}</div>
              <div className="kpi-value">{fmt.pct(p.data.twr)} <span className="muted small">{t('ledger.aYearParen', { rate: fmt.pct(p.data.cagr) })}</span></div>
              <p className="small">{t('ledger.twrHelp')}</p>
            </div>
            <div className="kpi" data-kpi="mwr">
              <div className="kpi-label">{t('ledger.mwr')}</div>
              <div className="kpi-value">{p.data.xirr === null ? t('ledger.noSolution') : t('ledger.aYear', { rate: fmt.pct(p.data.xirr) })}</div>
              <p className="small">{t('ledger.mwrHelp')}</p>
            </div>
          </div>
          <FxKpis p={p.data} />
          <GainSection p={p.data} />
          <CumulativeChart p={p.data} />
          <table className="list" aria-label={t('ledger.perfMeasures')}>
            <tbody>
              <tr data-field="volatility"><th scope="row">{t('ledger.volatility')}</th><td className="num">{fmt.pct(p.data.volatility)}</td></tr>
              <tr data-field="sharpe"><th scope="row">{t('ledger.sharpe')}</th><td className="num">{fmt.num(p.data.sharpe)}</td></tr>
              <tr data-field="sortino"><th scope="row">{t('ledger.sortino')}</th><td className="num">{fmt.num(p.data.sortino)}</td></tr>
              <tr data-field="max_drawdown"><th scope="row">{t('ledger.maxDrawdown')}</th><td className="num">{t('ledger.drawdown', { depth: fmt.pct(p.data.max_drawdown.depth), peak: fmt.date(p.data.max_drawdown.peak), trough: fmt.date(p.data.max_drawdown.trough), recovery: p.data.max_drawdown.recovery ? fmt.date(p.data.max_drawdown.recovery) : t('ledger.notYet') })}</td></tr>
              <tr data-field="calmar"><th scope="row">{t('ledger.calmar')}</th><td className="num">{fmt.num(p.data.calmar)}</td></tr>
            </tbody>
          </table>
          {p.data.series && (
            <div data-testid="underwater-chart"><Chart
              label={t('ledger.underwater')}
              height={240}
              option={{
                tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.pct(v as number) },
                xAxis: { type: 'time' },
                yAxis: { type: 'value', inverse: true, axisLabel: { formatter: (v: number) => fmt.pct(v, 0) }, name: t('ledger.drawdownAxis') },
                series: [{ name: t('ledger.drawdownAxis'), type: 'line', symbol: 'none', areaStyle: { opacity: 0.4 }, color: '#b42318', data: p.data.series.map((s) => [s.date, s.drawdown]) }],
              }}
            /></div>
          )}
          {p.data.net_worth.length > 0 && (
            <Chart
              label={t('ledger.monthEnd')}
              height={240}
              option={{
                tooltip: { trigger: 'axis' },
                xAxis: { type: 'time' },
                yAxis: { type: 'value', scale: true },
                series: [{ name: t('ledger.valueSeries'), type: 'line', data: p.data.net_worth.map((v) => [v.date, v.value]) }],
              }}
            />
          )}
          <BenchmarkSection p={p.data} />
          {p.data.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
        </>
      )}
    </>
  );
}
