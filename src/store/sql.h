// src/store/sql.h (private): one connection interface over both SQL backends, so keel::Store and
// every repository are written once over it; a backend is an implementation of SqlConnection
// with its Dialect (sqlite_connection.h, pg/pg_connection.h).
//
// A repository's SQL uses `?` placeholders (PostgreSQL's connection rewrites them to $1..$n),
// `RETURNING id` for new ids and `ON CONFLICT ... DO UPDATE` for upserts (SQLite ≥ 3.35 has both;
// Debian 12 ships 3.40). What the two servers do differently is asked of the Dialect: row locks
// (`FOR UPDATE`, `FOR SHARE`) exist only on PostgreSQL, and only PostgreSQL scopes rows to the
// transaction's tenant (row-level security), so a call that names a row only by id sets its tenant
// there first (SqlConnection::set_tenant; nothing on SQLite).
//
// Work runs inside SqlConnection::run or ::transaction. On SQLite `transaction` is one
// BEGIN IMMEDIATE transaction (all or nothing, the write lock held from the start) and `run` runs
// the statements as they come, each committing on its own (as the SQLite repositories always did);
// on PostgreSQL `transaction` is one transaction on a leased connection with the tenant set for it,
// and `run` holds a leased connection and sends each statement with its tenant in one round trip,
// each its own implicit transaction (pg/pg_connection.h). A run inside a transaction joins
// it; a transaction inside a run is a transaction of its own (on the run's connection on PostgreSQL).
//
// SqlStatement reads like SQLite's API (1-based bind, step, run, reset, the column getters by
// 0-based index), so the row decoders of the repositories read it directly.
//
// Thread-safety: one thread at a time, like the store that owns the connection. Ownership: a store
// owns its connection; statements must not outlive the run/transaction call that prepared them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "keel/store/store.h"

namespace keel::store {

// What a server does differently, asked where a repository's SQL depends on it.
struct Dialect {
  std::string_view name;            // "sqlite" or "postgresql"
  bool row_locks = false;           // SELECT ... FOR UPDATE / FOR SHARE exist
  bool row_level_security = false;  // rows are filtered by the transaction's tenant
  // prices.date holds day numbers (days since 1970-01-01, SQLite's migration 75), not a DATE
  // (PostgreSQL's, read and written as ISO text). bind_day and read_day follow it.
  bool day_numbers = false;

  // `clause` (" FOR UPDATE", " FOR SHARE OF f", ...) where the server has row locks, else "".
  // SQLite needs none: its write transactions hold the database's one write lock from the start.
  std::string_view lock(std::string_view clause) const { return row_locks ? clause : std::string_view(); }
  // A query of the id this connection's last INSERT gave a row of `table` (whose key is `id`),
  // for an INSERT that cannot say RETURNING id.
  std::string last_insert_id(std::string_view table) const {
    if (name == "sqlite") return "SELECT last_insert_rowid()";
    return "SELECT currval(pg_get_serial_sequence('" + std::string(table) + "', 'id'))";
  }
};

inline constexpr Dialect kSqliteDialect{"sqlite", false, false, true};
inline constexpr Dialect kPostgresqlDialect{"postgresql", true, true, false};

// "?, ?, ?" for n parameters (an INSERT's VALUES list).
inline std::string placeholders(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

// "(?, ?), (?, ?)" for `rows` rows of `columns` parameters (a many-row INSERT's VALUES).
inline std::string value_rows(std::size_t rows, int columns) {
  std::string out;
  for (std::size_t r = 0; r < rows; ++r) out += (r == 0 ? "(" : ", (") + placeholders(columns) + ")";
  return out;
}

// The names of a comma-separated SQL column list ("a, b, c" -> {"a", "b", "c"}).
inline std::vector<std::string> column_names(std::string_view list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    auto name = list.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) out.emplace_back(name);
    start = end + 1;
  }
  return out;
}

// INSERT INTO `table` (`columns`) VALUES (?, ...), one parameter per column, for `rows` rows. Every
// name is the caller's fixed SQL.
inline std::string insert_sql(std::string_view table, std::string_view columns, std::size_t rows = 1) {
  return "INSERT INTO " + std::string(table) + " (" + std::string(columns) + ") VALUES " +
         value_rows(rows, static_cast<int>(column_names(columns).size()));
}

