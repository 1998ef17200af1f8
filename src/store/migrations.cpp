#include "keel/store/migrations.h"

#include <algorithm>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/store/database.h"

namespace keel::store {
namespace {

// Migration 71: the same statements on both backends.
constexpr const char* kMigration71 = R"sql(
-- The key vault: the origins (scheme://host[:port]) each key may be sent to, joined by spaces;
-- '' for none (a key set before: sent nowhere, except a market-data vendor's key to its vendor;
-- docs/security.md, "Outbound requests and key binding").
ALTER TABLE vault_keys ADD COLUMN origins TEXT NOT NULL DEFAULT '';
-- Assistant providers are the tenant's (username ''), registered by administrators. Kept: the rows
-- an admin of the tenant or the keel command (cli:USER) registered; the others are dropped. Of
-- several rows of one name, the one changed last is kept; of several defaults, the first by name.
DELETE FROM assistant_providers
 WHERE username NOT LIKE 'cli:%'
   AND NOT EXISTS (SELECT 1 FROM users u JOIN tenants t ON t.id = u.tenant_id
                    WHERE u.username = assistant_providers.username AND t.name = assistant_providers.tenant
                      AND u.role = 'admin');
DELETE FROM assistant_providers
 WHERE EXISTS (SELECT 1 FROM assistant_providers o
                WHERE o.tenant = assistant_providers.tenant AND o.name = assistant_providers.name
                  AND (o.updated_at > assistant_providers.updated_at
                       OR (o.updated_at = assistant_providers.updated_at AND o.username > assistant_providers.username)));
UPDATE assistant_providers SET username = '';
UPDATE assistant_providers SET is_default = 0
 WHERE is_default = 1
   AND EXISTS (SELECT 1 FROM assistant_providers o
                WHERE o.tenant = assistant_providers.tenant AND o.is_default = 1 AND o.name < assistant_providers.name);
)sql";


// Dates are ISO text (YYYY-MM-DD), times ISO-8601 UTC text; amounts REAL (PostgreSQL: DOUBLE
// PRECISION) unless a domain needs exact decimals (the ledger stores those as TEXT). Each entry is
// {version, description, SQLite text, PostgreSQL text}; the PostgreSQL schema is the same tables
// and columns (so `keel db copy` moves rows as they are), plus row-level security on every tenant
// table (keel_protect) and the owner's SECURITY DEFINER lookups. To add a migration, append one
// entry with the next number and both texts.
constexpr Migration kMigrations[] = {
    {1, "foundation: tenants, portfolios, instruments, positions, prices, factors, curves", R"sql(
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
)sql",
     R"pg(
-- Helpers every later migration uses. keel_tenant(): the tenant of the current transaction
-- (set with set_config('keel.tenant', name, true)), NULL when none is set, so no row matches.
CREATE FUNCTION keel_now() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;
CREATE FUNCTION keel_tenant() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('keel.tenant', true), '') $$;
-- Row-level security on a tenant table: ENABLE + FORCE, one policy for every role on `expr`
-- (USING and WITH CHECK, so a row of another tenant can be neither seen nor written), and one
-- that lets the owner role (the role running migrations: keel db migrate, keel db copy and the
-- SECURITY DEFINER lookups below) see every tenant.
CREATE FUNCTION keel_protect(tbl regclass, expr text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (%s) WITH CHECK (%s)', tbl, expr, expr);
  EXECUTE format('CREATE POLICY owner_all ON %s TO %I USING (true) WITH CHECK (true)', tbl, current_user);
END $$;
REVOKE ALL ON FUNCTION keel_protect(regclass, text) FROM PUBLIC;

CREATE TABLE tenants (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT keel_now()
);
SELECT keel_protect('tenants', 'name = keel_tenant()');
INSERT INTO tenants (name) VALUES ('default');
-- The id of the transaction's tenant (NULL when none is set or it has no row yet).
CREATE FUNCTION keel_tenant_id() RETURNS bigint LANGUAGE sql STABLE
  AS $$ SELECT id FROM tenants WHERE name = keel_tenant() $$;

CREATE TABLE portfolios (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  base_currency TEXT NOT NULL DEFAULT 'USD',
  source TEXT,
  created_at TEXT NOT NULL DEFAULT keel_now(),
  updated_at TEXT NOT NULL DEFAULT keel_now(),
  UNIQUE (tenant_id, name)
);
SELECT keel_protect('portfolios', 'tenant_id = keel_tenant_id()');

CREATE TABLE instruments (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  symbol TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL DEFAULT 'stock',
  name TEXT,
  sector TEXT,
  industry TEXT,
  underlying TEXT,
  strike DOUBLE PRECISION,
  expiry TEXT,
  option_type TEXT,
  exercise TEXT,
  multiplier DOUBLE PRECISION NOT NULL DEFAULT 1,
  currency TEXT NOT NULL DEFAULT 'USD'
);

CREATE TABLE positions (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  portfolio_id BIGINT NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
  instrument_id BIGINT NOT NULL REFERENCES instruments(id),
  ordinal INTEGER NOT NULL,
  quantity DOUBLE PRECISION NOT NULL,
  entry_price DOUBLE PRECISION,
  entry_date TEXT,
  implied_vol DOUBLE PRECISION,
  sector TEXT,
  tags TEXT,
  strategy TEXT,
  currency TEXT
);
CREATE INDEX positions_portfolio ON positions (portfolio_id, ordinal);
-- A position belongs to the tenant of its portfolio; the subquery sees only that tenant's
-- portfolios (RLS applies inside policies too).
SELECT keel_protect('positions', 'EXISTS (SELECT 1 FROM portfolios p WHERE p.id = portfolio_id)');

CREATE TABLE prices (
  instrument_id BIGINT NOT NULL REFERENCES instruments(id),
  date TEXT NOT NULL,
  close DOUBLE PRECISION NOT NULL,
  adj_close DOUBLE PRECISION,
  open DOUBLE PRECISION,
  high DOUBLE PRECISION,
  low DOUBLE PRECISION,
  volume DOUBLE PRECISION,
  PRIMARY KEY (instrument_id, date)
);

CREATE TABLE factor_sets (
  name TEXT PRIMARY KEY,
  factors TEXT NOT NULL
);

CREATE TABLE factor_returns (
  factor_set TEXT NOT NULL,
  factor TEXT NOT NULL,
  date TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (factor_set, factor, date)
);

CREATE TABLE curves (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL,
  as_of TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'USD',
  UNIQUE (name, as_of)
);

CREATE TABLE curve_points (
  curve_id BIGINT NOT NULL REFERENCES curves(id) ON DELETE CASCADE,
  tenor TEXT NOT NULL,
  years DOUBLE PRECISION NOT NULL,
  rate DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (curve_id, tenor)
);
)pg"},
    {2, "ledger: accounts and transactions (exact decimals stored as TEXT)", R"sql(
CREATE TABLE ledger_accounts (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  method TEXT NOT NULL DEFAULT 'fifo',
  allow_short INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'USD',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (tenant, name)
);

CREATE TABLE ledger_transactions (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES ledger_accounts(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  date TEXT NOT NULL,
  type TEXT NOT NULL,
  symbol TEXT NOT NULL DEFAULT '',
  quantity TEXT NOT NULL DEFAULT '0',
  price TEXT NOT NULL DEFAULT '0',
  fees TEXT NOT NULL DEFAULT '0',
  amount TEXT,
  lot_id TEXT NOT NULL DEFAULT '',
  split_ratio TEXT,
  currency TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  method TEXT,
  source TEXT NOT NULL DEFAULT '',
  source_line INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account_id, ordinal)
);
CREATE INDEX ledger_transactions_date ON ledger_transactions (account_id, date);
)sql",
     R"pg(
CREATE TABLE ledger_accounts (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  method TEXT NOT NULL DEFAULT 'fifo',
  allow_short INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'USD',
  created_at TEXT NOT NULL DEFAULT keel_now(),
  UNIQUE (tenant, name)
);
SELECT keel_protect('ledger_accounts', 'tenant = keel_tenant()');

CREATE TABLE ledger_transactions (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES ledger_accounts(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  date TEXT NOT NULL,
  type TEXT NOT NULL,
  symbol TEXT NOT NULL DEFAULT '',
  quantity TEXT NOT NULL DEFAULT '0',
  price TEXT NOT NULL DEFAULT '0',
  fees TEXT NOT NULL DEFAULT '0',
  amount TEXT,
  lot_id TEXT NOT NULL DEFAULT '',
  split_ratio TEXT,
  currency TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  method TEXT,
  source TEXT NOT NULL DEFAULT '',
  source_line INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account_id, ordinal)
);
CREATE INDEX ledger_transactions_date ON ledger_transactions (account_id, date);
SELECT keel_protect('ledger_transactions', 'EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = account_id)');
)pg"},
    {3, "alm: IRRBB sessions (balance sheet, curves, shock table, results; TTL and LRU budget)", R"sql(
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
)sql",
     R"pg(
CREATE TABLE alm_sessions (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  as_of TEXT,
  currency TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  settings TEXT NOT NULL DEFAULT '{}',
  ttl_seconds BIGINT NOT NULL,
  size_bytes BIGINT NOT NULL DEFAULT 0,
  positions BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT keel_now(),
  last_accessed BIGINT NOT NULL,
  UNIQUE (tenant, name)
);
CREATE INDEX alm_sessions_lru ON alm_sessions (last_accessed);
SELECT keel_protect('alm_sessions', 'tenant = keel_tenant()');

CREATE TABLE alm_session_positions (
  session_id BIGINT NOT NULL REFERENCES alm_sessions(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  position_id TEXT NOT NULL,
  side TEXT NOT NULL,
  type TEXT NOT NULL,
  currency TEXT NOT NULL,
  notional DOUBLE PRECISION NOT NULL,
  start_date TEXT NOT NULL,
  maturity_date TEXT NOT NULL,
  rate_type TEXT NOT NULL,
  rate DOUBLE PRECISION NOT NULL,
  spread DOUBLE PRECISION,
  rate_index TEXT NOT NULL DEFAULT '',
  reset_months INTEGER NOT NULL,
  payment_months INTEGER NOT NULL,
  amortization TEXT NOT NULL,
  day_count TEXT NOT NULL,
  first_reset_date TEXT NOT NULL,
  floor DOUBLE PRECISION,
  cap DOUBLE PRECISION,
  behavioural_years DOUBLE PRECISION,
  calendar TEXT NOT NULL,
  line INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, ordinal)
);
SELECT keel_protect('alm_session_positions', 'EXISTS (SELECT 1 FROM alm_sessions s WHERE s.id = session_id)');

CREATE TABLE alm_session_curve_points (
  session_id BIGINT NOT NULL REFERENCES alm_sessions(id) ON DELETE CASCADE,
  currency TEXT NOT NULL,
  curve_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  tenor TEXT NOT NULL,
  years DOUBLE PRECISION NOT NULL,
  rate DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (session_id, currency, years)
);
SELECT keel_protect('alm_session_curve_points', 'EXISTS (SELECT 1 FROM alm_sessions s WHERE s.id = session_id)');

CREATE TABLE alm_session_shocks (
  session_id BIGINT NOT NULL REFERENCES alm_sessions(id) ON DELETE CASCADE,
  currency TEXT NOT NULL,
  parallel_bp DOUBLE PRECISION NOT NULL,
  short_bp DOUBLE PRECISION NOT NULL,
  long_bp DOUBLE PRECISION NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (session_id, currency)
);
SELECT keel_protect('alm_session_shocks', 'EXISTS (SELECT 1 FROM alm_sessions s WHERE s.id = session_id)');

CREATE TABLE alm_session_results (
  session_id BIGINT NOT NULL REFERENCES alm_sessions(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  result TEXT NOT NULL,
  computed_at TEXT NOT NULL DEFAULT keel_now(),
  PRIMARY KEY (session_id, kind)
);
SELECT keel_protect('alm_session_results', 'EXISTS (SELECT 1 FROM alm_sessions s WHERE s.id = session_id)');
)pg"},
    // 4 is reserved for stored CLO deals.
    {5, "server: users, background jobs, audit log, cached results", R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'analyst', 'viewer')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  token_version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  kind TEXT NOT NULL,
  request TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress REAL NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  result TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 3,
  run_after INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX jobs_queue ON jobs (status, run_after, id);
CREATE INDEX jobs_tenant ON jobs (tenant, id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  username TEXT NOT NULL,
  tenant TEXT NOT NULL,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  outcome TEXT NOT NULL,
  client TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_tenant ON audit_log (tenant, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE cached_results (
  tenant TEXT NOT NULL,
  portfolio_id INTEGER NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  result TEXT NOT NULL,
  computed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (tenant, portfolio_id, kind)
);
)sql",
     R"pg(
CREATE TABLE users (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'analyst', 'viewer')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  token_version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL DEFAULT keel_now(),
  updated_at TEXT NOT NULL DEFAULT keel_now()
);
SELECT keel_protect('users', 'tenant_id = keel_tenant_id()');
-- Logging in names a user, not a tenant: this lookup (run with the owner's rights) tells which
-- tenant a user name belongs to, and nothing else; the row itself is then read under that tenant.
CREATE FUNCTION keel_user_tenant(p_username text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT t.name FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.username = p_username $$;
-- The same for a user id (tokens carry the id).
CREATE FUNCTION keel_user_id_tenant(p_id bigint) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT t.name FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = p_id $$;
-- How many users exist in all (a fresh server offers to create the first admin).
CREATE FUNCTION keel_user_count() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT count(*) FROM users $$;

CREATE TABLE jobs (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  kind TEXT NOT NULL,
  request TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress DOUBLE PRECISION NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  result TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 3,
  run_after BIGINT NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT keel_now(),
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX jobs_queue ON jobs (status, run_after, id);
CREATE INDEX jobs_tenant ON jobs (tenant, id);
SELECT keel_protect('jobs', 'tenant = keel_tenant()');
-- The queue is shared by every tenant: these run with the owner's rights and do only what their
-- names say. A worker claims the oldest due job with FOR UPDATE SKIP LOCKED (concurrent claimers
-- never take the same job nor wait on each other); everything else about a job is then done under
-- its tenant (keel_job_tenant).
CREATE FUNCTION keel_job_tenant(p_id bigint) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT tenant FROM jobs WHERE id = p_id $$;
CREATE FUNCTION keel_claim_job(p_now bigint, p_started text) RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE jobs SET status = 'running', attempts = attempts + 1, message = 'started', version = version + 1,
                  started_at = p_started
  WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND run_after <= p_now ORDER BY run_after, id
              LIMIT 1 FOR UPDATE SKIP LOCKED)
  RETURNING id $$;
CREATE FUNCTION keel_requeue_running(p_message text, p_finished text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n bigint;
BEGIN
  UPDATE jobs SET status = 'failed', message = 'interrupted too often',
    error = '{"code":"internal","message":"the server stopped during every attempt","details":[]}',
    version = version + 1, finished_at = p_finished
  WHERE status = 'running' AND attempts >= max_attempts;
  UPDATE jobs SET status = 'queued', progress = 0, message = p_message, version = version + 1
  WHERE status = 'running';
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
CREATE FUNCTION keel_job_counts() RETURNS TABLE (job_status text, job_count bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT status, count(*) FROM jobs GROUP BY status $$;

CREATE TABLE audit_log (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at TEXT NOT NULL DEFAULT keel_now(),
  username TEXT NOT NULL,
  tenant TEXT NOT NULL,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  outcome TEXT NOT NULL,
  client TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_tenant ON audit_log (tenant, id);
SELECT keel_protect('audit_log', 'tenant = keel_tenant()');
-- Entries of no tenant (the keel command's own user administration, failed logins of unknown
-- names) may be appended by anyone; only the owner role reads them.
CREATE POLICY system_entries ON audit_log FOR INSERT WITH CHECK (tenant = '');
-- Append-only for every role, the owner included (the application role also lacks the grants).
CREATE FUNCTION keel_audit_append_only() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION keel_audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION keel_audit_append_only();

CREATE TABLE cached_results (
  tenant TEXT NOT NULL,
  portfolio_id BIGINT NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  result TEXT NOT NULL,
  computed_at TEXT NOT NULL DEFAULT keel_now(),
  PRIMARY KEY (tenant, portfolio_id, kind)
);
SELECT keel_protect('cached_results', 'tenant = keel_tenant()');
)pg"},
    {6, "batch: portfolio snapshots (value, P&L and risk per as-of date)", R"sql(
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
)sql",
     R"pg(
CREATE TABLE portfolio_snapshots (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant TEXT NOT NULL,
  portfolio TEXT NOT NULL,
  as_of TEXT NOT NULL,
  net_value_amount DOUBLE PRECISION,
  gross_value_amount DOUBLE PRECISION,
  pnl_1d_amount DOUBLE PRECISION,
  var_amount DOUBLE PRECISION,
  es_amount DOUBLE PRECISION,
  var_method TEXT,
  backtest_zone TEXT,
  beta_mkt DOUBLE PRECISION,
  report_json TEXT,
  created_at TEXT NOT NULL DEFAULT keel_now(),
  UNIQUE (tenant, portfolio, as_of)
);
SELECT keel_protect('portfolio_snapshots', 'tenant = keel_tenant()');
)pg"},
    {7, "what-if: modelling sessions (proposed trades on a portfolio)", R"sql(
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
)sql",
     R"pg(
CREATE TABLE modelling_sessions (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant TEXT NOT NULL,
  owner TEXT NOT NULL,
  portfolio_id BIGINT NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT keel_now(),
  updated_at TEXT NOT NULL DEFAULT keel_now()
);
CREATE INDEX modelling_sessions_tenant ON modelling_sessions (tenant, id);
SELECT keel_protect('modelling_sessions', 'tenant = keel_tenant()');

CREATE TABLE modelling_trades (
  session_id BIGINT NOT NULL REFERENCES modelling_sessions(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  symbol TEXT NOT NULL,
  quantity DOUBLE PRECISION NOT NULL,
  price DOUBLE PRECISION,
  type TEXT NOT NULL,
  underlying TEXT NOT NULL DEFAULT '',
  strike DOUBLE PRECISION,
  expiry TEXT,
  option_type TEXT,
  exercise TEXT NOT NULL DEFAULT 'european',
  multiplier DOUBLE PRECISION NOT NULL DEFAULT 1,
  implied_vol DOUBLE PRECISION,
  sector TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  strategy TEXT NOT NULL DEFAULT '',
  currency TEXT NOT NULL DEFAULT 'USD',
  origin TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (session_id, ordinal)
);
SELECT keel_protect('modelling_trades', 'EXISTS (SELECT 1 FROM modelling_sessions s WHERE s.id = session_id)');
)pg"},
    {8, "options: per-position continuous dividend yield (decimal; NULL = the run's default)", R"sql(
ALTER TABLE positions ADD COLUMN dividend_yield REAL;
)sql",
     R"pg(
ALTER TABLE positions ADD COLUMN dividend_yield DOUBLE PRECISION;
)pg"},
    {9, "ledger: net-worth snapshots (per account, or '' for all accounts of the tenant)", R"sql(
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
)sql",
     R"pg(
CREATE TABLE ledger_snapshots (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant TEXT NOT NULL,
  account_id BIGINT REFERENCES ledger_accounts(id) ON DELETE CASCADE,
  scope TEXT NOT NULL,
  as_of TEXT NOT NULL,
  net_worth TEXT NOT NULL,
  market_value TEXT NOT NULL,
  cash TEXT NOT NULL,
  cost_basis TEXT NOT NULL,
  unrealized TEXT NOT NULL,
  unpriced INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT keel_now(),
  UNIQUE (tenant, scope, as_of)
);
SELECT keel_protect('ledger_snapshots', 'tenant = keel_tenant()');
)pg"},
    {10, "server: a tenant's tag registry (tags stay on positions.tags)", R"sql(
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (tenant, name)
);
)sql",
     R"pg(
CREATE TABLE tags (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT keel_now(),
  UNIQUE (tenant, name)
);
SELECT keel_protect('tags', 'tenant = keel_tenant()');
)pg"},
    {11, "what-if: modelling trades carry the option's dividend yield like positions", R"sql(
ALTER TABLE modelling_trades ADD COLUMN dividend_yield REAL;
)sql",
     R"pg(
