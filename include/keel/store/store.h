// keel/store/store.h: persistence of keel's domain data.
//
// Store is the interface the service layer uses; open_store() returns the SQLite backend (one
// file, WAL, migrations at open). Every import method is one transaction: it writes all rows or,
// when anything fails, nothing. Price and factor imports are upserts, so re-importing the same
// file is idempotent. Portfolios belong to a tenant ("default" for the single-user CLI).
//
// Thread-safety: a Store is used by one thread at a time; open one per thread (or per request).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/market_data.h"
#include "keel/portfolio/position.h"
#include "keel/portfolio/symbol_info.h"

namespace keel {

namespace store {
class Database;
}

inline constexpr const char* kDefaultTenant = "default";

struct PortfolioSummary {
  std::int64_t id = 0;
  std::string name;
  std::string tenant;
  std::size_t positions = 0;
  std::string base_currency;
  std::string created_at;  // ISO-8601 UTC
  std::string updated_at;
};

struct PriceImportStats {
  std::size_t rows = 0;
  std::size_t symbols = 0;
  std::size_t inserted = 0;  // new (symbol, date) pairs
  std::size_t updated = 0;   // existing pairs overwritten
  std::optional<Date> first_date;
  std::optional<Date> last_date;
};

struct LatestPrice {
  Date date;
  double close = 0.0;
  double adj_close = 0.0;
};

// Which price a history holds: adjusted close (falling back to close when absent) for returns,
// or the raw close a broker statement shows.
enum class PriceField { kAdjustedClose, kClose };

struct CurveSummary {
  std::string name;
  std::optional<Date> as_of;
  CurveKind kind = CurveKind::kZero;
  std::string currency;
  std::size_t points = 0;
};

// Called during long imports with rows done and rows in total.
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

class Store {
 public:
  virtual ~Store() = default;

  // Portfolios.
  virtual std::vector<PortfolioSummary> list_portfolios(const std::string& tenant) = 0;
  virtual std::optional<PortfolioSummary> find_portfolio(const std::string& tenant,
                                                         const std::string& name) = 0;
  // Creates the portfolio if needed and replaces its positions (one transaction).
  virtual PortfolioSummary save_portfolio(const std::string& tenant, const std::string& name,
                                          const std::vector<Position>& positions,
                                          const std::string& source) = 0;
  // Positions in file order. Throws Error(not_found) when the portfolio does not exist.
  virtual std::vector<Position> positions(const std::string& tenant, const std::string& name) = 0;
  // Returns false when there was no such portfolio.
  virtual bool delete_portfolio(const std::string& tenant, const std::string& name) = 0;

  // Prices. Upserts every chunk that `next_chunk` hands out (it returns false when there are no
  // more) in ONE transaction, then calls `before_commit`, which may throw to roll the whole import
  // back (e.g. when the reader, running alongside, found a bad row). Stats count what was written.
  virtual PriceImportStats upsert_price_chunks(const std::function<bool(PriceRows&)>& next_chunk,
                                               const std::function<void()>& before_commit) = 0;
  // The same for rows already in memory.
  PriceImportStats upsert_prices(const PriceRows& rows, const ProgressFn& progress = {});
  // Dates x symbols between from and to (inclusive, either open); dates where any requested
  // symbol has a price; NaN where a symbol has none. Unknown symbols give all-NaN columns.
  virtual PriceHistory price_history(const std::vector<std::string>& symbols,
                                     std::optional<Date> from, std::optional<Date> to,
                                     PriceField field) = 0;
  // Latest price on or before `as_of` (any date when nullopt).
  virtual std::optional<LatestPrice> latest_price(const std::string& symbol,
                                                  std::optional<Date> as_of) = 0;
  // Latest date with any price, or nullopt for an empty store.
  virtual std::optional<Date> last_price_date() = 0;

  // Security master: names and sectors (from a classification file).
  virtual std::size_t upsert_symbol_info(const std::vector<SymbolInfo>& infos) = 0;
  virtual std::optional<SymbolInfo> symbol_info(const std::string& symbol) = 0;

  // Factor returns (decimal units) under a set name, e.g. "ff5".
  virtual std::size_t upsert_factors(const std::string& set_name, const FactorTable& table) = 0;
  virtual FactorTable factors(const std::string& set_name, std::optional<Date> from,
                              std::optional<Date> to) = 0;

  // Curves, keyed by (name, as_of).
  virtual void save_curve(const CurveData& curve) = 0;
  virtual std::optional<CurveData> curve(const std::string& name, std::optional<Date> as_of) = 0;
  virtual std::vector<CurveSummary> list_curves() = 0;

  // The underlying connection, for domain repositories (ledger, ALM sessions, CLO deals, users).
  virtual store::Database& database() = 0;
};

inline PriceImportStats Store::upsert_prices(const PriceRows& rows, const ProgressFn& progress) {
  bool given = false;
  auto stats = upsert_price_chunks(
      [&](PriceRows& out) {
        if (given) return false;
        out = rows;
        given = true;
        return true;
      },
      [] {});
  if (progress) progress(rows.size(), rows.size());
  return stats;
}

// Opens or creates the SQLite store at `path` (":memory:" for a private in-memory store).
std::unique_ptr<Store> open_store(const std::string& path);

}  // namespace keel
