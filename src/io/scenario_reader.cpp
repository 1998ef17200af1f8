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
  std::size_t errors() const { return diags_.error_count(); }
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

// "daily": {"factors": [names], "rows": [["YYYY-MM-DD", return, ...], ...]}: each day of the window
// (start, end] in ascending order, one decimal return per factor; the shocks must be the rows'
// compounded returns.
std::optional<FactorTable> parse_daily(const Json& d, const std::string& path, const factors::Scenario& s,
                                       Checker& c) {
  const std::size_t errors_before = c.errors();
  if (!d.is_object()) {
    c.error(path, "must be an object {\"factors\": [names], \"rows\": [[date, returns...]]}");
    return std::nullopt;
  }
  FactorTable out;
  const auto f = d.find("factors");
  if (f == d.end() || !f->is_array() || f->empty()) {
    c.error(path + ".factors", "is required: a non-empty array of factor names");
    return std::nullopt;
  }
  for (std::size_t k = 0; k < f->size(); ++k) {
    const Json& n = (*f)[k];
    const std::string where = fmt::format("{}.factors[{}]", path, k);
    if (!n.is_string() || n.get<std::string>().empty()) {
      c.error(where, "must be a factor name, got " + shown_with(n.dump(), 64, '\0'));
      continue;
    }
    const std::string name = to_lower(n.get<std::string>());
    if (out.find(name)) c.error(where, "factor " + name + " is listed twice");
    if (!s.find(name)) c.error(where, "factor " + name + " has no shock: the shocks are the path's compounded returns");
    out.names.push_back(name);
  }
  const auto rows = d.find("rows");
  if (rows == d.end() || !rows->is_array() || rows->empty()) {
    c.error(path + ".rows", "is required: a non-empty array of [date, one return per factor]");
    return std::nullopt;
  }
  for (std::size_t t = 0; t < rows->size(); ++t) {
    const Json& row = (*rows)[t];
    const std::string where = fmt::format("{}.rows[{}]", path, t);
    if (!row.is_array() || row.size() != out.names.size() + 1) {
      c.error(where, fmt::format("must be [date, {} returns], got {}", out.names.size(), shown_with(row.dump(), 64, '\0')));
      continue;
    }
    const auto date = row[0].is_string() ? Date::parse(row[0].get<std::string>()) : std::nullopt;
    if (!date) {
      c.error(where + "[0]", "must be a date YYYY-MM-DD, got " + shown_with(row[0].dump(), 64, '\0'));
      continue;
    }
    if (s.start && s.end && (!(*s.start < *date) || *s.end < *date)) {
      c.error(where + "[0]", "must lie in the window (" + s.start->to_string() + ", " + s.end->to_string() + "], got " +
                                 date->to_string());
    }
    if (!out.dates.empty() && !(out.dates.back() < *date)) {
      c.error(where + "[0]", "must come after " + out.dates.back().to_string() + ": days ascending, each once");
    }
    out.dates.push_back(*date);
    for (std::size_t k = 0; k < out.names.size(); ++k) {
      const Json& v = row[k + 1];
      const double x = v.is_number() ? v.get<double>() : std::nan("");
      if (!std::isfinite(x) || x <= -1.0 || x > 10.0) {
        c.error(fmt::format("{}[{}]", where, k + 1),
                "must be a decimal return above -1 and at most 10, got " + shown_with(v.dump(), 64, '\0'));
      }
      out.values.push_back(x);
    }
  }
  if (c.errors() != errors_before) return std::nullopt;
  for (std::size_t k = 0; k < out.names.size(); ++k) {
    double growth = 1.0;
    for (std::size_t t = 0; t < out.rows(); ++t) growth *= 1.0 + out.at(t, k);
    const double shock = s.find(out.names[k])->shock;
    if (std::abs(growth - 1.0 - shock) > 1e-9 * std::max(1.0, std::abs(shock))) {
      c.error(path + ".rows", fmt::format("compound to {} for {}, not its shock {}", growth - 1.0, out.names[k], shock));
    }
  }
  if (out.names.size() != s.shocks.size()) {
    c.error(path + ".factors", "must list every shocked factor: the shocks are the path's compounded returns");
  }
  if (c.errors() != errors_before) return std::nullopt;
  return out;
}

factors::Scenario parse_one(const Json& j, const std::string& path, Checker& c) {
  factors::Scenario s;
  static const std::set<std::string> known = {"name",   "label",     "kind",   "description", "start", "end",
                                              "shocks", "vol_shock", "source", "note",        "daily"};
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
  if (const auto d = j.find("daily"); d != j.end() && !d->is_null()) {
    if (!historical) {
      c.error(path + ".daily", "only a historical scenario has a daily path");
    } else {
      s.daily = parse_daily(*d, path + ".daily", s, c);
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