ALTER TABLE modelling_trades ADD COLUMN dividend_yield DOUBLE PRECISION;
)pg"},
    {22, "market data: corporate actions (splits, cash dividends) and the dates each series was synced for",
     R"sql(
CREATE TABLE corporate_actions (
  symbol TEXT NOT NULL,
  ex_date TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('split', 'dividend')),
  split_ratio REAL,
  cash_amount REAL,
  currency TEXT NOT NULL DEFAULT 'USD',
  source TEXT NOT NULL DEFAULT '',
  fetched_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (symbol, ex_date, kind)
) WITHOUT ROWID;

CREATE TABLE market_data_coverage (
  dataset TEXT NOT NULL,
  series TEXT NOT NULL,
  provider TEXT NOT NULL,
  covered_from TEXT NOT NULL,
  covered_to TEXT NOT NULL,
  synced_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (dataset, series)
) WITHOUT ROWID;
)sql",
     R"pg(
CREATE TABLE corporate_actions (
  symbol TEXT NOT NULL,
  ex_date TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('split', 'dividend')),
  split_ratio DOUBLE PRECISION,
  cash_amount DOUBLE PRECISION,
  currency TEXT NOT NULL DEFAULT 'USD',
  source TEXT NOT NULL DEFAULT '',
  fetched_at TEXT NOT NULL DEFAULT keel_now(),
  PRIMARY KEY (symbol, ex_date, kind)
);

