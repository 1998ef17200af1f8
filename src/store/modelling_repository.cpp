// What-if modelling sessions (keel/store/modelling_repository.h) on both backends, with the row
// layout of modelling_rows.h.
#include "keel/store/modelling_repository.h"

#include <fmt/format.h>

#include "keel/core/error.h"
#include "modelling_rows.h"
#include "sql.h"

namespace keel::store {

namespace {

// Runs fn() (in a write transaction if `write`) under the session's tenant where rows are
// tenant-scoped; nullopt when no session has that id there.
template <class F>
auto under_session(SqlConnection& c, std::int64_t session_id, bool write, F&& fn)
    -> std::optional<std::invoke_result_t<F&>> {
  using R = std::optional<std::invoke_result_t<F&>>;
  const auto body = [&]() -> R {
    if (!enter_tenant_of(c, "keel_modelling_session_tenant", session_id)) return std::nullopt;
    return fn();
  };
  return write ? c.transaction(std::nullopt, body) : c.run(std::nullopt, body);
}

void touch(SqlConnection& c, const Clock& clock, std::int64_t session_id) {
  c.prepare("UPDATE modelling_sessions SET updated_at = ? WHERE id = ?")
      .bind_all(clock.iso8601(), session_id)
      .run();
}

}  // namespace

ModellingSession ModellingRepository::create(const std::string& tenant, const std::string& owner,
                                             std::int64_t portfolio_id, const std::string& name) {
  const std::int64_t id = c_->transaction(tenant, [&] {
    const std::string now = clock_->iso8601();
    return c_
        ->prepare(
            "INSERT INTO modelling_sessions (tenant, owner, portfolio_id, name, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
        .bind_all(tenant, owner, portfolio_id, name, now, now)
        .first_int();
  });
  return *find(tenant, id);
}

std::vector<ModellingSession> ModellingRepository::list(const std::string& tenant) {
  return c_->run(tenant, [&] {
    auto st = c_->prepare(std::string(detail::kModellingSessionSelect) + "WHERE s.tenant = ? ORDER BY s.id");
    st.bind(1, tenant);
    return st.rows(detail::read_modelling_session);
  });
}

std::optional<ModellingSession> ModellingRepository::find(const std::string& tenant, std::int64_t id) {
  return c_->run(tenant, [&]() -> std::optional<ModellingSession> {
    return c_->prepare(std::string(detail::kModellingSessionSelect) + "WHERE s.tenant = ? AND s.id = ?")
        .bind_all(tenant, id)
        .first(detail::read_modelling_session);
  });
}

std::vector<ModellingTrade> ModellingRepository::trades(std::int64_t session_id) {
  auto found = under_session(*c_, session_id, false, [&] {
    auto st = c_->prepare(std::string("SELECT ") + detail::kModellingTradeColumns +
                          " FROM modelling_trades WHERE session_id = ? ORDER BY ordinal");
    st.bind(1, session_id);
    return st.rows(detail::read_modelling_trade);
  });
  return found ? std::move(*found) : std::vector<ModellingTrade>{};
}

std::vector<ModellingTrade> ModellingRepository::add_trades(std::int64_t session_id,
                                                            const std::vector<ModellingTrade>& trades) {
  auto added = under_session(*c_, session_id, true, [&] {
    // FOR UPDATE on the session where there are row locks: concurrent additions take turns, so
    // numbers are never reused (SQLite's write transaction already excludes other writers).
    if (c_->dialect().row_locks) {
      c_->prepare("SELECT 1 FROM modelling_sessions WHERE id = ? FOR UPDATE").bind(1, session_id).run();
    }
    std::int64_t next = max_ordinal(*c_, "modelling_trades", "session_id", session_id) + 1;
    auto ins = c_->prepare(std::string("INSERT INTO modelling_trades (session_id, ") +
                           detail::kModellingTradeColumns + ") VALUES (" +
                           placeholders(detail::kModellingTradeColumnCount + 1) + ")");
    std::vector<ModellingTrade> out;
    for (const auto& t : trades) {
      SqlBinder b(ins);
      b.add(session_id);
      detail::write_modelling_trade(b, next, t);
      ins.run();
      ins.reset();
      out.push_back(t);
      out.back().number = next++;
    }
    touch(*c_, *clock_, session_id);
    return out;
  });
  if (!added) throw Error::not_found(fmt::format("no what-if session with id {}", session_id));
  return std::move(*added);
}

bool ModellingRepository::remove_trade(std::int64_t session_id, std::int64_t number) {
  return under_session(*c_, session_id, true,
                       [&] {
                         const bool found =
                             c_->prepare("DELETE FROM modelling_trades WHERE session_id = ? AND ordinal = ?")
                                 .bind_all(session_id, number)
                                 .run() > 0;
                         if (found) touch(*c_, *clock_, session_id);
                         return found;
                       })
      .value_or(false);
}

bool ModellingRepository::remove(const std::string& tenant, std::int64_t id) {
  return c_->transaction(tenant, [&] {
    return c_->prepare("DELETE FROM modelling_sessions WHERE tenant = ? AND id = ?")
               .bind_all(tenant, id)
               .run() > 0;
  });
}

}  // namespace keel::store
