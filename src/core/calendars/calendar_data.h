// src/core/calendars/calendar_data.h (private): the holiday calendars' data, generated at build
// time by keel_calendar_gen (generate.cpp) into <build>/src/core/generated/calendar_data.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

namespace keel::detail {

// One calendar: the days from 1901-01-01 to 2199-12-31 whose status differs from "Monday to Friday
// are business days" (a weekday holiday, or a weekend day that is a business day), as gaps in days:
// the first such day is 1900-12-31 + gaps[0], the next that plus gaps[1], and so on.
struct CalendarData {
  const char* name;
  const std::uint16_t* gaps;
  std::size_t count;
};

extern const CalendarData kCalendarData[];
extern const std::size_t kCalendarCount;

}  // namespace keel::detail
