// Private: how the report renderers (report_markdown.cpp, report_charts.cpp) read a Report's
// members: a figure that is null (or absent) is NaN, a text that is null is "n/a", and a section
// that is not ok says why.
#pragma once

#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "keel/service/spec.h"

namespace keel::service::report_detail {

inline constexpr const char* kNa = "n/a";

// A number, NaN when null or absent.
inline double figure(double v) {
  return v;
}
inline double figure(std::size_t v) {
  return static_cast<double>(v);
}
inline double figure(int v) {
  return v;
}
template <class T>
double figure(const std::optional<T>& v) {
  return v ? figure(*v) : std::nan("");
}
template <class T>
double figure(const spec::Nullable<T>& v) {
  return v ? figure(*v) : std::nan("");
}

// A figure of a result's map keyed by name (a factor's beta, its t-stat), NaN when absent.
inline double figure_at(const std::map<std::string, double>& values, const std::string& key) {
  const auto it = values.find(key);
  return it == values.end() ? std::nan("") : it->second;
}

// A text, "n/a" when null or absent.
inline const std::string& words(const std::string& v) {
  return v;
}
inline std::string words(const std::optional<std::string>& v) {
  return v ? *v : kNa;
}
inline std::string words(const spec::Nullable<std::string>& v) {
  return v ? *v : kNa;
}

template <class Section>
bool section_ok(const Section& s) {
  return s.status == "ok";
}

// Why a section is not ok, as the producer said.
template <class Section>
std::string section_reason(const Section& s) {
  if (s.reason && !s.reason->empty()) return *s.reason;
  return "status " + s.status + ", no reason given";
}

}  // namespace keel::service::report_detail