// An upsert of `rows` rows: insert_sql's INSERT ... ON CONFLICT (`key`) DO
// UPDATE SET c = excluded.c for every column c but those of `key` and `kept` (columns a later write
// leaves as the first one wrote them, such as created_at). Every name is the caller's fixed SQL.
inline std::string upsert_sql(std::string_view table, std::string_view columns, std::string_view key,
                              std::string_view kept = "", std::size_t rows = 1) {
  std::vector<std::string> fixed = column_names(key);
  for (auto& k : column_names(kept)) fixed.push_back(std::move(k));
  std::string set;
  for (const auto& c : column_names(columns)) {
    if (std::find(fixed.begin(), fixed.end(), c) != fixed.end()) continue;
    set += (set.empty() ? "" : ", ") + c + " = excluded." + c;
  }
  return insert_sql(table, columns, rows) + " ON CONFLICT (" + std::string(key) + ") DO UPDATE SET " + set;
}

// One backend's prepared statement (the implementation behind SqlStatement).
class SqlStatementImpl {
 public:
  virtual ~SqlStatementImpl() = default;
  virtual void bind_int(int index, std::int64_t value) = 0;
  virtual void bind_double(int index, double value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_null(int index) = 0;
  virtual void bind_blob(int index, std::string_view bytes) = 0;
  virtual bool step() = 0;
  virtual void reset() = 0;
  // Rows the last run inserted, updated or deleted.
  virtual std::int64_t changes() = 0;
  virtual bool is_null(int column) const = 0;
  virtual double get_double(int column) const = 0;
  virtual std::int64_t get_int(int column) const = 0;
  // A column's text, valid until the next step or reset.
  virtual std::string_view text(int column) const = 0;
  virtual std::string get_blob(int column) const = 0;
};

// Bytes to bind: a BLOB on SQLite, a bytea on PostgreSQL (where the SQL must imply the
// parameter's type, e.g. `SET output = ?`).
struct SqlBlob {
  std::string_view bytes;
};

class SqlStatement {
 public:
  explicit SqlStatement(std::unique_ptr<SqlStatementImpl> impl) : impl_(std::move(impl)) {}

  // Parameters are 1-based, as in SQLite: an integer (a bool as 0/1 on both backends) or a double
  // as a number, a std::string, string_view or const char* as text, an SqlBlob as bytes, nullopt
  // or an empty optional as NULL.
  template <class T>
  SqlStatement& bind(int index, const T& value) {
    if constexpr (std::is_same_v<T, std::nullopt_t>) {
      impl_->bind_null(index);
    } else if constexpr (requires { value.has_value(); }) {
      return value ? bind(index, *value) : bind_null(index);
    } else if constexpr (std::is_same_v<T, SqlBlob>) {
      impl_->bind_blob(index, value.bytes);
    } else if constexpr (std::is_floating_point_v<T>) {
      impl_->bind_double(index, value);
    } else if constexpr (std::is_integral_v<T>) {
      impl_->bind_int(index, static_cast<std::int64_t>(value));
    } else {
      impl_->bind_text(index, std::string_view(value));
    }
    return *this;
  }
  SqlStatement& bind_null(int index) { return bind(index, std::nullopt); }
  // Binds `values` to parameters 1, 2, ... in order, each as bind() does.
  template <class... V>
  SqlStatement& bind_all(const V&... values) {
    int index = 0;
    (bind(++index, values), ...);
    return *this;
  }

