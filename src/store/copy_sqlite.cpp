// The SQLite side of a store copy (copy_endpoint.h), and the online backup of backup_sqlite.
#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <system_error>
#include <utility>

#include "copy_endpoint.h"
#include "keel/core/error.h"
#include "keel/store/store_copy.h"
#include "sqlite_connection.h"

namespace keel::store {
namespace copy {
namespace {

// SQLite's affinity rules (datatype3.html, 3.1) applied to a declared column type.
Kind kind_of_declared(std::string type) {
  for (auto& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (type.find("INT") != std::string::npos) return Kind::kInteger;
  if (type.find("CHAR") != std::string::npos || type.find("CLOB") != std::string::npos ||
      type.find("TEXT") != std::string::npos)
    return Kind::kText;
  if (type.empty() || type.find("BLOB") != std::string::npos) return Kind::kBlob;
  if (type.find("REAL") != std::string::npos || type.find("FLOA") != std::string::npos ||
      type.find("DOUB") != std::string::npos)
    return Kind::kReal;
  return Kind::kReal;  // NUMERIC affinity
}

// Columns SQLite keeps as day numbers (days since 1970-01-01; migration 75) where PostgreSQL has a
// DATE: a copy reads and writes them as ISO text, as the other backend does.
bool day_number(const std::string& table, const std::string& column) {
  return table == "prices" && column == "date";
}

class SqliteEndpoint final : public Endpoint {
 public:
  explicit SqliteEndpoint(const std::string& path) : path_(path), db_(path) {}

  std::string describe() const override { return "sqlite:" + path_; }

  std::vector<int> applied_migrations() override {
    return db_.prepare("SELECT version FROM schema_version ORDER BY version").rows([](const SqlStatement& r) {
      return static_cast<int>(r.get_int(0));
    });
  }

  std::vector<Table> tables() override {
    std::vector<Table> out;
    auto st = db_.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name <> 'schema_version' ORDER BY name");
    while (st.step()) out.push_back({st.get_text(0), {}, {}});
    for (auto& t : out) {
      auto cols = db_.prepare("SELECT name, type FROM pragma_table_info(?) ORDER BY cid");
      cols.bind(1, t.name);
      while (cols.step()) t.columns.push_back({cols.get_text(0), kind_of_declared(cols.get_text(1))});
      auto fks = db_.prepare("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)");
      fks.bind(1, t.name);
      while (fks.step()) {
        if (fks.get_text(0) != t.name) t.parents.push_back(fks.get_text(0));
      }
    }
    return out;
  }

  std::size_t count(const std::string& table, const std::string& where = {}) override {
    const std::string sql =
        "SELECT count(*) FROM " + quoted(table) + (where.empty() ? "" : " WHERE " + where);
    return static_cast<std::size_t>(db_.prepare(sql).first_int());
  }

  void begin_read() override { db_.exec("BEGIN"); }  // deferred: one read snapshot until COMMIT

  void read(const Table& table, const std::vector<Column>& columns,
            const std::function<void(const Row&)>& fn) override {
    std::string select;
    for (const auto& c : columns) {
      select += select.empty() ? "" : ", ";
      select += day_number(table.name, c.name)
                    ? "strftime('%Y-%m-%d', " + quoted(c.name) + " * 86400, 'unixepoch')"
                    : quoted(c.name);
    }
    SqliteStatement st(db_, "SELECT " + select + " FROM " + quoted(table.name));
    Row row(columns.size());
    while (st.step()) {
      for (std::size_t i = 0; i < columns.size(); ++i) {
        const int c = static_cast<int>(i);
        switch (st.type(c)) {
          case SqliteStatement::Type::kNull:
            row[i].reset();
            break;
          case SqliteStatement::Type::kInteger:
            row[i] = fmt::format("{}", st.get_int(c));
            break;
          case SqliteStatement::Type::kReal: {
            char buf[32];
            auto r = std::to_chars(buf, buf + sizeof buf, st.get_double(c));  // shortest round trip
            row[i] = std::string(buf, r.ptr);
            break;
          }
          case SqliteStatement::Type::kText:
            row[i] = st.text(c);
            break;
          case SqliteStatement::Type::kBlob:
            row[i] = st.get_blob(c);
            break;
        }
      }
      fn(row);
    }
  }

  void end_read() override { db_.exec("COMMIT"); }

  void begin_write() override { db_.exec("BEGIN IMMEDIATE"); }

  void clear(const std::vector<Table>& children_first) override {
    // SQLite cannot suspend a trigger: the audit log's append-only triggers are dropped and made
    // again from their own text, inside this transaction.
    const auto triggers =
        db_.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            .rows([](const SqlStatement& r) { return std::pair(r.get_text(0), r.get_text(1)); });
    for (const auto& [name, sql] : triggers) db_.exec("DROP TRIGGER " + quoted(name));
    for (const auto& t : children_first) db_.exec("DELETE FROM " + quoted(t.name));
    for (const auto& [name, sql] : triggers) db_.exec(sql);
  }

  std::unique_ptr<TableWriter> writer(const Table& table, const std::vector<Column>& columns) override {
    // A day-number column takes ISO text, converted in SQL.
    std::vector<Column> kinds = columns;
    std::string marks;
    for (auto& c : kinds) {
      const bool day = day_number(table.name, c.name);
      if (day) c.kind = Kind::kText;
      marks +=
          std::string(marks.empty() ? "" : ", ") + (day ? "CAST(julianday(?) - 2440587.5 AS INTEGER)" : "?");
    }
    return std::make_unique<TableWriter>(table.name, std::move(kinds),
                                         db_.prepare("INSERT INTO " + quoted(table.name) + " (" +
                                                     quoted_list(columns) + ") VALUES (" + marks + ")"),
                                         [] {});
  }

  void commit() override { db_.exec("COMMIT"); }
  void rollback() override {
    try {
      db_.exec("ROLLBACK");
    } catch (const Error&) {
      // No transaction was open (the failure came before begin_write).
    }
  }

 private:
  std::string path_;
  SqliteConnection db_;
};

}  // namespace

std::unique_ptr<Endpoint> open_sqlite_endpoint(const std::string& path, bool as_target) {
  std::error_code ec;
  if (!as_target && !std::filesystem::is_regular_file(path, ec)) {
    throw Error::not_found("no SQLite store at " + path);
  }
  return std::make_unique<SqliteEndpoint>(path);
}

}  // namespace copy

BackupReport backup_sqlite(const std::string& db_path, const std::string& to_path, bool overwrite) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(db_path, ec)) throw Error::not_found("no SQLite store at " + db_path);
  if (fs::exists(to_path, ec) && !overwrite) {
    throw Error::invalid_input(to_path + " exists: choose another name, or pass --force to replace it");
  }
  const std::string partial = to_path + ".partial";
  fs::remove(partial, ec);
  BackupReport report;
  report.path = to_path;
  try {
    {
      SqliteConnection db(db_path);
      db.backup_to(partial);
    }
    // Opening the copy checks it is a keel store of this keel's schema; then its pages.
    SqliteConnection copy(partial);
    const std::string verdict = copy.prepare("PRAGMA integrity_check")
                                    .first([](const SqlStatement& r) { return r.get_text(0); })
                                    .value_or("");
    if (verdict != "ok") throw Error::internal(partial + ": the copy failed its integrity check: " + verdict);
    report.schema_version = copy.schema_version();
  } catch (...) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(partial + suffix, ec);
    throw;
  }
  // The copy's WAL was checkpointed when it closed: one file to move.
  for (const char* suffix : {"-wal", "-shm"}) fs::remove(partial + suffix, ec);
  fs::rename(partial, to_path, ec);
  if (ec) throw Error::internal("cannot move the backup to " + to_path + ": " + ec.message());
  report.bytes = static_cast<std::int64_t>(fs::file_size(to_path, ec));
  return report;
}

}  // namespace keel::store
