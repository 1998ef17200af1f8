#include "keel/service/spec.h"
#include "keel/service/spec_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/io/input.h"

namespace keel::spec {

namespace {

std::string number_text(double x) {
  if (std::isinf(x)) return x > 0 ? "infinity" : "-infinity";
  return fmt::format("{}", x);
}

}  // namespace

std::string range_text(const Field& f) {
  const bool lo = std::isfinite(f.min);
  const bool hi = std::isfinite(f.max);
  if (lo && hi && !f.min_exclusive && !f.max_exclusive) {
    return fmt::format("from {} to {}", number_text(f.min), number_text(f.max));
  }
  std::string out;
  if (lo) out = fmt::format("{} {}", f.min_exclusive ? "greater than" : "at least", number_text(f.min));
  if (hi) {
    if (!out.empty()) out += " and ";
    out += fmt::format("{} {}", f.max_exclusive ? "less than" : "at most", number_text(f.max));
  }
  return out;
}

std::string text_problem(const Field& f, std::string_view text) {
  if (f.nonblank && trim(text).empty()) return "must not be blank";
  if (f.max_length > 0 && text.size() > f.max_length) {
    return fmt::format("expected at most {} characters, got {}", f.max_length, text.size());
  }
  return {};
}

std::string name_problem(std::string_view text, std::size_t max_length) {
  return text_problem(Field{.name = "name", .nonblank = true, .max_length = max_length}, text);
}

std::string range_problem(const Field& f, double x, bool integer) {
  const bool below = f.min_exclusive ? !(x > f.min) : !(x >= f.min);
  const bool above = f.max_exclusive ? !(x < f.max) : !(x <= f.max);
  if (!below && !above) return {};
  return fmt::format("expected {} {}, got {}", integer ? "an integer" : "a number", range_text(f), number_text(x));
}

std::string cli_flag(const Field& f) {
  std::string name(f.cli_name.empty() ? f.name : f.cli_name);
  for (char& c : name) {
    if (c == '_') c = '-';
  }
  return "--" + name;
}

// ---- CliOptions ----------------------------------------------------------------------------------

CliOption& CliOptions::add(const Field& f, CliOption::Kind kind) {
  CliOption& o = options.emplace_back();
  o.field = f;
  o.kind = kind;
  // A positional argument is named without dashes (its name in --help's usage line).
  o.flag = f.cli_positional ? cli_flag(f).substr(2) : cli_flag(f);
  if (kind == CliOption::Kind::kOnOff || kind == CliOption::Kind::kOptionalStrings) {
    o.off_flag = f.cli_off.empty() ? "--no-" + o.flag.substr(2) : "--" + std::string(f.cli_off);
  }
  o.help = std::string(f.help);
  if (!f.unit.empty()) o.help += " [" + std::string(f.unit) + "]";
  const auto range = range_text(f);
  if (!range.empty()) o.help += " (" + range + ")";
  return o;
}

// ---- JsonReader ----------------------------------------------------------------------------------

JsonReader::JsonReader(const nlohmann::json& object, std::string path) : object_(object), path_(std::move(path)) {}

const nlohmann::json* JsonReader::find(std::string_view name) const {
  if (!object_.is_object()) return nullptr;
  const auto it = object_.find(std::string(name));
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string JsonReader::item_path(std::string_view at, std::size_t i) { return fmt::format("{}[{}]", at, i); }

std::string JsonReader::path_of(std::string_view name) const {
  return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
}

void JsonReader::problem(const std::string& path, std::string message) {
  problems_.push_back(path + ": " + message);
}

std::string JsonReader::shown(const std::string& s) { return io::shown(s, 80); }

QueryTyper::QueryTyper(const Pairs& pairs, nlohmann::json& out) : pairs_(pairs), out_(out) {
  for (const auto& [name, value] : pairs_) {
    if (!out_.contains(name)) out_[name] = value;  // typed below when the description names it
  }
}

std::vector<std::string> QueryTyper::take(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [n, v] : pairs_) {
    if (n == name) values.push_back(v);
  }
  return values;
}

std::vector<std::string> QueryTyper::split_list(const std::string& v) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= v.size()) {
    const auto end = std::min(v.find(',', start), v.size());
    if (end > start) items.push_back(v.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

nlohmann::json QueryTyper::as_integer(const std::string& v) {
  std::int64_t x = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec == std::errc() && ptr == v.data() + v.size() && !v.empty()) return x;
  std::uint64_t u = 0;
  const auto [uptr, uec] = std::from_chars(v.data(), v.data() + v.size(), u);
  if (uec == std::errc() && uptr == v.data() + v.size() && !v.empty()) return u;
  return v;  // read_json: "expected an integer"
}

nlohmann::json QueryTyper::as_number(const std::string& v) {
  double x = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec == std::errc() && ptr == v.data() + v.size() && !v.empty() && std::isfinite(x)) return x;
  return v;  // read_json: "expected a number"
}

nlohmann::json QueryTyper::as_boolean(const std::string& v) {
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  return v;  // read_json: "expected true or false"
}

