#include "keel/store/snapshot_repository.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"
#include "keel/store/store.h"
#include "backends.h"
#include "sqlite_connection.h"

namespace keel::store {
namespace {

PortfolioSnapshot snap(const char* portfolio, const char* as_of, double net) {
  PortfolioSnapshot s;
  s.portfolio = portfolio;
  s.as_of = Date::parse_or_throw(as_of);
  s.net_value_amount = net;
  s.gross_value_amount = net * 1.5;
  s.pnl_1d_amount = -1234.5;
  s.var_amount = 20000.0;
  s.es_amount = 25000.0;
  s.var_method = "historical";
  s.backtest_zone = "green";
  s.beta_mkt = 1.05;
  s.report_json = R"({"schema":"keel.report/1"})";
  return s;
}

// The same tests on every backend this binary runs (tests/store/backends.h).
class SnapshotContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, SnapshotContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

TEST(SnapshotRepository, MigrationSixCreatesTheTable) {
  SqliteConnection db(":memory:");
  auto st = db.prepare("SELECT description FROM schema_version WHERE version = 6");
  ASSERT_TRUE(st.step());
  EXPECT_NE(st.get_text(0).find("snapshots"), std::string::npos);
}

TEST_P(SnapshotContract, SnapshotRepositoryListsOldestFirstWithinDates) {
  auto s = open_store_under_test();
  SnapshotRepository& repo = s->snapshots();
  repo.save(snap("hnw", "2017-12-06", 3e6));
  repo.save(snap("hnw", "2017-12-04", 2.9e6));
  repo.save(snap("hnw", "2017-12-05", 2.95e6));
  repo.save(snap("balanced", "2017-12-06", 1e6));
  const auto all = repo.list("default", "hnw", std::nullopt, std::nullopt);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].as_of.to_string(), "2017-12-04");
  EXPECT_EQ(all[2].as_of.to_string(), "2017-12-06");
  EXPECT_DOUBLE_EQ(*all[2].net_value_amount, 3e6);
  EXPECT_EQ(all[2].backtest_zone, "green");
  EXPECT_TRUE(all[2].report_json.empty());  // not asked for
  EXPECT_FALSE(all[2].created_at.empty());
  const auto mid = repo.list("default", "hnw", Date::parse_or_throw("2017-12-05"), Date::parse_or_throw("2017-12-05"), true);
  ASSERT_EQ(mid.size(), 1u);
  EXPECT_EQ(mid[0].report_json, R"({"schema":"keel.report/1"})");
  EXPECT_TRUE(repo.list("other", "hnw", std::nullopt, std::nullopt).empty());
}

TEST_P(SnapshotContract, SnapshotRepositoryARerunForTheSameDateReplacesTheSnapshot) {
  auto s = open_store_under_test();
  SnapshotRepository& repo = s->snapshots();
  repo.save(snap("hnw", "2017-12-06", 3e6));
  PortfolioSnapshot again = snap("hnw", "2017-12-06", 3.1e6);
  again.var_amount.reset();  // the re-run's VaR step failed
  again.backtest_zone.clear();
  repo.save(again);
  const auto all = repo.list("default", "hnw", std::nullopt, std::nullopt);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_DOUBLE_EQ(*all[0].net_value_amount, 3.1e6);
  EXPECT_FALSE(all[0].var_amount.has_value());
  EXPECT_TRUE(all[0].backtest_zone.empty());
  const auto found = repo.find("default", "hnw", Date::parse_or_throw("2017-12-06"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->report_json, R"({"schema":"keel.report/1"})");
  EXPECT_FALSE(repo.find("default", "hnw", Date::parse_or_throw("2017-12-07")).has_value());
  EXPECT_EQ(repo.remove("default", "hnw"), 1u);
  EXPECT_TRUE(repo.list("default", "hnw", std::nullopt, std::nullopt).empty());
}

TEST_P(SnapshotContract, SnapshotRepositoryRejectsASnapshotWithoutAPortfolio) {
  auto s = open_store_under_test();
  SnapshotRepository& repo = s->snapshots();
  EXPECT_THROW(repo.save(snap("", "2017-12-06", 1.0)), Error);
}

}  // namespace
}  // namespace keel::store
