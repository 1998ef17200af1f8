// src/store/modelling_rows.h (private): how what-if sessions and their trades are laid out in
// their tables (migrations 7 and 11), shared by both backends: the SELECT lists, the decoders of
// their rows and the encoder of a trade's columns.
//
// A decoder takes a SqlStatement's row (sql.h), read by column
// index; the encoder appends values to either backend's parameter list (`add`, `add_null`).
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "keel/store/modelling_repository.h"
#include "sql.h"
#include "tags_text.h"

namespace keel::store::detail {

// Sessions `s` with their portfolio's name and trade count; a backend appends WHERE and ORDER BY.
inline constexpr const char* kModellingSessionSelect =
    "SELECT s.id, s.tenant, s.owner, s.portfolio_id, p.name, s.name, s.created_at, s.updated_at, "
    "(SELECT COUNT(*) FROM modelling_trades t WHERE t.session_id = s.id) "
    "FROM modelling_sessions s JOIN portfolios p ON p.id = s.portfolio_id ";

// The columns of a trade after session_id, in the order of write_modelling_trade (ordinal first).
inline constexpr const char* kModellingTradeColumns =
    "ordinal, symbol, quantity, price, type, underlying, strike, expiry, option_type, exercise, multiplier, "
    "implied_vol, sector, tags, strategy, currency, origin, dividend_yield";
inline constexpr int kModellingTradeColumnCount = 18;

inline ModellingSession read_modelling_session(const SqlStatement& r) {
  ModellingSession s;
  read_row(r, 0, s.id, s.tenant, s.owner, s.portfolio_id, s.portfolio, s.name, s.created_at, s.updated_at,
           s.trades);
  return s;
}

// A row of `SELECT kModellingTradeColumns FROM modelling_trades`.
inline ModellingTrade read_modelling_trade(const SqlStatement& r) {
  ModellingTrade t;
  t.number = r.get_int(0);
  Position& p = t.position;
  read_row(r, 1, p.symbol, p.quantity, t.price);
  p.type = parse_instrument_type(r.get_text(4)).value_or(InstrumentType::kOther);
  p.underlying = r.get_text(5);
  p.strike = r.get_optional_double(6);
  if (auto e = r.get_optional_text(7)) p.expiry = Date::parse(*e);
  if (auto o = r.get_optional_text(8)) p.option_type = parse_option_right(*o);
  p.exercise = parse_exercise_style(r.get_text(9)).value_or(ExerciseStyle::kEuropean);
  read_row(r, 10, p.multiplier, p.implied_vol, p.sector);
  p.tags = split_tags(r.get_text(13));
  read_row(r, 14, p.strategy, p.currency, t.origin, p.dividend_yield);
  return t;
}

// Appends the kModellingTradeColumnCount values of kModellingTradeColumns, numbered `number`.
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

}  // namespace keel::store::detail
