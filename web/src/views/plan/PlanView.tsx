// Retirement planning: the plan's inputs (balance, horizon, withdrawal strategy and its
// parameters, return model, inflation, life events) live in the URL, so a plan can be bookmarked;
// Run sends three jobs with the same inputs and seed — the plan (POST /api/v1/plan/retire, with
// the safe withdrawal rate for target_success), every strategy side by side (/plan/compare) and
// the success rate against the withdrawal rate (/plan/sensitivity) — and shows their figures: the
// fan chart of balance percentiles, success rate, spending percentiles, the comparison and the
// sensitivity chart. Nothing is computed in the browser.
// Rates are typed in percent (4 for 0.04; the URL and the API keep fractions), the return model as
// a distribution with its mean and volatility in percent (returnModel.ts builds the formula), and a
// plan without a balance starts from the user's net worth (GET /api/v1/networth, seed.ts), said
// with its date; every amount carries the plan's currency (the net worth's, or as chosen).
import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { NetworthResult, PlanCompareResult, PlanEvent, PlanPaths, PlanRetireResult, PlanSensitivityResult } from '../../api/types';
import { DEFAULT_CURRENCY } from '../../app/format';
import { labelOf } from '../../app/labels';
import { parsePercent } from '../../app/percent';
import { setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { tipLines } from '../../app/text';
import { choiceLabel, fieldLabel } from '../../app/i18n';
import { Chart } from '../../components/Chart';
import { bodyFrom, ParamControls } from '../../components/ParamControls';
import { ErrorBox, Loading } from '../../components/States';
import { EventsTable, readEvents } from './EventsTable';
import { runJob } from './jobs';
import { buildReturnModel, DEFAULT_RETURNS, DISTRIBUTIONS, modelProblems, parseReturnModel, withDistribution, type Distribution, type ReturnModel } from './returnModel';
import { balanceText, networthSeed, type NetworthSeed } from './seed';

const BASE = ['balance', 'years', 'retirement_year', 'contribution', 'withdrawal_rate', 'withdrawal', 'strategy', 'inflation', 'allocation', 'trials', 'seed', 'target_success'];
const GK = ['gk_upper', 'gk_lower', 'gk_cut', 'gk_raise', 'gk_final_years'];
const FC = ['floor', 'ceiling'];
const ALL = [...BASE, ...GK, ...FC, 'returns', 'income', 'inflation_sd', 'monthly'];
// A first withdrawal rate for a plan that names none (the sensitivity varies it).
const DEFAULTS: Record<string, string> = { balance: '1000000', withdrawal_rate: '0.04' };
const SENSITIVITY_RATES = [0.02, 0.025, 0.03, 0.035, 0.04, 0.045, 0.05, 0.055, 0.06, 0.065, 0.07];
const NO_SWR = ['vpw', 'constant-percentage'];

function planBody(query: URLSearchParams): Record<string, unknown> {
  const q = new URLSearchParams(query);
  for (const [k, v] of Object.entries(DEFAULTS)) if (!q.has(k) && !(k === 'withdrawal_rate' && q.has('withdrawal'))) q.set(k, v);
  const body = bodyFrom('PlanRequest', ALL.filter((f) => f !== 'returns' && f !== 'monthly'), q);
  if (q.get('returns')) body.returns = q.get('returns');
  if (q.get('monthly') === 'true') body.monthly = true;
  const events = readEvents(q);
  if (events.length) body.events = events;
  return body;
}

// The amounts' fields, labelled with the plan's currency.
const AMOUNTS = ['balance', 'contribution', 'withdrawal', 'income'];

export function PlanView() {
  const { can, fmt, t } = useSession();
  const { query } = useLocation();
  // The user's net worth (every ledger account together): the balance a plan starts from.
  const networth = useQuery({ queryKey: ['networth', 'plan'], queryFn: () => api<NetworthResult>('GET', '/api/v1/networth'), retry: false });
  const seed = networthSeed(networth.data);
  // A plan that names no balance starts from the net worth (else the default), one that names no
  // withdrawal from the default rate, written into the address once the net worth has answered.
  const seeded = useRef(false);
  useEffect(() => {
    if (seeded.current || networth.isLoading) return;
    seeded.current = true;
    const q = new URLSearchParams(location.search);
    const missing: Record<string, string> = Object.fromEntries(Object.entries(DEFAULTS).filter(([k]) => !q.has(k) && !(k === 'withdrawal_rate' && q.has('withdrawal'))));
    if (missing.balance !== undefined && seed) missing.balance = balanceText(seed.balance);
    if (Object.keys(missing).length) setQuery(missing);
  }, [networth.isLoading, seed]);
  const currency = query.get('currency') || seed?.currency || DEFAULT_CURRENCY;
  const units = Object.fromEntries(AMOUNTS.map((f) => [f, currency]));
  const strategy = query.get('strategy') ?? 'constant-dollar';
  const ran = query.get('run') === '1';
  const body = planBody(query);
  const retireBody = { ...body };
  if (NO_SWR.includes(strategy)) delete retireBody.target_success;
  else if (retireBody.target_success === undefined) retireBody.target_success = 0.9;
  const compareBody = { ...retireBody };
  delete compareBody.strategy;
  const sensBody: Record<string, unknown> = { ...body, vary: 'withdrawal-rate', values: SENSITIVITY_RATES };
  delete sensBody.target_success;
  const enabled = ran && can('compute');
  const retire = useQuery({ queryKey: ['plan', 'retire', retireBody], queryFn: ({ signal }) => runJob<PlanRetireResult>('/api/v1/plan/retire', retireBody, signal, t), enabled, staleTime: Infinity, retry: false });
  const compare = useQuery({ queryKey: ['plan', 'compare', compareBody], queryFn: ({ signal }) => runJob<PlanCompareResult>('/api/v1/plan/compare', compareBody, signal, t), enabled, staleTime: Infinity, retry: false });
  const sens = useQuery({ queryKey: ['plan', 'sens', sensBody], queryFn: ({ signal }) => runJob<PlanSensitivityResult>('/api/v1/plan/sensitivity', sensBody, signal, t), enabled, staleTime: Infinity, retry: false });
  const r = retire.data;
  return (
    <section>
      <h1>{t('plan.title')}</h1>
      <p className="muted">
        {t('plan.intro')}
      </p>
      <h2>{t('plan.inputs')}</h2>
      <ParamControls schema="PlanRequest" fields={BASE} query={query} percent units={units} />
      <SeedNote seed={seed} balance={query.get('balance')} />
      <CurrencyInput currency={currency} />
      <ReturnModelInput formula={query.get('returns')} />
      {strategy === 'guyton-klinger' && <ParamControls schema="PlanRequest" fields={GK} query={query} label={t('plan.gkParams')} percent />}
      {(strategy === 'floor-ceiling' || strategy === 'floor-and-ceiling') && <ParamControls schema="PlanRequest" fields={FC} query={query} label={t('plan.fcParams')} percent />}
      <EventsTable query={query} />
      {can('compute') ? (
        <div className="actions">
          <button type="button" className="primary" onClick={() => setQuery({ run: '1' })}>{ran ? t('plan.following') : t('plan.run')}</button>
        </div>
      ) : (
        <div className="error" role="alert">{t('state.notAllowed')}{t('plan.notAllowed')}</div>
      )}
      {ran && (
        <>
          <h2>{t('plan.results')}</h2>
          {retire.isLoading && <Loading what={t('plan.loading.plan')} />}
          <ErrorBox error={retire.error} />
          {r && (
            <>
              <div className="kpis" data-testid="plan-kpis" aria-label={t('plan.figures')}>
                <div className="kpi" data-kpi="success"><div className="kpi-label">{t('plan.kpi.success', { count: r.trials, lives: fmt.num(r.trials, 0) })}</div><div className="kpi-value">{fmt.pct(r.success_rate, 1)} <span className="muted small">± {fmt.pct(r.success_standard_error, 1)}</span></div></div>
                <div className="kpi" data-kpi="swr"><div className="kpi-label">{r.target_success !== undefined ? t('plan.kpi.swrAt', { success: fmt.pct(r.target_success, 0) }) : t('plan.kpi.swr')}</div><div className="kpi-value">{r.safe_withdrawal_rate === null ? '–' : fmt.pct(r.safe_withdrawal_rate, 2)}</div></div>
                <div className="kpi" data-kpi="shortfall"><div className="kpi-label">{t('plan.kpi.shortfall')}</div><div className="kpi-value">{r.median_shortfall_year === null ? t('common.none') : fmt.num(r.median_shortfall_year, 1)}</div></div>
                <div className="kpi" data-kpi="terminal_p50"><div className="kpi-label">{t('plan.kpi.p50')}</div><div className="kpi-value">{fmt.money(r.terminal.p50, currency)}</div></div>
                <div className="kpi" data-kpi="terminal_p5"><div className="kpi-label">{t('plan.kpi.p5')}</div><div className="kpi-value">{fmt.money(r.terminal.p5, currency)}</div></div>
              </div>
              <div data-testid="fan-chart"><FanChart paths={r.paths} label={t('plan.fan')} currency={currency} /></div>
              <SpendingChart spending={r.spending} currency={currency} />
              <PercentileTable balance={r.paths} spending={r.spending} currency={currency} />
            </>
          )}
          <h2>{t('plan.compare')}</h2>
          {compare.isLoading && <Loading what={t('plan.loading.compare')} />}
          <ErrorBox error={compare.error} />
          {compare.data && <CompareTable result={compare.data} currency={currency} />}
          <h2>{t('plan.sens')}</h2>
          {sens.isLoading && <Loading what={t('plan.loading.sens')} />}
          <ErrorBox error={sens.error} />
          {sens.data && (
            <div data-testid="sensitivity-chart"><Chart
              label={t('plan.sensChart', { strategy: choiceLabel(t, 'strategy', String(sens.data.inputs.strategy)) })}
              height={280}
              option={{
                tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.pct(v as number, 1) },
                xAxis: { type: 'category', name: t('plan.axis.rate'), data: sens.data.rows.map((row) => fmt.pct(row.value, 1)) },
                yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => fmt.pct(v, 0) } },
                series: [{ name: t('plan.axis.success'), type: 'line', data: sens.data.rows.map((row) => row.success_rate) }],
              }}
            /></div>
          )}
        </>
      )}
    </section>
  );
}

