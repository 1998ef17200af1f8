// What a store sends to PostgreSQL: a read is one statement in one round trip with its tenant
// (exec_direct, no BEGIN or COMMIT), a write of several statements a transaction; the tenant of a
// read ends with it (the next use of the pooled connection sees none); a read after a failed one
// finds its connection in order.
#include <gtest/gtest.h>

#include "keel/core/error.h"
#include "keel/store/job_repository.h"
#include "keel/store/postgresql.h"
#include "keel/store/store.h"
#include "keel/store/user_repository.h"
#include "pg_cluster.h"

namespace keel {
namespace {

using testing::PgCluster;

Position stock(const char* symbol, double quantity) {
  Position p;
  p.symbol = symbol;
  p.quantity = quantity;
  return p;
}

class PostgresRoundTrips : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = PgCluster::shared();
    KEEL_PG_REQUIRE_OR_SKIP(cluster_);
    // One connection: every store below shares it, so a tenant left on it would show.
    url_ = cluster_->url(cluster_->fresh_database(), "keel_app") + "&pool_size=1";
    store_ = open_store(url_);
  }
  PgCluster* cluster_ = nullptr;
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_F(PostgresRoundTrips, ACachedResultIsReadInOneStatementUnderItsTenant) {
  const auto book = store_->save_portfolio("acme", "book", {stock("AAA", 1)}, "test");
  store_->results().put("acme", book.id, "var", R"({"var":1})");
  const auto before = store::pg::traffic();
  const auto cached = store_->results().get("acme", book.id, "var");
  const auto after = store::pg::traffic();
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->result, R"({"var":1})");
  EXPECT_EQ(after.direct_statements - before.direct_statements, 1u);
  EXPECT_EQ(after.transactions - before.transactions, 0u);
  // Under another tenant the row is not there, whatever the key says: the policy filters it.
  EXPECT_FALSE(store_->results().get("globex", book.id, "var").has_value());
}

TEST_F(PostgresRoundTrips, TheTenantOfAReadEndsWithIt) {
  store_->users().add("ann", "acme", store::Role::kAnalyst, "hash");
  ASSERT_EQ(store_->users().list(std::string("acme")).size(), 1u);
  // The same (only) connection, no tenant named: nothing of acme's is visible, in a read or in a
  // transaction.
  EXPECT_TRUE(store_->users().list(std::nullopt).empty());
  auto other = open_store(url_);
  EXPECT_TRUE(other->users().list(std::string("globex")).empty());
  other->transaction([&] { EXPECT_TRUE(other->users().list(std::nullopt).empty()); });
  EXPECT_EQ(store_->users().list(std::string("acme")).size(), 1u);
}

TEST_F(PostgresRoundTrips, AWriteInARunIsCommittedAndAFailureLeavesTheConnectionUsable) {
  const auto book = store_->save_portfolio("acme", "book", {stock("AAA", 1)}, "test");
  store_->results().put("acme", book.id, "var", "{}");  // one statement of its own: committed
  auto other = open_store(url_);
  EXPECT_TRUE(other->results().get("acme", book.id, "var").has_value());
  EXPECT_THROW(store_->positions("acme", "no such book"), Error);
  // A refused write (a portfolio id that does not exist: the foreign key) fails, and the held
  // connection goes on.
  EXPECT_THROW(store_->results().put("acme", book.id + 1000, "var", "{}"), Error);
  EXPECT_EQ(store_->positions("acme", "book").size(), 1u);
  EXPECT_TRUE(store_->results().get("acme", book.id, "var").has_value());
}

}  // namespace
}  // namespace keel
