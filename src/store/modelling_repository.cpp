// What-if modelling sessions (keel/store/modelling_repository.h) on both backends, with the row
// layout of modelling_rows.h.
#include <fmt/format.h>

#include "keel/core/error.h"
#include "modelling_rows.h"
#include "sql_repositories.h"

namespace keel::store {

template <class F>
auto SqlModellingRepository::under_session(std::int64_t session_id, bool write, F&& fn)
    -> std::optional<std::invoke_result_t<F&>> {
  using R = std::optional<std::invoke_result_t<F&>>;
  const auto body = [&]() -> R {
    if (!enter_tenant_of(*c_, "keel_modelling_session_tenant", session_id)) return std::nullopt;
    return fn();
  };
  return write ? c_->transaction(std::nullopt, body) : c_->run(std::nullopt, body);
}

void SqlModellingRepository::touch(std::int64_t session_id) {
  c_->prepare("UPDATE modelling_sessions SET updated_at = ? WHERE id = ?")
      .bind_all(clock_->iso8601(), session_id)
      .run();
}

ModellingSession SqlModellingRepository::create(const std::string& tenant, const std::string& owner,
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

std::vector<ModellingSession> SqlModellingRepository::list(const std::string& tenant) {
  return c_->run(tenant, [&] {
    auto st = c_->prepare(std::string(detail::kModellingSessionSelect) + "WHERE s.tenant = ? ORDER BY s.id");
    st.bind(1, tenant);
    return st.rows(detail::read_modelling_session);
  });
}

std::optional<ModellingSession> SqlModellingRepository::find(const std::string& tenant, std::int64_t id) {
  return c_->run(tenant, [&]() -> std::optional<ModellingSession> {
    return c_->prepare(std::string(detail::kModellingSessionSelect) + "WHERE s.tenant = ? AND s.id = ?")
        .bind_all(tenant, id)
        .first(detail::read_modelling_session);
  });
}

std::vector<ModellingTrade> SqlModellingRepository::trades(std::int64_t session_id) {
  auto found = under_session(session_id, false, [&] {
    auto st = c_->prepare(std::string("SELECT ") + detail::kModellingTradeColumns +
                          " FROM modelling_trades WHERE session_id = ? ORDER BY ordinal");
    st.bind(1, session_id);
    return st.rows(detail::read_modelling_trade);
  });
  return found ? std::move(*found) : std::vector<ModellingTrade>{};
}

std::vector<ModellingTrade> SqlModellingRepository::add_trades(std::int64_t session_id,
                                                               const std::vector<ModellingTrade>& trades) {
  auto added = under_session(session_id, true, [&] {
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
    touch(session_id);
    return out;
  });
  if (!added) throw Error::not_found(fmt::format("no what-if session with id {}", session_id));
  return std::move(*added);
}

bool SqlModellingRepository::remove_trade(std::int64_t session_id, std::int64_t number) {
  return under_session(session_id, true,
                       [&] {
                         const bool found =
                             c_->prepare("DELETE FROM modelling_trades WHERE session_id = ? AND ordinal = ?")
                                 .bind_all(session_id, number)
                                 .run() > 0;
                         if (found) touch(session_id);
                         return found;
                       })
      .value_or(false);
}

bool SqlModellingRepository::remove(const std::string& tenant, std::int64_t id) {
  return c_->transaction(tenant, [&] {
    return c_->prepare("DELETE FROM modelling_sessions WHERE tenant = ? AND id = ?")
               .bind_all(tenant, id)
               .run() > 0;
  });
}

}  // namespace keel::store
