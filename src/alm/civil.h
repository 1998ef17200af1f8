// src/alm/civil.h (private): fast civil-date arithmetic on day serials for the schedule kernel.
// The civil algorithms are keel/core/civil.h (shared with keel::Date); this adds the kernel's tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "keel/core/civil.h"

namespace keel::alm::detail {

using Ymd = keel::CivilDate;

constexpr std::int32_t serial_from_ymd(int y, int m, int d) { return keel::days_from_civil(y, m, d); }
constexpr Ymd ymd_from_serial(std::int32_t z) { return keel::civil_from_days(z); }
constexpr bool leap(int y) { return keel::is_leap(y); }
constexpr int month_days(int y, int m) { return keel::month_length(y, m); }

// The date `months` months after (y, m, d), day clamped to the month's end (QuantLib's
// Calendar::advance with Unadjusted and endOfMonth = false).
constexpr std::int32_t add_months(Ymd base, int months) {
  int total = base.y * 12 + (base.m - 1) + months;
  const int y = total >= 0 ? total / 12 : -((-total + 11) / 12);
  const int m = total - y * 12 + 1;
  const int dim = month_days(y, m);
  return serial_from_ymd(y, m, base.d > dim ? dim : base.d);
}

// Year, month and day of every serial in [first, last] packed in 32 bits, so the kernel's
// 30/360 and act/act fractions read a table instead of dividing. Outside the range it computes.
class DateTable {
 public:
  DateTable() = default;
  DateTable(std::int32_t first, std::int32_t last) : first_(first) {
    if (last < first) return;
    packed_.resize(static_cast<std::size_t>(last - first + 1));
    for (std::int32_t s = first; s <= last; ++s) {
      const Ymd v = ymd_from_serial(s);
      packed_[static_cast<std::size_t>(s - first)] =
          (static_cast<std::uint32_t>(v.y + 32768) << 16) | (static_cast<std::uint32_t>(v.m) << 8) |
          static_cast<std::uint32_t>(v.d);
    }
  }
  [[gnu::always_inline]] Ymd get(std::int32_t serial) const {
    const std::int64_t i = static_cast<std::int64_t>(serial) - first_;
    if (i < 0 || i >= static_cast<std::int64_t>(packed_.size())) return ymd_from_serial(serial);
    const std::uint32_t p = packed_[static_cast<std::size_t>(i)];
    return {static_cast<int>(p >> 16) - 32768, static_cast<int>((p >> 8) & 0xff), static_cast<int>(p & 0xff)};
  }

 private:
  std::int32_t first_ = 0;
  std::vector<std::uint32_t> packed_;
};

}  // namespace keel::alm::detail
