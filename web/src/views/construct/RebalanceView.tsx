// Rebalance a portfolio to target weights (docs/construction.md "Rebalancing"): the target is the
// optimize view's optimum (the same parameters, carried in the URL) or a pasted or uploaded
// `symbol,weight` CSV; cash, minimum trade, lot size and cost, and for a ledger account the
// tax-aware choice of lots, are controls in the URL. POST …/rebalance gives the trades, the cash and
// cost, the weights before and after and, tax-aware, the lots sold, the gains realized and the wash
// sales avoided. The plan ends in a what-if session holding its trades (docs/whatif.md).
import { useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import type { AccountPage, RebalanceRequest, RebalanceResult, RebalanceTrade, SessionCreated, TradesAdded } from '../../api/types';
import { choiceLabel } from '../../app/i18n';
import { navigate, setQuery, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { useTitle } from '../../app/title';
import { Chart } from '../../components/Chart';
import { Kpi } from '../../components/Kpi';
import { bodyFrom, ParamControls } from '../../components/ParamControls';
import { ErrorBox, Loading } from '../../components/States';
import { beforeAfterBars, knownWeights, objectiveOf, optimizeBody, parseTargetCsv, sessionTrades, targetCsv, weightRows, weightSum } from './construct';
import { ProblemError, useOptimize } from './OptimizeView';

const TRADE_FIELDS = ['cash_weight', 'min_trade_amount', 'lot_size', 'cost_bp', 'as_of'];
const TAX_FIELDS = ['tax_aware', 'tax_budget_amount', 'long_term_days'];

export function RebalanceView({ portfolio }: { portfolio: string }) {
  const { can, t, fmt } = useSession();
  const { query } = useLocation();
  useTitle(t('construct.rebalance.docTitle', { name: portfolio }));
  const source = query.get('target') === 'csv' ? 'csv' : 'optimize';
  const optBody = optimizeBody(query);
  const opt = useOptimize(portfolio, optBody, source === 'optimize');
  const [csv, setCsv] = useState('symbol,weight\n');
  const file = useRef<HTMLInputElement>(null);
  const parsed = useMemo(() => parseTargetCsv(csv, t), [csv, t]);
  const accounts = useQuery({ queryKey: ['accounts'], queryFn: () => api<AccountPage>('GET', '/api/v1/accounts?limit=500'), enabled: can('compute') });
  const account = query.get('account') ?? '';
  const target = source === 'optimize' ? (opt.data ? knownWeights(opt.data.weights) : undefined) : parsed.problems.length ? undefined : parsed.weights;
  const plan = useMutation({
    mutationFn: (weights: Record<string, number>) => {
      const body = {
        ...bodyFrom('RebalanceRequest', [...TRADE_FIELDS, ...(account ? TAX_FIELDS : [])], query),
        target_weights: weights,
        ...(account ? { account } : {}),
      } as RebalanceRequest;
      return api<RebalanceResult>('POST', `/api/v1/portfolios/${seg(portfolio)}/rebalance`, { body });
    },
  });
  const whatif = useMutation({
    mutationFn: async (r: RebalanceResult) => {
      const s = await api<SessionCreated>('POST', `/api/v1/portfolios/${seg(portfolio)}/sessions`, {
        body: { name: t('construct.sessionName', { name: portfolio, date: r.as_of }) },
      });
      await api<TradesAdded>('POST', `/api/v1/sessions/${seg(s.id)}/trades`, { body: { trades: sessionTrades(r.trades) } });
      return s;
    },
    onSuccess: (s) => navigate(`/portfolios/${seg(portfolio)}/whatif?session=${seg(s.id)}`),
  });
  if (!can('compute')) return <div className="error" role="alert">{t('state.notAllowed')}{t('construct.notAllowed')}</div>;
  const toOptimize = () => {
    const q = new URLSearchParams(query);
    q.delete('target');
    navigate(`/portfolios/${seg(portfolio)}/optimize?${q.toString()}`);
  };
  const r = plan.data;
  return (
    <section>
      <div className="titlebar">
        <h1>{t('construct.rebalance.title', { name: portfolio })}</h1>
        <span className="spacer" />
        <button type="button" onClick={() => navigate(`/portfolios/${seg(portfolio)}`)}>{t('construct.dashboard')}</button>
        <button type="button" onClick={toOptimize}>{t('construct.toOptimize')}</button>
      </div>
      <h2>{t('construct.target')}</h2>
      <fieldset className="params" aria-label={t('construct.target')}>
        <label className="check">
          <input type="radio" name="target" checked={source === 'optimize'} onChange={() => setQuery({ target: null })} />
          {t('construct.target.optimize')}
        </label>
        <label className="check">
          <input type="radio" name="target" checked={source === 'csv'} onChange={() => setQuery({ target: 'csv' })} />
          {t('construct.target.csv')}
        </label>
      </fieldset>
      {source === 'optimize' ? (
        <>
          <p className="muted" data-testid="target-optimize">
            {t('construct.target.optimizeOf', { objective: choiceLabel(t, 'objective', objectiveOf(query)) })}{' '}
            <button type="button" className="linkish" onClick={toOptimize}>{t('construct.target.change')}</button>
          </p>
          {opt.isLoading && <Loading what={t('construct.loading.optimize')} />}
          <ProblemError error={opt.error} testId="optimize-infeasible" />
          {opt.data && (
            <button type="button" onClick={() => { setCsv(targetCsv(opt.data.weights)); setQuery({ target: 'csv' }); }}>
              {t('construct.target.edit')}
            </button>
          )}
        </>
      ) : (
        <>
          <div><label htmlFor="target-csv">{t('construct.target.csvLabel')}</label></div>
          <textarea id="target-csv" rows={8} cols={50} value={csv} onChange={(e) => setCsv(e.target.value)} spellCheck={false} />
          <div className="row">
            <label>
              {t('construct.target.file')}{' '}
              <input
                type="file"
                accept=".csv,text/csv"
                ref={file}
                onChange={() => void file.current?.files?.[0]?.text().then(setCsv)}
              />
            </label>
          </div>
          {parsed.problems.length > 0 ? (
            <ul className="error" data-testid="target-problems">
              {parsed.problems.map((p, i) => <li key={i}>{t('construct.csv.line', { line: p.line, message: p.message })}</li>)}
            </ul>
          ) : (
            <p className="muted" data-testid="target-sum">
              {t('construct.target.sum', { count: Object.keys(parsed.weights).length, sum: fmt.pct(weightSum(parsed.weights)) })}
            </p>
          )}
        </>
      )}
      <h2>{t('construct.trading')}</h2>
      <ParamControls schema="RebalanceRequest" fields={TRADE_FIELDS.filter((f) => f !== 'as_of')} query={query} label={t('construct.trading')} />
      <h2>{t('construct.tax')}</h2>
      <div className="params">
        <label htmlFor="rebalance-account">
          {t('construct.account')}
          <select id="rebalance-account" value={account} onChange={(e) => setQuery({ account: e.target.value || null })}>
            <option value="">{t('construct.noAccount')}</option>
            {(accounts.data?.items ?? []).map((a) => <option key={a.id} value={a.name}>{a.name}</option>)}
          </select>
        </label>
      </div>
      {account ? (
        <ParamControls schema="RebalanceRequest" fields={TAX_FIELDS} query={query} label={t('construct.tax')} />
      ) : (
        <p className="muted">{t('construct.taxHelp')}</p>
      )}
      <ErrorBox error={accounts.error} />
      <button type="button" className="primary" onClick={() => target && plan.mutate(target)} disabled={!target || plan.isPending}>
        {t('construct.plan')}
      </button>
      {plan.isPending && <Loading what={t('construct.loading.rebalance')} />}
      <ErrorBox error={plan.error} />
      {r && (
        <>
          <Plan result={r} />
          <h2>{t('construct.whatif')}</h2>
          <p className="muted">{t('construct.whatifHelp')}</p>
          <button type="button" className="primary" onClick={() => whatif.mutate(r)} disabled={whatif.isPending || !r.trades.length}>
            {t('construct.openWhatif', { count: r.trades.length })}
          </button>
          <ErrorBox error={whatif.error} />
        </>
      )}
    </section>
  );
}

// The plan: value, cash and cost; the trades (with the lots a tax-aware plan sells); the gains it
// realizes and the wash sales it avoided; the weights before, after and targeted.
function Plan({ result: r }: { result: RebalanceResult }) {
  const { fmt, t } = useSession();
  const cur = r.currency;
  const money = (x: number | null | undefined) => fmt.money(x, cur);
  const rows = useMemo(() => weightRows(r.weights_before, r.weights_after), [r]);
  const targets = useMemo(() => Object.fromEntries(r.trades.map((tr) => [tr.symbol, tr.target_weight])), [r]);
  const option = useMemo(
    () => beforeAfterBars(rows, (v: number) => fmt.pct(v, 0), t('common.before'), t('common.after')),
    [rows, fmt, t],
  );
  const taxAware = r.trades.some((tr) => (tr.lots ?? []).length > 0) || r.tax_budget_amount != null || r.wash_sales_avoided.length > 0;
  return (
    <>
      <h2>{t('construct.planOf', { date: fmt.date(r.as_of) })}</h2>
      <div className="kpis" data-testid="plan" aria-label={t('construct.planKpis')}>
        <Kpi id="value" label={t('construct.kpi.value')}>{money(r.value_amount)}</Kpi>
        <Kpi id="cash_before" label={t('construct.kpi.cashBefore')}>{money(r.cash_before_amount)}</Kpi>
        <Kpi id="cash_after" label={t('construct.kpi.cashAfter')}>{money(r.cash_after_amount)}</Kpi>
        <Kpi id="turnover" label={t('construct.kpi.turnover')}>{fmt.pct(r.turnover)}</Kpi>
        <Kpi id="cost" label={t('construct.kpi.cost')}>{money(r.cost_amount)}</Kpi>
        <Kpi id="trades" label={t('construct.kpi.trades')}>{fmt.num(r.trades.length, 0)}</Kpi>
      </div>
      {r.warnings.length > 0 && (
        <details className="warning" open>
          <summary>{t('common.warnings', { count: r.warnings.length })}</summary>
          {r.warnings.map((w, i) => <div key={i}>{w}</div>)}
        </details>
      )}
      <h2>{t('construct.trades')}</h2>
      {r.trades.length === 0 ? (
        <p className="muted">{t('construct.noTrades')}</p>
      ) : (
        <table className="list" aria-label={t('construct.tradesTable')}>
            <thead>
              <tr>
                <th>{t('common.symbol')}</th><th>{t('construct.side')}</th><th className="num">{t('common.quantity')}</th>
                <th className="num">{t('common.inCurrency', { label: t('common.price'), currency: cur })}</th>
                <th className="num">{t('common.inCurrency', { label: t('construct.amount'), currency: cur })}</th>
                <th className="num">{t('common.inCurrency', { label: t('construct.cost'), currency: cur })}</th>
                <th className="num">{t('construct.weightBefore')}</th><th className="num">{t('construct.weightAfter')}</th><th className="num">{t('construct.weightTarget')}</th>
              </tr>
            </thead>
            <tbody>
              {r.trades.map((tr) => <TradeRows key={tr.symbol} trade={tr} currency={cur} />)}
            </tbody>
        </table>
      )}
      {taxAware && (
        <>
          <h2>{t('construct.gains')}</h2>
          <div className="kpis small" data-testid="realized">
            <Kpi id="short_term" label={t('construct.kpi.shortTerm')}>{money(r.realized_gain.short_term_amount)}</Kpi>
            <Kpi id="long_term" label={t('construct.kpi.longTerm')}>{money(r.realized_gain.long_term_amount)}</Kpi>
            <Kpi id="total" label={t('construct.kpi.totalGain')}>{money(r.realized_gain.total_amount)}</Kpi>
            {r.tax_budget_amount != null && <Kpi id="budget" label={t('construct.kpi.budget')}>{money(r.tax_budget_amount)}</Kpi>}
          </div>
          <h3>{t('construct.washSales')}</h3>
          {r.wash_sales_avoided.length === 0 ? (
            <p className="muted">{t('construct.noWashSales')}</p>
          ) : (
            <table className="list" aria-label={t('construct.washSales')}>
              <thead><tr><th>{t('common.symbol')}</th><th>{t('construct.lot')}</th><th>{t('field.reason')}</th></tr></thead>
              <tbody>
                {r.wash_sales_avoided.map((w, i) => (
                  <tr key={i} data-wash={w.symbol}><td>{w.symbol}</td><td>{w.lot_id ?? '–'}</td><td>{w.reason}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <h2>{t('construct.weights')}</h2>
      <div className="grid2">
        <Chart label={t('construct.weightsChart', { count: rows.length })} option={option} height={Math.max(240, rows.length * 28 + 80)} />
        <table className="list" aria-label={t('construct.planWeights')}>
          <thead><tr><th>{t('common.symbol')}</th><th className="num">{t('construct.weightBefore')}</th><th className="num">{t('construct.weightAfter')}</th><th className="num">{t('construct.weightTarget')}</th></tr></thead>
          <tbody>
            {rows.map((x) => (
              <tr key={x.symbol} data-symbol={x.symbol}>
                <td>{x.symbol}</td><td className="num" data-field="before">{fmt.pct(x.current)}</td><td className="num" data-field="after">{fmt.pct(x.target)}</td>
                <td className="num" data-field="target">{fmt.pct(targets[x.symbol])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

// One trade, and under it the lots a tax-aware plan sells (date, shares, basis, gain, term).
function TradeRows({ trade: tr, currency }: { trade: RebalanceTrade; currency: string }) {
  const { fmt, t } = useSession();
  const lots = tr.lots ?? [];
  return (
    <>
      <tr data-trade={tr.symbol} data-side={tr.side}>
        <td>{tr.symbol}</td><td>{choiceLabel(t, 'side', tr.side)}</td>
        <td className="num" data-field="quantity">{fmt.num(tr.quantity, 0)}</td>
        <td className="num">{fmt.num(tr.price)}</td>
        <td className="num" data-field="amount">{fmt.money(tr.amount)}</td>
        <td className="num">{fmt.num(tr.cost_amount, 2)}</td>
        <td className="num">{fmt.pct(tr.weight_before)}</td><td className="num">{fmt.pct(tr.weight_after)}</td><td className="num">{fmt.pct(tr.target_weight)}</td>
      </tr>
      {lots.length > 0 && (
        <tr className="sub">
          <td />
          <td colSpan={8}>
            <table className="list" aria-label={t('construct.lotsOf', { symbol: tr.symbol })}>
              <thead>
                <tr>
                  <th>{t('construct.lot')}</th><th>{t('construct.opened')}</th><th className="num">{t('common.quantity')}</th>
                  <th className="num">{t('common.inCurrency', { label: t('field.cost_basis_amount'), currency })}</th>
                  <th className="num">{t('common.inCurrency', { label: t('construct.gain'), currency })}</th><th>{t('construct.term')}</th>
                </tr>
              </thead>
              <tbody>
                {lots.map((l) => (
                  <tr key={l.lot_id} data-lot={l.lot_id}>
                    <td>{l.lot_id}</td><td>{fmt.date(l.open_date)}</td><td className="num">{fmt.num(l.quantity, 0)}</td>
                    <td className="num">{fmt.num(l.cost_basis_amount, 2)}</td><td className="num" data-field="gain">{fmt.num(l.gain_amount, 2)}</td>
                    <td>{choiceLabel(t, 'term', l.term)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </td>
        </tr>
      )}
    </>
  );
}
