// src/alm/ql_date.h (private): conversions between keel::Date and QuantLib::Date.
// keel serial 0 = 1970-01-01; QuantLib serial 25569 = 1970-01-01.
#pragma once

#include <ql/time/date.hpp>

#include "keel/core/date.h"

namespace keel::alm::detail {

inline constexpr int kQuantLibEpochOffset = 25569;

inline QuantLib::Date to_ql(Date d) {
  return QuantLib::Date(static_cast<QuantLib::Date::serial_type>(d.serial() + kQuantLibEpochOffset));
}

inline Date from_ql(const QuantLib::Date& d) {
  return Date::from_serial(static_cast<std::int32_t>(d.serialNumber() - kQuantLibEpochOffset));
}

}  // namespace keel::alm::detail
