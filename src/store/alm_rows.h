// src/store/alm_rows.h (private): how an ALM session's balance sheet, curves and sizes are laid
// out in their tables (migration 3), shared by both backends: the column lists, the size estimate
// that drives the LRU budget, the encoder of a position's columns and the decoder of its row.
//
// The decoder takes a SqlStatement's row (sql.h), read by
// column index; the encoder appends values to either backend's parameter list (`add`,
// `add_null`). Absent optional terms (no margin, no floor or cap, no behavioural life) are NULL.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "keel/alm/balance_sheet.h"
#include "keel/core/date.h"
#include "keel/portfolio/market_data.h"
#include "keel/store/alm_repository.h"
#include "sql.h"

namespace keel::store::detail {

// Rough bytes per stored position row and curve point (values + key + index overhead), plus a
// fixed 256 per session: the estimate the disk budget of AlmRepository::cleanup counts.
inline constexpr std::int64_t kAlmBytesPerPosition = 160;
inline constexpr std::int64_t kAlmBytesPerCurvePoint = 48;

inline std::int64_t alm_session_size_bytes(const alm::BalanceSheet& book,
                                           const std::map<std::string, CurveData>& curves,
                                           const std::string& settings) {
  std::int64_t points = 0;
  for (const auto& [ccy, c] : curves) points += static_cast<std::int64_t>(c.points.size());
  return static_cast<std::int64_t>(book.size()) * kAlmBytesPerPosition + points * kAlmBytesPerCurvePoint +
         static_cast<std::int64_t>(settings.size()) + 256;
}

// The columns of alm_session_positions after session_id and ordinal, in write_alm_position's order.
inline constexpr const char* kAlmPositionColumns =
    "position_id, side, type, currency, notional, start_date, maturity_date, rate_type, rate, spread, "
    "rate_index, reset_months, payment_months, amortization, day_count, first_reset_date, floor, cap, "
    "behavioural_years, calendar, line";
inline constexpr int kAlmPositionColumnCount = 21;

// Appends the kAlmPositionColumnCount values of position `i` of `book`.
template <class Sink>
void write_alm_position(Sink& out, const alm::BalanceSheet& book, std::size_t i) {
  const alm::PositionTerms& t = book.terms[i];
  out.add(book.id[i])
      .add(std::string(alm::side_name(t.side)))
      .add(book.type[i])
      .add(book.currencies[t.currency])
      .add(t.notional)
      .add(t.start_date.to_string())
      .add(t.maturity_date.to_string())
      .add(std::string(alm::rate_type_name(t.rate_type)))
      .add(t.rate)
      .add(t.has_margin || t.rate_type == alm::RateType::kFloating ? std::optional<double>(t.spread)
                                                                   : std::nullopt)
      .add(book.index[i])
      .add(static_cast<std::int64_t>(t.reset_months))
      .add(static_cast<std::int64_t>(t.payment_months))
      .add(std::string(alm::amortization_name(t.amortization)))
      .add(std::string(alm::day_count_name(t.day_count)))
      .add(t.first_reset_date.to_string())
      .add(t.floor > -1e8 ? std::optional<double>(t.floor) : std::nullopt)
      .add(t.cap < 1e8 ? std::optional<double>(t.cap) : std::nullopt)
      .add(t.behavioural_years > 0 ? std::optional<double>(t.behavioural_years) : std::nullopt)
      .add(book.calendars[t.calendar])
      .add(static_cast<std::int64_t>(book.line[i]));
}

// Appends the position of a row of `SELECT kAlmPositionColumns` to `book`.
inline void read_alm_position(const SqlStatement& r, alm::BalanceSheet& book) {
  alm::PositionTerms t;
  t.side = alm::parse_side(r.get_text(1)).value_or(alm::Side::kAsset);
  t.currency = book.intern_currency(r.get_text(3));
  t.notional = r.get_double(4);
  t.start_date = Date::parse_or_throw(r.get_text(5));
  t.maturity_date = Date::parse_or_throw(r.get_text(6));
  t.rate_type = alm::parse_rate_type(r.get_text(7)).value_or(alm::RateType::kFixed);
  t.rate = r.get_double(8);
  if (auto s = r.get_optional_double(9)) {
    t.spread = *s;
    t.has_margin = t.rate_type == alm::RateType::kFixed;
  }
  t.reset_months = static_cast<std::uint8_t>(r.get_int(11));
  t.payment_months = static_cast<std::uint8_t>(r.get_int(12));
  t.amortization = alm::parse_amortization(r.get_text(13)).value_or(alm::Amortization::kBullet);
  t.day_count = alm::parse_day_count(r.get_text(14)).value_or(alm::DayCount::kAct365F);
  t.first_reset_date = Date::parse_or_throw(r.get_text(15));
  if (auto f = r.get_optional_double(16)) t.floor = *f;
  if (auto c = r.get_optional_double(17)) t.cap = *c;
  if (auto b = r.get_optional_double(18)) t.behavioural_years = *b;
  t.calendar = book.intern_calendar(r.get_text(19));
  book.add(t, r.get_text(0), r.get_text(2), r.get_text(10), static_cast<std::size_t>(r.get_int(20)));
}

// Columns of alm_sessions read into AlmSessionInfo by read_alm_session (curves and results apart).
inline constexpr const char* kAlmSessionColumns =
    "id, tenant, name, as_of, currency, source, settings, ttl_seconds, size_bytes, positions, created_at, "
    "last_accessed, owner, shared";

inline AlmSessionInfo read_alm_session(const SqlStatement& r) {
  AlmSessionInfo s;
  read_row(r, 0, s.id, s.tenant, s.name);
  if (auto a = r.get_optional_text(3)) s.as_of = Date::parse(*a);
  read_row(r, 4, s.currency, s.source, s.settings, s.ttl_seconds, s.size_bytes, s.positions, s.created_at,
           s.last_accessed, s.owner, s.shared);
  return s;
}

}  // namespace keel::store::detail
