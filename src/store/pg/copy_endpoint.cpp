// The PostgreSQL side of a store copy (src/store/copy_endpoint.h): catalog queries for keel's
// tables, a table read through a cursor in a REPEATABLE READ snapshot, COPY FROM STDIN to write one
// (through a temporary table for tables under row-level security, which refuse COPY FROM), and the
// identity sequences moved past the copied ids before the commit. Run as the owner role, on a
// connection of its own; every statement goes through pg_connection.h's exec.
#include "copy_endpoint.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <utility>

#include "copy_stage.h"
#include "keel/core/error.h"
#include "keel/store/postgresql.h"
#include "pg_connection.h"

namespace keel::store::copy {
namespace {

using pg::Params;
using pg::Result;

// Rows of a table read per FETCH: few round trips, a bounded result in memory.
constexpr const char* kFetch = "FETCH FORWARD 10000 FROM keel_copy_read";

Kind kind_of_type(const std::string& type) {
  if (type == "bigint" || type == "integer" || type == "smallint") return Kind::kInteger;
  if (type == "double precision" || type == "real" || type == "numeric") return Kind::kReal;
  if (type == "bytea") return Kind::kBlob;
  return Kind::kText;
}

// `sql` on `c` outside any tenant.
Result run(pg::Connection& c, const std::string& sql, const Params& params = {}) {
  return pg::exec(c, std::nullopt, sql, params);
}

class PgEndpoint final : public Endpoint {
 public:
  explicit PgEndpoint(const std::string& url) : url_(url) {
    conn_.emplace(pg::parse_url(url).libpq);
    if (one("SELECT to_regclass('public.schema_version') IS NOT NULL") != "t") {
      throw Error::invalid_input(describe() +
                                 " has no keel schema: run `keel db migrate --db URL` as the "
                                 "owner role first");
    }
    if (one("SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = "
            "'r' "
            "AND NOT pg_has_role(current_user, c.relowner, 'USAGE')") != "0") {
      throw Error::forbidden(
          "keel db copy reads and writes every tenant, so it connects as the owner role "
          "(the one that ran keel db migrate and owns keel's tables), not as " +
          one("SELECT current_user"));
    }
  }

  std::string describe() const override { return pg::redact_url(url_); }

  std::vector<int> applied_migrations() override { return pg::applied_versions(*conn_); }

  std::vector<Table> tables() override {
    std::vector<Table> out;
    const Result tables =
        run(*conn_,
            "SELECT c.oid, c.relname, c.relrowsecurity, EXISTS (SELECT 1 FROM pg_trigger g WHERE "
            "NOT g.tgisinternal AND g.tgrelid = c.oid) FROM pg_class c WHERE c.relnamespace = "
            "'public'::regnamespace AND c.relkind = 'r' AND c.relname <> 'schema_version' ORDER "
            "BY c.relname");
    for (std::size_t i = 0; i < tables.size(); ++i) {
      Table t;
      t.name = tables.text(i, 1);
      if (tables.value(i, 2) == "t") row_security_.insert(t.name);
      if (tables.value(i, 3) == "t") triggered_.insert(t.name);
      const Params oid = Params().add(tables.value(i, 0));
      const Result columns =
          run(*conn_,
              "SELECT attname, format_type(atttypid, atttypmod), attidentity <> '' FROM "
              "pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped ORDER "
              "BY attnum",
              oid);
      for (std::size_t c = 0; c < columns.size(); ++c) {
        t.columns.push_back({columns.text(c, 0), kind_of_type(columns.text(c, 1))});
        if (columns.value(c, 2) == "t") identity_.emplace_back(t.name, columns.text(c, 0));
      }
      const Result parents = run(*conn_,
                                 "SELECT DISTINCT p.relname FROM pg_constraint f JOIN pg_class p ON p.oid = "
                                 "f.confrelid WHERE f.contype = 'f' AND f.conrelid = $1::oid",
                                 oid);
      for (std::size_t p = 0; p < parents.size(); ++p) {
        if (parents.value(p, 0) != t.name) t.parents.push_back(parents.text(p, 0));
      }
      // A key kept by statement-level triggers instead of a declared foreign key (migration 76:
      // prices -> instruments) orders the copy all the same.
      if (t.name == "prices" &&
          std::find(t.parents.begin(), t.parents.end(), "instruments") == t.parents.end()) {
        t.parents.push_back("instruments");
      }
      out.push_back(std::move(t));
    }
    return out;
  }

