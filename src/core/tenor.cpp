#include "keel/core/tenor.h"
#include "keel/core/strings.h"

#include <fmt/format.h>

#include <cctype>

namespace keel {

std::optional<Tenor> Tenor::parse(std::string_view s) {
  std::string t;
  for (char c : s) {
    if (c != ' ') t += to_upper(c);
  }
  if (t == "ON" || t == "O/N") return Tenor{1, Unit::kDay};
  if (t.size() < 2) return std::nullopt;
  int n = 0;
  std::size_t i = 0;
  for (; i + 1 < t.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(t[i])) || n > 100000) return std::nullopt;
    n = n * 10 + (t[i] - '0');
  }
  if (i == 0 || n <= 0) return std::nullopt;
  switch (t.back()) {
    case 'D': return Tenor{n, Unit::kDay};
    case 'W': return Tenor{n, Unit::kWeek};
    case 'M': return Tenor{n, Unit::kMonth};
    case 'Y': return Tenor{n, Unit::kYear};
    default: return std::nullopt;
  }
}

double Tenor::years() const {
  switch (unit) {
    case Unit::kDay: return count / 365.0;
    case Unit::kWeek: return count * 7 / 365.0;
    case Unit::kMonth: return count / 12.0;
    case Unit::kYear: return count;
  }
  return 0.0;
}

Date Tenor::add_to(Date d, EndOfMonth eom) const {
  switch (unit) {
    case Unit::kDay: return d.add_days(count);
    case Unit::kWeek: return d.add_days(7 * count);
    case Unit::kMonth: return d.add_months(count, eom);
    case Unit::kYear: return d.add_years(count, eom);
  }
  return d;
}

std::string Tenor::to_string() const {
  static constexpr char kUnits[] = {'D', 'W', 'M', 'Y'};
  return fmt::format("{}{}", count, kUnits[static_cast<int>(unit)]);
}

}  // namespace keel
