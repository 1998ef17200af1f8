#include "keel/core/calendar.h"

#include <memory>
#include <mutex>

#include "calendars/calendar_data.h"

namespace keel {

BusinessCalendar::BusinessCalendar(std::string name, const std::uint16_t* gaps, std::size_t count)
    : name_(std::move(name)) {
  first_ = Date::from_ymd(1901, 1, 1).serial();
  days_ = Date::from_ymd(2199, 12, 31).serial() - first_ + 1;
  bits_.assign(static_cast<std::size_t>((days_ + 63) / 64), 0);
  for (std::int64_t i = 0; i < days_; ++i) {
    if (!Date::from_serial(static_cast<std::int32_t>(first_ + i)).is_weekend()) bits_[static_cast<std::size_t>(i >> 6)] |= std::uint64_t{1} << (i & 63);
  }
  // Each listed day has the other status than the Monday-to-Friday rule gives it.
  std::int64_t day = -1;  // 1900-12-31
  for (std::size_t k = 0; k < count; ++k) {
    day += gaps[k];
    if (day < 0 || day >= days_) break;
    bits_[static_cast<std::size_t>(day >> 6)] ^= std::uint64_t{1} << (day & 63);
  }
}

const BusinessCalendar* BusinessCalendar::find(std::string_view name) {
  static std::mutex mu;
  static std::vector<std::unique_ptr<BusinessCalendar>> built(detail::kCalendarCount);
  for (std::size_t c = 0; c < detail::kCalendarCount; ++c) {
    const auto& data = detail::kCalendarData[c];
    if (name != data.name) continue;
    std::lock_guard lock(mu);
    if (!built[c]) built[c] = std::make_unique<BusinessCalendar>(data.name, data.gaps, data.count);
    return built[c].get();
  }
  return nullptr;
}

std::vector<std::string> BusinessCalendar::names() {
  std::vector<std::string> out;
  for (std::size_t c = 0; c < detail::kCalendarCount; ++c) out.emplace_back(detail::kCalendarData[c].name);
  return out;
}

}  // namespace keel
