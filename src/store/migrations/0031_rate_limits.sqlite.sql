-- keel migration: server: rate limits and login throttling shared by every keel serve of one database
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
