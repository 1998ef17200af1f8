-- keel migration: alm: IRRBB sessions (balance sheet, curves, shock table, results; TTL and LRU budget)
CREATE TABLE alm_sessions (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  as_of TEXT,
  currency TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  settings TEXT NOT NULL DEFAULT '{}',
  ttl_seconds INTEGER NOT NULL,
  size_bytes INTEGER NOT NULL DEFAULT 0,
  positions INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  last_accessed INTEGER NOT NULL,
  UNIQUE (tenant, name)
);
CREATE INDEX alm_sessions_lru ON alm_sessions (last_accessed);

CREATE TABLE alm_session_positions (
  session_id INTEGER NOT NULL REFERENCES alm_sessions(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  position_id TEXT NOT NULL,
  side TEXT NOT NULL,
  type TEXT NOT NULL,
  currency TEXT NOT NULL,
  notional REAL NOT NULL,
  start_date TEXT NOT NULL,
  maturity_date TEXT NOT NULL,
  rate_type TEXT NOT NULL,
  rate REAL NOT NULL,
  spread REAL,
  rate_index TEXT NOT NULL DEFAULT '',
  reset_months INTEGER NOT NULL,
  payment_months INTEGER NOT NULL,
  amortization TEXT NOT NULL,
  day_count TEXT NOT NULL,
  first_reset_date TEXT NOT NULL,
  floor REAL,
  cap REAL,
  behavioural_years REAL,
  calendar TEXT NOT NULL,
  line INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, ordinal)
) WITHOUT ROWID;

CREATE TABLE alm_session_curve_points (
  session_id INTEGER NOT NULL REFERENCES alm_sessions(id) ON DELETE CASCADE,
  currency TEXT NOT NULL,
  curve_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  tenor TEXT NOT NULL,
  years REAL NOT NULL,
  rate REAL NOT NULL,
  PRIMARY KEY (session_id, currency, years)
) WITHOUT ROWID;

CREATE TABLE alm_session_shocks (
  session_id INTEGER NOT NULL REFERENCES alm_sessions(id) ON DELETE CASCADE,
  currency TEXT NOT NULL,
  parallel_bp REAL NOT NULL,
  short_bp REAL NOT NULL,
  long_bp REAL NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (session_id, currency)
) WITHOUT ROWID;

CREATE TABLE alm_session_results (
  session_id INTEGER NOT NULL REFERENCES alm_sessions(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  result TEXT NOT NULL,
  computed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (session_id, kind)
) WITHOUT ROWID;
