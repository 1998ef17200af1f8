// Validation of fetched bars and adjusted closes, on real rows (tests/fixtures/marketdata/README.md).
#include "keel/marketdata/validate.h"

#include <gtest/gtest.h>

#include "loopback_server.h"

namespace keel::marketdata {
namespace {

using keel::testing::LoopbackServer;

Date d(const char* s) { return Date::parse_or_throw(s); }

ProviderOptions opts(const LoopbackServer& s) {
  ProviderOptions o;
  o.base_url = s.url();
  o.api_key = "test-key";
  o.requests_per_second = 1000;
  return o;
}

PriceSeries polygon_split_series() {
  LoopbackServer s;
  s.serve("/v2/aggs/ticker/AAPL/range/1/day/2014-06-02/2014-06-13", "polygon_aggs_aapl_2014-06.json");
  return make_provider("polygon", opts(s))->prices("AAPL", d("2014-06-02"), d("2014-06-13"));
}

PriceSeries bar_series(std::vector<std::tuple<const char*, double, double, double, double, double>> bars) {
  PriceSeries s;
  s.symbol = "T";
  for (const auto& [date, o, h, l, c, v] : bars) {
    s.date.push_back(d(date));
    s.open.push_back(o);
    s.high.push_back(h);
    s.low.push_back(l);
    s.close.push_back(c);
    s.adj_close.push_back(kMissing);
    s.volume.push_back(v);
  }
  return s;
}

TEST(Validate, OhlcSanityVolumeAndDuplicatesAreErrors) {
  const PriceSeries s = bar_series({
      {"2024-01-02", 10, 11, 9, 10.5, 100},   // fine
      {"2024-01-03", 10, 10.2, 9, 10.5, 100},  // high below the close
      {"2024-01-04", 10, 11, 10.2, 10.5, 100}, // low above the open
      {"2024-01-05", -1, 11, 9, 10.5, 100},    // negative open
      {"2024-01-08", 10, 11, 9, 10.5, -5},     // negative volume
      {"2024-01-08", 10, 11, 9, 10.5, 100},    // the same date again
  });
  const auto rep = validate_series(s, {});
  std::vector<std::string> kinds;
  for (const auto& e : rep.errors) kinds.push_back(e.date + " " + e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"2024-01-03 ohlc", "2024-01-04 ohlc", "2024-01-05 price",
                                             "2024-01-08 volume", "2024-01-08 duplicate"}));
}

TEST(Validate, MissingDayIsAGapButThanksgivingIsNot) {
  LoopbackServer s;
  s.serve("/q/d/l/", "stooq_msft_missing_day.csv", "text/csv");
  const PriceSeries ps = make_provider("stooq", opts(s))->prices("MSFT", d("2017-11-13"), d("2017-11-24"));
  const auto rep = validate_series(ps, {});
  EXPECT_TRUE(rep.errors.empty());
  std::vector<std::string> gaps;
  for (const auto& f : rep.flags) {
    if (f.kind == "gap") gaps.push_back(f.date);
  }
  // NYSE was closed on Thanksgiving, 2017-11-23 (NYSE holiday calendar); 2017-11-16 was a session.
  EXPECT_EQ(gaps, std::vector<std::string>{"2017-11-16"});
}

TEST(Validate, SplitExplainsTheRawJumpElseItIsFlagged) {
  const PriceSeries ps = polygon_split_series();
  // Without the split on record, 645.57 -> 93.70 (-85.5 %) is a jump.
  const auto bare = validate_series(ps, {});
  ASSERT_EQ(bare.flags.size(), 1u);
  EXPECT_EQ(bare.flags[0].kind, "jump");
  EXPECT_EQ(bare.flags[0].date, "2014-06-09");
  // With the 7-for-1 split of 2014-06-09 the adjusted move is +1.6 %: nothing flagged.
  const CorporateAction split{"AAPL", d("2014-06-09"), ActionKind::kSplit, 7.0, 0.0, "USD"};
  const auto rep = validate_series(ps, std::vector<CorporateAction>{split});
  EXPECT_TRUE(rep.flags.empty());
  EXPECT_EQ(rep.splits_explaining_jumps, 1u);
}

TEST(AdjustedCloses, SplitDividesEarlierRawClosesByTheRatio) {
  const PriceSeries ps = polygon_split_series();
  const CorporateAction split{"AAPL", d("2014-06-09"), ActionKind::kSplit, 7.0, 0.0, "USD"};
  const auto adj = adjusted_closes(ps.date, ps.close, std::vector<CorporateAction>{split}, false);
  // Expected: the source's split-adjusted closes (README), e.g. 2014-06-06 92.224289, 2014-06-02 89.807144.
  EXPECT_NEAR(adj[4], 92.224289, 1e-6);
  EXPECT_NEAR(adj[0], 89.807144, 1e-6);
  EXPECT_NEAR(adj[5], 93.699997, 1e-9);  // from the split on, unchanged
}

TEST(AdjustedCloses, DividendScalesEarlierClosesLikeTheSourcesAdjustedClose) {
  LoopbackServer s;
  s.serve("/v2/aggs/ticker/AAPL/range/1/day/2017-11-08/2017-11-14", "polygon_aggs_aapl_2017-11.json");
  const PriceSeries ps = make_provider("polygon", opts(s))->prices("AAPL", d("2017-11-08"), d("2017-11-14"));
  const CorporateAction div{"AAPL", d("2017-11-10"), ActionKind::kDividend, 1.0, 0.63, "USD"};
  const auto adj = adjusted_closes(ps.date, ps.close, std::vector<CorporateAction>{div}, false);
  // Hand: factor = 1 - 0.63 / 175.880005 (close of 2017-11-09) = 0.99641801...
  //   2017-11-09: 175.880005 x 0.996418 = 175.2500; 2017-11-08: 176.240005 x 0.996418 = 175.6087,
  // the source's adjusted closes 175.25 and 175.608719 (no later AAPL dividend before its end).
  EXPECT_NEAR(adj[1], 175.25, 1e-5);
  EXPECT_NEAR(adj[0], 175.608719, 1e-5);
  EXPECT_NEAR(adj[2], 174.669998, 1e-9);
}

TEST(Validate, ProviderAdjustedCloseChecksAgainstStoredDividends) {
  LoopbackServer s;
  s.serve("/v8/finance/chart/AAPL", "yahoo_chart_aapl_2017-11.json");
  const PriceSeries ps = make_provider("yahoo", opts(s))->prices("AAPL", d("2017-11-08"), d("2017-11-14"));
  // The response's own dividend explains the step of the adjusted close on 2017-11-10.
  EXPECT_TRUE(validate_series(ps, ps.actions).flags.empty());
  // Without it, the step is flagged.
  const auto rep = validate_series(ps, {});
  ASSERT_EQ(rep.flags.size(), 1u);
  EXPECT_EQ(rep.flags[0].kind, "adjustment");
  EXPECT_EQ(rep.flags[0].date, "2017-11-10");
}

}  // namespace
}  // namespace keel::marketdata
