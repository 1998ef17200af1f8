// A portfolio's dashboard: the KPI strip and positions from the report (GET .../report, cached by
// the server), and one tab per analysis, each a request to its own route with the parameters of the
// URL. Every figure is the API's; the views only format and draw.
import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { api, seg, type Schemas } from '../../api/client';
import type { FactorsResult, History, HistoryPoint, Job, PortfolioRecord, PortfolioView, Report, ReportPositionRow, StressResult } from '../../api/types';
import { choiceLabel, type Translate } from '../../app/i18n';
import { labelOf } from '../../app/labels';
import { navigate, setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { Chart } from '../../components/Chart';
import { DataTable } from '../../components/DataTable';
import { Kpi } from '../../components/Kpi';
import { bodyFrom, ParamControls } from '../../components/ParamControls';
import { Empty, ErrorBox, Hints, Loading } from '../../components/States';
import { TableScroll } from '../../components/TableScroll';
import { pickTab, Tabs } from '../../components/Tabs';
import { Zone } from '../portfolios/PortfoliosView';
import { reportPage } from '../reports/keptReport';
import { currencyChoices, inCurrency, reportPath, viewCurrency } from './reportingCurrency';
import { computeVar, histogramPoints, type JobState } from './varJob';
import { ReadinessPanel, useReadiness } from './ReadinessPanel';
import { useFirstAnswers } from '../../app/firstAnswers';
import { KpiStrip } from './KpiStrip';
import { attributionRows, PARTS, stackedParts, type Attribution, type Part } from './attribution';
import { drawdownDates, performancePath, tooFewSnapshots, wealthLines, type PortfolioPerformance } from './performance';
import { ReturnsCalendar } from './ReturnsCalendar';
import { HEALTH_LIMITS, type BookHealth } from './health';
import { groupLabel } from './groups';
import { HealthView } from './HealthView';

export const TABS = ['positions', 'health', 'exposures', 'greeks', 'var', 'backtest', 'factors', 'attribution', 'stress', 'correlation', 'history'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL = (t: Translate): Record<Tab, string> => Object.fromEntries(TABS.map((k) => [k, t(`dash.tab.${k}`)])) as Record<Tab, string>;

// The report in the view's currency (the stored reporting currency when none is chosen).
function useReport(portfolio: string, currency: string | undefined) {
  return useQuery({ queryKey: ['report', portfolio, currency ?? null], queryFn: () => api<Report>('GET', reportPath(seg(portfolio), currency)) });
}

// The portfolio as stored: its reporting currency is what the selector starts from.
function usePortfolio(portfolio: string) {
  return useQuery({ queryKey: ['portfolio', portfolio], queryFn: () => api<PortfolioView>('GET', `/api/v1/portfolios/${seg(portfolio)}`) });
}

// A POST to a compute route with the URL's parameters, in the view's currency, cached per body.
function useCompute<T>(portfolio: string, route: string, body: Record<string, unknown>, enabled = true) {
  const { can } = useSession();
  const { query } = useLocation();
  const full = inCurrency(body, viewCurrency(query));
  return useQuery({
    queryKey: ['compute', portfolio, route, full],
    queryFn: () => api<T>('POST', `/api/v1/portfolios/${seg(portfolio)}/${route}`, { body: full }),
    enabled: enabled && can('compute'),
  });
}

export function Dashboard({ portfolio }: { portfolio: string }) {
  const { query } = useLocation();
  const { can, t, fmt } = useSession();
  const tab = pickTab(TABS, query.get('tab'), 'positions');
  const chosen = viewCurrency(query);
  const stored = usePortfolio(portfolio);
  const report = useReport(portfolio, chosen);
  const readiness = useReadiness(portfolio);
  const settled = useFirstAnswers(report.isLoading || readiness.isLoading);
  // Every amount of the tabs is in the reporting currency the API names: the report's, else the
  // chosen one, else the portfolio's stored one.
  const currency = report.data?.summary.currency ?? chosen ?? stored.data?.currency;
  useTitle(portfolio);
  return (
    <section>
      <div className="titlebar">
        <h1>{portfolio}</h1>
        {report.data && <span className="muted">{t('dash.asOf', { date: fmt.date(report.data.as_of) })}</span>}
        <span className="spacer" />
        <button type="button" onClick={() => navigate(`/portfolios/${seg(portfolio)}/positions`)}>{t(can('import_positions') ? 'dash.editPositions' : 'dash.storedPositions')}</button>
        {can('import_positions') && <button type="button" onClick={() => navigate(`/portfolios/${seg(portfolio)}/import`)}>{t('dash.importPositions')}</button>}
        {can('compute') && <button type="button" onClick={() => navigate(`/portfolios/${seg(portfolio)}/whatif`)}>{t('dash.whatif')}</button>}
        {can('compute') && <button type="button" onClick={() => navigate(`/portfolios/${seg(portfolio)}/optimize?long_only=true`)}>{t('dash.optimize')}</button>}
        {can('compute') && <button type="button" onClick={() => navigate(`/portfolios/${seg(portfolio)}/rebalance?target=csv`)}>{t('dash.rebalance')}</button>}
        <button type="button" onClick={() => navigate(`/portfolios/${seg(portfolio)}/report`)}>{t('dash.report')}</button>
      </div>
      <CurrencySelector portfolio={portfolio} stored={stored.data?.currency} chosen={chosen} report={report.data} />
      {/* The readiness, the key figures and the tabs come in one step (src/app/firstAnswers.ts). */}
      {!settled ? (
        <Loading what={t('dash.loading.report')} />
      ) : (
        <>
          <ReadinessPanel portfolio={portfolio} />
          {report.isLoading && <Loading what={t('dash.loading.report')} />}
          <ErrorBox error={report.error} />
          {report.data && <KpiStrip report={report.data} />}
          <DashboardTabs portfolio={portfolio} tab={tab} query={query} report={report.data} currency={currency} storedCurrency={stored.data?.currency} />
        </>
      )}
    </section>
  );
}

function DashboardTabs({ portfolio, tab, query, report, currency, storedCurrency }: {
  portfolio: string;
  tab: Tab;
  query: URLSearchParams;
  report: Report | undefined;
  currency: string | undefined;
  storedCurrency: string | undefined;
}) {
  const { can, t } = useSession();
  return (
    <Tabs tabs={TABS} labels={TAB_LABEL(t)} current={tab} label={t('dash.analyses')}>
      {tab !== 'positions' && tab !== 'history' && !can('compute') && (
        <div className="error" role="alert">{t('state.notAllowed')}{t('dash.notAllowed')}</div>
      )}
      {tab === 'positions' && report && <PositionsTab report={report} />}
      {tab === 'health' && <HealthTab portfolio={portfolio} query={query} />}
      {tab === 'exposures' && <ExposuresTab portfolio={portfolio} query={query} currency={currency} />}
      {tab === 'greeks' && <GreeksTab portfolio={portfolio} currency={currency} />}
      {tab === 'var' && <VarTab portfolio={portfolio} query={query} currency={currency} />}
      {tab === 'backtest' && <BacktestTab portfolio={portfolio} query={query} />}
      {tab === 'factors' && <FactorsTab portfolio={portfolio} currency={currency} />}
      {tab === 'attribution' && <AttributionTab portfolio={portfolio} query={query} currency={currency} />}
      {tab === 'stress' && <StressTab portfolio={portfolio} currency={currency} />}
      {tab === 'correlation' && <CorrelationTab portfolio={portfolio} query={query} />}
      {tab === 'history' && <HistoryTab portfolio={portfolio} query={query} currency={storedCurrency} />}
    </Tabs>
  );
}

// The reporting currency of the view: the stored one, or another for this view only (the URL's
// ?currency=, sent with every request of the page); a manager can store the chosen one (PATCH).
function CurrencySelector({ portfolio, stored, chosen, report }: { portfolio: string; stored: string | undefined; chosen: string | undefined; report: Report | undefined }) {
  const { can, t } = useSession();
  const qc = useQueryClient();
  const pairs = useQuery({ queryKey: ['fx-pairs'], queryFn: () => api<Schemas['FxPairs']>('GET', '/api/v1/fx/pairs') });
  const current = chosen ?? stored;
  const choices = currencyChoices(
    stored,
    [current, report?.summary.currency],
    (report?.positions.rows ?? []).map((r) => r.currency),
    (pairs.data?.items ?? []).flatMap((p) => [p.base, p.quote]),
  );
  const store = useMutation({
    mutationFn: (c: string) => api<PortfolioRecord>('PATCH', `/api/v1/portfolios/${seg(portfolio)}`, { body: { currency: c } }),
    onSuccess: () => {
      setQuery({ currency: null });
      for (const key of ['portfolio', 'portfolios', 'report', 'compute', 'history', 'performance']) void qc.invalidateQueries({ queryKey: [key] });
    },
  });
  if (!current) return null;
  return (
    <div className="row currency-selector" data-testid="currency-selector">
      <label>
        {t('dash.ccy.label')}{' '}
        <select
          value={current}
          onChange={(e) => setQuery({ currency: e.target.value === stored ? null : e.target.value })}
          data-testid="view-currency"
        >
          {choices.map((c) => <option key={c} value={c}>{c === stored ? t('dash.ccy.stored', { currency: c }) : c}</option>)}
        </select>
      </label>
      {chosen && chosen !== stored && (
        <>
          <span className="muted" data-testid="view-only">{t('dash.ccy.viewOnly', { currency: chosen, stored: stored ?? '' })}</span>
          {can('manage_portfolios') && (
            <button type="button" onClick={() => store.mutate(chosen)} disabled={store.isPending} data-testid="store-currency">
              {t('dash.ccy.store', { currency: chosen })}
            </button>
          )}
        </>
      )}
      <ErrorBox error={store.error} />
    </div>
  );
}

function PositionsTab({ report }: { report: Report }) {
  const { fmt, t, can } = useSession();
  const cur = report.summary.currency;
  const columns = useMemo<ColumnDef<ReportPositionRow, unknown>[]>(() => {
    // The amounts are in the book's currency, named in the header; the figures stay plain.
    const money = (k: keyof ReportPositionRow, header: string): ColumnDef<ReportPositionRow, unknown> => ({
      accessorKey: k, header: t('common.inCurrency', { label: header, currency: cur }), meta: { num: true }, cell: (c) => fmt.money(c.getValue() as number | null),
    });
    const num = (k: keyof ReportPositionRow, header: string, d = 2): ColumnDef<ReportPositionRow, unknown> => ({
      accessorKey: k, header, meta: { num: true }, cell: (c) => fmt.num(c.getValue() as number | null, d),
    });
    return [
      { accessorKey: 'symbol', header: t('common.symbol') },
      { accessorKey: 'type', header: t('common.type'), cell: (c) => choiceLabel(t, 'type', String(c.getValue() ?? '')) },
      { accessorKey: 'sector', header: t('common.sector') },
      // The currency the position is quoted in; its amounts are converted into the book's.
      { accessorKey: 'currency', header: t('common.currency') },
      num('quantity', t('common.quantity'), 0),
      num('price', t('common.price')),
      money('market_value_amount', t('common.marketValue')),
      { accessorKey: 'weight', header: t('common.weight'), meta: { num: true }, cell: (c) => fmt.pct(c.getValue() as number | null, 1) },
      money('pnl_1d_amount', t('dash.pnl1d')),
      num('delta', t('dash.delta'), 3),
      num('gamma', t('dash.gamma'), 4),
      money('vega_per_point_amount', t('dash.vegaPt')),
      money('theta_per_day_amount', t('dash.thetaDay')),
      money('component_var_amount', t('dash.componentVar')),
      num('beta_mkt', t('dash.beta')),
    ];
  }, [fmt, cur, t]);
  const section = report.positions;
  if (section.status !== 'ok') return <Empty>{t('dash.positions.na', { reason: section.reason ?? section.status })}</Empty>;
  const rows = section.rows ?? [];
  if (!rows.length) return <Empty>{t(can('import_positions') ? 'dash.positions.noneEdit' : 'dash.positions.none')}</Empty>;
  return <DataTable data={rows} columns={columns} label={t('common.positions')} />;
}

// The book's health checks with the URL's limits (weights typed in percent), in the view's currency.
function HealthTab({ portfolio, query }: { portfolio: string; query: URLSearchParams }) {
  const { t } = useSession();
  const q = useCompute<BookHealth>(portfolio, 'health', bodyFrom('BookHealthRequest', HEALTH_LIMITS, query));
  return (
    <>
      <ParamControls schema="BookHealthRequest" fields={HEALTH_LIMITS} query={query} label={t('dash.health.limits')} percent />
      {q.isLoading && <Loading what={t('dash.loading.health')} />}
      <ErrorBox error={q.error} />
      {q.data && <HealthView health={q.data} />}
    </>
  );
}

function ExposuresTab({ portfolio, query, currency }: { portfolio: string; query: URLSearchParams; currency: string | undefined }) {
  const { fmt, t } = useSession();
  const unit = currency ? ` (${currency})` : '';
  const body = bodyFrom('ExposuresRequest', ['by'], query);
  const q = useCompute<Schemas['ExposuresResult']>(portfolio, 'exposures', body);
  // Instrument types and regions are named in words, countries by their names in the page's
  // language; sectors, tags, strategies and underlyings are data (src/views/risk/groups.ts).
  const group = (key: string) => groupLabel(t, fmt.locale, q.data?.by ?? '', key);
  return (
    <>
      <ParamControls schema="ExposuresRequest" fields={['by']} query={query} />
      {q.isLoading && <Loading what={t('dash.loading.exposures')} />}
      <ErrorBox error={q.error} />
      {q.data && (
        <div className="grid2">
          <Chart
            label={t('dash.exp.netChart', { by: choiceLabel(t, 'by', q.data.by), unit })}
            option={{
              tooltip: {},
              grid: { left: 140, right: 20 },
              xAxis: { type: 'value', name: currency ?? '' },
              yAxis: { type: 'category', data: q.data.groups.map((g) => group(g.key)) },
              series: [
                { name: t('dash.series.long'), type: 'bar', stack: 'x', data: q.data.groups.map((g) => g.long) },
                { name: t('dash.series.short'), type: 'bar', stack: 'x', data: q.data.groups.map((g) => g.short) },
              ],
              legend: {},
            }}
          />
          <Chart
            label={t('dash.exp.grossChart', { by: choiceLabel(t, 'by', q.data.by) })}
            option={{
              tooltip: {},
              series: [{ type: 'pie', radius: ['45%', '70%'], data: q.data.groups.map((g) => ({ name: group(g.key), value: g.gross })) }],
            }}
          />
          <table className="list" aria-label={t('dash.exp.table')}>
            <thead>
              <tr><th>{choiceLabel(t, 'by', q.data.by)}</th><th className="num">{t('dash.kpi.net.short')}{unit}</th><th className="num">{t('dash.kpi.gross')}{unit}</th><th className="num">{t('dash.kpi.long')}{unit}</th><th className="num">{t('dash.kpi.short')}{unit}</th><th className="num">{t('dash.exp.deltaNet')}{unit}</th></tr>
            </thead>
            <tbody>
              {q.data.groups.map((g) => (
                <tr key={g.key} data-group={g.key}>
                  <td>{group(g.key)}</td><td className="num" data-field="net">{fmt.money(g.net)}</td><td className="num">{fmt.money(g.gross)}</td>
                  <td className="num">{fmt.money(g.long)}</td><td className="num">{fmt.money(g.short)}</td><td className="num">{fmt.money(g.delta_adjusted.net)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {q.data?.by !== 'currency' && <CurrencyExposure portfolio={portfolio} currency={currency} />}
    </>
  );
}

// The book's exposure to each currency its positions are quoted in (GET exposures by currency):
// net and gross market value per currency, converted into the reporting currency. Currency codes
// are the API's data, drawn as text.
function CurrencyExposure({ portfolio, currency }: { portfolio: string; currency: string | undefined }) {
  const { fmt, t } = useSession();
  const unit = currency ? ` (${currency})` : '';
  const q = useCompute<Schemas['ExposuresResult']>(portfolio, 'exposures', { by: 'currency' });
  return (
    <section data-testid="exposure-by-currency" aria-labelledby="h-exp-ccy">
      <h2 id="h-exp-ccy">{t('dash.exp.byCurrency')}{unit}</h2>
      {q.isLoading && <Loading what={t('dash.loading.exposures')} />}
      <ErrorBox error={q.error} />
      {q.data && (
        <div className="grid2">
          <Chart
            label={t('dash.exp.currencyChart', { unit })}
            height={Math.max(200, q.data.groups.length * 48 + 80)}
            option={{
              tooltip: { trigger: 'axis' },
              legend: {},
              grid: { left: 80, right: 20 },
              xAxis: { type: 'value', name: currency ?? '' },
              yAxis: { type: 'category', data: q.data.groups.map((g) => g.key) },
              series: [
                { name: t('dash.kpi.net.short'), type: 'bar', data: q.data.groups.map((g) => g.net) },
                { name: t('dash.kpi.gross'), type: 'bar', data: q.data.groups.map((g) => g.gross) },
              ],
            }}
          />
          <table className="list" aria-label={t('dash.exp.currencyTable')}>
            <thead>
              <tr><th>{t('common.currency')}</th><th className="num">{t('common.positions')}</th><th className="num">{t('dash.kpi.net.short')}{unit}</th><th className="num">{t('dash.kpi.gross')}{unit}</th><th className="num">{t('dash.kpi.long')}{unit}</th><th className="num">{t('dash.kpi.short')}{unit}</th></tr>
            </thead>
            <tbody>
              {q.data.groups.map((g) => (
                <tr key={g.key} data-currency={g.key}>
                  <td>{g.key}</td><td className="num">{fmt.num(g.positions, 0)}</td>
                  <td className="num" data-field="net">{fmt.money(g.net)}</td><td className="num" data-field="gross">{fmt.money(g.gross)}</td>
                  <td className="num">{fmt.money(g.long)}</td><td className="num">{fmt.money(g.short)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function GreeksTab({ portfolio, currency }: { portfolio: string; currency: string | undefined }) {
  const { fmt, t } = useSession();
  const unit = currency ? ` (${currency})` : '';
  const q = useCompute<Schemas['OptionGreeksResult']>(portfolio, 'greeks', {});
  if (q.isLoading) return <Loading what={t('dash.loading.greeks')} />;
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return null;
  const tot = q.data.totals;
  return (
    <>
      <div className="kpis small">
        <Kpi id="dd" label={t('field.dollar_delta')}>{fmt.money(tot.dollar_delta, currency)}</Kpi>
        <Kpi id="dg" label={t('field.dollar_gamma_1pct')}>{fmt.money(tot.dollar_gamma_1pct, currency)}</Kpi>
        <Kpi id="vega" label={t('dash.vegaVolPt')}>{fmt.money(tot.vega_per_point, currency)}</Kpi>
        <Kpi id="theta" label={t('dash.thetaDay')}>{fmt.money(tot.theta_per_day, currency)}</Kpi>
      </div>
      <table className="list" aria-label={t('dash.greeks.table')}>
        <thead>
          <tr><th>{t('common.symbol')}</th><th>{t('common.type')}</th><th className="num">{t('common.quantity')}</th><th className="num">{t('dash.delta')}</th><th className="num">{t('dash.gamma')}</th><th className="num">{t('field.dollar_delta')}{unit}</th><th className="num">{t('dash.vegaPt')}{unit}</th><th className="num">{t('dash.thetaDay')}{unit}</th></tr>
        </thead>
        <tbody>
          {q.data.positions.map((p) => (
            <tr key={p.symbol}>
              <td>{p.symbol}</td><td>{choiceLabel(t, 'type', p.type)}</td><td className="num">{fmt.num(p.quantity, 0)}</td><td className="num">{fmt.num(p.delta, 3)}</td>
              <td className="num">{fmt.num(p.gamma, 4)}</td><td className="num">{fmt.money(p.dollar_delta)}</td><td className="num">{fmt.money(p.vega_per_point)}</td><td className="num">{fmt.money(p.theta_per_day)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

const VAR_FIELDS = ['method', 'confidence', 'horizon', 'window', 'cov', 'paths'];
const HISTOGRAM_BINS = 40;

type VarMethodResult = Schemas['VarMethodResult'];
type PnlHistogram = Schemas['PnlHistogram'];

// One method's horizon P&L histogram as the API bins it (scenario counts, or for parametric the
// model density as expected counts on the same area) with its VaR and ES as vertical lines at -VaR
// and -ES.
function PnlHistogramChart({ result: r, histogram: h, currency }: { result: VarMethodResult; histogram: PnlHistogram; currency: string | undefined }) {
  const { fmt, t, rich } = useSession();
  const method = choiceLabel(t, 'method', r.method);
  // A figure the API could not compute comes as null: no line is drawn for it.
  const varAmt = r.var ?? NaN;
  const esAmt = r.es ?? NaN;
  const density = h.kind === 'density';
  const bins = useMemo(() => histogramPoints(h), [h]);
  const option = useMemo(() => {
    if (!bins) return null;
    return {
      title: {
        text: t(density ? 'dash.hist.titleDensity' : 'dash.hist.title', { method, days: r.horizon_days, count: h.total, total: fmt.num(h.total, 0) }),
        textStyle: { fontSize: 13 },
      },
      tooltip: { trigger: 'axis' },
      grid: { left: 70, right: 40 },
      xAxis: {
        type: 'value',
        name: currency ? t('common.inCurrency', { label: t('dash.pnl'), currency }) : t('dash.pnl'),
        min: Number.isFinite(esAmt) ? Math.min(bins.lo, -esAmt) : bins.lo,
        max: bins.hi,
        axisLabel: { formatter: (v: number) => fmt.money(v) },
      },
      yAxis: { type: 'value', name: density ? t('dash.hist.expectedCount') : t('dash.hist.count') },
      series: [
        {
          type: density ? 'line' : 'bar',
          name: method,
          data: bins.points,
          barWidth: '90%',
          smooth: density,
          areaStyle: density ? {} : undefined,
          showSymbol: false,
          markLine: {
            symbol: 'none',
            data: [
              { xAxis: -varAmt, name: 'VaR', label: { formatter: `VaR ${fmt.money(varAmt, currency)}` }, lineStyle: { color: '#c0392b' } },
              { xAxis: -esAmt, name: 'ES', label: { formatter: `ES ${fmt.money(esAmt, currency)}`, position: 'insideEndTop' }, lineStyle: { color: '#8e44ad', type: 'dashed' } },
            ].filter((m) => Number.isFinite(m.xAxis)),
          },
        },
      ],
    };
  }, [bins, h, r, fmt, density, varAmt, esAmt, currency, t, method]);
  if (!option) return <Empty>{t('dash.hist.empty', { method })}</Empty>;
  return (
    <figure className="histogram" data-testid="var-histogram" data-method={r.method} data-var={varAmt} data-es={esAmt} data-bins={h.counts.length}>
      <Chart label={t('dash.hist.label', { method, days: r.horizon_days, var: fmt.money(-varAmt, currency), es: fmt.money(-esAmt, currency) })} option={option} />
      <figcaption className="muted">
        {rich(currency ? 'dash.hist.captionIn' : 'dash.hist.caption', {
          method,
          confidence: fmt.pct(r.confidence, 1),
          currency: currency ?? '',
          var: <span data-field="var-line">{fmt.money(-varAmt)}</span>,
          es: <span data-field="es-line">{fmt.money(-esAmt)}</span>,
          what: t(density ? 'dash.hist.density' : 'dash.hist.counts'),
        })}
      </figcaption>
    </figure>
  );
}

function JobProgress({ job }: { job: JobState }) {
  const { fmt, t, rich } = useSession();
  return (
    <div className="state" role="status" aria-live="polite" data-testid="var-job" data-status={job.status}>
      {rich('dash.var.job', { job: <a href={`/jobs/${job.id}`} onClick={(e) => { e.preventDefault(); navigate(`/jobs/${job.id}`); }}>{job.id}</a> })}{' '}
      <span data-field="status">{choiceLabel(t, 'status', job.status)}</span>
      {job.status === 'running' && <> {fmt.pct(job.progress ?? 0, 0)}</>}
      {job.message && <> — {job.message}</>}
      {job.status === 'running' && <progress max={1} value={job.progress ?? 0} aria-label={t('dash.var.progress')} />}
    </div>
  );
}

function VarTab({ portfolio, query, currency }: { portfolio: string; query: URLSearchParams; currency: string | undefined }) {
  const { fmt, can, t } = useSession();
  // Each method's own P&L distribution comes with its result (histogram_bins), so the chart is the
  // one of the chosen method, window, horizon and paths.
  const body = inCurrency({ ...bodyFrom('RiskVarRequest', VAR_FIELDS, query), histogram_bins: HISTOGRAM_BINS }, viewCurrency(query));
  const [job, setJob] = useState<JobState | null>(null);
  // The answer is the result (200) or a job (202) followed here to its result.
  const q = useQuery({
    queryKey: ['compute', portfolio, 'risk/var', body],
    queryFn: ({ signal }) => computeVar(portfolio, body, setJob, signal, t),
    enabled: can('compute'),
  });
  // The same request as a background job (202): followed live on the job's page.
  const asJob = useMutation({
    mutationFn: () => api<Job>('POST', `/api/v1/portfolios/${seg(portfolio)}/risk/var`, { body: { ...body, async: true } }),
    onSuccess: (j) => navigate(`/jobs/${j.id}`),
  });
  const unit = currency ? ` (${currency})` : '';
  const d = q.data;
  return (
    <>
      <ParamControls schema="RiskVarRequest" fields={VAR_FIELDS} query={query} />
      <button type="button" onClick={() => asJob.mutate()} disabled={asJob.isPending}>{t('dash.var.asJob')}</button>
      <ErrorBox error={asJob.error} />
      {q.isFetching && job && <JobProgress job={job} />}
      {q.isLoading && !job && <Loading what={t('dash.loading.var')} />}
      <ErrorBox error={q.error} />
      {d && d.results.length === 0 && <Empty>{t('dash.var.none')}</Empty>}
      {d && d.results.length > 0 && (
        <>
          <table className="list" aria-label={t('dash.var.table')}>
            <thead>
              <tr><th>{t('common.method')}</th><th className="num">{t('field.confidence')}</th><th className="num">{t('field.horizon_days')}</th><th className="num">VaR{unit}</th><th className="num">{t('field.var_pct')}</th><th className="num">ES{unit}</th></tr>
            </thead>
            <tbody>
              {d.results.map((r) => (
                <tr key={r.method} data-method={r.method}>
                  <td>{choiceLabel(t, 'method', r.method)}</td><td className="num">{fmt.pct(r.confidence, 1)}</td><td className="num">{r.horizon_days}</td>
                  <td className="num" data-field="var">{fmt.money(r.var)}</td><td className="num">{fmt.pct(r.var_pct)}</td><td className="num" data-field="es">{fmt.money(r.es)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {d.warnings.map((w, i) => <div key={i} className="warning">{w}</div>)}
          <Hints messages={d.warnings} />
          {d.results.map((r) => r.pnl_histogram && <PnlHistogramChart key={r.method} result={r} histogram={r.pnl_histogram} currency={currency} />)}
        </>
      )}
      {d && (
        <>
          <h2>{t('dash.var.contributions', { method: choiceLabel(t, 'method', d.contributions_method) })}{unit}</h2>
          {d.contributions.length === 0 ? (
            <Empty>{t('dash.var.noContributions')}</Empty>
          ) : (
            <Chart
              label={t('dash.var.componentChart', { unit })}
              height={Math.max(200, d.contributions.length * 22)}
              option={{
                tooltip: {},
                grid: { left: 120 },
                xAxis: { type: 'value', name: currency ?? '' },
                yAxis: { type: 'category', data: d.contributions.map((c) => c.symbol) },
                series: [{ type: 'bar', data: d.contributions.map((c) => c.component_var) }],
              }}
            />
          )}
        </>
      )}
    </>
  );
}

const BT_FIELDS = ['method', 'confidence', 'window'];

function BacktestTab({ portfolio, query }: { portfolio: string; query: URLSearchParams }) {
  const { fmt, t } = useSession();
  const body = { ...bodyFrom('RiskBacktestRequest', BT_FIELDS, query), series: true };
  const q = useCompute<Schemas['RiskBacktestResult']>(portfolio, 'risk/backtest', body);
  const d = q.data;
  const series = d?.series ?? [];
  return (
    <>
      <ParamControls schema="RiskBacktestRequest" fields={BT_FIELDS} query={query} />
      {q.isLoading && <Loading what={t('dash.loading.backtest')} />}
      <ErrorBox error={q.error} />
      {d && (
        <>
          <div className="kpis small">
            <Kpi id="zone" label={t('dash.bt.zone')}><Zone zone={d.zone} /></Kpi>
            <Kpi id="plus-factor" label={t('dash.bt.plusFactor')}>{fmt.num(d.plus_factor, 2)}</Kpi>
            <Kpi id="exceptions" label={t('dash.bt.exceptions')}>{d.exceptions} <span className="muted">{t('dash.bt.expected', { expected: fmt.num(d.expected_exceptions, 1) })}</span></Kpi>
            <Kpi id="kupiec" label={t('field.kupiec_p_value')}>{fmt.num(d.kupiec.p_value, 3)}</Kpi>
            <Kpi id="christoffersen" label={t('field.christoffersen_p_value')}>{fmt.num(d.christoffersen.p_value, 3)}</Kpi>
            <Kpi id="obs" label={t('dash.bt.days')}>{fmt.num(d.observations, 0)} <span className="muted">{fmt.date(d.first_date)} – {fmt.date(d.last_date)}</span></Kpi>
          </div>
          <Chart
            label={t('dash.bt.chart')}
            height={360}
            option={{
              tooltip: { trigger: 'axis' },
              legend: {},
              xAxis: { type: 'category', data: series.map((s) => fmt.date(s.date)) },
              yAxis: { type: 'value' },
              series: [
                { name: t('dash.pnl'), type: 'line', showSymbol: false, data: series.map((s) => s.pnl) },
                { name: '−VaR', type: 'line', showSymbol: false, data: series.map((s) => (s.var === null ? null : -s.var)) },
                { name: t('dash.bt.exception'), type: 'scatter', symbolSize: 8, data: series.map((s) => (s.exception ? s.pnl : null)) },
              ],
            }}
          />
        </>
      )}
    </>
  );
}

function FactorsTab({ portfolio, currency }: { portfolio: string; currency: string | undefined }) {
  const { fmt, t } = useSession();
  const q = useCompute<FactorsResult>(portfolio, 'risk/factors', {});
  if (q.isLoading) return <Loading what={t('dash.loading.factors')} />;
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return null;
  const r = q.data.portfolio.regression;
  return (
    <>
      <div className="kpis small">
        <Kpi id="r2" label={t('field.r2')}>{fmt.num(q.data.portfolio.r2, 3)}</Kpi>
        <Kpi id="adjr2" label={t('field.adj_r2')}>{fmt.num(r.adj_r2, 3)}</Kpi>
        <Kpi id="alpha" label={t('field.alpha_annual')}>{fmt.pct(r.alpha)} <span className="muted">t {fmt.num(r.alpha_t)}</span></Kpi>
      </div>
      <Chart
        label={t('dash.tab.factors')}
        option={{ tooltip: {}, xAxis: { type: 'category', data: q.data.factors.map((f) => labelOf(t, 'factor', f)) }, yAxis: { type: 'value' }, series: [{ type: 'bar', data: q.data.factors.map((f) => r.betas[f]) }] }}
      />
      <table className="list" aria-label={t('dash.tab.factors')}>
        <thead><tr><th>{t('field.factor')}</th><th className="num">{t('dash.beta')}</th><th className="num">{t('dash.f.tstat')}</th><th className="num">{t('dash.f.stderr')}</th><th className="num">{t('field.exposure_amount')}{currency ? ` (${currency})` : ''}</th></tr></thead>
        <tbody>
          {q.data.factors.map((f) => (
            <tr key={f} data-factor={f}>
              <td>{labelOf(t, 'factor', f)}</td><td className="num" data-field="beta">{fmt.num(r.betas[f], 3)}</td><td className="num">{fmt.num(r.t_stats[f])}</td>
              <td className="num">{fmt.num(r.std_errors[f], 3)}</td><td className="num">{fmt.money(q.data!.portfolio.exposures[f])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{q.data.factor_source}, {fmt.date(q.data.first_date)} – {fmt.date(q.data.last_date)}</p>
    </>
  );
}

// A period's P&L split by the ex-ante factor betas (a read: a viewer may ask). The period comes
// from the URL; nothing is asked before both dates are chosen.
const ATTR_FIELDS = ['from', 'to', 'window'];
const PART_LABEL = { factors: 'dash.attr.factors', risk_free: 'dash.attr.riskFree', alpha: 'dash.attr.alpha', residual: 'dash.attr.residual' } as const satisfies Record<Part, string>;

function AttributionTab({ portfolio, query, currency }: { portfolio: string; query: URLSearchParams; currency: string | undefined }) {
  const { fmt, t } = useSession();
  const unit = currency ? ` (${currency})` : '';
  const body = inCurrency(bodyFrom('FactorAttributionRequest', ATTR_FIELDS, query), viewCurrency(query));
  const ready = typeof body.from === 'string' && typeof body.to === 'string';
  const q = useQuery({
    queryKey: ['attribution', portfolio, body],
    queryFn: () => api<Attribution>('POST', `/api/v1/portfolios/${seg(portfolio)}/risk/attribution`, { body }),
    enabled: ready,
  });
  const d = q.data;
  const rows = d ? attributionRows(d) : [];
  const bars = d ? stackedParts(d) : null;
  return (
    <>
      <ParamControls schema="FactorAttributionRequest" fields={ATTR_FIELDS} query={query} />
      {!ready && <Empty>{t('dash.attr.pickPeriod')}</Empty>}
      {ready && q.isLoading && <Loading what={t('dash.loading.attribution')} />}
      <ErrorBox error={q.error} />
      {d && bars && (
        <>
          <div className="kpis small">
            <Kpi id="attr-pnl" label={t('dash.attr.pnl')}>{fmt.money(d.book.pnl_amount, currency)}</Kpi>
            {PARTS.map((p) => (
              <Kpi key={p} id={`attr-${p}`} label={t(PART_LABEL[p])}>{fmt.money(rows[rows.length - 1]!.parts[p], currency)}</Kpi>
            ))}
          </div>
          <p className="muted small">
            {t('dash.attr.period', { from: fmt.date(d.start_date), to: fmt.date(d.end_date), days: d.days, window: d.window, source: d.factor_source })}
          </p>
          <Chart
            label={t('dash.attr.chart')}
            option={{
              tooltip: {},
              legend: {},
              grid: { left: 80, right: 20 },
              xAxis: { type: 'category', data: bars.symbols },
              yAxis: { type: 'value', name: currency ?? '' },
              series: PARTS.map((p) => ({ name: t(PART_LABEL[p]), type: 'bar', stack: 'pnl', data: bars.series[p] })),
            }}
          />
          <table className="list" aria-label={t('dash.tab.attribution')}>
            <thead>
              <tr>
                <th>{t('field.symbol')}</th><th className="num">{t('dash.attr.value')}{unit}</th><th className="num">{t('dash.attr.pnl')}{unit}</th>
                {d.factors.map((f) => <th key={f} className="num" data-factor={f}>{labelOf(t, 'factor', f)}</th>)}
                {PARTS.filter((p) => p !== 'factors').map((p) => <th key={p} className="num">{t(PART_LABEL[p])}</th>)}
              </tr>
            </thead>
            <tbody>
              {d.positions.map((p) => (
                <tr key={p.symbol} data-symbol={p.symbol}>
                  <td>{p.symbol}</td><td className="num">{fmt.money(p.market_value)}</td><td className="num" data-field="pnl">{fmt.money(p.pnl_amount)}</td>
                  {d.factors.map((f) => <td key={f} className="num">{fmt.money(p.factors[f])}</td>)}
                  <td className="num">{fmt.money(p.risk_free_amount)}</td><td className="num">{fmt.money(p.alpha_amount)}</td>
                  <td className="num" data-field="residual">{fmt.money(p.residual_amount)}</td>
                </tr>
              ))}
              <tr data-symbol="" className="total">
                <th scope="row">{t('dash.attr.book')}</th><td className="num">{fmt.money(d.book.market_value)}</td><td className="num" data-field="pnl">{fmt.money(d.book.pnl_amount)}</td>
                {d.factors.map((f) => <td key={f} className="num">{fmt.money(d.book.factors[f])}</td>)}
                <td className="num">{fmt.money(d.book.risk_free_amount)}</td><td className="num">{fmt.money(d.book.alpha_amount)}</td>
                <td className="num" data-field="residual">{fmt.money(d.book.residual_amount)}</td>
              </tr>
            </tbody>
          </table>
          <table className="list" aria-label={t('dash.attr.factorReturn')}>
            <thead><tr><th>{t('field.factor')}</th><th className="num">{t('dash.attr.factorReturn')}</th><th className="num">{t('dash.attr.factorAmount')}{unit}</th></tr></thead>
            <tbody>
              {d.factors.map((f) => (
                <tr key={f} data-factor={f}><td>{labelOf(t, 'factor', f)}</td><td className="num">{fmt.pct(d.factor_returns[f])}</td><td className="num">{fmt.money(d.book.factors[f])}</td></tr>
              ))}
              <tr data-factor=""><td>{t('dash.attr.riskFree')}</td><td className="num">{fmt.pct(d.risk_free_return)}</td><td className="num">{fmt.money(d.book.risk_free_amount)}</td></tr>
            </tbody>
          </table>
          {d.excluded.map((x) => <p key={x.symbol} className="muted small">{t('dash.attr.excluded', { symbol: x.symbol, reason: x.reason })}</p>)}
        </>
      )}
    </>
  );
}

function StressTab({ portfolio, currency }: { portfolio: string; currency: string | undefined }) {
  const { fmt, t } = useSession();
  const unit = currency ? ` (${currency})` : '';
  const q = useCompute<StressResult>(portfolio, 'risk/stress', {});
  if (q.isLoading) return <Loading what={t('dash.loading.stress')} />;
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return null;
  const names = [...new Set(q.data.scenarios.map((s) => s.name))];
  const pick = (n: string, m: string) => q.data!.scenarios.find((s) => s.name === n && s.method === m);
  const methods = [...new Set(q.data.scenarios.map((s) => s.method))];
  return (
    <>
      <Chart
        label={t('dash.stress.chart', { unit })}
        height={Math.max(280, names.length * 26)}
        option={{
          tooltip: { trigger: 'axis' },
          legend: {},
          grid: { left: 200 },
          xAxis: { type: 'value', name: currency ?? '' },
          yAxis: { type: 'category', data: names.map((n) => labelOf(t, 'scenario', n, q.data!.scenarios.find((s) => s.name === n)?.label)) },
          series: methods.map((m) => ({ name: choiceLabel(t, 'stress', m), type: 'bar', data: names.map((n) => pick(n, m)?.pnl ?? null) })),
        }}
      />
      <table className="list" aria-label={t('dash.stress.table')}>
        <thead>
          <tr><th>{t('common.scenario')}</th><th>{t('field.kind')}</th>{methods.map((m) => <th key={m} className="num">{t('dash.stress.pnl', { method: choiceLabel(t, 'stress', m) })}{unit}</th>)}{methods.map((m) => <th key={m + '%'} className="num">{choiceLabel(t, 'stress', m)} %</th>)}</tr>
        </thead>
        <tbody>
          {names.map((n) => (
            <tr key={n} data-scenario={n}>
              <td>{labelOf(t, 'scenario', n, pick(n, methods[0]!)?.label)}</td><td>{labelOf(t, 'scenarioKind', pick(n, methods[0]!)?.kind)}</td>
              {methods.map((m) => <td key={m} className="num">{fmt.money(pick(n, m)?.pnl)}</td>)}
              {methods.map((m) => <td key={m + '%'} className="num">{fmt.pct(pick(n, m)?.pnl_pct, 1)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      {q.data.warnings.length > 0 && <details><summary>{t('common.warnings', { count: q.data.warnings.length })}</summary>{q.data.warnings.map((w, i) => <div key={i}>{w}</div>)}</details>}
    </>
  );
}

function CorrelationTab({ portfolio, query }: { portfolio: string; query: URLSearchParams }) {
  const { fmt, t } = useSession();
  const fields = ['window', 'cov'];
  const q = useCompute<Schemas['RiskCorrelationResult']>(portfolio, 'risk/correlation', bodyFrom('RiskCorrelationRequest', fields, query));
  const d = q.data;
  return (
    <>
      <ParamControls schema="RiskCorrelationRequest" fields={fields} query={query} />
      {q.isLoading && <Loading what={t('dash.loading.correlation')} />}
      <ErrorBox error={q.error} />
      {d && (
        <>
          <div className="kpis small">
            <Kpi id="avg" label={t('dash.corr.avg')}>{fmt.num(d.average_pairwise_correlation, 3)}</Kpi>
            <Kpi id="dr" label={t('field.diversification_ratio')}>{fmt.num(d.diversification_ratio, 3)}</Kpi>
            <Kpi id="enb" label={t('field.effective_bets')}>{fmt.num(d.effective_number_of_bets, 2)}</Kpi>
            <Kpi id="vol" label={t('dash.corr.vol')}>{fmt.pct(d.portfolio_volatility)}</Kpi>
          </div>
          <Chart
            label={t('dash.corr.chart')}
            height={Math.max(320, d.symbols.length * 28 + 80)}
            option={{
              tooltip: {},
              grid: { left: 80, bottom: 80 },
              xAxis: { type: 'category', data: d.symbols, axisLabel: { rotate: 45 } },
              yAxis: { type: 'category', data: d.symbols },
              visualMap: { min: -1, max: 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#2166ac', '#f7f7f7', '#b2182b'] } },
              series: [
                {
                  type: 'heatmap',
                  data: d.matrix.flatMap((row, i) => row.map((v, j) => [j, i, v === null ? null : Math.round(v * 1000) / 1000])),
                  label: { show: d.symbols.length <= 12 },
                },
              ],
            }}
          />
        </>
      )}
    </>
  );
}

// The history tab: the portfolio's performance over its snapshots, then the snapshots themselves.
function HistoryTab({ portfolio, query, currency }: { portfolio: string; query: URLSearchParams; currency: string | undefined }) {
  return (
    <>
      <PerformancePanel portfolio={portfolio} query={query} />
      <SnapshotHistory portfolio={portfolio} currency={currency} />
    </>
  );
}

// The performance over the batch's snapshots (GET …/performance?series=true, docs/batch.md "Returns
// over the snapshots"): the portfolio's own figures and growth of 1, and with the URL's ?benchmark=
// the comparison with it, asked separately, so that a benchmark the API refuses (an unknown symbol)
// shows its error without hiding the portfolio's figures. Fewer than two snapshots is no error: the
// batch has not recorded two days yet.
function PerformancePanel({ portfolio, query }: { portfolio: string; query: URLSearchParams }) {
  const { fmt, t } = useSession();
  const benchmark = (query.get('benchmark') ?? '').trim();
  const own = useQuery({
    queryKey: ['performance', portfolio, null],
    queryFn: () => api<PortfolioPerformance>('GET', performancePath(portfolio)),
  });
  const compared = useQuery({
    queryKey: ['performance', portfolio, benchmark],
    queryFn: () => api<PortfolioPerformance>('GET', performancePath(portfolio, benchmark)),
    enabled: !!benchmark && !!own.data,
  });
  // The figures measured with the benchmark when it answered (the same snapshots), else the own.
  const d = (benchmark ? compared.data : undefined) ?? own.data;
  const lines = useMemo(() => (d ? wealthLines(d) : null), [d]);
  const option = useMemo(() => {
    if (!lines || lines.dates.length === 0) return null;
    const series: object[] = [{ name: t('dash.perf.wealth'), type: 'line', showSymbol: lines.dates.length < 40, data: lines.wealth }];
    if (lines.benchmark && d?.benchmark) {
      series.push({ name: d.benchmark.benchmark, type: 'line', showSymbol: lines.dates.length < 40, lineStyle: { type: 'dashed' }, data: lines.benchmark });
    }
    return {
      title: { text: t('dash.perf.chart'), textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: {},
      xAxis: { type: 'category', data: lines.dates.map((x) => fmt.date(x)) },
      yAxis: { type: 'value', scale: true },
      series,
    };
  }, [lines, d, fmt, t]);
  const money = (x: number | null | undefined) => fmt.money(x, d?.currency);
  return (
    <section data-testid="performance" aria-labelledby="h-perf">
      <h2 id="h-perf">{t('dash.perf.title')}</h2>
      {own.isLoading && <Loading what={t('dash.perf.loading')} />}
      {tooFewSnapshots(own.error) ? (
        <div data-testid="perf-too-few"><Empty>{t('dash.perf.tooFew')}</Empty></div>
      ) : (
        <ErrorBox error={own.error} />
      )}
      {d && (
        <>
          <p className="muted small" data-testid="perf-range">
            {t('dash.perf.range', { from: fmt.date(d.start), to: fmt.date(d.end), points: fmt.num(d.points, 0), days: fmt.num(d.days, 0), currency: d.currency })}
          </p>
          <div className="kpis small">
            <Kpi id="perf-twr" label={t('dash.perf.twr')}>{fmt.pct(d.twr)}</Kpi>
            <Kpi id="perf-cagr" label={t('dash.perf.cagr')}>{fmt.pct(d.cagr)}</Kpi>
            <Kpi id="perf-volatility" label={t('dash.perf.volatility')}>{fmt.pct(d.volatility)}</Kpi>
            <Kpi id="perf-sharpe" label={t('dash.perf.sharpe')}>{fmt.num(d.sharpe)}</Kpi>
            <Kpi id="perf-sortino" label={t('dash.perf.sortino')}>{fmt.num(d.sortino)}</Kpi>
            <Kpi id="perf-max-drawdown" label={t('dash.perf.maxDrawdown')}>
              {fmt.pct(d.max_drawdown.depth)}
              <div className="muted small" data-field="dates">{drawdownDates(d.max_drawdown, fmt.date)}</div>
            </Kpi>
            <Kpi id="perf-calmar" label={t('dash.perf.calmar')}>{fmt.num(d.calmar)}</Kpi>
            <Kpi id="perf-pnl" label={t('dash.perf.pnl')}>{money(d.pnl_amount)}</Kpi>
            <Kpi id="perf-flows" label={t('dash.perf.flows')}>{money(d.flows_amount)}</Kpi>
          </div>
          <BenchmarkInput query={query} />
          {benchmark && compared.isLoading && <Loading what={t('dash.perf.bmLoading', { benchmark })} />}
          {benchmark && compared.error && (
            <div data-testid="perf-benchmark-failed">
              <p className="warning">{t('dash.perf.bmFailed', { benchmark })}</p>
              <ErrorBox error={compared.error} />
            </div>
          )}
          {benchmark && d.benchmark && (
            <section data-testid="perf-benchmark" aria-labelledby="h-perf-bm">
              <h3 id="h-perf-bm">{t('dash.perf.bmTitle', { benchmark: d.benchmark.benchmark })}</h3>
              <div className="kpis small">
                <Kpi id="perf-bm-return" label={t('dash.perf.bmReturn')}>{fmt.pct(d.benchmark.benchmark_return)}</Kpi>
                <Kpi id="perf-bm-excess" label={t('dash.perf.excess')}>{fmt.pct(d.benchmark.excess_return)}</Kpi>
                <Kpi id="perf-bm-tracking" label={t('dash.perf.trackingError')}>{fmt.pct(d.benchmark.tracking_error)}</Kpi>
                <Kpi id="perf-bm-ir" label={t('dash.perf.ir')}>{fmt.num(d.benchmark.information_ratio)}</Kpi>
                <Kpi id="perf-bm-beta" label={t('dash.perf.beta')}>{fmt.num(d.benchmark.beta)}</Kpi>
                <Kpi id="perf-bm-alpha" label={t('dash.perf.alpha')}>{fmt.pct(d.benchmark.alpha)}</Kpi>
              </div>
            </section>
          )}
          {option && <div data-testid="perf-chart"><Chart label={t('dash.perf.chart')} height={280} option={option} /></div>}
          <ReturnsCalendar performance={d} benchmark={benchmark && d.benchmark ? d.benchmark.benchmark : null} />
          {d.warnings.length > 0 && (
            <ul className="muted small" aria-label={t('dash.perf.warnings')} data-testid="perf-warnings">
              {d.warnings.map((w, i) => <li key={i}>{w}</li>)}
            </ul>
          )}
          {d.warnings.length > 0 && <Hints messages={d.warnings} />}
        </>
      )}
    </section>
  );
}

// The benchmark of the performance, typed and applied into the URL (?benchmark=), removed the same way.
function BenchmarkInput({ query }: { query: URLSearchParams }) {
  const { t } = useSession();
  const applied = query.get('benchmark') ?? '';
  const [text, setText] = useState(applied);
  // The field follows the URL (back, forward, a link) until it is typed in again.
  const [seen, setSeen] = useState(applied);
  if (seen !== applied) {
    setSeen(applied);
    setText(applied);
  }
  return (
    <form
      className="params"
      aria-label={t('dash.perf.form')}
      onSubmit={(e) => {
        e.preventDefault();
        setQuery({ benchmark: text.trim() || null });
      }}
    >
      <label htmlFor="perf-benchmark">
        {t('dash.perf.benchmark')}
        <input id="perf-benchmark" value={text} placeholder={t('dash.perf.benchmarkPlaceholder')} aria-describedby="perf-benchmark-help" onChange={(e) => setText(e.target.value)} style={{ width: 180 }} />
      </label>
      <div style={{ display: 'flex', gap: 8, alignItems: 'end' }}>
        <button type="submit" className="primary">{t('dash.perf.apply')}</button>
        {applied && <button type="button" onClick={() => setQuery({ benchmark: null })}>{t('dash.perf.clear')}</button>}
      </div>
      <p className="muted small" id="perf-benchmark-help" style={{ flexBasis: '100%', margin: 0 }}>{t('dash.perf.benchmarkHelp')}</p>
    </form>
  );
}

// A snapshot's report: a link to the one the batch kept that day (ReportView with ?snapshot=), or
// "not kept" once the server's retention has dropped it (the row's figures stay).
function KeptReport({ portfolio, point }: { portfolio: string; point: HistoryPoint }) {
  const { fmt, t } = useSession();
  if (!point.report_kept) return <span className="muted" title={t('dash.history.notKeptTitle')}>{t('dash.history.notKept')}</span>;
  const to = reportPage(portfolio, point.as_of);
  return (
    <a
      href={to}
      aria-label={t('dash.history.openLabel', { date: fmt.date(point.as_of) })}
      onClick={(e) => {
        e.preventDefault();
        navigate(to);
      }}
    >
      {t('dash.history.open')}
    </a>
  );
}

function SnapshotHistory({ portfolio, currency }: { portfolio: string; currency: string | undefined }) {
  const { fmt, t } = useSession();
  const unit = currency ? ` (${currency})` : '';
  const q = useQuery({ queryKey: ['history', portfolio], queryFn: () => api<History>('GET', `/api/v1/portfolios/${seg(portfolio)}/history`) });
  const heading = <h2>{t('dash.history.table')}</h2>;
  if (q.isLoading) return <>{heading}<Loading what={t('dash.loading.history')} /></>;
  if (q.error) return <>{heading}<ErrorBox error={q.error} /></>;
  const pts = q.data?.points ?? [];
  if (!pts.length) return <>{heading}<Empty>{t('dash.hist.none')}</Empty></>;
  return (
    <>
      {heading}
      <Chart
        label={t('dash.history.chart', { unit })}
        option={{
          tooltip: { trigger: 'axis' },
          legend: {},
          xAxis: { type: 'category', data: pts.map((p) => fmt.date(p.as_of)) },
          yAxis: { type: 'value', name: currency ?? '' },
          series: [
            { name: t('dash.history.net'), type: 'line', data: pts.map((p) => p.net_value_amount) },
            { name: 'VaR', type: 'line', data: pts.map((p) => p.var_amount) },
          ],
        }}
      />
      {/* On a phone the table scrolls in its own box (keyboard too), the date pinned. */}
      <TableScroll label={t('dash.history.table')}>
        <table className="list pinned" aria-label={t('dash.history.table')}>
          <thead><tr><th>{t('common.asOf')}</th><th className="num">{t('dash.kpi.net')}{unit}</th><th className="num">{t('dash.pnl1d')}{unit}</th><th className="num">VaR{unit}</th><th className="num">ES{unit}</th><th>{t('dash.zone')}</th><th>{t('dash.history.report')}</th></tr></thead>
          <tbody>
            {pts.map((p) => (
              <tr key={p.as_of + p.created_at} data-as-of={p.as_of}>
                <td>{fmt.date(p.as_of)}</td><td className="num">{fmt.money(p.net_value_amount)}</td><td className="num">{fmt.money(p.pnl_1d_amount)}</td>
                <td className="num">{fmt.money(p.var_amount)}</td><td className="num">{fmt.money(p.es_amount)}</td><td><Zone zone={p.backtest_zone} /></td>
                <td data-field="report"><KeptReport portfolio={portfolio} point={p} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
