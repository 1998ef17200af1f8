// The PostgreSQL side of a store copy (src/store/copy_endpoint.h): catalog queries for keel's
// tables, COPY TO STDOUT to read a table in a REPEATABLE READ snapshot, COPY FROM STDIN to write
// one (through a temporary table for tables under row-level security, which refuse COPY FROM),
// and the identity sequences moved past the copied ids before the commit. Run as the owner role.
#include "copy_endpoint.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <pqxx/stream_from>
#include <set>

#include "copy_stage.h"
#include "keel/core/error.h"
#include "keel/store/postgresql.h"
#include "session.h"

namespace keel::store::copy {
namespace {

using pg::bytes_of_hex;
using pg::hex_digit;
using pg::hex_of;
using pg::translate_errors;

Kind kind_of_type(const std::string& type) {
  if (type == "bigint" || type == "integer" || type == "smallint") return Kind::kInteger;
  if (type == "double precision" || type == "real" || type == "numeric") return Kind::kReal;
  if (type == "bytea") return Kind::kBlob;
  return Kind::kText;
}

// One line of COPY's text format split into its fields: tab-separated, \N for NULL, backslash
// escapes (\b \f \n \r \t \v, \\, octal \ooo, hex \xhh) decoded.
void split_copy_line(const std::string& line, Row& out) {
  std::size_t field = 0;
  std::string value;
  bool null = false;
  auto close = [&] {
    if (field >= out.size()) throw Error::internal("COPY returned more fields than columns");
    if (null)
      out[field].reset();
    else
      out[field] = value;
    ++field;
    value.clear();
    null = false;
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\t') {
      close();
      continue;
    }
    if (c != '\\' || i + 1 == line.size()) {
      value += c;
      continue;
    }
    const char e = line[++i];
    switch (e) {
      case 'N':
        null = true;
        break;
      case 'b':
        value += '\b';
        break;
      case 'f':
        value += '\f';
        break;
      case 'n':
        value += '\n';
        break;
      case 'r':
        value += '\r';
        break;
      case 't':
        value += '\t';
        break;
      case 'v':
        value += '\v';
        break;
      case 'x': {
        int v = 0, n = 0;
        while (n < 2 && i + 1 < line.size() && hex_digit(line[i + 1]) >= 0)
          v = v * 16 + hex_digit(line[++i]), ++n;
        value += static_cast<char>(v);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          int v = e - '0', n = 1;
          while (n < 3 && i + 1 < line.size() && line[i + 1] >= '0' && line[i + 1] <= '7') {
            v = v * 8 + (line[++i] - '0');
            ++n;
          }
          value += static_cast<char>(v);
        } else {
          value += e;  // \\ and any other escaped character stand for themselves
        }
    }
  }
  close();
  if (field != out.size()) throw Error::internal("COPY returned fewer fields than columns");
}

// libpqxx's stream_from puts the names it is given into COPY as they are: keel's tables and columns
// are plain lower-case identifiers, which need no quotes; anything else is refused here.
const std::string& plain(const std::string& name) {
  const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!ok) throw Error::internal("keel db copy cannot stream the table or column \"" + name + "\"");
  return name;
}

std::vector<std::string> plain_names(const std::vector<Column>& columns) {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(plain(c.name));
  return out;
}

// Writes one table with COPY FROM STDIN; libpqxx's errors (a value COPY refuses, a policy) become
// keel::Error, those of finish() naming the table.
class PgWriter final : public TableWriter {
 public:
  PgWriter(pqxx::work& tx, const Table& table, const std::vector<Column>& columns, bool row_security)
      : tx_(&tx),
        table_(table.name),
        columns_(columns),
        names_(quoted_list(columns)),
        target_(quoted(table.name)) {
    into_ = target_;
    translate_errors([&] {
      if (row_security) {
        // COPY FROM is refused on a table under row-level security: stage, then INSERT ... SELECT.
        into_ = "keel_copy_stage";
        tx.exec("CREATE TEMPORARY TABLE keel_copy_stage ON COMMIT DROP AS SELECT " + names_ + " FROM " +
                target_ + " WITH NO DATA");
      }
      std::vector<std::string> names;
      for (const auto& c : columns) names.push_back(quoted(c.name));
      copy_.emplace(tx, into_, names);
    });
  }

