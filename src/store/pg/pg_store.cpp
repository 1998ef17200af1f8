// The PostgreSQL backend of keel::Store: SqlStore (src/store/sql_store.h) over a PgConnection,
// with the store-wide write lock of Store::transaction.
#include "keel/store/postgresql.h"
#include "pg_connection.h"
#include "sql_store.h"

namespace keel::store::pg {

void check_schema(PgConnection& c);  // migrate.cpp

namespace {

// The connection, made before the SqlStore that uses it.
struct PgParts {
  explicit PgParts(std::shared_ptr<Pool> pool) : sql(std::move(pool)) {}
  PgConnection sql;
};

class PgStore final : private PgParts, public SqlStore {
 public:
  PgStore(std::shared_ptr<Pool> pool, const Clock& clock) : PgParts(std::move(pool)), SqlStore(sql, clock) {}

  PgConnection& connection() { return sql; }

 protected:
  void run_transaction(const std::function<void()>& fn) override {
    // SQLite's BEGIN IMMEDIATE: the outermost Store::transaction first takes one database-wide
    // write lock (transaction-scoped, released at commit or rollback), so a check made inside
    // against stored rows (a ledger sale against the shares held) still holds at the commit,
    // whichever process runs the other writer; under READ COMMITTED each later statement sees
    // what the previous holder committed.
    const bool outermost = !sql.in_transaction();
    sql.transaction(std::nullopt, [&] {
      if (outermost) sql.lock_until_commit(kStoreTransactionLock);
      fn();
    });
  }

 private:
  static constexpr std::int64_t kStoreTransactionLock = 0x6b65656c7478;  // "keeltx"
};

}  // namespace

std::unique_ptr<Store> open_store(const std::string& url, const Clock& clock) {
  auto store = std::make_unique<PgStore>(Pool::shared(url), clock);
  check_schema(store->connection());
  return store;
}

}  // namespace keel::store::pg
