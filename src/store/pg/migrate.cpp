// PostgreSQL migrations (the texts are src/store/migrations/*.sql, embedded at build time) and the
// checks made when a store opens.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../copy_endpoint.h"
#include "keel/core/error.h"
#include "keel/store/migrations.h"
#include "keel/store/postgresql.h"
#include "pg_connection.h"

namespace keel::store::pg {
namespace {

// Any number: all keel migrators of one database take the same transaction-level lock.
constexpr std::int64_t kMigrationLock = 0x6b65656c;  // "keel"

// `sql`, any number of statements, in the simple query protocol (a prepared statement holds one).
void exec_script(Connection& c, const std::string& sql) {
  PGresult* r = PQexec(c.conn, sql.c_str());
  if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) throw_error(c.conn, r);
  PQclear(r);
}

}  // namespace

bool available() {
  return true;
}

MigrateReport migrate(const std::string& url, const std::string& app_role) {
  if (app_role.empty()) throw Error::usage("the application role must not be empty");
  const ParsedUrl parsed = parse_url(url);
  PgConnection c(std::make_shared<Pool>(parsed.libpq, 1, std::chrono::seconds(30)));
  MigrateReport report;

  c.transaction(std::nullopt, [&] {
    c.lock_until_commit(kMigrationLock);
    c.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))");
    auto role =
        c.exec("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1", Params().add(app_role));
    if (role.empty()) {
      throw Error::usage("the application role \"" + app_role +
                         "\" does not exist: create it first (CREATE ROLE " + app_role +
                         " LOGIN PASSWORD '...'), then migrate again");
    }
    if (role.value(0, 0) == "t" || role.value(0, 1) == "t") {
      throw Error::usage("the application role \"" + app_role +
                         "\" is a superuser or has BYPASSRLS, so row-level security would not hold for it");
    }
    if (c.exec1("SELECT current_user = $1", Params().add(app_role)).value(0, 0) == "t") {
      throw Error::usage("migrate as the owner role, not as the application role \"" + app_role + "\"");
    }
    const std::vector<int> applied = applied_versions(c.tx());
    report.from_version = applied.empty() ? 0 : applied.back();
    check_not_newer(report.from_version);
    for (const Migration& m : migrations()) {
      if (std::find(applied.begin(), applied.end(), m.version) != applied.end()) continue;
      // One transaction for the whole run: a failed migration leaves the database as it was.
      exec_script(c.tx(), m.postgresql);
      c.exec("INSERT INTO schema_version (version, description) VALUES ($1, $2)",
             Params().add(m.version).add(m.description));
      report.applied.push_back(m.version);
    }
    const std::string role_q = copy::quoted(app_role);  // a role pg_roles has: checked above
    c.exec("GRANT USAGE ON SCHEMA public TO " + role_q);
    c.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role_q);
    c.exec("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM " + role_q);
    c.exec("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_version FROM " + role_q);
    c.exec("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + role_q);
    auto owns = c.exec1(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)",
        Params().add(app_role));
    if (owns.integer(0, 0) > 0) {
      throw Error::usage("the application role \"" + app_role +
                         "\" owns tables of this database, so it could turn row-level security off: "
                         "give them to the owner role (ALTER TABLE ... OWNER TO ...)");
    }
  });
  report.to_version =
      report.applied.empty() ? report.from_version : std::max(report.from_version, report.applied.back());
  return report;
}

namespace {

// Called by open_store: the schema must be this keel's.
void check_schema(PgConnection& c) {
  c.transaction(std::nullopt, [&] {
    if (c.exec1("SELECT to_regclass('public.schema_version') IS NOT NULL").value(0, 0) != "t") {
      throw Error::invalid_input(
          "the PostgreSQL database has no keel schema: run `keel db migrate --db URL` "
          "as the owner role first (docs/postgresql.md)");
    }
    const std::vector<int> applied = applied_versions(c.tx());
    check_not_newer(applied.empty() ? 0 : applied.back());
    for (const Migration& m : migrations()) {
      if (std::find(applied.begin(), applied.end(), m.version) == applied.end()) {
        throw Error::invalid_input(
            fmt::format("the PostgreSQL database lacks migration {} ({}): run `keel db migrate --db URL` as "
                        "the owner role",
                        m.version, m.description));
      }
    }
  });
}

}  // namespace

std::unique_ptr<Store> open_store(const std::string& url, const Clock& clock) {
  auto connection = std::make_unique<PgConnection>(Pool::shared(url));
  check_schema(*connection);
  return std::make_unique<Store>(std::move(connection), clock);
}

}  // namespace keel::store::pg
