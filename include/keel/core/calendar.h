// keel/core/calendar.h: business days of the holiday calendars keel knows.
//
// The calendars are QuantLib's (version of the build's libquantlib), compiled into keel as tables
// at build time, from 1901-01-01 to 2199-12-31; outside those years Monday to Friday are business
// days. Names: ISO currency codes (USD: the US government bond market; EUR and TARGET: TARGET2;
// GBP: UK settlement; JPY, CHF, CAD, AUD, SEK, DKK, CZK, HUF, PLN, RON, RUB, TRY, ZAR, CNY, HKD,
// SGD, KRW, INR, IDR, MXN, BRL, ARS, SAR, NOK, NZD), NYSE (the New York Stock Exchange), BGN and
// "weekends" (weekends only) and "none" (every day a business day). Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"

namespace keel {

class BusinessCalendar {
 public:
  // The calendar named `name` (case-sensitive, as listed above); nullptr for a name keel does not
  // know. The first call for a name builds its table (microseconds); the pointer lives as long as
  // the process.
  static const BusinessCalendar* find(std::string_view name);
  // Every name find() accepts, in the order of the list above.
  static std::vector<std::string> names();

  bool is_business_day(Date d) const {
    const std::int64_t i = static_cast<std::int64_t>(d.serial()) - first_;
    if (i >= 0 && i < days_) return (bits_[static_cast<std::size_t>(i >> 6)] >> (i & 63)) & 1u;
    return !d.is_weekend();
  }
  const std::string& name() const { return name_; }

  // Public for the table's construction; use find().
  BusinessCalendar(std::string name, const std::uint16_t* gaps, std::size_t count);

 private:
  std::string name_;
  std::int32_t first_ = 0;  // serial of 1901-01-01
  std::int64_t days_ = 0;
  std::vector<std::uint64_t> bits_;  // bit i set: first_ + i is a business day
};

}  // namespace keel
