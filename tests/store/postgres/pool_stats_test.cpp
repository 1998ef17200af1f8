// The connection pool's gauges (pool_stats, keel serve's keel_store_pool_connections and
// keel_store_pool_waiting) on a pool of one connection: a transaction holds it (in use 1, idle 0),
// a read on another store of the same URL waits for it (waiting 1) until the transaction commits,
// after which the connection is idle again (in use 0, idle 1, waiting 0).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

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

}  // namespace
}  // namespace keel