  void row(const Row& values) override {
    texts_.clear();
    pointers_.clear();
    for (std::size_t i = 0; i < values.size(); ++i) {
      texts_.push_back(values[i] && columns_[i].kind == Kind::kBlob ? hex_of(*values[i])
                                                                    : values[i].value_or(""));
    }
    for (std::size_t i = 0; i < values.size(); ++i)
      pointers_.push_back(values[i] ? texts_[i].c_str() : nullptr);
    translate_errors([&] { copy_->row(pointers_); });
  }

  void finish() override {
    try {
      translate_errors([&] {
        copy_->complete();
        copy_.reset();
        if (into_ != target_) {
          tx_->exec("INSERT INTO " + target_ + " (" + names_ + ") SELECT " + names_ + " FROM " + into_);
          tx_->exec("DROP TABLE " + into_);
        }
      });
    } catch (const Error& e) {
      throw Error(e.code(), "table " + table_ + ": " + e.what(), e.details());
    }
  }

 private:
  pqxx::work* tx_;
  std::string table_;
  std::vector<Column> columns_;
  std::string names_;  // the quoted column list
  std::string target_;
  std::string into_;
  std::optional<pg::CopyIn> copy_;
  std::vector<std::string> texts_;
  std::vector<const char*> pointers_;
};

class PgEndpoint final : public Endpoint {
 public:
  explicit PgEndpoint(const std::string& url) : url_(url) {
    translate_errors([&] {
      conn_.emplace(pg::parse_url(url).libpq);
      pqxx::nontransaction q(*conn_);
      if (!q.exec1("SELECT to_regclass('public.schema_version') IS NOT NULL")[0].as<bool>()) {
        throw Error::invalid_input(describe() +
                                   " has no keel schema: run `keel db migrate --db URL` as the "
                                   "owner role first");
      }
      const auto foreign = q.exec1(
          "SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = "
          "'r' "
          "AND NOT pg_has_role(current_user, c.relowner, 'USAGE')")[0];
      if (foreign.as<long>() > 0) {
        throw Error::forbidden(
            "keel db copy reads and writes every tenant, so it connects as the owner role "
            "(the one that ran keel db migrate and owns keel's tables), not as " +
            q.exec1("SELECT current_user")[0].as<std::string>());
      }
    });
  }
  ~PgEndpoint() override {
    write_.reset();
    read_.reset();
  }

  std::string describe() const override { return pg::redact_url(url_); }

