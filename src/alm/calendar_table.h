// src/alm/calendar_table.h (private): the schedule kernel's view of a holiday calendar
// (keel/core/calendar.h: a bit a day from 1901 to 2199) and its Modified Following rule.
#pragma once

#include <cstdint>
#include <string>

#include "keel/core/calendar.h"

namespace keel::alm::detail {

class BusinessDayTable {
 public:
  // The business days of calendar `name` (keel/core/calendar.h; an unknown name: weekends only).
  explicit BusinessDayTable(const std::string& name);
  BusinessDayTable() : BusinessDayTable("weekends") {}

  bool is_business(std::int32_t serial) const { return calendar_->is_business_day(Date::from_serial(serial)); }
  // Modified Following: the next business day unless it falls in the next month, then the
  // previous business day (QuantLib BusinessDayConvention::ModifiedFollowing).
  std::int32_t modified_following(std::int32_t serial) const;

 private:
  const BusinessCalendar* calendar_;  // lives as long as the process
};

// True when `name` is a calendar keel knows (keel/core/calendar.h).
bool known_calendar(const std::string& name);

}  // namespace keel::alm::detail
