// src/options/format_number.h (private): numbers in error messages, shortest round-trip form.
#pragma once

#include <cstdio>
#include <string>

namespace keel::options::detail {

inline std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

}  // namespace keel::options::detail