  std::vector<int> applied_migrations() override {
    std::vector<int> out;
    run([&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec("SELECT version FROM schema_version ORDER BY version")) {
        out.push_back(r[0].as<int>());
      }
    });
    return out;
  }

  std::vector<Table> tables() override {
    std::vector<Table> out;
    run([&](pqxx::transaction_base& tx) {
      for (const auto& r :
           tx.exec("SELECT c.oid, c.relname, c.relrowsecurity FROM pg_class c WHERE c.relnamespace = "
                   "'public'::regnamespace AND c.relkind = 'r' AND c.relname <> 'schema_version' ORDER BY "
                   "c.relname")) {
        Table t;
        t.name = r[1].as<std::string>();
        if (r[2].as<bool>()) row_security_.insert(t.name);
        const std::string oid = r[0].as<std::string>();
        for (const auto& c :
             tx.exec("SELECT attname, format_type(atttypid, atttypmod), attidentity <> '' FROM "
                     "pg_attribute WHERE attrelid = " +
                     oid + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
          t.columns.push_back({c[0].as<std::string>(), kind_of_type(c[1].as<std::string>())});
          if (c[2].as<bool>()) identity_.emplace_back(t.name, c[0].as<std::string>());
        }
        for (const auto& f :
             tx.exec("SELECT DISTINCT p.relname FROM pg_constraint f JOIN pg_class p ON p.oid = "
                     "f.confrelid WHERE f.contype = 'f' AND f.conrelid = " +
                     oid)) {
          if (f[0].as<std::string>() != t.name) t.parents.push_back(f[0].as<std::string>());
        }
        // A key kept by statement-level triggers instead of a declared foreign key (migration 76:
        // prices -> instruments) orders the copy all the same.
        if (t.name == "prices" &&
            std::find(t.parents.begin(), t.parents.end(), "instruments") == t.parents.end()) {
          t.parents.push_back("instruments");
        }
        for (const auto& g :
             tx.exec("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = " + oid)) {
          if (g[0].as<long>() > 0) triggered_.insert(t.name);
        }
        out.push_back(std::move(t));
      }
    });
    return out;
  }

  std::size_t count(const std::string& table, const std::string& where = {}) override {
    std::size_t n = 0;
    run([&](pqxx::transaction_base& tx) {
      n = tx.exec1("SELECT count(*) FROM " + tx.quote_name(table) + (where.empty() ? "" : " WHERE " + where))[0]
              .as<std::size_t>();
    });
    return n;
  }

  void begin_read() override {
    translate_errors([&] { read_.emplace(*conn_); });
  }

  void read(const Table& table, const std::vector<Column>& columns,
            const std::function<void(const Row&)>& fn) override {
    translate_errors([&] {
      pqxx::stream_from in(*read_, plain(table.name), plain_names(columns));
      Row row(columns.size());
      std::string line;
      while (in.get_raw_line(line)) {
        if (!line.empty() && line.back() == '\n') line.pop_back();
        split_copy_line(line, row);
        for (std::size_t i = 0; i < columns.size(); ++i) {
          if (row[i] && columns[i].kind == Kind::kBlob) row[i] = bytes_of_hex(*row[i]);
        }
        fn(row);
      }
      in.complete();
    });
  }

  void end_read() override {
    translate_errors([&] { read_->commit(); });
    read_.reset();
  }

  void begin_write() override {
    translate_errors([&] { write_.emplace(*conn_); });
  }

  void clear(const std::vector<Table>& children_first) override {
    translate_errors([&] {
      // The audit log's append-only triggers hold for the owner too: suspended for this
      // transaction only (ALTER TABLE is transactional), then enabled again.
      for (const auto& t : children_first) {
        if (triggered_.count(t.name))
          write_->exec("ALTER TABLE " + write_->quote_name(t.name) + " DISABLE TRIGGER USER");
      }
      for (const auto& t : children_first) write_->exec("DELETE FROM " + write_->quote_name(t.name));
      for (const auto& t : children_first) {
        if (triggered_.count(t.name))
          write_->exec("ALTER TABLE " + write_->quote_name(t.name) + " ENABLE TRIGGER USER");
      }
    });
  }

  std::unique_ptr<TableWriter> writer(const Table& table, const std::vector<Column>& columns) override {
    return std::make_unique<PgWriter>(*write_, table, columns, row_security_.count(table.name) > 0);
  }

  void commit() override {
    translate_errors([&] {
      for (const auto& [table, column] : identity_) {
        write_->exec_params("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(" +
                                write_->quote_name(column) + ") FROM " + write_->quote_name(table) +
                                "), 0) + 1, false)",
                            write_->quote_name(table), column);
      }
      write_->commit();
    });
    write_.reset();
  }

  void rollback() override { write_.reset(); }

 private:
  void run(const std::function<void(pqxx::transaction_base&)>& fn) {
    translate_errors([&] {
      if (write_) return fn(*write_);
      if (read_) return fn(*read_);
      pqxx::read_transaction tx(*conn_);
      fn(tx);
    });
  }

  std::string url_;
  std::optional<pqxx::connection> conn_;
  std::optional<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>> read_;
  std::optional<pqxx::work> write_;
  std::set<std::string> row_security_;
  std::set<std::string> triggered_;
  std::vector<std::pair<std::string, std::string>> identity_;
};

}  // namespace

std::unique_ptr<Endpoint> open_postgresql_endpoint(const std::string& url) {
  return std::make_unique<PgEndpoint>(url);
}

}  // namespace keel::store::copy
