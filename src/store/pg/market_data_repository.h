// src/store/pg/market_data_repository.h: fetched bars, corporate actions and sync coverage on
// PostgreSQL (keel/store/market_data_repository.h). Market data is shared by every tenant (no
// row-level security), as on SQLite; bars go through the COPY load of price_load.h.
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns it.
#pragma once

#include "keel/core/env.h"
#include "keel/store/market_data_repository.h"
#include "session.h"

namespace keel::store::pg {

class PgMarketDataRepository final : public MarketDataRepository {
 public:
  PgMarketDataRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
  std::size_t save_fetch(const MarketDataWrite& write) override;
  void update_adjusted(const std::string& symbol, const std::vector<Date>& dates,
                       const std::vector<double>& adj_close) override;
  std::vector<CorporateAction> actions(const std::string& symbol, std::optional<Date> from,
                                       std::optional<Date> to) override;
  std::optional<Coverage> coverage(const std::string& dataset, const std::string& series) override;
  std::pair<std::vector<Date>, std::vector<double>> closes(const std::string& symbol) override;

 private:
  Session* s_;
  const Clock* clock_;
};

}  // namespace keel::store::pg
