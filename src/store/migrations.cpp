#include "keel/store/migrations.h"

#include <algorithm>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/store/database.h"

namespace keel::store {
namespace {

// Dates are ISO text (YYYY-MM-DD), times ISO-8601 UTC text; amounts REAL unless a domain needs
// exact decimals (the ledger stores those as TEXT).
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
)sql"},
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
)sql"},
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
)sql"},
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
)sql"},
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
)sql"},
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
)sql"},
    {8, "options: per-position continuous dividend yield (decimal; NULL = the run's default)", R"sql(
ALTER TABLE positions ADD COLUMN dividend_yield REAL;
)sql"},
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
)sql"},
    {10, "server: a tenant's tag registry (tags stay on positions.tags)", R"sql(
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (tenant, name)
);
)sql"},
    {11, "what-if: modelling trades carry the option's dividend yield like positions", R"sql(
ALTER TABLE modelling_trades ADD COLUMN dividend_yield REAL;
)sql"},
    {22, "market data: corporate actions (splits, cash dividends) and the dates each series was synced for", R"sql(
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
)sql"},
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
