// src/store/sql_repositories.h (private): the repositories written once over SqlConnection
// (sql.h); the SQLite store and the PostgreSQL store each construct them over their own
// connection (callers reach them through Store's accessors).
//
// Each holds the connection and the clock of the store that owns it; every timestamp it writes is
// formatted from that clock (never the server's 'now'), so a store opened with a FixedClock writes
// deterministic rows. Every tenant-scoped call runs under its tenant, so on PostgreSQL row-level
// security filters and checks what the SQL's own tenant conditions do too.
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns the
// repositories; the connection and the Clock outlive them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "keel/core/env.h"
#include "keel/store/alm_repository.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/audit_repository.h"
#include "keel/store/clo_repository.h"
#include "keel/store/fx_repository.h"
#include "keel/store/macro_repository.h"
#include "keel/store/job_repository.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "keel/store/market_data_repository.h"
#include "keel/store/modelling_repository.h"
#include "keel/store/secret_repository.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/tag_repository.h"
#include "keel/store/user_repository.h"
#include "sql.h"

namespace keel::store {

namespace detail {
struct TaggedPosition;  // tag_edits.h
}

// What every repository below holds: the owning store's connection and clock.
class SqlRepository {
 public:
  SqlRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

 protected:
  SqlConnection* c_;
  const Clock* clock_;
};

class SqlUserRepository final : public UserRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  UserRecord add(const std::string& username, const std::string& tenant, Role role,
                 const std::string& password_hash) override;
  std::optional<UserRecord> find(const std::string& username) override;
  std::optional<UserRecord> find_id(std::int64_t id) override;
  std::vector<UserRecord> list(const std::optional<std::string>& tenant) override;
  void set_disabled(const std::string& username, bool disabled) override;
  void set_password(const std::string& username, const std::string& password_hash) override;
  void set_role(const std::string& username, Role role) override;
  std::size_t count() override;
  void revoke_token(const std::string& tenant, std::int64_t user_id, const std::string& jti,
                    std::int64_t expires_at) override;
  std::vector<TokenRevocation> revocations_since(std::int64_t after, std::size_t limit) override;
  std::size_t prune_revocations(std::int64_t now_epoch) override;

 private:
  // Changes the user's row with `set_clause` (one `?` for `text`, when given), moves its
  // token_version and journals the change.
  void bump(const std::string& username, const char* set_clause, const std::string* text);
  void append_revocation(const std::string& tenant, std::int64_t user_id,
                         const std::optional<std::string>& jti, std::int64_t expires_at);
};

// ISO-8601 UTC with milliseconds ("2026-11-23T06:39:17.042Z"), the audit log's format.
std::string now_text_ms(const Clock& clock);

class SqlAuditRepository final : public AuditRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  std::int64_t append(const AuditEntry& entry) override;
  std::vector<AuditEntry> list(const AuditQuery& query) override;
};

class SqlJobRepository final : public JobRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  std::int64_t enqueue(const std::string& tenant, const std::string& username, const std::string& kind,
                       const std::string& request_json, int max_attempts, std::int64_t now_epoch) override;
  std::optional<JobRecord> find(std::int64_t id) override;
  std::optional<JobRecord> find(const std::string& tenant, std::int64_t id) override;
  std::vector<JobRecord> list(const std::string& tenant, std::optional<std::int64_t> before_id,
                              std::size_t limit, std::optional<JobStatus> status) override;
  std::optional<JobRecord> claim_next(const ClaimOptions& claim) override;
  bool heartbeat(const JobLease& lease, std::int64_t expires_ms) override;
  bool set_progress(const JobLease& lease, double progress, const std::string& message) override;
  bool succeed(const JobLease& lease, const std::string& result_json, const std::string& output) override;
  bool fail(const JobLease& lease, const std::string& error_json,
            std::optional<std::int64_t> retry_at) override;
  bool mark_cancelled(const JobLease& lease, const std::string& message) override;
  bool requeue(const JobLease& lease, const std::string& message) override;
  bool split(const JobLease& lease, const std::string& shard_kind, const std::vector<std::string>& requests,
             std::int64_t now_epoch) override;
  std::vector<ShardOutput> shard_outputs(std::int64_t parent) override;
  CancelOutcome request_cancel(const std::string& tenant, std::int64_t id) override;
  bool cancel_requested(std::int64_t id) override;
  std::map<std::string, std::size_t> count_by_status() override;

 private:
  // UPDATE jobs SET `set` (its `?` bound to `values`) under the fence of `lease`, under the job's
  // tenant (in a write transaction if `transaction`); true when it changed the row.
  template <class... V>
  bool fenced(const JobLease& lease, bool transaction, std::string_view set, const V&... values);
};

