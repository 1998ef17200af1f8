// The overview, the app's home (/ and /overview): net worth over every portfolio and the ledger by
// currency, its history, allocation donuts, the day's movers, risk at a glance, jobs running and
// what changed since the last visit. Every figure is the API's (the portfolio list with each one's
// newest snapshot, each portfolio's view, history and report, the accounts and the ledger's net
// worth, the jobs); the page adds amounts only within one currency (summary.ts). Each request
// stands alone: what loaded is shown, and what failed says so where it would have been.
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { AccountPage, History, JobPage, NetworthResult, PortfolioPage, PortfolioView, Report } from '../../api/types';
import { MIXED } from '../../app/format';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { Kpi } from '../../components/Kpi';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { Zone } from '../portfolios/PortfoliosView';
import {
  beginVisit,
  changesSince,
  jobKindLabel,
  ledgerCurrency,
  ledgerParts,
  movers,
  portfolioCurrency,
  sumByCurrency,
  visitKey,
  visitMemory,
  type NetWorthPart,
  type Series,
} from './summary';

// ECharts loads with the charts, after the figures.
const HistoryCharts = lazy(() => import('./OverviewCharts'));
const AllocationCharts = lazy(() => import('./OverviewCharts').then((m) => ({ default: m.AllocationCharts })));

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

