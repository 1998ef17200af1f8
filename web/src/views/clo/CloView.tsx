// CLO deals stored in the tenant (docs/clo.md): upload a deal JSON and its collateral CSV, edit the
// key assumptions (CDR, CPR, recovery, lag; every edit a new version, older versions readable), and
// on a version: the period-by-period waterfall with the tranche balances, the OC/IC tests with their
// cushions over time, the collateral quality tests against their limits, the scenario grid as a
// heatmap of tranche losses or IRRs, the Monte Carlo loss distribution per tranche, the pool and the
// versions; the trades of a ticket tested before they are made (TradesTab.tsx). Every figure is the
// API's JSON; the page formats and draws.
// URLs: /clo, /clo/deals/ID?tab=…&version=N (&metric= for the grid, &tranche= for Monte Carlo).
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { api, ApiError, download, seg, type Schemas } from '../../api/client';
import type { paths } from '../../api/generated/schema';
import { navigate, setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { safeFileName, tip } from '../../app/text';
import { useTitle } from '../../app/title';
import { choiceLabel } from '../../app/i18n';
import { Chart } from '../../components/Chart';
import { DataTable } from '../../components/DataTable';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { followJob } from '../jobs/JobsView';
import { Kpi } from '../../components/Kpi';
import { pickTab, Tabs } from '../../components/Tabs';
import { Problems, readFile } from '../alm/parts';
import { DeleteButton } from '../../components/DeleteButton';
import { cloTestTitle, cloTestValue } from './cloFormat';
import { ComplianceTab } from './ComplianceTab';
import { TradesTab } from './TradesTab';
import { labelOf } from '../../app/labels';

type DealPage = paths['/api/v1/clo/deals']['get']['responses'][200]['content']['application/json'];
type DealInfo = Schemas['CloDealInfo'];
type Shown = Schemas['CloDealShown'];
type Versions = Schemas['CloDealVersions'];
type Run = Schemas['CloRunResult'];
type Period = Schemas['CloPeriod'];
type TestsResult = Schemas['CloTestsResult'];
type Grid = Schemas['CloGridResult'];
type MonteCarlo = Schemas['CloMonteCarloResult'];
type Collateral = Schemas['CloDealCollateral'];
type Loan = Schemas['CloCollateralLoan'];
type Job = Schemas['Job'];

export function CloView({ path }: { path: string[] }) {
  const [, b, c] = path;
  if (b === 'deals' && c) return <DealView key={c} id={c} />;
  return <DealsView />;
}

function DealsView() {
  const { can, fmt, t } = useSession();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['clo-deals'], queryFn: () => api<DealPage>('GET', '/api/v1/clo/deals?limit=500') });
  const del = useMutation({
    mutationFn: (d: DealInfo) => api('DELETE', `/api/v1/clo/deals/${d.id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['clo-deals'] }),
  });
  return (
    <section>
      <h1>{t('clo.title')}</h1>
      {list.isLoading && <Loading what={t('clo.loading.deals')} />}
      <ErrorBox error={list.error ?? del.error} />
      {list.data && list.data.items.length === 0 && <Empty>{t(can('import_positions') ? 'clo.noneUpload' : 'clo.none')}</Empty>}
      {list.data && list.data.items.length > 0 && (
        <table className="list" aria-label={t('clo.title')}>
          <thead>
            <tr>
              <th>{t('common.name')}</th><th>{t('clo.deal')}</th><th>{t('common.currency')}</th><th className="num">{t('common.version')}</th><th className="num">{t('clo.loans')}</th><th className="num">{t('clo.collateralPar')}</th>
              <th className="num">CDR</th><th className="num">CPR</th><th className="num">{t('clo.recovery')}</th><th className="num">{t('clo.lagMonths')}</th><th>{t('clo.updated')}</th><th>{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((d) => (
              <tr key={d.id} data-deal={d.name}>
                <td><a href={`/clo/deals/${d.id}`} onClick={(e) => { e.preventDefault(); navigate(`/clo/deals/${d.id}`); }}>{d.name}</a></td>
                <td>{d.deal}</td>
                <td>{d.currency}</td>
                <td className="num">{d.version}</td>
                <td className="num">{fmt.num(d.latest.loans, 0)}</td>
                <td className="num">{fmt.money(d.latest.collateral_par)}</td>
                <td className="num">{fmt.pct(d.latest.assumptions.cdr)}</td>
                <td className="num">{fmt.pct(d.latest.assumptions.cpr)}</td>
                <td className="num">{fmt.pct(d.latest.assumptions.recovery)}</td>
                <td className="num">{d.latest.assumptions.recovery_lag_months}</td>
                <td>{fmt.date(d.updated_at)} ({d.updated_by})</td>
                <td className="actions">
                  {can('manage_portfolios') && (
                    <DeleteButton
                      label={t('clo.deleteDeal', { name: d.name })}
                      confirm={t('clo.confirmDelete', { name: d.name, count: d.version })}
                      onDelete={() => del.mutate(d)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('import_positions') ? <Upload /> : <p className="muted">{t('clo.roleReads')}</p>}
    </section>
  );
}

function Upload() {
  const { t } = useSession();
  const qc = useQueryClient();
  const dealFile = useRef<HTMLInputElement>(null);
  const poolFile = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const up = useMutation({
    mutationFn: async () => {
      const text = await readFile(dealFile.current);
      if (text === null) throw new ApiError(0, 'invalid_input', t('clo.chooseFile'), [], '');
      let deal: unknown;
      try {
        deal = JSON.parse(text);
      } catch (e) {
        throw new ApiError(0, 'invalid_input', t('clo.notJson', { error: String(e) }), [], '');
      }
      const pool = await readFile(poolFile.current);
      const body: Record<string, unknown> = { deal, comment };
      if (name.trim()) body.name = name.trim();
      if (pool !== null) body.collateral_csv = pool;
      return api<Schemas['CloDealCreated']>('POST', '/api/v1/clo/deals', { body });
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['clo-deals'] });
      navigate(`/clo/deals/${r.deal.id}`);
    },
  });
  const err = up.error;
  return (
    <form className="stack" aria-label={t('clo.uploadForm')} onSubmit={(e: FormEvent) => { e.preventDefault(); up.mutate(); }}>
      <h2>{t('clo.upload')}</h2>
      <p className="muted small">
        {t('clo.uploadHelp')}
      </p>
      <div className="params">
        <label>{t('clo.nameDefault')}<input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} aria-label={t('clo.dealName')} /></label>
        <label>{t('clo.dealJson')}<input type="file" accept=".json,application/json" ref={dealFile} aria-label={t('clo.dealFile')} /></label>
        <label>{t('clo.collateralCsv')}<input type="file" accept=".csv,text/csv" ref={poolFile} aria-label={t('clo.collateralFile')} /></label>
        <label>{t('common.comment')}<input value={comment} onChange={(e) => setComment(e.target.value)} aria-label={t('common.comment')} /></label>
      </div>
      <button type="submit" className="primary" disabled={up.isPending}>{t('clo.uploadButton')}</button>
      {err && <ErrorBox error={err instanceof ApiError ? new ApiError(err.status, err.code, err.message, [], err.requestId) : err} />}
      <Problems details={err instanceof ApiError ? err.details : []} label={t('alm.uploadProblems')} />
    </form>
  );
}

const TABS = ['waterfall', 'coverage', 'quality', 'compliance', 'trades', 'grid', 'montecarlo', 'collateral', 'versions'] as const;
type Tab = (typeof TABS)[number];

const COMPUTE_TABS: Tab[] = ['waterfall', 'coverage', 'quality', 'trades', 'grid', 'montecarlo'];

function DealView({ id }: { id: string }) {
  const { query } = useLocation();
  const { can, fmt, t } = useSession();
  const tab = pickTab(TABS, query.get('tab'));
  const labels = Object.fromEntries(TABS.map((k) => [k, t(`clo.tab.${k}`)])) as Record<Tab, string>;
  const version = query.get('version');
  const vq = version ? `?version=${encodeURIComponent(version)}` : '';
  const shown = useQuery({ queryKey: ['clo-deal', id, version], queryFn: () => api<Shown>('GET', `/api/v1/clo/deals/${seg(id)}${vq}`) });
  const versions = useQuery({ queryKey: ['clo-versions', id], queryFn: () => api<Versions>('GET', `/api/v1/clo/deals/${seg(id)}/versions`) });
  useTitle(shown.data ? t('clo.docTitle', { name: shown.data.deal.name }) : null);
  if (shown.isLoading) return <Loading what={t('clo.loading.deal')} />;
  if (shown.error) return <ErrorBox error={shown.error} />;
  const s = shown.data!;
  const v = s.version;
  const body = { version: v.version };
  return (
    <section>
      <div className="titlebar">
        <h1>{s.deal.name}</h1>
        <span className="muted">{s.deal.deal} · {s.deal.currency} · {t('clo.tranchesList', { names: s.deal.tranches.join(', ') })}</span>
        <span className="spacer" />
        <button type="button" onClick={() => navigate('/clo')}>{t('clo.all')}</button>
      </div>
      <form className="inline" onSubmit={(e) => e.preventDefault()} aria-label={t('common.version')}>
        <label htmlFor="version">{t('common.version')}</label>
        <select id="version" value={String(v.version)} onChange={(e) => setQuery({ version: e.target.value === String(s.deal.version) ? null : e.target.value })}>
          {(versions.data?.items ?? [v]).map((x) => (
            <option key={x.version} value={String(x.version)}>
              {x.version} · {choiceLabel(t, 'change', x.change)} · {fmt.date(x.created_at)}{x.version === s.deal.version ? t('clo.latest') : ''}
            </option>
          ))}
        </select>
        <span className="muted small" data-testid="assumptions">
          {t('clo.assumptionsLine', { cdr: fmt.pct(v.assumptions.cdr), cpr: fmt.pct(v.assumptions.cpr), recovery: fmt.pct(v.assumptions.recovery), lag: v.assumptions.recovery_lag_months, loans: v.loans })}{v.comment ? ` · ${t('common.quoted', { text: v.comment })}` : ''}
        </span>
      </form>
      {can('import_positions') && <Assumptions id={id} current={v} />}
      <Tabs tabs={TABS} labels={labels} current={tab} label={t('clo.analyses')}>
        {COMPUTE_TABS.includes(tab) && !can('compute') ? (
          <div className="error" role="alert">{t('state.notAllowed')}{t('clo.notAllowed')}</div>
        ) : (
          <>
            {(tab === 'waterfall' || tab === 'coverage') && <RunTabs id={id} body={body} tab={tab} />}
            {tab === 'quality' && <QualityTab id={id} body={body} />}
            {tab === 'compliance' && <ComplianceTab id={id} />}
            {tab === 'trades' && <TradesTab id={id} latest={s.deal.version} currency={s.deal.currency} />}
            {tab === 'grid' && <GridTab id={id} body={body} query={query} />}
            {tab === 'montecarlo' && <MonteCarloTab id={id} body={body} query={query} />}
            {tab === 'collateral' && <CollateralTab id={id} version={v.version} name={s.deal.name} />}
            {tab === 'versions' && <VersionsTab versions={versions.data} current={v.version} />}
          </>
        )}
      </Tabs>
    </section>
  );
}

// A new version with other assumptions (empty fields keep the current version's).
function Assumptions({ id, current }: { id: string; current: Schemas['CloDealVersionInfo'] }) {
  const { t } = useSession();
  const qc = useQueryClient();
  const a = current.assumptions;
  const [cdr, setCdr] = useState(String(a.cdr));
  const [cpr, setCpr] = useState(String(a.cpr));
  const [recovery, setRecovery] = useState(String(a.recovery));
  const [lag, setLag] = useState(String(a.recovery_lag_months));
  const [comment, setComment] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api<Schemas['CloDealVersionInfo']>('POST', `/api/v1/clo/deals/${seg(id)}/assumptions`, {
        body: { cdr: Number(cdr), cpr: Number(cpr), recovery: Number(recovery), recovery_lag: Number(lag), comment },
      }),
    onSuccess: (nv) => {
      void qc.invalidateQueries({ queryKey: ['clo-versions', id] });
      void qc.invalidateQueries({ queryKey: ['clo-deals'] });
      setComment('');
      setQuery({ version: String(nv.version) });
    },
  });
  const field = (label: string, value: string, set: (v: string) => void, hint: string) => (
    <label title={hint}>
      {label}
      <input type="number" step="any" value={value} onChange={(e) => set(e.target.value)} aria-label={label} />
    </label>
  );
  return (
    <form className="params" aria-label={t('clo.assumptions')} onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      {field('CDR', cdr, setCdr, t('clo.hint.cdr'))}
      {field('CPR', cpr, setCpr, t('clo.hint.cpr'))}
      {field(t('clo.recovery'), recovery, setRecovery, t('clo.hint.recovery'))}
      {field(t('clo.recoveryLag'), lag, setLag, t('clo.hint.lag'))}
      <label>{t('common.comment')}<input value={comment} onChange={(e) => setComment(e.target.value)} aria-label={t('clo.versionComment')} /></label>
      <button type="submit" disabled={save.isPending}>{t('clo.saveVersion')}</button>
      <ErrorBox error={save.error} />
    </form>
  );
}

// A POST to a stored deal's run route, cached per body.
// A run answers at once, or (the projection of a pool of more than 1,000 loans) as a job followed
// to its result, which is the same JSON.
function useRun<T>(id: string, route: string, body: Record<string, unknown>) {
  const { t } = useSession();
  return useQuery({
    queryKey: ['clo-run', id, route, body],
    queryFn: async ({ signal }) => {
      const r = await api<T | Job>('POST', `/api/v1/clo/deals/${seg(id)}/${route}`, { body, signal });
      if (!(r && typeof r === 'object' && 'status' in r && 'kind' in r)) return r as T;
      const job = r as Job;
      await followJob(job.id, () => {}, signal);
      const done = await api<Job>('GET', `/api/v1/jobs/${job.id}`);
      if (done.status !== 'succeeded') throw new ApiError(500, done.status, t('clo.run.jobFailed', { id: job.id, status: choiceLabel(t, 'status', done.status), message: done.error?.message ?? '' }), [], '');
      return done.result as unknown as T;
    },
  });
}

function RunTabs({ id, body, tab }: { id: string; body: Record<string, unknown>; tab: 'waterfall' | 'coverage' }) {
  const { t } = useSession();
  const q = useRun<Run>(id, 'run', body);
  if (q.isLoading) return <Loading what={t('clo.loading.run')} />;
  if (q.error) return <ErrorBox error={q.error} />;
  return tab === 'waterfall' ? <Waterfall run={q.data!} /> : <Coverage run={q.data!} />;
}

function Waterfall({ run }: { run: Run }) {
  const { fmt, t } = useSession();
  const names = useMemo(() => run.tranches.map((x) => x.name), [run]);
  const balances = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.money(v) },
      legend: { top: 0 },
      grid: { left: 90, right: 30, top: 40 },
      xAxis: { type: 'category', data: run.periods.map((p) => fmt.date(p.date)) },
      yAxis: { type: 'value', name: t('clo.balanceAxis'), axisLabel: { formatter: (v: number) => fmt.money(v) } },
      series: names.map((n, j) => ({ type: 'line', name: n, showSymbol: false, stack: 'balances', areaStyle: {}, data: run.periods.map((p) => p.tranches[j]?.balance ?? null) })),
    }),
    [run, names, fmt, t],
  );
  // One group of columns at a time (?columns=notes): collateral and fees, or the notes' payments.
  const { query } = useLocation();
  const group = query.get('columns') === 'notes' ? 'notes' : 'collateral';
  const columns = useMemo<ColumnDef<Period, unknown>[]>(() => {
    const money = (id: string, header: string, get: (p: Period) => number | null | undefined): ColumnDef<Period, unknown> => ({
      id, header, accessorFn: get, meta: { num: true }, cell: (c) => fmt.money(c.getValue() as number),
    });
    const date: ColumnDef<Period, unknown> = { id: 'date', header: t('common.date'), accessorFn: (p) => p.date, cell: (c) => fmt.date(c.getValue() as string) };
    if (group === 'notes') {
      return [
        date,
        ...names.flatMap((n, j) => [
          money(`${n}_interest`, t('clo.wf.trancheInterest', { name: n }), (p) => p.tranches[j]?.interest_paid),
          money(`${n}_principal`, t('clo.wf.tranchePrincipal', { name: n }), (p) => p.tranches[j]?.principal_paid),
          money(`${n}_balance`, t('clo.wf.trancheBalance', { name: n }), (p) => p.tranches[j]?.balance),
        ]),
      ];
    }
    return [
      date,
      money('beginning_par', t('clo.wf.beginningPar'), (p) => p.beginning_par),
      money('interest_collections', t('clo.wf.interestCollected'), (p) => p.interest_collections),
      money('principal_collections', t('clo.wf.principalCollected'), (p) => p.principal_collections),
      money('defaults', t('clo.wf.defaults'), (p) => p.defaults),
      money('recoveries', t('clo.wf.recoveries'), (p) => p.recoveries),
      money('reinvested', t('clo.wf.reinvested'), (p) => p.reinvested),
      money('taxes_admin_paid', t('clo.wf.taxes'), (p) => p.taxes_admin_paid),
      money('senior_fee_paid', t('clo.wf.seniorFee'), (p) => p.senior_fee_paid),
      money('sub_fee_paid', t('clo.wf.subFee'), (p) => p.sub_fee_paid),
      money('incentive_fee_paid', t('clo.wf.incentiveFee'), (p) => p.incentive_fee_paid),
      money('interest_diverted', t('clo.wf.interestDiverted'), (p) => p.interest_diverted),
    ];
  }, [names, fmt, group, t]);
  return (
    <>
      <p className="muted" data-testid="scenario">
        {t('clo.scenarioRun', { cdr: fmt.pct(run.scenario.cdr), cpr: fmt.pct(run.scenario.cpr), recovery: fmt.pct(run.scenario.recovery), lag: run.scenario.recovery_lag_months })}
      </p>
      <div className="kpis">
        <Kpi id="defaults" label={t('clo.totalDefaults')}>{fmt.money(run.total_defaults)}</Kpi>
        <Kpi id="recoveries" label={t('clo.totalRecoveries')}>{fmt.money(run.total_recoveries)}</Kpi>
        <Kpi id="periods" label={t('clo.periods')}>{run.periods.length}</Kpi>
      </div>
      <table className="list" aria-label={t('clo.trancheMetrics')} data-testid="tranche-metrics">
        <thead>
          <tr><th>{t('clo.tranche')}</th><th className="num">{t('clo.originalBalance')}</th><th className="num">IRR</th><th className="num">{t('clo.walYears')}</th><th className="num">{t('clo.principalLoss')}</th>
            <th className="num">{t('clo.loss')}</th><th className="num">{t('clo.unpaidInterest')}</th><th className="num">{t('clo.pvLoss')}</th><th>{t('clo.firstLoss')}</th></tr>
        </thead>
        <tbody>
          {run.tranches.map((x, i) => {
            // The equity (the last tranche) has no principal to lose or interest due: its IRR says it.
            const equity = i === run.tranches.length - 1;
            return (
              <tr key={x.name} data-tranche={x.name}>
                <td>{x.name}</td>
                <td className="num">{fmt.money(x.original_balance)}</td>
                <td className="num" data-field="irr">{fmt.pct(x.irr)}</td>
                <td className="num" data-field="wal">{fmt.num(x.wal)}</td>
                <td className="num" data-field="principal_loss">{equity ? '–' : fmt.money(x.principal_loss)}</td>
                <td className="num" data-field="loss_pct">{equity ? '–' : fmt.pct(x.loss_pct)}</td>
                <td className="num">{equity ? '–' : fmt.money(x.unpaid_interest)}</td>
                <td className="num">{equity ? '–' : fmt.pct(x.pv_loss_pct)}</td>
                <td>{equity ? '–' : fmt.date(x.first_loss_date)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>{t('clo.trancheBalances')}</h2>
      <Chart label={t('clo.balancesChart', { names: names.join(', ') })} option={balances} />
      <h2>{t('clo.wfByPeriod')}</h2>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="columns">{t('import.columns')}</label>
        <select id="columns" value={group} onChange={(e) => setQuery({ columns: e.target.value === 'notes' ? 'notes' : null })}>
          <option value="collateral">{t('clo.wf.groupCollateral')}</option>
          <option value="notes">{t('clo.wf.groupNotes')}</option>
        </select>
      </form>
      <DataTable key={group} data={run.periods} columns={columns} label={t('clo.wfByPeriod')} height={420} />
    </>
  );
}

// Cushions grow without bound as the notes amortise (the ratio's denominator goes to zero): the
// axis is cut at a cushion of 1 unless ?cushions=full; the table has every value.
const CUSHION_AXIS_CAP = 1;

function Coverage({ run }: { run: Run }) {
  const { fmt, t } = useSession();
  const { query } = useLocation();
  const full = query.get('cushions') === 'full';
  const tests = useMemo(() => run.periods[0]?.tests.map((x) => x.name) ?? [], [run]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.pct(v, 2) },
      legend: { top: 0 },
      grid: { left: 70, right: 30, top: 50 },
      xAxis: { type: 'category', data: run.periods.map((p) => fmt.date(p.date)) },
      yAxis: { type: 'value', name: t('clo.cov.axis'), max: full ? undefined : (v: { max: number }) => Math.min(v.max, CUSHION_AXIS_CAP) },
      series: tests.map((n) => ({
        type: 'line',
        name: n,
        showSymbol: false,
        data: run.periods.map((p) => p.tests.find((x) => x.name === n)?.cushion ?? null),
        markLine: { symbol: 'none', silent: true, data: [{ yAxis: 0 }], lineStyle: { color: '#c0392b', type: 'dashed' }, label: { formatter: t('clo.cov.trigger') } },
      })),
    }),
    [run, tests, fmt, full, t],
  );
  // Per test: its ratio and its cushion (the API's), a failing test marked; the trigger is in the header.
  const columns = useMemo<ColumnDef<Period, unknown>[]>(() => {
    const triggers = run.periods[0]?.tests ?? [];
    return [
      { id: 'date', header: t('common.date'), accessorFn: (p) => p.date, cell: (c) => fmt.date(c.getValue() as string) },
      ...triggers.flatMap((t0): ColumnDef<Period, unknown>[] => {
        const of = (p: Period) => p.tests.find((x) => x.name === t0.name);
        const cell = (field: 'value' | 'cushion') => (c: { row: { original: Period } }) => {
          const x = of(c.row.original);
          return (
            <span className={x && !x.pass ? 'fail' : ''} data-test={t0.name} data-field={field}>
              {fmt.pct(x?.[field], 2)}{field === 'cushion' && x && !x.pass ? ` ${t('clo.fail')}` : ''}
            </span>
          );
        };
        return [
          { id: `${t0.name} value`, header: t('clo.cov.valueHeader', { name: t0.name, trigger: fmt.pct(t0.threshold, 2) }), accessorFn: (p) => of(p)?.value, meta: { num: true }, cell: cell('value') },
          { id: `${t0.name} cushion`, header: t('clo.cov.cushionHeader', { name: t0.name }), accessorFn: (p) => of(p)?.cushion, meta: { num: true }, cell: cell('cushion') },
        ];
      }),
    ];
  }, [run, fmt, t]);
  if (tests.length === 0) return <Empty>{t('clo.cov.none')}</Empty>;
  return (
    <>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label>
          <input type="checkbox" checked={full} onChange={(e) => setQuery({ cushions: e.target.checked ? 'full' : null })} /> {t('clo.cov.wholeAxis', { cap: fmt.num(CUSHION_AXIS_CAP, 1) })}
        </label>
      </form>
      <Chart label={t('clo.cov.chart', { names: tests.join(', ') })} option={option} />
      <DataTable data={run.periods} columns={columns} label={t('clo.cov.table')} height={420} />
    </>
  );
}

function TestRows({ tests }: { tests: Schemas['CloTest'][] }) {
  const { fmt, t } = useSession();
  const show = (name: string, v: number | null | undefined) => cloTestValue(fmt, name, v);
  return (
    <>
      {tests.map((x) => (
        <tr key={x.name} data-test={x.name} className={x.pass ? '' : 'bad'}>
          <td>{cloTestTitle(x.name, x.subject)}</td>
          <td className="num" data-field="value">{show(x.name, x.value)}</td>
          <td>{x.bound === 'max' ? t('clo.atMost') : t('clo.atLeast')}</td>
          <td className="num" data-field="threshold">{show(x.name, x.threshold)}</td>
          <td className="num" data-field="cushion">{show(x.name, x.cushion)}</td>
          <td><span className={x.pass ? 'zone zone-green' : 'zone zone-red'}>{x.pass ? t('clo.pass') : t('clo.fail')}</span></td>
        </tr>
      ))}
    </>
  );
}

function QualityTab({ id, body }: { id: string; body: Record<string, unknown> }) {
  const { fmt, t } = useSession();
  const q = useRun<TestsResult>(id, 'tests', body);
  if (q.isLoading) return <Loading what={t('clo.loading.tests')} />;
  if (q.error) return <ErrorBox error={q.error} />;
  const r = q.data!;
  const m = r.metrics;
  const head = (
    <thead>
      <tr><th>{t('clo.q.test')}</th><th className="num">{t('field.value')}</th><th>{t('clo.q.limit')}</th><th className="num">{t('clo.q.threshold')}</th><th className="num">{t('clo.q.cushion')}</th><th>{t('clo.q.result')}</th></tr>
    </thead>
  );
  return (
    <>
      <div className="kpis" data-testid="quality-kpis">
        <Kpi id="par" label={t('clo.q.performingPar', { date: fmt.date(r.as_of) })}>{fmt.money(m.performing_par)}</Kpi>
        <Kpi id="warf" label="WARF">{fmt.num(m.warf, 0)}</Kpi>
        <Kpi id="was" label="WAS">{fmt.pct(m.was)}</Kpi>
        <Kpi id="wal" label={t('clo.walYears')}>{fmt.num(m.wal_years)}</Kpi>
        <Kpi id="diversity" label={t('clo.q.diversity')}>{fmt.num(m.diversity_score, 1)}</Kpi>
        <Kpi id="ccc" label={t('clo.q.ccc')}>{fmt.pct(m.ccc_share)}</Kpi>
        <Kpi id="obligor" label={t('clo.q.obligor', { name: m.max_obligor })}>{fmt.pct(m.max_obligor_share)}</Kpi>
        <Kpi id="industry" label={t('clo.q.industry', { name: m.max_industry })}>{fmt.pct(m.max_industry_share)}</Kpi>
        <Kpi id="caa_par" label={t('clo.q.caaPar')}>{fmt.money(m.caa_par)}</Kpi>
        <Kpi id="caa_excess_par" label={t('clo.q.caaExcess')}>{fmt.money(m.caa_excess_par)}</Kpi>
        <Kpi id="caa_haircut" label={t('clo.q.caaHaircut')}>{fmt.money(m.caa_haircut)}</Kpi>
        <Kpi id="unfunded" label={t('clo.q.unfunded')}>{fmt.money(m.unfunded)}</Kpi>
      </div>
      <table className="list" aria-label={t('clo.q.table')} data-testid="quality-tests">
        <caption>{t('clo.q.caption')}</caption>
        {head}
        <tbody><TestRows tests={r.quality} /></tbody>
      </table>
      {r.quality.length === 0 && <Empty>{t('clo.q.none')}</Empty>}
      <table className="list" aria-label={t('clo.q.coverageTable')} data-testid="first-coverage">
        <caption data-testid="coverage-caption">
          {r.coverage.ic_date
            ? t('clo.q.coverageCaption', { date: fmt.date(r.coverage.date), icDate: fmt.date(r.coverage.ic_date) })
            : t('clo.q.coverageCaptionNoIc', { date: fmt.date(r.coverage.date) })}
        </caption>
        {head}
        <tbody><TestRows tests={r.coverage.tests} /></tbody>
      </table>
      <Buckets buckets={m.buckets} />
      <div className="side-by-side">
        <Largest items={m.top_obligors} label={t('clo.q.topObligors')} testid="top-obligors" />
        <Largest items={m.top_industries} label={t('clo.q.topIndustries')} testid="top-industries" />
      </div>
    </>
  );
}

// The concentration buckets with their limits (a bucket over its limit marked).
function Buckets({ buckets }: { buckets: Schemas['CloBucket'][] }) {
  const { fmt, t } = useSession();
  if (buckets.length === 0) return null;
  return (
    <table className="list" aria-label={t('clo.q.buckets')} data-testid="buckets">
      <caption>{t('clo.q.bucketsCaption')}</caption>
      <thead>
        <tr><th>{t('clo.q.bucket')}</th><th className="num">{t('clo.col.par')}</th><th className="num">{t('clo.q.share')}</th><th className="num">{t('clo.loans')}</th><th className="num">{t('clo.q.limit')}</th><th>{t('clo.q.result')}</th></tr>
      </thead>
      <tbody>
        {buckets.map((b) => {
          const limited = b.limit !== null && b.limit !== undefined;
          const over = limited && (b.share ?? 0) > b.limit!;
          return (
            <tr key={b.bucket} data-bucket={b.bucket} className={over ? 'bad' : undefined}>
              <td>{labelOf(t, 'cloBucket', b.bucket)}</td>
              <td className="num" data-field="par">{fmt.money(b.par)}</td>
              <td className="num" data-field="share">{fmt.pct(b.share, 2)}</td>
              <td className="num">{fmt.num(b.loans, 0)}</td>
              <td className="num" data-field="limit">{limited ? `${t('clo.atMost')} ${fmt.pct(b.limit, 2)}` : t('clo.q.noLimit')}</td>
              <td>{limited ? <span className={over ? 'zone zone-red' : 'zone zone-green'}>{over ? t('clo.fail') : t('clo.pass')}</span> : ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// The ten largest obligors or industries with their par and share of performing par.
function Largest({ items, label, testid }: { items: Schemas['CloConcentration'][]; label: string; testid: string }) {
  const { fmt, t } = useSession();
  return (
    <table className="list" aria-label={label} data-testid={testid}>
      <caption>{label}</caption>
      <thead>
        <tr><th className="num">#</th><th>{t('common.name')}</th><th className="num">{t('clo.col.par')}</th><th className="num">{t('clo.q.share')}</th></tr>
      </thead>
      <tbody>
        {items.map((x, i) => (
          <tr key={x.name} data-name={x.name}>
            <td className="num">{i + 1}</td>
            <td>{x.name}</td>
            <td className="num" data-field="par">{fmt.money(x.par)}</td>
            <td className="num" data-field="share">{fmt.pct(x.share, 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const GRID_DEFAULT = { cdr: '0,0.01,0.02,0.03,0.05,0.08', cpr: '0.1,0.2', recovery: '0.5,0.7' };
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean).map(Number);

function GridTab({ id, body, query }: { id: string; body: Record<string, unknown>; query: URLSearchParams }) {
  const { fmt, t } = useSession();
  const axes = { cdr: query.get('grid_cdr') ?? GRID_DEFAULT.cdr, cpr: query.get('grid_cpr') ?? GRID_DEFAULT.cpr, recovery: query.get('grid_recovery') ?? GRID_DEFAULT.recovery };
  const metric = query.get('metric') === 'irr' ? 'irr' : 'loss_pct';
  const q = useRun<Grid>(id, 'grid', { ...body, cdr: list(axes.cdr), cpr: list(axes.cpr), recovery: list(axes.recovery) });
  const option = useMemo(() => {
    const g = q.data;
    if (!g) return null;
    const tranches = g.scenarios[0]?.tranches.map((x) => x.name) ?? [];
    const rows = g.scenarios.map((s) => t('clo.grid.row', { cdr: fmt.pct(s.cdr, 1), cpr: fmt.pct(s.cpr, 0), recovery: fmt.pct(s.recovery, 0) }));
    const data = g.scenarios.flatMap((s, i) => s.tranches.map((x, j) => [j, i, x[metric] ?? null]));
    const values = data.map((d) => d[2]).filter((v): v is number => typeof v === 'number');
    return {
      tooltip: { formatter: (p: { value: [number, number, number | null] }) => tip`${rows[p.value[1]]}, ${t('clo.grid.trancheName', { name: tranches[p.value[0]] ?? '' })}: ${fmt.pct(p.value[2])}` },
      grid: { left: 230, right: 30, top: 20, bottom: 70 },
      xAxis: { type: 'category', data: tranches, name: t('clo.grid.trancheAxis') },
      yAxis: { type: 'category', data: rows, inverse: true },
      visualMap: {
        min: values.length ? Math.min(...values) : 0,
        max: values.length ? Math.max(...values) : 1,
        calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
        inRange: { color: metric === 'irr' ? ['#b2182b', '#f7f7f7', '#2166ac'] : ['#f7f7f7', '#f4a582', '#b2182b'] },
        formatter: (v: number) => fmt.pct(v, 1),
      },
      series: [{ type: 'heatmap', data, label: { show: true, formatter: (p: { value: [number, number, number | null] }) => fmt.pct(p.value[2], 1) } }],
    };
  }, [q.data, metric, fmt, t]);
  return (
    <>
      <form className="params" aria-label={t('clo.grid.axes')} onSubmit={(e) => e.preventDefault()}>
        {(['cdr', 'cpr', 'recovery'] as const).map((k) => (
          <label key={k}>
            {t('clo.grid.values', { name: k === 'recovery' ? t('clo.recovery') : k.toUpperCase() })}
            <input defaultValue={axes[k]} aria-label={t('clo.grid.values', { name: k === 'recovery' ? t('clo.recovery') : k.toUpperCase() })} onBlur={(e) => setQuery({ [`grid_${k}`]: e.target.value.trim() || null })} />
          </label>
        ))}
        <label>
          {t('clo.grid.show')}
          <select value={metric} onChange={(e) => setQuery({ metric: e.target.value })} aria-label={t('clo.grid.metric')}>
            <option value="loss_pct">{t('clo.grid.loss')}</option>
            <option value="irr">IRR</option>
          </select>
        </label>
      </form>
      {q.isLoading && <Loading what={t('clo.loading.grid')} />}
      <ErrorBox error={q.error} />
      {q.data && option && (
        <div data-testid="grid" data-points={q.data.points}>
          <Chart label={t(metric === 'irr' ? 'clo.grid.chartIrr' : 'clo.grid.chartLoss', { count: q.data.points })} option={option} height={Math.max(320, q.data.points * 26 + 110)} />
          <table className="sr-only" aria-label={t('clo.grid.valuesTable')}>
            <tbody>
              {q.data.scenarios.map((s, i) => s.tranches.map((x) => (
                <tr key={`${i}-${x.name}`} data-point={i} data-tranche={x.name}>
                  <td>{s.cdr}</td><td>{s.cpr}</td><td>{s.recovery}</td><td data-field={metric}>{fmt.pct(x[metric])}</td>
                </tr>
              )))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

const MC_BINS = 20;

function MonteCarloTab({ id, body, query }: { id: string; body: Record<string, unknown>; query: URLSearchParams }) {
  const { fmt, t } = useSession();
  const scenarios = Number(query.get('scenarios') ?? 1000);
  const seed = Number(query.get('seed') ?? 1);
  const correlation = Number(query.get('correlation') ?? 0.3);
  const req = { ...body, scenarios, seed, correlation, histogram_bins: MC_BINS };
  const [progress, setProgress] = useState<string>('');
  // Up to 1,000 scenarios the answer comes at once; more run as a job, followed to its result.
  const q = useQuery({
    queryKey: ['clo-mc', id, req],
    queryFn: async ({ signal }) => {
      const r = await api<MonteCarlo | Job>('POST', `/api/v1/clo/deals/${seg(id)}/montecarlo`, { body: req, signal });
      if (!('status' in r && 'kind' in r)) return r as MonteCarlo;
      const job = r as Job;
      await followJob(job.id, (j) => setProgress(`${choiceLabel(t, 'status', j.status)} ${fmt.pct(j.progress ?? 0, 0)} ${j.message ?? ''}`), signal);
      const done = await api<Job>('GET', `/api/v1/jobs/${job.id}`);
      if (done.status !== 'succeeded') throw new ApiError(500, done.status, t('clo.mc.jobFailed', { id: job.id, status: choiceLabel(t, 'status', done.status), message: done.error?.message ?? '' }), [], '');
      return done.result as unknown as MonteCarlo;
    },
  });
  const log = query.get('log') === '1';
  const tranche = query.get('tranche') ?? q.data?.tranches[0]?.name ?? '';
  const chosen = q.data?.tranches.find((x) => x.name === tranche) ?? q.data?.tranches[0];
  const option = useMemo(() => {
    const h = chosen?.histogram;
    if (!h || !chosen) return null;
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 70, right: 30 },
      xAxis: { type: 'category', name: t('clo.grid.loss'), data: h.counts.map((_, i) => `${fmt.pct(h.edges[i], 0)}–${fmt.pct(h.edges[i + 1], 0)}`), axisLabel: { rotate: 45 } },
      yAxis: log ? { type: 'log', name: t('clo.mc.scenariosLog'), min: 1 } : { type: 'value', name: t('clo.mc.scenariosAxis') },
      // A log axis cannot show an empty bin: it is left out (null) rather than drawn at 1.
      series: [{ type: 'bar', name: chosen.name, data: log ? h.counts.map((c) => (c > 0 ? c : null)) : h.counts, barWidth: '90%' }],
    };
  }, [chosen, fmt, log, t]);
  return (
    <>
      <form className="params" aria-label={t('clo.mc.settings')} onSubmit={(e) => e.preventDefault()}>
        <label>{t('field.scenarios')}<input type="number" min={1} defaultValue={scenarios} aria-label={t('field.scenarios')} onBlur={(e) => setQuery({ scenarios: e.target.value || null })} /></label>
        <label>{t('field.seed')}<input type="number" min={0} defaultValue={seed} aria-label={t('field.seed')} onBlur={(e) => setQuery({ seed: e.target.value || null })} /></label>
        <label>{t('field.correlation')}<input type="number" step="any" min={0} max={0.99} defaultValue={correlation} aria-label={t('clo.mc.assetCorrelation')} onBlur={(e) => setQuery({ correlation: e.target.value || null })} /></label>
      </form>
      {q.isLoading && <Loading what={t('clo.mc.loading', { count: scenarios, n: fmt.num(scenarios, 0), progress })} />}
      <ErrorBox error={q.error} />
      {q.data && (
        <>
          <div className="kpis">
            <Kpi id="scenarios" label={t('field.scenarios')}>{fmt.num(q.data.scenarios, 0)}</Kpi>
            <Kpi id="defaults" label={t('clo.mc.meanDefaults')}>{fmt.pct(q.data.mean_default_pct)}</Kpi>
            <Kpi id="equity" label={t('clo.mc.equityIrr')}>{fmt.pct(q.data.equity_irr.mean)} ({fmt.pct(q.data.equity_irr.p5)} / {fmt.pct(q.data.equity_irr.p95)})</Kpi>
          </div>
          <table className="list" aria-label={t('clo.mc.table')} data-testid="mc-table">
            <thead>
              <tr><th>{t('clo.tranche')}</th><th className="num">{t('clo.mc.expectedLoss')}</th><th className="num">PD</th><th className="num">VaR {fmt.pct(q.data.confidence, 0)}</th>
                <th className="num">ES</th><th className="num">{t('plan.median')}</th><th className="num">{t('clo.mc.p90')}</th><th className="num">{t('clo.pvLoss')}</th></tr>
            </thead>
            <tbody>
              {q.data.tranches.map((x) => (
                <tr key={x.name} data-tranche={x.name} aria-selected={x.name === chosen?.name}>
                  <td><button type="button" className="linkish" onClick={() => setQuery({ tranche: x.name })}>{x.name}</button></td>
                  <td className="num" data-field="expected_loss_pct">{fmt.pct(x.expected_loss_pct, 3)}</td>
                  <td className="num" data-field="pd">{fmt.pct(x.pd, 2)}</td>
                  <td className="num" data-field="var_pct">{fmt.pct(x.var_pct, 2)}</td>
                  <td className="num" data-field="es_pct">{fmt.pct(x.es_pct, 2)}</td>
                  <td className="num">{fmt.pct(x.p50_pct, 2)}</td>
                  <td className="num">{fmt.pct(x.p90_pct, 2)}</td>
                  <td className="num">{fmt.pct(x.expected_pv_loss_pct, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {option && chosen && (
            <figure data-testid="mc-histogram" data-tranche={chosen.name}>
              <Chart label={t('clo.mc.chart', { name: chosen.name, count: q.data.scenarios, bins: MC_BINS })} option={option} />
              <figcaption className="muted">
                {t('clo.mc.caption', { name: chosen.name })}{' '}
                <label>
                  <input type="checkbox" checked={log} onChange={(e) => setQuery({ log: e.target.checked ? '1' : null })} /> {t('clo.mc.log')}
                </label>
              </figcaption>
            </figure>
          )}
        </>
      )}
    </>
  );
}

function CollateralTab({ id, version, name }: { id: string; version: number; name: string }) {
  const { fmt, t } = useSession();
  const q = useQuery({ queryKey: ['clo-pool', id, version], queryFn: () => api<Collateral>('GET', `/api/v1/clo/deals/${seg(id)}/collateral?version=${version}`) });
  const [err, setErr] = useState<unknown>(null);
  const columns = useMemo<ColumnDef<Loan, unknown>[]>(
    () => [
      { accessorKey: 'asset_id', header: t('clo.col.assetId') },
      { accessorKey: 'obligor', header: t('clo.col.obligor') },
      { accessorKey: 'industry', header: t('clo.col.industry') },
      { accessorKey: 'country', header: t('clo.col.country') },
      { accessorKey: 'par', header: t('clo.col.par'), meta: { num: true }, cell: (c) => fmt.money(c.getValue() as number) },
      { accessorKey: 'unfunded', header: t('clo.col.unfunded'), meta: { num: true }, cell: (c) => (c.getValue() ? fmt.money(c.getValue() as number) : '') },
      { accessorKey: 'price', header: t('clo.col.price'), meta: { num: true }, cell: (c) => fmt.num(c.getValue() as number, 2) },
      { accessorKey: 'coupon_type', header: t('clo.col.coupon') },
      { accessorKey: 'spread', header: t('clo.col.spread'), meta: { num: true }, cell: (c) => fmt.pct(c.getValue() as number, 2) },
      { accessorKey: 'coupon', header: t('clo.col.fixed'), meta: { num: true }, cell: (c) => fmt.pct(c.getValue() as number, 2) },
      { accessorKey: 'maturity', header: t('clo.col.maturity'), cell: (c) => fmt.date(c.getValue() as string) },
      { accessorKey: 'rating', header: t('clo.col.rating') },
      { id: 'moodys_rating', accessorFn: (l) => l.moodys_rating ?? '', header: t('clo.col.moodys') },
      { id: 'sp_rating', accessorFn: (l) => l.sp_rating ?? '', header: t('clo.col.sp') },
      { accessorKey: 'lien', header: t('clo.col.lien'), cell: (c) => choiceLabel(t, 'lien', c.getValue() as string) },
      { accessorKey: 'cov_lite', header: t('clo.col.covLite'), cell: (c) => (c.getValue() ? t('common.yes') : '') },
      { accessorKey: 'defaulted', header: t('clo.col.defaulted'), cell: (c) => (c.getValue() ? t('common.yes') : '') },
    ],
    [fmt, t],
  );
  if (q.isLoading) return <Loading what={t('clo.loading.collateral')} />;
  if (q.error) return <ErrorBox error={q.error} />;
  const pool = q.data!;
  return (
    <>
      <div className="actions">
        <span className="muted">{t('clo.col.summary', { version: pool.version, count: pool.loans, par: fmt.money(pool.par) })}</span>
        <button type="button" onClick={() => download(`/api/v1/clo/deals/${seg(id)}/collateral?version=${version}&format=csv`, safeFileName(`${name}_v${version}_collateral.csv`)).catch(setErr)}>
          {t('clo.col.download')}
        </button>
      </div>
      <ErrorBox error={err} />
      <DataTable data={pool.items} columns={columns} label={t('clo.col.table')} />
    </>
  );
}

function VersionsTab({ versions, current }: { versions: Versions | undefined; current: number }) {
  const { fmt, t } = useSession();
  if (!versions) return <Loading what={t('clo.loading.versions')} />;
  return (
    <table className="list" aria-label={t('clo.tab.versions')} data-testid="versions">
      <thead>
        <tr><th className="num">{t('common.version')}</th><th>{t('common.change')}</th><th>{t('common.comment')}</th><th className="num">CDR</th><th className="num">CPR</th><th className="num">{t('clo.recovery')}</th>
          <th className="num">{t('clo.lag')}</th><th className="num">{t('clo.loans')}</th><th className="num">{t('clo.col.par')}</th><th>{t('common.created')}</th><th>{t('common.by')}</th><th><span className="sr-only">{t('common.actions')}</span></th></tr>
      </thead>
      <tbody>
        {versions.items.map((v) => (
          <tr key={v.version} data-version={v.version} aria-current={v.version === current ? 'true' : undefined}>
            <td className="num">{v.version}</td>
            <td>{choiceLabel(t, 'change', v.change)}</td>
            <td>{v.comment}</td>
            <td className="num">{fmt.pct(v.assumptions.cdr)}</td>
            <td className="num">{fmt.pct(v.assumptions.cpr)}</td>
            <td className="num">{fmt.pct(v.assumptions.recovery)}</td>
            <td className="num">{v.assumptions.recovery_lag_months}</td>
            <td className="num">{fmt.num(v.loans, 0)}</td>
            <td className="num">{fmt.money(v.collateral_par)}</td>
            <td>{fmt.date(v.created_at)}</td>
            <td>{v.created_by}</td>
            <td>{v.version !== current && <button type="button" onClick={() => setQuery({ version: String(v.version), tab: 'waterfall' })}>{t('clo.open')}</button>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
