// Optimize a portfolio (docs/construction.md): the objective, the estimation inputs and the
// constraints as controls whose choices and ranges come from OptimizeRequest, all in the URL; the
// optimum (POST …/optimize) with its figures, the solver's status and gap and the binding
// constraints; the efficient frontier (POST …/optimize/frontier) with the book's point and the
// optimum on it; the weights before and after and the risk contributions. An infeasible problem
// shows the API's message and the constraints it names. "Rebalance" carries the same parameters to
// the rebalance view, which asks for the same optimum.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { OptimizeFrontierResult, OptimizeResult } from '../../api/types';
import { choiceLabel } from '../../app/i18n';
import { navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { Chart } from '../../components/Chart';
import { Kpi } from '../../components/Kpi';
import { ParamControls } from '../../components/ParamControls';
import { ErrorBox, Loading } from '../../components/States';
import { beforeAfterBars, constraintFields, frontierBody, frontierPoints, inputFields, isInfeasible, objectiveOf, optimizeBody, weightRows } from './construct';

// The optimum of the URL's parameters, cached by its body: the rebalance view asks for the same one.
export function useOptimize(portfolio: string, body: Record<string, unknown>, enabled = true) {
  const { can } = useSession();
  return useQuery({
    queryKey: ['optimize', portfolio, body],
    queryFn: () => api<OptimizeResult>('POST', `/api/v1/portfolios/${seg(portfolio)}/optimize`, { body }),
    enabled: enabled && can('compute'),
  });
}

// A tiny figure (a duality gap, a residual) in the locale's scientific notation.
function useSci() {
  const { fmt } = useSession();
  return useMemo(() => {
    const f = new Intl.NumberFormat(fmt.locale, { notation: 'scientific', maximumFractionDigits: 2 });
    return (x: number | null | undefined) => (typeof x !== 'number' || !Number.isFinite(x) ? '–' : x === 0 ? fmt.num(0, 0) : f.format(x));
  }, [fmt]);
}

// An optimize or frontier error: an infeasible problem says so above the API's message and details.
export function ProblemError({ error, testId }: { error: unknown; testId: string }) {
  const { t } = useSession();
  if (!error) return null;
  if (!isInfeasible(error)) return <ErrorBox error={error} />;
  return (
    <div data-testid={testId}>
      <h3>{t('construct.infeasible')}</h3>
      <p className="muted">{t('construct.infeasibleHelp')}</p>
      <ErrorBox error={error} />
    </div>
  );
}

export function OptimizeView({ portfolio }: { portfolio: string }) {
  const { can, t } = useSession();
  const { query } = useLocation();
  useTitle(t('construct.optimize.docTitle', { name: portfolio }));
  const objective = objectiveOf(query);
  const body = optimizeBody(query);
  const fbody = frontierBody(query);
  const opt = useOptimize(portfolio, body);
  const front = useQuery({
    queryKey: ['frontier', portfolio, fbody],
    queryFn: () => api<OptimizeFrontierResult>('POST', `/api/v1/portfolios/${seg(portfolio)}/optimize/frontier`, { body: fbody }),
    enabled: can('compute'),
  });
  if (!can('compute')) return <div className="error" role="alert">{t('state.notAllowed')}{t('construct.notAllowed')}</div>;
  const rebalance = () => {
    const q = new URLSearchParams(query);
    q.set('target', 'optimize');
    navigate(`/portfolios/${seg(portfolio)}/rebalance?${q.toString()}`);
  };
  return (
    <section>
      <div className="titlebar">
        <h1>{t('construct.optimize.title', { name: portfolio })}</h1>
        <span className="spacer" />
        <button type="button" onClick={() => navigate(`/portfolios/${seg(portfolio)}`)}>{t('construct.dashboard')}</button>
        <button type="button" className="primary" onClick={rebalance} disabled={!opt.data}>{t('construct.toRebalance')}</button>
      </div>
      <h2>{t('construct.objective')}</h2>
      <ParamControls schema="OptimizeRequest" fields={inputFields(objective, query)} query={query} label={t('construct.objective')} />
      <h2>{t('construct.constraints')}</h2>
      <ParamControls schema="OptimizeRequest" fields={constraintFields(objective)} query={query} label={t('construct.constraints')} />
      {opt.isLoading && <Loading what={t('construct.loading.optimize')} />}
      <ProblemError error={opt.error} testId="optimize-infeasible" />
      {opt.data && <Optimum result={opt.data} />}
      <h2>{t('construct.frontier')}</h2>
      <ParamControls schema="OptimizeFrontierRequest" fields={['points']} query={query} label={t('construct.frontier')} />
      {front.isLoading && <Loading what={t('construct.loading.frontier')} />}
      <ProblemError error={front.error} testId="frontier-infeasible" />
      {front.data && <Frontier frontier={front.data} optimum={opt.data} />}
      {opt.data && <Weights result={opt.data} />}
    </section>
  );
}

// The optimum's figures, the solver's account of it, the binding constraints and the warnings.
function Optimum({ result: r }: { result: OptimizeResult }) {
  const { fmt, t } = useSession();
  const sci = useSci();
  return (
    <>
      <p className="muted">
        {t('construct.optimumOf', { objective: choiceLabel(t, 'objective', r.objective), date: fmt.date(r.as_of), window: r.window, covariance: choiceLabel(t, 'cov', r.covariance) })}
      </p>
      <div className="kpis" data-testid="optimum" aria-label={t('construct.optimum')}>
        <Kpi id="expected_return" label={t('construct.kpi.return')}>{fmt.pct(r.expected_return)}</Kpi>
        <Kpi id="volatility" label={t('construct.kpi.volatility')}>{fmt.pct(r.volatility)}</Kpi>
        <Kpi id="sharpe" label={t('construct.kpi.sharpe')}>{fmt.num(r.sharpe, 3)}</Kpi>
        <Kpi id="es" label={t('construct.kpi.es', { confidence: fmt.pct(r.confidence, 1) })}>{fmt.pct(r.expected_shortfall)}</Kpi>
        <Kpi id="status" label={t('common.status')}><span data-field="status">{r.status}</span></Kpi>
        <Kpi id="solver" label={t('construct.kpi.solver')}>{t('construct.solverOf', { name: r.solver.name, iterations: r.solver.iterations })}</Kpi>
        <Kpi id="gap" label={t('construct.kpi.gap')}>{sci(r.solver.duality_gap)}</Kpi>
        <Kpi id="kkt" label={t('construct.kpi.kkt')}>{sci(r.solver.kkt_residual)}</Kpi>
      </div>
      <p data-testid="binding">
        {t('construct.binding')}{' '}
        <span data-field="binding">{r.binding_constraints.length ? r.binding_constraints.join('; ') : t('common.none')}</span>
      </p>
      {r.warnings.length > 0 && (
        <details className="warning">
          <summary>{t('common.warnings', { count: r.warnings.length })}</summary>
          {r.warnings.map((w, i) => <div key={i}>{w}</div>)}
        </details>
      )}
    </>
  );
}

// The frontier's optimal points as a line, the book's own point and the optimum on it; the points
// the solver could not reach counted, and every point in a table.
function Frontier({ frontier: f, optimum }: { frontier: OptimizeFrontierResult; optimum: OptimizeResult | undefined }) {
  const { fmt, t } = useSession();
  const pts = useMemo(() => frontierPoints(f), [f]);
  const option = useMemo(() => {
    const pct = (v: number) => fmt.pct(v, 1);
    return {
      tooltip: { trigger: 'item' },
      legend: {},
      grid: { left: 70, right: 30 },
      xAxis: { type: 'value', name: t('construct.kpi.volatility'), scale: true, axisLabel: { formatter: pct } },
      yAxis: { type: 'value', name: t('construct.kpi.return'), scale: true, axisLabel: { formatter: pct } },
      series: [
        { name: t('construct.series.frontier'), type: 'line', data: pts.line, showSymbol: true, symbolSize: 5 },
        ...(pts.current ? [{ name: t('construct.series.current'), type: 'scatter', data: [pts.current], symbolSize: 14, symbol: 'diamond' }] : []),
        ...(optimum ? [{ name: t('construct.series.optimum'), type: 'scatter', data: [[optimum.volatility, optimum.expected_return]], symbolSize: 14, symbol: 'triangle' }] : []),
      ],
    };
  }, [pts, optimum, fmt, t]);
  return (
    <figure data-testid="frontier" data-points={f.points.length} data-optimal={pts.line.length} data-infeasible={pts.infeasible.length}>
      <Chart label={t('construct.frontierChart', { points: pts.line.length, current: fmt.pct(f.current.volatility, 1) })} option={option} />
      <figcaption className="muted">
        {t('construct.frontierCaption', { date: fmt.date(f.as_of), window: f.window, covariance: choiceLabel(t, 'cov', f.covariance) })}{' '}
        {pts.infeasible.length > 0 && <strong data-testid="frontier-unreached">{t('construct.unreached', { count: pts.infeasible.length, total: f.points.length })}</strong>}
      </figcaption>
      {f.warnings.length > 0 && (
        <details className="warning">
          <summary>{t('common.warnings', { count: f.warnings.length })}</summary>
          {f.warnings.map((w, i) => <div key={i}>{w}</div>)}
        </details>
      )}
      <details>
        <summary>{t('construct.frontierTable')}</summary>
        <table className="list" aria-label={t('construct.frontierTable')}>
          <thead><tr><th className="num">#</th><th>{t('common.status')}</th><th className="num">{t('construct.kpi.return')}</th><th className="num">{t('construct.kpi.volatility')}</th><th className="num">{t('construct.kpi.sharpe')}</th><th className="num">{t('construct.kpi.esShort')}</th></tr></thead>
          <tbody>
            <tr data-point="current"><td>{t('construct.series.current')}</td><td /><td className="num">{fmt.pct(f.current.expected_return)}</td><td className="num">{fmt.pct(f.current.volatility)}</td><td className="num">{fmt.num(f.current.sharpe, 3)}</td><td className="num">{fmt.pct(f.current.expected_shortfall)}</td></tr>
            {f.points.map((p, i) => (
              <tr key={i} data-point={i + 1} data-status={p.status}>
                <td className="num">{i + 1}</td><td>{p.status}</td>
                <td className="num">{fmt.pct(p.expected_return)}</td><td className="num">{p.status === 'optimal' ? fmt.pct(p.volatility) : '–'}</td>
                <td className="num">{p.status === 'optimal' ? fmt.num(p.sharpe, 3) : '–'}</td><td className="num">{p.status === 'optimal' ? fmt.pct(p.expected_shortfall) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

// The weights before (the book's) and after (the optimum's) with the change and each asset's share
// of the optimum's variance: a table and two bar charts.
function Weights({ result: r }: { result: OptimizeResult }) {
  const { fmt, t } = useSession();
  const rows = useMemo(() => weightRows(r.current_weights, r.weights, r.risk_contributions), [r]);
  const weightsOption = useMemo(
    () => beforeAfterBars(rows, (v: number) => fmt.pct(v, 0), t('common.before'), t('common.after')),
    [rows, fmt, t],
  );
  const riskOption = useMemo(() => ({
    tooltip: { trigger: 'axis' },
    grid: { left: 80, right: 20 },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.pct(v, 0) } },
    yAxis: { type: 'category', data: rows.map((x) => x.symbol), inverse: true },
    series: [{ name: t('construct.riskContribution'), type: 'bar', data: rows.map((x) => x.contribution) }],
  }), [rows, fmt, t]);
  const height = Math.max(240, rows.length * 28 + 80);
  return (
    <>
      <h2>{t('construct.weights')}</h2>
      <div className="grid2">
        <Chart label={t('construct.weightsChart', { count: rows.length })} option={weightsOption} height={height} />
        <Chart label={t('construct.riskChart', { count: rows.length })} option={riskOption} height={height} />
        <table className="list" aria-label={t('construct.weightsTable')}>
          <thead><tr><th>{t('common.symbol')}</th><th className="num">{t('construct.weightBefore')}</th><th className="num">{t('construct.weightAfter')}</th><th className="num">{t('common.change')}</th><th className="num">{t('construct.riskContribution')}</th></tr></thead>
          <tbody>
            {rows.map((x) => (
              <tr key={x.symbol} data-symbol={x.symbol}>
                <td>{x.symbol}</td>
                <td className="num" data-field="current">{fmt.pct(x.current)}</td>
                <td className="num" data-field="target">{fmt.pct(x.target)}</td>
                <td className="num" data-field="change">{fmt.pct(x.change)}</td>
                <td className="num" data-field="contribution">{fmt.pct(x.contribution)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
