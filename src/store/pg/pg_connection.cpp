#include "pg_connection.h"

#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <span>

#include "copy_stage.h"
#include "keel/core/error.h"
#include "keel/store/postgresql.h"

namespace keel::store::pg {

std::string double_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
  return std::string(buf, r.ptr);
}

std::string hex_of(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 + 2 * bytes.size(), '\0');
  out[0] = '\\';
  out[1] = 'x';
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    out[2 + 2 * i] = kHex[c >> 4];
    out[3 + 2 * i] = kHex[c & 15];
  }
  return out;
}

namespace {
int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string bytes_of_hex(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
    throw Error::internal("PostgreSQL returned a bytea not in hex form (set bytea_output = 'hex')");
  }
  std::string out((text.size() - 2) / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit(text[2 + 2 * i]), lo = hex_digit(text[3 + 2 * i]);
    if (hi < 0 || lo < 0)
      throw Error::internal("PostgreSQL returned a bytea with a character that is not hex");
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

ParsedUrl parse_url(const std::string& url) {
  ParsedUrl out;
  const auto q = url.find('?');
  if (q == std::string::npos) {
    out.libpq = url;
    return out;
  }
  std::string kept;
  std::size_t i = q + 1;
  while (i <= url.size()) {
    std::size_t amp = url.find('&', i);
    if (amp == std::string::npos) amp = url.size();
    const std::string param = url.substr(i, amp - i);
    if (param.rfind("pool_size=", 0) == 0) {
      const std::string v = param.substr(10);
      std::size_t n = 0;
      auto r = std::from_chars(v.data(), v.data() + v.size(), n);
      if (r.ec != std::errc() || r.ptr != v.data() + v.size() || n < 1 || n > 1000) {
        throw Error::usage("pool_size in the database URL must be a whole number from 1 to 1000, not \"" + v +
                           "\"");
      }
      out.pool_size = n;
    } else if (!param.empty()) {
      kept += (kept.empty() ? "" : "&") + param;
    }
    i = amp + 1;
  }
  out.libpq = url.substr(0, q) + (kept.empty() ? "" : "?" + kept);
  return out;
}

namespace {
// libpq prints the server's notices on stderr unless told otherwise.
void ignore_notice(void*, const char*) {}
}  // namespace

Connection::Connection(const std::string& libpq_url) : conn(PQconnectdb(libpq_url.c_str())) {
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = conn ? PQerrorMessage(conn) : "out of memory";
    PQfinish(conn);
    throw Error::internal("cannot connect to PostgreSQL at " + redact_url(libpq_url) + ": " + message);
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
}

Pool::Pool(std::string libpq_url, std::size_t size, std::chrono::milliseconds checkout_timeout)
    : url_(std::move(libpq_url)), size_(size), timeout_(checkout_timeout) {}

void Pool::give_back(Connection* c) {
  // Broken, or left inside a transaction, a COPY or a pipeline by an error: closed, and a new one
  // may be opened in its place.
  std::unique_ptr<Connection> owned(c);
  const bool reusable = PQstatus(c->conn) == CONNECTION_OK && PQtransactionStatus(c->conn) == PQTRANS_IDLE &&
                        PQpipelineStatus(c->conn) == PQ_PIPELINE_OFF;
  {
    std::lock_guard lock(mutex_);
    if (reusable)
      idle_.push_back(std::move(owned));
    else
      --open_;
  }
  freed_.notify_one();
}

Pool::Lease Pool::acquire() {
  const auto lease = [this](std::unique_ptr<Connection> c) {
    return Lease(c.release(), [this](Connection* back) { give_back(back); });
  };
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return lease(std::move(c));
    }
    if (open_ < size_) {
      ++open_;
      lock.unlock();
      try {
        return lease(std::make_unique<Connection>(url_));
      } catch (...) {
        {
          std::lock_guard again(mutex_);
          --open_;
        }
        freed_.notify_one();
        throw;
      }
    }
    ++waiting_;
    const auto woke = freed_.wait_until(lock, deadline);
    --waiting_;
    if (woke == std::cv_status::timeout && idle_.empty() && open_ >= size_) {
      throw Error::internal(
          fmt::format("no PostgreSQL connection free after {} s (pool_size {}): raise pool_size "
                      "in the URL",
                      timeout_.count() / 1000, size_));
    }
  }
}

