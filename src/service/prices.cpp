// The stored prices of one symbol (keel/service/prices.h).
#include "keel/service/prices.h"

#include <fmt/format.h>

#include <cmath>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/io/readers.h"
#include "keel/service/context.h"
#include "keel/store/store.h"

namespace keel::service {

PricesShowResult prices_show(const Context& cx, const PricesShowRequest& req) {
  Store& store = require_store(cx, "prices are stored (keel import prices, keel fetch prices)");
  const std::string symbol = to_upper(std::string(trim(req.symbol)));
  if (auto problem = io::symbol_problem(symbol)) {
    throw Error::invalid_input("invalid prices request", {"symbol: " + *problem});
  }
  if (req.from && req.to && *req.to < *req.from) {
    throw Error::invalid_input("invalid prices request",
                               {fmt::format("to: {} is before from {}", req.to->to_string(), req.from->to_string())});
  }
  // The whole history once (a symbol has at most some 15,000 dates): its span, then the window.
  const PriceHistories h = store.price_histories({symbol}, std::nullopt, std::nullopt);
  PricesShowResult out;
  out.symbol = symbol;
  for (std::size_t t = 0; t < h.close.rows(); ++t) {
    const double close = h.close.at(t, 0);
    if (std::isnan(close)) continue;
    const Date d = h.close.dates[t];
    if (out.stored == 0) out.first = d;
    out.last = d;
    ++out.stored;
    if ((req.from && d < *req.from) || (req.to && *req.to < d)) continue;
    const double adj = h.adjusted.at(t, 0);
    out.prices.push_back({d, close, std::isnan(adj) ? close : adj});
  }
  if (out.stored == 0) {
    throw Error::not_found(fmt::format(
        "no prices stored for {} (keel fetch prices --symbols {} --provider NAME, or keel import prices FILE)", symbol,
        symbol));
  }
  return out;
}

}  // namespace keel::service