class SqlResultCache final : public ResultCache, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  void put(const std::string& tenant, std::int64_t portfolio_id, const std::string& kind,
           const std::string& json) override;
  std::optional<CachedResult> get(const std::string& tenant, std::int64_t portfolio_id,
                                  const std::string& kind) override;
};

// Market data is shared by every tenant (no row-level security on either backend); bars go
// through the connection's bulk price write (SqlConnection::upsert_prices).
class SqlMarketDataRepository final : public MarketDataRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  std::size_t save_fetch(const MarketDataWrite& write) override;
  void update_adjusted(const std::string& symbol, const std::vector<Date>& dates,
                       const std::vector<double>& adj_close) override;
  std::vector<CorporateAction> actions(const std::string& symbol, std::optional<Date> from,
                                       std::optional<Date> to) override;
  std::optional<Coverage> coverage(const std::string& dataset, const std::string& series) override;
  std::pair<std::vector<Date>, std::vector<double>> closes(const std::string& symbol) override;

 private:
  void set_adjusted(const std::string& symbol, const std::vector<Date>& dates,
                    const std::vector<double>& adj_close);
};

// FX rates are market data too, shared by every tenant (migration 78).
class SqlMacroRepository final : public MacroRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  MacroUpsertStats upsert(const MacroSeriesInfo& info, std::span<const MacroObservation> rows) override;
  std::vector<MacroSeriesInfo> list() override;
  std::optional<MacroSeriesInfo> find(const std::string& id) override;
  std::vector<MacroObservation> observations(const std::string& id, std::optional<Date> from,
                                             std::optional<Date> to) override;
};

class SqlFxRepository final : public FxRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  FxUpsertStats upsert(const FxRows& rows) override;
  FxRows rows(const std::vector<std::string>& currencies, std::optional<Date> from,
              std::optional<Date> to) override;
  std::vector<FxPairSummary> pairs() override;
};

class SqlSnapshotRepository final : public SnapshotRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  void save(const PortfolioSnapshot& snapshot) override;
  std::vector<PortfolioSnapshot> list(const std::string& tenant, const std::string& portfolio,
                                      std::optional<Date> from, std::optional<Date> to,
                                      bool with_report = false) override;
  std::optional<PortfolioSnapshot> find(const std::string& tenant, const std::string& portfolio,
                                        Date as_of) override;
  std::vector<PortfolioSnapshot> latest(const std::string& tenant) override;
  std::size_t remove(const std::string& tenant, const std::string& portfolio) override;
};

class SqlLedgerRepository final : public LedgerRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  LedgerAccount create_account(const std::string& tenant, const std::string& name, ledger::LotMethod method,
                               bool allow_short, const std::string& currency) override;
  LedgerAccount ensure_account(const std::string& tenant, const std::string& name) override;
  std::vector<LedgerAccount> list_accounts(const std::string& tenant) override;
  std::optional<LedgerAccount> find_account(const std::string& tenant, const std::string& name) override;
  LedgerAccount update_account(const std::string& tenant, const std::string& name,
                               const LedgerAccount& changed) override;
  std::size_t save_transactions(const std::string& tenant, const std::string& account,
                                std::span<const ledger::Transaction> txs, bool replace) override;
  std::vector<ledger::Transaction> transactions(const std::string& tenant,
                                                const std::string& account) override;
  std::vector<ledger::Transaction> all_transactions(const std::string& tenant) override;
  bool delete_account(const std::string& tenant, const std::string& name) override;
  std::vector<LedgerMappingRecord> list_mappings(const std::string& tenant) override;
  std::optional<LedgerMappingRecord> find_mapping(const std::string& tenant,
                                                  const std::string& name) override;
  bool save_mapping(const std::string& tenant, const std::string& name, const std::string& document,
                    const std::string& updated_by) override;
  bool delete_mapping(const std::string& tenant, const std::string& name) override;
};

