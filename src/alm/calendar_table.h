// src/alm/calendar_table.h (private): business days of a holiday calendar (keel/core/calendar.h)
// over the dates a balance sheet reaches, one byte a day, for the schedule kernel.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace keel::alm::detail {

class BusinessDayTable {
 public:
  // Business days of calendar `name` (keel/core/calendar.h; an unknown name: weekends only) for
  // serials [first, last]; outside that range weekends are the only holidays.
  BusinessDayTable(const std::string& name, std::int32_t first, std::int32_t last);
  BusinessDayTable() = default;

  bool is_business(std::int32_t serial) const {
    const std::int64_t i = static_cast<std::int64_t>(serial) - first_;
    if (i >= 0 && i < static_cast<std::int64_t>(business_.size())) return business_[static_cast<std::size_t>(i)] != 0;
    const int wd = ((serial % 7) + 7 + 3) % 7;  // 0 = Monday (1970-01-01 was a Thursday)
    return wd < 5;
  }
  // Modified Following: the next business day unless it falls in the next month, then the
  // previous business day (QuantLib BusinessDayConvention::ModifiedFollowing).
  std::int32_t modified_following(std::int32_t serial) const;

 private:
  std::int32_t first_ = 0;
  std::vector<std::uint8_t> business_;
};

// True when `name` is a calendar keel knows (keel/core/calendar.h).
bool known_calendar(const std::string& name);

}  // namespace keel::alm::detail