CREATE TABLE market_data_coverage (
  dataset TEXT NOT NULL,
  series TEXT NOT NULL,
  provider TEXT NOT NULL,
  covered_from TEXT NOT NULL,
  covered_to TEXT NOT NULL,
  synced_at TEXT NOT NULL DEFAULT keel_now(),
  PRIMARY KEY (dataset, series)
);
)pg"},
    {26, "key vault: API keys sealed under the master key, per tenant (never a value in clear)", R"sql(
CREATE TABLE vault_keys (
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  format INTEGER NOT NULL,
  master_key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  ciphertext TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, name)
) WITHOUT ROWID;
)sql",
     R"pg(
CREATE TABLE vault_keys (
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  format INTEGER NOT NULL,
  master_key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  ciphertext TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, name)
);
SELECT keel_protect('vault_keys', 'tenant = keel_tenant()');
-- A master-key rotation re-seals every tenant's rows, and the first key of a tenant is sealed under
-- the master key the other tenants' rows use: these lookups (run with the owner's rights) answer
-- which tenants hold keys and which master key ids sealed them, and nothing else; the rows
-- themselves are then read and written under each tenant.
CREATE FUNCTION keel_vault_tenants() RETURNS TABLE (vault_tenant text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT DISTINCT tenant FROM vault_keys ORDER BY 1 $$;
CREATE FUNCTION keel_vault_master_key_ids() RETURNS TABLE (vault_master_key_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT DISTINCT master_key_id FROM vault_keys ORDER BY 1 $$;
)pg"},
    {28,
     "postgresql: the owner's lookups for calls that name an ALM or what-if session by id, and ALM cleanup",
     R"sql(
-- Nothing on SQLite: one connection sees every tenant there. The PostgreSQL text gives the
-- application role, which sees one tenant per transaction, the few cross-tenant answers it needs.
)sql",
     R"pg(
-- A session named by id (results, trades) is read and written under its own tenant: these say
-- which tenant that is, and nothing else (like keel_job_tenant).
CREATE FUNCTION keel_alm_session_tenant(p_id bigint) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT tenant FROM alm_sessions WHERE id = p_id $$;
CREATE FUNCTION keel_modelling_session_tenant(p_id bigint) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT tenant FROM modelling_sessions WHERE id = p_id $$;
-- ALM expiry and the disk budget are shared by every tenant: delete the sessions past their TTL,
-- then the least recently used (by last_accessed, then id) while the total estimated size exceeds
-- the budget (0 = none). Session k in that order goes when total - (sizes before k) > budget, which
-- is the SQLite backend's one-by-one loop in one statement. Concurrent cleanups queue on a lock.
CREATE FUNCTION keel_alm_cleanup(p_now bigint, p_budget bigint,
                                 OUT expired bigint, OUT evicted bigint, OUT bytes_after bigint)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7031988);
  DELETE FROM alm_sessions WHERE last_accessed + ttl_seconds < p_now;
  GET DIAGNOSTICS expired = ROW_COUNT;
  evicted := 0;
  IF p_budget > 0 THEN
    WITH ordered AS (
      SELECT id, sum(size_bytes) OVER (ORDER BY last_accessed, id) - size_bytes AS before,
             sum(size_bytes) OVER () AS total
      FROM alm_sessions)
    DELETE FROM alm_sessions s USING ordered o WHERE s.id = o.id AND o.total - o.before > p_budget;
    GET DIAGNOSTICS evicted = ROW_COUNT;
  END IF;
  SELECT COALESCE(sum(size_bytes), 0) INTO bytes_after FROM alm_sessions;