// The fan: the 5–95 and 25–75 bands are drawn as stacked areas (each band's thickness is what
// ECharts stacks); the tooltip and the table show the API's percentiles themselves.
function FanChart({ paths, label, currency }: { paths: PlanPaths; label: string; currency: string }) {
  const { fmt, t } = useSession();
  const diff = (a: (number | null)[], b: (number | null)[]) => a.map((x, i) => (x ?? 0) - (b[i] ?? 0));
  const band = (name: string, data: (number | null)[], opacity: number) => ({ name, type: 'line', stack: 'fan', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { opacity }, data, tooltip: { show: false } });
  return (
    <Chart
      label={label}
      option={{
        tooltip: {
          trigger: 'axis',
          formatter: (items: { dataIndex: number }[]) => {
            const i = items[0]?.dataIndex ?? 0;
            return tipLines([t('plan.tip.year', { year: paths.year[i] ?? '' }), `p95 ${fmt.money(paths.p95[i], currency)}`, `p75 ${fmt.money(paths.p75[i], currency)}`, `${t('plan.median')} ${fmt.money(paths.p50[i], currency)}`,
              `p25 ${fmt.money(paths.p25[i], currency)}`, `p5 ${fmt.money(paths.p5[i], currency)}`]);
          },
        },
        legend: { data: ['5–95', '25–75', t('plan.median')] },
        xAxis: { type: 'category', name: t('plan.axis.year'), data: paths.year },
        yAxis: { type: 'value', name: currency },
        color: ['transparent', '#0b5cad', '#0b5cad', '#0b5cad', '#e36209'],
        series: [
          { ...band('base', paths.p5, 0), areaStyle: { opacity: 0 } },
          band('5–95', diff(paths.p25, paths.p5), 0.15),
          band('25–75', diff(paths.p75, paths.p25), 0.35),
          band('5–95 ', diff(paths.p95, paths.p75), 0.15),
          { name: t('plan.median'), type: 'line', symbol: 'none', data: paths.p50, lineStyle: { width: 2 } },
        ],
      }}
    />
  );
}