class SqlLedgerSnapshotRepository final : public LedgerSnapshotRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  bool save(const LedgerSnapshot& snapshot) override;
  std::vector<LedgerSnapshot> list(const std::string& tenant, const std::string& account,
                                   std::optional<Date> from, std::optional<Date> to) override;
  bool remove(const std::string& tenant, const std::string& account, Date as_of) override;
};

class SqlTagRepository final : public TagRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  TagRecord create(const std::string& tenant, const std::string& name,
                   const std::string& description) override;
  std::vector<TagRecord> list(const std::string& tenant) override;
  std::optional<TagRecord> find(const std::string& tenant, const std::string& name) override;
  std::optional<std::size_t> remove(const std::string& tenant, const std::string& name) override;
  std::size_t attach(const std::string& tenant, const std::string& portfolio,
                     const std::vector<std::string>& symbols, const std::string& tag) override;
  std::size_t detach(const std::string& tenant, const std::string& portfolio,
                     const std::vector<std::string>& symbols, const std::string& tag) override;
  std::size_t set_strategy(const std::string& tenant, const std::string& portfolio,
                           const std::vector<std::string>& symbols, const std::string& strategy) override;

 private:
  // attach (add) or detach: the tag must be registered.
  std::size_t label(const std::string& tenant, const std::string& portfolio,
                    const std::vector<std::string>& symbols, const std::string& tag, bool add);
  std::vector<detail::TaggedPosition> tenant_rows(const std::string& tenant);
  std::vector<detail::TaggedPosition> rows_of(const std::string& tenant, const std::string& portfolio,
                                              const std::vector<std::string>& symbols);
  void write(const std::vector<detail::TaggedPosition>& rows);
};

class SqlAlmRepository final : public AlmRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  AlmSessionInfo create(const std::string& tenant, const std::string& name, const alm::BalanceSheet& book,
                        const std::map<std::string, CurveData>& curves,
                        const std::optional<alm::ShockTable>& shock_table, std::optional<Date> as_of,
                        const std::string& currency, const std::string& settings, std::int64_t ttl_seconds,
                        std::int64_t now_epoch) override;
  std::vector<AlmSessionInfo> list(const std::string& tenant) override;
  std::optional<AlmSessionInfo> find(const std::string& tenant, const std::string& name) override;
  AlmSessionData load(const std::string& tenant, const std::string& name, std::int64_t now_epoch) override;
  void save_result(std::int64_t session_id, const std::string& kind, const std::string& json_text,
                   std::int64_t now_epoch) override;
  std::optional<std::string> result(std::int64_t session_id, const std::string& kind) override;
  void touch(std::int64_t session_id, std::int64_t now_epoch) override;
  bool remove(const std::string& tenant, const std::string& name) override;
  void set_access(std::int64_t session_id, const std::string& owner, bool shared) override;
  AlmCleanupStats cleanup(std::int64_t now_epoch, std::int64_t disk_budget_bytes) override;

 private:
  std::optional<std::string> stored_result(std::int64_t session_id, const std::string& kind);
};

// Calls that name a session only by id (its trades) run, on PostgreSQL, under the session's own
// tenant, which the owner's keel_modelling_session_tenant() tells (migration 28).
class SqlModellingRepository final : public ModellingRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  ModellingSession create(const std::string& tenant, const std::string& owner, std::int64_t portfolio_id,
                          const std::string& name) override;
  std::vector<ModellingSession> list(const std::string& tenant) override;
  std::optional<ModellingSession> find(const std::string& tenant, std::int64_t id) override;
  std::vector<ModellingTrade> trades(std::int64_t session_id) override;
  std::vector<ModellingTrade> add_trades(std::int64_t session_id,
                                         const std::vector<ModellingTrade>& trades) override;
  bool remove_trade(std::int64_t session_id, std::int64_t number) override;
  bool remove(const std::string& tenant, std::int64_t id) override;

 private:
  // Runs fn() (in a write transaction if `write`) under the session's tenant where rows are
  // tenant-scoped; nullopt when no session has that id there.
  template <class F>
  auto under_session(std::int64_t session_id, bool write, F&& fn) -> std::optional<std::invoke_result_t<F&>>;
  void touch(std::int64_t session_id);
};