END $$;
)pg"},
    {30,
     "jobs: leases renewed by heartbeat with a fencing token, sharded jobs (parent, shards, output), "
     "change notifications",
     R"sql(
-- A running job is held by a lease: lease_owner (the worker) until lease_expires_ms (epoch ms),
-- renewed by heartbeat; a job whose lease expired is claimed again. The fencing token is the
-- attempt number (attempts): every write of a worker names it, and a worker whose lease was lost
-- (the job claimed again, so attempts moved on) writes nothing. Jobs left running by a keel of
-- before this migration have lease_expires_ms 0: expired, claimed again.
ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE jobs ADD COLUMN lease_expires_ms INTEGER NOT NULL DEFAULT 0;
-- A sharded job (a large Monte Carlo run): the parent waits (running, pending_shards > 0, no lease)
-- while its shards, jobs of their own with parent_id set, run on any worker; each shard keeps its
-- path values in `output`. When the last shard ends, the parent is queued again to reduce.
ALTER TABLE jobs ADD COLUMN parent_id INTEGER REFERENCES jobs(id) ON DELETE CASCADE;
ALTER TABLE jobs ADD COLUMN shards INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN pending_shards INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN output BLOB;
CREATE INDEX jobs_parent ON jobs (parent_id);
CREATE TRIGGER jobs_shard_done AFTER UPDATE OF status ON jobs
WHEN NEW.parent_id IS NOT NULL AND OLD.status IN ('queued', 'running')
     AND NEW.status IN ('succeeded', 'failed', 'cancelled')
BEGIN
  UPDATE jobs SET pending_shards = pending_shards - 1,
                  progress = 0.05 + 0.9 * (shards - pending_shards + 1) / (1.0 * shards),
                  message = 'shard ' || (shards - pending_shards + 1) || ' of ' || shards || ' done',
                  version = version + 1
  WHERE id = NEW.parent_id AND pending_shards > 0;
  UPDATE jobs SET status = 'queued', run_after = 0, lease_owner = NULL,
                  message = 'reducing ' || shards || ' shards', version = version + 1
  WHERE id = NEW.parent_id AND pending_shards = 0 AND shards > 0 AND status = 'running';
END;
)sql",
     R"pg(
ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE jobs ADD COLUMN lease_expires_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN parent_id BIGINT REFERENCES jobs(id) ON DELETE CASCADE;
ALTER TABLE jobs ADD COLUMN shards INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN pending_shards INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN output BYTEA;
CREATE INDEX jobs_parent ON jobs (parent_id);
-- Shards run under their parent's tenant, so this runs under the row-level security of the
-- transaction that ended the shard (the parent is the same tenant's).
CREATE FUNCTION keel_job_shard_done() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE jobs SET pending_shards = pending_shards - 1,
                  progress = 0.05 + 0.9 * (shards - pending_shards + 1)::double precision / shards,
                  message = 'shard ' || (shards - pending_shards + 1) || ' of ' || shards || ' done',
                  version = version + 1
  WHERE id = NEW.parent_id AND pending_shards > 0;
  UPDATE jobs SET status = 'queued', run_after = 0, lease_owner = NULL,
                  message = 'reducing ' || shards || ' shards', version = version + 1
  WHERE id = NEW.parent_id AND pending_shards = 0 AND shards > 0 AND status = 'running';
  RETURN NULL;
END $$;
CREATE TRIGGER jobs_shard_done AFTER UPDATE OF status ON jobs FOR EACH ROW
  WHEN (NEW.parent_id IS NOT NULL AND OLD.status IN ('queued', 'running')
        AND NEW.status IN ('succeeded', 'failed', 'cancelled'))
  EXECUTE FUNCTION keel_job_shard_done();
-- Every new job and every change of one (its version) is announced on the channel keel_jobs with
-- the payload '<id> <status>', delivered at commit: keel serve LISTENs to push progress to its
-- event streams, keel worker to claim new jobs at once. The payload names no tenant or content.
CREATE FUNCTION keel_job_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('keel_jobs', NEW.id::text || ' ' || NEW.status);
  RETURN NULL;
END $$;
CREATE TRIGGER jobs_notify_insert AFTER INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION keel_job_notify();
CREATE TRIGGER jobs_notify_update AFTER UPDATE ON jobs FOR EACH ROW
  WHEN (OLD.version IS DISTINCT FROM NEW.version) EXECUTE FUNCTION keel_job_notify();
-- Claiming crosses tenants: the oldest due queued job, or a running one whose lease expired (a
-- worker that died or stopped renewing), FOR UPDATE SKIP LOCKED, becomes running under the new
-- lease with attempts + 1 (the new fencing token). A job whose lease expired with no attempt left
-- is failed first, its last error kept when it had one.
DROP FUNCTION keel_claim_job(bigint, text);
DROP FUNCTION keel_requeue_running(text, text);
CREATE FUNCTION keel_claim_job(p_now bigint, p_now_ms bigint, p_started text, p_owner text, p_lease_ms bigint)
  RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE v_id bigint;
BEGIN
  UPDATE jobs SET status = 'failed', message = 'failed: the lease was lost in every attempt',
    error = COALESCE(error, '{"code":"internal","message":"the worker running it stopped (its lease '
                            'expired) in every attempt","details":[]}'),
    lease_owner = NULL, version = version + 1, finished_at = p_started
  WHERE status = 'running' AND pending_shards = 0 AND lease_expires_ms < p_now_ms AND attempts >= max_attempts;
  SELECT id INTO v_id FROM jobs
  WHERE (status = 'queued' AND run_after <= p_now)
     OR (status = 'running' AND pending_shards = 0 AND lease_expires_ms < p_now_ms)
  ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF v_id IS NULL THEN RETURN NULL; END IF;
  UPDATE jobs SET message = CASE WHEN status = 'running' THEN 'claimed again: the lease of attempt ' || attempts ||
                                                              ' expired' ELSE 'started' END,
                  status = 'running', attempts = attempts + 1, lease_owner = p_owner,
                  lease_expires_ms = p_now_ms + p_lease_ms, version = version + 1, started_at = p_started
  WHERE id = v_id;
  RETURN v_id;
END $$;
)pg"},
    {31, "server: rate limits and login throttling shared by every keel serve of one database", R"sql(
-- Token buckets (per user name or client address) and failed-login counters; server state, not a
-- tenant's (keys name users and addresses), so no row-level security on PostgreSQL.
CREATE TABLE rate_buckets (
  key TEXT PRIMARY KEY,
  tokens REAL NOT NULL,
  updated_at REAL NOT NULL
);
CREATE TABLE login_failures (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  blocked_until REAL NOT NULL,
  last_failure REAL NOT NULL
);
)sql",
     R"pg(
