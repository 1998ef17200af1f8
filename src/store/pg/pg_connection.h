// src/store/pg/pg_connection.h (private): SqlConnection (src/store/sql.h) over the PostgreSQL
// backend's Session.
//
// `transaction` is Session::run: one transaction on a leased connection with the tenant set for it
// (joined when nested, the tenant set again). `run` outside any transaction holds a leased
// connection without a transaction (Session::hold): each statement is its own implicit
// transaction, sent with the run's tenant in one round trip (exec); a transaction inside it
// runs on the same connection, and a run inside a transaction joins the transaction. A statement's `?`
// placeholders become $1..$n (outside quoted text and comments) and it runs, as a prepared statement, at its
// first step; set_tenant sets the running transaction's tenant (row-level security).
//
// Thread-safety: one thread at a time, like the Session. Ownership: the Session outlives it.
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
  explicit PgConnection(Session& session) : s_(&session) {}
  const Dialect& dialect() const override { return kPostgresqlDialect; }
  SqlStatement prepare(std::string_view sql) override;
  void set_tenant(const std::string& tenant) override;
  void lock_until_commit(std::int64_t key) override;
  std::unique_ptr<SqlBulkInsert> bulk_insert(const BulkInsertSpec& spec) override;
  PriceImportStats upsert_prices(const std::function<bool(PriceRows&)>& next_chunk,
                                 const std::function<void()>& before_commit) override;
  // The running transaction; throws keel::Error(internal) outside a transaction.
  Tx& tx();
  // Where a statement runs: inside a run outside any transaction, the held connection and the
  // tenant its statements run under (counted as a direct statement); else the transaction's
  // connection, whose tenant is set already. Throws keel::Error(internal) outside both.
  struct Target {
    Connection* connection;
    std::optional<std::string> tenant;
  };
  Target target();

 protected:
  void enter(bool transaction, const std::optional<std::string>& tenant,
             const std::function<void()>& fn) override;

 private:
  Session* s_;
  Tx* tx_ = nullptr;
  bool holding_ = false;                      // inside a run held outside any transaction
  std::optional<std::string> direct_tenant_;  // that run's tenant
};

}  // namespace keel::store::pg
