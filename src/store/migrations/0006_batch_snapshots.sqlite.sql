-- keel migration: batch: portfolio snapshots (value, P&L and risk per as-of date)
CREATE TABLE portfolio_snapshots (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  portfolio TEXT NOT NULL,
  as_of TEXT NOT NULL,
  net_value_amount REAL,
  gross_value_amount REAL,
  pnl_1d_amount REAL,
  var_amount REAL,
  es_amount REAL,
  var_method TEXT,
  backtest_zone TEXT,
  beta_mkt REAL,
  report_json TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (tenant, portfolio, as_of)
);
