#include "keel/risk/data_quality.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keel/core/error.h"

namespace keel::risk {
namespace {

const Date kStart = Date::parse_or_throw("2024-01-01");

// 30 dates x 4 symbols, built by hand:
//  AAA: 100, then returns alternating +1% / -1%, with one +50% jump on day 15 (an outlier).
//  BBB: 50 flat-ish (+0.5% / -0.4%), no close on day 10 (a gap: the 3 others trade that day).
//  CCC: 20 with +2% / -2% moves, but 20.00 on the six days 12..17 (a stale run of 6 observations).
//  DDD: listed on day 5 (no gap before), no close on day 29, the last date (missing).
PriceHistory book() {
  PriceHistory h;
  h.symbols = {"AAA", "BBB", "CCC", "DDD"};
  const std::size_t n = 30;
  for (std::size_t t = 0; t < n; ++t) h.dates.push_back(kStart.add_days(static_cast<int>(t)));
  h.values.assign(n * 4, kMissing);
  double a = 100.0;
  double b = 50.0;
  double c = 20.0;
  double d = 10.0;
  for (std::size_t t = 0; t < n; ++t) {
    if (t > 0) {
      a *= t == 15 ? 1.5 : (t % 2 == 1 ? 1.01 : 0.99);
      b *= t % 2 == 1 ? 1.005 : 0.996;
      c *= t % 2 == 1 ? 1.02 : 0.98;
      d *= t % 2 == 1 ? 1.03 : 0.97;
    }
    h.at(t, 0) = a;
    h.at(t, 1) = t == 10 ? kMissing : b;
    h.at(t, 2) = (t >= 12 && t <= 17) ? 20.0 : c;
    h.at(t, 3) = (t < 5 || t == 29) ? kMissing : d;
  }
  return h;
}

TEST(DataQuality, FindsEachKindOfProblemOnAHandMadeBook) {
  const PriceHistory h = book();
  const DataQualityReport r = check_market_data(h, h, h.dates.back(), {});
  EXPECT_EQ(r.symbols_checked, 4u);
  EXPECT_EQ(r.reference_date, h.dates.back());
  EXPECT_EQ(r.gaps, 1u);
  EXPECT_EQ(r.stale, 1u);
  EXPECT_EQ(r.outliers, 1u);
  EXPECT_EQ(r.missing, 1u);
  ASSERT_EQ(r.issues.size(), 4u);
  // Ordered by symbol (history order), then kind.
  EXPECT_EQ(r.issues[0].symbol, "AAA");
  EXPECT_EQ(r.issues[0].kind, DataIssueKind::kOutlier);
  EXPECT_EQ(r.issues[0].date, kStart.add_days(15));
  EXPECT_EQ(r.issues[1].symbol, "BBB");
  EXPECT_EQ(r.issues[1].kind, DataIssueKind::kGap);
  EXPECT_EQ(r.issues[1].date, kStart.add_days(10));
  EXPECT_EQ(r.issues[1].detail, "no close while 3 of 4 symbols have one");
  EXPECT_EQ(r.issues[2].symbol, "CCC");
  EXPECT_EQ(r.issues[2].kind, DataIssueKind::kStale);
  EXPECT_EQ(r.issues[2].date, kStart.add_days(17));  // dated at the run's last day
  EXPECT_EQ(r.issues[2].detail, "close 20 unchanged for 6 observations (>= 5)");
  EXPECT_EQ(r.issues[3].symbol, "DDD");
  EXPECT_EQ(r.issues[3].kind, DataIssueKind::kMissing);
  EXPECT_EQ(data_issue_kind_name(r.issues[3].kind), "missing");
}

TEST(DataQuality, OutlierScoreIsTheRobustZByHand) {
  // AAA's 29 returns: +1% x 14 (odd days but 15), -1% x 14 (even days), +50% once (day 15).
  // Sorted, the median (15th of 29) is +1%; absolute deviations from it: 0 x 14, 0.02 x 14, 0.49;
  // their median (15th) is 0.02, so the robust sd is 1.4826 x 0.02 = 0.029652 and the jump's
  // score is 0.49 / 0.029652 = 16.525, printed as 16.5.
  const PriceHistory h = book();
  const DataQualityReport r = check_market_data(h, h, h.dates.back(), {});
  ASSERT_FALSE(r.issues.empty());
  EXPECT_EQ(r.issues[0].detail, "daily return +50.0% is 16.5 robust sd from the window's median (> 10)");
  // With a threshold just above the score nothing is flagged; just below, the jump is.
  EXPECT_EQ(check_market_data(h, h, h.dates.back(), {.outlier_sd = 16.6}).outliers, 0u);
  EXPECT_EQ(check_market_data(h, h, h.dates.back(), {.outlier_sd = 16.4}).outliers, 1u);
}

TEST(DataQuality, AZeroMadFallsBackToTheMeanAbsoluteDeviation) {
  // DDD's 23 returns (days 6..28): -3% x 12 (even days), +3% x 11 (odd days). The median is -3%,
  // so 12 deviations are 0 and the MAD is 0; the mean absolute deviation is 11 x 0.06 / 23 =
  // 0.0286957, times sqrt(pi/2) = 0.0359646, and each +3% day scores 0.06 / 0.0359646 = 1.668.
  const PriceHistory h = book();
  auto ddd_outliers = [&](double k) {
    std::size_t n = 0;
    for (const auto& i : check_market_data(h, h, kStart.add_days(28), {.outlier_sd = k}).issues) {
      n += i.symbol == "DDD" && i.kind == DataIssueKind::kOutlier ? 1 : 0;
    }
    return n;
  };
  EXPECT_EQ(ddd_outliers(10.0), 0u);
  EXPECT_EQ(ddd_outliers(1.7), 0u);
  EXPECT_EQ(ddd_outliers(1.65), 11u);
}

TEST(DataQuality, WindowAndAsOfLimitWhatIsChecked) {
  const PriceHistory h = book();
  // The last 10 dates (20..29): no gap (day 10), no stale run (12..17), no jump (15); DDD missing.
  const DataQualityReport last10 = check_market_data(h, h, h.dates.back(), {.window = 10});
  EXPECT_EQ(last10.gaps + last10.stale + last10.outliers, 0u);
  EXPECT_EQ(last10.missing, 1u);
  // As of day 28 everything has a close; the stale run needs 7 equal closes when stale_days = 7.
  const DataQualityReport earlier = check_market_data(h, h, kStart.add_days(28), {.stale_days = 7});
  EXPECT_EQ(earlier.missing, 0u);
  EXPECT_EQ(earlier.stale, 0u);
  EXPECT_EQ(earlier.reference_date, kStart.add_days(28));
  // An as-of date after the history checks against its last date.
  const DataQualityReport later = check_market_data(h, h, kStart.add_days(40), {});
  EXPECT_EQ(later.reference_date, h.dates.back());
}

TEST(DataQuality, RejectsBadOptionsAndAnEmptyWindow) {
  const PriceHistory h = book();
  EXPECT_THROW(check_market_data(h, h, h.dates.back(), {.stale_days = 1}), Error);
  EXPECT_THROW(check_market_data(h, h, h.dates.back(), {.outlier_sd = 0.0}), Error);
  EXPECT_THROW(check_market_data(h, h, h.dates.back(), {.gap_share = 1.0}), Error);
  EXPECT_THROW(check_market_data(h, h, kStart.add_days(-1), {}), Error);
}

}  // namespace
}  // namespace keel::risk