  std::size_t count(const std::string& table, const std::string& where = {}) override {
    const std::string sql =
        "SELECT count(*) FROM " + quoted(table) + (where.empty() ? "" : " WHERE " + where);
    return static_cast<std::size_t>(run(*conn_, sql).integer(0, 0));
  }

  void begin_read() override { run(*conn_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }

  void read(const Table& table, const std::vector<Column>& columns,
            const std::function<void(const Row&)>& fn) override {
    run(*conn_, "DECLARE keel_copy_read NO SCROLL CURSOR FOR SELECT " + quoted_list(columns) + " FROM " +
                    quoted(table.name));
    Row row(columns.size());
    for (Result r = run(*conn_, kFetch); !r.empty(); r = run(*conn_, kFetch)) {
      for (std::size_t i = 0; i < r.size(); ++i) {
        for (std::size_t c = 0; c < columns.size(); ++c) {
          const int col = static_cast<int>(c);
          if (r.is_null(i, col)) {
            row[c].reset();
          } else {
            row[c] = columns[c].kind == Kind::kBlob ? pg::bytes_of_hex(r.value(i, col)) : r.text(i, col);
          }
        }
        fn(row);
      }
    }
    run(*conn_, "CLOSE keel_copy_read");
  }

  void end_read() override { run(*conn_, "COMMIT"); }

  void begin_write() override {
    run(*conn_, "BEGIN");
    writing_ = true;
  }

  void clear(const std::vector<Table>& children_first) override {
    // The audit log's append-only triggers hold for the owner too: suspended for this
    // transaction only (ALTER TABLE is transactional), then enabled again.
    for (const auto& t : children_first) {
      if (triggered_.count(t.name)) run(*conn_, "ALTER TABLE " + quoted(t.name) + " DISABLE TRIGGER USER");
    }
    for (const auto& t : children_first) run(*conn_, "DELETE FROM " + quoted(t.name));
    for (const auto& t : children_first) {
      if (triggered_.count(t.name)) run(*conn_, "ALTER TABLE " + quoted(t.name) + " ENABLE TRIGGER USER");
    }
  }

  std::unique_ptr<TableWriter> writer(const Table& table, const std::vector<Column>& columns) override {
    const std::string target = quoted(table.name), names = quoted_list(columns);
    std::string into = target;
    if (row_security_.count(table.name)) {
      // COPY FROM is refused on a table under row-level security: stage, then INSERT ... SELECT.
      into = "keel_copy_stage";
      run(*conn_, "CREATE TEMPORARY TABLE keel_copy_stage ON COMMIT DROP AS SELECT " + names + " FROM " +
                      target + " WITH NO DATA");
    }
    auto copy = std::make_shared<pg::CopyIn>(*conn_, into, names);
    return std::make_unique<TableWriter>(table.name, columns, pg::copy_row_statement(copy, 0), [=, this] {
      copy->complete();
      if (into == target) return;
      run(*conn_, "INSERT INTO " + target + " (" + names + ") SELECT " + names + " FROM " + into);
      run(*conn_, "DROP TABLE " + into);
    });
  }

  void commit() override {
    for (const auto& [table, column] : identity_) {
      run(*conn_,
          "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(" + quoted(column) + ") FROM " +
              quoted(table) + "), 0) + 1, false)",
          Params().add(quoted(table)).add(column));
    }
    run(*conn_, "COMMIT");
    writing_ = false;
  }

  void rollback() override {
    if (!std::exchange(writing_, false)) return;
    try {
      run(*conn_, "ROLLBACK");
    } catch (const Error&) {
      // The connection is gone: the server rolled the transaction back.
    }
  }

 private:
  // The first column of the one row of `sql`, as text.
  std::string one(const std::string& sql) { return run(*conn_, sql).text(0, 0); }

  std::string url_;
  std::optional<pg::Connection> conn_;
  bool writing_ = false;
  std::set<std::string> row_security_;
  std::set<std::string> triggered_;
  std::vector<std::pair<std::string, std::string>> identity_;
};

}  // namespace

std::unique_ptr<Endpoint> open_postgresql_endpoint(const std::string& url) {
  return std::make_unique<PgEndpoint>(url);
}

}  // namespace keel::store::copy
