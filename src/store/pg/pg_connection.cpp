#include "pg_connection.h"

#include <fmt/format.h>

#include <atomic>
#include <vector>

#include "copy_stage.h"
#include "keel/core/error.h"
#include "keel/store/postgresql.h"

namespace keel::store::pg {
namespace {

class PgStatement final : public SqlStatementImpl {
 public:
  PgStatement(PgConnection& c, std::string sql) : c_(&c), sql_(std::move(sql)) {}
  // A row of a bulk insert: each run sends the values after the key (parameter 1, which the
  // INSERT ... SELECT of the staged rows binds) to the COPY of `stage`.
  explicit PgStatement(std::shared_ptr<CopyStage> stage) : stage_(std::move(stage)) {}
  void bind_int(int index, std::int64_t value) override { params_.set(slot(index), value); }
  void bind_double(int index, double value) override { params_.set(slot(index), value); }
  void bind_text(int index, std::string_view value) override { params_.set(slot(index), value); }
  void bind_null(int index) override { params_.set(slot(index), std::nullopt); }
  void bind_blob(int index, std::string_view bytes) override { params_.set(slot(index), hex_of(bytes)); }

  bool step() override {
    if (!ran_) {
      if (stage_) {
        const auto values = params_.pointers();
        stage_->row({values.begin() + 1, values.end()});  // the key (parameter 1) is the INSERT's
        affected_ = 1;
      } else {
        const auto [connection, tenant] = c_->target();
        result_ = exec(*connection, tenant, sql_, params_);
        affected_ = result_.affected_rows();
      }
      ran_ = true;
      next_ = 0;
    }
    if (next_ >= result_.size()) return false;
    row_ = next_++;
    return true;
  }
  void reset() override {
    ran_ = false;
    result_ = Result();
    affected_ = 0;
    params_ = Params();
  }
  std::int64_t changes() override { return ran_ ? affected_ : 0; }
  bool is_null(int column) const override { return result_.is_null(row_, column); }
  double get_double(int column) const override { return result_.real(row_, column); }
  std::int64_t get_int(int column) const override { return result_.integer(row_, column); }
  std::string_view text(int column) const override { return result_.value(row_, column); }
  std::string get_blob(int column) const override { return bytes_of_hex(result_.value(row_, column)); }

 private:
  static std::size_t slot(int index) {
    if (index < 1) throw Error::internal(fmt::format("SQL parameter {} out of range", index));
    return static_cast<std::size_t>(index - 1);
  }

  PgConnection* c_ = nullptr;
  std::string sql_;
  std::shared_ptr<CopyStage> stage_;
  Params params_;
  Result result_;
  std::int64_t affected_ = 0;
  bool ran_ = false;
  std::size_t next_ = 0;
  std::size_t row_ = 0;
};

}  // namespace

std::unique_ptr<SqlBulkInsert> PgConnection::bulk_insert(const BulkInsertSpec& spec) {
  // COPY into the staging table, then one INSERT ... SELECT (copy_stage.h).
  Tx& t = tx();
  auto stage = std::make_shared<CopyStage>(t, std::string(spec.stage), std::string(spec.stage_definition),
                                           column_names(spec.columns));
  stage->begin();
  std::string insert = fmt::format("INSERT INTO {} ({}, {}) SELECT $1, {} FROM {}{}{}", spec.table,
                                   spec.key_column, spec.columns, spec.columns, spec.stage,
                                   spec.stage_order.empty() ? "" : " ORDER BY ", spec.stage_order);
  return std::make_unique<SqlBulkInsert>(SqlStatement(std::make_unique<PgStatement>(stage)), spec.key,
                                         [&t, stage, insert = std::move(insert), key = spec.key] {
                                           stage->finish();
                                           t.exec(insert, Params().add(key));
                                         });
}

std::string numbered_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // quoted text or identifier, doubled quotes included
      const std::size_t end = sql.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // comment to the end of the line
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '?') {
      out += fmt::format("${}", ++n);
    } else {
      out += c;
    }
  }
  return out;
}

SqlStatement PgConnection::prepare(std::string_view sql) {
  return SqlStatement(std::make_unique<PgStatement>(*this, numbered_placeholders(sql)));
}