PoolStats Pool::stats() {
  std::lock_guard lock(mutex_);
  return PoolStats{open_ - idle_.size(), idle_.size(), waiting_, size_};
}

namespace {
// Held weakly: a pool and its connections close with the last store of its URL, so a process that
// opens many databases in turn (a test binary, keel db copy) keeps no idle connection to those it
// is done with.
std::mutex shared_pools_mutex;
std::map<std::string, std::weak_ptr<Pool>> shared_pools;  // guarded by shared_pools_mutex
}  // namespace

std::shared_ptr<Pool> Pool::shared(const std::string& url) {
  std::lock_guard lock(shared_pools_mutex);
  std::weak_ptr<Pool>& held = shared_pools[url];
  std::shared_ptr<Pool> p = held.lock();
  if (!p) {
    const ParsedUrl parsed = parse_url(url);
    p = std::make_shared<Pool>(parsed.libpq, parsed.pool_size, std::chrono::seconds(30));
    held = p;
  }
  return p;
}

PoolStats pool_stats(const std::string& url) {
  std::lock_guard lock(shared_pools_mutex);
  const auto it = shared_pools.find(url);
  const auto pool = it == shared_pools.end() ? nullptr : it->second.lock();
  return pool ? pool->stats() : PoolStats{};
}

std::vector<int> applied_versions(Connection& c) {
  std::vector<int> out;
  const Result r = exec(c, std::nullopt, "SELECT version FROM schema_version ORDER BY version");
  for (std::size_t i = 0; i < r.size(); ++i) out.push_back(static_cast<int>(r.integer(i, 0)));
  return out;
}

Result exec1(Connection& c, const std::string& sql, const Params& params) {
  auto r = exec(c, std::nullopt, sql, params);
  if (r.size() != 1) throw Error::internal(fmt::format("expected one row from PostgreSQL, got {}", r.size()));
  return r;
}

// ---------------------------------------------------------------- exec

namespace {
[[noreturn]] void lost(PGconn* h) {
  throw Error::internal(std::string("lost the connection to PostgreSQL: ") + PQerrorMessage(h));
}
}  // namespace

[[noreturn]] void throw_error(PGconn* h, PGresult* r) {
  const std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(h);
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state ? state : "";
  if (r) PQclear(r);
  if (PQstatus(h) != CONNECTION_OK) throw Error::internal("lost the connection to PostgreSQL: " + message);
  if (code.rfind("23", 0) == 0) {
    // unique, foreign key, check, not null: the stored rows forbid this write.
    throw Error::conflict("refused by the database: " + message);
  }
  if (code == "42501") {
    // Includes "new row violates row-level security policy": a row of another tenant.
    throw Error::forbidden("refused by the database: " + message);
  }
  if (code == "40001") throw Error::conflict("concurrent change, try again: " + message);
  throw Error::internal("PostgreSQL: " + message);
}

std::int64_t Result::affected_rows() const {
  if (!r_) return 0;
  const char* n = PQcmdTuples(r_.get());
  std::int64_t v = 0;
  std::from_chars(n, n + std::strlen(n), v);
  return v;
}

std::string_view Result::value(std::size_t row, int column) const {
  const int i = static_cast<int>(row);
  return {PQgetvalue(r_.get(), i, column), static_cast<std::size_t>(PQgetlength(r_.get(), i, column))};
}

