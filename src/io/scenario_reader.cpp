// Stress scenario files: JSON with field-path errors (keel/io/scenario_reader.h, docs/stress.md).
#include "keel/io/scenario_reader.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include "keel/core/error.h"
#include "keel/io/input.h"
#include "keel/io/json_input.h"
#include "keel/core/strings.h"

namespace keel::io {
namespace {

using Json = nlohmann::ordered_json;

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

class Checker {
 public:
  Checker(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}
  void error(const std::string& field, std::string message) { diags_.error({file_, 0, 0, field, std::move(message)}); }
  void warning(const std::string& field, std::string message) {
    diags_.warning({file_, 0, 0, field, std::move(message)});
  }

  std::optional<std::string> text(const Json& obj, const char* key, const std::string& path, bool required) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) error(path + "." + key, "is required");
      return std::nullopt;
    }
    if (!it->is_string()) {
      error(path + "." + key, "must be a string, got " + shown_with(it->dump(), 64, '\0'));
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  std::optional<Date> date(const Json& obj, const char* key, const std::string& path, bool required) {
    const auto s = text(obj, key, path, required);
    if (!s) return std::nullopt;
    const auto d = Date::parse(*s);
    if (!d) error(path + "." + key, "must be a date YYYY-MM-DD, got \"" + *s + "\"");
    return d;
  }

 private:
  std::string file_;
  Diagnostics& diags_;
};

factors::Scenario parse_one(const Json& j, const std::string& path, Checker& c) {
  factors::Scenario s;
  static const std::set<std::string> known = {"name", "label", "kind", "description", "start",
                                              "end",  "shocks", "vol_shock", "source", "note"};
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!known.count(it.key())) c.warning(path + "." + shown_with(it.key(), 64, '\0'), "unknown field, ignored");
  }
  if (auto n = c.text(j, "name", path, true)) {
    s.name = *n;
    if (!valid_name(*n)) {
      c.error(path + ".name", "must be 1-64 characters of a-z, 0-9, '_' or '-', got \"" + *n + "\"");
    }
  }
  s.label = c.text(j, "label", path, false).value_or(s.name);
  s.description = c.text(j, "description", path, false).value_or("");
  if (auto k = c.text(j, "kind", path, false)) {
    if (auto kind = factors::parse_scenario_kind(*k)) {
      s.kind = *kind;
    } else {
      c.error(path + ".kind", "must be historical, hypothetical or user, got \"" + *k + "\"");
    }
  } else {
    s.kind = factors::ScenarioKind::kUser;
  }
  const bool historical = s.kind == factors::ScenarioKind::kHistorical;
  s.start = c.date(j, "start", path, historical);
  s.end = c.date(j, "end", path, historical);
  if (s.start && s.end && !(*s.start < *s.end)) {
    c.error(path + ".end", "must be after start (" + s.start->to_string() + "), got " + s.end->to_string());
  }
  if (const auto it = j.find("vol_shock"); it != j.end() && !it->is_null()) {
    if (!it->is_number()) {
      c.error(path + ".vol_shock", "must be a number (decimal vol change, 0.10 = +10 points), got " + shown_with(it->dump(), 64, '\0'));
    } else {
      const double v = it->get<double>();
      if (!std::isfinite(v) || v <= -1.0 || v > 5.0) {
        c.error(path + ".vol_shock", "must lie in (-1, 5] (decimal vol change), got " + shown_with(it->dump(), 64, '\0'));
      } else {
        s.vol_shock = v;
      }
    }
  }
  const auto sh = j.find("shocks");
  if (sh == j.end() || sh->is_null()) {
    c.error(path + ".shocks", "is required: an object of factor: decimal return");
  } else if (!sh->is_object()) {
    c.error(path + ".shocks", "must be an object of factor: decimal return, got " + shown_with(sh->dump(), 64, '\0'));
  } else if (sh->empty()) {
    c.error(path + ".shocks", "must set at least one factor");
  } else {
    for (auto it = sh->begin(); it != sh->end(); ++it) {
      const std::string where = path + ".shocks." + shown_with(it.key(), 64, '\0');
      const std::string factor = to_lower(it.key());
      if (factor.empty()) {
        c.error(where, "factor name is empty");
        continue;
      }
      if (!it->is_number()) {
        c.error(where, "must be a number (decimal return, -0.20 = -20%), got " + shown_with(it->dump(), 64, '\0'));
        continue;
      }
      const double v = it->get<double>();
      if (!std::isfinite(v) || v <= -1.0 || v > 10.0) {
        c.error(where, "must be a decimal return above -1 (-100%) and at most 10 (+1000%), got " +
                           shown_with(it->dump(), 64, '\0'));
        continue;
      }
      if (s.find(factor)) {
        c.error(where, "factor " + factor + " is shocked twice");
        continue;
      }
      s.shocks.push_back({factor, v});
    }
  }
  return s;
}

}  // namespace

