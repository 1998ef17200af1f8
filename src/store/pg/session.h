// src/store/pg/session.h: the PostgreSQL backend's own layer over libpqxx 6.4 (Debian 12's).
//
// Pool: a fixed number of connections to one URL, opened on first need and checked out with a
// timeout; a connection that broke is closed instead of going back. Every statement goes through
// exec: libpq, as a prepared statement (prepared once per connection, on first use), in and out of
// transactions alike; libpqxx opens the connections and the transactions (Tx). Params carries the
// parameters as text (numbers formatted exactly: shortest round-trip doubles) with NULL as
// nullopt, so nothing is ever spliced into SQL. libpqxx's errors become keel::Error
// (translate_errors): unique, foreign-key and check violations are conflict, a row-level security
// refusal is forbidden, everything else internal. Which connection and transaction a statement
// runs on, and under which tenant, is PgConnection's (pg_connection.h).
//
// Thread-safety: Pool is thread-safe; the rest is used by one thread at a time.
#pragma once

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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

 private:
  std::vector<std::optional<std::string>> values_;
};

// bytea's hex text form ("\\x6b65"), both ways; bytes_of_hex throws keel::Error(internal) on any
// other text (PostgreSQL writes hex unless bytea_output says otherwise).
std::string hex_of(std::string_view bytes);
std::string bytes_of_hex(std::string_view text);

struct Connection {
  explicit Connection(const std::string& url) : conn(url) {}
  pqxx::connection conn;
  // Statements prepared through libpq by exec ("d<n>"), and the libpq handle they were prepared on
  // (a new handle has none of them).
  std::unordered_map<std::string, std::string> prepared;
  const void* handle = nullptr;
  std::uint64_t names = 0;
};

// The rows of one statement run by exec (libpq's result, freed with it), read as text: NULL
// reads as "", as NaN by real() and as 0 by integer(); a number that does not parse throws
// keel::Error(internal).
class Result {
 public:
  Result() = default;
  explicit Result(void* pg_result);
  std::size_t size() const;
  bool empty() const { return size() == 0; }
  std::int64_t affected_rows() const;
  bool is_null(std::size_t row, int column) const;
  std::string_view value(std::size_t row, int column) const;
  std::string text(std::size_t row, int column) const { return std::string(value(row, column)); }
  double real(std::size_t row, int column) const;
  std::int64_t integer(std::size_t row, int column) const;

 private:
  std::shared_ptr<void> r_;  // PGresult
};

// Runs one statement on `c` in ONE round trip: with libpq's pipeline mode the tenant's
// set_config('keel.tenant', $1, true) (when `tenant` is given) and the statement, each prepared on
// this connection on first use (in the same pipeline), are sent before one Sync. Outside a
// transaction they run in one implicit transaction, so the statement sees the tenant, which ends
// with it as a transaction-local setting does; inside one (Tx) they join it. Errors as
// translate_errors maps them (a lost connection: pqxx::broken_connection).
Result exec(Connection& c, const std::optional<std::string>& tenant, const std::string& sql,
            const Params& params = {});

// The libpq handle of a libpqxx connection (libpqxx 6.4 keeps it private), for what libpqxx does
// not offer: exec's pipeline and COPY FROM STDIN (CopyIn).
pqxx::internal::pq::PGconn* handle_of(pqxx::connection_base& conn);
// Throws the error of a failed libpq result `r` (freed here), or of the connection when `r` is
// null, as libpqxx would have: translate_errors maps it by SQLSTATE.
[[noreturn]] void throw_direct(pqxx::internal::pq::PGconn* h, pqxx::internal::pq::PGresult* r,
                               const std::string& sql);

// A URL split into what libpq gets and keel's own parameters.
struct ParsedUrl {
  std::string libpq;          // the URL without keel's parameters
  std::size_t pool_size = 8;  // ?pool_size=N
};
ParsedUrl parse_url(const std::string& url);

class Pool {
 public:
  Pool(std::string libpq_url, std::size_t size, std::chrono::milliseconds checkout_timeout);

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&& o) noexcept : pool_(std::exchange(o.pool_, nullptr)), c_(std::move(o.c_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }
    // The connection broke: close it instead of returning it.
    void discard() { c_.reset(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> c_;
  };

  // Waits up to the checkout timeout for a free connection (opening one while fewer than `size`
  // exist). Throws keel::Error(internal) on timeout or when the server cannot be reached.
  Lease acquire();
  std::size_t size() const { return size_; }

  // Connections leased, open and idle, and threads waiting for one (pool_stats, /metrics).
  struct Stats {
    std::size_t in_use = 0;
    std::size_t idle = 0;
    std::size_t waiting = 0;
  };
  Stats stats();

  // The process-wide pool of `url`, shared by every store open on it (created on first use with the
  // URL's pool_size; it and its connections close with the last store that holds it).
  static std::shared_ptr<Pool> shared(const std::string& url);
  // That pool while one is open, else nullptr (never creates one).
  static std::shared_ptr<Pool> find_shared(const std::string& url);

 private:
  void give_back(std::unique_ptr<Connection> c);
  std::string url_;
  std::size_t size_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  std::size_t open_ = 0;                           // guarded by mutex_: idle + leased
  std::size_t waiting_ = 0;                        // guarded by mutex_: threads in acquire's wait
};

// One open transaction: statements run here as prepared statements (exec).
class Tx {
 public:
  Tx(pqxx::work& work, Connection& c) : work_(&work), c_(&c) {}
  Result exec(const std::string& sql, const Params& params = {}) {
    return pg::exec(*c_, std::nullopt, sql, params);
  }
  // exec() expecting exactly one row.
  Result exec1(const std::string& sql, const Params& params = {});
  void set_tenant(const std::string& tenant);
  pqxx::work& work() { return *work_; }
  Connection& connection() { return *c_; }

 private:
  pqxx::work* work_;
  Connection* c_;
};

// Runs the function and turns libpqxx's exceptions into keel::Error (see the file comment).
void translate_errors(const std::function<void()>& fn, const std::function<void()>& on_broken = {});

}  // namespace keel::store::pg
