// src/alm/civil.h (private): fast civil-date arithmetic on day serials for the schedule kernel.
// Algorithms: H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (same as keel::Date).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace keel::alm::detail {

struct Ymd {
  int y;
  int m;  // 1..12
  int d;  // 1..31
};

constexpr std::int32_t serial_from_ymd(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mu = static_cast<unsigned>(m);
  const unsigned doy = (153 * (mu + (mu > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

constexpr Ymd ymd_from_serial(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), static_cast<int>(m), static_cast<int>(d)};
}

constexpr bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int month_days(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && leap(y)) ? 29 : kDays[m - 1];
}

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
