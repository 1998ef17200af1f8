// src/store/pg/pg_connection.h (private): the PostgreSQL backend's one layer over libpq (14+, for
// its pipeline mode): SqlConnection (src/store/sql.h) over a pool of connections, and the pieces
// the migrations, the bulk loads, `keel db copy` and the shared limits use directly.
//
// Pool: a fixed number of connections to one URL, opened on first need and checked out with a
// timeout; a connection that broke, or that an error left inside a transaction, is closed instead
// of going back. Every statement goes through exec, as a prepared statement (prepared once per
// connection, on first use), in and out of transactions alike. Params carries the parameters as
// text (numbers formatted exactly: shortest round-trip doubles) with NULL as nullopt, so nothing
// is ever spliced into SQL. The server's errors become keel::Error by SQLSTATE (throw_error):
// unique, foreign-key and check violations are conflict, a row-level security refusal is
// forbidden, everything else internal.
//
// PgConnection decides which connection and which transaction each statement of a store runs on,
// and under which tenant. `transaction` runs in one transaction (BEGIN ... COMMIT, rolled back on
// an exception) on a leased connection, with the tenant set for that transaction only
// (set_config('keel.tenant', $1, true)); a transaction or a run inside it joins it (the tenant set
// again when one is given). `run` outside any transaction holds a leased connection without a
// transaction: each statement is its own implicit transaction, sent with the run's tenant in one
// round trip (exec); a transaction inside it runs on the same connection, under the run's tenant
// unless one is given. A statement's `?` placeholders become $1..$n (outside quoted text and
// comments) and it runs, as a prepared statement, at its first step; set_tenant sets the running
// transaction's (or run's) tenant (row-level security).
//
// Thread-safety: Pool is thread-safe; the rest is used by one thread at a time. Ownership: a
// PgConnection shares its pool.
#pragma once

#include <fmt/format.h>
#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "keel/store/postgresql.h"
#include "sql.h"

namespace keel::store::pg {

// A double as PostgreSQL reads it back exactly: the shortest round-trip text, NaN, Infinity.
std::string double_text(double v);

// A statement's parameters as the text PostgreSQL reads: integers in decimal (bool as 1 or 0),
// doubles by double_text, text as is; nullopt and an empty optional are NULL.
class Params {
 public:
  template <class T>
  Params& add(const T& v) {
    return set(values_.size(), v);
  }
  Params& add_null() { return add(std::nullopt); }
  // Parameter `i` (0-based) set to `v`, those before it that were not set being NULL.
  template <class T>
  Params& set(std::size_t i, const T& v) {
    if (values_.size() <= i) values_.resize(i + 1);
    if constexpr (std::is_same_v<T, std::nullopt_t>) {
      values_[i].reset();
    } else if constexpr (requires { v.has_value(); }) {
      return v ? set(i, *v) : set(i, std::nullopt);
    } else if constexpr (std::is_floating_point_v<T>) {
      values_[i] = double_text(v);
    } else if constexpr (std::is_integral_v<T>) {
      values_[i] = fmt::format("{}", static_cast<std::int64_t>(v));
    } else {
      values_[i] = std::string(std::string_view(v));
    }
    return *this;
  }
  // Pointers into the values (nullptr for NULL), valid while this object lives unchanged.
  std::vector<const char*> pointers() const;
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

// bytea's hex text form ("\\x6b65"), both ways; bytes_of_hex throws keel::Error(internal) on any
// other text (PostgreSQL writes hex unless bytea_output says otherwise).
std::string hex_of(std::string_view bytes);
std::string bytes_of_hex(std::string_view text);

// One libpq connection (closed with this object) and the statements exec prepared on it ("d<n>").
// Opening throws keel::Error(internal) naming the URL (its password hidden) when the server cannot
// be reached. The server's notices (CREATE ... IF NOT EXISTS skipping, say) are not printed.
struct Connection {
  explicit Connection(const std::string& libpq_url);
  ~Connection() { PQfinish(conn); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  PGconn* conn;
  std::unordered_map<std::string, std::string> prepared;
  std::uint64_t names = 0;
};

// Throws the error of a failed libpq result `r` (freed here), or of the connection when `r` is
// null, as keel::Error by its SQLSTATE (see the file comment); a connection that is no longer
// open is "lost the connection to PostgreSQL".
[[noreturn]] void throw_error(PGconn* h, PGresult* r);

// The rows of one statement run by exec (libpq's result, freed with it), read as text: NULL
// reads as "", as NaN by real() and as 0 by integer(); a number that does not parse throws
// keel::Error(internal).
class Result {
 public:
  Result() = default;
  explicit Result(PGresult* r) : r_(r, PQclear) {}
  std::size_t size() const { return r_ ? static_cast<std::size_t>(PQntuples(r_.get())) : 0; }
  bool empty() const { return size() == 0; }
  std::int64_t affected_rows() const;
  bool is_null(std::size_t row, int column) const {
    return PQgetisnull(r_.get(), static_cast<int>(row), column) != 0;
  }
  std::string_view value(std::size_t row, int column) const;
  std::string text(std::size_t row, int column) const { return std::string(value(row, column)); }
  double real(std::size_t row, int column) const;
  std::int64_t integer(std::size_t row, int column) const;

