// What-if modelling sessions (keel/store/modelling_repository.h).
#include "keel/store/database.h"
#include "modelling_rows.h"
#include "sqlite_repositories.h"

namespace keel::store {
namespace {

void touch(Database& db, const Clock& clock, std::int64_t session_id) {
  db.prepare("UPDATE modelling_sessions SET updated_at = ? WHERE id = ?").bind(1, now_text(clock)).bind(2, session_id).run();
}

}  // namespace

ModellingSession SqliteModellingRepository::create(const std::string& tenant, const std::string& owner,
                                                   std::int64_t portfolio_id, const std::string& name) {
  const std::int64_t id = db_->transaction([&] {
    const std::string now = now_text(*clock_);
    db_->prepare(
           "INSERT INTO modelling_sessions (tenant, owner, portfolio_id, name, created_at, updated_at) "
           "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, tenant)
        .bind(2, owner)
        .bind(3, portfolio_id)
        .bind(4, name)
        .bind(5, now)
        .bind(6, now)
        .run();
    return db_->last_insert_id();
  });
  return *find(tenant, id);
}

std::vector<ModellingSession> SqliteModellingRepository::list(const std::string& tenant) {
  auto st = db_->prepare(std::string(detail::kModellingSessionSelect) + "WHERE s.tenant = ? ORDER BY s.id");
  st.bind(1, tenant);
  std::vector<ModellingSession> out;
  while (st.step()) out.push_back(detail::read_modelling_session(st));
  return out;
}

std::optional<ModellingSession> SqliteModellingRepository::find(const std::string& tenant, std::int64_t id) {
  auto st = db_->prepare(std::string(detail::kModellingSessionSelect) + "WHERE s.tenant = ? AND s.id = ?");
  st.bind(1, tenant).bind(2, id);
  if (!st.step()) return std::nullopt;
  return detail::read_modelling_session(st);
}

std::vector<ModellingTrade> SqliteModellingRepository::trades(std::int64_t session_id) {
  auto st = db_->prepare(std::string("SELECT ") + detail::kModellingTradeColumns +
                         " FROM modelling_trades WHERE session_id = ? ORDER BY ordinal");
  st.bind(1, session_id);
  std::vector<ModellingTrade> out;
  while (st.step()) out.push_back(detail::read_modelling_trade(st));
  return out;
}

std::vector<ModellingTrade> SqliteModellingRepository::add_trades(std::int64_t session_id,
                                                                  const std::vector<ModellingTrade>& trades) {
  return db_->transaction([&] {
    auto last = db_->prepare("SELECT COALESCE(MAX(ordinal), 0) FROM modelling_trades WHERE session_id = ?");
    last.bind(1, session_id);
    last.step();
    std::int64_t next = last.get_int(0) + 1;
    auto ins = db_->prepare(std::string("INSERT INTO modelling_trades (session_id, ") +
                            detail::kModellingTradeColumns +
                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    std::vector<ModellingTrade> out;
    for (const auto& t : trades) {
      Binder b(ins);
      b.add(session_id);
      detail::write_modelling_trade(b, next, t);
      ins.run();
      ins.reset();
      out.push_back(t);
      out.back().number = next++;
    }
    touch(*db_, *clock_, session_id);
    return out;
  });
}

bool SqliteModellingRepository::remove_trade(std::int64_t session_id, std::int64_t number) {
  return db_->transaction([&] {
    auto st = db_->prepare("DELETE FROM modelling_trades WHERE session_id = ? AND ordinal = ? RETURNING ordinal");
    st.bind(1, session_id).bind(2, number);
    bool found = false;
    while (st.step()) found = true;
    if (found) touch(*db_, *clock_, session_id);
    return found;
  });
}

bool SqliteModellingRepository::remove(const std::string& tenant, std::int64_t id) {
  return db_->transaction([&] {
    auto st = db_->prepare("DELETE FROM modelling_sessions WHERE tenant = ? AND id = ? RETURNING id");
    st.bind(1, tenant).bind(2, id);
    bool found = false;
    while (st.step()) found = true;
    return found;
  });
}

}  // namespace keel::store
