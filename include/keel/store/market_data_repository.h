// keel/store/market_data_repository.h: corporate actions, fetched bars and sync coverage.
//
// Store migration 22. Corporate actions are keyed by (symbol, ex-date, kind); saving one that
// exists replaces it. Coverage records, per (dataset, series) — e.g. ("prices", "AAPL") — the date
// range a provider was last asked for and answered, so an incremental sync requests only the dates
// outside it. `save_fetch` writes bars, actions and coverage of many series in ONE transaction: all
// of it or, when anything throws, none (the rule of file imports).
//
// MarketDataRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::market_data() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/market_data.h"

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

struct Coverage {
  std::string dataset;  // "prices", "actions"
  std::string series;   // the symbol
  std::string provider;
  Date from;
  Date to;
  std::string synced_at;  // ISO-8601 UTC
};

// One symbol's bars to store: raw (or provider) closes and the adjusted closes to keep with them.
struct BarsToStore {
  std::string symbol;
  std::vector<Date> date;
  std::vector<double> open, high, low, close, adj_close, volume;  // NaN = NULL
};

struct MarketDataWrite {
  std::vector<BarsToStore> bars;
  std::vector<CorporateAction> actions;
  std::vector<BarsToStore>
      adjusted_only;               // existing bars whose adjusted close changes (date, adj_close read)
  std::vector<Coverage> coverage;  // replaces the rows of the same (dataset, series)
  std::string source;              // provider name, kept with the actions
};

class MarketDataRepository {
 public:
  MarketDataRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Writes everything in one transaction; returns the number of bars written.
  std::size_t save_fetch(const MarketDataWrite& write);
  // Replaces adjusted closes of existing bars (after new actions), in one transaction.
  void update_adjusted(const std::string& symbol, const std::vector<Date>& dates,
                       const std::vector<double>& adj_close);

  // Actions of `symbol` (every symbol when empty) with ex-dates in from..to, by ex-date.
  std::vector<CorporateAction> actions(const std::string& symbol, std::optional<Date> from = std::nullopt,
                                       std::optional<Date> to = std::nullopt);
  std::optional<Coverage> coverage(const std::string& dataset, const std::string& series);

  // The stored raw closes of `symbol`, ascending (dates, closes).
  std::pair<std::vector<Date>, std::vector<double>> closes(const std::string& symbol);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
