// keel/service/portfolio_view.h: a stored portfolio with last prices and market values.
//
// Market value = quantity x multiplier x last close on or before the as-of date. Options are
// valued at their own last price when the store has one; otherwise at their model value
// (Black-Scholes-Merton, or Barone-Adesi-Whaley for American exercise, with the position's
// implied vol or the underlying's historical vol and a zero rate, as `keel options greeks` does by
// default), shown with price_source "model". Gross = sum of |value|,
// net = sum of value, long/short = sums of positive/negative values; weights are value / gross.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/position.h"
#include "keel/store/store.h"

namespace keel::service {

struct PositionView {
  Position position;
  std::optional<double> last_price;
  std::optional<Date> price_date;
  std::optional<double> market_value;
  std::optional<double> weight;  // of gross market value
  std::string price_source;      // "close" (stored price) or "model" (options engine)
};

struct PortfolioView {
  std::string name;
  std::optional<Date> as_of;  // requested date, or the latest price date in the store
  std::vector<PositionView> positions;
  double net_market_value = 0.0;
  double gross_market_value = 0.0;
  double long_market_value = 0.0;
  double short_market_value = 0.0;
  std::size_t unpriced = 0;
  std::vector<std::string> warnings;
};

// Throws Error(not_found) for an unknown portfolio.
PortfolioView show_portfolio(Store& store, const std::string& name, std::optional<Date> as_of,
                             const std::string& tenant = kDefaultTenant);
nlohmann::json to_json(const PortfolioView& view);
nlohmann::json to_json(const PortfolioSummary& summary);
nlohmann::json position_to_json(const Position& p);

}  // namespace keel::service
