// Bank IRRBB (docs/alm.md): ALM sessions of the tenant with their time to live and expiry, a new
// session from an uploaded balance sheet and curve (or a stored curve), the reporting currency, a
// custom shock table; a session's EVE under the six supervisory shocks against the 15 % outlier line,
// NII over the horizon under parallel up and down against the 5 % test, the repricing gap on the 19
// buckets, and its curves under every shock. Every figure is the API's JSON; the page formats and
// draws. URLs: /alm, /alm/sessions/ID?tab=eve|nii|gap|curves&currency=CCY&tier1=X.
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, seg, type Schemas } from '../../api/client';
import type { paths } from '../../api/generated/schema';
import { navigate, setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { Chart } from '../../components/Chart';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { Kpi } from '../../components/Kpi';
import { pickTab, Tabs } from '../../components/Tabs';
import { Problems, readFile } from './parts';

type SessionPage = paths['/api/v1/alm/sessions']['get']['responses'][200]['content']['application/json'];
type SessionInfo = Schemas['AlmSessionInfo'];
type Shown = Schemas['AlmSessionShown'];
type Eve = Schemas['AlmEveResult'];
type Nii = Schemas['AlmNiiResult'];
type Gap = Schemas['AlmGapResult'];
type Shocks = Schemas['AlmShocksResult'];
type StoredCurves = Schemas['AlmStoredCurves'];

// Reporting currencies offered (any ISO code with a shock size, or in a custom shock table, works).
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK'];
const TTLS: [string, number][] = [['1 hour', 3600], ['1 day', 86400], ['7 days', 604800], ['30 days', 2592000]];
const SHOCKS = ['parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down'];

const iso = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');

export function AlmView({ path }: { path: string[] }) {
  const [, b, c] = path;
  if (b === 'sessions' && c) return <SessionView key={c} id={c} />;
  return <SessionsView />;
}

function Ttl({ seconds }: { seconds: number }) {
  const { fmt } = useSession();
  return <>{seconds % 86400 === 0 ? `${fmt.num(seconds / 86400, 0)} d` : seconds % 3600 === 0 ? `${fmt.num(seconds / 3600, 0)} h` : `${fmt.num(seconds, 0)} s`}</>;
}

function SessionsView() {
  const { can, fmt } = useSession();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['alm-sessions'], queryFn: () => api<SessionPage>('GET', '/api/v1/alm/sessions?limit=500') });
  const del = useMutation({
    mutationFn: (s: SessionInfo) => api('DELETE', `/api/v1/alm/sessions/${s.id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['alm-sessions'] }),
  });
  return (
    <section>
      <h1>Bank IRRBB: ALM sessions</h1>
      <p className="muted">
        A session keeps an uploaded balance sheet and its curves in the store with the results of EVE, NII and the repricing gap. It expires after its time
        to live without use; the server deletes expired sessions by itself.
      </p>
      {list.isLoading && <Loading what="sessions" />}
      <ErrorBox error={list.error ?? del.error} />
      {list.data && list.data.items.length === 0 && <Empty>No ALM sessions{can('import_positions') ? ': create one below.' : '.'}</Empty>}
      {list.data && list.data.items.length > 0 && (
        <table className="list" aria-label="ALM sessions">
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Positions</th>
              <th>As of</th>
              <th>Currency</th>
              <th>Curves</th>
              <th>Created</th>
              <th>Time to live</th>
              <th>Expires</th>
              <th className="num">Size</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((s) => (
              <tr key={s.id} data-session={s.name}>
                <td>
                  <a href={`/alm/sessions/${s.id}`} onClick={(e) => { e.preventDefault(); navigate(`/alm/sessions/${s.id}`); }}>{s.name}</a>
                </td>
                <td className="num">{s.positions}</td>
                <td>{s.as_of ?? '–'}</td>
                <td>{s.currency}</td>
                <td>{s.curves.join(', ')}</td>
                <td>{s.created_at}</td>
                <td><Ttl seconds={s.ttl_seconds} /></td>
                <td data-field="expires">{iso(s.expires_at)}</td>
                <td className="num">{fmt.num(s.size_bytes, 0)} B</td>
                <td className="actions">
                  {can('import_positions') && (
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Delete session ${s.name}`}
                      onClick={() => {
                        if (window.confirm(`Delete ALM session ${s.name}?`)) del.mutate(s);
                      }}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('import_positions') ? <NewSession /> : <p className="muted">Your role reads sessions; analysts and above create them.</p>}
    </section>
  );
}

