// The KPI strip of a portfolio's report (the dashboard's and the report view's): net, gross, long,
// short, 1-day P&L, unrealized P&L, VaR, ES, backtest zone, market beta and the worst stress, each
// amount with the report's currency. A module of its own, so that the report view shows it without
// loading the dashboard (and its charts) first.
import type { Report } from '../../api/types';
import { choiceLabel, type Translate } from '../../app/i18n';
import { labelOf } from '../../app/labels';
import { useSession } from '../../app/session';
import { Kpi } from '../../components/Kpi';
import { Zone } from '../portfolios/PortfoliosView';

// A stress scenario in words (its name is an identifier such as gfc_2008): the label table's, else
// its label in the report (a scenario of the user's own file).
function scenarioName(t: Translate, report: Report, name: string): string {
  return labelOf(t, 'scenario', name, report.stress.scenarios?.find((x) => x.name === name)?.label);
}

export function KpiStrip({ report }: { report: Report }) {
  const { fmt, t } = useSession();
  const s = report.summary;
  // Every amount of the report is in its reporting currency, which the report names.
  const cur = s.currency;
  const money = (x: number | null | undefined) => fmt.money(x, cur);
  return (
    <div className="kpis" data-testid="kpi-strip" aria-label={t('dash.kpis')}>
      <Kpi id="net" label={t('dash.kpi.net')}>{money(s.net_value_amount)}</Kpi>
      <Kpi id="gross" label={t('dash.kpi.gross')}>{money(s.gross_value_amount)}</Kpi>
      <Kpi id="long" label={t('dash.kpi.long')}>{money(s.long_value_amount)}</Kpi>
      <Kpi id="short" label={t('dash.kpi.short')}>{money(s.short_value_amount)}</Kpi>
      <Kpi id="pnl1d" label={t('dash.pnl1d')}>
        {money(s.pnl_1d_amount)} <span className="muted">({fmt.pct(s.pnl_1d_pct)})</span>
      </Kpi>
      {s.unrealized_pnl_amount != null && (
        <Kpi id="unrealized" label={t('field.unrealized_pnl_amount')}>
          {money(s.unrealized_pnl_amount)} <span className="muted">{t('dash.kpi.onCost', { cost: money(s.cost_basis_amount) })}</span>
        </Kpi>
      )}
      <Kpi id="var" label={t('dash.kpi.var', { confidence: fmt.pct(s.confidence, 0), method: choiceLabel(t, 'method', s.var_method ?? '') })}>{money(s.var_amount)}</Kpi>
      <Kpi id="es" label={t('dash.kpi.es')}>{money(s.es_amount)}</Kpi>
      <Kpi id="zone" label={t('dash.kpi.zone')}><Zone zone={s.backtest_zone} /></Kpi>
      <Kpi id="beta" label={t('dash.kpi.beta')}>{fmt.num(s.beta_mkt)}</Kpi>
      <Kpi id="stress" label={s.worst_stress_scenario ? t('dash.kpi.stressOf', { scenario: scenarioName(t, report, s.worst_stress_scenario) }) : t('dash.kpi.stress')}>{money(s.worst_stress_pnl_amount)}</Kpi>
    </div>
  );
}