class SqlCloDealRepository final : public CloDealRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  CloDealRecord create(const std::string& tenant, const std::string& name, const std::string& currency,
                       const std::string& user, const CloDealVersionWrite& first) override;
  std::vector<CloDealRecord> list(const std::string& tenant) override;
  std::optional<CloDealRecord> find(const std::string& tenant, std::int64_t id) override;
  std::optional<CloDealRecord> find_name(const std::string& tenant, const std::string& name) override;
  std::vector<CloDealVersionRecord> versions(const std::string& tenant, std::int64_t id) override;
  std::optional<CloDealVersionRecord> version(const std::string& tenant, std::int64_t id,
                                              std::optional<std::int64_t> version) override;
  std::vector<CloCollateralRow> collateral(const std::string& tenant, std::int64_t id,
                                           std::int64_t collateral_set) override;
  CloDealVersionRecord add_version(const std::string& tenant, std::int64_t id, const std::string& currency,
                                   const std::string& user, const CloDealVersionWrite& next) override;
  bool remove(const std::string& tenant, std::int64_t id) override;
  CloMarksWriteStats put_marks(const std::string& tenant, std::int64_t id, CloMarkKind kind,
                               const std::vector<CloMarkRow>& rows, const std::string& user) override;
  std::vector<CloMarkRow> marks(const std::string& tenant, std::int64_t id, CloMarkKind kind) override;
};

class SqlAssistantRepository final : public AssistantRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  bool put_provider(const AssistantProviderRow& row) override;
  std::optional<AssistantProviderRow> find_provider(const std::string& tenant, const std::string& username,
                                                    const std::string& name) override;
  std::vector<AssistantProviderRow> list_providers(const std::string& tenant,
                                                   const std::string& username) override;
  bool remove_provider(const std::string& tenant, const std::string& username,
                       const std::string& name) override;
  std::optional<AssistantPolicyRow> policy(const std::string& tenant) override;
  void put_policy(const AssistantPolicyRow& row) override;
  ConversationRow create_conversation(const std::string& tenant, const std::string& username,
                                      const std::string& title) override;
  std::optional<ConversationRow> find_conversation(const std::string& tenant, const std::string& username,
                                                   std::int64_t id) override;
  std::vector<ConversationRow> list_conversations(const std::string& tenant, const std::string& username,
                                                  std::optional<std::int64_t> before_id,
                                                  std::size_t limit) override;
  void update_conversation(const ConversationRow& row) override;
  bool delete_conversation(const std::string& tenant, const std::string& username, std::int64_t id) override;
  void append_message(const std::string& tenant, MessageRow& row) override;
  void update_message(const std::string& tenant, const MessageRow& row) override;
  std::vector<MessageRow> messages(const std::string& tenant, std::int64_t conversation_id) override;
  void append_exchange(const std::string& tenant, ExchangeRow& row) override;
  std::vector<ExchangeRow> exchanges(const std::string& tenant, std::int64_t conversation_id) override;
};

class SqlSecretRepository final : public SecretRepository, SqlRepository {
 public:
  using SqlRepository::SqlRepository;
  bool put(const SecretRow& row) override;
  bool reseal(const SecretRow& row) override;
  std::optional<SecretRow> find(const std::string& tenant, const std::string& name) override;
  std::vector<SecretRow> list(const std::string& tenant) override;
  bool remove(const std::string& tenant, const std::string& name) override;
  std::vector<std::string> tenants() override;
  std::vector<std::string> master_key_ids() override;
};

}  // namespace keel::store