function SpendingChart({ spending, currency }: { spending: PlanPaths; currency: string }) {
  const { fmt, t } = useSession();
  return (
    <Chart
      label={t('plan.spendingChart')}
      height={260}
      option={{
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.money(v as number, currency) },
        legend: {},
        xAxis: { type: 'category', name: t('plan.axis.year'), data: spending.year },
        yAxis: { type: 'value', name: currency },
        series: (['p5', 'p25', 'p50', 'p75', 'p95'] as const).map((k) => ({ name: k, type: 'line', symbol: 'none', data: spending[k] })),
      }}
    />
  );
}

function PercentileTable({ balance, spending, currency }: { balance: PlanPaths; spending: PlanPaths; currency: string }) {
  const { fmt, t } = useSession();
  return (
    <details>
      <summary>{t('plan.pct.summary')}</summary>
      <div className="scroller" tabIndex={0} role="region" aria-label={t('table.scrollable', { label: t('plan.pct.table') })}>
        <table className="list" aria-label={t('plan.pct.table')}>
          <thead>
            <tr><th>{t('field.year')}</th><th className="num">{t('plan.pct.balance')}</th><th className="num">p25</th><th className="num">p50</th><th className="num">p75</th><th className="num">p95</th><th className="num">{t('plan.pct.spending')}</th><th className="num">p50</th><th className="num">p95</th></tr>
          </thead>
          <tbody>
            {balance.year.map((y, i) => {
              const s = spending.year.indexOf(y);
              return (
                <tr key={y} data-year={y}>
                  <td>{y}</td>
                  {(['p5', 'p25', 'p50', 'p75', 'p95'] as const).map((k) => <td key={k} className="num">{fmt.money(balance[k][i], currency)}</td>)}
                  {(['p5', 'p50', 'p95'] as const).map((k) => <td key={k} className="num">{s < 0 ? '–' : fmt.money(spending[k][s], currency)}</td>)}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function CompareTable({ result, currency }: { result: PlanCompareResult; currency: string }) {
  const { fmt, t } = useSession();
  return (
    <>
      <table className="list" aria-label={t('plan.cmp.table')}>
        <thead>
          <tr><th>{t('field.strategy')}</th><th className="num">{t('plan.cmp.success')}</th><th className="num">{t('plan.cmp.safe')}</th><th className="num">{t('plan.cmp.first')}</th><th className="num">{t('plan.cmp.shortfall')}</th><th className="num">{t('plan.cmp.p5')}</th><th className="num">{t('plan.cmp.p50')}</th><th className="num">{t('plan.cmp.p95')}</th></tr>
        </thead>
        <tbody>
          {result.rows.map((row) => (
            <tr key={row.strategy} data-strategy={row.strategy}>
              <td>{choiceLabel(t, 'strategy', row.strategy)}</td>
              <td className="num" data-field="success">{fmt.pct(row.success_rate, 1)}</td>
              <td className="num" data-field="swr">{row.safe_withdrawal_rate === null ? '–' : fmt.pct(row.safe_withdrawal_rate, 2)}</td>
              <td className="num">{fmt.money(row.first_year_spending_p50, currency)}</td>
              <td className="num">{row.median_shortfall_year === null ? t('common.none') : fmt.num(row.median_shortfall_year, 1)}</td>
              <td className="num">{fmt.money(row.terminal.p5, currency)}</td>
              <td className="num">{fmt.money(row.terminal.p50, currency)}</td>
              <td className="num">{fmt.money(row.terminal.p95, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.skipped.map((s) => <div key={s.strategy} className="warning">{t('plan.cmp.skipped', { strategy: choiceLabel(t, 'strategy', s.strategy), problems: s.problems.join('; ') })}</div>)}
      <Chart
        label={t('plan.cmp.chart')}
        height={280}
        option={{
          tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.money(v as number, currency) },
          legend: {},
          xAxis: { type: 'category', name: t('plan.axis.year'), data: result.rows[0]?.paths.year ?? [] },
          yAxis: { type: 'value', name: currency },
          series: result.rows.map((row) => ({ name: choiceLabel(t, 'strategy', row.strategy), type: 'line', symbol: 'none', data: row.paths.p50 })),
        }}
      />
    </>
  );
}

// Where the balance came from: the net worth on its date (the plan started from it), or, once the
// person typed another figure, the net worth beside it with a button to start from it again.
function SeedNote({ seed, balance }: { seed: NetworthSeed | null; balance: string | null }) {
  const { fmt, t } = useSession();
  if (!seed) return null;
  const amount = fmt.money(seed.balance, seed.currency, 2);
  const date = fmt.date(seed.date);
  if (balance !== null && Number(balance) === Number(balanceText(seed.balance))) {
    return <p className="muted" data-testid="plan-seed" data-seeded="true">{t('plan.seed.from', { date, amount })}</p>;
  }
  return (
    <p className="muted" data-testid="plan-seed" data-seeded="false">
      {t('plan.seed.other', { date, amount })}{' '}
      <button type="button" onClick={() => setQuery({ balance: balanceText(seed.balance) })}>{t('plan.seed.use')}</button>
    </p>
  );
}

// The currency the plan's amounts are in: a label only (the plan computes in one money); the net
// worth's by default.
function CurrencyInput({ currency }: { currency: string }) {
  const { t } = useSession();
  return (
    <form className="params" aria-label={t('plan.currency')} onSubmit={(e) => e.preventDefault()}>
      <label htmlFor="plan-currency" title={t('plan.currencyHelp')}>
        {t('plan.currency')}
        <input id="plan-currency" key={currency} defaultValue={currency} maxLength={3} size={4} pattern="[A-Za-z]{3}" style={{ width: 70 }}
          onBlur={(e) => {
            const c = e.target.value.trim().toUpperCase();
            if (/^[A-Z]{3}$/.test(c)) setQuery({ currency: c });
          }} />
      </label>
    </form>
  );
}

// The return model: a distribution and its figures in percent a year, sent as the API's formula
// (shown under the inputs). A formula these inputs cannot show (bootstrap) stays a text field.
function ReturnModelInput({ formula }: { formula: string | null }) {
  const { t } = useSession();
  const current = formula ?? DEFAULT_RETURNS;
  const model = parseReturnModel(current);
  const [problems, setProblems] = useState<string[]>([]);
  const put = (m: ReturnModel) => {
    const ps = modelProblems(m);
    setProblems(ps.map((p) => t(`plan.rm.problem.${p}`)));
    if (ps.length) return;
    const next = buildReturnModel(m);
    if (next !== current) setQuery({ returns: next === DEFAULT_RETURNS && formula === null ? null : next });
  };
  if (!model) {
    return (
      <form className="params" aria-label={fieldLabel(t, 'returns')} onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="param-returns" title={t('plan.returnsHelp')}>
          {fieldLabel(t, 'returns')}
          <input id="param-returns" key={current} defaultValue={current} style={{ width: 260 }}
            onBlur={(e) => setQuery({ returns: e.target.value.trim() || null })} />
        </label>
        <button type="button" onClick={() => setQuery({ returns: null })}>{t('plan.rm.reset')}</button>
      </form>
    );
  }
  // A percent input of the model: the figure typed in percent, kept when it reads as a number.
  const pctInput = (key: 'mean' | 'volatility' | 'bondMean' | 'bondVolatility', label: string, value: number) => (
    <label htmlFor={`rm-${key}`}>
      {t('params.withUnit', { label, unit: '%' })}
      <input id={`rm-${key}`} key={`${key}=${value}`} type="number" step="any" defaultValue={String(value)}
        min={key === 'volatility' || key === 'bondVolatility' ? 0 : undefined}
        onBlur={(e) => {
          const n = parsePercent(e.target.value);
          put({ ...model, [key]: n === null ? Number.NaN : n });
        }} />
    </label>
  );
  const mix = model.distribution === 'mix';
  return (
    <form className="params" aria-label={fieldLabel(t, 'returns')} onSubmit={(e) => e.preventDefault()} data-testid="return-model">
      <label htmlFor="rm-distribution" title={t('plan.returnsHelp')}>
        {t('plan.rm.distribution')}
        <select id="rm-distribution" value={model.distribution} onChange={(e) => put(withDistribution(model, e.target.value as Distribution))}>
          {DISTRIBUTIONS.map((d) => <option key={d} value={d}>{labelOf(t, 'returnModel', d)}</option>)}
        </select>
      </label>
      {pctInput('mean', mix ? t('plan.rm.stockMean') : t('plan.rm.mean'), model.mean)}
      {pctInput('volatility', mix ? t('plan.rm.stockVolatility') : t('plan.rm.volatility'), model.volatility)}
      {model.distribution === 't' && (
        <label htmlFor="rm-df">
          {t('plan.rm.df')}
          <input id="rm-df" key={`df=${model.df}`} type="number" step="any" min={2} defaultValue={String(model.df)}
            onBlur={(e) => put({ ...model, df: e.target.value.trim() === '' ? Number.NaN : Number(e.target.value) })} />
        </label>
      )}
      {mix && pctInput('bondMean', t('plan.rm.bondMean'), model.bondMean!)}
      {mix && pctInput('bondVolatility', t('plan.rm.bondVolatility'), model.bondVolatility!)}
      {mix && (
        <label htmlFor="rm-correlation">
          {t('plan.rm.correlation')}
          <input id="rm-correlation" key={`c=${model.correlation}`} type="number" step="any" min={-1} max={1} defaultValue={String(model.correlation)}
            onBlur={(e) => put({ ...model, correlation: e.target.value.trim() === '' ? Number.NaN : Number(e.target.value) })} />
        </label>
      )}
      <span className="muted small rm-formula">{t('plan.rm.sent')} <code data-testid="returns-formula">{current}</code></span>
      {problems.length > 0 && <div className="error" role="alert">{problems.join(' ')}</div>}
    </form>
  );
}

export type { PlanEvent };