-- UNLOGGED: no WAL, so a request's token costs no disk flush; after a crash of the database
-- server (and on a promoted standby) the tables start empty, which forgets counters as a restart
-- of one keel serve forgets its in-memory ones.
CREATE UNLOGGED TABLE rate_buckets (
  key TEXT PRIMARY KEY,
  tokens DOUBLE PRECISION NOT NULL,
  updated_at DOUBLE PRECISION NOT NULL
);
CREATE UNLOGGED TABLE login_failures (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  blocked_until DOUBLE PRECISION NOT NULL,
  last_failure DOUBLE PRECISION NOT NULL
);
-- One request against the token bucket of p_key (capacity p_capacity, refilled at p_refill per
-- second): 0 when a token was taken, else the seconds until one is there. The upsert locks the
-- key's row until the commit, so concurrent servers take tokens one after the other.
CREATE FUNCTION keel_rate_take(p_key text, p_capacity double precision, p_refill double precision,
                               p_now double precision) RETURNS double precision
  LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE t double precision;
BEGIN
  INSERT INTO rate_buckets AS b (key, tokens, updated_at) VALUES (p_key, p_capacity, p_now)
  ON CONFLICT (key) DO UPDATE
    SET tokens = LEAST(p_capacity, b.tokens + GREATEST(0, p_now - b.updated_at) * p_refill),
        updated_at = GREATEST(b.updated_at, p_now)
  RETURNING tokens INTO t;
  IF t >= 1 THEN
    UPDATE rate_buckets SET tokens = t - 1 WHERE key = p_key;
    RETURN 0;
  END IF;
  RETURN (1 - t) / p_refill;
