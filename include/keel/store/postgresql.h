// keel/store/postgresql.h: the PostgreSQL backend of keel::Store (server deployments).
//
// A store is named by a URL, `postgresql://ROLE@HOST:PORT/DATABASE` (or `postgres://`, with any
// libpq parameter in the query string, e.g. `?host=/run/postgresql` for a Unix socket). keel
// adds one parameter of its own, `pool_size` (connections per process, default 8), which is taken
// out before the URL reaches libpq. open_store() (store.h) opens such a URL with this backend.
//
// Two roles: the owner role runs `migrate` (it owns every table, function and policy); the
// application role (`keel serve`, the CLI) owns nothing, holds only DML grants, and every tenant
// table has ENABLE + FORCE ROW LEVEL SECURITY with a policy on the tenant of the transaction
// (set with set_config('keel.tenant', name, true) at the start of each transaction, never per
// session). Opening a store never migrates: a database behind this program's migrations is an
// error that says to run `keel db migrate` as the owner. docs/postgresql.md has the details.
//
// Thread-safety: the functions are safe to call from any thread; a Store they return is used by
// one thread at a time (its connections come from a per-process pool shared by every store of the
// same URL, so many stores are cheap).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/env.h"
#include "keel/store/store.h"

namespace keel::store::pg {

// True when this keel was built with the PostgreSQL backend (libpqxx found at configure time).
bool available();

// True for a `postgresql://` or `postgres://` URL.
bool is_url(std::string_view text);

struct MigrateReport {
  int from_version = 0;      // newest migration applied before (0 for an empty database)
  int to_version = 0;        // newest applied after
  std::vector<int> applied;  // numbers applied by this call, ascending
};

// Connects to `url` as the owner role, applies every migration of migrations() not yet recorded
// (all in one transaction, serialised by an advisory lock so concurrent migrators are safe),
// then grants `app_role` USAGE on the schema, SELECT/INSERT/UPDATE/DELETE on the tables (only
// SELECT and INSERT on audit_log, only SELECT on schema_version) and USAGE on the sequences.
// Throws keel::Error: invalid_input when the database is newer than this keel; usage when
// `app_role` does not exist, is a superuser, has BYPASSRLS or owns the tables; internal when the
// server cannot be reached.
MigrateReport migrate(const std::string& url, const std::string& app_role = "keel_app");

// Opens the store at `url` (see open_store in store.h). Throws keel::Error(internal) when the
// server cannot be reached, invalid_input when the database is not migrated to this keel's schema.
std::unique_ptr<Store> open_store(const std::string& url, const Clock& clock = system_clock_source());

// The URL with any password replaced by "***", for messages and logs.
std::string redact_url(std::string_view url);

// What this process has sent to PostgreSQL through its stores since it started: transactions
// (BEGIN, the statements, COMMIT: two round trips more than statements, three with a tenant),
// and single statements sent outside any transaction (a store's reads: one round trip each, the
// tenant included). For tests and the benchmark's profile.
struct Traffic {
  std::uint64_t transactions = 0;
  std::uint64_t direct_statements = 0;
};
Traffic traffic();

// The connections of this process's pool for `url` (the pool every store of that URL shares), as
// keel serve's /metrics reports them: in use (leased to a transaction or a held run), idle (open,
// waiting to be leased) and waiting (threads blocked in a checkout because all `size` are in use).
// All zero while no store of `url` has been opened.
struct PoolStats {
  std::size_t in_use = 0;
  std::size_t idle = 0;
  std::size_t waiting = 0;
  std::size_t size = 0;  // the pool's bound (the URL's pool_size)
};
PoolStats pool_stats(const std::string& url);

}  // namespace keel::store::pg
