-- keel migration: what-if: modelling sessions (proposed trades on a portfolio)
CREATE TABLE modelling_sessions (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  owner TEXT NOT NULL,
  portfolio_id INTEGER NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX modelling_sessions_tenant ON modelling_sessions (tenant, id);

CREATE TABLE modelling_trades (
  session_id INTEGER NOT NULL REFERENCES modelling_sessions(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  symbol TEXT NOT NULL,
  quantity REAL NOT NULL,
  price REAL,
  type TEXT NOT NULL,
  underlying TEXT NOT NULL DEFAULT '',
  strike REAL,
  expiry TEXT,
  option_type TEXT,
  exercise TEXT NOT NULL DEFAULT 'european',
  multiplier REAL NOT NULL DEFAULT 1,
  implied_vol REAL,
  sector TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  strategy TEXT NOT NULL DEFAULT '',
  currency TEXT NOT NULL DEFAULT 'USD',
  origin TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (session_id, ordinal)
) WITHOUT ROWID;
