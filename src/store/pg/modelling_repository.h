// src/store/pg/modelling_repository.h: what-if modelling sessions and their trades on PostgreSQL
// (keel/store/modelling_repository.h), with the row layout shared through
// src/store/modelling_rows.h. Calls that name a session only by id (its trades) run under the
// session's own tenant, which the owner's keel_modelling_session_tenant() tells (migration 28).
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns it.
#pragma once

#include "keel/core/env.h"
#include "keel/store/modelling_repository.h"
#include "session.h"

namespace keel::store::pg {

class PgModellingRepository final : public ModellingRepository {
 public:
  PgModellingRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
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
  // Runs fn(tx) under the session's tenant; nullopt when no session has that id.
  template <class F>
  auto under_session(std::int64_t session_id, F&& fn) -> std::optional<std::invoke_result_t<F&, Tx&>>;
  Session* s_;
  const Clock* clock_;
};

}  // namespace keel::store::pg
