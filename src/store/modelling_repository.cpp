// What-if modelling sessions (keel/store/modelling_repository.h) on both backends, with their row
// layout (migrations 7 and 11): the SELECT lists, the decoders of their rows and the encoder of a
// trade's columns (values appended to a statement's parameters: `add`, `add_null`).
#include "keel/store/modelling_repository.h"

#include <fmt/format.h>

#include <string>

#include "keel/core/error.h"
#include "sql.h"
#include "tags_text.h"

namespace keel::store {
namespace {

using detail::join_tags;
using detail::split_tags;

// Sessions `s` with their portfolio's name and trade count; each query appends WHERE and ORDER BY.
constexpr const char* kModellingSessionSelect =
    "SELECT s.id, s.tenant, s.owner, s.portfolio_id, p.name, s.name, s.created_at, s.updated_at, "
    "(SELECT COUNT(*) FROM modelling_trades t WHERE t.session_id = s.id) "
    "FROM modelling_sessions s JOIN portfolios p ON p.id = s.portfolio_id ";

// The columns of a trade after session_id, in the order of write_modelling_trade (ordinal first).
constexpr const char* kModellingTradeColumns =
    "ordinal, symbol, quantity, price, type, underlying, strike, expiry, option_type, exercise, multiplier, "
    "implied_vol, sector, tags, strategy, currency, origin, dividend_yield";

ModellingSession read_modelling_session(const SqlStatement& r) {
  ModellingSession s;
  read_row(r, 0, s.id, s.tenant, s.owner, s.portfolio_id, s.portfolio, s.name, s.created_at, s.updated_at,
           s.trades);
  return s;
}

// A row of `SELECT kModellingTradeColumns FROM modelling_trades`.
ModellingTrade read_modelling_trade(const SqlStatement& r) {
  ModellingTrade t;
  t.number = r.get_int(0);
  Position& p = t.position;
  read_row(r, 1, p.symbol, p.quantity, t.price);
  p.type = parse_instrument_type(r.get_text(4)).value_or(InstrumentType::kOther);
  read_row(r, 5, p.underlying, p.strike, p.expiry);
  if (auto o = r.get_optional_text(8)) p.option_type = parse_option_right(*o);
  p.exercise = parse_exercise_style(r.get_text(9)).value_or(ExerciseStyle::kEuropean);
  read_row(r, 10, p.multiplier, p.implied_vol, p.sector);
  p.tags = split_tags(r.get_text(13));
  read_row(r, 14, p.strategy, p.currency, t.origin, p.dividend_yield);
  return t;
}

// Appends the values of kModellingTradeColumns, numbered `number`.
template <class Sink>
void write_modelling_trade(Sink& out, std::int64_t number, const ModellingTrade& t) {
  const Position& p = t.position;
  out.add(number).add(p.symbol).add(p.quantity).add(t.price).add(std::string(instrument_type_name(p.type)));
  out.add(p.underlying).add(p.strike).add(date_text(p.expiry));
  out.add(p.option_type ? std::optional(std::string(option_right_name(*p.option_type))) : std::nullopt);
  out.add(std::string(exercise_style_name(p.exercise))).add(p.multiplier).add(p.implied_vol);
  out.add(p.sector)
      .add(join_tags(p.tags))
      .add(p.strategy)
      .add(p.currency)
      .add(t.origin)
      .add(p.dividend_yield);
}

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
  return c_->rows(tenant, std::string(kModellingSessionSelect) + "WHERE s.tenant = ? ORDER BY s.id",
                  read_modelling_session, tenant);
}

std::size_t ModellingRepository::count_owned(const std::string& tenant, const std::string& owner) {
  return static_cast<std::size_t>(
      c_->first(tenant, "SELECT COUNT(*) FROM modelling_sessions WHERE tenant = ? AND owner = ?",
                [](const SqlStatement& r) { return r.get_int(0); }, tenant, owner)
          .value_or(0));
}

std::optional<ModellingSession> ModellingRepository::find(const std::string& tenant, std::int64_t id) {
  return c_->first(tenant, std::string(kModellingSessionSelect) + "WHERE s.tenant = ? AND s.id = ?",
                   read_modelling_session, tenant, id);
}

std::vector<ModellingTrade> ModellingRepository::trades(std::int64_t session_id) {
  auto found = under_session(*c_, session_id, false, [&] {
    auto st = c_->prepare(std::string("SELECT ") + kModellingTradeColumns +
                          " FROM modelling_trades WHERE session_id = ? ORDER BY ordinal");
    st.bind(1, session_id);
    return st.rows(read_modelling_trade);
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
    auto ins =
        c_->prepare(insert_sql("modelling_trades", std::string("session_id, ") + kModellingTradeColumns));
    std::vector<ModellingTrade> out;
    for (const auto& t : trades) {
      SqlBinder b(ins);
      b.add(session_id);
      write_modelling_trade(b, next, t);
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
  return c_->change(tenant, "DELETE FROM modelling_sessions WHERE tenant = ? AND id = ?", tenant, id) > 0;
}

}  // namespace keel::store