void JsonReader::refuse_unknown(std::string_view noun) {
  if (!object_.is_object()) return;
  for (const auto& [key, value] : object_.items()) {
    bool known = false;
    for (const auto name : seen_) known = known || name == key;
    if (known) continue;
    std::string names;
    for (const auto name : seen_) names += (names.empty() ? "" : ", ") + std::string(name);
    const bool query = noun.find("parameter") != std::string_view::npos;
    problems_.push_back(
        fmt::format("{}: not a {} ({}: {})", shown(path_of(key)), noun, query ? "parameters" : "fields", names));
  }
}

void JsonReader::throw_if_problems(std::string_view what) const {
  if (!problems_.empty()) throw Error::invalid_input(fmt::format("invalid {}", what), problems_);
}

bool JsonReader::read_scalar(const Field&, const std::string& at, const nlohmann::json& v, bool& out) {
  if (!v.is_boolean()) {
    problem(at, "expected true or false");
    return false;
  }
  out = v.get<bool>();
  return true;
}

bool JsonReader::read_scalar(const Field& f, const std::string& at, const nlohmann::json& v, double& out) {
  if (v.is_null() && nulls_as_nan_) {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (!v.is_number() || !std::isfinite(v.get<double>())) {
    problem(at, std::isfinite(f.min) || std::isfinite(f.max) ? "expected a number " + range_text(f)
                                                             : std::string("expected a number"));
    return false;
  }
  const double x = v.get<double>();
  if (auto p = range_problem(f, x, false); !p.empty()) {
    problem(at, p);
    return false;
  }
  out = x;
  return true;
}

bool JsonReader::read_scalar(const Field& f, const std::string& at, const nlohmann::json& v, std::string& out) {
  if (!v.is_string()) {
    problem(at, "expected a string");
    return false;
  }
  if (const std::string p = text_problem(f, v.get_ref<const std::string&>()); !p.empty()) {
    problem(at, p);
    return false;
  }
  out = v.get<std::string>();
  return true;
}

bool JsonReader::read_scalar(const Field&, const std::string& at, const nlohmann::json& v, Date& out) {
  if (!v.is_string()) {
    problem(at, "expected a date YYYY-MM-DD");
    return false;
  }
  const auto text = v.get<std::string>();
  const auto d = Date::parse(text);
  if (!d) {
    problem(at, "expected a date YYYY-MM-DD, got " + shown(text));
    return false;
  }
  out = *d;
  return true;
}

bool JsonReader::read_integer(const Field& f, const std::string& at, const nlohmann::json& v, std::int64_t lo,
                              std::uint64_t hi, std::int64_t& out_signed, std::uint64_t& out_unsigned,
                              bool is_signed) {
  // Bounds of the type narrowed by the field's range.
  Field bounds = f;
  bounds.min = std::max(f.min, static_cast<double>(lo));
  bounds.max = std::min(f.max, static_cast<double>(hi));
  const auto expected = [&] { return "expected an integer " + range_text(bounds); };
  if (v.is_number_unsigned()) {
    const auto x = v.get<std::uint64_t>();
    if (x > hi || !range_problem(bounds, static_cast<double>(x), true).empty()) {
      problem(at, fmt::format("{}, got {}", expected(), x));
      return false;
    }
    out_unsigned = x;
    out_signed = static_cast<std::int64_t>(x);
    return true;
  }
  if (v.is_number_integer()) {
    const auto x = v.get<std::int64_t>();
    if (x < lo || (!is_signed && x < 0) || !range_problem(bounds, static_cast<double>(x), true).empty()) {
      problem(at, fmt::format("{}, got {}", expected(), x));
      return false;
    }
    out_signed = x;
    out_unsigned = static_cast<std::uint64_t>(x);
    return true;
  }
  problem(at, expected());
  return false;
}

// ---- SchemaWriter ------------------------------------------------------------------------------

void SchemaWriter::annotate(const Field& f, nlohmann::json& s) {
  std::string description(f.help);
  if (!f.unit.empty()) description += (description.empty() ? "" : " ") + fmt::format("[{}]", f.unit);
  if (!description.empty()) s["description"] = description;
  if (!f.unit.empty()) s["x-unit"] = std::string(f.unit);
  if (std::isfinite(f.min)) s[f.min_exclusive ? "exclusiveMinimum" : "minimum"] = f.min;
  if (std::isfinite(f.max)) s[f.max_exclusive ? "exclusiveMaximum" : "maximum"] = f.max;
  if (f.nonblank) {
    s["minLength"] = 1;
    s["pattern"] = "\\S";
  }
  if (f.max_length > 0) s["maxLength"] = f.max_length;
}

void SchemaWriter::add(const Field& f, nlohmann::json s, bool present) {
  const std::string name(f.name);
  schema_["properties"][name] = std::move(s);
  const bool required = role_ == Role::kRequest ? f.required : present && !all_optional_;
  if (required) required_.push_back(name);
}

std::string SchemaWriter::prefix_pattern(std::string_view prefix) {
  std::string out = "^";
  for (const char ch : prefix) {
    if (std::string_view("\\^$.|?*+()[]{}").find(ch) != std::string_view::npos) out += '\\';
    out += ch;
  }
  return out;
}

void SchemaWriter::close() {
  if (!required_.empty()) schema_["required"] = required_;
  schema_["additionalProperties"] = false;
}

}  // namespace keel::spec
