// keel/store/fx_repository.h: FX rates as market data, one rate per (base, quote, date).
//
// Store migration 77. A rate is the number of units of `quote` one unit of `base` buys
// (docs/fx.md); pairs are stored as given (EUR/USD is not turned into USD/EUR). Rates are global
// like prices: every tenant reads the same table.
//
// FxRepository is a concrete class, written once over the store's SQL connection (either backend);
// Store::fx() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/fx.h"

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

// One stored pair: its rates' date range and count.
struct FxPairSummary {
  std::string base;
  std::string quote;
  Date first;
  Date last;
  std::size_t rates = 0;
};

struct FxUpsertStats {
  std::size_t rows = 0;
  std::size_t inserted = 0;  // new (base, quote, date) keys
  std::size_t updated = 0;   // existing keys whose rate was replaced
};

class FxRepository {
 public:
  FxRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Writes every row in ONE transaction: all of them or, when anything throws, none. A row whose
  // (base, quote, date) is stored replaces its rate.
  FxUpsertStats upsert(const FxRows& rows);

  // The rows of every pair whose base or quote is one of `currencies` (every pair when empty),
  // dated from..to (inclusive, either open), by base, quote, date. A cross rate's legs each touch
  // one end of the conversion, so the rows of a book's currencies hold every route between them.
  FxRows rows(const std::vector<std::string>& currencies, std::optional<Date> from, std::optional<Date> to);

  // Every stored pair with its first and last date and count, by base then quote.
  std::vector<FxPairSummary> pairs();

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
