// Shapes of the routes whose OpenAPI operation declares no response schema yet (API gaps listed in
// docs/web.md "API gaps"). Each interface names only the fields the views read; when the route gains
// a schema, the generated type replaces it here and nowhere else.

export interface LoginResult {
  token: string;
  expires_at: string;
  user: { username: string; role: string; tenant: string };
}

export interface Me {
  id: number;
  username: string;
  role: string;
  tenant: string;
  permissions: string[];
}

export interface PortfolioSummary {
  id: number;
  name: string;
  positions: number;
  base_currency: string;
  created_at: string;
  updated_at: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total?: number;
}

export interface HistoryPoint {
  as_of: string;
  net_value_amount: number | null;
  gross_value_amount: number | null;
  pnl_1d_amount: number | null;
  var_amount: number | null;
  es_amount: number | null;
  var_method: string;
  backtest_zone: string | null;
  beta_mkt: number | null;
  created_at: string;
}

export interface History {
  portfolio: string;
  points: HistoryPoint[];
}

export interface ImportResult {
  rows?: number;
  [k: string]: unknown;
}

export interface Job {
  id: number;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: number;
  message: string;
  attempts: number;
  created_at: string;
  created_by: string;
  finished_at: string | null;
  result: unknown;
  error: { code?: string; message?: string; details?: string[] } | null;
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

export interface ReportSummary {
  status: string;
  net_value_amount: number | null;
  gross_value_amount: number | null;
  long_value_amount: number | null;
  short_value_amount: number | null;
  pnl_1d_amount: number | null;
  pnl_1d_pct: number | null;
  var_amount: number | null;
  es_amount: number | null;
  var_method: string;
  confidence: number;
  backtest_zone: string | null;
  beta_mkt: number | null;
  worst_stress_pnl_amount: number | null;
  worst_stress_scenario: string | null;
  positions_count: number;
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

export interface FactorsResult {
  factors: string[];
  first_date: string;
  last_date: string;
  factor_source: string;
  portfolio: {
    r2: number | null;
    regression: {
      adj_r2: number | null;
      alpha: number | null;
      alpha_t: number | null;
      betas: Record<string, number | null>;
      t_stats: Record<string, number | null>;
      std_errors: Record<string, number | null>;
    };
    exposures: Record<string, number | null>;
  };
  warnings: string[];
}

export interface StressScenario {
  name: string;
  label: string;
  kind: string;
  method: string;
  pnl: number | null;
  pnl_pct: number | null;
  start?: string;
  end?: string;
}

export interface StressResult {
  book_value: number | null;
  scenarios: StressScenario[];
  warnings: string[];
}