END $$;
-- A failed login of p_key: after p_free failures in a row, blocked for p_base x 2^(failures - p_free)
-- seconds (at most p_max); a count whose last failure is older than p_forget (> 0) starts afresh.
CREATE FUNCTION keel_login_failure(p_key text, p_now double precision, p_free integer,
                                   p_base double precision, p_max double precision,
                                   p_forget double precision) RETURNS void
  LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE n integer;
BEGIN
  INSERT INTO login_failures AS f (key, failures, blocked_until, last_failure) VALUES (p_key, 1, 0, p_now)
  ON CONFLICT (key) DO UPDATE
    SET failures = CASE WHEN p_forget > 0 AND p_now - f.last_failure > p_forget THEN 1 ELSE f.failures + 1 END,
        last_failure = p_now
  RETURNING failures INTO n;
  IF n - p_free >= 0 THEN
    UPDATE login_failures
      SET blocked_until = p_now + LEAST(p_max, p_base * power(2, LEAST(n - p_free, 30)))
      WHERE key = p_key;
  END IF;
END $$;
)pg"},
    {40, "assistant: LLM providers per user, privacy policy per tenant, conversations with every message and "
         "provider exchange",
     R"sql(
CREATE TABLE assistant_providers (
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  name TEXT NOT NULL,
  format TEXT NOT NULL,
  base_url TEXT NOT NULL,
  model TEXT NOT NULL,
  key_name TEXT NOT NULL DEFAULT '',
  input_usd_per_mtok REAL NOT NULL DEFAULT 0,
  output_usd_per_mtok REAL NOT NULL DEFAULT 0,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant, username, name)
) WITHOUT ROWID;
CREATE TABLE assistant_policies (
  tenant TEXT NOT NULL PRIMARY KEY,
  local_only INTEGER NOT NULL DEFAULT 0,
  allowed_hosts TEXT NOT NULL DEFAULT '',
  redaction TEXT NOT NULL DEFAULT 'off',
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE assistant_conversations (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  redaction_map TEXT NOT NULL DEFAULT '{}',
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX assistant_conversations_user ON assistant_conversations (tenant, username, id);
CREATE TABLE assistant_messages (
  conversation_id INTEGER NOT NULL REFERENCES assistant_conversations(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  sent TEXT NOT NULL DEFAULT '',
  tool_calls TEXT NOT NULL DEFAULT '[]',
  tool_call_id TEXT NOT NULL DEFAULT '',
  tool_name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'ok',
  extra TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  PRIMARY KEY (conversation_id, ordinal)
) WITHOUT ROWID;
CREATE TABLE assistant_exchanges (
  conversation_id INTEGER NOT NULL REFERENCES assistant_conversations(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  provider TEXT NOT NULL,
  format TEXT NOT NULL,
  host TEXT NOT NULL,
  model TEXT NOT NULL,
  messages_sent INTEGER NOT NULL,
  bytes_sent INTEGER NOT NULL DEFAULT 0,
  bytes_received INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  estimated INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'ok',
  error TEXT NOT NULL DEFAULT '',
  redacted INTEGER NOT NULL DEFAULT 0,
  at TEXT NOT NULL,
  PRIMARY KEY (conversation_id, ordinal)
) WITHOUT ROWID;
)sql",
     R"pg(
CREATE TABLE assistant_providers (
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  name TEXT NOT NULL,
  format TEXT NOT NULL,
  base_url TEXT NOT NULL,
  model TEXT NOT NULL,
  key_name TEXT NOT NULL DEFAULT '',
  input_usd_per_mtok DOUBLE PRECISION NOT NULL DEFAULT 0,
  output_usd_per_mtok DOUBLE PRECISION NOT NULL DEFAULT 0,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant, username, name)
);
SELECT keel_protect('assistant_providers', 'tenant = keel_tenant()');
CREATE TABLE assistant_policies (
  tenant TEXT NOT NULL PRIMARY KEY,
  local_only INTEGER NOT NULL DEFAULT 0,
  allowed_hosts TEXT NOT NULL DEFAULT '',
  redaction TEXT NOT NULL DEFAULT 'off',
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT ''
);
SELECT keel_protect('assistant_policies', 'tenant = keel_tenant()');
CREATE TABLE assistant_conversations (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  redaction_map TEXT NOT NULL DEFAULT '{}',
  input_tokens BIGINT NOT NULL DEFAULT 0,
  output_tokens BIGINT NOT NULL DEFAULT 0,
  cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX assistant_conversations_user ON assistant_conversations (tenant, username, id);
SELECT keel_protect('assistant_conversations', 'tenant = keel_tenant()');
CREATE TABLE assistant_messages (
  conversation_id BIGINT NOT NULL REFERENCES assistant_conversations(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  sent TEXT NOT NULL DEFAULT '',
  tool_calls TEXT NOT NULL DEFAULT '[]',
  tool_call_id TEXT NOT NULL DEFAULT '',
  tool_name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'ok',
  extra TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  PRIMARY KEY (conversation_id, ordinal)
);
SELECT keel_protect('assistant_messages',
                    'EXISTS (SELECT 1 FROM assistant_conversations c WHERE c.id = conversation_id)');
CREATE TABLE assistant_exchanges (
  conversation_id BIGINT NOT NULL REFERENCES assistant_conversations(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  provider TEXT NOT NULL,
  format TEXT NOT NULL,
  host TEXT NOT NULL,
  model TEXT NOT NULL,
  messages_sent INTEGER NOT NULL,
  bytes_sent BIGINT NOT NULL DEFAULT 0,
  bytes_received BIGINT NOT NULL DEFAULT 0,
  input_tokens BIGINT NOT NULL DEFAULT 0,
  output_tokens BIGINT NOT NULL DEFAULT 0,
  estimated INTEGER NOT NULL DEFAULT 0,
  cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'ok',
  error TEXT NOT NULL DEFAULT '',
  redacted INTEGER NOT NULL DEFAULT 0,
  at TEXT NOT NULL,
  PRIMARY KEY (conversation_id, ordinal)
);
SELECT keel_protect('assistant_exchanges',
                    'EXISTS (SELECT 1 FROM assistant_conversations c WHERE c.id = conversation_id)');
)pg"},
    {50, "clo: deals stored per tenant, their versions (structure, assumptions) and collateral sets", R"sql(
CREATE TABLE clo_deals (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  currency TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (tenant, name)
);

CREATE TABLE clo_deal_versions (
  deal_id INTEGER NOT NULL REFERENCES clo_deals(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  collateral_set INTEGER NOT NULL,
  cdr REAL NOT NULL,
  cpr REAL NOT NULL,
  recovery REAL NOT NULL,
  recovery_lag_months INTEGER NOT NULL,
  change TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (deal_id, version)
) WITHOUT ROWID;

CREATE TABLE clo_deal_collateral (
  deal_id INTEGER NOT NULL REFERENCES clo_deals(id) ON DELETE CASCADE,
  collateral_set INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  obligor TEXT NOT NULL,
  industry TEXT NOT NULL,
  par REAL NOT NULL,
  price REAL NOT NULL,
  coupon_type TEXT NOT NULL,
  spread REAL NOT NULL,
  floor REAL NOT NULL,
  coupon REAL NOT NULL,
  maturity TEXT NOT NULL,
  rating TEXT NOT NULL,
  lien TEXT NOT NULL,
  defaulted INTEGER NOT NULL,
  PRIMARY KEY (deal_id, collateral_set, ordinal)
) WITHOUT ROWID;
)sql",
     R"pg(
CREATE TABLE clo_deals (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  currency TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  UNIQUE (tenant, name)
);
SELECT keel_protect('clo_deals', 'tenant = keel_tenant()');

CREATE TABLE clo_deal_versions (
  deal_id BIGINT NOT NULL REFERENCES clo_deals(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  collateral_set INTEGER NOT NULL,
  cdr DOUBLE PRECISION NOT NULL,
  cpr DOUBLE PRECISION NOT NULL,
  recovery DOUBLE PRECISION NOT NULL,
  recovery_lag_months INTEGER NOT NULL,
  change TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (deal_id, version)
);
SELECT keel_protect('clo_deal_versions', 'EXISTS (SELECT 1 FROM clo_deals d WHERE d.id = deal_id)');

CREATE TABLE clo_deal_collateral (
  deal_id BIGINT NOT NULL REFERENCES clo_deals(id) ON DELETE CASCADE,
  collateral_set INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  obligor TEXT NOT NULL,
  industry TEXT NOT NULL,
  par DOUBLE PRECISION NOT NULL,
  price DOUBLE PRECISION NOT NULL,
  coupon_type TEXT NOT NULL,
  spread DOUBLE PRECISION NOT NULL,
  floor DOUBLE PRECISION NOT NULL,
  coupon DOUBLE PRECISION NOT NULL,
  maturity TEXT NOT NULL,
  rating TEXT NOT NULL,
  lien TEXT NOT NULL,
  defaulted INTEGER NOT NULL,
  PRIMARY KEY (deal_id, collateral_set, ordinal)
);
SELECT keel_protect('clo_deal_collateral', 'EXISTS (SELECT 1 FROM clo_deals d WHERE d.id = deal_id)');
)pg"},
    {60, "ledger: broker mappings saved by name per tenant (the JSON document of docs/ledger.md)", R"sql(
CREATE TABLE ledger_mappings (
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, name)
) WITHOUT ROWID;
)sql",
     R"pg(
CREATE TABLE ledger_mappings (
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant, name)
);
SELECT keel_protect('ledger_mappings', 'tenant = keel_tenant()');
)pg"},
    {61, "ledger: net-worth snapshots keep market value by asset class (class=decimal;..., NULL before)",
     R"sql(
ALTER TABLE ledger_snapshots ADD COLUMN asset_classes TEXT;
)sql",
     R"pg(
ALTER TABLE ledger_snapshots ADD COLUMN asset_classes TEXT;
)pg"},
    {70, "users: the token revocation journal (signed-out tokens and account changes) that every server polls",
     R"sql(
-- One row per signed-out token (jti) and per change of a user row (jti NULL: every token issued
-- before). Servers read `id > last seen`; ids follow commit order (one writer at a time). Rows are
-- deleted once expired, except the newest, so ids never restart.
CREATE TABLE token_revocations (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  jti TEXT,
  expires_at INTEGER NOT NULL,  -- epoch seconds
  created_at TEXT NOT NULL
);
CREATE INDEX token_revocations_expiry ON token_revocations (expires_at);
)sql",
     R"pg(
-- Writers take an advisory lock before their row is numbered (src/store/pg/repositories.cpp), so
-- ids follow commit order and a reader of `id > N` never skips a row committed late.
CREATE TABLE token_revocations (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant TEXT NOT NULL,
  user_id BIGINT NOT NULL,
  jti TEXT,
  expires_at BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX token_revocations_expiry ON token_revocations (expires_at);
SELECT keel_protect('token_revocations', 'tenant = keel_tenant()');
-- Every server reads every tenant's rows (it checks the tokens of all of them): the rows carry ids
-- and token ids only, through this lookup with the owner's rights.
CREATE FUNCTION keel_token_revocations_since(p_after bigint, p_limit bigint)
  RETURNS TABLE (rev_id bigint, rev_user_id bigint, rev_jti text, rev_expires_at bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT r.id, r.user_id, r.jti, r.expires_at FROM token_revocations r
        WHERE r.id > p_after ORDER BY r.id LIMIT p_limit $$;
CREATE FUNCTION keel_token_revocations_prune(p_now bigint) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n bigint;
BEGIN
  DELETE FROM token_revocations r
  WHERE r.expires_at < p_now AND r.id < (SELECT max(x.id) FROM token_revocations x);
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
)pg"},
    {71, "keys bound to the origins they may be sent to; assistant providers are the tenant's, set by admins",
     kMigration71, kMigration71},
    {75,
     "prices: dates as day numbers (days since 1970-01-01), which makes bulk imports smaller and faster",
     R"sql(
-- A price row keyed by (instrument, day number) is 12% smaller than with ISO text, and the
-- B-tree compares integers: a 607,622-row import writes less and costs less CPU. The rows are
-- copied once into the new table (julianday of an ISO date minus that of 1970-01-01).
CREATE TABLE prices_by_day (
  instrument_id INTEGER NOT NULL REFERENCES instruments(id),
  date INTEGER NOT NULL,  -- days since 1970-01-01 (keel::Date::serial)
  close REAL NOT NULL,
  adj_close REAL,
  open REAL,
  high REAL,
  low REAL,
  volume REAL,
  PRIMARY KEY (instrument_id, date)
) WITHOUT ROWID;
INSERT INTO prices_by_day (instrument_id, date, close, adj_close, open, high, low, volume)
  SELECT instrument_id, CAST(julianday(date) - 2440587.5 AS INTEGER), close, adj_close, open, high, low, volume
  FROM prices;
DROP TABLE prices;
ALTER TABLE prices_by_day RENAME TO prices;
)sql",
     R"pg(
-- Nothing on PostgreSQL: its prices.date is a DATE, already four bytes.
SELECT 1;
)pg"},
    {76,
     "prices: on PostgreSQL the instrument of written prices is checked once per statement, not per row",
     R"sql(
-- Nothing on SQLite: its foreign key stays (a bulk price import checks its instruments once
-- itself, Database::begin_bulk_write).
SELECT 1;
)sql",
     R"pg(
-- The foreign key prices -> instruments ran a query of its own for every row written: 60% of the
-- server's work in a bulk price import. The same rule is kept by triggers that check each
-- statement's rows at once (a bulk import writes ~16,000 rows a statement), and refuse what the
-- foreign key refused, with its SQLSTATE (23503, foreign_key_violation).
ALTER TABLE prices DROP CONSTRAINT prices_instrument_id_fkey;

-- Rows inserted (INSERT or COPY, ON CONFLICT's inserts included): their instruments exist, and
-- are locked FOR KEY SHARE, as a foreign key's check locks them, so that none can be deleted or
-- renumbered before this transaction ends. The lock comes first: it waits for a concurrent
-- delete to end, and the check after it sees that delete's commit (READ COMMITTED).
CREATE FUNCTION keel_prices_instruments_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
  missing bigint;
BEGIN
  SELECT array_agg(d.instrument_id) INTO ids
    FROM (SELECT DISTINCT n.instrument_id FROM keel_written_prices n) d;
  PERFORM 1 FROM instruments i WHERE i.id = ANY (ids) FOR KEY SHARE OF i;
  SELECT x INTO missing FROM unnest(ids) AS x
    WHERE NOT EXISTS (SELECT 1 FROM instruments i WHERE i.id = x) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insert or update on table "prices": instrument % does not exist', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER prices_instruments_exist AFTER INSERT ON prices REFERENCING NEW TABLE AS keel_written_prices
  FOR EACH STATEMENT EXECUTE FUNCTION keel_prices_instruments_exist();

-- An UPDATE that sets instrument_id (keel never does): checked row by row, as before.
CREATE FUNCTION keel_price_instrument_exists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM instruments i WHERE i.id = NEW.instrument_id FOR KEY SHARE OF i;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'insert or update on table "prices": instrument % does not exist', NEW.instrument_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER prices_instrument_exists AFTER UPDATE OF instrument_id ON prices
  FOR EACH ROW EXECUTE FUNCTION keel_price_instrument_exists();

-- An instrument that prices name is neither deleted nor renumbered (nor truncated). The DELETE
-- or UPDATE has locked the instrument's row before this runs, so it waited for any writer
-- holding the lock above, and the check sees that writer's prices once it committed: in READ
-- COMMITTED, where each statement sees the latest commits. A REPEATABLE READ or SERIALIZABLE
-- transaction would check against its older snapshot, so it is refused such a change outright.
CREATE FUNCTION keel_instruments_unreferenced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.id = OLD.id THEN
      RETURN NEW;
    END IF;
  END IF;
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'instruments are deleted or renumbered only in READ COMMITTED transactions'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF TG_OP = 'TRUNCATE' THEN
    IF EXISTS (SELECT 1 FROM prices) THEN
      RAISE EXCEPTION 'cannot truncate instruments: prices name them' USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM prices p WHERE p.instrument_id = OLD.id) THEN
    RAISE EXCEPTION 'update or delete on table "instruments": prices name instrument %', OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER instruments_unreferenced BEFORE DELETE OR UPDATE OF id ON instruments
  FOR EACH ROW EXECUTE FUNCTION keel_instruments_unreferenced();
CREATE TRIGGER instruments_not_truncated BEFORE TRUNCATE ON instruments
  FOR EACH STATEMENT EXECUTE FUNCTION keel_instruments_unreferenced();
)pg"},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

