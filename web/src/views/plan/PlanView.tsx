// Retirement planning: the plan's inputs (balance, horizon, withdrawal strategy and its
// parameters, return model, inflation, life events) live in the URL, so a plan can be bookmarked;
// Run sends three jobs with the same inputs and seed — the plan (POST /api/v1/plan/retire, with
// the safe withdrawal rate for target_success), every strategy side by side (/plan/compare) and
// the success rate against the withdrawal rate (/plan/sensitivity) — and shows their figures: the
// fan chart of balance percentiles, success rate, spending percentiles, the comparison and the
// sensitivity chart. Nothing is computed in the browser.
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { PlanCompareResult, PlanEvent, PlanPaths, PlanRetireResult, PlanSensitivityResult } from '../../api/types';
import { setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { tipLines } from '../../app/text';
import { choiceLabel, fieldLabel } from '../../app/i18n';
import { Chart } from '../../components/Chart';
import { bodyFrom, ParamControls } from '../../components/ParamControls';
import { ErrorBox, Loading } from '../../components/States';
import { EventsTable, readEvents } from './EventsTable';
import { runJob } from './jobs';

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

export function PlanView() {
  const { can, fmt, t } = useSession();
  const { query } = useLocation();
  // A plan that names no balance or withdrawal starts from the defaults, written into the address.
  useEffect(() => {
    const q = new URLSearchParams(location.search);
    const missing = Object.fromEntries(Object.entries(DEFAULTS).filter(([k]) => !q.has(k) && !(k === 'withdrawal_rate' && q.has('withdrawal'))));
    if (Object.keys(missing).length) setQuery(missing);
  }, []);
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
      <ParamControls schema="PlanRequest" fields={BASE} query={query} />
      <form className="params" aria-label={t('field.returns')} onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="param-returns" title={t('plan.returnsHelp')}>
          {fieldLabel(t, 'returns')}
          <input id="param-returns" list="return-models" defaultValue={query.get('returns') ?? 'normal:0.06,0.12'} style={{ width: 260 }}
            onBlur={(e) => setQuery({ returns: e.target.value.trim() || null })} />
          <datalist id="return-models">
            <option value="normal:0.06,0.12" />
            <option value="t:0.06,0.12,5" />
            <option value="mix:0.07,0.16,0.03,0.06,0.1" />
          </datalist>
        </label>
      </form>
      {strategy === 'guyton-klinger' && <ParamControls schema="PlanRequest" fields={GK} query={query} label={t('plan.gkParams')} />}
      {(strategy === 'floor-ceiling' || strategy === 'floor-and-ceiling') && <ParamControls schema="PlanRequest" fields={FC} query={query} label={t('plan.fcParams')} />}
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
                <div className="kpi" data-kpi="terminal_p50"><div className="kpi-label">{t('plan.kpi.p50')}</div><div className="kpi-value">{fmt.money(r.terminal.p50)}</div></div>
                <div className="kpi" data-kpi="terminal_p5"><div className="kpi-label">{t('plan.kpi.p5')}</div><div className="kpi-value">{fmt.money(r.terminal.p5)}</div></div>
              </div>
              <div data-testid="fan-chart"><FanChart paths={r.paths} label={t('plan.fan')} /></div>
              <SpendingChart spending={r.spending} />
              <PercentileTable balance={r.paths} spending={r.spending} />
            </>
          )}
          <h2>{t('plan.compare')}</h2>
          {compare.isLoading && <Loading what={t('plan.loading.compare')} />}
          <ErrorBox error={compare.error} />
          {compare.data && <CompareTable result={compare.data} />}
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
function FanChart({ paths, label }: { paths: PlanPaths; label: string }) {
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
            return tipLines([t('plan.tip.year', { year: paths.year[i] ?? '' }), `p95 ${fmt.money(paths.p95[i])}`, `p75 ${fmt.money(paths.p75[i])}`, `${t('plan.median')} ${fmt.money(paths.p50[i])}`,
              `p25 ${fmt.money(paths.p25[i])}`, `p5 ${fmt.money(paths.p5[i])}`]);
          },
        },
        legend: { data: ['5–95', '25–75', t('plan.median')] },
        xAxis: { type: 'category', name: t('plan.axis.year'), data: paths.year },
        yAxis: { type: 'value' },
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

function SpendingChart({ spending }: { spending: PlanPaths }) {
  const { t } = useSession();
  return (
    <Chart
      label={t('plan.spendingChart')}
      height={260}
      option={{
        tooltip: { trigger: 'axis' },
        legend: {},
        xAxis: { type: 'category', name: t('plan.axis.year'), data: spending.year },
        yAxis: { type: 'value' },
        series: (['p5', 'p25', 'p50', 'p75', 'p95'] as const).map((k) => ({ name: k, type: 'line', symbol: 'none', data: spending[k] })),
      }}
    />
  );
}

function PercentileTable({ balance, spending }: { balance: PlanPaths; spending: PlanPaths }) {
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
                  {(['p5', 'p25', 'p50', 'p75', 'p95'] as const).map((k) => <td key={k} className="num">{fmt.money(balance[k][i])}</td>)}
                  {(['p5', 'p50', 'p95'] as const).map((k) => <td key={k} className="num">{s < 0 ? '–' : fmt.money(spending[k][s])}</td>)}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function CompareTable({ result }: { result: PlanCompareResult }) {
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
              <td className="num">{fmt.money(row.first_year_spending_p50)}</td>
              <td className="num">{row.median_shortfall_year === null ? t('common.none') : fmt.num(row.median_shortfall_year, 1)}</td>
              <td className="num">{fmt.money(row.terminal.p5)}</td>
              <td className="num">{fmt.money(row.terminal.p50)}</td>
              <td className="num">{fmt.money(row.terminal.p95)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.skipped.map((s) => <div key={s.strategy} className="warning">{t('plan.cmp.skipped', { strategy: choiceLabel(t, 'strategy', s.strategy), problems: s.problems.join('; ') })}</div>)}
      <Chart
        label={t('plan.cmp.chart')}
        height={280}
        option={{
          tooltip: { trigger: 'axis' },
          legend: {},
          xAxis: { type: 'category', name: t('plan.axis.year'), data: result.rows[0]?.paths.year ?? [] },
          yAxis: { type: 'value' },
          series: result.rows.map((row) => ({ name: choiceLabel(t, 'strategy', row.strategy), type: 'line', symbol: 'none', data: row.paths.p50 })),
        }}
      />
    </>
  );
}

export type { PlanEvent };
