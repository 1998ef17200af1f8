// src/io/broker_number.h (private): a number cell as brokers write it, for the readers of broker
// files (transaction mappings, positions downloads).
#pragma once

#include <string>
#include <string_view>

#include "keel/core/parse.h"

namespace keel::io::detail {

// "$1,234.50" -> "1234.50"; "+$0.16" -> "+0.16"; "(12.00)" and "($12.00)" -> "-12.00". The result
// is for an exact parse (Decimal::parse) or a double's; anything else is left for it to refuse.
inline std::string clean_broker_number(std::string_view s) {
  s = trim(s);
  const bool paren = s.size() >= 2 && s.front() == '(' && s.back() == ')';
  if (paren) s = s.substr(1, s.size() - 2);
  std::string out;
  for (char c : s) {
    if (c == '$' || c == ',' || c == ' ') continue;
    out += c;
  }
  if (paren) out.insert(0, "-");
  return out;
}

}  // namespace keel::io::detail
