// The overview, the app's home (/ and /overview): net worth over every portfolio and the ledger by
// currency, its history, allocation donuts, the day's movers, risk at a glance, jobs running and
// what changed since the last visit. Every figure is the API's (the portfolio list with each one's
// newest snapshot, each portfolio's view, history and report, the accounts and the ledger's net
// worth, the jobs); the page adds amounts only within one currency (summary.ts). Each request
// stands alone: what loaded is shown, and what failed says so where it would have been.
import { useState, type ReactNode } from 'react';
import { useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { AccountPage, History, JobPage, NetworthResult, Overview, PortfolioPage, PortfolioView, Report } from '../../api/types';
import { MIXED } from '../../app/format';
import { choiceLabel } from '../../app/i18n';
import { labelOf } from '../../app/labels';
import { navigate } from '../../app/router';
import { useFirstAnswers } from '../../app/firstAnswers';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { Kpi } from '../../components/Kpi';
import HistoryCharts, { AllocationCharts } from './OverviewCharts';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { Zone } from '../portfolios/PortfoliosView';
import {
  ALL_ACCOUNTS,
  beginVisit,
  changesSince,
  jobKindLabel,
  ledgerCurrency,
  ledgerParts,
  movers,
  bookWorth,
  portfolioCurrency,
  sumByCurrency,
  visitKey,
  visitMemory,
  type NetWorthPart,
  type Series,
} from './summary';

// ECharts loads with the charts, after the figures.

const RANGE = { from: null, to: null }; // the ledger view's key for its whole range: one cached answer
const portfolioLink = (name: string) => `/portfolios/${seg(name)}`;
const accountLink = (name: string) => `/ledger/${seg(name)}`;

function Link({ to, children }: { to: string; children: ReactNode }) {
  return (
    <a href={to} onClick={(e) => { e.preventDefault(); navigate(to); }}>
      {children}
    </a>
  );
}

// The overview's answer as the per-portfolio queries' data: each view, each history, and each
// report the server had cached (the overview's figures of it: as_of, summary, positions' 1-day
// P&L and value).
function seedOverview(qc: QueryClient, o: Overview): void {
  for (const p of o.portfolios) {
    if (p.view) qc.setQueryData(['portfolio-view', p.name], p.view);
    qc.setQueryData(['history', p.name], p.history);
    if (p.report) qc.setQueryData(['report', p.name], p.report as Report);
  }
}

// An ISO-8601 time as the app writes times: date and minutes, UTC.
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export function OverviewView() {
  const { me, can, t } = useSession();
  useTitle(t('overview.title'));
  const [since] = useState(() => beginVisit(visitKey(me?.tenant ?? '', me?.username ?? ''), new Date(), localStorage, visitMemory));

  const list = useQuery({ queryKey: ['portfolios'], queryFn: () => api<PortfolioPage>('GET', '/api/v1/portfolios?limit=500') });
  const items = list.data?.items ?? [];
  // Every portfolio's view, history and cached report in one request (GET /api/v1/overview): it
  // fills the per-portfolio queries below, which then ask the server only for what it did not give
  // (a view that failed, a report not cached) and, after a live update, for the portfolio changed.
  const qc = useQueryClient();
  const overview = useQuery({
    queryKey: ['overview'],
    queryFn: async ({ signal }) => {
      const o = await api<Overview>('GET', '/api/v1/overview', { signal });
      seedOverview(qc, o);
      return o;
    },
  });
  const seeded = !overview.isPending;
  const views = useQueries({
    queries: items.map((p) => ({ queryKey: ['portfolio-view', p.name], queryFn: () => api<PortfolioView>('GET', `/api/v1/portfolios/${seg(p.name)}`), enabled: seeded })),
  });
  const histories = useQueries({
    queries: items.map((p) => ({ queryKey: ['history', p.name], queryFn: () => api<History>('GET', `/api/v1/portfolios/${seg(p.name)}/history`), enabled: seeded })),
  });
  // The report (cached by the server; computed on a miss) gives the worst stress and the positions'
  // 1-day P&L. None for an empty portfolio. One at a time, in the list's order: a report not cached
  // is a computation, so the overview takes one compute slot, not one per portfolio; leaving the
  // page cancels the request in flight and starts no more.
  let next = seeded;
  const reports = useQueries({
    queries: items.map((p) => {
      const enabled = next && p.positions > 0;
      if (enabled) {
        const st = qc.getQueryState(['report', p.name]);
        if (st?.status !== 'success' && st?.status !== 'error') next = false;
      }
      return {
        queryKey: ['report', p.name],
        queryFn: ({ signal }: { signal: AbortSignal }) => api<Report>('GET', `/api/v1/portfolios/${seg(p.name)}/report`, { signal }),
        enabled,
      };
    }),
  });

  const accounts = useQuery({ queryKey: ['accounts'], queryFn: () => api<AccountPage>('GET', '/api/v1/accounts?limit=500') });
  const accts = accounts.data?.items ?? [];
  const household = useQuery({
    queryKey: ['networth', 'household', RANGE],
    queryFn: () => api<NetworthResult>('GET', '/api/v1/networth?'),
    enabled: accts.length > 0,
  });
  // Accounts in different currencies: the sum of all of them would add currencies, so each one's own.
  const mixedLedger = accts.length > 0 && ledgerCurrency(accts) === MIXED;
  const perAccount = useQueries({
    queries: (mixedLedger ? accts : []).map((a) => ({
      queryKey: ['networth', a.id, RANGE],
      queryFn: () => api<NetworthResult>('GET', `/api/v1/accounts/${a.id}/networth?`),
    })),
  });

  const running = useQuery({ queryKey: ['jobs', 'running'], queryFn: () => api<JobPage>('GET', '/api/v1/jobs?status=running&limit=100'), refetchInterval: 5000 });
  const queued = useQuery({ queryKey: ['jobs', 'queued'], queryFn: () => api<JobPage>('GET', '/api/v1/jobs?status=queued&limit=100'), refetchInterval: 5000 });
  const recent = useQuery({ queryKey: ['jobs'], queryFn: () => api<JobPage>('GET', '/api/v1/jobs?limit=100'), enabled: since !== null });

  const nothing = list.data && items.length === 0 && accounts.data && accts.length === 0;
  // The figures at the top (net worth, what changed, the jobs) come in one step
  // (src/app/firstAnswers.ts); each part's own loading state serves the reloads after.
  const answered = useFirstAnswers(
    list.isLoading || accounts.isLoading || overview.isPending || views.some((v) => v.isLoading) ||
    histories.some((h) => h.isLoading) || (accts.length > 0 && household.isLoading) || perAccount.some((q) => q.isLoading) ||
    recent.isLoading || running.isLoading || queued.isLoading,
  );
  return (
    <section className="overview">
      <h1>{t('overview.title')}</h1>
      {list.error && accounts.error ? (
        <>
          <p>{t('overview.neither')}</p>
          <ErrorBox error={list.error} />
          <ErrorBox error={accounts.error} />
        </>
      ) : !answered ? (
        <Loading what={t('overview.loading.nw')} />
      ) : nothing ? (
        <FirstSteps can={can} />
      ) : (
        <>
          <NetWorth
            list={list}
            views={views}
            accounts={accounts}
            household={household}
            perAccount={perAccount}
            accts={accts}
          />
          <div className="overview-grid">
            <Changes since={since} list={list} histories={histories} accounts={accounts} household={household} recent={recent} />
            <JobsRunning running={running} queued={queued} />
          </div>
          <h2>{t('overview.h.history')}</h2>
          <HistorySection list={list} views={views} histories={histories} household={household} perAccount={perAccount} accts={accts} mixedLedger={mixedLedger} />
          <h2>{t('overview.h.risk')}</h2>
          <RiskTable list={list} views={views} reports={reports} />
          <h2>{t('overview.h.allocation')}</h2>
          <AllocationSection list={list} views={views} />
          <h2>{t('overview.h.movers')}</h2>
          <MoversSection list={list} reports={reports} />
        </>
      )}
      {nothing && <JobsRunning running={running} queued={queued} />}
    </section>
  );
}

type Q<T> = { data?: T; error: unknown; isLoading: boolean; isPending?: boolean };

// A new tenant with nothing in it: what to do first, with links.
function FirstSteps({ can }: { can: (p: string) => boolean }) {
  const { t, rich } = useSession();
  const manage = can('manage_portfolios');
  const compute = can('compute');
  return (
    <Empty>
      <p data-testid="overview-empty">{t('overview.empty')}</p>
      {manage ? (
        <ol className="first-steps">
          <li>{rich('overview.step.portfolio', { link: <Link to="/portfolios">{t('overview.step.portfolioLink')}</Link> })}</li>
          <li>{rich('overview.step.ledger', { link: <Link to="/ledger">{t('overview.step.ledgerLink')}</Link> })}</li>
          {compute && <li>{rich('overview.step.batch', { link: <Link to="/jobs">{t('overview.step.batchLink')}</Link> })}</li>}
        </ol>
      ) : (
        <p>
          {rich('overview.step.noRole', {
            portfolios: <Link to="/portfolios">{t('overview.step.portfolios')}</Link>,
            ledger: <Link to="/ledger">{t('overview.step.ledgerName')}</Link>,
          })}
        </p>
      )}
    </Empty>
  );
}

// ---- Net worth ----------------------------------------------------------------------------------

function NetWorth({
  list, views, accounts, household, perAccount, accts,
}: {
  list: Q<PortfolioPage>;
  views: Q<PortfolioView>[];
  accounts: Q<AccountPage>;
  household: Q<NetworthResult>;
  perAccount: Q<NetworthResult>[];
  accts: AccountPage['items'];
}) {
  const { fmt, t } = useSession();
  const items = list.data?.items ?? [];
  const loading = list.isLoading || accounts.isLoading || views.some((v) => v.isLoading) || (accts.length > 0 && household.isLoading) || perAccount.some((q) => q.isLoading);
  if (loading) return <><h2>{t('overview.nw')}</h2><Loading what={t('overview.loading.nw')} /></>;

  const portfolioParts: NetWorthPart[] = [];
  const failed: { name: string; error: unknown }[] = [];
  if (list.error) failed.push({ name: t('overview.failed.portfolios'), error: list.error });
  items.forEach((p, i) => {
    const v = views[i];
    if (v?.error) failed.push({ name: t('overview.failed.portfolio', { name: p.name }), error: v.error });
    if (!v?.data) return;
    const d = v.data;
    const amount = bookWorth(d);
    portfolioParts.push({
      kind: 'portfolio', name: p.name, currency: portfolioCurrency(d), amount, asOf: d.as_of ?? null, link: portfolioLink(p.name),
      note: amount == null
        ? t(d.positions.length === 0 ? 'overview.note.noPositions' : 'overview.note.noPrices')
        : d.unpriced > 0 ? t('overview.note.unpriced', { count: d.unpriced }) : undefined,
    });
  });
  if (accounts.error) failed.push({ name: t('overview.failed.accounts'), error: accounts.error });
  if (household.error && !mixedOf(accts)) failed.push({ name: t('overview.failed.ledgerNw'), error: household.error });
  const perMap = new Map<number, NetworthResult>();
  if (mixedOf(accts)) {
    accts.forEach((a, i) => {
      const q = perAccount[i];
      if (q?.data) perMap.set(a.id, q.data);
      if (q?.error) failed.push({ name: t('overview.failed.accountNw', { name: a.name }), error: q.error });
    });
  }
  const ledger = accounts.data && !(household.error && !mixedOf(accts)) ? ledgerParts(accts, household.data, perMap, accountLink, t) : [];
  const parts = [...portfolioParts, ...ledger];
  const all = sumByCurrency(parts);
  const ofPortfolios = sumByCurrency(portfolioParts);
  const ofLedger = sumByCurrency(ledger);
  const money = (x: number | null | undefined, c: string) => fmt.money(x, c === MIXED ? MIXED : c);

  return (
    <>
      <h2>{all.totals.length === 1 ? t('overview.nwIn', { currency: all.totals[0]!.currency }) : t('overview.nw')}</h2>
      {all.totals.length === 0 && all.unsummed.length === 0 && failed.length === 0 && (
        <Empty>{t('overview.noAmounts')}</Empty>
      )}
      {all.totals.length > 0 && (
        <div className="kpis" data-testid="networth" aria-label={t('overview.nwByCurrency')}>
          {all.totals.map((tot) => {
            // Per currency: its total, then (when both have some) the portfolios' and the ledger's part.
            const p = ofPortfolios.totals.find((x) => x.currency === tot.currency);
            const l = ofLedger.totals.find((x) => x.currency === tot.currency);
            return [
              <Kpi key={tot.currency} id={`networth-${tot.currency}`} label={t(failed.length ? 'overview.kpi.nwPartial' : 'overview.kpi.nw', { currency: tot.currency })}>
                {fmt.money(tot.amount, tot.currency)}
              </Kpi>,
              p && l && <Kpi key={`p-${tot.currency}`} id={`portfolios-${tot.currency}`} label={t('overview.kpi.portfolios', { currency: tot.currency })}>{fmt.money(p.amount, tot.currency)}</Kpi>,
              p && l && <Kpi key={`l-${tot.currency}`} id={`ledger-${tot.currency}`} label={t('overview.kpi.ledger', { currency: tot.currency })}>{fmt.money(l.amount, tot.currency)}</Kpi>,
            ];
          })}
        </div>
      )}
      {all.totals.length > 1 && (
        <p className="note" data-testid="currencies-note">
          {t('overview.currenciesNote', { count: all.totals.length, list: all.totals.map((x) => x.currency).join(', ') })}
        </p>
      )}
      {all.unsummed.length > 0 && (
        <p className="note">
          {t('overview.unsummed', { list: all.unsummed.map((p) => p.name).join(', ') })}
        </p>
      )}
      {failed.length > 0 && (
        <div data-testid="networth-partial">
          <p className="warning">{t('overview.partial')}</p>
          {failed.map((f, i) => (
            <div key={i}>
              <span>{f.name}:</span>
              <ErrorBox error={f.error} />
            </div>
          ))}
        </div>
      )}
      {parts.length > 0 && (
        <table className="list" aria-label={t('overview.parts')}>
          <thead>
            <tr><th>{t('overview.col.part')}</th><th>{t('overview.col.kind')}</th><th>{t('common.currency')}</th><th className="num">{t('common.marketValue')}</th><th>{t('common.asOf')}</th><th>{t('overview.col.note')}</th></tr>
          </thead>
          <tbody>
            {parts.map((p) => (
              <tr key={`${p.kind}:${p.name}`} data-part={p.name} data-kind={p.kind}>
                <td><Link to={p.link}>{p.kind === 'ledger' && p.name === ALL_ACCOUNTS ? t('overview.allAccounts') : p.name}</Link></td>
                <td>{t(p.kind === 'portfolio' ? 'overview.kind.portfolio' : p.name === ALL_ACCOUNTS ? 'overview.kind.ledgerAll' : 'overview.kind.account')}</td>
                <td>{p.currency}</td>
                <td className="num" data-field="amount">{money(p.amount, p.currency)}</td>
                <td>{fmt.date(p.asOf)}</td>
                <td className="muted">{p.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.next_cursor && <p className="muted">{t('overview.firstOnly', { shown: fmt.num(items.length, 0), total: fmt.num(list.data.total, 0) })}</p>}
    </>
  );
}

const mixedOf = (accts: AccountPage['items']) => accts.length > 0 && ledgerCurrency(accts) === MIXED;

// ---- History ------------------------------------------------------------------------------------

function HistorySection({
  list, views, histories, household, perAccount, accts, mixedLedger,
}: {
  list: Q<PortfolioPage>;
  views: Q<PortfolioView>[];
  histories: Q<History>[];
  household: Q<NetworthResult>;
  perAccount: Q<NetworthResult>[];
  accts: AccountPage['items'];
  mixedLedger: boolean;
}) {
  const { t, rich } = useSession();
  const items = list.data?.items ?? [];
  if (list.isLoading || histories.some((h) => h.isLoading) || views.some((v) => v.isLoading)) return <Loading what={t('overview.loading.history')} />;
  const series: Series[] = [];
  const errors: { name: string; error: unknown }[] = [];
  items.forEach((p, i) => {
    const h = histories[i];
    const v = views[i];
    if (h?.error) errors.push({ name: t('overview.err.snapshots', { name: p.name }), error: h.error });
    if (!h?.data || !v?.data) return;
    series.push({ name: p.name, currency: portfolioCurrency(v.data), points: h.data.points.filter((x) => x.net_value_amount != null).map((x) => [x.as_of, x.net_value_amount!]) });
  });
  if (accts.length > 0) {
    if (!mixedLedger && household.data) series.push({ name: t('overview.series.ledger'), currency: ledgerCurrency(accts), points: household.data.points.map((x) => [x.date, x.net_worth]) });
    if (!mixedLedger && household.error) errors.push({ name: t('overview.err.ledgerNw'), error: household.error });
    if (mixedLedger) {
      accts.forEach((a, i) => {
        const q = perAccount[i];
        if (q?.data) series.push({ name: t('overview.series.account', { name: a.name }), currency: a.currency, points: q.data.points.map((x) => [x.date, x.net_worth]) });
        if (q?.error) errors.push({ name: t('overview.err.accountNw', { name: a.name }), error: q.error });
      });
    }
  }
  const drawn = series.filter((s) => s.points.length > 0);
  return (
    <>
      {errors.map((e, i) => <div key={i}><span>{t('overview.notDrawnOf', { name: e.name })}</span><ErrorBox error={e.error} /></div>)}
      {drawn.length === 0 ? (
        <Empty>
          {rich('overview.noHistory', { jobs: <Link to="/jobs">{t('nav.jobs')}</Link>, ledger: <Link to="/ledger">{t('nav.ledger')}</Link> })}
        </Empty>
      ) : (
        <HistoryCharts series={drawn} />
      )}
    </>
  );
}

// ---- Risk ---------------------------------------------------------------------------------------

function RiskTable({ list, views, reports }: { list: Q<PortfolioPage>; views: Q<PortfolioView>[]; reports: Q<Report>[] }) {
  const { fmt, t, rich } = useSession();
  if (list.isLoading) return <Loading what={t('overview.loading.portfolios')} />;
  if (list.error) return <ErrorBox error={list.error} />;
  const items = list.data?.items ?? [];
  if (items.length === 0) return <Empty>{rich('overview.noPortfolios', { link: <Link to="/portfolios">{t('overview.noPortfoliosLink')}</Link> })}</Empty>;
  return (
    <>
      <table className="list" aria-label={t('overview.risk')}>
        <thead>
          <tr>
            <th>{t('overview.col.portfolio')}</th><th className="num">{t('dash.kpi.net')}</th><th className="num">{t('dash.pnl1d')}</th><th className="num">{t('overview.col.var')}</th>
            <th>{t('overview.col.zone')}</th><th>{t('overview.col.stress')}</th><th>{t('common.asOf')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p, i) => {
            const v = views[i]?.data;
            const r = reports[i];
            const rep = r?.data;
            const cur = rep?.summary.currency ?? (v ? portfolioCurrency(v) : portfolioCurrency(p));
            const snap = p.last_snapshot;
            const s = rep?.summary;
            // The newest snapshot's figures; before the first batch, the report's.
            const src = snap
              ? { net: snap.net_value_amount, pnl: snap.pnl_1d_amount, varAmt: snap.var_amount, zone: snap.backtest_zone, asOf: t('overview.asOfSnapshot', { date: fmt.date(snap.as_of) }) }
              : s
                ? { net: s.net_value_amount, pnl: s.pnl_1d_amount, varAmt: s.var_amount, zone: s.backtest_zone, asOf: t('overview.asOfReport', { date: fmt.date(rep!.as_of) }) }
                : null;
            let stress: ReactNode;
            if (p.positions === 0) stress = <span className="muted">{t('overview.note.noPositions')}</span>;
            else if (r?.isPending) stress = <span className="muted">{t('overview.loadingReport')}</span>;
            else if (r?.error) stress = <span className="warning">{r.error instanceof Error ? t('overview.reportFailedWhy', { why: r.error.message }) : t('overview.reportFailed')}</span>;
            else if (s?.worst_stress_scenario) stress = <><span data-scenario={s.worst_stress_scenario}>{labelOf(t, 'scenario', s.worst_stress_scenario)}</span>: <span data-field="stress">{fmt.money(s.worst_stress_pnl_amount, cur)}</span></>;
            else stress = <span className="muted">–</span>;
            return (
              <tr key={p.id} data-portfolio={p.name}>
                <td><Link to={portfolioLink(p.name)}>{p.name}</Link></td>
                {src ? (
                  <>
                    <td className="num" data-field="net">{fmt.money(src.net, cur)}</td>
                    <td className="num" data-field="pnl">{fmt.money(src.pnl, cur)}</td>
                    <td className="num" data-field="var">{fmt.money(src.varAmt, cur)}</td>
                    <td data-field="zone"><Zone zone={src.zone} /></td>
                  </>
                ) : (
                  <td colSpan={4} className="muted">{t(p.positions === 0 ? 'overview.note.noPositions' : r?.isPending ? 'overview.noSnapshotLoading' : 'overview.noSnapshot')}</td>
                )}
                <td>{stress}</td>
                <td>{src?.asOf ?? '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted small">
        {t('overview.riskNote')}
      </p>
    </>
  );
}

// ---- Allocation ---------------------------------------------------------------------------------

function AllocationSection({ list, views }: { list: Q<PortfolioPage>; views: Q<PortfolioView>[] }) {
  const { t } = useSession();
  if (list.isLoading || views.some((v) => v.isLoading)) return <Loading what={t('overview.loading.positions')} />;
  const items = list.data?.items ?? [];
  const positions = views.flatMap((v) => (v.data?.positions ?? []).map((p) => ({ ...p, book_currency: v.data!.currency })));
  const failed = items.filter((_, i) => views[i]?.error).map((p) => p.name);
  return (
    <>
      {failed.length > 0 && <p className="warning">{t('overview.leftOut', { list: failed.join(', ') })}</p>}
      {positions.some((p) => p.market_value != null) ? (
        <>
          <p className="muted small">{t('overview.allocNote')}</p>
          <AllocationCharts positions={positions} />
        </>
      ) : (
        <Empty>{t('overview.noPriced')}</Empty>
      )}
    </>
  );
}

// ---- Movers -------------------------------------------------------------------------------------

function MoversSection({ list, reports }: { list: Q<PortfolioPage>; reports: Q<Report>[] }) {
  const { fmt, t } = useSession();
  const items = list.data?.items ?? [];
  // Each row's amounts are in its report's reporting currency (the position's own is its quote).
  const rows = items.flatMap((p, i) => {
    const r = reports[i]?.data;
    return (r?.positions.rows ?? []).map((row) => ({ ...row, currency: r!.summary.currency, portfolio: p.name }));
  });
  const loading = items.filter((p, i) => p.positions > 0 && reports[i]?.isPending).map((p) => p.name);
  const failed = items.filter((_, i) => reports[i]?.error).map((p) => p.name);
  const groups = movers(rows, 5);
  const asOf = [...new Set(reports.map((r) => r.data?.as_of).filter(Boolean))].map((d) => fmt.date(d)).join(', ');
  return (
    <>
      {loading.length > 0 && <Loading what={t('overview.loading.reports', { list: loading.join(', ') })} />}
      {failed.length > 0 && <p className="warning">{t('overview.notIncluded', { list: failed.join(', ') })}</p>}
      {groups.length === 0 && loading.length === 0 && <Empty>{t('overview.noMovers')}</Empty>}
      {groups.map((g) => (
        <table key={g.currency} className="list movers" aria-label={t('overview.movers', { currency: g.currency })} data-currency={g.currency}>
          <caption>{asOf ? t('overview.moversAsOf', { currency: g.currency, date: asOf }) : t('overview.movers', { currency: g.currency })}</caption>
          <thead>
            <tr><th>{t('common.symbol')}</th><th>{t('overview.col.portfolio')}</th><th className="num">{t('dash.pnl1d')}</th><th className="num">{t('common.marketValue')}</th></tr>
          </thead>
          <tbody>
            {[...g.gains, ...g.losses].map((r) => (
              <tr key={`${r.portfolio}:${r.symbol}`} className={r.pnl_1d_amount! < 0 ? 'loss' : 'gain'}>
                <td>{r.symbol}</td>
                <td><Link to={portfolioLink(r.portfolio)}>{r.portfolio}</Link></td>
                <td className="num" data-field="pnl">{fmt.money(r.pnl_1d_amount, g.currency)}</td>
                <td className="num">{fmt.money(r.market_value_amount, g.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {groups.length > 0 && (
        <p className="muted small">
          {t('overview.moversNote')}
        </p>
      )}
    </>
  );
}

// ---- Jobs ---------------------------------------------------------------------------------------

function JobsRunning({ running, queued }: { running: Q<JobPage>; queued: Q<JobPage> }) {
  const { fmt, t, rich } = useSession();
  const jobs = [...(running.data?.items ?? []), ...(queued.data?.items ?? [])];
  return (
    <div>
      <h2>{t('overview.h.jobs')}</h2>
      {(running.isLoading || queued.isLoading) && <Loading what={t('overview.loading.jobs')} />}
      <ErrorBox error={running.error} />
      <ErrorBox error={queued.error} />
      {running.data && queued.data && jobs.length === 0 && <p className="muted" data-testid="no-jobs">{rich('overview.noJobs', { link: <Link to="/jobs">{t('overview.allJobs')}</Link> })}</p>}
      {jobs.length > 0 && (
        <ul className="plain" aria-label={t('overview.jobsList')}>
          {jobs.map((j) => (
            <li key={j.id} data-job={j.id}>
              <Link to={`/jobs/${j.id}`}>{t('overview.job', { id: j.id })}</Link> {jobKindLabel(j.kind, t)} · <span data-field="status">{choiceLabel(t, 'status', j.status)}</span>
              {j.status === 'running' && <> · {fmt.pct(j.progress, 0)}</>}
              {j.message && <span className="muted"> · {j.message}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// ---- Changes ------------------------------------------------------------------------------------

function Changes({
  since, list, histories, accounts, household, recent,
}: {
  since: string | null;
  list: Q<PortfolioPage>;
  histories: Q<History>[];
  accounts: Q<AccountPage>;
  household: Q<NetworthResult>;
  recent: Q<JobPage>;
}) {
  const { fmt, t } = useSession();
  const items = list.data?.items ?? [];
  if (!since) {
    return (
      <div>
        <h2>{t('overview.h.changes')}</h2>
        <p className="muted" data-testid="first-visit">{t('overview.firstVisit')}</p>
      </div>
    );
  }
  const loading = list.isLoading || accounts.isLoading || histories.some((h) => h.isLoading) || recent.isLoading || household.isLoading;
  const failed = [
    list.error && t('overview.failed.c.portfolios'),
    accounts.error && t('overview.failed.c.accounts'),
    histories.some((h) => h.error) && t('overview.failed.c.snapshots'),
    household.error && t('overview.failed.c.ledgerNw'),
    recent.error && t('overview.failed.c.jobs'),
  ].filter(Boolean);
  const hist = new Map<string, History['points']>();
  items.forEach((p, i) => {
    const d = histories[i]?.data;
    if (d) hist.set(p.name, d.points);
  });
  const changes = loading ? [] : changesSince(since, {
    portfolios: items,
    histories: hist,
    accounts: accounts.data?.items ?? [],
    networth: household.data,
    jobs: recent.data?.items ?? [],
    portfolioLink,
    accountLink,
    t,
    date: fmt.date,
  });
  const MAX = 30;
  return (
    <div>
      <h2>{t('overview.h.changes')}</h2>
      <p className="muted small" data-testid="since">{t('overview.lastVisit', { when: when(since) })}</p>
      {loading && <Loading what={t('overview.loading.changes')} />}
      {failed.length > 0 && <p className="warning">{t('overview.notChecked', { list: failed.join(', ') })}</p>}
      {!loading && changes.length === 0 && <p className="muted">{t('overview.nothingChanged')}</p>}
      {changes.length > 0 && (
        <ul className="changes" aria-label={t('overview.changesList')}>
          {changes.slice(0, MAX).map((c, i) => (
            <li key={i} className={c.alert ? 'alert' : undefined} data-kind={c.kind}>
              <span className="muted small">{when(c.at)}</span> <Link to={c.link}>{c.subject}</Link>: {c.what}
              {c.alert && <span className="sr-only">{t('overview.attention')}</span>}
            </li>
          ))}
        </ul>
      )}
      {changes.length > MAX && <p className="muted small">{t('overview.more', { n: fmt.num(changes.length - MAX, 0) })}</p>}
    </div>
  );
}
