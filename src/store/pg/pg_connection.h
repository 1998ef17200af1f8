// src/store/pg/pg_connection.h (private): SqlConnection (src/store/sql.h) over a pool of
// PostgreSQL connections (session.h): which connection and which transaction each statement of a
// store runs on, and under which tenant.
//
// `transaction` runs in one transaction (BEGIN ... COMMIT, rolled back on an exception) on a leased
// connection, with the tenant set for that transaction only (set_config('keel.tenant', $1, true));
// a transaction or a run inside it joins it (the tenant set again when one is given). `run` outside
// any transaction holds a leased connection without a transaction: each statement is its own
// implicit transaction, sent with the run's tenant in one round trip (exec); a transaction inside it
// runs on the same connection, under the run's tenant unless one is given. A connection that broke
// is discarded rather than given back. A statement's `?` placeholders become $1..$n (outside quoted
// text and comments) and it runs, as a prepared statement, at its first step; set_tenant sets the
// running transaction's (or run's) tenant (row-level security).
//
// Thread-safety: one thread at a time. Ownership: shares the pool.
#pragma once

#include <string>
#include <string_view>

#include "session.h"
#include "sql.h"

namespace keel::store::pg {

// `sql` with each `?` placeholder numbered ($1, $2, ...), quoted text and comments left as they are.
std::string numbered_placeholders(std::string_view sql);

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
  // The running transaction; throws keel::Error(internal) outside a transaction.
  Tx& tx();
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
  Tx* tx_ = nullptr;
  Connection* held_ = nullptr;  // the connection of a run outside any transaction
  bool held_broken_ = false;
  std::optional<std::string> held_tenant_;  // that run's tenant
};

}  // namespace keel::store::pg
