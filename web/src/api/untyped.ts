// The only hand-written API shapes of the app: routes whose OpenAPI operation declares no schema
// yet. Each interface names only the fields the views read; when its route gains a schema, `npm run
// gen` brings the generated type and the interface here becomes an alias of it (src/api/types.ts
// names every generated one the views use). Still untyped, and why:
//  - GET /api/v1/portfolios/{id}/report: the document's sections other than `summary` are
//    declared as free-form section objects (Report below reads the `positions` rows);
//  - the what-if session routes (POST /portfolios/{id}/sessions, GET /sessions/{id}, POST
//    /sessions/{id}/trades, /calculate, /save) declare no response schema (and the trades body is
//    the trades file's columns as JSON).
import type { ReportSummary } from './types';

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
  [section: string]: unknown;
}

// What-if modelling sessions (docs/whatif.md "Modelling sessions"): the session routes declare no
// schemas yet; these name the fields the what-if view reads and sends. When the routes are typed,
// each becomes an alias of its generated schema here.
export interface SessionCreated {
  id: number;
  name: string;
  portfolio_id: number;
  portfolio: string;
  trade_count: number;
}
export interface SessionTrade {
  number: number;
  symbol: string;
  quantity: number;
  price: number | null;
  origin: string;
  type?: string;
  [column: string]: unknown;
}
export interface SessionShown extends SessionCreated {
  trades: SessionTrade[];
}
// A trade as the grid sends it: the trades file's columns (numbers may be text the server refuses by name).
export interface SessionTradeInput {
  symbol: string;
  quantity: number | string;
  price?: number | string;
  type?: string;
  underlying?: string;
  strike?: number | string;
  expiry?: string;
  option_type?: string;
  multiplier?: number | string;
}
export interface TradesAdded {
  id: number;
  added: SessionTrade[];
  warnings: string[];
}
export interface WhatIfSide {
  [metric: string]: number | null;
}
export interface WhatIfResult {
  portfolio: string;
  as_of: string;
  cash_amount: number;
  trades: { symbol: string; quantity: number; price: number; price_source: string; cash_amount: number; origin: string }[];
  positions: { symbol: string; quantity_before: number; quantity_after: number; effect: string }[];
  before: WhatIfSide;
  after: WhatIfSide;
  change: WhatIfSide;
  stress: { name: string; method: string; before: number | null; after: number | null; change: number | null }[];
  by_sector: { key: string; before: number; after: number; change: number }[];
  factors?: { available: boolean; reason: string | null; names?: string[] };
  warnings: string[];
  session_id?: number;
}
export interface WhatIfSaved {
  id: number;
  name: string;
  session_id: number;
}
