#include "sqlite_connection.h"

#include <fmt/format.h>

#include <algorithm>

namespace keel::store {
namespace {

class SqliteStatement final : public SqlStatementImpl {
 public:
  SqliteStatement(Database& db, std::string_view sql) : db_(&db), st_(db.prepare(sql)) {}
  void bind_int(int index, std::int64_t value) override { st_.bind(index, value); }
  void bind_double(int index, double value) override { st_.bind(index, value); }
  void bind_text(int index, std::string_view value) override { st_.bind(index, value); }
  void bind_null(int index) override { st_.bind_null(index); }
  bool step() override { return st_.step(); }
  void reset() override { st_.reset(); }
  std::int64_t changes() override { return db_->changes(); }
  bool is_null(int column) const override { return st_.is_null(column); }
  double get_double(int column) const override { return st_.get_double(column); }
  std::int64_t get_int(int column) const override { return st_.get_int(column); }
  std::string get_text(int column) const override { return st_.get_text(column); }

 private:
  Database* db_;
  Statement st_;
};

// One prepared INSERT, run once per row.
class SqliteBulkInsert final : public SqlBulkInsert {
 public:
  SqliteBulkInsert(Database& db, const BulkInsertSpec& spec)
      : st_(db.prepare(fmt::format(
            "INSERT INTO {} ({}, {}) VALUES ({})", spec.table, spec.key_column, spec.columns,
            placeholders(1 + static_cast<int>(std::count(spec.columns.begin(), spec.columns.end(), ',')) +
                         1)))),
        key_(spec.key) {
    st_.bind(1, key_);
  }
  SqlBulkInsert& add_null() override {
    st_.bind_null(next_++);
    return *this;
  }
  void end_row() override {
    st_.run();
    st_.reset();
    st_.bind(1, key_);
    next_ = 2;
  }
  void finish() override {}

 protected:
  SqlBulkInsert& add_int(std::int64_t v) override {
    st_.bind(next_++, v);
    return *this;
  }
  SqlBulkInsert& add_double(double v) override {
    st_.bind(next_++, v);
    return *this;
  }
  SqlBulkInsert& add_text(std::string_view v) override {
    st_.bind(next_++, v);
    return *this;
  }

 private:
  Statement st_;
  std::int64_t key_;
  int next_ = 2;
};

}  // namespace

std::unique_ptr<SqlBulkInsert> SqliteConnection::bulk_insert(const BulkInsertSpec& spec) {
  return std::make_unique<SqliteBulkInsert>(*db_, spec);
}

SqlStatement SqliteConnection::prepare(std::string_view sql) {
  return SqlStatement(std::make_unique<SqliteStatement>(*db_, sql));
}

void SqliteConnection::enter(bool transaction, const std::optional<std::string>&,
                             const std::function<void()>& fn) {
  if (transaction) {
    db_->transaction(fn);
  } else {
    fn();
  }
}

}  // namespace keel::store
