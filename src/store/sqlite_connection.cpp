#include "sqlite_connection.h"

#include <fmt/format.h>

#include <unordered_map>

#include "keel/core/error.h"
#include "price_order.h"

namespace keel::store {
namespace {

class SqliteStatement final : public SqlStatementImpl {
 public:
  SqliteStatement(SqliteConnection& conn, std::string_view sql)
      : conn_(&conn), sql_(sql), owned_(conn.take_statement(sql)), st_(*owned_) {}
  ~SqliteStatement() override {
    try {
      conn_->give_back(std::move(sql_), std::move(owned_));
    } catch (...) {
      // Not kept (no memory for the map): the statement was finalized instead.
    }
  }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  void bind_int(int index, std::int64_t value) override { st_.bind(index, value); }
  void bind_double(int index, double value) override { st_.bind(index, value); }
  void bind_text(int index, std::string_view value) override { st_.bind(index, value); }
  void bind_null(int index) override { st_.bind_null(index); }
  void bind_blob(int index, std::string_view bytes) override { st_.bind_blob(index, bytes); }
  bool step() override { return st_.step(); }
  void reset() override { st_.reset(); }
  std::int64_t changes() override { return conn_->database().changes(); }
  bool is_null(int column) const override { return st_.is_null(column); }
  double get_double(int column) const override { return st_.get_double(column); }
  std::int64_t get_int(int column) const override { return st_.get_int(column); }
  std::string_view text(int column) const override { return st_.get_text_view(column); }
  std::string get_blob(int column) const override { return st_.get_blob(column); }

