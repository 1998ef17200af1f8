#include "calendar_table.h"

#include "civil.h"

namespace keel::alm::detail {

bool known_calendar(const std::string& name) { return BusinessCalendar::find(name) != nullptr; }

BusinessDayTable::BusinessDayTable(const std::string& name) : calendar_(BusinessCalendar::find(name)) {
  if (calendar_ == nullptr) calendar_ = BusinessCalendar::find("weekends");
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
