-- keel migration: ledger: net-worth snapshots (per account, or '' for all accounts of the tenant)
CREATE TABLE ledger_snapshots (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  account_id INTEGER REFERENCES ledger_accounts(id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  as_of TEXT NOT NULL,
  net_worth TEXT NOT NULL,
  market_value TEXT NOT NULL,
  cash TEXT NOT NULL,
  cost_basis TEXT NOT NULL,
  unrealized TEXT NOT NULL,
  unpriced INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (tenant, scope, as_of)
);
