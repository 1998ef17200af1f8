#include "keel/core/date.h"

#include <cstdio>

#include "keel/core/civil.h"
#include "keel/core/error.h"

namespace keel {
namespace {

bool valid_ymd(int y, int m, int d) {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

}  // namespace

bool is_leap_year(int year) { return is_leap(year); }

int days_in_month(int year, int month) { return month_length(year, month); }

std::string iso_utc(std::int64_t epoch) {
  // Floor division, so instants before 1970 land on their own UTC day.
  std::int64_t days = epoch / 86400, secs = epoch % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const Date d = Date::from_serial(static_cast<std::int32_t>(days) + Date::from_ymd(1970, 1, 1).serial());
  char out[32];
  std::snprintf(out, sizeof out, "%sT%02d:%02d:%02dZ", d.to_string().c_str(), static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return out;
}

Date Date::from_ymd(int year, int month, int day) {
  if (!valid_ymd(year, month, day)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d is not a calendar date", year, month, day);
    throw Error::invalid_input(buf);
  }
  return Date(days_from_civil(year, month, day));
}

std::optional<Date> Date::parse(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  if (!valid_ymd(y, m, d)) return std::nullopt;
  return Date(days_from_civil(y, m, d));
}

Date Date::parse_or_throw(std::string_view text, std::string_view what) {
  if (auto d = parse(text)) return *d;
  throw Error::invalid_input(std::string(what) + ": expected a date as YYYY-MM-DD, got \"" +
                             std::string(text) + "\"");
}

int Date::year() const { return civil_from_days(days_).y; }
int Date::month() const { return civil_from_days(days_).m; }
int Date::day() const { return civil_from_days(days_).d; }

int Date::weekday() const {
  // 1970-01-01 was a Thursday (ISO 4).
  const int w = ((days_ % 7) + 7 + 3) % 7;  // 0 = Monday
  return w + 1;
}

bool Date::is_end_of_month() const {
  const CivilDate c = civil_from_days(days_);
  return c.d == days_in_month(c.y, c.m);
}

std::string Date::to_string() const {
  const CivilDate c = civil_from_days(days_);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
  return buf;
}

Date Date::add_months(int n, EndOfMonth eom) const {
  const CivilDate c = civil_from_days(days_);
  const int total = c.y * 12 + c.m - 1 + n;
  const int y = total >= 0 ? total / 12 : (total - 11) / 12;
  const int m = total - y * 12 + 1;
  const int last = days_in_month(y, m);
  int d = c.d;
  if (eom == EndOfMonth::kKeep && is_end_of_month()) d = last;
  if (d > last) d = last;
  return Date(days_from_civil(y, m, d));
}

}  // namespace keel
