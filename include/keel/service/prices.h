// keel/service/prices.h: the stored prices of one symbol, read back: `keel prices show SYMBOL`
// and GET /api/v1/prices/{symbol}. Prices are market data shared by every tenant (keel import
// prices, keel fetch prices store them); reading them needs the read permission only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/spec.h"

namespace keel::service {

struct Context;

struct PricesShowRequest {
  std::string symbol;  // CLI: the positional SYMBOL; HTTP: the path's
  std::optional<Date> from;
  std::optional<Date> to;

  static constexpr const char* kSchemaName = "PricesShowRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct StoredPrice {
  Date date;
  double close = 0.0;     // as traded, in the symbol's currency
  double adj_close = 0.0; // split- and dividend-adjusted (the close when none is stored)

  static constexpr const char* kSchemaName = "StoredPrice";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct PricesShowResult {
  std::string symbol;
  Date first;                       // the first and last stored dates (of the whole history)
  Date last;
  std::size_t stored = 0;           // dates stored in all
  std::vector<StoredPrice> prices;  // those from..to, by date

  static constexpr const char* kSchemaName = "PricesShown";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws invalid_input for a symbol that is not one, or from after to; not_found (naming the
// commands that store them) when no price of the symbol is stored.
PricesShowResult prices_show(const Context& cx, const PricesShowRequest& request);

}  // namespace keel::service