  // Advances; true when a row is available, false when done. Throws keel::Error on failure
  // (conflict for constraint violations; see sqlite_connection.h and pg/pg_connection.h).
  bool step() { return impl_->step(); }
  // Steps a statement that returns no rows; returns the rows it changed.
  std::int64_t run() {
    while (step()) {
    }
    return impl_->changes();
  }
  // Binds `values` as bind_all does, runs, and resets for the next: one row of a statement run per row.
  template <class... V>
  std::int64_t run_row(const V&... values) {
    const std::int64_t changed = bind_all(values...).run();
    reset();
    return changed;
  }
  // Steps through every row, each decoded by `read(*this)`, and returns them in order.
  template <class F>
  auto rows(F&& read) {
    std::vector<std::decay_t<std::invoke_result_t<F&, SqlStatement&>>> out;
    while (step()) out.push_back(read(*this));
    return out;
  }
  // The first row decoded by `read(*this)`, or nullopt when there is none.
  template <class F>
  auto first(F&& read) {
    using R = std::decay_t<std::invoke_result_t<F&, SqlStatement&>>;
    return step() ? std::optional<R>(read(*this)) : std::nullopt;
  }
  // Steps to the first row and returns its first column as an integer (an INSERT's RETURNING id, a
  // COUNT), then resets: the statement did all its work at that first step.
  std::int64_t first_int() {
    step();
    const std::int64_t value = get_int(0);
    reset();
    return value;
  }
  // Ready to run again; every parameter is bound again before the next step.
  void reset() { impl_->reset(); }

  bool is_null(int column) const { return impl_->is_null(column); }
  double get_double(int column) const { return impl_->get_double(column); }
  std::int64_t get_int(int column) const { return impl_->get_int(column); }
  std::string get_text(int column) const { return std::string(impl_->text(column)); }
  // The same without a copy, valid until the next step or reset (a million-row read).
  std::string_view get_text_view(int column) const { return impl_->text(column); }
  std::string get_blob(int column) const { return impl_->get_blob(column); }
  std::optional<double> get_optional_double(int column) const {
    if (is_null(column)) return std::nullopt;
    return get_double(column);
  }
  std::optional<std::string> get_optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return get_text(column);
  }

 private:
  std::unique_ptr<SqlStatementImpl> impl_;
};

// A date column as the tables other than prices keep it (ISO text): nullopt for NULL or no date.
inline std::optional<Date> optional_date(const SqlStatement& r, int column) {
  return r.is_null(column) ? std::nullopt : Date::parse(r.get_text_view(column));
}

// Reads a row's columns `first`, `first` + 1, ... into `fields`, each by its type: std::string
// (get_text), double, bool (non-zero), another integer (get_int, narrowed), and std::optional of
// std::string, double, std::int64_t (NULL as nullopt) or Date (optional_date). The repositories'
// row decoders read their plain columns with it and the rest (parsed enums) one by one.
template <class... Fields>
void read_row(const SqlStatement& r, int first, Fields&... fields) {
  const auto one = [&r](int i, auto& v) {
    using T = std::remove_reference_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::string>) {
      v = r.get_text(i);
    } else if constexpr (std::is_same_v<T, double>) {
      v = r.get_double(i);
    } else if constexpr (std::is_same_v<T, bool>) {
      v = r.get_int(i) != 0;
    } else if constexpr (std::is_integral_v<T>) {
      v = static_cast<T>(r.get_int(i));
    } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
      v = r.get_optional_text(i);
    } else if constexpr (std::is_same_v<T, std::optional<double>>) {
      v = r.get_optional_double(i);
    } else if constexpr (std::is_same_v<T, std::optional<Date>>) {
      v = optional_date(r, i);
    } else {
      static_assert(std::is_same_v<T, std::optional<std::int64_t>>, "read_row: no reader for this type");
      v = r.is_null(i) ? std::nullopt : std::optional<std::int64_t>(r.get_int(i));
    }
  };
  (one(first++, fields), ...);
}

// Binds a statement's parameters in order from `first` (the add()/add_null() calls of the
// repositories' row encoders).
class SqlBinder {
 public:
  explicit SqlBinder(SqlStatement& st, int first = 1) : st_(&st), next_(first) {}
  template <class T>
  SqlBinder& add(const T& value) {
    st_->bind(next_++, value);
    return *this;
  }
  SqlBinder& add_null() {
    st_->bind_null(next_++);
    return *this;
  }

 protected:
  SqlStatement* st_;
  int next_;
};

// A many-row INSERT INTO `table` (key_column, columns...) whose every row has the same `key`.
// SQLite inserts each row with one prepared statement; PostgreSQL sends the rows with COPY into the
// staging table keel_<table>_stage (the columns with `table`'s types, copy_stage.h) and moves them
// with one INSERT ... SELECT, so row-level security checks the INSERT. Every name is the caller's
// fixed SQL, never input.
struct BulkInsertSpec {
  std::string_view table;
  std::string_view key_column;
  std::int64_t key = 0;
  std::string_view columns;      // "a, b, c": the values each row gives, in this order
  std::string_view stage_order;  // the staged rows' order on moving them (new ids follow it), or ""
};