 private:
  SqliteConnection* conn_;
  std::string sql_;
  std::unique_ptr<Statement> owned_;
  Statement& st_;
};

}  // namespace

std::unique_ptr<SqlBulkInsert> SqliteConnection::bulk_insert(const BulkInsertSpec& spec) {
  // One prepared INSERT, run once per row.
  const auto values = static_cast<int>(column_names(spec.columns).size());
  return std::make_unique<SqlBulkInsert>(
      prepare(fmt::format("INSERT INTO {} ({}, {}) VALUES ({})", spec.table, spec.key_column, spec.columns,
                          placeholders(values + 1))),
      spec.key, [] {});
}

SqlStatement SqliteConnection::prepare(std::string_view sql) {
  return SqlStatement(std::make_unique<SqliteStatement>(*this, sql));
}

std::unique_ptr<Statement> SqliteConnection::take_statement(std::string_view sql) {
  if (auto it = idle_.find(std::string(sql)); it != idle_.end() && !it->second.empty()) {
    std::unique_ptr<Statement> st = std::move(it->second.back());
    it->second.pop_back();
    return st;
  }
  return std::make_unique<Statement>(db_.prepare(sql));
}

void SqliteConnection::give_back(std::string&& sql, std::unique_ptr<Statement> st) {
  // Reset, a statement holds no read snapshot and no bound text while it waits.
  st->reset();
  auto it = idle_.find(sql);
  if (it == idle_.end()) {
    if (idle_.size() >= kIdleTexts) return;  // enough texts kept: this one is finalized
    it = idle_.emplace(std::move(sql), std::vector<std::unique_ptr<Statement>>{}).first;
  }
  if (it->second.size() < kIdlePerSql) it->second.push_back(std::move(st));
}

PriceImportStats SqliteConnection::upsert_prices(const std::function<bool(PriceRows&)>& next_chunk,
                                                 const std::function<void()>& before_commit) {
  // A switch of the Database, turned off again on leaving when it was turned on here.
  struct Switch {
    Database& db;
    void (Database::*off)();
    bool on;
    ~Switch() {
      if (on) (db.*off)();
    }
  };
  // The rows of a first import are pages appended to the file: with the rollback journal they are
  // written once instead of twice (Database::begin_bulk_load). Both switches change nothing inside
  // a transaction (market data's save_fetch).
  const Switch bulk{db_, &Database::end_bulk_load, db_.begin_bulk_load()};
  // Every row names an instrument resolved below in this transaction, checked again before the
  // commit, so SQLite need not look each row's instrument up (Database::begin_bulk_write).
  const Switch bulk_write{db_, &Database::end_bulk_write, db_.begin_bulk_write()};
  Database& db = db_;
  return db.transaction([&] {
    // Multi-row INSERTs amortise SQLite's per-statement work: kBatch rows per statement, then a
    // single-row statement for the tail.
    constexpr std::size_t kBatch = 256;
    auto make_insert = [&](std::size_t rows_per_statement) {
      return db.prepare(upsert_sql("prices", "instrument_id, date, close, adj_close, open, high, low, volume",
                                   "instrument_id, date", "", rows_per_statement));
    };
    auto batch = make_insert(kBatch);
    auto single = make_insert(1);
    auto count_rows = db.prepare("SELECT COUNT(*) FROM prices WHERE instrument_id = ?");
    auto rows_of = [&](std::int64_t id) {
      count_rows.bind(1, id);
      count_rows.step();
      const auto n = static_cast<std::size_t>(count_rows.get_int(0));
      count_rows.reset();
      return n;
    };
    // Rows inserted (not overwritten) per instrument. An instrument with no rows before the import
    // whose keys were all written in runs after every earlier key (price_order.h: every run of a
    // file grouped by symbol) gains one row per distinct key, counted here; any other is counted
    // again in SQL before the commit (a COUNT over the whole table would cost the import ~5%).
    struct Tally {
      std::size_t before = 0;
      std::size_t distinct = 0;  // distinct keys written, while `counted`
      bool counted = true;
    };
    std::unordered_map<std::int64_t, Tally> tally;
    auto add_symbol =
        db.prepare("INSERT INTO instruments (symbol) VALUES (?) ON CONFLICT (symbol) DO NOTHING");
    auto find_symbol = db.prepare("SELECT id FROM instruments WHERE symbol = ?");
    auto resolve = [&](const std::vector<std::string>& symbols) {
      std::vector<std::int64_t> out;
      out.reserve(symbols.size());
      for (const auto& symbol : symbols) {
        add_symbol.bind(1, symbol).run();
        add_symbol.reset();
        find_symbol.bind(1, symbol);
        find_symbol.step();
        const std::int64_t id = find_symbol.get_int(0);
        find_symbol.reset();
        tally[id].before = rows_of(id);
        out.push_back(id);
      }
      return out;
    };
    auto write = [&](const PriceRun& run) {
      const auto& refs = run.refs;
      auto bind_row = [&](Statement& st, int base, const PriceRef& ref) {
        const PriceRows& c = run.chunks[ref.chunk];
        const std::size_t i = ref.row;
        st.bind(base + 1, ref.instrument)
            .bind(base + 2, std::int64_t{ref.date})  // days since 1970-01-01 (migration 75)
            .bind(base + 3, c.close[i])
            .bind(base + 4, value_or_null(c.adj_close[i]))
            .bind(base + 5, value_or_null(c.open[i]))
            .bind(base + 6, value_or_null(c.high[i]))
            .bind(base + 7, value_or_null(c.low[i]))
            .bind(base + 8, value_or_null(c.volume[i]));
      };
      const std::size_t n = refs.size();
      std::size_t i = 0;
      for (; i + kBatch <= n; i += kBatch) {
        for (std::size_t r = 0; r < kBatch; ++r) bind_row(batch, static_cast<int>(8 * r), refs[i + r]);
        batch.run();
        batch.reset_keeping_bindings();  // every parameter is bound again before the next step
      }
      for (; i < n; ++i) {
        bind_row(single, 0, refs[i]);
        single.run();
        single.reset_keeping_bindings();
      }
      Tally* t = nullptr;
      for (std::size_t k = 0; k < n; ++k) {
        if (k == 0 || refs[k].instrument != refs[k - 1].instrument) t = &tally[refs[k].instrument];
        if (!run.after_earlier_runs)
          t->counted = false;
        else if (k == 0 || !refs[k].same_key(refs[k - 1]))
          ++t->distinct;
      }
    };
    PriceImportStats stats = write_prices_in_key_order(next_chunk, resolve, write);
    // What the foreign key would have checked row by row: every instrument written exists.
    auto instrument = db.prepare("SELECT 1 FROM instruments WHERE id = ?");
    for (const auto& [id, t] : tally) {
      instrument.bind(1, id);
      if (!instrument.step()) throw Error::internal(fmt::format("prices name missing instrument {}", id));
      instrument.reset();
    }
    before_commit();
    for (const auto& [id, t] : tally) {
      stats.inserted += t.before == 0 && t.counted ? t.distinct : rows_of(id) - t.before;
    }
    stats.updated = stats.rows - stats.inserted;
    return stats;
  });
}

void SqliteConnection::enter(bool transaction, const std::optional<std::string>&,
                             const std::function<void()>& fn) {
  if (transaction) {
    db_.transaction(fn);
  } else {
    fn();
  }
}

}  // namespace keel::store
