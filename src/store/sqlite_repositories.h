// src/store/sqlite_repositories.h: the SQLite implementations of the store's repository
// interfaces (private to src/store; callers reach them through Store's accessors).
//
// Each repository holds the connection and the clock of the SqliteStore that owns it; every
// timestamp it writes (created_at, updated_at, computed_at, the audit log's `at`) is formatted
// from that clock, never from SQLite's 'now', so a store opened with a FixedClock writes
// deterministic rows.
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns the
// repositories, the Database and the Clock reference outlive them.
#pragma once

#include <cstdint>
#include <string>

#include "keel/core/env.h"
#include "keel/store/alm_repository.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/audit_repository.h"
#include "keel/store/clo_repository.h"
#include "keel/store/database.h"
#include "keel/store/job_repository.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "keel/store/market_data_repository.h"
#include "keel/store/modelling_repository.h"
#include "keel/store/secret_repository.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/tag_repository.h"
#include "keel/store/user_repository.h"

namespace keel::store {

namespace detail {
struct TaggedPosition;  // tag_edits.h
}

// The clock's time as ISO-8601 UTC with seconds ("2026-11-23T06:39:17Z"), the text SQLite's
// strftime('%Y-%m-%dT%H:%M:%SZ', 'now') wrote before.
inline std::string now_text(const Clock& clock) {
  return clock.iso8601();
}
// Binds a statement's parameters in order from `first`, with the add()/add_null() calls of the
// PostgreSQL backend's parameter list, so one encoder of a row's values serves both backends.
class Binder {
 public:
  explicit Binder(Statement& st, int first = 1) : st_(&st), next_(first) {}
  template <class T>
  Binder& add(const T& value) {
    st_->bind(next_++, value);
    return *this;
  }
  Binder& add_null() {
    st_->bind_null(next_++);
    return *this;
  }

 private:
  Statement* st_;
  int next_;
};

// The same with milliseconds ("2026-11-23T06:39:17.042Z"), the audit log's format.
std::string now_text_ms(const Clock& clock);

class SqliteUserRepository final : public UserRepository {
 public:
  SqliteUserRepository(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
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
  void bump(const std::string& username, const char* set_clause, const std::string* text);
  void append_revocation(const std::string& tenant, std::int64_t user_id, const std::optional<std::string>& jti,
                         std::int64_t expires_at);
  Database* db_;
  const Clock* clock_;
};

class SqliteAuditRepository final : public AuditRepository {
 public:
  SqliteAuditRepository(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
  std::int64_t append(const AuditEntry& entry) override;
  std::vector<AuditEntry> list(const AuditQuery& query) override;

 private:
  Database* db_;
  const Clock* clock_;
};

class SqliteJobRepository final : public JobRepository {
 public:
  SqliteJobRepository(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
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
  bool fail(const JobLease& lease, const std::string& error_json, std::optional<std::int64_t> retry_at) override;
  bool mark_cancelled(const JobLease& lease, const std::string& message) override;
  bool requeue(const JobLease& lease, const std::string& message) override;
  bool split(const JobLease& lease, const std::string& shard_kind, const std::vector<std::string>& requests,
             std::int64_t now_epoch) override;
  std::vector<ShardOutput> shard_outputs(std::int64_t parent) override;
  CancelOutcome request_cancel(const std::string& tenant, std::int64_t id) override;
  bool cancel_requested(std::int64_t id) override;
  std::map<std::string, std::size_t> count_by_status() override;

 private:
  int changes();  // rows changed by the last statement
  Database* db_;
  const Clock* clock_;
};

class SqliteResultCache final : public ResultCache {
 public:
  SqliteResultCache(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
  void put(const std::string& tenant, std::int64_t portfolio_id, const std::string& kind,
           const std::string& json) override;
  std::optional<CachedResult> get(const std::string& tenant, std::int64_t portfolio_id,
                                  const std::string& kind) override;

 private:
  Database* db_;
  const Clock* clock_;
};

class SqliteLedgerRepository final : public LedgerRepository {
 public:
  SqliteLedgerRepository(Database& db, const Clock& clock) : db_(db), clock_(&clock) {}
  LedgerAccount create_account(const std::string& tenant, const std::string& name, ledger::LotMethod method,
                               bool allow_short, const std::string& currency) override;
  LedgerAccount ensure_account(const std::string& tenant, const std::string& name) override;
  std::vector<LedgerAccount> list_accounts(const std::string& tenant) override;
  std::optional<LedgerAccount> find_account(const std::string& tenant, const std::string& name) override;
  void update_account(const std::string& tenant, const std::string& name, ledger::LotMethod method,
                      bool allow_short) override;
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

 private:
  Database& db_;
  const Clock* clock_;
};

class SqliteLedgerSnapshotRepository final : public LedgerSnapshotRepository {
 public:
  SqliteLedgerSnapshotRepository(Database& db, const Clock& clock) : db_(db), clock_(&clock) {}
  bool save(const LedgerSnapshot& snapshot) override;
  std::vector<LedgerSnapshot> list(const std::string& tenant, const std::string& account,
                                   std::optional<Date> from, std::optional<Date> to) override;
  bool remove(const std::string& tenant, const std::string& account, Date as_of) override;

