// Market data check (keel/risk/data_quality.h, docs/batch.md).
#include "keel/risk/data_quality.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "keel/core/error.h"
#include "keel/core/stats.h"

namespace keel::risk {
namespace {

// 1 / Phi^-1(3/4): scales the MAD to the standard deviation of normal data.
constexpr double kMadToSd = 1.4826;
// sqrt(pi / 2): scales the mean absolute deviation to the standard deviation of normal data.
constexpr double kMeanAdToSd = 1.2533141373155;
// A deviation of daily returns below this is rounding, not spread.
constexpr double kNumericalZero = 1e-12;

std::string format_number(double x, const char* fmt) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, x);
  return buf;
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return quantile_sorted(v, 0.5);
}

void check_outliers(const PriceHistory& h, std::size_t col, std::size_t first, std::size_t last,
                    const std::string& symbol, const DataQualityOptions& o, std::vector<DataIssue>& out) {
  std::vector<double> r;
  std::vector<std::size_t> at;
  double prev = kMissing;
  for (std::size_t t = first; t <= last; ++t) {
    const double p = h.at(t, col);
    if (is_missing(p)) continue;
    if (!is_missing(prev) && prev > 0.0) {
      r.push_back(p / prev - 1.0);
      at.push_back(t);
    }
    prev = p;
  }
  if (r.size() < 3) return;
  const double med = median_of(r);
  std::vector<double> dev(r.size());
  for (std::size_t k = 0; k < r.size(); ++k) dev[k] = std::fabs(r[k] - med);
  // When more than half of the returns sit on the median the MAD is zero (up to rounding); then
  // the mean absolute deviation stands in (x sqrt(pi/2) for normal data), as in the modified
  // z-score of Iglewicz & Hoaglin.
  double sd = kMadToSd * median_of(dev);
  if (!(sd > kNumericalZero)) {
    double mean_ad = 0.0;
    for (double x : dev) mean_ad += x;
    sd = kMeanAdToSd * mean_ad / static_cast<double>(dev.size());
  }
  if (!(sd > kNumericalZero)) return;
  for (std::size_t k = 0; k < r.size(); ++k) {
    const double z = (r[k] - med) / sd;
    if (std::fabs(z) > o.outlier_sd) {
      out.push_back({symbol, DataIssueKind::kOutlier, h.dates[at[k]],
                     "daily return " + format_number(100.0 * r[k], "%+.1f") + "% is " + format_number(std::fabs(z), "%.1f") +
                         " robust sd from the window's median (> " + format_number(o.outlier_sd, "%g") + ")"});
    }
  }
}

}  // namespace

std::string_view data_issue_kind_name(DataIssueKind k) {
  switch (k) {
    case DataIssueKind::kGap: return "gap";
    case DataIssueKind::kStale: return "stale";
    case DataIssueKind::kOutlier: return "outlier";
    case DataIssueKind::kMissing: return "missing";
  }
  return "gap";
}

DataQualityReport check_market_data(const PriceHistory& closes, const PriceHistory& adjusted, Date as_of,
                                    const DataQualityOptions& o) {
  if (o.window < 2) throw Error::invalid_input("data check: the window must hold at least 2 dates");
  if (o.stale_days < 2) throw Error::invalid_input("data check: stale_days must be at least 2");
  if (!(o.outlier_sd > 0.0)) throw Error::invalid_input("data check: outlier_sd must be positive");
  if (!(o.gap_share >= 0.0 && o.gap_share < 1.0)) throw Error::invalid_input("data check: gap_share must be in [0, 1)");
  const auto end_it = std::upper_bound(closes.dates.begin(), closes.dates.end(), as_of);
  if (end_it == closes.dates.begin()) {
    throw Error::invalid_input("data check: no prices on or before " + as_of.to_string());
  }
  const std::size_t last = static_cast<std::size_t>(end_it - closes.dates.begin()) - 1;
  const std::size_t first = last + 1 > o.window ? last + 1 - o.window : 0;
  const std::size_t n_sym = closes.cols();

  DataQualityReport rep;
  rep.symbols_checked = n_sym;
  rep.reference_date = closes.dates[last];

  // Symbols with a close on each date of the window.
  std::vector<std::size_t> trading(last + 1, 0);
  for (std::size_t t = first; t <= last; ++t) {
    for (std::size_t s = 0; s < n_sym; ++s) trading[t] += is_missing(closes.at(t, s)) ? 0 : 1;
  }
  const double need = o.gap_share * static_cast<double>(n_sym);

  for (std::size_t s = 0; s < n_sym; ++s) {
    const std::string& sym = closes.symbols[s];
    std::size_t first_price = closes.rows();
    for (std::size_t t = 0; t <= last; ++t) {
      if (!is_missing(closes.at(t, s))) {
        first_price = t;
        break;
      }
    }
    std::vector<DataIssue> found;
    // Gaps (a hole on the reference date itself is reported as missing).
    for (std::size_t t = std::max(first, first_price); t < last && first_price < closes.rows(); ++t) {
      if (is_missing(closes.at(t, s)) && static_cast<double>(trading[t]) > need) {
        found.push_back({sym, DataIssueKind::kGap, closes.dates[t],
                         fmt::format("no close while {} of {} symbols have one", trading[t], n_sym)});
      }
    }
    // Stale runs over the symbol's own observations.
    std::size_t run = 0;
    double run_value = kMissing;
    std::size_t run_end = 0;
    auto close_run = [&] {
      if (run >= o.stale_days) {
        found.push_back({sym, DataIssueKind::kStale, closes.dates[run_end],
                         fmt::format("close {} unchanged for {} observations (>= {})",
                                     format_number(run_value, "%.4g"), run, o.stale_days)});
      }
    };
    for (std::size_t t = first; t <= last; ++t) {
      const double p = closes.at(t, s);
      if (is_missing(p)) continue;
      if (run > 0 && p == run_value) {
        ++run;
      } else {
        close_run();
        run = 1;
        run_value = p;
      }
      run_end = t;
    }
    close_run();
    // Outliers on the adjusted closes (splits and dividends do not jump there).
    if (const auto adj = adjusted.find(sym)) {
      const auto a_end = std::upper_bound(adjusted.dates.begin(), adjusted.dates.end(), as_of);
      if (a_end != adjusted.dates.begin()) {
        const std::size_t a_last = static_cast<std::size_t>(a_end - adjusted.dates.begin()) - 1;
        const std::size_t a_first = a_last + 1 > o.window ? a_last + 1 - o.window : 0;
        check_outliers(adjusted, *adj, a_first, a_last, sym, o, found);
      }
    } else {
      check_outliers(closes, s, first, last, sym, o, found);
    }
    // Missing on the reference date.
    if (is_missing(closes.at(last, s))) {
      found.push_back({sym, DataIssueKind::kMissing, closes.dates[last],
                       "no close on " + closes.dates[last].to_string() +
                           (closes.dates[last] < as_of ? " (last date with prices on or before " + as_of.to_string() + ")"
                                                       : std::string())});
    }
    std::stable_sort(found.begin(), found.end(), [](const DataIssue& a, const DataIssue& b) {
      return a.kind != b.kind ? a.kind < b.kind : a.date < b.date;
    });
    for (auto& i : found) {
      switch (i.kind) {
        case DataIssueKind::kGap: ++rep.gaps; break;
        case DataIssueKind::kStale: ++rep.stale; break;
        case DataIssueKind::kOutlier: ++rep.outliers; break;
        case DataIssueKind::kMissing: ++rep.missing; break;
      }
      rep.issues.push_back(std::move(i));
    }
  }
  return rep;
}

}  // namespace keel::risk
