-- keel migration: foundation: tenants, portfolios, instruments, positions, prices, factors, curves
CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
INSERT INTO tenants (name) VALUES ('default');

CREATE TABLE portfolios (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  base_currency TEXT NOT NULL DEFAULT 'USD',
  source TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (tenant_id, name)
);

CREATE TABLE instruments (
  id INTEGER PRIMARY KEY,
  symbol TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL DEFAULT 'stock',
  name TEXT,
  sector TEXT,
  industry TEXT,
  underlying TEXT,
  strike REAL,
  expiry TEXT,
  option_type TEXT,
  exercise TEXT,
  multiplier REAL NOT NULL DEFAULT 1,
  currency TEXT NOT NULL DEFAULT 'USD'
);

CREATE TABLE positions (
  id INTEGER PRIMARY KEY,
  portfolio_id INTEGER NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
  instrument_id INTEGER NOT NULL REFERENCES instruments(id),
  ordinal INTEGER NOT NULL,
  quantity REAL NOT NULL,
  entry_price REAL,
  entry_date TEXT,
  implied_vol REAL,
  sector TEXT,
  tags TEXT,
  strategy TEXT,
  currency TEXT
);
CREATE INDEX positions_portfolio ON positions (portfolio_id, ordinal);

CREATE TABLE prices (
  instrument_id INTEGER NOT NULL REFERENCES instruments(id),
  date TEXT NOT NULL,
  close REAL NOT NULL,
  adj_close REAL,
  open REAL,
  high REAL,
  low REAL,
  volume REAL,
  PRIMARY KEY (instrument_id, date)
) WITHOUT ROWID;

CREATE TABLE factor_sets (
  name TEXT PRIMARY KEY,
  factors TEXT NOT NULL  -- factor names in file order, ';'-separated
);

CREATE TABLE factor_returns (
  factor_set TEXT NOT NULL,
  factor TEXT NOT NULL,
  date TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (factor_set, factor, date)
) WITHOUT ROWID;

CREATE TABLE curves (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  as_of TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'USD',
  UNIQUE (name, as_of)
);

CREATE TABLE curve_points (
  curve_id INTEGER NOT NULL REFERENCES curves(id) ON DELETE CASCADE,
  tenor TEXT NOT NULL,
  years REAL NOT NULL,
  rate REAL NOT NULL,
  PRIMARY KEY (curve_id, tenor)
);
