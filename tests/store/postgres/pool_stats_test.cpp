// The connection pool's gauges (pool_stats, keel serve's keel_store_pool_connections and
// keel_store_pool_waiting) on a pool of one connection: a transaction holds it (in use 1, idle 0),
// a read on another store of the same URL waits for it (waiting 1) until the transaction commits,
// after which the connection is idle again (in use 0, idle 1, waiting 0). A connection whose server
// process is gone is closed, not given back (idle 0), and the next call opens a new one; one whose
// transaction failed is rolled back and given back (idle 1).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "keel/core/error.h"
#include "keel/store/postgresql.h"
#include "keel/store/store.h"
#include "keel/store/user_repository.h"
#include "pg_cluster.h"

namespace keel {
namespace {

using testing::PgCluster;

TEST(PostgresPoolStats, InUseIdleAndWaitingFollowTheLeases) {
  PgCluster* cluster = PgCluster::shared();
  KEEL_PG_REQUIRE_OR_SKIP(cluster);
  const std::string url = cluster->url(cluster->fresh_database(), "keel_app") + "&pool_size=1";
  EXPECT_EQ(store::pg::pool_stats(url).size, 0u);  // no store of the URL yet: no pool
  auto holder = open_store(url);
  auto reader = open_store(url);
  reader->users().list(std::nullopt);  // the pool's one connection opened, used and given back
  const auto settled = store::pg::pool_stats(url);
  EXPECT_EQ(settled.size, 1u);
  EXPECT_EQ(settled.in_use, 0u);
  EXPECT_EQ(settled.idle, 1u);
  EXPECT_EQ(settled.waiting, 0u);

  std::atomic<bool> read_done{false};
  std::thread waiting_reader;
  store::pg::PoolStats during{};
  holder->transaction([&] {
    holder->users().add("ann", "acme", store::Role::kAnalyst, "hash");
    waiting_reader = std::thread([&] {
      reader->users().list(std::nullopt);
      read_done = true;
    });
    // The reader blocks in the pool's checkout: wait until the pool counts it.
    for (int i = 0; i < 500 && store::pg::pool_stats(url).waiting == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    during = store::pg::pool_stats(url);
    EXPECT_FALSE(read_done.load());
  });
  waiting_reader.join();
  EXPECT_TRUE(read_done.load());
  EXPECT_EQ(during.in_use, 1u);
  EXPECT_EQ(during.idle, 0u);
  EXPECT_EQ(during.waiting, 1u);
  const auto after = store::pg::pool_stats(url);
  EXPECT_EQ(after.in_use, 0u);
  EXPECT_EQ(after.idle, 1u);
  EXPECT_EQ(after.waiting, 0u);
}

TEST(PostgresPoolStats, ABrokenConnectionIsClosedAndAFailedTransactionIsGivenBack) {
  PgCluster* cluster = PgCluster::shared();
  KEEL_PG_REQUIRE_OR_SKIP(cluster);
  const std::string database = cluster->fresh_database();
  const std::string url = cluster->url(database, "keel_app") + "&pool_size=1";
  auto store = open_store(url);
  store->users().add("ann", "acme", store::Role::kAnalyst, "hash");
  EXPECT_EQ(store::pg::pool_stats(url).idle, 1u);

  // A write the server refuses (a trigger raising unique_violation, SQLSTATE 23505) fails the
  // transaction: a conflict, rolled back, the connection idle again and usable.
  cluster->admin_exec(database,
                      "CREATE FUNCTION refuse_bob() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN "
                      "IF NEW.username = 'bob' THEN RAISE unique_violation USING MESSAGE = 'bob refused'; "
                      "END IF; RETURN NEW; END$$; CREATE TRIGGER refuse_bob BEFORE INSERT ON users "
                      "FOR EACH ROW EXECUTE FUNCTION refuse_bob()");
  try {
    store->users().add("bob", "acme", store::Role::kAnalyst, "hash");
    ADD_FAILURE() << "bob was stored";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("refused by the database: ERROR:  bob refused", 0), 0u) << e.what();
  }
  EXPECT_EQ(store::pg::pool_stats(url).idle, 1u);
  EXPECT_EQ(store->users().list(std::string("acme")).size(), 1u);

  // The server process of the pooled connection ends: the next call fails and closes it.
  cluster->admin_exec(database,
                      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'keel_app' "
                      "AND datname = current_database()");
  try {
    store->users().list(std::nullopt);
    ADD_FAILURE() << "a read on a terminated connection succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("lost the connection to PostgreSQL: ", 0), 0u) << e.what();
  }
  const auto after = store::pg::pool_stats(url);
  EXPECT_EQ(after.idle, 0u);
  EXPECT_EQ(after.in_use, 0u);
  EXPECT_EQ(store->users().list(std::string("acme")).size(), 1u);  // on a new connection
  EXPECT_EQ(store::pg::pool_stats(url).idle, 1u);
}

}  // namespace
}  // namespace keel
