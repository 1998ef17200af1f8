// src/store/pg/ledger_repository.h: the personal ledger on PostgreSQL — accounts, transactions
// (keel/store/ledger_repository.h) and net-worth snapshots (ledger_snapshot_repository.h).
//
// Decimals are stored as their exact text, as on SQLite, with the row layout shared through
// src/store/ledger_rows.h. Transactions are bulk-loaded with COPY into a temporary table and moved
// into ledger_transactions by one INSERT ... SELECT in the same transaction (PostgreSQL refuses COPY
// FROM into a table under row-level security; the INSERT is checked by its policy). Every call runs
// under its tenant.
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns them.
#pragma once

#include "keel/core/env.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "session.h"

namespace keel::store::pg {

class PgLedgerRepository final : public LedgerRepository {
 public:
  PgLedgerRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
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
  Session* s_;
  const Clock* clock_;
};

class PgLedgerSnapshotRepository final : public LedgerSnapshotRepository {
 public:
  PgLedgerSnapshotRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
  bool save(const LedgerSnapshot& snapshot) override;
  std::vector<LedgerSnapshot> list(const std::string& tenant, const std::string& account,
                                   std::optional<Date> from, std::optional<Date> to) override;
  bool remove(const std::string& tenant, const std::string& account, Date as_of) override;

 private:
  Session* s_;
  const Clock* clock_;
};

}  // namespace keel::store::pg
