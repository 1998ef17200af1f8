// src/store/sql_store.h (private): keel::Store written once over SqlConnection (sql.h) —
// portfolios and positions, prices, the security master, factors, curves, and every repository. The SQLite
// store (sqlite_store.cpp) and the PostgreSQL store (pg/pg_store.cpp) construct it over their own connection
// and add what differs between them: how Store::transaction takes its write lock.
//
// Transactions: a write of several statements is SqlConnection::transaction, a read
// SqlConnection::run (its statements as they come: on PostgreSQL each in one round trip with the
// tenant).
//
// Thread-safety: one thread at a time, like every Store. Ownership: the connection and the Clock
// outlive it.
#pragma once

#include <span>

#include "keel/store/alm_repository.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/audit_repository.h"
#include "keel/store/clo_repository.h"
#include "keel/store/fx_repository.h"
#include "keel/store/job_repository.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "keel/store/macro_repository.h"
#include "keel/store/market_data_repository.h"
#include "keel/store/modelling_repository.h"
#include "keel/store/secret_repository.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"
#include "keel/store/tag_repository.h"
#include "keel/store/user_repository.h"
#include "sql.h"

namespace keel::store {

class SqlStore : public Store {
 public:
  SqlStore(SqlConnection& c, const Clock& clock);

  std::vector<PortfolioSummary> list_portfolios(const std::string& tenant) override;
  std::optional<PortfolioSummary> find_portfolio(const std::string& tenant, const std::string& name) override;
  PortfolioSummary save_portfolio(const std::string& tenant, const std::string& name,
                                  const std::vector<Position>& positions, const std::string& source) override;
  std::vector<Position> positions(const std::string& tenant, const std::string& name) override;
  bool delete_portfolio(const std::string& tenant, const std::string& name) override;
  std::int64_t record_change(const StoredPortfolioChange& change) override;
  std::vector<StoredPortfolioChange> changes_after(std::int64_t id, std::size_t limit) override;
  std::int64_t last_change_id() override;
  bool set_portfolio_currency(const std::string& tenant, const std::string& name,
                              const std::string& currency) override;

  PriceImportStats upsert_price_chunks(const std::function<bool(PriceRows&)>& next_chunk,
                                       const std::function<void()>& before_commit) override;
  PriceHistory price_history(const std::vector<std::string>& symbols, std::optional<Date> from,
                             std::optional<Date> to, PriceField field) override;
  PriceHistories price_histories(const std::vector<std::string>& symbols, std::optional<Date> from,
                                 std::optional<Date> to) override;
  std::optional<LatestPrice> latest_price(const std::string& symbol, std::optional<Date> as_of) override;
  std::optional<Date> last_price_date() override;

  std::size_t upsert_symbol_info(const std::vector<SymbolInfo>& infos) override;
  std::size_t upsert_security_master(const std::vector<SymbolInfo>& infos) override;
  std::optional<SymbolInfo> symbol_info(const std::string& symbol) override;
  std::vector<SymbolInfo> list_symbol_info() override;

  std::size_t upsert_factors(const std::string& set_name, const FactorTable& table) override;
  FactorTable factors(const std::string& set_name, std::optional<Date> from, std::optional<Date> to) override;

  void save_curve(const CurveData& curve) override;
  std::optional<CurveData> curve(const std::string& name, std::optional<Date> as_of) override;
  std::vector<CurveSummary> list_curves() override;

  UserRepository& users() override { return users_; }
  AuditRepository& audit() override { return audit_; }
  JobRepository& jobs() override { return jobs_; }
  ResultCache& results() override { return results_; }
  LedgerRepository& ledger() override { return ledger_; }
  LedgerSnapshotRepository& ledger_snapshots() override { return ledger_snapshots_; }
  SnapshotRepository& snapshots() override { return snapshots_; }
  TagRepository& tags() override { return tags_; }
  AlmRepository& alm_sessions() override { return alm_sessions_; }
  ModellingRepository& modelling_sessions() override { return modelling_sessions_; }
  CloDealRepository& clo_deals() override { return clo_deals_; }
  MarketDataRepository& market_data() override { return market_data_; }
  FxRepository& fx() override { return fx_; }
  MacroRepository& macro() override { return macro_; }
  SecretRepository& secrets() override { return secrets_; }
  AssistantRepository& assistant() override { return assistant_; }

  const Clock& clock() const override { return *clock_; }
  bool ping() override;

 private:
  // The histories of `fields`, in their order, from one query per symbol.
  std::vector<PriceHistory> read_price_columns(const std::vector<std::string>& symbols, std::optional<Date> from,
                                               std::optional<Date> to, std::span<const PriceField> fields);
  // Instrument terms come from the position; an existing row keeps its name and sector.
  std::int64_t ensure_instrument(const Position& p);
  // Factor names in file order (kept in factor_sets), not alphabetical.
  std::vector<std::string> factor_order(const std::string& set_name);

  SqlConnection* c_;
  const Clock* clock_;
  UserRepository users_;
  AuditRepository audit_;
  JobRepository jobs_;
  ResultCache results_;
  LedgerRepository ledger_;
  LedgerSnapshotRepository ledger_snapshots_;
  SnapshotRepository snapshots_;
  TagRepository tags_;
  AlmRepository alm_sessions_;
  ModellingRepository modelling_sessions_;
  CloDealRepository clo_deals_;
  MarketDataRepository market_data_;
  FxRepository fx_;
  MacroRepository macro_;
  SecretRepository secrets_;
  AssistantRepository assistant_;
};

}  // namespace keel::store
