#include "calendar_table.h"

#include "civil.h"
#include "keel/core/calendar.h"

namespace keel::alm::detail {

bool known_calendar(const std::string& name) { return BusinessCalendar::find(name) != nullptr; }

BusinessDayTable::BusinessDayTable(const std::string& name, std::int32_t first, std::int32_t last)
    : first_(first) {
  const BusinessCalendar* cal = BusinessCalendar::find(name);
  if (cal == nullptr) cal = BusinessCalendar::find("weekends");
  if (last < first) return;
  business_.resize(static_cast<std::size_t>(last - first + 1));
  for (std::int32_t s = first; s <= last; ++s) {
    business_[static_cast<std::size_t>(s - first)] = cal->is_business_day(Date::from_serial(s)) ? 1 : 0;
  }
}

std::int32_t BusinessDayTable::modified_following(std::int32_t serial) const {
  if (is_business(serial)) return serial;
  std::int32_t d = serial;
  while (!is_business(d)) ++d;
  if (ymd_from_serial(d).m != ymd_from_serial(serial).m) {
    d = serial;
    while (!is_business(d)) --d;
  }
  return d;
}

}  // namespace keel::alm::detail

namespace keel::alm {
bool is_known_calendar(const std::string& name) { return detail::known_calendar(name); }
}  // namespace keel::alm