// The rows of a BulkInsertSpec: each row's values with add()/add_null() (the repositories' row
// encoders), then end_row(); finish() once after the last row. A row is one run of the
// connection's `row` statement, whose parameters are the spec's key, then the row's values: on
// SQLite the INSERT itself; on PostgreSQL a statement whose run stages the row, and `finish` moves
// the staged rows.
class SqlBulkInsert : public SqlBinder {
 public:
  SqlBulkInsert(SqlStatement row, std::int64_t key, std::function<void()> finish)
      : SqlBinder(row_, 2), row_(std::move(row)), key_(key), finish_(std::move(finish)) {}
  SqlBulkInsert(const SqlBulkInsert&) = delete;
  SqlBulkInsert& operator=(const SqlBulkInsert&) = delete;
  void end_row() {
    row_.bind(1, key_).run();
    row_.reset();
    next_ = 2;
  }
  void finish() { finish_(); }

 private:
  SqlStatement row_;
  std::int64_t key_;
  std::function<void()> finish_;
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual const Dialect& dialect() const = 0;
  // A statement of `sql` with `?` placeholders. Throws keel::Error(internal) when the SQL does not
  // prepare (on PostgreSQL, when called outside run/transaction).
  virtual SqlStatement prepare(std::string_view sql) = 0;
  // Sets the tenant of the running transaction (row-level security); nothing on SQLite.
  virtual void set_tenant(const std::string& tenant) = 0;
  // Holds `key`'s lock to the end of the running transaction, so writers that take it take turns:
  // PostgreSQL's transaction-scoped advisory lock; nothing on SQLite, whose write transaction is
  // already the only writer.
  virtual void lock_until_commit(std::int64_t key) = 0;
  // Rows for `spec`, inside a transaction.
  virtual std::unique_ptr<SqlBulkInsert> bulk_insert(const BulkInsertSpec& spec) = 0;
  // Upserts every chunk of daily prices `next_chunk` hands out (store.h's upsert_price_chunks),
  // in the key order of price_order.h, in one transaction (joined when one runs) that calls
  // `before_commit` last: SQLite with multi-row prepared INSERTs (sqlite_connection.cpp), PostgreSQL
  // with COPY (pg/price_load.cpp).
  virtual PriceImportStats upsert_prices(const std::function<bool(PriceRows&)>& next_chunk,
                                         const std::function<void()>& before_commit) = 0;
  // Runs fn() as Store::transaction: one write transaction (joined when one runs) whose write lock
  // is held from the start, so a check made inside against stored rows still holds at the commit.
  // SQLite: BEGIN IMMEDIATE; PostgreSQL: the outermost one takes one database-wide advisory lock.
  virtual void store_transaction(const std::function<void()>& fn) = 0;

  // Run fn() and return what it returns (see the file comment). `tenant`: the tenant the
  // transaction runs under on PostgreSQL (none: tenant tables show no row).
  template <class F>
  auto run(const std::optional<std::string>& tenant, F&& fn) {
    return call(false, tenant, std::forward<F>(fn));
  }
  template <class F>
  auto transaction(const std::optional<std::string>& tenant, F&& fn) {
    return call(true, tenant, std::forward<F>(fn));
  }

  // One statement under `tenant`: `sql` with `values` bound in order (bind_all). rows and first
  // read it in a run: its rows, each decoded by `read`, or its first row (nullopt for none); change
  // writes it in a transaction and write in a run (a statement of its own), each returning the
  // rows it changed.
  template <class F, class... V>
  auto rows(const std::optional<std::string>& tenant, std::string_view sql, F&& read, const V&... values) {
    return run(tenant, [&] { return prepare(sql).bind_all(values...).rows(read); });
  }
  template <class F, class... V>
  auto first(const std::optional<std::string>& tenant, std::string_view sql, F&& read, const V&... values) {
    return run(tenant, [&] { return prepare(sql).bind_all(values...).first(read); });
  }
  template <class... V>
  std::int64_t change(const std::optional<std::string>& tenant, std::string_view sql, const V&... values) {
    return transaction(tenant, [&] { return prepare(sql).bind_all(values...).run(); });
  }
  template <class... V>
  std::int64_t write(const std::optional<std::string>& tenant, std::string_view sql, const V&... values) {
    return run(tenant, [&] { return prepare(sql).bind_all(values...).run(); });
  }

