// The backfill (keel/service/backfill.h): a book of two stocks entered on different days over a
// week with a market holiday, valued day by day and checked by hand; the same with two workers;
// the request's checks.
#include "keel/service/backfill.h"

#include <gtest/gtest.h>

#include <map>

#include "keel/core/error.h"
#include "keel/service/imports.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"
#include "../support/store_cache.h"

namespace keel::service {
namespace {

Date week_day(const char* text) { return Date::parse_or_throw(text); }

Position held(const std::string& symbol, double quantity, const char* entry) {
  Position p;
  p.symbol = symbol;
  p.quantity = quantity;
  p.entry_date = week_day(entry);
  return p;
}

// Monday 2024-01-08 to Friday 2024-01-12, Wednesday a holiday (no prices). AAA 10 shares entered
// Tuesday, BBB 20 entered Thursday.
constexpr const char* kWeekPrices =
    "date,AAA,BBB\n"
    "2024-01-08,100,50\n"
    "2024-01-09,101,51\n"
    "2024-01-11,103,52\n"
    "2024-01-12,104,53\n";

struct WeekStore {
  explicit WeekStore(const std::string& tag) : db(tag), store(open_store(db.path())) {
    import_prices({store.get()}, {{"prices.csv", std::string(kWeekPrices)}});
    store->save_portfolio(kDefaultTenant, "week", {held("AAA", 10, "2024-01-09"), held("BBB", 20, "2024-01-11")},
                          "test");
  }
  keel::testing::TempDb db;
  std::unique_ptr<Store> store;
};

BackfillRequest week_request() {
  BackfillRequest r;
  r.portfolios = {"week"};
  r.from = week_day("2024-01-06");  // a Saturday: weekends without prices are not days
  r.to = week_day("2024-01-12");
  r.steps = {"exposures"};     // a valuation; the snapshot is added
  return r;
}

// By hand. Values are quantity x close of the positions entered by that day; the 1-day P&L is
// the value of the positions held the day before, now less then (a position's entry day brings its
// value as a flow, not as P&L):
//   01-08  nothing held (AAA enters 01-09)                      skipped
//   01-09  AAA 10 x 101 = 1,010;        no P&L (nothing was held on 01-08)
//   01-10  no prices (holiday)                                  skipped
//   01-11  10 x 103 + 20 x 52 = 2,070;  P&L 10 x (103 - 101) = 20 (from 01-09; BBB's 1,040 a flow)
//   01-12  10 x 104 + 20 x 53 = 2,100;  P&L 10 x 1 + 20 x 1 = 30
void expect_week(const BackfillResult& r) {
  ASSERT_EQ(r.days.size(), 5u);
  EXPECT_EQ(r.stored, 3u);
  EXPECT_EQ(r.skipped, 2u);
  EXPECT_EQ(r.failed, 0u);
  const char* dates[] = {"2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11", "2024-01-12"};
  const char* status[] = {"skipped", "stored", "skipped", "stored", "stored"};
  const double value[] = {0, 1010, 0, 2070, 2100};
  const double pnl[] = {0, 0, 0, 20, 30};
  for (std::size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(dates[i]);
    EXPECT_EQ(r.days[i].as_of, dates[i]);
    EXPECT_EQ(r.days[i].status, status[i]) << r.days[i].message;
    if (std::string(status[i]) != "stored") continue;
    ASSERT_TRUE(r.days[i].net_value_amount);
    EXPECT_NEAR(*r.days[i].net_value_amount, value[i], 1e-9);
    if (i == 1) {
      EXPECT_FALSE(r.days[i].pnl_1d_amount);
      continue;
    }
    ASSERT_TRUE(r.days[i].pnl_1d_amount);
    EXPECT_NEAR(*r.days[i].pnl_1d_amount, pnl[i], 1e-9);
  }
  EXPECT_NE(r.days[0].message.find("first entry date is 2024-01-09"), std::string::npos) << r.days[0].message;
  EXPECT_NE(r.days[2].message.find("no price"), std::string::npos) << r.days[2].message;
}

TEST(Backfill, EachDayHoldsOnlyThePositionsEnteredByThen) {
  WeekStore s("backfill_serial");
  const BackfillResult r = backfill_history(Context{s.store.get()}, week_request());
  EXPECT_EQ(r.threads, 1u);  // no opener: one worker
  expect_week(r);
  // The snapshots kept are the stored days, and a portfolio's history reads them.
  const auto kept = s.store->snapshots().list(kDefaultTenant, "week", std::nullopt, std::nullopt);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[1].as_of, week_day("2024-01-11"));
  EXPECT_NEAR(*kept[1].net_value_amount, 2070.0, 1e-9);
}

TEST(Backfill, TwoWorkersGiveTheSameDays) {
  WeekStore s("backfill_parallel");
  BackfillRequest req = week_request();
  const std::string path = s.db.path();
  req.open_store = [path] { return open_store(path); };
  req.threads = 2;
  std::size_t last_done = 0;
  req.progress = [&](std::size_t done, std::size_t total) {
    EXPECT_EQ(total, 5u);
    EXPECT_GE(done, last_done);
    last_done = done;
  };
  const BackfillResult r = backfill_history(Context{s.store.get()}, req);
  EXPECT_EQ(r.threads, 2u);
  expect_week(r);
  EXPECT_EQ(last_done, 5u);
  EXPECT_EQ(s.store->snapshots().list(kDefaultTenant, "week", std::nullopt, std::nullopt).size(), 3u);
}

TEST(Backfill, RefusesAnEmptyRangeTheBatchsOwnStepsAndUnknownPortfolios) {
  WeekStore s("backfill_checks");
  const Context cx{s.store.get()};
  auto details_of = [&](const BackfillRequest& r) {
    try {
      backfill_history(cx, r);
    } catch (const Error& e) {
      return e.details().empty() ? std::string(e.what()) : e.details()[0];
    }
    return std::string("no error");
  };
  BackfillRequest r = week_request();
  r.to = week_day("2024-01-05");
  EXPECT_EQ(details_of(r), "to: 2024-01-05 is before from 2024-01-06");
  r = week_request();
  r.steps = {"var", "reports"};
  EXPECT_EQ(details_of(r), "steps[1]: reports is a step of the daily batch (keel batch run), not of a backfill");
  r = week_request();
  r.portfolios = {"week", "nope"};
  EXPECT_EQ(details_of(r), "portfolios[1]: no portfolio nope");
  // Nothing was stored by the refused requests.
  EXPECT_TRUE(s.store->snapshots().list(kDefaultTenant, "week", std::nullopt, std::nullopt).empty());
}

}  // namespace
}  // namespace keel::service