namespace {
std::atomic<std::uint64_t> transactions_sent{0};
std::atomic<std::uint64_t> direct_statements_sent{0};
}  // namespace

Traffic traffic() {
  return {transactions_sent.load(std::memory_order_relaxed),
          direct_statements_sent.load(std::memory_order_relaxed)};
}

Tx& PgConnection::tx() {
  if (tx_ == nullptr && held_ != nullptr) {
    throw Error::internal(
        "a PostgreSQL bulk load or lock ran in a run, not a transaction (SqlConnection::transaction)");
  }
  if (tx_ == nullptr) throw Error::internal("a PostgreSQL statement ran outside a transaction");
  return *tx_;
}

void PgConnection::set_tenant(const std::string& tenant) {
  if (tx_ == nullptr && held_ != nullptr) {
    held_tenant_ = tenant;  // the run's later statements
    return;
  }
  tx().set_tenant(tenant);
}

void PgConnection::lock_until_commit(std::int64_t key) {
  tx().exec("SELECT pg_advisory_xact_lock($1)", Params().add(key));
}

void PgConnection::store_transaction(const std::function<void()>& fn) {
  // SQLite's BEGIN IMMEDIATE: the outermost store transaction first takes one database-wide write
  // lock (transaction-scoped, released at commit or rollback), so a check made inside against
  // stored rows (a ledger sale against the shares held) still holds at the commit, whichever
  // process runs the other writer; under READ COMMITTED each later statement sees what the
  // previous holder committed.
  constexpr std::int64_t kStoreTransactionLock = 0x6b65656c7478;  // "keeltx"
  const bool outermost = tx_ == nullptr;
  transaction(std::nullopt, [&] {
    if (outermost) lock_until_commit(kStoreTransactionLock);
    fn();
  });
}

PgConnection::Target PgConnection::target() {
  if (tx_ == nullptr && held_ != nullptr) {
    direct_statements_sent.fetch_add(1, std::memory_order_relaxed);
    return {held_, held_tenant_};
  }
  return {&tx().connection(), std::nullopt};
}

void PgConnection::transact(Connection& c, const std::optional<std::string>& tenant,
                            const std::function<void()>& fn) {
  transactions_sent.fetch_add(1, std::memory_order_relaxed);
  pqxx::work work(c.conn);
  Tx tx(work, c);
  if (tenant) tx.set_tenant(*tenant);
  tx_ = &tx;
  try {
    fn();
  } catch (...) {
    tx_ = nullptr;
    throw;  // the work's destructor rolls back
  }
  tx_ = nullptr;
  work.commit();
}

void PgConnection::enter(bool transaction, const std::optional<std::string>& tenant,
                         const std::function<void()>& fn) {
  if (tx_ != nullptr) {  // joins the running transaction
    if (tenant) tx_->set_tenant(*tenant);
    return fn();
  }
  if (transaction) {
    if (held_ != nullptr) {
      return translate_errors([&] { transact(*held_, tenant ? tenant : held_tenant_, fn); },
                              [&] { held_broken_ = true; });
    }
    auto lease = pool_->acquire();
    return translate_errors([&] { transact(*lease, tenant, fn); }, [&] { lease.discard(); });
  }
  // A run outside any transaction: no BEGIN and COMMIT, and each statement goes with its tenant in
  // one round trip (exec), as SQLite runs the statements of a read as they come. A run inside
  // another keeps its connection, and its tenant unless one is given.
  std::optional<Pool::Lease> lease;
  if (held_ == nullptr) lease.emplace(pool_->acquire());
  struct Restore {
    PgConnection& c;
    std::optional<std::string> tenant;
    std::optional<Pool::Lease>& lease;
    ~Restore() {
      c.held_tenant_ = std::move(tenant);
      if (!lease) return;
      c.held_ = nullptr;
      if (c.held_broken_) lease->discard();
    }
  } restore{*this, held_tenant_, lease};
  if (tenant || lease) held_tenant_ = tenant;
  if (!lease) return fn();
  held_ = &**lease;
  held_broken_ = false;
  translate_errors(fn, [&] { held_broken_ = true; });
}

}  // namespace keel::store::pg