void migrate(Database& db) {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
          "description TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT "
          "(strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))");
  // Apply every migration not yet recorded, in version order, so that a migration numbered
  // below the newest applied one (developed in parallel) is still applied.
  std::vector<int> applied;
  auto st = db.prepare("SELECT version FROM schema_version ORDER BY version");
  while (st.step()) applied.push_back(static_cast<int>(st.get_int(0)));
  const int latest = migrations().empty() ? 0 : migrations().back().version;
  if (!applied.empty() && applied.back() > latest) {
    throw Error::invalid_input("database schema version " + std::to_string(applied.back()) +
                               " is newer than this keel (" + std::to_string(latest) + "): upgrade keel");
  }
  for (const Migration& m : migrations()) {
    if (std::find(applied.begin(), applied.end(), m.version) != applied.end()) continue;
    db.transaction([&] {
      // Another process opening the same new store may have applied it since the read above:
      // check again under the write lock (BEGIN IMMEDIATE) before applying.
      bool done = false;
      {
        auto st2 = db.prepare("SELECT 1 FROM schema_version WHERE version = ?");
        st2.bind(1, m.version);
        done = st2.step();
      }
      if (done) return;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_version (version, description) VALUES (?, ?)")
          .bind(1, m.version)
          .bind(2, m.description)
          .run();
    });
  }
}

}  // namespace keel::store
