// keel/report/report_json.h: tolerant reads of a report.json document, shared by the renderers
// (report.md and charts here, positions.csv and report.xlsx in service/report_writer).
//
// The renderers must survive a section that is missing, not ok, or short of optional fields, so
// every read here returns a neutral value (NaN, "", null, an empty array) instead of throwing.
// Namespace `detail`: helpers for keel's own renderers, not a stable API.
//
// Thread-safety: pure functions (the shared null and empty-array values are immutable).
#pragma once

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace keel::report::detail {

using Json = nlohmann::json;

inline const Json& null_json() {
  static const Json kNull;
  return kNull;
}

inline const Json& empty_array() {
  static const Json kEmpty = Json::array();
  return kEmpty;
}

// Member `key` of `object`, or null when `object` is not an object or lacks it.
inline const Json& member(const Json& object, std::string_view key) {
  if (!object.is_object()) return null_json();
  const auto it = object.find(key);
  return it == object.end() ? null_json() : *it;
}

inline bool section_ok(const Json& section) {
  const Json& s = member(section, "status");
  return s.is_string() && s.get<std::string>() == "ok";
}

// Why a section is not ok, as the producer said, or a description of what is wrong with it.
inline std::string section_reason(const Json& section) {
  if (!section.is_object()) return "the section is missing from the report";
  const Json& r = member(section, "reason");
  if (r.is_string() && !r.get<std::string>().empty()) return r.get<std::string>();
  const Json& s = member(section, "status");
  return s.is_string() ? "status " + s.get<std::string>() + ", no reason given" : "no status given";
}

// A number, or NaN when absent, null or not a number.
inline double number(const Json& object, std::string_view key) {
  const Json& v = member(object, key);
  return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

// A string (numbers printed as JSON), or `fallback` when absent or null.
inline std::string text(const Json& object, std::string_view key, const std::string& fallback = "") {
  const Json& v = member(object, key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return fallback;
  return v.dump();
}

// An array member, or an empty array.
inline const Json& array(const Json& object, std::string_view key) {
  const Json& v = member(object, key);
  return v.is_array() ? v : empty_array();
}

}  // namespace keel::report::detail
