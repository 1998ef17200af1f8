// Words, not identifiers: the one place that turns an id the API returns — a stress scenario
// (gfc_2008), a factor (mkt_rf), a report key used as a value (net_value), a batch step
// (data_check), a job kind (batch.run), an audit action (clo_deal.create) or outcome, a CLO trade's
// action (buy), a CLO test's effect (cures), a CLO concentration bucket (second_lien) or a book
// health check (top_five) and its status (warn), or an exposure group's region (Asia Pacific) — into the
// words a person reads, in the session's language. The words are the catalogue's keys
// `label.KIND.ID` (messages/en.ts and de.ts); report keys are the field table's `field.ID`.
// An id the catalogue has no words for (a scenario from a user's file, a job kind added to the
// server later) is spelt out (humanise), never shown as it is and never an error.
//
// valueLabel() reads a value by the field it sits in (a stress row's `name` is a scenario, a step
// row's `name` a step), so a table of API data (the report, a job's result, an audit row's
// details) labels its values without a table of its own.
import { choiceLabel, spellOut, type Key, type Translate } from './i18n';

export type LabelKind = 'scenario' | 'scenarioKind' | 'factor' | 'reportKey' | 'step' | 'jobKind' | 'auditAction' | 'outcome' | 'cloAction' | 'cloEffect' | 'cloBucket' | 'fxStatus' | 'returnModel' | 'healthCheck' | 'healthStatus' | 'region';

const PREFIX: Record<LabelKind, string> = {
  scenario: 'label.scenario.',
  scenarioKind: 'label.scenarioKind.',
  factor: 'label.factor.',
  reportKey: 'field.',
  step: 'label.step.',
  jobKind: 'label.job.',
  auditAction: 'label.audit.',
  outcome: 'label.outcome.',
  cloAction: 'label.cloAction.',
  cloEffect: 'label.cloEffect.',
  cloBucket: 'label.cloBucket.',
  fxStatus: 'label.fxStatus.',
  returnModel: 'label.returnModel.',
  healthCheck: 'label.health.',
  healthStatus: 'label.healthStatus.',
  region: 'label.region.',
};

// "clo_deal.create" -> "Clo deal create", "market-data" -> "Market data": the words an id spells.
export function humanise(id: string): string {
  return spellOut(String(id).replace(/\./g, ' '));
}

// The words for `id` of `kind`: the catalogue's, else `fallback` (the server's own label of it,
// when it sends one), else the id spelt out.
export function labelOf(t: Translate, kind: LabelKind, id: string | null | undefined, fallback?: string | null): string {
  if (id === null || id === undefined || id === '') return fallback ?? '';
  const k = PREFIX[kind] + id;
  if (t.has(k)) return t(k as Key & `label.${string}`);
  return fallback || humanise(id);
}

// The fields whose value is an id of a kind (the report's, a job result's and an audit row's).
const VALUE_KIND: Record<string, LabelKind> = {
  scenario: 'scenario',
  worst_scenario: 'scenario',
  worst_stress_scenario: 'scenario',
  factor: 'factor',
  market_factor: 'factor',
  weight_basis: 'reportKey',
  step: 'step',
  action: 'auditAction',
  outcome: 'outcome',
};
// Fields whose value is one of a choice's values (choice.FIELD.VALUE).
const VALUE_CHOICE: Record<string, string> = {
  method: 'method',
  var_method: 'method',
  worst_method: 'stress',
  backtest_method: 'method',
  contributions_method: 'method',
  covariance: 'covariance',
  backtest_zone: 'zone',
  zone: 'zone',
  status: 'status',
  type: 'type',
};

// A string value as words, by the field it is the value of and the list it sits in (`within`: the
// report section or the list's own field, e.g. 'stress', 'scenarios', 'steps'); any other string
// is data (a name, a symbol, a message) and comes back as it is.
export function valueLabel(t: Translate, field: string, value: string, within?: string): string {
  if (field === 'name' && within) {
    if (within === 'steps') return labelOf(t, 'step', value);
    if (within === 'stress' || within === 'scenarios') return labelOf(t, 'scenario', value);
  }
  if (field === 'kind') {
    if (within === 'stress' || within === 'scenarios') return labelOf(t, 'scenarioKind', value);
    if (/^[a-z_]+(\.[a-z_]+)+$/.test(value)) return labelOf(t, 'jobKind', value); // a job's kind
    return value;
  }
  if (field === 'method' && (within === 'stress' || within === 'scenarios')) return choiceLabel(t, 'stress', value);
  const kind = VALUE_KIND[field];
  if (kind) return labelOf(t, kind, value);
  const choice = VALUE_CHOICE[field];
  if (choice) return choiceLabel(t, choice, value);
  return value;
}

