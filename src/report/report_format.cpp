// Numbers for people (keel/report/report_format.h).
#include "keel/report/report_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace keel::report {

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  decimals = std::clamp(decimals, 0, 12);
  // Sized from a first pass: %f of a double can need over 300 characters (1e300).
  const int length = std::snprintf(nullptr, 0, "%.*f", decimals, std::fabs(value));
  std::string digits(static_cast<std::size_t>(length) + 1, '\0');
  std::snprintf(digits.data(), digits.size(), "%.*f", decimals, std::fabs(value));
  digits.pop_back();
  const std::size_t dot = digits.find('.');
  const std::string whole = digits.substr(0, dot);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  if (dot != std::string::npos) out += digits.substr(dot);
  // A value that rounds to zero prints without a sign ("0.00", not "-0.00").
  const bool nonzero = digits.find_first_not_of("0.") != std::string::npos;
  return (value < 0 && nonzero ? "-" : "") + out;
}

std::string format_amount(double value) {
  return format_number(value, 2);
}

std::string format_percent(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "n/a";
  return format_number(fraction * 100.0, decimals) + "%";
}

int pnl_histogram_bins(std::size_t count) {
  const double root = std::ceil(std::sqrt(static_cast<double>(count)));
  return static_cast<int>(std::clamp(root, 5.0, 40.0));
}

}  // namespace keel::report
