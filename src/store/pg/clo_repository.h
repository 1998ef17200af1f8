// src/store/pg/clo_repository.h: stored CLO deals, their versions and collateral sets on
// PostgreSQL (keel/store/clo_repository.h), with the row layout shared through src/store/clo_rows.h.
// Every call names its tenant, so each runs under it and row-level security (migration 50) checks
// what the SQL's own WHERE clauses do too.
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns it.
#pragma once

#include "keel/core/env.h"
#include "keel/store/clo_repository.h"
#include "session.h"

namespace keel::store::pg {

class PgCloDealRepository final : public CloDealRepository {
 public:
  PgCloDealRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
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
  Session* s_;
  const Clock* clock_;
};

}  // namespace keel::store::pg
