// Bank IRRBB (docs/alm.md): ALM sessions of the tenant with their time to live, expiry, last
// access, owner and sharing (the owner or an administrator shares or unshares one), a new
// session from an uploaded balance sheet (a CSV, or a zip of CSVs) and curve (or a stored curve),
// the reporting currency, a custom shock table, the NII periods (months from the as-of date or
// calendar months) and whether rows not alive on the as-of date are left out with a warning; a
// session's warnings, its EVE under the six supervisory shocks against the 15 % outlier line,
// NII over the horizon under parallel up and down against the 5 % test (and per period), the
// repricing gap on the 19 buckets, and its curves under every shock. Every figure is the API's
// JSON; the page formats and draws. URLs: /alm, /alm/sessions/ID?tab=eve|nii|gap|curves&currency=CCY&tier1=X.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, seg, type Schemas } from '../../api/client';
import type { paths } from '../../api/generated/schema';
import { navigate, setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import type { Key, PlainKey, Translate } from '../../app/i18n';
import { Chart } from '../../components/Chart';
import { Empty, ErrorBox, Loading } from '../../components/States';
import { Kpi } from '../../components/Kpi';
import { pickTab, Tabs } from '../../components/Tabs';
import { Problems, readFile } from './parts';
import { sessionWarnings, sheetField } from './sheet';
import { DeleteButton } from '../../components/DeleteButton';
import { mayManageSession, TTL_CHOICES, ttlChoices } from './ttl';

type SessionPage = paths['/api/v1/alm/sessions']['get']['responses'][200]['content']['application/json'];
type SessionInfo = Schemas['AlmSessionInfo'];
type Shown = Schemas['AlmSessionShown'];
type Eve = Schemas['AlmEveResult'];
type Nii = Schemas['AlmNiiResult'];
type Gap = Schemas['AlmGapResult'];
type Shocks = Schemas['AlmShocksResult'];
type StoredCurves = Schemas['AlmStoredCurves'];
type Limits = Schemas['AlmLimits'];

// Reporting currencies offered (any ISO code with a shock size, or in a custom shock table, works).
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK'];
const TTL_LABELS: Record<(typeof TTL_CHOICES)[number], PlainKey> = { 3600: 'alm.ttl.1h', 86400: 'alm.ttl.1d', 604800: 'alm.ttl.7d', 2592000: 'alm.ttl.30d' };
const SHOCKS = ['parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down'];

// A supervisory shock's words (parallel_up -> "Parallel up"); other names (a custom table's) as they are.
export const shockLabel = (t: Translate, name: string): string => {
  const k = `choice.shock.${name}`;
  return t.has(k) ? t(k as Key & `choice.shock.${string}`) : name;
};

export function AlmView({ path }: { path: string[] }) {
  const [, b, c] = path;
  if (b === 'sessions' && c) return <SessionView key={c} id={c} />;
  return <SessionsView />;
}

const ttlText = (t: Translate, fmt: { num: (x: number, d?: number) => string }, seconds: number): string =>
  seconds % 86400 === 0 ? t('alm.ttl.days', { n: fmt.num(seconds / 86400, 0) }) : seconds % 3600 === 0 ? t('alm.ttl.hours', { n: fmt.num(seconds / 3600, 0) }) : t('alm.ttl.seconds', { n: fmt.num(seconds, 0) });

function Ttl({ seconds }: { seconds: number }) {
  const { fmt, t } = useSession();
  return <>{ttlText(t, fmt, seconds)}</>;
}

// A lifetime choice's words: the usual ones by name ("7 days"), the server's own maximum in units.
function ttlLabel(t: Translate, fmt: { num: (x: number, d?: number) => string }, seconds: number): string {
  const key = (TTL_LABELS as Record<number, PlainKey | undefined>)[seconds];
  return key ? t(key) : ttlText(t, fmt, seconds);
}

function SessionsView() {
  const { can, fmt, me, t } = useSession();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['alm-sessions'], queryFn: () => api<SessionPage>('GET', '/api/v1/alm/sessions?limit=500') });
  const del = useMutation({
    mutationFn: (s: SessionInfo) => api('DELETE', `/api/v1/alm/sessions/${s.id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['alm-sessions'] }),
  });
  const share = useMutation({
    mutationFn: (s: SessionInfo) => api<SessionInfo>('PUT', `/api/v1/alm/sessions/${s.id}/sharing`, { body: { shared: !s.shared } }),
    onSuccess: (_, s) => {
      void qc.invalidateQueries({ queryKey: ['alm-sessions'] });
      void qc.invalidateQueries({ queryKey: ['alm-session', String(s.id)] });
    },
  });
  const manages = (s: SessionInfo) => !!me && mayManageSession(s, me, can('import_positions'));
  return (
    <section>
      <h1>{t('alm.title')}</h1>
      <p className="muted">
        {t('alm.intro')}
      </p>
      {list.isLoading && <Loading what={t('alm.loading.sessions')} />}
      <ErrorBox error={list.error ?? del.error ?? share.error} />
      {list.data && list.data.items.length === 0 && <Empty>{t(can('import_positions') ? 'alm.noneCreate' : 'alm.none')}</Empty>}
      {list.data && list.data.items.length > 0 && (
        <table className="list" aria-label={t('alm.sessions')}>
          <thead>
            <tr>
              <th>{t('common.name')}</th>
              <th className="num">{t('common.positions')}</th>
              <th>{t('common.asOf')}</th>
              <th>{t('common.currency')}</th>
              <th>{t('alm.curves')}</th>
              <th>{t('common.created')}</th>
              <th>{t('alm.ttl')}</th>
              <th>{t('alm.lastAccessed')}</th>
              <th>{t('alm.expires')}</th>
              <th>{t('alm.owner')}</th>
              <th>{t('alm.shared')}</th>
              <th className="num">{t('alm.size')}</th>
              <th>{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((s) => (
              <tr key={s.id} data-session={s.name}>
                <td>
                  <a href={`/alm/sessions/${s.id}`} onClick={(e) => { e.preventDefault(); navigate(`/alm/sessions/${s.id}`); }}>{s.name}</a>
                </td>
                <td className="num">{fmt.num(s.positions, 0)}</td>
                <td>{fmt.date(s.as_of)}</td>
                <td>{s.currency}</td>
                <td>{s.curves.join(', ')}</td>
                <td>{fmt.date(s.created_at)}</td>
                <td><Ttl seconds={s.ttl_seconds} /></td>
                <td data-field="last_accessed" data-iso={s.last_accessed}>{fmt.date(s.last_accessed)}</td>
                <td data-field="expires" data-iso={s.expires_at}>{fmt.date(s.expires_at)}</td>
                <td data-field="owner">{s.owner || <span className="muted">{t('alm.noOwner')}</span>}</td>
                <td data-field="shared">{t(s.shared ? 'alm.sharedYes' : 'alm.sharedNo')}</td>
                <td className="num">{t('alm.bytes', { n: fmt.num(s.size_bytes, 0) })}</td>
                <td className="actions">
                  {manages(s) && (
                    <button
                      type="button"
                      data-testid="share"
                      aria-pressed={s.shared}
                      aria-label={t(s.shared ? 'alm.unshareSession' : 'alm.shareSession', { name: s.name })}
                      disabled={share.isPending}
                      onClick={() => share.mutate(s)}
                    >
                      {t(s.shared ? 'alm.unshare' : 'alm.share')}
                    </button>
                  )}
                  {manages(s) && (
                    <DeleteButton
                      label={t('alm.deleteSession', { name: s.name })}
                      confirm={t('alm.confirmDelete', { name: s.name })}
                      onDelete={() => del.mutate(s)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('import_positions') ? <NewSession /> : <p className="muted">{t('alm.roleReads')}</p>}
    </section>
  );
}

function NewSession() {
  const { fmt, t } = useSession();
  const qc = useQueryClient();
  const curves = useQuery({ queryKey: ['alm-curves'], queryFn: () => api<StoredCurves>('GET', '/api/v1/alm/curves') });
  const limits = useQuery({ queryKey: ['alm-limits'], queryFn: () => api<Limits>('GET', '/api/v1/alm/limits'), staleTime: Infinity });
  const max = limits.data?.max_ttl_seconds;
  const ttls = ttlChoices(max);
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
  // The server's longest lifetime is its default: chosen until the person picks another.
  const [ttl, setTtl] = useState<number | null>(null);
  useEffect(() => {
    if (ttl !== null && max != null && ttl > max) setTtl(null);
  }, [ttl, max]);
  const ttlChosen = ttl ?? max ?? 604800;
  const [horizon, setHorizon] = useState('12');
  const [buckets, setBuckets] = useState<NiiBuckets>('anniversary');
  const [skipInactive, setSkipInactive] = useState(false);
  const create = useMutation({
    mutationFn: async () => {
      const file = sheet.current?.files?.[0];
      const body: Record<string, unknown> = { name: name.trim(), currency, nii_horizon_months: Number(horizon), nii_buckets: buckets, skip_inactive: skipInactive };
      // None chosen: the server's default (its longest).
      if (ttl !== null) body.ttl_seconds = ttl;
      // A CSV as text, a zip as base64 (balance_sheet_zip): never a zip decoded as text.
      if (file) Object.assign(body, await sheetField(file));
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
      // What reading the inputs noted (rows left out) comes with the creation only: kept for the
      // session's page, which shows it (createdWarningsKey).
      qc.setQueryData(createdWarningsKey(String(r.session.id)), r.warnings);
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
    <form onSubmit={submit} className="stack" aria-label={t('alm.newForm')}>
      <h2>{t('alm.new')}</h2>
      <div className="params">
        <label>{t('common.name')}<input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} /></label>
        <label>{t('alm.sheetCsv')}<input type="file" accept=".csv,.zip,text/csv,application/zip" ref={sheet} aria-label={t('alm.sheetFile')} /></label>
        <label>
          {t('alm.reportingCurrency')}
          <select value={currency} onChange={(e) => setCurrency(e.target.value)} aria-label={t('alm.reportingCurrency')}>
            {CURRENCIES.map((c) => <option key={c}>{c}</option>)}
          </select>
        </label>
        <label>{t('common.asOf')}<input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} aria-label={t('common.asOf')} /></label>
        <label>{t('alm.tier1')}<input inputMode="decimal" value={tier1} onChange={(e) => setTier1(e.target.value)} aria-label={t('alm.tier1Capital')} /></label>
        <label>
          {t('alm.horizon')}
          <input type="number" min={1} max={600} value={horizon} onChange={(e) => setHorizon(e.target.value)} aria-label={t('alm.horizonAria')} />
        </label>
        <label>
          {t('alm.ttl')}
          <select value={ttlChosen} onChange={(e) => setTtl(Number(e.target.value))} aria-label={t('alm.ttl')} data-testid="ttl">
            {!ttls.includes(ttlChosen) && <option value={ttlChosen}>{ttlLabel(t, fmt, ttlChosen)}</option>}
            {ttls.map((s) => <option key={s} value={s}>{ttlLabel(t, fmt, s)}</option>)}
          </select>
        </label>
        <label>
          {t('alm.niiBuckets')}
          <select value={buckets} onChange={(e) => setBuckets(e.target.value as NiiBuckets)} aria-label={t('alm.niiBuckets')} data-testid="nii-buckets">
            <option value="anniversary">{t('alm.niiBuckets.anniversary')}</option>
            <option value="calendar">{t('alm.niiBuckets.calendar')}</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={skipInactive} onChange={(e) => setSkipInactive(e.target.checked)} /> {t('alm.skipInactive')}
        </label>
        {max != null && <p className="muted small">{t('alm.ttlMax', { ttl: ttlLabel(t, fmt, max) })}</p>}
      </div>
      <fieldset className="params">
        <legend>{t('alm.curve')}</legend>
        <label><input type="radio" name="curve-source" checked={source === 'upload'} onChange={() => setSource('upload')} /> {t('alm.uploadFile')}</label>
        <label><input type="radio" name="curve-source" checked={source === 'stored'} onChange={() => setSource('stored')} /> {t('alm.aStoredCurve')}</label>
        {source === 'upload' ? (
          <>
            <label>{t('alm.curveCsv')}<input type="file" accept=".csv,text/csv" ref={curveFile} aria-label={t('alm.curveFile')} /></label>
            <label>
              {t('alm.quotedAs')}
              <select value={kind} onChange={(e) => setKind(e.target.value as 'zero' | 'par')} aria-label={t('alm.quotedAsAria')}>
                <option value="par">{t('alm.par')}</option>
                <option value="zero">{t('alm.zero')}</option>
              </select>
            </label>
            <label>
              {t('alm.ratesIn')}
              <select value={units} onChange={(e) => setUnits(e.target.value as 'decimal' | 'percent')} aria-label={t('alm.unitsAria')}>
                <option value="percent">{t('alm.percent')}</option>
                <option value="decimal">{t('alm.decimal')}</option>
              </select>
            </label>
          </>
        ) : (
          <label>
            {t('alm.storedCurve')}
            <select value={stored} onChange={(e) => setStored(e.target.value)} aria-label={t('alm.storedCurve')}>
              <option value="">{t('alm.choose')}</option>
              {curves.data?.items.map((c) => (
                <option key={`${c.name}|${c.as_of ?? ''}`} value={`${c.name}|${c.as_of ?? ''}`}>
                  {t('alm.storedOption', { name: c.name, date: c.as_of ?? '', currency: c.currency, kind: c.kind, count: c.points })}
                </option>
              ))}
            </select>
          </label>
        )}
      </fieldset>
      <div className="params">
        <label>
          <span>{t('alm.shockTable')} <code>currency,parallel_bp,short_bp,long_bp</code></span>
          <input type="file" accept=".csv,text/csv" ref={shockFile} aria-label={t('alm.shockFile')} />
        </label>
      </div>
      <button type="submit" className="primary" disabled={create.isPending}>{t('alm.create')}</button>
      {create.isPending && <Loading what={t('alm.loading.creating')} />}
      {err && <ErrorBox error={err instanceof ApiError ? new ApiError(err.status, err.code, err.message, [], err.requestId) : err} />}
      <Problems details={details} label={t('alm.uploadProblems')} />
    </form>
  );
}

const TABS = ['eve', 'nii', 'gap', 'curves'] as const;
type Tab = (typeof TABS)[number];
type NiiBuckets = Schemas['AlmSessionCreateRequest']['nii_buckets'] & string;

// The warnings of a session's creation, kept for its page (the creation's answer is their one copy).
const createdWarningsKey = (id: string) => ['alm-created-warnings', id] as const;

function Warnings({ warnings }: { warnings: string[] }) {
  const { t } = useSession();
  if (warnings.length === 0) return null;
  return (
    <ul className="warnings" aria-label={t('alm.warnings')} data-testid="alm-warnings">
      {warnings.map((w) => <li key={w} className="warning">{w}</li>)}
    </ul>
  );
}

function SessionView({ id }: { id: string }) {
  const { query } = useLocation();
  const { can, t, fmt } = useSession();
  const tab = pickTab(TABS, query.get('tab'));
  const labels = Object.fromEntries(TABS.map((k) => [k, t(`alm.tab.${k}`)])) as Record<Tab, string>;
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
  const created = useQuery<string[]>({ queryKey: createdWarningsKey(id), queryFn: skipToken, staleTime: Infinity });
  if (shown.isLoading) return <Loading what={t('alm.loading.session')} />;
  if (shown.error) return <ErrorBox error={shown.error} />;
  const s = shown.data!;
  const results = s.results;
  const warnings = rerun
    ? sessionWarnings(created.data, eve.data?.warnings, nii.data?.warnings)
    : sessionWarnings(created.data, results.eve?.warnings, results.nii?.warnings, results.gap?.warnings);
  return (
    <section>
      <div className="titlebar">
        <h1>{t('alm.session', { name: s.session.name })}</h1>
        <span className="muted">
          {t('alm.summary', { date: fmt.date(s.session.as_of), currency: s.session.currency, count: s.session.positions })} · {t('alm.ttlLower')} <Ttl seconds={s.session.ttl_seconds} /> · {t('alm.expiresLower')}{' '}
          <span data-testid="expires" data-iso={s.session.expires_at}>{fmt.date(s.session.expires_at)}</span> · {t('alm.lastAccessedLower')}{' '}
          <span data-testid="last-accessed" data-iso={s.session.last_accessed}>{fmt.date(s.session.last_accessed)}</span>
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => navigate('/alm')}>{t('alm.all')}</button>
      </div>
      {can('compute') && (
        <form className="inline" onSubmit={(e) => e.preventDefault()} aria-label={t('alm.rerun')}>
          <label htmlFor="tier1">{t('alm.tier1For')}</label>
          <input
            id="tier1"
            inputMode="decimal"
            defaultValue={tier1 ?? (s.session.settings as { tier1?: number | null }).tier1 ?? ''}
            onBlur={(e) => setQuery({ tier1: e.target.value.trim() || null })}
          />
          <span className="muted small">{t('alm.rerunHelp')}</span>
        </form>
      )}
      <Warnings warnings={warnings} />
      <Tabs tabs={TABS} labels={labels} current={tab} label={t('alm.analyses')}>
        {tab === 'eve' && <EveTab eve={rerun ? eve.data : results.eve} loading={rerun && eve.isLoading} error={eve.error} />}
        {tab === 'nii' && <NiiTab nii={rerun ? nii.data : results.nii} loading={rerun && nii.isLoading} error={nii.error} />}
        {tab === 'gap' && <GapTab gap={results.gap} />}
        {tab === 'curves' && <CurvesTab id={id} session={s.session} currency={query.get('currency') ?? s.session.currency} />}
      </Tabs>
    </section>
  );
}

function OutlierKpis({ test, name }: { test: Schemas['AlmOutlierTest']; name: string }) {
  const { fmt, t } = useSession();
  return (
    <>
      <Kpi id="tier1" label={t('alm.tier1')}>{fmt.money(test.tier1)}</Kpi>
      <Kpi id="ratio" label={t('alm.ratio', { name })}>{fmt.pct(test.ratio)}</Kpi>
      <Kpi id="limit" label={t('alm.limit', { threshold: fmt.pct(test.threshold, 0) })}>{fmt.money(test.limit)}</Kpi>
      <Kpi id="outlier" label={t('alm.outlier')}>
        {test.outlier === null ? <span className="muted">{t('alm.noTier1')}</span> : <span className={test.outlier ? 'zone zone-red' : 'zone zone-green'}>{test.outlier ? t('common.yes') : t('common.no')}</span>}
      </Kpi>
    </>
  );
}

function EveTab({ eve, loading, error }: { eve: Eve | undefined; loading: boolean; error: unknown }) {
  const { fmt, t } = useSession();
  const option = useMemo(() => {
    if (!eve) return null;
    const limit = eve.sot.limit;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.money(v) },
      grid: { left: 90, right: 30 },
      xAxis: { type: 'category', data: eve.scenarios.map((x) => shockLabel(t, x.name)), axisLabel: { rotate: 20 } },
      // The axis reaches the outlier line even when every decline is smaller.
      yAxis: { type: 'value', name: t('common.inCurrency', { label: 'ΔEVE', currency: eve.currency }), min: (v: { min: number }) => (limit == null ? v.min : Math.min(v.min, -limit)), axisLabel: { formatter: (v: number) => fmt.money(v) } },
      series: [
        {
          type: 'bar',
          name: t('alm.eve.regSeries'),
          data: eve.scenarios.map((x) => x.delta_regulatory),
          itemStyle: { color: '#0b5cad' },
          markLine: limit == null ? undefined : {
            symbol: 'none',
            data: [{ yAxis: -limit, name: t('alm.outlierLine'), label: { formatter: t('alm.outlierLineAt', { threshold: fmt.pct(eve.sot.threshold, 0) }), position: 'insideStartBottom' }, lineStyle: { color: '#c0392b', type: 'dashed' } }],
          },
        },
      ],
    };
  }, [eve, fmt, t]);
  if (loading) return <Loading what="EVE" />;
  if (error) return <ErrorBox error={error} />;
  if (!eve || !option) return <Empty>{t('alm.eve.none')}</Empty>;
  return (
    <>
      <div className="kpis" data-testid="eve-kpis">
        <Kpi id="base" label={t('alm.eve.base', { currency: eve.currency })}>{fmt.money(eve.base)}</Kpi>
        <Kpi id="worst" label={t('alm.worst', { name: shockLabel(t, eve.worst.name) })}>{fmt.money(eve.worst.delta)}</Kpi>
        <OutlierKpis test={eve.sot} name="EVE" />
      </div>
      <Chart label={t('alm.eve.chart', { threshold: fmt.pct(eve.sot.threshold, 0) })} option={option} />
      <table className="list" aria-label={t('alm.eve.table')} data-testid="eve-table">
        <thead>
          <tr>
            <th>{t('common.scenario')}</th>
            <th className="num">EVE</th>
            <th className="num">ΔEVE</th>
            <th className="num">{t('alm.eve.deltaReg')}</th>
            <th className="num">{t('alm.eve.pvAssets')}</th>
            <th className="num">{t('alm.eve.pvLiabilities')}</th>
            <th className="num">{t('alm.eve.standardised')}</th>
          </tr>
        </thead>
        <tbody>
          <tr data-scenario="base">
            <td>{shockLabel(t, 'base')}</td>
            <td className="num" data-field="eve">{fmt.money(eve.base)}</td>
            <td /><td />
            <td className="num">{fmt.money(eve.base_assets)}</td>
            <td className="num">{fmt.money(eve.base_liabilities)}</td>
            <td className="num">{fmt.money(eve.base_standardised)}</td>
          </tr>
          {eve.scenarios.map((x) => (
            <tr key={x.name} data-scenario={x.name}>
              <td>{shockLabel(t, x.name)}</td>
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
        <table className="list" aria-label={t('alm.eve.byCurrency')}>
          <caption>{t('alm.eve.byCurrencyCaption')}</caption>
          <thead>
            <tr>
              <th>{t('common.currency')}</th><th className="num">{t('common.positions')}</th><th className="num">{t('alm.fx')}</th><th className="num">{t('alm.eve.baseShort')}</th>
              {SHOCKS.map((k) => <th key={k} className="num">Δ {shockLabel(t, k)}</th>)}
            </tr>
          </thead>
          <tbody>
            {eve.currencies.map((c) => (
              <tr key={c.currency}>
                <td>{c.currency}</td>
                <td className="num">{fmt.num(c.positions, 0)}</td>
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
  const { fmt, t } = useSession();
  const monthly = useMemo(() => {
    if (!nii) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.money(v) },
      legend: { top: 0 },
      grid: { left: 90, right: 30, top: 40 },
      xAxis: { type: 'category', data: nii.monthly.map((m) => fmt.date(m.start)) },
      yAxis: { type: 'value', name: t('alm.nii.perMonth', { currency: nii.currency }), axisLabel: { formatter: (v: number) => fmt.money(v) } },
      series: [
        { type: 'line', name: shockLabel(t, 'base'), data: nii.monthly.map((m) => m.base) },
        { type: 'line', name: shockLabel(t, 'parallel_up'), data: nii.monthly.map((m) => m.parallel_up ?? null) },
        { type: 'line', name: shockLabel(t, 'parallel_down'), data: nii.monthly.map((m) => m.parallel_down ?? null) },
      ],
    };
  }, [nii, fmt, t]);
  const deltas = useMemo(() => {
    if (!nii) return null;
    const limit = nii.outlier_test.limit;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.money(v) },
      grid: { left: 90, right: 30 },
      xAxis: { type: 'category', data: nii.scenarios.map((x) => shockLabel(t, x.name)) },
      yAxis: { type: 'value', name: t('alm.nii.deltaOver', { count: nii.horizon_months }), min: (v: { min: number }) => (limit == null ? v.min : Math.min(v.min, -limit)), axisLabel: { formatter: (v: number) => fmt.money(v) } },
      series: [
        {
          type: 'bar',
          name: t('alm.nii.regSeries'),
          data: nii.scenarios.map((x) => x.delta_regulatory),
          barWidth: '30%',
          markLine: limit == null ? undefined : {
            symbol: 'none',
            data: [{ yAxis: -limit, name: t('alm.largeDecline'), label: { formatter: t('alm.largeDeclineAt', { threshold: fmt.pct(nii.outlier_test.threshold, 0) }), position: 'insideStartBottom' }, lineStyle: { color: '#c0392b', type: 'dashed' } }],
          },
        },
      ],
    };
  }, [nii, fmt, t]);
  if (loading) return <Loading what="NII" />;
  if (error) return <ErrorBox error={error} />;
  if (!nii || !monthly || !deltas) return <Empty>{t('alm.nii.none')}</Empty>;
  return (
    <>
      <div className="kpis" data-testid="nii-kpis">
        <Kpi id="base" label={t('alm.nii.base', { count: nii.horizon_months })}>{fmt.money(nii.base)}</Kpi>
        <Kpi id="worst" label={t('alm.worst', { name: shockLabel(t, nii.worst.name) })}>{fmt.money(nii.worst.delta)}</Kpi>
        <OutlierKpis test={nii.outlier_test} name="NII" />
      </div>
      <div className="grid2">
        <Chart label={t('alm.nii.monthlyChart', { count: nii.horizon_months })} option={monthly} />
        <Chart label={t('alm.nii.deltaChart', { threshold: fmt.pct(nii.outlier_test.threshold, 0) })} option={deltas} />
      </div>
      <table className="list" aria-label={t('alm.nii.table')} data-testid="nii-table">
        <thead>
          <tr><th>{t('common.scenario')}</th><th className="num">NII</th><th className="num">ΔNII</th><th className="num">{t('alm.nii.deltaReg')}</th><th className="num">{t('alm.nii.income')}</th><th className="num">{t('alm.nii.expense')}</th></tr>
        </thead>
        <tbody>
          <tr data-scenario="base">
            <td>{shockLabel(t, 'base')}</td><td className="num" data-field="nii">{fmt.money(nii.base)}</td><td /><td />
            <td className="num">{fmt.money(nii.base_income)}</td><td className="num">{fmt.money(nii.base_expense)}</td>
          </tr>
          {nii.scenarios.map((x) => (
            <tr key={x.name} data-scenario={x.name}>
              <td>{shockLabel(t, x.name)}</td>
              <td className="num" data-field="nii">{fmt.money(x.nii)}</td>
              <td className="num" data-field="delta">{fmt.money(x.delta)}</td>
              <td className="num" data-field="delta_regulatory">{fmt.money(x.delta_regulatory)}</td>
              <td className="num">{fmt.money(x.income)}</td>
              <td className="num">{fmt.money(x.expense)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <NiiPeriods nii={nii} />
    </>
  );
}

// NII per period of the horizon (monthly): each with its dates, since calendar months make stubs of
// uneven length (docs/alm.md "Periods"); `end` is the day after the period's last, as the API gives it.
function NiiPeriods({ nii }: { nii: Nii }) {
  const { fmt, t } = useSession();
  const split = nii.nii_buckets === 'calendar' || nii.nii_buckets === 'anniversary' ? t(`alm.niiBuckets.${nii.nii_buckets}`) : nii.nii_buckets;
  return (
    <table className="list" aria-label={t('alm.nii.periods')} data-testid="nii-periods" data-buckets={nii.nii_buckets}>
      <caption>{t('alm.nii.periodsCaption', { split })}</caption>
      <thead>
        <tr>
          <th className="num">{t('alm.nii.period')}</th><th>{t('alm.nii.dates')}</th>
          <th className="num">{shockLabel(t, 'base')}</th><th className="num">{shockLabel(t, 'parallel_up')}</th><th className="num">{shockLabel(t, 'parallel_down')}</th>
        </tr>
      </thead>
      <tbody>
        {nii.monthly.map((m) => (
          <tr key={m.month} data-period={m.month} data-start={m.start} data-end={m.end}>
            <td className="num">{fmt.num(m.month, 0)}</td>
            <td data-field="dates">{t('alm.nii.dateRange', { start: fmt.date(m.start), end: fmt.date(m.end) })}</td>
            <td className="num" data-field="base">{fmt.money(m.base)}</td>
            <td className="num">{fmt.money(m.parallel_up)}</td>
            <td className="num">{fmt.money(m.parallel_down)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function GapTab({ gap }: { gap: Gap | null | undefined }) {
  const { fmt, t } = useSession();
  const option = useMemo(() => {
    if (!gap) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.money(v) },
      legend: { top: 0 },
      grid: { left: 90, right: 30, top: 40, bottom: 70 },
      xAxis: { type: 'category', data: gap.buckets.map((b) => b.name), axisLabel: { rotate: 45 } },
      yAxis: { type: 'value', name: gap.currency, axisLabel: { formatter: (v: number) => fmt.money(v) } },
      series: [
        { type: 'bar', name: t('alm.gap.assetsSeries'), data: gap.buckets.map((b) => b.assets) },
        { type: 'bar', name: t('alm.gap.liabilitiesSeries'), data: gap.buckets.map((b) => b.liabilities) },
        { type: 'line', name: t('alm.gap.gapSeries'), data: gap.buckets.map((b) => b.gap) },
        { type: 'line', name: t('alm.gap.cumSeries'), data: gap.buckets.map((b) => b.cumulative_gap), lineStyle: { type: 'dashed' } },
      ],
    };
  }, [gap, fmt, t]);
  if (!gap || !option) return <Empty>{t('alm.gap.none')}</Empty>;
  return (
    <>
      <Chart label={t('alm.gap.chart')} option={option} height={360} />
      <table className="list" aria-label={t('alm.gap.table')} data-testid="gap-table">
        <thead>
          <tr><th>{t('alm.bucket')}</th><th className="num">{t('alm.midpointYears')}</th><th className="num">{t('alm.gap.assets')}</th><th className="num">{t('alm.gap.liabilities')}</th><th className="num">{t('alm.gap.gap')}</th><th className="num">{t('alm.gap.cum')}</th></tr>
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
  const { fmt, t } = useSession();
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
      xAxis: { type: 'value', name: t('alm.curves.years'), min: 0 },
      yAxis: { type: 'value', name: t('alm.curves.zeroRate'), axisLabel: { formatter: (v: number) => fmt.pct(v, 1) } },
      series: [
        ...names.map((n) => ({
          type: 'line',
          name: shockLabel(t, n),
          showSymbol: false,
          lineStyle: n === 'base' ? { width: 3 } : undefined,
          data: d.buckets.map((b) => [b.midpoint_years, b.rates?.[n] ?? null]),
        })),
        { type: 'line', name: t('alm.curves.floor'), showSymbol: false, lineStyle: { type: 'dotted' }, data: d.buckets.map((b) => [b.midpoint_years, b.floor ?? null]) },
      ],
    };
  }, [q.data, fmt, t]);
  return (
    <>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="shock-currency">{t('common.currency')}</label>
        <select id="shock-currency" value={currency} onChange={(e) => setQuery({ currency: e.target.value })}>
          {session.curves.map((c) => <option key={c}>{c}</option>)}
        </select>
      </form>
      {q.isLoading && <Loading what={t('alm.loading.curves')} />}
      <ErrorBox error={q.error} />
      {q.data && option && (
        <>
          <p className="muted">
            {t('alm.curves.sizes', { currency: q.data.currency, parallel: fmt.num(q.data.sizes.parallel_bp, 0), short: fmt.num(q.data.sizes.short_bp, 0), long: fmt.num(q.data.sizes.long_bp, 0), source: q.data.source, floor: t(q.data.floor ? 'alm.curves.applied' : 'alm.curves.off') })}
          </p>
          <Chart label={t('alm.curves.chart', { currency: q.data.currency })} option={option} height={380} />
          <table className="list" aria-label={t('alm.curves.table')} data-testid="shock-table">
            <thead>
              <tr>
                <th>{t('alm.bucket')}</th><th className="num">{t('alm.midpoint')}</th><th className="num">{t('alm.baseRate')}</th>
                {SHOCKS.map((k) => <th key={k} className="num">{shockLabel(t, k)} (bp)</th>)}
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
