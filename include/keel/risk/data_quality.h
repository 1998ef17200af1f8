// keel/risk/data_quality.h: a check of the market data a risk run is about to use.
//
// The daily batch (keel/service/batch.h) runs it first, so that a report says when its VaR rests on
// a price series with holes, frozen quotes or bad ticks. Per symbol, over the last `window` dates of
// the history up to the as-of date (docs/batch.md):
//  - gap: a date of the window on which more than `gap_share` of the symbols have a close but this
//    one has none, after the symbol's first close in the history (a symbol listed later is not
//    gapped before it starts). One issue per missing date.
//  - stale: `stale_days` or more consecutive closes (the symbol's own observations) all equal.
//    One issue per run, dated at the run's last day.
//  - outlier: a daily simple return of the adjusted closes, between consecutive observations,
//    further than `outlier_sd` robust standard deviations from the window's median return, the
//    robust standard deviation being 1.4826 x the median absolute deviation (MAD), the consistent
//    estimator of sigma for normal data (Rousseeuw & Croux, "Alternatives to the median absolute
//    deviation", JASA 88, 1993). When the MAD is 0 (more than half of the returns equal the median)
//    1.2533 x the mean absolute deviation stands in (Iglewicz & Hoaglin's modified z-score); when
//    that is 0 too, nothing is flagged (stale covers frozen data).
//  - missing: no close on the reference date, the last date of the history on or before as_of.
//
// Thread-safety: pure function over values.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/market_data.h"

namespace keel::risk {

enum class DataIssueKind { kGap, kStale, kOutlier, kMissing };
std::string_view data_issue_kind_name(DataIssueKind k);  // "gap", "stale", "outlier", "missing"

struct DataQualityOptions {
  std::size_t window = 252;    // dates of the history checked, ending at the reference date
  std::size_t stale_days = 5;  // equal consecutive closes that make a stale run (>= 2)
  double outlier_sd = 10.0;    // robust standard deviations from the median that flag a return
  double gap_share = 0.5;      // a date counts as a trading day when more than this share of symbols trade
};

struct DataIssue {
  std::string symbol;
  DataIssueKind kind = DataIssueKind::kGap;
  Date date;
  std::string detail;  // a sentence: "daily return +45.2% (> 10 robust sd of the window)"
};

struct DataQualityReport {
  std::size_t symbols_checked = 0;
  std::size_t gaps = 0;
  std::size_t stale = 0;
  std::size_t outliers = 0;
  std::size_t missing = 0;
  Date reference_date;           // last history date on or before as_of
  std::vector<DataIssue> issues;  // by symbol (history order), then kind, then date
};

// Checks every symbol of `closes` (raw closes: gaps, stale runs, missing) and takes the returns of
// the same symbol in `adjusted` (adjusted closes; may be `closes` itself) for outliers; a symbol
// absent from `adjusted` is checked on its closes. Dates after as_of are ignored. Throws
// keel::Error(invalid_input) for stale_days < 2, a non-positive outlier_sd, a gap_share outside
// [0, 1), window < 2, or a history with no date on or before as_of.
DataQualityReport check_market_data(const PriceHistory& closes, const PriceHistory& adjusted, Date as_of,
                                    const DataQualityOptions& options = {});

}  // namespace keel::risk