Result exec(Connection& c, const std::optional<std::string>& tenant, const std::string& sql,
            const Params& params) {
  static const std::string kSetTenant = "SELECT set_config('keel.tenant', $1, true)";
  PGconn* h = c.conn;
  // Each command sent: a Prepare (of `prepares`, not yet known to the connection) or an execution
  // (`wanted`: the statement's own, whose rows are returned).
  struct Sent {
    const std::string* prepares = nullptr;
    std::string name;
    bool wanted = false;
  };
  std::vector<Sent> sent;
  const auto send = [&](const std::string& text, const std::vector<const char*>& values, bool wanted) {
    std::string name;
    if (auto it = c.prepared.find(text); it != c.prepared.end()) {
      name = it->second;
    } else {
      name = fmt::format("d{}", ++c.names);
      if (PQsendPrepare(h, name.c_str(), text.c_str(), 0, nullptr) != 1) return false;
      sent.push_back({&text, name, false});
    }
    if (PQsendQueryPrepared(h, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr,
                            0) != 1) {
      return false;
    }
    sent.push_back({nullptr, {}, wanted});
    return true;
  };
  if (PQenterPipelineMode(h) != 1) lost(h);
  const bool queued = (!tenant || send(kSetTenant, {tenant->c_str()}, false)) &&
                      send(sql, params.pointers(), true) && PQpipelineSync(h) == 1;
  // Nothing can be read back from a pipeline that was not sent whole: the connection goes.
  if (!queued) lost(h);
  // Every command's result, then the Sync's; the statement's rows kept, or the first error.
  Result out;
  PGresult* error = nullptr;
  for (const Sent& one : sent) {
    PGresult* r = PQgetResult(h);
    if (r == nullptr) {
      if (error) PQclear(error);
      lost(h);
    }
    const auto status = PQresultStatus(r);
    if (status == PGRES_FATAL_ERROR && error == nullptr) {
      error = r;
    } else {
      // A Prepare that ran before any failure stays (statements are not transactional); after
      // one, the rest of the pipeline was skipped.
      if (one.prepares && error == nullptr) c.prepared.emplace(*one.prepares, one.name);
      if (one.wanted && error == nullptr && (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)) {
        out = Result(r);
        r = nullptr;
      }
      if (r) PQclear(r);
    }
    while ((r = PQgetResult(h)) != nullptr) PQclear(r);  // the end of this command's results
  }
  for (PGresult* r = PQgetResult(h); r != nullptr; r = PQgetResult(h)) {
    const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    PQclear(r);
    if (sync) break;
  }
  PQexitPipelineMode(h);
  if (error) throw_error(h, error);
  return out;
}

namespace {
// `text` read by from_chars as a T (doubles: NaN, Infinity and -Infinity too); `what` names T in
// the error.
template <class T>
T parsed(std::string_view text, const char* what) {
  T v{};
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    throw Error::internal("PostgreSQL returned \"" + std::string(text) + "\" where " + what +
                          " was expected");
  }
  return v;
}
}  // namespace

double Result::real(std::size_t row, int column) const {
  if (is_null(row, column)) return std::numeric_limits<double>::quiet_NaN();
  return parsed<double>(value(row, column), "a number");
}

std::int64_t Result::integer(std::size_t row, int column) const {
  return is_null(row, column) ? 0 : parsed<std::int64_t>(value(row, column), "an integer");
}

namespace {

class PgStatement final : public SqlStatementImpl {
 public:
  PgStatement(PgConnection& c, std::string sql) : c_(&c), sql_(std::move(sql)) {}
  // copy_row_statement's: each run sends the parameters after the first `skipped` to `copy`.
  PgStatement(std::shared_ptr<CopyIn> copy, std::size_t skipped)
      : copy_(std::move(copy)), skipped_(skipped) {}
  void bind_int(int index, std::int64_t value) override { params_.set(slot(index), value); }
  void bind_double(int index, double value) override { params_.set(slot(index), value); }
  void bind_text(int index, std::string_view value) override { params_.set(slot(index), value); }
  void bind_null(int index) override { params_.set(slot(index), std::nullopt); }
  void bind_blob(int index, std::string_view bytes) override { params_.set(slot(index), hex_of(bytes)); }