 protected:
  // Runs fn() as run() (`transaction` false) or transaction() do.
  virtual void enter(bool transaction, const std::optional<std::string>& tenant,
                     const std::function<void()>& fn) = 0;

 private:
  template <class F>
  auto call(bool transaction, const std::optional<std::string>& tenant, F&& fn) {
    using R = std::invoke_result_t<F&>;
    if constexpr (std::is_void_v<R>) {
      enter(transaction, tenant, [&] { fn(); });
    } else {
      std::optional<R> result;
      enter(transaction, tenant, [&] { result.emplace(fn()); });
      return std::move(*result);
    }
  }
};

// NULL for an empty text (an optional field left empty), and for NaN (a missing value).
inline std::optional<std::string> text_or_null(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}
inline std::optional<double> value_or_null(double v) {
  return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

// A curve's kind as the `kind` columns keep it, and back.
inline std::string_view curve_kind_name(CurveKind k) {
  return k == CurveKind::kPar ? "par" : "zero";
}
inline CurveKind parse_curve_kind(std::string_view s) {
  return s == "par" ? CurveKind::kPar : CurveKind::kZero;
}

// A date as the ISO text the tables other than prices keep; nullopt stays NULL.
inline std::optional<std::string> date_text(std::optional<Date> d) {
  return d ? std::optional<std::string>(d->to_string()) : std::nullopt;
}

// The condition that the ISO date text of `column` lies in [from, to], an end left open by nullopt;
// bind_date_range binds its four parameters. (CAST: PostgreSQL must know a parameter's type to test
// it for NULL.)
inline std::string date_range(std::string_view column) {
  const std::string c(column);
  return "(CAST(? AS TEXT) IS NULL OR " + c + " >= ?) AND (CAST(? AS TEXT) IS NULL OR " + c + " <= ?)";
}
inline void bind_date_range(SqlBinder& b, std::optional<Date> from, std::optional<Date> to) {
  b.add(date_text(from)).add(date_text(from)).add(date_text(to)).add(date_text(to));
}

// A day of prices.date as the column holds it (Dialect::day_numbers), and back.
inline SqlStatement& bind_day(const Dialect& d, SqlStatement& st, int index, Date day) {
  return d.day_numbers ? st.bind(index, std::int64_t{day.serial()}) : st.bind(index, day.to_string());
}
inline Date read_day(const Dialect& d, const SqlStatement& st, int column) {
  if (d.day_numbers) return Date::from_serial(static_cast<std::int32_t>(st.get_int(column)));
  return Date::parse_or_throw(st.get_text(column), "prices.date");
}

// The largest `ordinal` of the rows of `table` whose `key_column` is `key`, 0 for none: the rows
// numbered within their parent (a ledger account's transactions, a conversation's messages) take
// the numbers after it. Every name is the caller's fixed SQL.
inline std::int64_t max_ordinal(SqlConnection& c, std::string_view table, std::string_view key_column,
                                std::int64_t key) {
  return c
      .prepare("SELECT COALESCE(MAX(ordinal), 0) FROM " + std::string(table) + " WHERE " +
               std::string(key_column) + " = ?")
      .bind(1, key)
      .first_int();
}

// For a call that names a tenant's row only by its key (an id, a user name): where rows are tenant-scoped,
// sets the tenant that `tenant_function` (an SQL function of the id, returning NULL for no such row) tells,
// and returns false when there is none; elsewhere returns true, changing nothing.
template <class Key>
bool enter_tenant_of(SqlConnection& c, std::string_view tenant_function, const Key& key) {
  if (!c.dialect().row_level_security) return true;
  auto st = c.prepare(std::string("SELECT ") + std::string(tenant_function) + "(?)");
  st.bind(1, key).step();
  const auto tenant = st.get_optional_text(0);
  if (tenant) c.set_tenant(*tenant);
  return tenant.has_value();
}

}  // namespace keel::store