 private:
  std::shared_ptr<PGresult> r_;
};

// Runs one statement on `c` in ONE round trip: with libpq's pipeline mode the tenant's
// set_config('keel.tenant', $1, true) (when `tenant` is given) and the statement, each prepared on
// this connection on first use (in the same pipeline), are sent before one Sync. Outside a
// transaction they run in one implicit transaction, so the statement sees the tenant, which ends
// with it as a transaction-local setting does; inside one they join it. Errors as throw_error
// maps them.
Result exec(Connection& c, const std::optional<std::string>& tenant, const std::string& sql,
            const Params& params = {});
// exec() outside any tenant, expecting exactly one row.
Result exec1(Connection& c, const std::string& sql, const Params& params = {});
// The migrations recorded in schema_version, ascending.
std::vector<int> applied_versions(Connection& c);

// A URL split into what libpq gets and keel's own parameters.
struct ParsedUrl {
  std::string libpq;          // the URL without keel's parameters
  std::size_t pool_size = 8;  // ?pool_size=N
};
ParsedUrl parse_url(const std::string& url);

class Pool {
 public:
  Pool(std::string libpq_url, std::size_t size, std::chrono::milliseconds checkout_timeout);

  // A leased connection; it goes back to the pool when the lease ends, or is closed if it broke or
  // is still inside a transaction.
  using Lease = std::unique_ptr<Connection, std::function<void(Connection*)>>;
  // Waits up to the checkout timeout for a free connection (opening one while fewer than `size`
  // exist). Throws keel::Error(internal) on timeout or when the server cannot be reached.
  Lease acquire();

  // Connections leased, open and idle, threads waiting for one, and the bound (pool_stats, /metrics).
  PoolStats stats();

  // The process-wide pool of `url`, shared by every store open on it (created on first use with the
  // URL's pool_size; it and its connections close with the last store that holds it).
  static std::shared_ptr<Pool> shared(const std::string& url);

 private:
  void give_back(Connection* c);
  std::string url_;
  std::size_t size_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  std::size_t open_ = 0;                           // guarded by mutex_: idle + leased
  std::size_t waiting_ = 0;                        // guarded by mutex_: threads in acquire's wait
};

class PgConnection final : public SqlConnection {
 public:
  explicit PgConnection(std::shared_ptr<Pool> pool) : pool_(std::move(pool)) {}
  const Dialect& dialect() const override { return kPostgresqlDialect; }
  SqlStatement prepare(std::string_view sql) override;
  void set_tenant(const std::string& tenant) override;
  void lock_until_commit(std::int64_t key) override;
  std::unique_ptr<SqlBulkInsert> bulk_insert(const BulkInsertSpec& spec) override;
  PriceImportStats upsert_prices(const std::function<bool(PriceRows&)>& next_chunk,
                                 const std::function<void()>& before_commit) override;
  void store_transaction(const std::function<void()>& fn) override;
  // The connection of the running transaction; throws keel::Error(internal) outside a transaction.
  Connection& tx();
  // `sql` in the running transaction (exec, exec1).
  Result exec(const std::string& sql, const Params& params = {}) {
    return pg::exec(tx(), std::nullopt, sql, params);
  }
  Result exec1(const std::string& sql, const Params& params = {}) { return pg::exec1(tx(), sql, params); }
  // Where a statement runs: inside a run outside any transaction, the held connection and the
  // tenant its statements run under (counted as a direct statement, traffic()); else the
  // transaction's connection, whose tenant is set already. Throws keel::Error(internal) outside both.
  struct Target {
    Connection* connection;
    std::optional<std::string> tenant;
  };
  Target target();

 protected:
  void enter(bool transaction, const std::optional<std::string>& tenant,
             const std::function<void()>& fn) override;

 private:
  // fn() in one transaction on `c`, under `tenant`.
  void transact(Connection& c, const std::optional<std::string>& tenant, const std::function<void()>& fn);

  std::shared_ptr<Pool> pool_;
  Connection* tx_ = nullptr;                // the connection of the running transaction
  Connection* held_ = nullptr;              // the connection of a run outside any transaction
  std::optional<std::string> held_tenant_;  // that run's tenant
};

}  // namespace keel::store::pg
