// keel/store/store.h: persistence of keel's domain data.
//
// Store is the interface the service layer and the server use; open_store() returns the SQLite
// backend (one file, WAL, migrations at open). Portfolios, positions, prices, factors and curves
// are methods of Store; every other kind of record has a repository interface (users, audit log,
// jobs, cached results, ledger, ledger snapshots, portfolio snapshots, tags, ALM sessions,
// modelling sessions, stored CLO deals, market data, the key vault's sealed API keys, the assistant's providers and
// transcripts) that Store hands out by reference. Nothing above the store sees SQL or the SQLite
// connection, so another backend implements Store and the repositories without touching their
// callers (docs/store.md).
//
// Every import method is one transaction: it writes all rows or, when anything fails, nothing.
// Price and factor imports are upserts, so re-importing the same file is idempotent. A caller that
// needs several repository calls to be all-or-nothing wraps them in Store::transaction().
// Portfolios belong to a tenant ("default" for the single-user CLI). Every timestamp the store
// writes (created_at, updated_at, the audit log's `at`) comes from the Clock given to open_store,
// as ISO-8601 UTC text.
//
// Thread-safety: a Store (and every repository it hands out) is used by one thread at a time;
// open one per thread (or per request). Ownership: the Store owns its repositories; references
// to them live as long as the Store. The Clock given to open_store must outlive the Store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "keel/core/date.h"
#include "keel/core/env.h"
#include "keel/portfolio/market_data.h"
#include "keel/portfolio/position.h"
#include "keel/portfolio/symbol_info.h"

namespace keel {

namespace store {
class AlmRepository;
class AssistantRepository;
class AuditRepository;
class CloDealRepository;
class FxRepository;
class MacroRepository;
class JobRepository;
class LedgerRepository;
class LedgerSnapshotRepository;
class MarketDataRepository;
class ModellingRepository;
class ResultCache;
class SecretRepository;
class SnapshotRepository;
class TagRepository;
class UserRepository;
}  // namespace store

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

struct PriceHistories {
  PriceHistory adjusted;  // adj_close, close where there is none
  PriceHistory close;
};

struct CurveSummary {
  std::string name;
  std::optional<Date> as_of;
  CurveKind kind = CurveKind::kZero;
  std::string currency;
  std::size_t points = 0;
};

// A portfolio change as kept in the store for every process sharing it (GET /api/v1/events).
struct StoredPortfolioChange {
  std::int64_t id = 0;  // increasing: the order the changes were kept in
  std::string tenant;
  std::int64_t portfolio_id = 0;
  std::string portfolio;
  std::string what;
  std::int64_t changed_at = 0;  // unix seconds
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
  // Sets the portfolio's reporting currency (PortfolioSummary::base_currency; a three-letter code
  // the caller checked). Returns false when there is no such portfolio.
  virtual bool set_portfolio_currency(const std::string& tenant, const std::string& name,
                                      const std::string& currency) = 0;

  // Portfolio changes, seen by every process sharing the store. record_change keeps one (the
  // clock's time; those older than kChangeRetentionSeconds go in the same transaction) and returns
  // its id; changes_after returns those with a larger id, oldest first, at most `limit`;
  // last_change_id the largest id kept (0: none).
  static constexpr std::int64_t kChangeRetentionSeconds = 86400;
  virtual std::int64_t record_change(const StoredPortfolioChange& change) = 0;
  virtual std::vector<StoredPortfolioChange> changes_after(std::int64_t id, std::size_t limit) = 0;
  virtual std::int64_t last_change_id() = 0;

  // Prices. Upserts every chunk that `next_chunk` hands out (it returns false when there are no
  // more) in ONE transaction, then calls `before_commit`, which may throw to roll the whole import
  // back (e.g. when the reader, running alongside, found a bad row). Stats count what was written.
  virtual PriceImportStats upsert_price_chunks(const std::function<bool(PriceRows&)>& next_chunk,
                                               const std::function<void()>& before_commit) = 0;
  // The same for rows already in memory.
  PriceImportStats upsert_prices(const PriceRows& rows, const ProgressFn& progress = {});
  // Dates x symbols between from and to (inclusive, either open); dates where any requested
  // symbol has a price; NaN where a symbol has none. Unknown symbols give all-NaN columns.
  virtual PriceHistory price_history(const std::vector<std::string>& symbols, std::optional<Date> from,
                                     std::optional<Date> to, PriceField field) = 0;
  // Both fields in one read (half the rows of two price_history calls): `adjusted` is
  // price_history(kAdjustedClose), `close` price_history(kClose).
  virtual PriceHistories price_histories(const std::vector<std::string>& symbols, std::optional<Date> from,
                                         std::optional<Date> to);
  // Latest price on or before `as_of` (any date when nullopt).
  virtual std::optional<LatestPrice> latest_price(const std::string& symbol, std::optional<Date> as_of) = 0;
  // Latest date with any price, or nullopt for an empty store.
  virtual std::optional<Date> last_price_date() = 0;

