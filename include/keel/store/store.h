// keel/store/store.h: persistence of keel's domain data.
//
// Store is what the service layer and the server use: one concrete class, written once over a SQL
// connection (src/store/sql.h) whose two implementations are the backends' dialects. open_store()
// opens the SQLite store (one file, WAL, migrations at open) or, for a postgresql:// URL, the
// PostgreSQL one. Portfolios, positions, prices, factors and curves are methods of Store; every
// other kind of record has a repository (users, audit log, jobs, cached results, ledger, ledger
// snapshots, portfolio snapshots, tags, ALM sessions, modelling sessions, stored CLO deals, market
// data, the key vault's sealed API keys, the assistant's providers and transcripts) that Store
// hands out by reference. Nothing above the store sees SQL or a connection; another backend is a
// new connection and dialect, not another Store or new repositories (docs/store.md).
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
class SqlConnection;  // the store's connection to its database
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
class WebhookRepository;
class StorageRepository;
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
  std::size_t options = 0;  // of positions, options (a VaR revalues each in every scenario)
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

// A factor set of the store: its factors in file order and the dates it covers.
struct FactorSetSummary {
  std::string name;
  std::vector<std::string> factors;
  std::optional<Date> first;
  std::optional<Date> last;
  std::size_t days = 0;
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
  std::string kind = "portfolio";  // portfolio, clo or job (migration 96)
  std::string username;            // the one user it is for; "" for every user of the tenant
};

// Called during long imports with rows done and rows in total.
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

class Store {
 public:
  // The store over `connection` (open_store makes both); every timestamp comes from `clock`, which
  // must outlive it.
  Store(std::unique_ptr<store::SqlConnection> connection, const Clock& clock);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Portfolios.
  std::vector<PortfolioSummary> list_portfolios(const std::string& tenant);
  std::optional<PortfolioSummary> find_portfolio(const std::string& tenant, const std::string& name);
  // The tenant's portfolio of id `id`; nullopt when there is none (or it is another tenant's).
  std::optional<PortfolioSummary> find_portfolio_by_id(const std::string& tenant, std::int64_t id);
  // Creates the portfolio if needed and replaces its positions (one transaction).
  PortfolioSummary save_portfolio(const std::string& tenant, const std::string& name,
                                  const std::vector<Position>& positions, const std::string& source);
  // Positions in file order. Throws Error(not_found) when the portfolio does not exist. With
  // `numbers`, also their numbers (the position ids, same order): a re-imported position keeps the
  // number of the stored one it replaces (same instrument and strategy, the same entry date first);
  // a number is never given to two positions of one portfolio.
  std::vector<Position> positions(const std::string& tenant, const std::string& name,
                                  std::vector<std::int64_t>* numbers = nullptr);
  // Returns false when there was no such portfolio.
  bool delete_portfolio(const std::string& tenant, const std::string& name);
  // Sets the portfolio's reporting currency (PortfolioSummary::base_currency; a three-letter code
  // the caller checked). Returns false when there is no such portfolio.
  bool set_portfolio_currency(const std::string& tenant, const std::string& name,
                              const std::string& currency);

  // Portfolio changes, seen by every process sharing the store. record_change keeps one (the
  // clock's time; those older than kChangeRetentionSeconds go in the same transaction) and returns
  // its id; changes_after returns those with a larger id, oldest first, at most `limit`;
  // last_change_id the largest id kept (0: none).
  static constexpr std::int64_t kChangeRetentionSeconds = 86400;
  std::int64_t record_change(const StoredPortfolioChange& change);
  std::vector<StoredPortfolioChange> changes_after(std::int64_t id, std::size_t limit);
  std::int64_t last_change_id();

  // Prices. Upserts every chunk that `next_chunk` hands out (it returns false when there are no
  // more) in ONE transaction, then calls `before_commit`, which may throw to roll the whole import
  // back (e.g. when the reader, running alongside, found a bad row). Stats count what was written.
  PriceImportStats upsert_price_chunks(const std::function<bool(PriceRows&)>& next_chunk,
                                       const std::function<void()>& before_commit);
  // The same for rows already in memory.
  PriceImportStats upsert_prices(const PriceRows& rows, const ProgressFn& progress = {});
  // Dates x symbols between from and to (inclusive, either open); dates where any requested
  // symbol has a price; NaN where a symbol has none. Unknown symbols give all-NaN columns.
  PriceHistory price_history(const std::vector<std::string>& symbols, std::optional<Date> from,
                             std::optional<Date> to, PriceField field);
  // Both fields in one read (half the rows of two price_history calls): `adjusted` is
  // price_history(kAdjustedClose), `close` price_history(kClose).
  PriceHistories price_histories(const std::vector<std::string>& symbols, std::optional<Date> from,
                                 std::optional<Date> to);
  // Latest price on or before `as_of` (any date when nullopt).
  std::optional<LatestPrice> latest_price(const std::string& symbol, std::optional<Date> as_of);
  // Latest date with any price, or nullopt for an empty store.
  std::optional<Date> last_price_date();