// An ISO-8601 time as the app writes times: date and minutes, UTC.
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export function OverviewView() {
  const { me, can } = useSession();
  useTitle('Overview');
  const [since] = useState(() => beginVisit(visitKey(me?.tenant ?? '', me?.username ?? ''), new Date(), localStorage, visitMemory));

  const list = useQuery({ queryKey: ['portfolios'], queryFn: () => api<PortfolioPage>('GET', '/api/v1/portfolios?limit=500') });
  const items = list.data?.items ?? [];
  const views = useQueries({
    queries: items.map((p) => ({ queryKey: ['portfolio-view', p.name], queryFn: () => api<PortfolioView>('GET', `/api/v1/portfolios/${seg(p.name)}`) })),
  });
  const histories = useQueries({
    queries: items.map((p) => ({ queryKey: ['history', p.name], queryFn: () => api<History>('GET', `/api/v1/portfolios/${seg(p.name)}/history`) })),
  });
  // The report (cached by the server; computed on a miss) gives the worst stress and the positions'
  // 1-day P&L. None for an empty portfolio. One at a time, in the list's order: a report not cached
  // is a computation, so the overview takes one compute slot, not one per portfolio; leaving the
  // page cancels the request in flight and starts no more.
  const qc = useQueryClient();
  let next = true;
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
  return (
    <section className="overview">
      <h1>Overview</h1>
      {list.error && accounts.error ? (
        <>
          <p>Neither the portfolios nor the ledger accounts could be loaded.</p>
          <ErrorBox error={list.error} />
          <ErrorBox error={accounts.error} />
        </>
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
          <h2>Net worth over time</h2>
          <HistorySection list={list} views={views} histories={histories} household={household} perAccount={perAccount} accts={accts} mixedLedger={mixedLedger} />
          <h2>Risk at a glance</h2>
          <RiskTable list={list} views={views} reports={reports} />
          <h2>Allocation</h2>
          <AllocationSection list={list} views={views} />
          <h2>The day&apos;s movers</h2>
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
  const manage = can('manage_portfolios');
  const compute = can('compute');
  return (
    <Empty>
      <p data-testid="overview-empty">Nothing here yet: no portfolio and no ledger account.</p>
      {manage ? (
        <ol className="first-steps">
          <li><Link to="/portfolios">Create a portfolio</Link> and import its positions (a CSV file).</li>
          <li>Or <Link to="/ledger">create a ledger account</Link> and import its transactions.</li>
          {compute && <li>Then <Link to="/jobs">run the daily batch</Link>: it records a snapshot of every portfolio, so history and risk appear here.</li>}
        </ol>
      ) : (
        <p>
          Your role cannot create portfolios or accounts: ask a manager of your tenant to create them. You can read
          the <Link to="/portfolios">portfolios</Link> and the <Link to="/ledger">ledger</Link> as soon as they exist.
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
  const { fmt } = useSession();
  const items = list.data?.items ?? [];
  const loading = list.isLoading || accounts.isLoading || views.some((v) => v.isLoading) || (accts.length > 0 && household.isLoading) || perAccount.some((q) => q.isLoading);
  if (loading) return <><h2>Net worth</h2><Loading what="net worth" /></>;

  const portfolioParts: NetWorthPart[] = [];
  const failed: { name: string; error: unknown }[] = [];
  if (list.error) failed.push({ name: 'the portfolios', error: list.error });
  items.forEach((p, i) => {
    const v = views[i];
    if (v?.error) failed.push({ name: `portfolio ${p.name}`, error: v.error });
    if (!v?.data) return;
    const d = v.data;
    portfolioParts.push({
      kind: 'portfolio', name: p.name, currency: portfolioCurrency(d.positions), amount: d.net_market_value, asOf: d.as_of ?? null, link: portfolioLink(p.name),
      note: d.net_market_value == null ? (d.positions.length === 0 ? 'no positions' : 'not valued: no prices') : d.unpriced > 0 ? `${d.unpriced} positions without a price are left out` : undefined,
    });
  });
  if (accounts.error) failed.push({ name: 'the ledger accounts', error: accounts.error });
  if (household.error && !mixedOf(accts)) failed.push({ name: 'the net worth of the ledger', error: household.error });
  const perMap = new Map<number, NetworthResult>();
  if (mixedOf(accts)) {
    accts.forEach((a, i) => {
      const q = perAccount[i];
      if (q?.data) perMap.set(a.id, q.data);
      if (q?.error) failed.push({ name: `the net worth of account ${a.name}`, error: q.error });
    });
  }
  const ledger = accounts.data && !(household.error && !mixedOf(accts)) ? ledgerParts(accts, household.data, perMap, accountLink) : [];
  const parts = [...portfolioParts, ...ledger];
  const all = sumByCurrency(parts);
  const ofPortfolios = sumByCurrency(portfolioParts);
  const ofLedger = sumByCurrency(ledger);
  const money = (x: number | null | undefined, c: string) => fmt.money(x, c === MIXED ? MIXED : c);

  return (
    <>
      <h2>Net worth{all.totals.length === 1 ? ` (${all.totals[0]!.currency})` : ''}</h2>
      {all.totals.length === 0 && all.unsummed.length === 0 && failed.length === 0 && (
        <Empty>No amounts yet: the portfolios have no priced positions and the ledger no net worth.</Empty>
      )}
      {all.totals.length > 0 && (
        <div className="kpis" data-testid="networth" aria-label="Net worth by currency">
          {all.totals.map((t) => {
            // Per currency: its total, then (when both have some) the portfolios' and the ledger's part.
            const p = ofPortfolios.totals.find((x) => x.currency === t.currency);
            const l = ofLedger.totals.find((x) => x.currency === t.currency);
            return [
              <Kpi key={t.currency} id={`networth-${t.currency}`} label={`Net worth in ${t.currency}${failed.length ? ' (partial)' : ''}`}>
                {fmt.money(t.amount, t.currency)}
              </Kpi>,
              p && l && <Kpi key={`p-${t.currency}`} id={`portfolios-${t.currency}`} label={`Portfolios in ${t.currency}`}>{fmt.money(p.amount, t.currency)}</Kpi>,
              p && l && <Kpi key={`l-${t.currency}`} id={`ledger-${t.currency}`} label={`Ledger in ${t.currency}`}>{fmt.money(l.amount, t.currency)}</Kpi>,
            ];
          })}
        </div>
      )}
      {all.totals.length > 1 && (
        <p className="note" data-testid="currencies-note">
          The amounts are in {all.totals.length} currencies ({all.totals.map((t) => t.currency).join(', ')}). keel has no FX
          conversion yet, so each currency has a total of its own, and different currencies are never added.
        </p>
      )}
      {all.unsummed.length > 0 && (
        <p className="note">
          In no total: {all.unsummed.map((p) => p.name).join(', ')} — positions in more than one currency, which keel adds without
          FX, so the amount is in no one currency.
        </p>
      )}
      {failed.length > 0 && (
        <div data-testid="networth-partial">
          <p className="warning">The net worth leaves out what could not be loaded:</p>
          {failed.map((f, i) => (
            <div key={i}>
              <span>{f.name}:</span>
              <ErrorBox error={f.error} />
            </div>
          ))}
        </div>
      )}
      {parts.length > 0 && (
        <table className="list" aria-label="What the net worth is made of">
          <thead>
            <tr><th>Part</th><th>Kind</th><th>Currency</th><th className="num">Market value</th><th>As of</th><th>Note</th></tr>
          </thead>
          <tbody>
            {parts.map((p) => (
              <tr key={`${p.kind}:${p.name}`} data-part={p.name} data-kind={p.kind}>
                <td><Link to={p.link}>{p.name}</Link></td>
                <td>{p.kind === 'portfolio' ? 'portfolio' : p.name === 'All accounts' ? 'ledger (all accounts)' : 'ledger account'}</td>
                <td>{p.currency}</td>
                <td className="num" data-field="amount">{money(p.amount, p.currency)}</td>
                <td>{p.asOf ?? '–'}</td>
                <td className="muted">{p.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.next_cursor && <p className="muted">Only the first {items.length} of {list.data.total} portfolios are included.</p>}
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
  const items = list.data?.items ?? [];
  if (list.isLoading || histories.some((h) => h.isLoading) || views.some((v) => v.isLoading)) return <Loading what="the history" />;
  const series: Series[] = [];
  const errors: { name: string; error: unknown }[] = [];
  items.forEach((p, i) => {
    const h = histories[i];
    const v = views[i];
    if (h?.error) errors.push({ name: `snapshots of ${p.name}`, error: h.error });
    if (!h?.data || !v?.data) return;
    series.push({ name: p.name, currency: portfolioCurrency(v.data.positions), points: h.data.points.filter((x) => x.net_value_amount != null).map((x) => [x.as_of, x.net_value_amount!]) });
  });
  if (accts.length > 0) {
    if (!mixedLedger && household.data) series.push({ name: 'Ledger', currency: ledgerCurrency(accts), points: household.data.points.map((x) => [x.date, x.net_worth]) });
    if (!mixedLedger && household.error) errors.push({ name: 'the ledger\'s net worth', error: household.error });
    if (mixedLedger) {
      accts.forEach((a, i) => {
        const q = perAccount[i];
        if (q?.data) series.push({ name: `Ledger: ${a.name}`, currency: a.currency, points: q.data.points.map((x) => [x.date, x.net_worth]) });
        if (q?.error) errors.push({ name: `the net worth of ${a.name}`, error: q.error });
      });
    }
  }
  const drawn = series.filter((s) => s.points.length > 0);
  return (
    <>
      {errors.map((e, i) => <div key={i}><span>Not drawn, {e.name}:</span><ErrorBox error={e.error} /></div>)}
      {drawn.length === 0 ? (
        <Empty>
          No history yet: the daily batch records a snapshot of every portfolio (<Link to="/jobs">Jobs</Link>), and the ledger
          records its net worth (<Link to="/ledger">Ledger</Link>).
        </Empty>
      ) : (
        <Suspense fallback={<Loading what="the chart" />}>
          <HistoryCharts series={drawn} />
        </Suspense>
      )}
    </>
  );
}

// ---- Risk ---------------------------------------------------------------------------------------

function RiskTable({ list, views, reports }: { list: Q<PortfolioPage>; views: Q<PortfolioView>[]; reports: Q<Report>[] }) {
  const { fmt } = useSession();
  if (list.isLoading) return <Loading what="portfolios" />;
  if (list.error) return <ErrorBox error={list.error} />;
  const items = list.data?.items ?? [];
  if (items.length === 0) return <Empty>No portfolios yet: <Link to="/portfolios">create one</Link> and import its positions.</Empty>;
  return (
    <>
      <table className="list" aria-label="Risk of each portfolio">
        <thead>
          <tr>
            <th>Portfolio</th><th className="num">Net value</th><th className="num">1-day P&amp;L</th><th className="num">VaR, 1 day</th>
            <th>Backtest zone</th><th>Worst stress</th><th>As of</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p, i) => {
            const v = views[i]?.data;
            const r = reports[i];
            const rep = r?.data;
            const cur = v ? portfolioCurrency(v.positions) : undefined;
            const snap = p.last_snapshot;
            const s = rep?.summary;
            // The newest snapshot's figures; before the first batch, the report's.
            const src = snap
              ? { net: snap.net_value_amount, pnl: snap.pnl_1d_amount, varAmt: snap.var_amount, zone: snap.backtest_zone, asOf: `${snap.as_of} (snapshot)` }
              : s
                ? { net: s.net_value_amount, pnl: s.pnl_1d_amount, varAmt: s.var_amount, zone: s.backtest_zone, asOf: `${rep!.as_of} (report)` }
                : null;
            let stress: ReactNode;
            if (p.positions === 0) stress = <span className="muted">no positions</span>;
            else if (r?.isPending) stress = <span className="muted">loading the report…</span>;
            else if (r?.error) stress = <span className="warning">report failed{r.error instanceof Error ? `: ${r.error.message}` : ''}</span>;
            else if (s?.worst_stress_scenario) stress = <>{s.worst_stress_scenario}: <span data-field="stress">{fmt.money(s.worst_stress_pnl_amount, cur)}</span></>;
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
                  <td colSpan={4} className="muted">{p.positions === 0 ? 'no positions' : r?.isPending ? 'no snapshot yet; loading the report…' : 'no snapshot yet (a batch run records one)'}</td>
                )}
                <td>{stress}</td>
                <td>{src?.asOf ?? '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted small">
        VaR: one day, positive for a loss, as the newest snapshot of the daily batch recorded it (the report&apos;s when there is no
        snapshot yet). Worst stress: the scenario with the largest loss in the portfolio&apos;s report.
      </p>
    </>
  );
}

// ---- Allocation ---------------------------------------------------------------------------------

function AllocationSection({ list, views }: { list: Q<PortfolioPage>; views: Q<PortfolioView>[] }) {
  if (list.isLoading || views.some((v) => v.isLoading)) return <Loading what="the positions" />;
  const items = list.data?.items ?? [];
  const positions = views.flatMap((v) => v.data?.positions ?? []);
  const failed = items.filter((_, i) => views[i]?.error).map((p) => p.name);
  return (
    <>
      {failed.length > 0 && <p className="warning">Left out (could not be loaded): {failed.join(', ')}.</p>}
      {positions.some((p) => p.market_value != null) ? (
        <>
          <p className="muted small">Net market value of every portfolio&apos;s positions at their latest prices (ledger accounts show theirs on their holdings tab).</p>
          <Suspense fallback={<Loading what="the charts" />}>
            <AllocationCharts positions={positions} />
          </Suspense>
        </>
      ) : (
        <Empty>No priced positions yet.</Empty>
      )}
    </>
  );
}

// ---- Movers -------------------------------------------------------------------------------------

function MoversSection({ list, reports }: { list: Q<PortfolioPage>; reports: Q<Report>[] }) {
  const { fmt } = useSession();
  const items = list.data?.items ?? [];
  const rows = items.flatMap((p, i) => (reports[i]?.data?.positions.rows ?? []).map((r) => ({ ...r, portfolio: p.name })));
  const loading = items.filter((p, i) => p.positions > 0 && reports[i]?.isPending).map((p) => p.name);
  const failed = items.filter((_, i) => reports[i]?.error).map((p) => p.name);
  const groups = movers(rows, 5);
  const asOf = [...new Set(reports.map((r) => r.data?.as_of).filter(Boolean))].join(', ');
  return (
    <>
      {loading.length > 0 && <Loading what={`the reports of ${loading.join(', ')}`} />}
      {failed.length > 0 && <p className="warning">Not included (the report failed): {failed.join(', ')}.</p>}
      {groups.length === 0 && loading.length === 0 && <Empty>No position has a 1-day P&amp;L yet.</Empty>}
      {groups.map((g) => (
        <table key={g.currency} className="list movers" aria-label={`Largest 1-day P&L in ${g.currency}`} data-currency={g.currency}>
          <caption>Largest 1-day P&amp;L in {g.currency}{asOf ? `, as of ${asOf}` : ''}</caption>
          <thead>
            <tr><th>Symbol</th><th>Portfolio</th><th className="num">1-day P&amp;L</th><th className="num">Market value</th></tr>
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
          The five largest gains and losses of a position over the last trading day (quantity × the change of its close, from the
          portfolios&apos; reports; options have none). A position&apos;s 1-day return is not in the API.
        </p>
      )}
    </>
  );
}

// ---- Jobs ---------------------------------------------------------------------------------------

function JobsRunning({ running, queued }: { running: Q<JobPage>; queued: Q<JobPage> }) {
  const { fmt } = useSession();
  const jobs = [...(running.data?.items ?? []), ...(queued.data?.items ?? [])];
  return (
    <div>
      <h2>Jobs running</h2>
      {(running.isLoading || queued.isLoading) && <Loading what="jobs" />}
      <ErrorBox error={running.error} />
      <ErrorBox error={queued.error} />
      {running.data && queued.data && jobs.length === 0 && <p className="muted" data-testid="no-jobs">No job is running or queued. <Link to="/jobs">All jobs</Link></p>}
      {jobs.length > 0 && (
        <ul className="plain" aria-label="Jobs running or queued">
          {jobs.map((j) => (
            <li key={j.id} data-job={j.id}>
              <Link to={`/jobs/${j.id}`}>Job {j.id}</Link> {jobKindLabel(j.kind)} · <span data-field="status">{j.status}</span>
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
  const items = list.data?.items ?? [];
  if (!since) {
    return (
      <div>
        <h2>What changed since your last visit</h2>
        <p className="muted" data-testid="first-visit">This is your first visit to the overview: from your next one on, what changed in between is listed here.</p>
      </div>
    );
  }
  const loading = list.isLoading || accounts.isLoading || histories.some((h) => h.isLoading) || recent.isLoading || household.isLoading;
  const failed = [
    list.error && 'portfolios',
    accounts.error && 'ledger accounts',
    histories.some((h) => h.error) && 'snapshots of some portfolios',
    household.error && 'the ledger\'s net worth',
    recent.error && 'jobs',
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
  });
  const MAX = 30;
  return (
    <div>
      <h2>What changed since your last visit</h2>
      <p className="muted small" data-testid="since">Your last visit: {when(since)}.</p>
      {loading && <Loading what="the changes" />}
      {failed.length > 0 && <p className="warning">Could not be checked: {failed.join(', ')}.</p>}
      {!loading && changes.length === 0 && <p className="muted">Nothing changed.</p>}
      {changes.length > 0 && (
        <ul className="changes" aria-label="Changes since your last visit">
          {changes.slice(0, MAX).map((c, i) => (
            <li key={i} className={c.alert ? 'alert' : undefined} data-kind={c.kind}>
              <span className="muted small">{when(c.at)}</span> <Link to={c.link}>{c.subject}</Link>: {c.what}
              {c.alert && <span className="sr-only"> (needs attention)</span>}
            </li>
          ))}
        </ul>
      )}
      {changes.length > MAX && <p className="muted small">and {changes.length - MAX} more.</p>}
    </div>
  );
}