  // Security master: names and sectors (from a classification file: symbol, name, sector and
  // industry are written, the fetched fields kept).
  virtual std::size_t upsert_symbol_info(const std::vector<SymbolInfo>& infos) = 0;
  // Every field of fetched records (keel fetch symbols), in one transaction; an empty text field
  // is stored as NULL.
  virtual std::size_t upsert_security_master(const std::vector<SymbolInfo>& infos) = 0;
  virtual std::optional<SymbolInfo> symbol_info(const std::string& symbol) = 0;
  // The records with a name, a sector or a fetch, by symbol.
  virtual std::vector<SymbolInfo> list_symbol_info() = 0;

  // Factor returns (decimal units) under a set name, e.g. "ff5".
  virtual std::size_t upsert_factors(const std::string& set_name, const FactorTable& table) = 0;
  virtual FactorTable factors(const std::string& set_name, std::optional<Date> from,
                              std::optional<Date> to) = 0;

  // Curves, keyed by (name, as_of).
  virtual void save_curve(const CurveData& curve) = 0;
  virtual std::optional<CurveData> curve(const std::string& name, std::optional<Date> as_of) = 0;
  virtual std::vector<CurveSummary> list_curves() = 0;

  // Repositories of the other records (include the repository's header to use it).
  virtual store::UserRepository& users() = 0;                       // user_repository.h
  virtual store::AuditRepository& audit() = 0;                      // audit_repository.h
  virtual store::JobRepository& jobs() = 0;                         // job_repository.h
  virtual store::ResultCache& results() = 0;                        // job_repository.h
  virtual store::LedgerRepository& ledger() = 0;                    // ledger_repository.h
  virtual store::LedgerSnapshotRepository& ledger_snapshots() = 0;  // ledger_snapshot_repository.h
  virtual store::SnapshotRepository& snapshots() = 0;               // snapshot_repository.h
  virtual store::TagRepository& tags() = 0;                         // tag_repository.h
  virtual store::AlmRepository& alm_sessions() = 0;                 // alm_repository.h
  virtual store::ModellingRepository& modelling_sessions() = 0;     // modelling_repository.h
  virtual store::CloDealRepository& clo_deals() = 0;                // clo_repository.h
  virtual store::MarketDataRepository& market_data() = 0;           // market_data_repository.h
  virtual store::FxRepository& fx() = 0;                            // fx_repository.h
  virtual store::MacroRepository& macro() = 0;                      // macro_repository.h
  virtual store::SecretRepository& secrets() = 0;  // secret_repository.h (the key vault's rows)
  virtual store::AssistantRepository& assistant() = 0;  // assistant_repository.h (providers, policies, transcripts)

  // Runs `fn` as one transaction over every method and repository of this store: when it returns,
  // all its writes are committed together; when it throws, none is kept and the exception goes on.
  // The write lock is taken at the start (SQLite: BEGIN IMMEDIATE), so a check made inside `fn`
  // against stored rows still holds at commit. A transaction() inside another (or a repository's
  // own transaction inside `fn`) joins the outer one. Returns what `fn` returns.
  template <class F>
  auto transaction(F&& fn);

  // The clock every timestamp of this store comes from; use cases that hold a store and need
  // "now" (a TTL, a report date) read it here, so a pinned clock pins them too.
  virtual const Clock& clock() const = 0;

  // True when the backend answers a trivial query (readiness probes). Throws keel::Error when the
  // backend fails in a way worth reporting.
  virtual bool ping() = 0;

 protected:
  // Runs `fn` inside one transaction (see transaction()).
  virtual void run_transaction(const std::function<void()>& fn) = 0;
};

template <class F>
auto Store::transaction(F&& fn) {
  using Result = std::invoke_result_t<F&>;
  if constexpr (std::is_void_v<Result>) {
    run_transaction([&] { fn(); });
  } else {
    std::optional<Result> result;
    run_transaction([&] { result.emplace(fn()); });
    return std::move(*result);
  }
}

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

inline PriceHistories Store::price_histories(const std::vector<std::string>& symbols, std::optional<Date> from,
                                             std::optional<Date> to) {
  return {price_history(symbols, from, to, PriceField::kAdjustedClose),
          price_history(symbols, from, to, PriceField::kClose)};
}

// Tuning of a backend; the defaults suit the keel command.
struct StoreOptions {
  // Private page cache per connection, in KiB; 0 keeps the backend's default. A server that pools
  // connections sets a small one: they share the OS page cache, and (connections x cache) bounds
  // its resident size instead of (connections x database size).
  std::int64_t page_cache_kib = 0;
};

// Opens or creates the SQLite store at `path` (":memory:" for a private in-memory store), or, for
// a `postgresql://` URL, opens that PostgreSQL store (keel/store/postgresql.h; migrated by
// `keel db migrate`, never here). Every timestamp it writes comes from `clock`, which must
// outlive the store.
std::unique_ptr<Store> open_store(const std::string& path, const Clock& clock = system_clock_source(),
                                  const StoreOptions& options = {});

}  // namespace keel
