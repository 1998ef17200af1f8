#include "keel/options/historical_vol.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace keel::options {

std::optional<double> historical_vol(std::span<const double> closes, std::size_t window) {
  // Walk back from the latest price collecting up to `window` log returns.
  std::vector<double> returns;
  returns.reserve(window);
  double later = NAN;
  for (std::size_t i = closes.size(); i-- > 0 && returns.size() < window;) {
    const double p = closes[i];
    if (std::isnan(p)) continue;
    if (!(p > 0.0)) return std::nullopt;
    if (!std::isnan(later)) returns.push_back(std::log(later / p));
    later = p;
  }
  if (returns.size() < std::min(kMinVolReturns, window) || returns.size() < 2) return std::nullopt;
  double mean = 0.0;
  for (double r : returns) mean += r;
  mean /= static_cast<double>(returns.size());
  double ss = 0.0;
  for (double r : returns) ss += (r - mean) * (r - mean);
  return std::sqrt(ss / static_cast<double>(returns.size() - 1) * kTradingDaysPerYear);
}

}  // namespace keel::options
