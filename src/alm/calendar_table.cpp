#include "calendar_table.h"

#include <ql/time/calendars/all.hpp>

#include "civil.h"
#include "ql_date.h"

namespace keel::alm::detail {
namespace {

bool calendar_for(const std::string& name, QuantLib::Calendar& out) {
  using namespace QuantLib;
  if (name == "USD") out = UnitedStates(UnitedStates::GovernmentBond);
  else if (name == "EUR" || name == "TARGET") out = TARGET();
  else if (name == "GBP") out = UnitedKingdom(UnitedKingdom::Settlement);
  else if (name == "JPY") out = Japan();
  else if (name == "CHF") out = Switzerland();
  else if (name == "CAD") out = Canada();
  else if (name == "AUD") out = Australia();
  else if (name == "SEK") out = Sweden();
  else if (name == "DKK") out = Denmark();
  else if (name == "CZK") out = CzechRepublic();
  else if (name == "HUF") out = Hungary();
  else if (name == "PLN") out = Poland();
  else if (name == "RON") out = Romania();
  else if (name == "RUB") out = Russia();
  else if (name == "TRY") out = Turkey();
  else if (name == "ZAR") out = SouthAfrica();
  else if (name == "CNY") out = China();
  else if (name == "HKD") out = HongKong();
  else if (name == "SGD") out = Singapore();
  else if (name == "KRW") out = SouthKorea();
  else if (name == "INR") out = India();
  else if (name == "IDR") out = Indonesia();
  else if (name == "MXN") out = Mexico();
  else if (name == "BRL") out = Brazil();
  else if (name == "ARS") out = Argentina();
  else if (name == "SAR") out = SaudiArabia();
  else if (name == "NOK") out = Norway();
  else if (name == "NZD") out = NewZealand();
  else if (name == "BGN" || name == "weekends") out = WeekendsOnly();
  else if (name == "none") out = NullCalendar();
  else return false;
  return true;
}

}  // namespace

bool known_calendar(const std::string& name) {
  QuantLib::Calendar c;
  return calendar_for(name, c);
}

BusinessDayTable::BusinessDayTable(const std::string& name, std::int32_t first, std::int32_t last)
    : first_(first) {
  QuantLib::Calendar cal;
  if (!calendar_for(name, cal)) cal = QuantLib::WeekendsOnly();
  if (last < first) return;
  business_.resize(static_cast<std::size_t>(last - first + 1));
  for (std::int32_t s = first; s <= last; ++s) {
    business_[static_cast<std::size_t>(s - first)] =
        cal.isBusinessDay(to_ql(Date::from_serial(s))) ? 1 : 0;
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
