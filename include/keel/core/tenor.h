// keel/core/tenor.h: tenors such as ON, 1D, 2W, 3M, 1Y, 30Y.
//
// Year fractions of tenors follow the market shorthand used for curves and shock buckets:
// days / 365, weeks x 7 / 365, months / 12, years. Thread-safe value types.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "keel/core/date.h"

namespace keel {

struct Tenor {
  enum class Unit { kDay, kWeek, kMonth, kYear };
  int count = 0;
  Unit unit = Unit::kDay;

  // Accepts "ON"/"O/N" (1 day), "<n>D", "<n>W", "<n>M", "<n>Y", case-insensitive. nullopt otherwise.
  static std::optional<Tenor> parse(std::string_view text);
  double years() const;
  Date add_to(Date d, EndOfMonth eom = EndOfMonth::kClamp) const;
  std::string to_string() const;  // canonical upper case, "1D", "3M", "10Y"
};

}  // namespace keel
