#include "modelling_repository.h"

#include "keel/core/error.h"
#include "modelling_rows.h"

namespace keel::store::pg {

template <class F>
auto PgModellingRepository::under_session(std::int64_t session_id, F&& fn)
    -> std::optional<std::invoke_result_t<F&, Tx&>> {
  using R = std::optional<std::invoke_result_t<F&, Tx&>>;
  return s_->run(std::nullopt, [&](Tx& tx) -> R {
    const auto tenant =
        opt_text(tx.exec1("SELECT keel_modelling_session_tenant($1)", Params().add(session_id))[0]);
    if (!tenant) return std::nullopt;
    tx.set_tenant(*tenant);
    return fn(tx);
  });
}

ModellingSession PgModellingRepository::create(const std::string& tenant, const std::string& owner,
                                               std::int64_t portfolio_id, const std::string& name) {
  const std::int64_t id = s_->run(tenant, [&](Tx& tx) {
    const std::string now = clock_->iso8601();
    return integer(
        tx.exec1("INSERT INTO modelling_sessions (tenant, owner, portfolio_id, name, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                 Params().add(tenant).add(owner).add(portfolio_id).add(name).add(now))[0]);
  });
  return *find(tenant, id);
}

std::vector<ModellingSession> PgModellingRepository::list(const std::string& tenant) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<ModellingSession> out;
    for (const auto& r :
         tx.exec(std::string(detail::kModellingSessionSelect) + "WHERE s.tenant = $1 ORDER BY s.id",
                 Params().add(tenant))) {
      out.push_back(detail::read_modelling_session(RowView(r)));
    }
    return out;
  });
}

std::optional<ModellingSession> PgModellingRepository::find(const std::string& tenant, std::int64_t id) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<ModellingSession> {
    const auto r = tx.exec(std::string(detail::kModellingSessionSelect) + "WHERE s.tenant = $1 AND s.id = $2",
                           Params().add(tenant).add(id));
    if (r.empty()) return std::nullopt;
    return detail::read_modelling_session(RowView(r[0]));
  });
}

std::vector<ModellingTrade> PgModellingRepository::trades(std::int64_t session_id) {
  auto found = under_session(session_id, [&](Tx& tx) {
    std::vector<ModellingTrade> out;
    for (const auto& r : tx.exec(std::string("SELECT ") + detail::kModellingTradeColumns +
                                     " FROM modelling_trades WHERE session_id = $1 ORDER BY ordinal",
                                 Params().add(session_id))) {
      out.push_back(detail::read_modelling_trade(RowView(r)));
    }
    return out;
  });
  return found ? std::move(*found) : std::vector<ModellingTrade>{};
}

std::vector<ModellingTrade> PgModellingRepository::add_trades(std::int64_t session_id,
                                                              const std::vector<ModellingTrade>& trades) {
  auto added = under_session(session_id, [&](Tx& tx) {
    // FOR UPDATE on the session: concurrent additions take turns, so numbers are never reused.
    tx.exec("SELECT 1 FROM modelling_sessions WHERE id = $1 FOR UPDATE", Params().add(session_id));
    std::int64_t next =
        integer(tx.exec1("SELECT COALESCE(MAX(ordinal), 0) FROM modelling_trades WHERE session_id = $1",
                         Params().add(session_id))[0]) +
        1;
    std::string sql = std::string("INSERT INTO modelling_trades (session_id, ") +
                      detail::kModellingTradeColumns + ") VALUES ($1";
    for (int c = 0; c < detail::kModellingTradeColumnCount; ++c) sql += ", $" + std::to_string(c + 2);
    sql += ")";
    std::vector<ModellingTrade> out;
    for (const auto& t : trades) {
      Params p;
      p.add(session_id);
      detail::write_modelling_trade(p, next, t);
      tx.exec(sql, p);
      out.push_back(t);
      out.back().number = next++;
    }
    tx.exec("UPDATE modelling_sessions SET updated_at = $1 WHERE id = $2",
            Params().add(clock_->iso8601()).add(session_id));
    return out;
  });
  if (!added) throw Error::not_found("no what-if session with id " + std::to_string(session_id));
  return std::move(*added);
}

bool PgModellingRepository::remove_trade(std::int64_t session_id, std::int64_t number) {
  return under_session(session_id,
                       [&](Tx& tx) {
                         const bool found =
                             tx.exec("DELETE FROM modelling_trades WHERE session_id = $1 AND ordinal = $2",
                                     Params().add(session_id).add(number))
                                 .affected_rows() > 0;
                         if (found) {
                           tx.exec("UPDATE modelling_sessions SET updated_at = $1 WHERE id = $2",
                                   Params().add(clock_->iso8601()).add(session_id));
                         }
                         return found;
                       })
      .value_or(false);
}

bool PgModellingRepository::remove(const std::string& tenant, std::int64_t id) {
  return s_->run(tenant, [&](Tx& tx) {
    return tx.exec("DELETE FROM modelling_sessions WHERE tenant = $1 AND id = $2",
                   Params().add(tenant).add(id))
               .affected_rows() > 0;
  });
}

}  // namespace keel::store::pg
