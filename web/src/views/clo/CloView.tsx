// CLO deals stored in the tenant (docs/clo.md): upload a deal JSON and its collateral CSV, edit the
// key assumptions (CDR, CPR, recovery, lag; every edit a new version, older versions readable), and
// on a version: the period-by-period waterfall with the tranche balances, the OC/IC tests with their
// cushions over time, the collateral quality tests against their limits, the scenario grid as a
// heatmap of tranche losses or IRRs, the Monte Carlo loss distribution per tranche, the pool and the
// versions. Every figure is the API's JSON; the page formats and draws.
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
import { Chart } from '../../components/Chart';
import { DataTable } from '../../components/DataTable';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { followJob } from '../jobs/JobsView';
import { Kpi } from '../../components/Kpi';
import { pickTab, Tabs } from '../../components/Tabs';
import { Problems, readFile } from '../alm/parts';

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
  const { can, fmt } = useSession();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['clo-deals'], queryFn: () => api<DealPage>('GET', '/api/v1/clo/deals?limit=500') });
  const del = useMutation({
    mutationFn: (d: DealInfo) => api('DELETE', `/api/v1/clo/deals/${d.id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['clo-deals'] }),
  });
  return (
    <section>
      <h1>CLO deals</h1>
      {list.isLoading && <Loading what="deals" />}
      <ErrorBox error={list.error ?? del.error} />
      {list.data && list.data.items.length === 0 && <Empty>No CLO deals stored{can('import_positions') ? ': upload one below.' : '.'}</Empty>}
      {list.data && list.data.items.length > 0 && (
        <table className="list" aria-label="CLO deals">
          <thead>
            <tr>
              <th>Name</th><th>Deal</th><th>Currency</th><th className="num">Version</th><th className="num">Loans</th><th className="num">Collateral par</th>
              <th className="num">CDR</th><th className="num">CPR</th><th className="num">Recovery</th><th className="num">Lag (months)</th><th>Updated</th><th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((d) => (
              <tr key={d.id} data-deal={d.name}>
                <td><a href={`/clo/deals/${d.id}`} onClick={(e) => { e.preventDefault(); navigate(`/clo/deals/${d.id}`); }}>{d.name}</a></td>
                <td>{d.deal}</td>
                <td>{d.currency}</td>
                <td className="num">{d.version}</td>
                <td className="num">{d.latest.loans}</td>
                <td className="num">{fmt.money(d.latest.collateral_par)}</td>
                <td className="num">{fmt.pct(d.latest.assumptions.cdr)}</td>
                <td className="num">{fmt.pct(d.latest.assumptions.cpr)}</td>
                <td className="num">{fmt.pct(d.latest.assumptions.recovery)}</td>
                <td className="num">{d.latest.assumptions.recovery_lag_months}</td>
                <td>{d.updated_at} ({d.updated_by})</td>
                <td className="actions">
                  {can('manage_portfolios') && (
                    <button type="button" className="danger" aria-label={`Delete deal ${d.name}`}
                      onClick={() => { if (window.confirm(`Delete deal ${d.name} and its ${d.version} versions?`)) del.mutate(d); }}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('import_positions') ? <Upload /> : <p className="muted">Your role reads deals; analysts and above upload them.</p>}
    </section>
  );
}

function Upload() {
  const qc = useQueryClient();
  const dealFile = useRef<HTMLInputElement>(null);
  const poolFile = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const up = useMutation({
    mutationFn: async () => {
      const text = await readFile(dealFile.current);
      if (text === null) throw new ApiError(0, 'invalid_input', 'Choose the deal JSON file.', [], '');
      let deal: unknown;
      try {
        deal = JSON.parse(text);
      } catch (e) {
        throw new ApiError(0, 'invalid_input', `The deal file is not JSON: ${String(e)}`, [], '');
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
    <form className="stack" aria-label="Upload a CLO deal" onSubmit={(e: FormEvent) => { e.preventDefault(); up.mutate(); }}>
      <h2>Upload a deal</h2>
      <p className="muted small">
        The deal document (docs/clo.md) with its collateral inline, or with the pool as a CSV (obligor,par,maturity,rating and optional columns). Nothing is
        stored unless the deal and every row of the pool are valid.
      </p>
      <div className="params">
        <label>Name (default: the deal's)<input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} aria-label="Deal name" /></label>
        <label>Deal (JSON)<input type="file" accept=".json,application/json" ref={dealFile} aria-label="Deal file" /></label>
        <label>Collateral (CSV, optional)<input type="file" accept=".csv,text/csv" ref={poolFile} aria-label="Collateral file" /></label>
        <label>Comment<input value={comment} onChange={(e) => setComment(e.target.value)} aria-label="Comment" /></label>
      </div>
      <button type="submit" className="primary" disabled={up.isPending}>Upload</button>
      {err && <ErrorBox error={err instanceof ApiError ? new ApiError(err.status, err.code, err.message, [], err.requestId) : err} />}
      <Problems details={err instanceof ApiError ? err.details : []} label="Problems of the upload" />
    </form>
  );
}

const TABS = ['waterfall', 'coverage', 'quality', 'grid', 'montecarlo', 'collateral', 'versions'] as const;
type Tab = (typeof TABS)[number];
const LABELS: Record<Tab, string> = {
  waterfall: 'Waterfall', coverage: 'OC/IC tests', quality: 'Collateral quality', grid: 'Scenario grid', montecarlo: 'Monte Carlo',
  collateral: 'Collateral', versions: 'Versions',
};
const COMPUTE_TABS: Tab[] = ['waterfall', 'coverage', 'quality', 'grid', 'montecarlo'];

function DealView({ id }: { id: string }) {
  const { query } = useLocation();
  const { can, fmt } = useSession();
  const tab = pickTab(TABS, query.get('tab'));
  const version = query.get('version');
  const vq = version ? `?version=${encodeURIComponent(version)}` : '';
  const shown = useQuery({ queryKey: ['clo-deal', id, version], queryFn: () => api<Shown>('GET', `/api/v1/clo/deals/${seg(id)}${vq}`) });
  const versions = useQuery({ queryKey: ['clo-versions', id], queryFn: () => api<Versions>('GET', `/api/v1/clo/deals/${seg(id)}/versions`) });
  useTitle(shown.data ? `${shown.data.deal.name} (CLO)` : null);
  if (shown.isLoading) return <Loading what="the deal" />;
  if (shown.error) return <ErrorBox error={shown.error} />;
  const s = shown.data!;
  const v = s.version;
  const body = { version: v.version };
  return (
    <section>
      <div className="titlebar">
        <h1>{s.deal.name}</h1>
        <span className="muted">{s.deal.deal} · {s.deal.currency} · tranches {s.deal.tranches.join(', ')}</span>
        <span className="spacer" />
        <button type="button" onClick={() => navigate('/clo')}>All deals</button>
      </div>
      <form className="inline" onSubmit={(e) => e.preventDefault()} aria-label="Version">
        <label htmlFor="version">Version</label>
        <select id="version" value={String(v.version)} onChange={(e) => setQuery({ version: e.target.value === String(s.deal.version) ? null : e.target.value })}>
          {(versions.data?.items ?? [v]).map((x) => (
            <option key={x.version} value={String(x.version)}>
              {x.version} · {x.change} · {x.created_at}{x.version === s.deal.version ? ' (latest)' : ''}
            </option>
          ))}
        </select>
        <span className="muted small" data-testid="assumptions">
          CDR {fmt.pct(v.assumptions.cdr)} · CPR {fmt.pct(v.assumptions.cpr)} · recovery {fmt.pct(v.assumptions.recovery)} · lag{' '}
          {v.assumptions.recovery_lag_months} months · {v.loans} loans{v.comment ? ` · “${v.comment}”` : ''}
        </span>
      </form>
      {can('import_positions') && <Assumptions id={id} current={v} />}
      <Tabs tabs={TABS} labels={LABELS} current={tab} label="CLO analyses">
        {COMPUTE_TABS.includes(tab) && !can('compute') ? (
          <div className="error" role="alert">Not allowed for your role: runs are computations; the collateral and the versions are readable.</div>
        ) : (
          <>
            {(tab === 'waterfall' || tab === 'coverage') && <RunTabs id={id} body={body} tab={tab} />}
            {tab === 'quality' && <QualityTab id={id} body={body} />}
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
    <form className="params" aria-label="Assumptions" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      {field('CDR', cdr, setCdr, 'annual default rate, decimal (0.02 = 2 %)')}
      {field('CPR', cpr, setCpr, 'annual prepayment rate, decimal')}
      {field('Recovery', recovery, setRecovery, 'recovery rate, decimal')}
      {field('Recovery lag (months)', lag, setLag, 'months from default to recovery')}
      <label>Comment<input value={comment} onChange={(e) => setComment(e.target.value)} aria-label="Version comment" /></label>
      <button type="submit" disabled={save.isPending}>Save as a new version</button>
      <ErrorBox error={save.error} />
    </form>
  );
}

// A POST to a stored deal's run route, cached per body.
function useRun<T>(id: string, route: string, body: Record<string, unknown>) {
  return useQuery({ queryKey: ['clo-run', id, route, body], queryFn: () => api<T>('POST', `/api/v1/clo/deals/${seg(id)}/${route}`, { body }) });
}

function RunTabs({ id, body, tab }: { id: string; body: Record<string, unknown>; tab: 'waterfall' | 'coverage' }) {
  const q = useRun<Run>(id, 'run', body);
  if (q.isLoading) return <Loading what="the projection" />;
  if (q.error) return <ErrorBox error={q.error} />;
  return tab === 'waterfall' ? <Waterfall run={q.data!} /> : <Coverage run={q.data!} />;
}

function Waterfall({ run }: { run: Run }) {
  const { fmt } = useSession();
  const names = useMemo(() => run.tranches.map((t) => t.name), [run]);
  const balances = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.money(v) },
      legend: { top: 0 },
      grid: { left: 90, right: 30, top: 40 },
      xAxis: { type: 'category', data: run.periods.map((p) => p.date) },
      yAxis: { type: 'value', name: 'balance', axisLabel: { formatter: (v: number) => fmt.money(v) } },
      series: names.map((n, j) => ({ type: 'line', name: n, showSymbol: false, stack: 'balances', areaStyle: {}, data: run.periods.map((p) => p.tranches[j]?.balance ?? null) })),
    }),
    [run, names, fmt],
  );
  // One group of columns at a time (?columns=notes): collateral and fees, or the notes' payments.
  const { query } = useLocation();
  const group = query.get('columns') === 'notes' ? 'notes' : 'collateral';
  const columns = useMemo<ColumnDef<Period, unknown>[]>(() => {
    const money = (id: string, header: string, get: (p: Period) => number | null | undefined): ColumnDef<Period, unknown> => ({
      id, header, accessorFn: get, meta: { num: true }, cell: (c) => fmt.money(c.getValue() as number),
    });
    const date: ColumnDef<Period, unknown> = { id: 'date', header: 'Date', accessorFn: (p) => p.date };
    if (group === 'notes') {
      return [
        date,
        ...names.flatMap((n, j) => [
          money(`${n}_interest`, `${n} interest`, (p) => p.tranches[j]?.interest_paid),
          money(`${n}_principal`, `${n} principal`, (p) => p.tranches[j]?.principal_paid),
          money(`${n}_balance`, `${n} balance`, (p) => p.tranches[j]?.balance),
        ]),
      ];
    }
    return [
      date,
      money('beginning_par', 'Beginning par', (p) => p.beginning_par),
      money('interest_collections', 'Interest collected', (p) => p.interest_collections),
      money('principal_collections', 'Principal collected', (p) => p.principal_collections),
      money('defaults', 'Defaults', (p) => p.defaults),
      money('recoveries', 'Recoveries', (p) => p.recoveries),
      money('reinvested', 'Reinvested', (p) => p.reinvested),
      money('taxes_admin_paid', 'Taxes/admin', (p) => p.taxes_admin_paid),
      money('senior_fee_paid', 'Senior fee', (p) => p.senior_fee_paid),
      money('sub_fee_paid', 'Sub fee', (p) => p.sub_fee_paid),
      money('incentive_fee_paid', 'Incentive fee', (p) => p.incentive_fee_paid),
      money('interest_diverted', 'Interest diverted', (p) => p.interest_diverted),
    ];
  }, [names, fmt, group]);
  return (
    <>
      <p className="muted" data-testid="scenario">
        Scenario run: CDR {fmt.pct(run.scenario.cdr)} · CPR {fmt.pct(run.scenario.cpr)} · recovery {fmt.pct(run.scenario.recovery)} · recovery lag {run.scenario.recovery_lag_months} months
      </p>
      <div className="kpis">
        <Kpi id="defaults" label="Total defaults">{fmt.money(run.total_defaults)}</Kpi>
        <Kpi id="recoveries" label="Total recoveries">{fmt.money(run.total_recoveries)}</Kpi>
        <Kpi id="periods" label="Periods">{run.periods.length}</Kpi>
      </div>
      <table className="list" aria-label="Tranche metrics" data-testid="tranche-metrics">
        <thead>
          <tr><th>Tranche</th><th className="num">Original balance</th><th className="num">IRR</th><th className="num">WAL (years)</th><th className="num">Principal loss</th>
            <th className="num">Loss</th><th className="num">Unpaid interest</th><th className="num">PV loss</th><th>First loss</th></tr>
        </thead>
        <tbody>
          {run.tranches.map((t) => (
            <tr key={t.name} data-tranche={t.name}>
              <td>{t.name}</td>
              <td className="num">{fmt.money(t.original_balance)}</td>
              <td className="num" data-field="irr">{fmt.pct(t.irr)}</td>
              <td className="num" data-field="wal">{fmt.num(t.wal)}</td>
              <td className="num" data-field="principal_loss">{fmt.money(t.principal_loss)}</td>
              <td className="num" data-field="loss_pct">{fmt.pct(t.loss_pct)}</td>
              <td className="num">{fmt.money(t.unpaid_interest)}</td>
              <td className="num">{fmt.pct(t.pv_loss_pct)}</td>
              <td>{t.first_loss_date ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Tranche balances</h2>
      <Chart label={`Balances of tranches ${names.join(', ')} at each payment date`} option={balances} />
      <h2>Waterfall by period</h2>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="columns">Columns</label>
        <select id="columns" value={group} onChange={(e) => setQuery({ columns: e.target.value === 'notes' ? 'notes' : null })}>
          <option value="collateral">collateral, fees and reinvestment</option>
          <option value="notes">each tranche's interest, principal and balance</option>
        </select>
      </form>
      <DataTable key={group} data={run.periods} columns={columns} label="Waterfall by period" height={420} />
    </>
  );
}

// Cushions grow without bound as the notes amortise (the ratio's denominator goes to zero): the
// axis is cut at a cushion of 1 unless ?cushions=full; the table has every value.
const CUSHION_AXIS_CAP = 1;

function Coverage({ run }: { run: Run }) {
  const { fmt } = useSession();
  const { query } = useLocation();
  const full = query.get('cushions') === 'full';
  const tests = useMemo(() => run.periods[0]?.tests.map((t) => t.name) ?? [], [run]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.num(v, 4) },
      legend: { top: 0 },
      grid: { left: 70, right: 30, top: 50 },
      xAxis: { type: 'category', data: run.periods.map((p) => p.date) },
      yAxis: { type: 'value', name: 'cushion (ratio − trigger)', max: full ? undefined : (v: { max: number }) => Math.min(v.max, CUSHION_AXIS_CAP) },
      series: tests.map((n) => ({
        type: 'line',
        name: n,
        showSymbol: false,
        data: run.periods.map((p) => p.tests.find((t) => t.name === n)?.cushion ?? null),
        markLine: { symbol: 'none', silent: true, data: [{ yAxis: 0 }], lineStyle: { color: '#c0392b', type: 'dashed' }, label: { formatter: 'trigger' } },
      })),
    }),
    [run, tests, fmt, full],
  );
  // Per test: its ratio and its cushion (the API's), a failing test marked; the trigger is in the header.
  const columns = useMemo<ColumnDef<Period, unknown>[]>(() => {
    const triggers = run.periods[0]?.tests ?? [];
    return [
      { id: 'date', header: 'Date', accessorFn: (p) => p.date },
      ...triggers.flatMap((t0): ColumnDef<Period, unknown>[] => {
        const of = (p: Period) => p.tests.find((x) => x.name === t0.name);
        const cell = (field: 'value' | 'cushion') => (c: { row: { original: Period } }) => {
          const t = of(c.row.original);
          return (
            <span className={t && !t.pass ? 'fail' : ''} data-test={t0.name} data-field={field}>
              {fmt.num(t?.[field], 4)}{field === 'cushion' && t && !t.pass ? ' fail' : ''}
            </span>
          );
        };
        return [
          { id: `${t0.name} value`, header: `${t0.name} (trigger ${fmt.num(t0.threshold, 4)})`, accessorFn: (p) => of(p)?.value, meta: { num: true }, cell: cell('value') },
          { id: `${t0.name} cushion`, header: `${t0.name} cushion`, accessorFn: (p) => of(p)?.cushion, meta: { num: true }, cell: cell('cushion') },
        ];
      }),
    ];
  }, [run, fmt]);
  if (tests.length === 0) return <Empty>This deal has no OC or IC triggers.</Empty>;
  return (
    <>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label>
          <input type="checkbox" checked={full} onChange={(e) => setQuery({ cushions: e.target.checked ? 'full' : null })} /> whole axis (cushions grow large as the
          notes pay down; by default the axis stops at {fmt.num(CUSHION_AXIS_CAP, 1)})
        </label>
      </form>
      <Chart label={`Cushions of the coverage tests ${tests.join(', ')} over time; below zero the test fails`} option={option} />
      <DataTable data={run.periods} columns={columns} label="Coverage tests by period" height={420} />
    </>
  );
}

function TestRows({ tests }: { tests: Schemas['CloTest'][] }) {
  const { fmt } = useSession();
  // WARF and diversity are plain numbers; the rest are shares, spreads and ratios.
  const show = (name: string, v: number | null | undefined) =>
    name === 'WARF' || name === 'Diversity' || name === 'WAL' ? fmt.num(v, 2) : name.endsWith(' OC') || name.endsWith(' IC') ? fmt.num(v, 4) : fmt.pct(v, 2);
  return (
    <>
      {tests.map((t) => (
        <tr key={t.name} data-test={t.name} className={t.pass ? '' : 'bad'}>
          <td>{t.name}</td>
          <td className="num" data-field="value">{show(t.name, t.value)}</td>
          <td>{t.bound === 'max' ? 'at most' : 'at least'}</td>
          <td className="num" data-field="threshold">{show(t.name, t.threshold)}</td>
          <td className="num" data-field="cushion">{show(t.name, t.cushion)}</td>
          <td><span className={t.pass ? 'zone zone-green' : 'zone zone-red'}>{t.pass ? 'pass' : 'fail'}</span></td>
        </tr>
      ))}
    </>
  );
}

function QualityTab({ id, body }: { id: string; body: Record<string, unknown> }) {
  const { fmt } = useSession();
  const q = useRun<TestsResult>(id, 'tests', body);
  if (q.isLoading) return <Loading what="the collateral tests" />;
  if (q.error) return <ErrorBox error={q.error} />;
  const r = q.data!;
  const m = r.metrics;
  const head = (
    <thead>
      <tr><th>Test</th><th className="num">Value</th><th>Limit</th><th className="num">Threshold</th><th className="num">Cushion</th><th>Result</th></tr>
    </thead>
  );
  return (
    <>
      <div className="kpis" data-testid="quality-kpis">
        <Kpi id="par" label={`Performing par on ${r.as_of}`}>{fmt.money(m.performing_par)}</Kpi>
        <Kpi id="warf" label="WARF">{fmt.num(m.warf, 0)}</Kpi>
        <Kpi id="was" label="WAS">{fmt.pct(m.was)}</Kpi>
        <Kpi id="wal" label="WAL (years)">{fmt.num(m.wal_years)}</Kpi>
        <Kpi id="diversity" label="Diversity score">{fmt.num(m.diversity_score, 1)}</Kpi>
        <Kpi id="ccc" label="CCC share">{fmt.pct(m.ccc_share)}</Kpi>
        <Kpi id="obligor" label={`Largest obligor (${m.max_obligor})`}>{fmt.pct(m.max_obligor_share)}</Kpi>
        <Kpi id="industry" label={`Largest industry (${m.max_industry})`}>{fmt.pct(m.max_industry_share)}</Kpi>
      </div>
      <table className="list" aria-label="Collateral quality tests" data-testid="quality-tests">
        <caption>Collateral quality tests against the deal's limits</caption>
        {head}
        <tbody><TestRows tests={r.quality} /></tbody>
      </table>
      {r.quality.length === 0 && <Empty>The deal sets no collateral quality limits.</Empty>}
      <table className="list" aria-label="Coverage tests at the first payment date" data-testid="first-coverage">
        <caption>OC/IC tests at the first payment date ({r.coverage.date ?? '–'})</caption>
        {head}
        <tbody><TestRows tests={r.coverage.tests} /></tbody>
      </table>
    </>
  );
}

const GRID_DEFAULT = { cdr: '0,0.01,0.02,0.03,0.05,0.08', cpr: '0.1,0.2', recovery: '0.5,0.7' };
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean).map(Number);

function GridTab({ id, body, query }: { id: string; body: Record<string, unknown>; query: URLSearchParams }) {
  const { fmt } = useSession();
  const axes = { cdr: query.get('grid_cdr') ?? GRID_DEFAULT.cdr, cpr: query.get('grid_cpr') ?? GRID_DEFAULT.cpr, recovery: query.get('grid_recovery') ?? GRID_DEFAULT.recovery };
  const metric = query.get('metric') === 'irr' ? 'irr' : 'loss_pct';
  const q = useRun<Grid>(id, 'grid', { ...body, cdr: list(axes.cdr), cpr: list(axes.cpr), recovery: list(axes.recovery) });
  const option = useMemo(() => {
    const g = q.data;
    if (!g) return null;
    const tranches = g.scenarios[0]?.tranches.map((t) => t.name) ?? [];
    const rows = g.scenarios.map((s) => `CDR ${fmt.pct(s.cdr, 1)} · CPR ${fmt.pct(s.cpr, 0)} · rec. ${fmt.pct(s.recovery, 0)}`);
    const data = g.scenarios.flatMap((s, i) => s.tranches.map((t, j) => [j, i, t[metric] ?? null]));
    const values = data.map((d) => d[2]).filter((v): v is number => typeof v === 'number');
    return {
      tooltip: { formatter: (p: { value: [number, number, number | null] }) => tip`${rows[p.value[1]]}, tranche ${tranches[p.value[0]]}: ${fmt.pct(p.value[2])}` },
      grid: { left: 230, right: 30, top: 20, bottom: 70 },
      xAxis: { type: 'category', data: tranches, name: 'tranche' },
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
  }, [q.data, metric, fmt]);
  return (
    <>
      <form className="params" aria-label="Grid axes" onSubmit={(e) => e.preventDefault()}>
        {(['cdr', 'cpr', 'recovery'] as const).map((k) => (
          <label key={k}>
            {k.toUpperCase()} values
            <input defaultValue={axes[k]} aria-label={`${k} values`} onBlur={(e) => setQuery({ [`grid_${k}`]: e.target.value.trim() || null })} />
          </label>
        ))}
        <label>
          Show
          <select value={metric} onChange={(e) => setQuery({ metric: e.target.value })} aria-label="Grid metric">
            <option value="loss_pct">principal loss</option>
            <option value="irr">IRR</option>
          </select>
        </label>
      </form>
      {q.isLoading && <Loading what="the grid" />}
      <ErrorBox error={q.error} />
      {q.data && option && (
        <div data-testid="grid" data-points={q.data.points}>
          <Chart label={`Scenario grid: tranche ${metric === 'irr' ? 'IRRs' : 'principal losses'} over ${q.data.points} CDR, CPR and recovery scenarios`} option={option} height={Math.max(320, q.data.points * 26 + 110)} />
          <table className="sr-only" aria-label="Scenario grid values">
            <tbody>
              {q.data.scenarios.map((s, i) => s.tranches.map((t) => (
                <tr key={`${i}-${t.name}`} data-point={i} data-tranche={t.name}>
                  <td>{s.cdr}</td><td>{s.cpr}</td><td>{s.recovery}</td><td data-field={metric}>{fmt.pct(t[metric])}</td>
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
  const { fmt } = useSession();
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
      await followJob(job.id, (j) => setProgress(`${j.status} ${fmt.pct(j.progress ?? 0, 0)} ${j.message ?? ''}`), signal);
      const done = await api<Job>('GET', `/api/v1/jobs/${job.id}`);
      if (done.status !== 'succeeded') throw new ApiError(500, done.status, `the Monte Carlo job ${job.id} ${done.status}: ${done.error?.message ?? ''}`, [], '');
      return done.result as unknown as MonteCarlo;
    },
  });
  const log = query.get('log') === '1';
  const tranche = query.get('tranche') ?? q.data?.tranches[0]?.name ?? '';
  const chosen = q.data?.tranches.find((t) => t.name === tranche) ?? q.data?.tranches[0];
  const option = useMemo(() => {
    const h = chosen?.histogram;
    if (!h || !chosen) return null;
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 70, right: 30 },
      xAxis: { type: 'category', name: 'principal loss', data: h.counts.map((_, i) => `${fmt.pct(h.edges[i], 0)}–${fmt.pct(h.edges[i + 1], 0)}`), axisLabel: { rotate: 45 } },
      yAxis: log ? { type: 'log', name: 'scenarios (log)', min: 1 } : { type: 'value', name: 'scenarios' },
      // A log axis cannot show an empty bin: it is left out (null) rather than drawn at 1.
      series: [{ type: 'bar', name: chosen.name, data: log ? h.counts.map((c) => (c > 0 ? c : null)) : h.counts, barWidth: '90%' }],
    };
  }, [chosen, fmt, log]);
  return (
    <>
      <form className="params" aria-label="Monte Carlo settings" onSubmit={(e) => e.preventDefault()}>
        <label>Scenarios<input type="number" min={1} defaultValue={scenarios} aria-label="Scenarios" onBlur={(e) => setQuery({ scenarios: e.target.value || null })} /></label>
        <label>Seed<input type="number" min={0} defaultValue={seed} aria-label="Seed" onBlur={(e) => setQuery({ seed: e.target.value || null })} /></label>
        <label>Correlation<input type="number" step="any" min={0} max={0.99} defaultValue={correlation} aria-label="Asset correlation" onBlur={(e) => setQuery({ correlation: e.target.value || null })} /></label>
      </form>
      {q.isLoading && <Loading what={`${fmt.num(scenarios, 0)} Monte Carlo scenarios ${progress}`} />}
      <ErrorBox error={q.error} />
      {q.data && (
        <>
          <div className="kpis">
            <Kpi id="scenarios" label="Scenarios">{fmt.num(q.data.scenarios, 0)}</Kpi>
            <Kpi id="defaults" label="Mean cumulative defaults">{fmt.pct(q.data.mean_default_pct)}</Kpi>
            <Kpi id="equity" label="Equity IRR mean (5 % / 95 %)">{fmt.pct(q.data.equity_irr.mean)} ({fmt.pct(q.data.equity_irr.p5)} / {fmt.pct(q.data.equity_irr.p95)})</Kpi>
          </div>
          <table className="list" aria-label="Loss distribution by tranche" data-testid="mc-table">
            <thead>
              <tr><th>Tranche</th><th className="num">Expected loss</th><th className="num">PD</th><th className="num">VaR {fmt.pct(q.data.confidence, 0)}</th>
                <th className="num">ES</th><th className="num">Median</th><th className="num">90th pct.</th><th className="num">PV loss</th></tr>
            </thead>
            <tbody>
              {q.data.tranches.map((t) => (
                <tr key={t.name} data-tranche={t.name} aria-selected={t.name === chosen?.name}>
                  <td><button type="button" className="linkish" onClick={() => setQuery({ tranche: t.name })}>{t.name}</button></td>
                  <td className="num" data-field="expected_loss_pct">{fmt.pct(t.expected_loss_pct, 3)}</td>
                  <td className="num" data-field="pd">{fmt.pct(t.pd, 2)}</td>
                  <td className="num" data-field="var_pct">{fmt.pct(t.var_pct, 2)}</td>
                  <td className="num" data-field="es_pct">{fmt.pct(t.es_pct, 2)}</td>
                  <td className="num">{fmt.pct(t.p50_pct, 2)}</td>
                  <td className="num">{fmt.pct(t.p90_pct, 2)}</td>
                  <td className="num">{fmt.pct(t.expected_pv_loss_pct, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {option && chosen && (
            <figure data-testid="mc-histogram" data-tranche={chosen.name}>
              <Chart label={`Distribution of tranche ${chosen.name}'s principal loss over ${q.data.scenarios} scenarios, ${MC_BINS} bins of 5 %`} option={option} />
              <figcaption className="muted">
                Tranche {chosen.name}: scenarios by principal loss (share of the original balance); choose a tranche in the table.{' '}
                <label>
                  <input type="checkbox" checked={log} onChange={(e) => setQuery({ log: e.target.checked ? '1' : null })} /> log scale
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
  const { fmt } = useSession();
  const q = useQuery({ queryKey: ['clo-pool', id, version], queryFn: () => api<Collateral>('GET', `/api/v1/clo/deals/${seg(id)}/collateral?version=${version}`) });
  const [err, setErr] = useState<unknown>(null);
  const columns = useMemo<ColumnDef<Loan, unknown>[]>(
    () => [
      { accessorKey: 'obligor', header: 'Obligor' },
      { accessorKey: 'industry', header: 'Industry' },
      { accessorKey: 'par', header: 'Par', meta: { num: true }, cell: (c) => fmt.money(c.getValue() as number) },
      { accessorKey: 'price', header: 'Price (% of par)', meta: { num: true }, cell: (c) => fmt.num(c.getValue() as number, 2) },
      { accessorKey: 'coupon_type', header: 'Coupon' },
      { accessorKey: 'spread', header: 'Spread', meta: { num: true }, cell: (c) => fmt.pct(c.getValue() as number, 2) },
      { accessorKey: 'coupon', header: 'Fixed coupon', meta: { num: true }, cell: (c) => fmt.pct(c.getValue() as number, 2) },
      { accessorKey: 'maturity', header: 'Maturity' },
      { accessorKey: 'rating', header: 'Rating' },
      { accessorKey: 'lien', header: 'Lien' },
      { accessorKey: 'defaulted', header: 'Defaulted', cell: (c) => (c.getValue() ? 'yes' : '') },
    ],
    [fmt],
  );
  if (q.isLoading) return <Loading what="the collateral" />;
  if (q.error) return <ErrorBox error={q.error} />;
  const pool = q.data!;
  return (
    <>
      <div className="actions">
        <span className="muted">Version {pool.version}: {pool.loans} loans, par {fmt.money(pool.par)}</span>
        <button type="button" onClick={() => download(`/api/v1/clo/deals/${seg(id)}/collateral?version=${version}&format=csv`, safeFileName(`${name}_v${version}_collateral.csv`)).catch(setErr)}>
          Download CSV
        </button>
      </div>
      <ErrorBox error={err} />
      <DataTable data={pool.items} columns={columns} label="Collateral loans" />
    </>
  );
}

function VersionsTab({ versions, current }: { versions: Versions | undefined; current: number }) {
  const { fmt } = useSession();
  if (!versions) return <Loading what="the versions" />;
  return (
    <table className="list" aria-label="Versions" data-testid="versions">
      <thead>
        <tr><th className="num">Version</th><th>Change</th><th>Comment</th><th className="num">CDR</th><th className="num">CPR</th><th className="num">Recovery</th>
          <th className="num">Lag</th><th className="num">Loans</th><th className="num">Par</th><th>Created</th><th>By</th><th /></tr>
      </thead>
      <tbody>
        {versions.items.map((v) => (
          <tr key={v.version} data-version={v.version} aria-current={v.version === current ? 'true' : undefined}>
            <td className="num">{v.version}</td>
            <td>{v.change}</td>
            <td>{v.comment}</td>
            <td className="num">{fmt.pct(v.assumptions.cdr)}</td>
            <td className="num">{fmt.pct(v.assumptions.cpr)}</td>
            <td className="num">{fmt.pct(v.assumptions.recovery)}</td>
            <td className="num">{v.assumptions.recovery_lag_months}</td>
            <td className="num">{v.loans}</td>
            <td className="num">{fmt.money(v.collateral_par)}</td>
            <td>{v.created_at}</td>
            <td>{v.created_by}</td>
            <td>{v.version !== current && <button type="button" onClick={() => setQuery({ version: String(v.version), tab: 'waterfall' })}>Open</button>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
