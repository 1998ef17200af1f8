#include "keel/risk/returns.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

#include "keel/core/error.h"

namespace keel::risk {
namespace {

// A daily move beyond +-100% is almost always a data problem (a ticker reused by another company,
// an unadjusted split): say so once per symbol, naming the largest.
void warn_extreme_returns(ReturnMatrix& r) {
  const std::size_t k = r.cols();
  for (std::size_t a = 0; a < k; ++a) {
    std::size_t count = 0;
    std::size_t worst = 0;
    for (std::size_t t = 0; t < r.rows(); ++t) {
      if (std::abs(r.at(t, a)) > 1.0) {
        if (count == 0 || std::abs(r.at(t, a)) > std::abs(r.at(worst, a))) worst = t;
        ++count;
      }
    }
    if (count > 0) {
      r.warnings.push_back(
          fmt::format("{}: {} daily return(s) beyond +-100%, the largest {:f}% on {} (check the prices: "
                      "a reused ticker or an unadjusted split?)",
                      r.symbols[a], count, r.at(worst, a) * 100.0, r.dates[worst].to_string()));
    }
  }
}

ReturnMatrix carried_forward_returns(const PriceHistory& prices, std::span<const std::string> symbols,
                                     const std::vector<std::size_t>& cols, std::size_t end,
                                     std::size_t need, bool all) {
  const std::size_t k = symbols.size();
  if (end < need) {
    throw Error::invalid_input(fmt::format(
        "not enough price history: {} dates, {} needed for a window of {} returns", end, need, need - 1));
  }
  const std::size_t first = all ? 0 : end - need;
  // Last price at or before row `first` (carried into the window), NaN when none yet.
  std::vector<double> last(k, kMissing);
  std::vector<std::size_t> proxied(k, 0);
  std::vector<std::string> problems;
  for (std::size_t a = 0; a < k; ++a) {
    bool any = false;
    for (std::size_t t = end; t-- > 0;) {
      const double p = prices.at(t, cols[a]);
      if (is_missing(p)) continue;
      any = true;
      if (!(p > 0.0)) {
        problems.push_back(
            fmt::format("{}: price {:f} on {} is not positive", symbols[a], p, prices.dates[t].to_string()));
      }
      if (t <= first && is_missing(last[a])) last[a] = p;
      if (t < first) break;
    }
    if (!any) problems.push_back(symbols[a] + ": no prices");
  }
  if (!problems.empty()) throw Error::invalid_input("cannot compute returns", problems);

  ReturnMatrix out;
  out.symbols.assign(symbols.begin(), symbols.end());
  const std::size_t n = end - first - 1;
  out.start = prices.dates[first];
  out.dates.resize(n);
  out.values.resize(n * k);
  for (std::size_t t = 0; t < n; ++t) {
    const std::size_t row = first + 1 + t;
    out.dates[t] = prices.dates[row];
    double* dst = out.values.data() + t * k;
    for (std::size_t a = 0; a < k; ++a) {
      const double p = prices.at(row, cols[a]);
      if (is_missing(p) || is_missing(last[a])) {
        dst[a] = 0.0;
        ++proxied[a];
      } else {
        dst[a] = p / last[a] - 1.0;
      }
      if (!is_missing(p)) last[a] = p;
    }
  }
  for (std::size_t a = 0; a < k; ++a) {
    if (proxied[a] > 0) {
      out.warnings.push_back(fmt::format("{}: {} of {} returns proxied as zero (no price that day or before)",
                                         symbols[a], proxied[a], n));
    }
  }
  warn_extreme_returns(out);
  return out;
}

}  // namespace

ReturnMatrix simple_returns(const PriceHistory& prices, std::span<const std::string> symbols,
                            const ReturnsOptions& options) {
  if (symbols.empty()) throw Error::invalid_input("no symbols to compute returns for");
  const std::size_t k = symbols.size();

  std::vector<std::size_t> cols(k);
  std::vector<std::string> problems;
  std::unordered_set<std::string> seen;
  for (std::size_t a = 0; a < k; ++a) {
    if (!seen.insert(symbols[a]).second) problems.push_back(symbols[a] + ": listed twice");
    const auto c = prices.find(symbols[a]);
    if (!c) {
      problems.push_back(symbols[a] + ": no prices");
      continue;
    }
    cols[a] = *c;
  }
  if (!problems.empty()) {
    throw Error::invalid_input(
        fmt::format("cannot compute returns: {} symbol(s) without usable prices", problems.size()), problems);
  }

  // Last row at or before as_of.
  std::size_t end = prices.rows();
  if (options.as_of) {
    end = static_cast<std::size_t>(
        std::upper_bound(prices.dates.begin(), prices.dates.end(), *options.as_of) -
        prices.dates.begin());
  }
  const std::size_t need = options.window == 0 ? 2 : options.window + 1;
  if (options.missing == MissingPrices::kCarryForward) {
    return carried_forward_returns(prices, symbols, cols, end, need, options.window == 0);
  }

  // Per-symbol counts (for a precise error) and common rows, newest first.
  std::vector<std::size_t> count(k, 0);
  std::vector<std::size_t> common;
  for (std::size_t t = end; t-- > 0;) {
    bool all = true;
    for (std::size_t a = 0; a < k; ++a) {
      if (is_missing(prices.at(t, cols[a]))) {
        all = false;
      } else {
        ++count[a];
      }
    }
    if (all && (options.window == 0 || common.size() < need)) common.push_back(t);
  }
  for (std::size_t a = 0; a < k; ++a) {
    if (count[a] == 0) {
      problems.push_back(symbols[a] + ": no prices" +
                         (options.as_of ? " on or before " + options.as_of->to_string() : ""));
    } else if (count[a] < need) {
      problems.push_back(
          fmt::format("{}: {} prices, {} needed for {} returns", symbols[a], count[a], need, need - 1));
    }
  }
  if (!problems.empty()) {
    throw Error::invalid_input(fmt::format("not enough price history for a window of {} returns", need - 1),
                               problems);
  }
  if (common.size() < need) {
    throw Error::invalid_input(
        fmt::format("not enough common price history: the {} symbols share {} dates with prices, {} needed "
                    "for a window of {} returns",
                    k, common.size(), need, need - 1));
  }
  std::reverse(common.begin(), common.end());

  ReturnMatrix out;
  out.symbols.assign(symbols.begin(), symbols.end());
  const std::size_t n = common.size() - 1;
  out.start = prices.dates[common[0]];
  out.dates.resize(n);
  out.values.resize(n * k);
  for (std::size_t t = 0; t < common.size(); ++t) {
    for (std::size_t a = 0; a < k; ++a) {
      const double p = prices.at(common[t], cols[a]);
      if (!(p > 0.0)) {
        problems.push_back(fmt::format("{}: price {:f} on {} is not positive", symbols[a], p,
                                       prices.dates[common[t]].to_string()));
      }
    }
  }
  if (!problems.empty()) {
    throw Error::invalid_input("prices must be positive to compute returns", problems);
  }
  for (std::size_t t = 0; t < n; ++t) {
    out.dates[t] = prices.dates[common[t + 1]];
    const double* prev = prices.values.data() + common[t] * prices.cols();
    const double* curr = prices.values.data() + common[t + 1] * prices.cols();
    double* dst = out.values.data() + t * k;
    for (std::size_t a = 0; a < k; ++a) dst[a] = curr[cols[a]] / prev[cols[a]] - 1.0;
  }
  warn_extreme_returns(out);
  return out;
}

ReturnMatrix overlapping_returns(const ReturnMatrix& daily, int horizon_days) {
  if (horizon_days < 1) throw Error::invalid_input("horizon must be at least 1 day");
  const auto h = static_cast<std::size_t>(horizon_days);
  if (h > daily.rows()) {
    throw Error::invalid_input(
        fmt::format("horizon of {} days exceeds the {} returns available", h, daily.rows()));
  }
  const std::size_t k = daily.cols();
  const std::size_t n = daily.rows() - h + 1;
  ReturnMatrix out;
  out.symbols = daily.symbols;
  out.start = daily.start;
  out.dates.resize(n);
  out.values.assign(n * k, 1.0);
  for (std::size_t s = 0; s < n; ++s) {
    out.dates[s] = daily.dates[s + h - 1];
    double* dst = out.values.data() + s * k;
    for (std::size_t j = 0; j < h; ++j) {
      const double* r = daily.values.data() + (s + j) * k;
      for (std::size_t a = 0; a < k; ++a) dst[a] *= 1.0 + r[a];
    }
    for (std::size_t a = 0; a < k; ++a) dst[a] -= 1.0;
  }
  return out;
}

}  // namespace keel::risk