 private:
  Database& db_;
  const Clock* clock_;
};

class SqliteMarketDataRepository final : public MarketDataRepository {
 public:
  SqliteMarketDataRepository(Database& db, const Clock& clock) : db_(db), clock_(&clock) {}
  std::size_t save_fetch(const MarketDataWrite& write) override;
  void update_adjusted(const std::string& symbol, const std::vector<Date>& dates,
                       const std::vector<double>& adj_close) override;
  std::vector<CorporateAction> actions(const std::string& symbol, std::optional<Date> from,
                                       std::optional<Date> to) override;
  std::optional<Coverage> coverage(const std::string& dataset, const std::string& series) override;
  std::pair<std::vector<Date>, std::vector<double>> closes(const std::string& symbol) override;

 private:
  Database& db_;
  const Clock* clock_;
};

class SqliteAlmRepository final : public AlmRepository {
 public:
  SqliteAlmRepository(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
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
  AlmCleanupStats cleanup(std::int64_t now_epoch, std::int64_t disk_budget_bytes) override;

 private:
  AlmSessionInfo read_info(std::int64_t id);
  Database* db_;
  const Clock* clock_;
};

class SqliteModellingRepository final : public ModellingRepository {
 public:
  SqliteModellingRepository(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
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
  Database* db_;
  const Clock* clock_;
};

class SqliteCloDealRepository final : public CloDealRepository {
 public:
  SqliteCloDealRepository(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
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

 private:
  Database* db_;
  const Clock* clock_;
};

class SqliteSnapshotRepository final : public SnapshotRepository {
 public:
  SqliteSnapshotRepository(Database& db, const Clock& clock) : db_(&db), clock_(&clock) {}
  void save(const PortfolioSnapshot& snapshot) override;
  std::vector<PortfolioSnapshot> list(const std::string& tenant, const std::string& portfolio,
                                      std::optional<Date> from, std::optional<Date> to,
                                      bool with_report = false) override;
  std::optional<PortfolioSnapshot> find(const std::string& tenant, const std::string& portfolio,
                                        Date as_of) override;
  std::vector<PortfolioSnapshot> latest(const std::string& tenant) override;
  std::size_t remove(const std::string& tenant, const std::string& portfolio) override;

 private:
  Database* db_;
  const Clock* clock_;
};

class SqliteAssistantRepository final : public AssistantRepository {
 public:
  SqliteAssistantRepository(Database& db, const Clock& clock) : db_(db), clock_(&clock) {}
  bool put_provider(const AssistantProviderRow& row) override;
  std::optional<AssistantProviderRow> find_provider(const std::string& tenant, const std::string& username,
                                                    const std::string& name) override;
  std::vector<AssistantProviderRow> list_providers(const std::string& tenant, const std::string& username) override;
  bool remove_provider(const std::string& tenant, const std::string& username, const std::string& name) override;
  std::optional<AssistantPolicyRow> policy(const std::string& tenant) override;
  void put_policy(const AssistantPolicyRow& row) override;
  ConversationRow create_conversation(const std::string& tenant, const std::string& username,
                                      const std::string& title) override;
  std::optional<ConversationRow> find_conversation(const std::string& tenant, const std::string& username,
                                                   std::int64_t id) override;
  std::vector<ConversationRow> list_conversations(const std::string& tenant, const std::string& username,
                                                  std::optional<std::int64_t> before_id, std::size_t limit) override;
  void update_conversation(const ConversationRow& row) override;
  bool delete_conversation(const std::string& tenant, const std::string& username, std::int64_t id) override;
  void append_message(const std::string& tenant, MessageRow& row) override;
  void update_message(const std::string& tenant, const MessageRow& row) override;
  std::vector<MessageRow> messages(const std::string& tenant, std::int64_t conversation_id) override;
  void append_exchange(const std::string& tenant, ExchangeRow& row) override;
  std::vector<ExchangeRow> exchanges(const std::string& tenant, std::int64_t conversation_id) override;

 private:
  Database& db_;
  const Clock* clock_;
};

class SqliteSecretRepository final : public SecretRepository {
 public:
  SqliteSecretRepository(Database& db, const Clock& clock) : db_(db), clock_(&clock) {}
  bool put(const SecretRow& row) override;
  bool reseal(const SecretRow& row) override;
  std::optional<SecretRow> find(const std::string& tenant, const std::string& name) override;
  std::vector<SecretRow> list(const std::string& tenant) override;
  bool remove(const std::string& tenant, const std::string& name) override;
  std::vector<std::string> tenants() override;
  std::vector<std::string> master_key_ids() override;

 private:
  Database& db_;
  const Clock* clock_;
};

class SqliteTagRepository final : public TagRepository {
 public:
  SqliteTagRepository(Database& db, const Clock& clock) : db_(db), clock_(&clock) {}
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
  std::vector<detail::TaggedPosition> rows_of(const std::string& tenant, const std::string& portfolio,
                                              const std::vector<std::string>& symbols);
  std::vector<detail::TaggedPosition> tenant_rows(const std::string& tenant);
  void write(const std::vector<detail::TaggedPosition>& rows);
  Database& db_;
  const Clock* clock_;
};

}  // namespace keel::store
