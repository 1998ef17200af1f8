// keel/options/historical_vol.h: historical (close-to-close) volatility, the fallback vol of an
// option position without an implied vol.
//
// vol = sqrt(252) * sample standard deviation (n - 1) of the last `window` daily log returns
// ln(P_t / P_{t-1}) of the closes given (adjusted closes, so splits and dividends do not show as
// returns). Hull, "Options, Futures, and Other Derivatives", 15.4. Missing prices (NaN) are
// skipped: a return joins two consecutive available prices.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <optional>
#include <span>

namespace keel::options {

inline constexpr std::size_t kDefaultVolWindow = 63;   // trading days, about three months
inline constexpr std::size_t kMinVolReturns = 20;      // fewer returns give no estimate
inline constexpr double kTradingDaysPerYear = 252.0;

// Annualised decimal vol from the most recent `window` returns of `closes` (ascending dates).
// Uses fewer returns when fewer exist, but nullopt when there are fewer than
// min(kMinVolReturns, window) (and at least 2), or a price is not positive.
std::optional<double> historical_vol(std::span<const double> closes,
                                     std::size_t window = kDefaultVolWindow);

}  // namespace keel::options