namespace keel::risk {

std::string fx_asset_name(std::string_view from, std::string_view to) { return fmt::format("{}/{}", from, to); }

void append_fx_returns(ReturnMatrix& returns, std::span<const std::string> currencies, std::string_view reporting,
                       const FxRates& fx) {
  if (currencies.empty()) return;
  const std::size_t n = returns.rows();
  const std::size_t k0 = returns.cols();
  const std::size_t k = k0 + currencies.size();
  std::vector<Date> dates;
  dates.reserve(n + 1);
  dates.push_back(returns.start);
  dates.insert(dates.end(), returns.dates.begin(), returns.dates.end());
  std::vector<double> values(n * k);
  for (std::size_t t = 0; t < n; ++t) {
    std::copy_n(returns.values.data() + t * k0, k0, values.data() + t * k);
  }
  for (std::size_t c = 0; c < currencies.size(); ++c) {
    const auto route = fx.route(currencies[c], reporting);
    if (!route) {
      throw Error::invalid_input(fmt::format("no FX rates convert {} into {} (no pair {}/{}, {}/{} or cross)",
                                             currencies[c], reporting, currencies[c], reporting, reporting,
                                             currencies[c]));
    }
    const std::vector<double> x = fx.series(*route, dates);
    for (std::size_t t = 0; t < n; ++t) values[t * k + k0 + c] = x[t + 1] / x[t] - 1.0;
    returns.symbols.push_back(fx_asset_name(currencies[c], reporting));
  }
  returns.values = std::move(values);
}

}  // namespace keel::risk
