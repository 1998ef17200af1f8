// src/store/pg/alm_repository.h: ALM sessions on PostgreSQL (keel/store/alm_repository.h), with
// the row layout and size estimate shared through src/store/alm_rows.h, so TTL expiry and the LRU
// disk budget count the same bytes as on SQLite.
//
// Calls that name a session by id (results, touch) run under its own tenant, which the owner's
// keel_alm_session_tenant() tells; cleanup crosses tenants (expiry and the budget are the
// server's, not a tenant's) and runs as the owner's keel_alm_cleanup() (migration 28).
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns it.
#pragma once

#include "keel/core/env.h"
#include "keel/store/alm_repository.h"
#include "session.h"

namespace keel::store::pg {

class PgAlmRepository final : public AlmRepository {
 public:
  PgAlmRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
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
  Session* s_;
  const Clock* clock_;
};

}  // namespace keel::store::pg
