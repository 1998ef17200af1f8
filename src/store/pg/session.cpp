#include "session.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <pqxx/version>

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

Pool::Pool(std::string libpq_url, std::size_t size, std::chrono::milliseconds checkout_timeout)
    : url_(std::move(libpq_url)), size_(size), timeout_(checkout_timeout) {}

Pool::Lease::~Lease() {
  if (c_ && pool_)
    pool_->give_back(std::move(c_));
  else if (pool_)
    pool_->give_back(nullptr);
}

void Pool::give_back(std::unique_ptr<Connection> c) {
  {
    std::lock_guard lock(mutex_);
    if (c)
      idle_.push_back(std::move(c));
    else
      --open_;  // discarded: a new one may be opened in its place
  }
  freed_.notify_one();
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    if (open_ < size_) {
      ++open_;
      lock.unlock();
      try {
        return Lease(this, std::make_unique<Connection>(url_));
      } catch (const std::exception& e) {
        {
          std::lock_guard again(mutex_);
          --open_;
        }
        freed_.notify_one();
        throw Error::internal("cannot connect to PostgreSQL at " + redact_url(url_) + ": " + e.what());
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

Pool::Stats Pool::stats() {
  std::lock_guard lock(mutex_);
  return Stats{open_ - idle_.size(), idle_.size(), waiting_};
}

namespace {
// Held weakly: a pool and its connections close with the last store of its URL, so a process that
// opens many databases in turn (a test binary, keel db copy) keeps no idle connection to those it
// is done with.
struct SharedPools {
  std::mutex mutex;
  std::map<std::string, std::weak_ptr<Pool>> pools;  // guarded by mutex
};
SharedPools& shared_pools() {
  static SharedPools pools;
  return pools;
}
}  // namespace

std::shared_ptr<Pool> Pool::shared(const std::string& url) {
  auto& shared = shared_pools();
  std::lock_guard lock(shared.mutex);
  std::weak_ptr<Pool>& held = shared.pools[url];
  std::shared_ptr<Pool> p = held.lock();
  if (!p) {
    const ParsedUrl parsed = parse_url(url);
    p = std::make_shared<Pool>(parsed.libpq, parsed.pool_size, std::chrono::seconds(30));
    held = p;
  }
  return p;
}

std::shared_ptr<Pool> Pool::find_shared(const std::string& url) {
  auto& shared = shared_pools();
  std::lock_guard lock(shared.mutex);
  const auto it = shared.pools.find(url);
  return it == shared.pools.end() ? nullptr : it->second.lock();
}

PoolStats pool_stats(const std::string& url) {
  const auto pool = Pool::find_shared(url);
  if (!pool) return {};
  const auto s = pool->stats();
  return PoolStats{s.in_use, s.idle, s.waiting, pool->size()};
}

Result Tx::exec1(const std::string& sql, const Params& params) {
  auto r = exec(sql, params);
  if (r.size() != 1) throw Error::internal(fmt::format("expected one row from PostgreSQL, got {}", r.size()));
  return r;
}

void Tx::set_tenant(const std::string& tenant) {
  exec("SELECT set_config('keel.tenant', $1, true)", Params().add(tenant));
}

void translate_errors(const std::function<void()>& fn, const std::function<void()>& on_broken) {
  try {
    fn();
  } catch (const pqxx::broken_connection& e) {
    if (on_broken) on_broken();
    throw Error::internal(std::string("lost the connection to PostgreSQL: ") + e.what());
  } catch (const pqxx::integrity_constraint_violation& e) {
    // unique, foreign key, check, not null: the stored rows forbid this write.
    throw Error::conflict(std::string("refused by the database: ") + e.what());
  } catch (const pqxx::insufficient_privilege& e) {
    // Includes "new row violates row-level security policy": a row of another tenant.
    throw Error::forbidden(std::string("refused by the database: ") + e.what());
  } catch (const pqxx::serialization_failure& e) {
    throw Error::conflict(std::string("concurrent change, try again: ") + e.what());
  } catch (const pqxx::sql_error& e) {
    throw Error::internal(std::string("PostgreSQL: ") + e.what());
  } catch (const pqxx::in_doubt_error& e) {
    if (on_broken) on_broken();
    throw Error::internal(std::string("PostgreSQL: commit in doubt: ") + e.what());
  } catch (const pqxx::failure& e) {
    throw Error::internal(std::string("PostgreSQL: ") + e.what());
  }
}

// ---------------------------------------------------------------- exec

namespace {

// libpqxx 6.4 keeps the libpq handle private (connection_base::m_conn) and has no pipeline of
// prepared statements. The handle is reached the one way C++ allows: naming the private member in
// an explicit instantiation, where access is not checked ([temp.spec.general]/6).
// The member's name and type are libpqxx 6's: another major version must be looked at again.
static_assert(PQXX_VERSION_MAJOR == 6, "handle_of reaches a private member of libpqxx 6's connection_base");
using HandleMember = pqxx::internal::pq::PGconn* pqxx::connection_base::*;
HandleMember handle_member();
template <HandleMember M>
struct HandleOf {
  friend HandleMember handle_member() { return M; }
};
template struct HandleOf<&pqxx::connection_base::m_conn>;

void clear_result(void* r) {
  PQclear(static_cast<PGresult*>(r));
}

}  // namespace

PGconn* handle_of(pqxx::connection_base& conn) {
  return conn.*handle_member();
}

[[noreturn]] void throw_direct(PGconn* h, PGresult* r, const std::string& sql) {
  const std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(h);
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state ? state : "";
  if (r) PQclear(r);
  if (PQstatus(h) != CONNECTION_OK) throw pqxx::broken_connection(message);
  if (code.rfind("23", 0) == 0) throw pqxx::integrity_constraint_violation(message, sql, code.c_str());
  if (code == "42501") throw pqxx::insufficient_privilege(message, sql, code.c_str());
  if (code == "40001") throw pqxx::serialization_failure(message);
  if (!code.empty()) throw pqxx::sql_error(message, sql, code.c_str());
  throw pqxx::failure(message);
}

Result::Result(void* pg_result) : r_(pg_result, clear_result) {}

std::size_t Result::size() const {
  return r_ ? static_cast<std::size_t>(PQntuples(static_cast<PGresult*>(r_.get()))) : 0;
}

std::int64_t Result::affected_rows() const {
  if (!r_) return 0;
  const char* n = PQcmdTuples(static_cast<PGresult*>(r_.get()));
  std::int64_t v = 0;
  std::from_chars(n, n + std::strlen(n), v);
  return v;
}

bool Result::is_null(std::size_t row, int column) const {
  return PQgetisnull(static_cast<PGresult*>(r_.get()), static_cast<int>(row), column) != 0;
}

std::string_view Result::value(std::size_t row, int column) const {
  auto* r = static_cast<PGresult*>(r_.get());
  const int i = static_cast<int>(row);
  return {PQgetvalue(r, i, column), static_cast<std::size_t>(PQgetlength(r, i, column))};
}

Result exec(Connection& c, const std::optional<std::string>& tenant, const std::string& sql,
            const Params& params) {
  static const std::string kSetTenant = "SELECT set_config('keel.tenant', $1, true)";
  PGconn* h = handle_of(c.conn);
  if (h == nullptr) throw pqxx::broken_connection("the connection to PostgreSQL is closed");
  if (c.handle != h) {
    c.prepared.clear();
    c.handle = h;
  }
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
  if (PQenterPipelineMode(h) != 1) throw pqxx::broken_connection(PQerrorMessage(h));
  const bool queued = (!tenant || send(kSetTenant, {tenant->c_str()}, false)) &&
                      send(sql, params.pointers(), true) && PQpipelineSync(h) == 1;
  // Nothing can be read back from a pipeline that was not sent whole: the connection goes.
  if (!queued) throw pqxx::broken_connection(PQerrorMessage(h));
  // Every command's result, then the Sync's; the statement's rows kept, or the first error.
  Result out;
  PGresult* error = nullptr;
  const std::string* failed_prepare = nullptr;
  for (const Sent& one : sent) {
    PGresult* r = PQgetResult(h);
    if (r == nullptr) {
      if (error) PQclear(error);
      throw pqxx::broken_connection(PQerrorMessage(h));
    }
    const auto status = PQresultStatus(r);
    if (status == PGRES_FATAL_ERROR && error == nullptr) {
      error = r;
      failed_prepare = one.prepares;
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
  if (error) throw_direct(h, error, failed_prepare ? *failed_prepare : sql);
  return out;
}

double Result::real(std::size_t row, int column) const {
  if (is_null(row, column)) return std::numeric_limits<double>::quiet_NaN();
  const std::string_view text = value(row, column);
  double v = 0.0;
  // from_chars also reads NaN, Infinity and -Infinity.
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    throw Error::internal("PostgreSQL returned \"" + std::string(text) + "\" where a number was expected");
  }
  return v;
}

std::int64_t Result::integer(std::size_t row, int column) const {
  if (is_null(row, column)) return 0;
  const std::string_view text = value(row, column);
  std::int64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    throw Error::internal("PostgreSQL returned \"" + std::string(text) + "\" where an integer was expected");
  }
  return v;
}

}  // namespace keel::store::pg