factors::ScenarioLibrary parse_scenarios(std::string_view text, const std::string& display_name,
                                         Diagnostics& diags) {
  factors::ScenarioLibrary lib;
  if (auto problem = check_json_text(text, display_name)) {
    diags.error(std::move(*problem));
    return lib;
  }
  const Json root = Json::parse(text.begin(), text.end());
  Checker c(display_name, diags);
  if (!root.is_object()) {
    c.error("(root)", "must be an object with a \"scenarios\" array");
    return lib;
  }
  static const std::set<std::string> known = {"format", "derived_by", "factor_data", "units", "scenarios", "note"};
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!known.count(it.key())) c.warning(shown_with(it.key(), 64, '\0'), "unknown field, ignored");
  }
  if (auto f = c.text(root, "format", "", false)) {
    if (*f != lib.format) c.error("format", "must be " + shown(lib.format) + ", got \"" + *f + "\"");
  }
  lib.derived_by = c.text(root, "derived_by", "", false).value_or("");
  lib.factor_data = c.text(root, "factor_data", "", false).value_or("");
  const auto sc = root.find("scenarios");
  if (sc == root.end() || !sc->is_array()) {
    c.error("scenarios", sc == root.end() ? "is required: an array of scenarios" : "must be an array, got " + shown_with(sc->dump(), 64, '\0'));
    return lib;
  }
  if (sc->empty()) c.error("scenarios", "is empty: give at least one scenario");
  std::set<std::string> names;
  for (std::size_t i = 0; i < sc->size(); ++i) {
    const std::string path = fmt::format("scenarios[{}]", i);
    const Json& j = (*sc)[i];
    if (!j.is_object()) {
      c.error(path, "must be an object, got " + shown_with(j.dump(), 64, '\0'));
      continue;
    }
    factors::Scenario s = parse_one(j, path, c);
    s.source = display_name;
    if (!s.name.empty() && !names.insert(s.name).second) {
      c.error(path + ".name", "duplicate scenario name " + shown(s.name) + "");
    }
    lib.scenarios.push_back(std::move(s));
  }
  if (diags.has_errors()) lib.scenarios.clear();
  return lib;
}

factors::ScenarioLibrary read_scenarios(const Files& files, const std::string& path,
                                        std::vector<std::string>* warnings) {
  const std::string text = read_text_file(files, path, "scenarios", "scenario file", kMaxJsonInputBytes);
  Diagnostics diags;
  factors::ScenarioLibrary lib = parse_scenarios(text, path, diags);
  diags.throw_if_errors("invalid scenario file " + path);
  if (warnings) {
    for (const auto& w : diags.warnings()) warnings->push_back(w.to_string());
  }
  return lib;
}

factors::ScenarioLibrary builtin_scenarios() {
  Diagnostics diags;
  factors::ScenarioLibrary lib = parse_scenarios(factors::builtin_scenarios_json(), "built-in scenarios", diags);
  if (diags.has_errors()) {
    throw Error::internal("the built-in scenario library is invalid: " + diags.errors().front().to_string());
  }
  for (auto& s : lib.scenarios) s.source = "built-in";
  return lib;
}

}  // namespace keel::io