// The job kinds, scenarios, factors, steps, audit actions and outcomes the server knows today
// (src/server/job_kinds.cpp and the other register_kind calls, data/stress/scenarios.json, the
// French data library's factors, kBatchStepNames, the UseCases' audit actions): the lists the
// catalogue test holds the catalogues to.
export const KNOWN: Record<Exclude<LabelKind, 'reportKey'>, readonly string[]> = {
  scenario: [
    'black_monday_1987', 'dotcom_bust_2000', 'gfc_2008', 'euro_debt_2011', 'covid_crash_2020', 'inflation_shock_2022',
    'market_down_10', 'market_down_20', 'market_down_30', 'small_caps_down_10', 'value_down_10', 'profitability_down_10',
    'investment_down_10', 'user',
  ],
  scenarioKind: ['historical', 'hypothetical', 'user'],
  factor: ['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom', 'rf'],
  step: ['market-data', 'data_check', 'exposures', 'greeks', 'factors', 'attribution', 'var', 'backtest', 'stress', 'correlation', 'snapshot', 'reports', 'clo'],
  jobKind: [
    'risk.var', 'risk.var.shard', 'risk.backtest', 'batch.var', 'batch.run', 'batch.backfill', 'plan.retire', 'plan.retire.shard',
    'plan.sensitivity', 'plan.compare', 'clo.montecarlo', 'clo.montecarlo.shard', 'clo.deal.montecarlo', 'clo.deal.run',
    'prices.fetch', 'symbols.fetch', 'factors.fetch', 'fx.fetch', 'whatif.calculate',
  ],
  auditAction: [
    'account.create', 'account.delete', 'account.update', 'alm_session.cleanup', 'alm_session.create', 'alm_session.delete',
    'alm_session.share', 'assistant.ask', 'assistant.confirm', 'assistant.conversation.delete', 'assistant.policy.set',
    'assistant.provider.delete', 'assistant.provider.set', 'audit.read', 'auth.forbidden', 'auth.login', 'auth.logout',
    'auth.refused', 'clo.determine', 'clo_deal.assumptions', 'clo_deal.create', 'clo_deal.delete', 'clo_deal.marks.import',
    'clo_deal.ratings.import', 'clo_deal.trade', 'clo_deal.update', 'curve.fetch', 'factors.fetch', 'fx.fetch', 'fx.import', 'job.cancel',
    'job.create', 'key.bind', 'key.delete', 'key.list', 'key.rotate_master', 'key.set', 'ledger_mapping.delete',
    'ledger_mapping.save', 'ledger_snapshot.create', 'macro.fetch', 'outbound.refused', 'portfolio.create',
    'portfolio.currency', 'portfolio.delete', 'positions.import', 'preferences.update', 'prices.fetch', 'prices.import',
    'session.calculate', 'session.create', 'session.delete', 'session.save', 'session.trade.delete', 'session.trades.add',
    'strategy.set', 'symbols.fetch', 'tag.attach', 'tag.create', 'tag.delete', 'tag.detach', 'transaction.delete',
    'transaction.edit', 'transactions.import', 'user.create', 'user.disable', 'user.enable', 'user.passwd', 'user.role',
    'webhook.create', 'webhook.delete', 'webhook.redeliver', 'webhook.update', 'whatif.save',
  ],
  outcome: ['ok', 'failed', 'denied', 'breach'],
  // A CLO trade ticket's actions, the effect of a ticket on a test, and the concentration buckets
  // (docs/clo.md "Trades tested before they are made", "Collateral quality tests").
  cloAction: ['buy', 'sell', 'upsize', 'downsize'],
  cloEffect: ['improves', 'worsens', 'unchanged', 'breaks', 'cures'],
  cloBucket: ['second_lien', 'cov_lite', 'fixed_rate', 'non_domestic', 'revolver', 'dip'],
  // An FX fetch's status (FetchFxResult.status) and the plan's return distributions
  // (PlanRequest.returns: normal, t, mix).
  fxStatus: ['fetched', 'no_new_data', 'up_to_date'],
  returnModel: ['normal', 't', 'mix'],
  // A book's health checks (BookHealthResult.checks[].id, in the server's order) and their
  // statuses (docs/health.md).
  healthCheck: ['position', 'top_five', 'sector', 'unclassified', 'foreign', 'cash', 'stale_prices', 'expiring', 'unvalued'],
  healthStatus: ['ok', 'warn', 'alert', 'na'],
  // The regions exposures group by (ExposuresRequest by=region; by=country has Cash and Unknown
  // beside its ISO codes), named in English by the server.
  region: ['North America', 'Latin America', 'Europe', 'Middle East & Africa', 'Asia Pacific', 'Cash', 'Unknown'],
};
