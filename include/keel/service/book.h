// keel/service/book.h: gathering the inputs of a risk run, from the store or straight from files.
//
// Every command that takes `--portfolio NAME` also takes `--positions FILE` (and `--prices FILE`),
// so one command line reproduces one result with no database. load_book resolves either form
// into positions plus the adjusted-close history of every symbol the positions need (the
// underlyings of options), up to the as-of date.
//
// Thread-safety: stateless; the Store passed in must not be used concurrently.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/fx.h"
#include "keel/portfolio/market_data.h"
#include "keel/portfolio/position.h"
#include "keel/service/context.h"

namespace keel {
class Store;
}

namespace keel::service {

// Prices already loaded for a book's positions (columns in the order of their price symbols).
struct LoadedPrices {
  PriceHistory prices;  // adjusted closes
  PriceHistory closes;  // raw closes
};

struct BookSource {
  std::optional<std::string> portfolio;       // stored portfolio name
  std::optional<std::string> positions_file;  // or a positions CSV
  // or positions already in memory (what-if books, modelling sessions), named `positions_name`
  std::optional<std::vector<Position>> positions;
  std::string positions_name = "positions";
  std::optional<std::string> prices_file;     // prices CSV; else the store's prices
  // Or the prices of a book loaded before (the batch values one book many ways): used as they
  // are, ahead of prices_file and the store. Shared, not copied, between the steps' requests.
  std::shared_ptr<const LoadedPrices> loaded_prices;
  std::optional<Date> as_of;                  // default: last date with prices
  // The reporting currency: amounts in results are in it. Default: the stored portfolio's, else USD.
  std::optional<std::string> currency;
  // FX rates (docs/fx.md) when positions are in other currencies than the reporting one: a rates
  // file, or rates loaded before (shared like loaded_prices); else the store's.
  std::optional<std::string> fx_file;
  std::shared_ptr<const FxRates> loaded_fx;
  // A stored portfolio is the Context actor's tenant's.
};

struct Book {
  std::string name;                 // portfolio name or the positions file name
  std::vector<Position> positions;  // in input order
  PriceHistory prices;              // adjusted closes (close when no adj_close), dates <= as_of
  PriceHistory closes;              // raw closes, same shape (for market values)
  Date as_of;
  std::string currency = "USD";     // reporting currency
  // Rates between the positions' currencies and `currency`; empty when every position is in it.
  std::shared_ptr<const FxRates> fx;
  std::vector<std::string> warnings;

  // True when some position is quoted in another currency than `currency`.
  bool multi_currency() const;
};

// Throws keel::Error: usage unless exactly one of portfolio/positions_file/positions is given;
// not_found for an unknown portfolio or a missing file; invalid_input for bad files, when
// there are no prices at all (naming the symbols without prices), for a reporting currency that is
// not a currency code, or when positions in other currencies have no FX rates to convert them.
// Files named by the source are read through cx.env.files (Error::forbidden on the server).
Book load_book(const Context& cx, const BookSource& source);

}  // namespace keel::service
