// Shapes of the routes whose OpenAPI operation declares no response schema yet (API gaps listed in
// docs/web.md "API gaps"). Each interface names only the fields the views read; when the route gains
// a schema, the generated type replaces it here and nowhere else (the aliases below).
import type { Schemas } from './client';

export type LoginResult = Schemas['LoginResult'];
export type Me = Schemas['Me'];
export type Job = Schemas['Job'];
export type HistoryPoint = Schemas['HistoryPoint'];
export type PortfolioSummary = Schemas['PortfolioListItem'];
export type History = Schemas['PortfolioHistoryResult'];
export type ReportSummary = Schemas['ReportSummary'];
export type FactorsResult = Schemas['RiskFactorsResult'];
export type StressScenario = Schemas['StressScenarioResult'];
export type StressResult = Schemas['RiskStressResult'];

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total?: number;
}

export interface ImportResult {
  rows?: number;
  [k: string]: unknown;
}

// The keel.report/1 document (docs/reports.md): the KPI strip and the positions table read it.
export interface ReportPositionRow {
  symbol: string;
  type: string;
  sector: string | null;
  strategy: string | null;
  tags: string | null;
  quantity: number;
  price: number | null;
  market_value_amount: number | null;
  weight: number | null;
  pnl_1d_amount: number | null;
  unrealized_pnl_amount: number | null;
  delta: number | null;
  gamma: number | null;
  vega_per_point_amount: number | null;
  theta_per_day_amount: number | null;
  component_var_amount: number | null;
  component_var_pct: number | null;
  beta_mkt: number | null;
  stress_worst_pnl_amount: number | null;
}

export interface Report {
  schema: string;
  portfolio: string;
  as_of: string;
  generated_at: string;
  summary: ReportSummary;
  positions: { status: string; count: number; rows: ReportPositionRow[] };
  var: {
    status: string;
    pnl_distribution_amount?: number[];
    pnl_distribution_first_date?: string;
    historical_var_amount?: number | null;
    historical_es_amount?: number | null;
    confidence?: number;
    window_days?: number;
  };
  [section: string]: unknown;
}

