// What-if modelling sessions (keel/store/modelling_repository.h).
#include "sqlite_repositories.h"

#include "keel/store/database.h"
#include "tags_text.h"

namespace keel::store {
namespace {

constexpr const char* kSessionColumns =
    "SELECT s.id, s.tenant, s.owner, s.portfolio_id, p.name, s.name, s.created_at, s.updated_at, "
    "(SELECT COUNT(*) FROM modelling_trades t WHERE t.session_id = s.id) "
    "FROM modelling_sessions s JOIN portfolios p ON p.id = s.portfolio_id ";

ModellingSession read_session(const Statement& st) {
  ModellingSession s;
  s.id = st.get_int(0);
  s.tenant = st.get_text(1);
  s.owner = st.get_text(2);
  s.portfolio_id = st.get_int(3);
  s.portfolio = st.get_text(4);
  s.name = st.get_text(5);
  s.created_at = st.get_text(6);
  s.updated_at = st.get_text(7);
  s.trades = static_cast<std::size_t>(st.get_int(8));
  return s;
}


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
  auto st = db_->prepare(std::string(kSessionColumns) + "WHERE s.tenant = ? ORDER BY s.id");
  st.bind(1, tenant);
  std::vector<ModellingSession> out;
  while (st.step()) out.push_back(read_session(st));
  return out;
}

std::optional<ModellingSession> SqliteModellingRepository::find(const std::string& tenant, std::int64_t id) {
  auto st = db_->prepare(std::string(kSessionColumns) + "WHERE s.tenant = ? AND s.id = ?");
  st.bind(1, tenant).bind(2, id);
  if (!st.step()) return std::nullopt;
  return read_session(st);
}

std::vector<ModellingTrade> SqliteModellingRepository::trades(std::int64_t session_id) {
  auto st = db_->prepare(
      "SELECT ordinal, symbol, quantity, price, type, underlying, strike, expiry, option_type, exercise, "
      "multiplier, implied_vol, sector, tags, strategy, currency, origin, dividend_yield FROM modelling_trades "
      "WHERE session_id = ? ORDER BY ordinal");
  st.bind(1, session_id);
  std::vector<ModellingTrade> out;
  while (st.step()) {
    ModellingTrade t;
    t.number = st.get_int(0);
    Position& p = t.position;
    p.symbol = st.get_text(1);
    p.quantity = st.get_double(2);
    t.price = st.get_optional_double(3);
    p.type = parse_instrument_type(st.get_text(4)).value_or(InstrumentType::kOther);
    p.underlying = st.get_text(5);
    p.strike = st.get_optional_double(6);
    if (auto e = st.get_optional_text(7)) p.expiry = Date::parse(*e);
    if (auto r = st.get_optional_text(8)) p.option_type = parse_option_right(*r);
    p.exercise = parse_exercise_style(st.get_text(9)).value_or(ExerciseStyle::kEuropean);
    p.multiplier = st.get_double(10);
    p.implied_vol = st.get_optional_double(11);
    p.sector = st.get_text(12);
    p.tags = detail::split_tags(st.get_text(13));
    p.strategy = st.get_text(14);
    p.currency = st.get_text(15);
    t.origin = st.get_text(16);
    p.dividend_yield = st.get_optional_double(17);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<ModellingTrade> SqliteModellingRepository::add_trades(std::int64_t session_id,
                                                                  const std::vector<ModellingTrade>& trades) {
  return db_->transaction([&] {
    auto last = db_->prepare("SELECT COALESCE(MAX(ordinal), 0) FROM modelling_trades WHERE session_id = ?");
    last.bind(1, session_id);
    last.step();
    std::int64_t next = last.get_int(0) + 1;
    auto ins = db_->prepare(
        "INSERT INTO modelling_trades (session_id, ordinal, symbol, quantity, price, type, underlying, strike, "
        "expiry, option_type, exercise, multiplier, implied_vol, sector, tags, strategy, currency, origin, "
        "dividend_yield) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    std::vector<ModellingTrade> out;
    for (const auto& t : trades) {
      const Position& p = t.position;
      ins.bind(1, session_id).bind(2, next).bind(3, p.symbol).bind(4, p.quantity).bind(5, t.price);
      ins.bind(6, instrument_type_name(p.type)).bind(7, p.underlying).bind(8, p.strike);
      if (p.expiry) ins.bind(9, p.expiry->to_string());
      else ins.bind_null(9);
      if (p.option_type) ins.bind(10, option_right_name(*p.option_type));
      else ins.bind_null(10);
      ins.bind(11, exercise_style_name(p.exercise)).bind(12, p.multiplier).bind(13, p.implied_vol);
      ins.bind(14, p.sector).bind(15, detail::join_tags(p.tags)).bind(16, p.strategy).bind(17, p.currency).bind(18, t.origin);
      ins.bind(19, p.dividend_yield);
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
