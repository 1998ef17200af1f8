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
  static void fields(V& v, S& s) {
    v.field({.name = "symbol",
             .help = "The symbol (a ticker, or an OCC option symbol)",
             .faces = spec::kCli,
             .required = true,
             .cli_positional = true},
            s.symbol);
    v.field({.name = "from", .help = "First date shown (default: the first stored)"}, s.from);
    v.field({.name = "to", .help = "Last date shown (default: the last stored)"}, s.to);
  }
};

struct StoredPrice {
  Date date;
  double close = 0.0;     // as traded, in the symbol's currency
  double adj_close = 0.0; // split- and dividend-adjusted (the close when none is stored)

  static constexpr const char* kSchemaName = "StoredPrice";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "date"}, s.date);
    v.field({.name = "close", .help = "The close as traded", .unit = "the symbol's currency"}, s.close);
    v.field({.name = "adj_close",
             .help = "The close adjusted for splits and dividends (returns use it; the close when none is stored)",
             .unit = "the symbol's currency"},
            s.adj_close);
  }
};

struct PricesShowResult {
  std::string symbol;
  Date first;                       // the first and last stored dates (of the whole history)
  Date last;
  std::size_t stored = 0;           // dates stored in all
  std::vector<StoredPrice> prices;  // those from..to, by date

  static constexpr const char* kSchemaName = "PricesShown";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "first", .help = "The first stored date"}, s.first);
    v.field({.name = "last", .help = "The last stored date: how fresh the symbol's prices are"}, s.last);
    v.field({.name = "stored", .help = "Dates stored in all"}, s.stored);
    v.field({.name = "prices", .help = "The dates from..to, in order"}, s.prices);
  }
};

// Throws invalid_input for a symbol that is not one, or from after to; not_found (naming the
// commands that store them) when no price of the symbol is stored.
PricesShowResult prices_show(const Context& cx, const PricesShowRequest& request);

}  // namespace keel::service
