// keel/core/date.h: calendar dates (proleptic Gregorian, no time zone).
//
// A Date is a count of days since 1970-01-01, so it is a cheap value type usable in hot loops
// and as a map key. Parsing accepts ISO `YYYY-MM-DD` only; printing gives the same form.
// Month arithmetic clamps to the end of the month (2024-01-31 + 1M = 2024-02-29), and with
// `EndOfMonth::kKeep` a date on the last day of its month stays on the last day.
// Calendars, business-day adjustment and day counts live in QuantLib (see keel/core/ql_date.h).
//
// Thread-safety: value type, no shared state.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keel {

enum class EndOfMonth { kClamp, kKeep };

class Date {
 public:
  constexpr Date() = default;
  // Days since 1970-01-01 (may be negative).
  static constexpr Date from_serial(std::int32_t days) { return Date(days); }
  // Throws keel::Error(invalid_input) when the triple is not a real date.
  static Date from_ymd(int year, int month, int day);
  // Returns nullopt unless `text` is exactly YYYY-MM-DD and a real date (e.g. not 2023-02-29).
  static std::optional<Date> parse(std::string_view text);
  // Like parse, but throws keel::Error(invalid_input) naming `what` on failure.
  static Date parse_or_throw(std::string_view text, std::string_view what = "date");

  constexpr std::int32_t serial() const { return days_; }
  int year() const;
  int month() const;  // 1..12
  int day() const;    // 1..31
  // ISO weekday: 1 = Monday ... 7 = Sunday.
  int weekday() const;
  bool is_weekend() const { return weekday() >= 6; }
  bool is_end_of_month() const;
  std::string to_string() const;  // YYYY-MM-DD

  Date add_days(int n) const { return Date(days_ + n); }
  Date add_months(int n, EndOfMonth eom = EndOfMonth::kClamp) const;
  Date add_years(int n, EndOfMonth eom = EndOfMonth::kClamp) const { return add_months(12 * n, eom); }

  friend constexpr auto operator<=>(Date, Date) = default;
  friend constexpr int operator-(Date a, Date b) { return a.days_ - b.days_; }

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

bool is_leap_year(int year);
int days_in_month(int year, int month);

// `epoch` (seconds since 1970-01-01 UTC) as ISO-8601 UTC: "2021-03-04T06:00:00Z".
std::string iso_utc(std::int64_t epoch);
// Actual/365 fixed year fraction between two dates (positive when to > from).
inline double year_fraction_act365(Date from, Date to) { return (to - from) / 365.0; }

}  // namespace keel