  bool step() override {
    if (!ran_) {
      if (copy_) {
        copy_->row(std::span(params_.values()).subspan(skipped_));
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
  std::shared_ptr<CopyIn> copy_;
  std::size_t skipped_ = 0;
  Params params_;
  Result result_;
  std::int64_t affected_ = 0;
  bool ran_ = false;
  std::size_t next_ = 0;
  std::size_t row_ = 0;
};

}  // namespace

SqlStatement copy_row_statement(std::shared_ptr<CopyIn> copy, std::size_t skipped) {
  return SqlStatement(std::make_unique<PgStatement>(std::move(copy), skipped));
}

std::unique_ptr<SqlBulkInsert> PgConnection::bulk_insert(const BulkInsertSpec& spec) {
  // COPY into the staging table, then one INSERT ... SELECT (copy_stage.h).
  Connection& t = tx();
  const std::string stage = fmt::format("keel_{}_stage", spec.table);
  empty_stage(t, stage, std::string(spec.table), std::string(spec.columns));
  auto copy = std::make_shared<CopyIn>(t, stage, spec.columns);
  std::string insert = fmt::format("INSERT INTO {} ({}, {}) SELECT $1, {} FROM {}{}{}", spec.table,
                                   spec.key_column, spec.columns, spec.columns, stage,
                                   spec.stage_order.empty() ? "" : " ORDER BY ", spec.stage_order);
  // Each row's values after the key (parameter 1, which the INSERT ... SELECT binds) go to the COPY.
  return std::make_unique<SqlBulkInsert>(copy_row_statement(copy, 1), spec.key,
                                         [&t, copy, insert = std::move(insert), key = spec.key] {
                                           copy->complete();
                                           pg::exec(t, std::nullopt, insert, Params().add(key));
                                         });
}

namespace {
// `sql` with each `?` placeholder numbered ($1, $2, ...), quoted text and comments left as they are.
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

}  // namespace

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

Connection& PgConnection::tx() {
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
  exec("SELECT set_config('keel.tenant', $1, true)", Params().add(tenant));
}

void PgConnection::lock_until_commit(std::int64_t key) {
  exec("SELECT pg_advisory_xact_lock($1)", Params().add(key));
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
  return {&tx(), std::nullopt};
}

void PgConnection::transact(Connection& c, const std::optional<std::string>& tenant,
                            const std::function<void()>& fn) {
  transactions_sent.fetch_add(1, std::memory_order_relaxed);
  pg::exec(c, std::nullopt, "BEGIN");
  tx_ = &c;
  try {
    if (tenant) set_tenant(*tenant);
    fn();
    tx_ = nullptr;
    pg::exec(c, std::nullopt, "COMMIT");
  } catch (...) {
    tx_ = nullptr;
    // A failed COMMIT has ended the transaction; a lost connection is closed by the pool.
    if (PQtransactionStatus(c.conn) != PQTRANS_IDLE) {
      try {
        pg::exec(c, std::nullopt, "ROLLBACK");
      } catch (const Error&) {
      }
    }
    throw;
  }
}

void PgConnection::enter(bool transaction, const std::optional<std::string>& tenant,
                         const std::function<void()>& fn) {
  if (tx_ != nullptr) {  // joins the running transaction
    if (tenant) set_tenant(*tenant);
    return fn();
  }
  if (transaction) {
    if (held_ != nullptr) return transact(*held_, tenant ? tenant : held_tenant_, fn);
    const Pool::Lease lease = pool_->acquire();
    return transact(*lease, tenant, fn);
  }
  // A run outside any transaction: no BEGIN and COMMIT, and each statement goes with its tenant in
  // one round trip (exec), as SQLite runs the statements of a read as they come. A run inside
  // another keeps its connection, and its tenant unless one is given.
  Pool::Lease lease;
  if (held_ == nullptr) lease = pool_->acquire();
  struct Restore {  // ends before the lease gives the connection back
    PgConnection& c;
    std::optional<std::string> tenant;
    bool releases;
    ~Restore() {
      c.held_tenant_ = std::move(tenant);
      if (releases) c.held_ = nullptr;
    }
  } restore{*this, held_tenant_, lease != nullptr};
  if (tenant || lease) held_tenant_ = tenant;
  if (lease) held_ = lease.get();
  fn();
}

}  // namespace keel::store::pg