function NewSession() {
  const qc = useQueryClient();
  const curves = useQuery({ queryKey: ['alm-curves'], queryFn: () => api<StoredCurves>('GET', '/api/v1/alm/curves') });
  const sheet = useRef<HTMLInputElement>(null);
  const curveFile = useRef<HTMLInputElement>(null);
  const shockFile = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [source, setSource] = useState<'upload' | 'stored'>('upload');
  const [kind, setKind] = useState<'zero' | 'par'>('par');
  const [units, setUnits] = useState<'decimal' | 'percent'>('percent');
  const [stored, setStored] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [asOf, setAsOf] = useState('');
  const [tier1, setTier1] = useState('');
  const [ttl, setTtl] = useState(604800);
  const [horizon, setHorizon] = useState('12');
  const create = useMutation({
    mutationFn: async () => {
      const balance = await readFile(sheet.current);
      const body: Record<string, unknown> = { name: name.trim(), currency, ttl_seconds: ttl, nii_horizon_months: Number(horizon) };
      if (balance !== null) body.balance_sheet = balance;
      if (asOf) body.as_of = asOf;
      if (tier1) body.tier1 = Number(tier1);
      if (source === 'upload') {
        const text = await readFile(curveFile.current);
        if (text !== null) body.curves = [{ currency, text, kind, units }];
      } else {
        const c = curves.data?.items.find((x) => `${x.name}|${x.as_of ?? ''}` === stored);
        if (c) body.curves = [{ currency: c.currency, stored: c.name, ...(c.as_of ? { date: c.as_of } : {}) }];
      }
      const shocks = await readFile(shockFile.current);
      if (shocks !== null) body.shock_table = shocks;
      return api<Schemas['AlmSessionCreated']>('POST', '/api/v1/alm/sessions', { body });
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['alm-sessions'] });
      navigate(`/alm/sessions/${r.session.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const err = create.error;
  const details = err instanceof ApiError ? err.details : [];
  return (
    <form onSubmit={submit} className="stack" aria-label="New ALM session">
      <h2>New session</h2>
      <div className="params">
        <label>Name<input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} /></label>
        <label>Balance sheet (CSV)<input type="file" accept=".csv,text/csv" ref={sheet} aria-label="Balance sheet file" /></label>
        <label>
          Reporting currency
          <select value={currency} onChange={(e) => setCurrency(e.target.value)} aria-label="Reporting currency">
            {CURRENCIES.map((c) => <option key={c}>{c}</option>)}
          </select>
        </label>
        <label>As of<input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} aria-label="As of" /></label>
        <label>Tier 1<input inputMode="decimal" value={tier1} onChange={(e) => setTier1(e.target.value)} aria-label="Tier 1 capital" /></label>
        <label>
          NII horizon (months)
          <input type="number" min={1} max={600} value={horizon} onChange={(e) => setHorizon(e.target.value)} aria-label="NII horizon in months" />
        </label>
        <label>
          Time to live
          <select value={ttl} onChange={(e) => setTtl(Number(e.target.value))} aria-label="Time to live">
            {TTLS.map(([l, s]) => <option key={s} value={s}>{l}</option>)}
          </select>
        </label>
      </div>
      <fieldset className="params">
        <legend>Curve</legend>
        <label><input type="radio" name="curve-source" checked={source === 'upload'} onChange={() => setSource('upload')} /> Upload a file</label>
        <label><input type="radio" name="curve-source" checked={source === 'stored'} onChange={() => setSource('stored')} /> A stored curve</label>
        {source === 'upload' ? (
          <>
            <label>Curve (CSV tenor,rate)<input type="file" accept=".csv,text/csv" ref={curveFile} aria-label="Curve file" /></label>
            <label>
              Quoted as
              <select value={kind} onChange={(e) => setKind(e.target.value as 'zero' | 'par')} aria-label="Curve quoted as">
                <option value="par">par yields</option>
                <option value="zero">zero rates</option>
              </select>
            </label>
            <label>
              Rates in
              <select value={units} onChange={(e) => setUnits(e.target.value as 'decimal' | 'percent')} aria-label="Curve rate units">
                <option>percent</option>
                <option>decimal</option>
              </select>
            </label>
          </>
        ) : (
          <label>
            Stored curve
            <select value={stored} onChange={(e) => setStored(e.target.value)} aria-label="Stored curve">
              <option value="">(choose)</option>
              {curves.data?.items.map((c) => (
                <option key={`${c.name}|${c.as_of ?? ''}`} value={`${c.name}|${c.as_of ?? ''}`}>
                  {c.name} {c.as_of ?? ''} ({c.currency}, {c.kind}, {c.points} tenors)
                </option>
              ))}
            </select>
          </label>
        )}
      </fieldset>
      <div className="params">
        <label>
          Custom shock table (CSV currency,parallel_bp,short_bp,long_bp; optional)
          <input type="file" accept=".csv,text/csv" ref={shockFile} aria-label="Shock table file" />
        </label>
      </div>
      <button type="submit" className="primary" disabled={create.isPending}>Create session</button>
      {create.isPending && <Loading what="the session (parsing and running EVE, NII and the gap)" />}
      {err && <ErrorBox error={err instanceof ApiError ? new ApiError(err.status, err.code, err.message, [], err.requestId) : err} />}
      <Problems details={details} label="Problems of the upload" />
    </form>
  );
}

const TABS = ['eve', 'nii', 'gap', 'curves'] as const;
type Tab = (typeof TABS)[number];
const LABELS: Record<Tab, string> = { eve: 'EVE', nii: 'NII', gap: 'Repricing gap', curves: 'Shocked curves' };

function SessionView({ id }: { id: string }) {
  const { query } = useLocation();
  const { can } = useSession();
  const tab = pickTab(TABS, query.get('tab'));
  const tier1 = query.get('tier1');
  const shown = useQuery({ queryKey: ['alm-session', id], queryFn: () => api<Shown>('GET', `/api/v1/alm/sessions/${seg(id)}`) });
  // With ?tier1= (a computation) the runs are redone on the session's inputs with that Tier 1.
  const rerun = !!tier1 && can('compute');
  const eve = useQuery({
    queryKey: ['alm-eve', id, tier1],
    queryFn: () => api<Eve>('GET', `/api/v1/alm/sessions/${seg(id)}/eve?tier1=${encodeURIComponent(tier1!)}`),
    enabled: rerun,
  });
  const nii = useQuery({
    queryKey: ['alm-nii', id, tier1],
    queryFn: () => api<Nii>('GET', `/api/v1/alm/sessions/${seg(id)}/nii?tier1=${encodeURIComponent(tier1!)}`),
    enabled: rerun,
  });
  if (shown.isLoading) return <Loading what="the session" />;
  if (shown.error) return <ErrorBox error={shown.error} />;
  const s = shown.data!;
  const results = s.results;
  return (
    <section>
      <div className="titlebar">
        <h1>ALM session {s.session.name}</h1>
        <span className="muted">
          as of {s.session.as_of ?? '–'} · {s.session.currency} · {s.session.positions} positions · time to live <Ttl seconds={s.session.ttl_seconds} /> · expires{' '}
          <span data-testid="expires">{iso(s.session.expires_at)}</span>
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => navigate('/alm')}>All sessions</button>
      </div>
      {can('compute') && (
        <form className="inline" onSubmit={(e) => e.preventDefault()} aria-label="Rerun">
          <label htmlFor="tier1">Tier 1 for the outlier tests</label>
          <input
            id="tier1"
            inputMode="decimal"
            defaultValue={tier1 ?? (s.session.settings as { tier1?: number | null }).tier1 ?? ''}
            onBlur={(e) => setQuery({ tier1: e.target.value.trim() || null })}
          />
          <span className="muted small">a change reruns EVE and NII on the session's inputs</span>
        </form>
      )}
      <Tabs tabs={TABS} labels={LABELS} current={tab} label="IRRBB analyses">
        {tab === 'eve' && <EveTab eve={rerun ? eve.data : results.eve} loading={rerun && eve.isLoading} error={eve.error} />}
        {tab === 'nii' && <NiiTab nii={rerun ? nii.data : results.nii} loading={rerun && nii.isLoading} error={nii.error} />}
        {tab === 'gap' && <GapTab gap={results.gap} />}
        {tab === 'curves' && <CurvesTab id={id} session={s.session} currency={query.get('currency') ?? s.session.currency} />}
      </Tabs>
    </section>
  );
}

function OutlierKpis({ test, name }: { test: Schemas['AlmOutlierTest']; name: string }) {
  const { fmt } = useSession();
  return (
    <>
      <Kpi id="tier1" label="Tier 1">{fmt.money(test.tier1)}</Kpi>
      <Kpi id="ratio" label={`${name}: worst decline / Tier 1`}>{fmt.pct(test.ratio)}</Kpi>
      <Kpi id="limit" label={`Outlier line (${fmt.pct(test.threshold, 0)} of Tier 1)`}>{fmt.money(test.limit)}</Kpi>
      <Kpi id="outlier" label="Outlier">
        {test.outlier === null ? <span className="muted">no Tier 1</span> : <span className={test.outlier ? 'zone zone-red' : 'zone zone-green'}>{test.outlier ? 'yes' : 'no'}</span>}
      </Kpi>
    </>
  );
}

function EveTab({ eve, loading, error }: { eve: Eve | undefined; loading: boolean; error: unknown }) {
  const { fmt } = useSession();
  const option = useMemo(() => {
    if (!eve) return null;
    const limit = eve.sot.limit;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.money(v) },
      grid: { left: 90, right: 30 },
      xAxis: { type: 'category', data: eve.scenarios.map((x) => x.name), axisLabel: { rotate: 20 } },
      // The axis reaches the outlier line even when every decline is smaller.
      yAxis: { type: 'value', name: `ΔEVE (${eve.currency})`, min: (v: { min: number }) => (limit == null ? v.min : Math.min(v.min, -limit)), axisLabel: { formatter: (v: number) => fmt.money(v) } },
      series: [
        {
          type: 'bar',
          name: 'ΔEVE, regulatory',
          data: eve.scenarios.map((x) => x.delta_regulatory),
          itemStyle: { color: '#0b5cad' },
          markLine: limit == null ? undefined : {
            symbol: 'none',
            data: [{ yAxis: -limit, name: 'outlier line', label: { formatter: `outlier line: −${fmt.pct(eve.sot.threshold, 0)} of Tier 1`, position: 'insideStartBottom' }, lineStyle: { color: '#c0392b', type: 'dashed' } }],
          },
        },
      ],
    };
  }, [eve, fmt]);
  if (loading) return <Loading what="EVE" />;
  if (error) return <ErrorBox error={error} />;
  if (!eve || !option) return <Empty>No EVE result stored in this session.</Empty>;
  return (
    <>
      <div className="kpis" data-testid="eve-kpis">
        <Kpi id="base" label={`Base EVE (${eve.currency})`}>{fmt.money(eve.base)}</Kpi>
        <Kpi id="worst" label={`Worst: ${eve.worst.name}`}>{fmt.money(eve.worst.delta)}</Kpi>
        <OutlierKpis test={eve.sot} name="EVE" />
      </div>
      <Chart label={`ΔEVE under the six supervisory shocks, with the outlier line at ${fmt.pct(eve.sot.threshold, 0)} of Tier 1`} option={option} />
      <table className="list" aria-label="EVE by scenario" data-testid="eve-table">
        <thead>
          <tr>
            <th>Scenario</th>
            <th className="num">EVE</th>
            <th className="num">ΔEVE</th>
            <th className="num">ΔEVE regulatory</th>
            <th className="num">PV assets</th>
            <th className="num">PV liabilities</th>
            <th className="num">EVE standardised</th>
          </tr>
        </thead>
        <tbody>
          <tr data-scenario="base">
            <td>base</td>
            <td className="num" data-field="eve">{fmt.money(eve.base)}</td>
            <td /><td />
            <td className="num">{fmt.money(eve.base_assets)}</td>
            <td className="num">{fmt.money(eve.base_liabilities)}</td>
            <td className="num">{fmt.money(eve.base_standardised)}</td>
          </tr>
          {eve.scenarios.map((x) => (
            <tr key={x.name} data-scenario={x.name}>
              <td>{x.name}</td>
              <td className="num" data-field="eve">{fmt.money(x.eve)}</td>
              <td className="num" data-field="delta">{fmt.money(x.delta)}</td>
              <td className="num" data-field="delta_regulatory">{fmt.money(x.delta_regulatory)}</td>
              <td className="num">{fmt.money(x.assets)}</td>
              <td className="num">{fmt.money(x.liabilities)}</td>
              <td className="num">{fmt.money(x.eve_standardised)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {eve.currencies.length > 1 && (
        <table className="list" aria-label="EVE by currency">
          <caption>By currency (own currency)</caption>
          <thead>
            <tr>
              <th>Currency</th><th className="num">Positions</th><th className="num">FX</th><th className="num">Base EVE</th>
              {SHOCKS.map((k) => <th key={k} className="num">Δ {k}</th>)}
            </tr>
          </thead>
          <tbody>
            {eve.currencies.map((c) => (
              <tr key={c.currency}>
                <td>{c.currency}</td>
                <td className="num">{c.positions}</td>
                <td className="num">{fmt.num(c.fx_rate, 4)}</td>
                <td className="num">{fmt.money(c.base)}</td>
                {SHOCKS.map((k) => <td key={k} className="num">{fmt.money(c.scenarios.find((x) => x.name === k)?.delta)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function NiiTab({ nii, loading, error }: { nii: Nii | undefined; loading: boolean; error: unknown }) {
  const { fmt } = useSession();
  const monthly = useMemo(() => {
    if (!nii) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.money(v) },
      legend: { top: 0 },
      grid: { left: 90, right: 30, top: 40 },
      xAxis: { type: 'category', data: nii.monthly.map((m) => m.start) },
      yAxis: { type: 'value', name: `NII per month (${nii.currency})`, axisLabel: { formatter: (v: number) => fmt.money(v) } },
      series: [
        { type: 'line', name: 'base', data: nii.monthly.map((m) => m.base) },
        { type: 'line', name: 'parallel_up', data: nii.monthly.map((m) => m.parallel_up ?? null) },
        { type: 'line', name: 'parallel_down', data: nii.monthly.map((m) => m.parallel_down ?? null) },
      ],
    };
  }, [nii, fmt]);
  const deltas = useMemo(() => {
    if (!nii) return null;
    const limit = nii.outlier_test.limit;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.money(v) },
      grid: { left: 90, right: 30 },
      xAxis: { type: 'category', data: nii.scenarios.map((x) => x.name) },
      yAxis: { type: 'value', name: `ΔNII over ${nii.horizon_months} months`, min: (v: { min: number }) => (limit == null ? v.min : Math.min(v.min, -limit)), axisLabel: { formatter: (v: number) => fmt.money(v) } },
      series: [
        {
          type: 'bar',
          name: 'ΔNII, regulatory',
          data: nii.scenarios.map((x) => x.delta_regulatory),
          barWidth: '30%',
          markLine: limit == null ? undefined : {
            symbol: 'none',
            data: [{ yAxis: -limit, name: 'large decline', label: { formatter: `large decline: −${fmt.pct(nii.outlier_test.threshold, 0)} of Tier 1`, position: 'insideStartBottom' }, lineStyle: { color: '#c0392b', type: 'dashed' } }],
          },
        },
      ],
    };
  }, [nii, fmt]);
  if (loading) return <Loading what="NII" />;
  if (error) return <ErrorBox error={error} />;
  if (!nii || !monthly || !deltas) return <Empty>No NII result stored in this session.</Empty>;
  return (
    <>
      <div className="kpis" data-testid="nii-kpis">
        <Kpi id="base" label={`Base NII, ${nii.horizon_months} months`}>{fmt.money(nii.base)}</Kpi>
        <Kpi id="worst" label={`Worst: ${nii.worst.name}`}>{fmt.money(nii.worst.delta)}</Kpi>
        <OutlierKpis test={nii.outlier_test} name="NII" />
      </div>
      <div className="grid2">
        <Chart label={`Monthly NII over ${nii.horizon_months} months under base, parallel up and parallel down`} option={monthly} />
        <Chart label={`ΔNII under parallel up and down, with the large-decline line at ${fmt.pct(nii.outlier_test.threshold, 0)} of Tier 1`} option={deltas} />
      </div>
      <table className="list" aria-label="NII by scenario" data-testid="nii-table">
        <thead>
          <tr><th>Scenario</th><th className="num">NII</th><th className="num">ΔNII</th><th className="num">ΔNII regulatory</th><th className="num">Income</th><th className="num">Expense</th></tr>
        </thead>
        <tbody>
          <tr data-scenario="base">
            <td>base</td><td className="num" data-field="nii">{fmt.money(nii.base)}</td><td /><td />
            <td className="num">{fmt.money(nii.base_income)}</td><td className="num">{fmt.money(nii.base_expense)}</td>
          </tr>
          {nii.scenarios.map((x) => (
            <tr key={x.name} data-scenario={x.name}>
              <td>{x.name}</td>
              <td className="num" data-field="nii">{fmt.money(x.nii)}</td>
              <td className="num" data-field="delta">{fmt.money(x.delta)}</td>
              <td className="num" data-field="delta_regulatory">{fmt.money(x.delta_regulatory)}</td>
              <td className="num">{fmt.money(x.income)}</td>
              <td className="num">{fmt.money(x.expense)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function GapTab({ gap }: { gap: Gap | null | undefined }) {
  const { fmt } = useSession();
  const option = useMemo(() => {
    if (!gap) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.money(v) },
      legend: { top: 0 },
      grid: { left: 90, right: 30, top: 40, bottom: 70 },
      xAxis: { type: 'category', data: gap.buckets.map((b) => b.name), axisLabel: { rotate: 45 } },
      yAxis: { type: 'value', name: gap.currency, axisLabel: { formatter: (v: number) => fmt.money(v) } },
      series: [
        { type: 'bar', name: 'assets', data: gap.buckets.map((b) => b.assets) },
        { type: 'bar', name: 'liabilities', data: gap.buckets.map((b) => b.liabilities) },
        { type: 'line', name: 'gap', data: gap.buckets.map((b) => b.gap) },
        { type: 'line', name: 'cumulative gap', data: gap.buckets.map((b) => b.cumulative_gap), lineStyle: { type: 'dashed' } },
      ],
    };
  }, [gap, fmt]);
  if (!gap || !option) return <Empty>No repricing gap stored in this session.</Empty>;
  return (
    <>
      <Chart label="Repricing gap: assets and liabilities repricing in each of the 19 BCBS buckets, the gap and the cumulative gap" option={option} height={360} />
      <table className="list" aria-label="Repricing gap by bucket" data-testid="gap-table">
        <thead>
          <tr><th>Bucket</th><th className="num">Midpoint (years)</th><th className="num">Assets</th><th className="num">Liabilities</th><th className="num">Gap</th><th className="num">Cumulative gap</th></tr>
        </thead>
        <tbody>
          {gap.buckets.map((b) => (
            <tr key={b.name} data-bucket={b.name}>
              <td>{b.name}</td>
              <td className="num">{fmt.num(b.midpoint_years, 4)}</td>
              <td className="num">{fmt.money(b.assets)}</td>
              <td className="num">{fmt.money(b.liabilities)}</td>
              <td className="num" data-field="gap">{fmt.money(b.gap)}</td>
              <td className="num" data-field="cumulative_gap">{fmt.money(b.cumulative_gap)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function CurvesTab({ id, session, currency }: { id: string; session: SessionInfo; currency: string }) {
  const { fmt } = useSession();
  const q = useQuery({
    queryKey: ['alm-shocks', id, currency],
    queryFn: () => api<Shocks>('GET', `/api/v1/alm/sessions/${seg(id)}/shocks?currency=${encodeURIComponent(currency)}`),
  });
  const option = useMemo(() => {
    const d = q.data;
    if (!d) return null;
    const names = ['base', ...SHOCKS];
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.pct(v, 3) },
      legend: { top: 0 },
      grid: { left: 70, right: 30, top: 50 },
      xAxis: { type: 'value', name: 'years', min: 0 },
      yAxis: { type: 'value', name: 'zero rate', axisLabel: { formatter: (v: number) => fmt.pct(v, 1) } },
      series: [
        ...names.map((n) => ({
          type: 'line',
          name: n,
          showSymbol: false,
          lineStyle: n === 'base' ? { width: 3 } : undefined,
          data: d.buckets.map((b) => [b.midpoint_years, b.rates?.[n] ?? null]),
        })),
        { type: 'line', name: 'floor', showSymbol: false, lineStyle: { type: 'dotted' }, data: d.buckets.map((b) => [b.midpoint_years, b.floor ?? null]) },
      ],
    };
  }, [q.data, fmt]);
  return (
    <>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="shock-currency">Currency</label>
        <select id="shock-currency" value={currency} onChange={(e) => setQuery({ currency: e.target.value })}>
          {session.curves.map((c) => <option key={c}>{c}</option>)}
        </select>
      </form>
      {q.isLoading && <Loading what="the shocked curves" />}
      <ErrorBox error={q.error} />
      {q.data && option && (
        <>
          <p className="muted">
            Shock sizes {q.data.currency}: parallel {fmt.num(q.data.sizes.parallel_bp, 0)} bp, short {fmt.num(q.data.sizes.short_bp, 0)} bp, long{' '}
            {fmt.num(q.data.sizes.long_bp, 0)} bp ({q.data.source}); post-shock floor {q.data.floor ? 'applied' : 'off'}.
          </p>
          <Chart label={`The session's ${q.data.currency} zero curve and the six shocked curves at the 19 bucket midpoints, with the post-shock floor`} option={option} height={380} />
          <table className="list" aria-label="Shocks by bucket" data-testid="shock-table">
            <thead>
              <tr>
                <th>Bucket</th><th className="num">Midpoint</th><th className="num">Base rate</th>
                {SHOCKS.map((k) => <th key={k} className="num">{k} (bp)</th>)}
              </tr>
            </thead>
            <tbody>
              {q.data.buckets.map((b) => (
                <tr key={b.name} data-bucket={b.name}>
                  <td>{b.name}</td>
                  <td className="num">{fmt.num(b.midpoint_years, 4)}</td>
                  <td className="num" data-field="base">{fmt.pct(b.rates?.base, 3)}</td>
                  {SHOCKS.map((k) => <td key={k} className="num" data-field={k}>{fmt.num(b.shift_bp[k], 1)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