  // Security master: names and sectors (from a classification file: symbol, name, sector and
  // industry are written, the fetched fields kept).
  std::size_t upsert_symbol_info(const std::vector<SymbolInfo>& infos);
  // Every field of fetched records (keel fetch symbols), in one transaction; an empty text field
  // is stored as NULL.
  std::size_t upsert_security_master(const std::vector<SymbolInfo>& infos);
  std::optional<SymbolInfo> symbol_info(const std::string& symbol);
  // The records with a name, a sector or a fetch, by symbol.
  std::vector<SymbolInfo> list_symbol_info();

  // Factor returns (decimal units) under a set name, e.g. "ff5".
  std::size_t upsert_factors(const std::string& set_name, const FactorTable& table);
  FactorTable factors(const std::string& set_name, std::optional<Date> from, std::optional<Date> to);
  // Every factor set, by name.
  std::vector<FactorSetSummary> list_factor_sets();

  // Curves, keyed by (name, as_of).
  void save_curve(const CurveData& curve);
  std::optional<CurveData> curve(const std::string& name, std::optional<Date> as_of);
  std::vector<CurveSummary> list_curves();

  // Repositories of the other records; each is declared in the header of the same name
  // (users(): user_repository.h, results(): job_repository.h, ledger_snapshots():
  // ledger_snapshot_repository.h, secrets(): the key vault's rows, assistant(): its providers,
  // policies and transcripts), which the caller includes to use it.
  store::UserRepository& users() { return *users_; }
  store::AuditRepository& audit() { return *audit_; }
  store::JobRepository& jobs() { return *jobs_; }
  store::ResultCache& results() { return *results_; }
  store::LedgerRepository& ledger() { return *ledger_; }
  store::LedgerSnapshotRepository& ledger_snapshots() { return *ledger_snapshots_; }
  store::SnapshotRepository& snapshots() { return *snapshots_; }
  store::TagRepository& tags() { return *tags_; }
  store::AlmRepository& alm_sessions() { return *alm_sessions_; }
  store::ModellingRepository& modelling_sessions() { return *modelling_sessions_; }
  store::CloDealRepository& clo_deals() { return *clo_deals_; }
  store::MarketDataRepository& market_data() { return *market_data_; }
  store::FxRepository& fx() { return *fx_; }
  store::MacroRepository& macro() { return *macro_; }
  store::SecretRepository& secrets() { return *secrets_; }
  store::AssistantRepository& assistant() { return *assistant_; }
  store::WebhookRepository& webhooks() { return *webhooks_; }
  store::StorageRepository& storage() { return *storage_; }

  // Runs `fn` as one transaction over every method and repository of this store: when it returns,
  // all its writes are committed together; when it throws, none is kept and the exception goes on.
  // The write lock is taken at the start (SQLite: BEGIN IMMEDIATE), so a check made inside `fn`
  // against stored rows still holds at commit. A transaction() inside another (or a repository's
  // own transaction inside `fn`) joins the outer one. Returns what `fn` returns.
  template <class F>
  auto transaction(F&& fn);

  // The clock every timestamp of this store comes from; use cases that hold a store and need
  // "now" (a TTL, a report date) read it here, so a pinned clock pins them too.
  const Clock& clock() const { return *clock_; }

  // True when the backend answers a trivial query (readiness probes). Throws keel::Error when the
  // backend fails in a way worth reporting.
  bool ping();

 private:
  // Runs `fn` inside one transaction (see transaction()): the connection's store_transaction.
  void run_transaction(const std::function<void()>& fn);

  std::unique_ptr<store::SqlConnection> c_;
  const Clock* clock_;
  std::unique_ptr<store::UserRepository> users_;
  std::unique_ptr<store::AuditRepository> audit_;
  std::unique_ptr<store::JobRepository> jobs_;
  std::unique_ptr<store::ResultCache> results_;
  std::unique_ptr<store::LedgerRepository> ledger_;
  std::unique_ptr<store::LedgerSnapshotRepository> ledger_snapshots_;
  std::unique_ptr<store::SnapshotRepository> snapshots_;
  std::unique_ptr<store::TagRepository> tags_;
  std::unique_ptr<store::AlmRepository> alm_sessions_;
  std::unique_ptr<store::ModellingRepository> modelling_sessions_;
  std::unique_ptr<store::CloDealRepository> clo_deals_;
  std::unique_ptr<store::MarketDataRepository> market_data_;
  std::unique_ptr<store::FxRepository> fx_;
  std::unique_ptr<store::MacroRepository> macro_;
  std::unique_ptr<store::SecretRepository> secrets_;
  std::unique_ptr<store::AssistantRepository> assistant_;
  std::unique_ptr<store::WebhookRepository> webhooks_;
  std::unique_ptr<store::StorageRepository> storage_;
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
