// tests/server/schema_check.h: every JSON response the server tests receive is checked against the
// schema its route declares in the OpenAPI document (GET /api/v1/openapi.json).
//
// A small validator for the part of JSON Schema 2020-12 that keel's documents use: type (one or a
// list), properties, patternProperties, required, additionalProperties (false or a schema), items, minItems, enum,
// oneOf, anyOf, $ref to #/components/schemas/..., minimum/maximum and their exclusive forms, format
// "date". It is written from the JSON Schema specification, separately from the generator
// (keel/service/spec.h), and tests/openapi checks the same documents with python3-jsonschema.
#pragma once

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

namespace keel::server::testing {

class SchemaCheck {
 public:
  explicit SchemaCheck(nlohmann::json document) : doc_(std::move(document)) {}

  // Problems of `value` against `schema` ("<path>: <what>"); empty when it conforms.
  std::vector<std::string> check(const nlohmann::json& value, const nlohmann::json& schema) const {
    std::vector<std::string> out;
    walk(value, schema, "$", out, 0);
    return out;
  }

  // Whether the route of `method` `path` declares the body of any success response (then every
  // success it answers must have a declared schema).
  bool typed(const std::string& method, const std::string& path) const {
    const auto* op = operation(method, path);
    if (!op) return false;
    for (const auto& [code, r] : (*op)["responses"].items()) {
      if (code.size() == 3 && code[0] == '2' && r.contains("content")) return true;
    }
    return false;
  }

  // Whether `method` `path` declares a response with `status` (an error status included).
  bool declares(const std::string& method, const std::string& path, int status) const {
    const auto* op = operation(method, path);
    return op && (*op)["responses"].contains(std::to_string(status));
  }

  // The media types `method` `path` declares for `status` (e.g. "application/json", "text/csv";
  // parameters such as "; version=0.0.4" kept), empty when it declares none.
  std::vector<std::string> media_types(const std::string& method, const std::string& path, int status) const {
    std::vector<std::string> out;
    const auto* op = operation(method, path);
    if (!op) return out;
    const auto& responses = (*op)["responses"];
    const std::string code = std::to_string(status);
    if (!responses.contains(code) || !responses[code].contains("content")) return out;
    for (const auto& [type, unused] : responses[code]["content"].items()) out.push_back(type);
    return out;
  }

  // Whether a response's Content-Type header is one of `declared` (compared without parameters
  // and case, as RFC 9110 media types are: "text/plain; version=0.0.4" is text/plain).
  static bool media_type_declared(const std::string& content_type, const std::vector<std::string>& declared) {
    const auto base = [](const std::string& t) {
      std::string b = t.substr(0, t.find(';'));
      while (!b.empty() && b.back() == ' ') b.pop_back();
      for (auto& ch : b) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return b;
    };
    for (const auto& d : declared) {
      if (base(d) == base(content_type)) return true;
    }
    return false;
  }

  // The response schema of `method` `path` (a concrete path such as /api/v1/portfolios/3/risk/var)
  // for `status`, or null when the route declares none.
  nlohmann::json response_schema(const std::string& method, const std::string& path, int status) const {
    const auto* op = operation(method, path);
    if (!op) return nullptr;
    const auto& responses = (*op)["responses"];
    const std::string code = std::to_string(status);
    if (!responses.contains(code)) return nullptr;
    const auto& r = responses[code];
    if (!r.contains("content") || !r["content"].contains("application/json")) return nullptr;
    return r["content"]["application/json"]["schema"];
  }

 private:
  // The operation object of `method` on the path template matching `path`, or null.
  const nlohmann::json* operation(const std::string& method, const std::string& path) const {
    std::string m = method;
    for (auto& ch : m) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const std::string bare = path.substr(0, path.find('?'));
    if (!doc_.contains("paths")) return nullptr;
    for (const auto& [tmpl, item] : doc_["paths"].items()) {
      if (matches(tmpl, bare) && item.contains(m)) return &item[m];
    }
    return nullptr;
  }

  static std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= s.size()) {
      const auto end = std::min(s.find('/', start), s.size());
      parts.push_back(s.substr(start, end - start));
      start = end + 1;
    }
    return parts;
  }
  static bool matches(const std::string& tmpl, const std::string& path) {
    const auto a = split(tmpl);
    const auto b = split(path);
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const bool param = a[i].size() > 2 && a[i].front() == '{' && a[i].back() == '}';
      if (!param && a[i] != b[i]) return false;
      if (param && b[i].empty()) return false;
    }
    return true;
  }

  static bool is_type(const nlohmann::json& v, const std::string& t) {
    if (t == "null") return v.is_null();
    if (t == "boolean") return v.is_boolean();
    if (t == "integer") return v.is_number_integer() || (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<long long>(v.get<double>())));
    if (t == "number") return v.is_number();
    if (t == "string") return v.is_string();
    if (t == "array") return v.is_array();
    if (t == "object") return v.is_object();
    return false;
  }

  static bool is_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
      if (s[i] < '0' || s[i] > '9') return false;
    }
    const int month = std::stoi(s.substr(5, 2));
    const int day = std::stoi(s.substr(8, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }

  void walk(const nlohmann::json& v, const nlohmann::json& s, const std::string& at, std::vector<std::string>& out,
            int depth) const {
    if (depth > 64) {
      out.push_back(at + ": schema nesting too deep");
      return;
    }
    if (s.is_boolean()) {
      if (!s.get<bool>()) out.push_back(at + ": no value is allowed here");
      return;
    }
    if (!s.is_object()) return;
    if (s.contains("$ref")) {
      const std::string ref = s["$ref"];
      const std::string prefix = "#/components/schemas/";
      if (ref.rfind(prefix, 0) != 0 || !doc_["components"]["schemas"].contains(ref.substr(prefix.size()))) {
        out.push_back(at + ": unresolved $ref " + ref);
        return;
      }
      walk(v, doc_["components"]["schemas"][ref.substr(prefix.size())], at, out, depth + 1);
    }
    if (s.contains("type")) {
      bool ok = false;
      if (s["type"].is_string()) ok = is_type(v, s["type"]);
      for (const auto& t : s["type"].is_array() ? s["type"] : nlohmann::json::array()) ok = ok || is_type(v, t);
      if (!ok) {
        out.push_back(at + ": expected " + s["type"].dump() + ", got " + std::string(v.type_name()));
        return;
      }
    }
    if (s.contains("enum")) {
      bool ok = false;
      for (const auto& e : s["enum"]) ok = ok || e == v;
      if (!ok) out.push_back(at + ": " + v.dump() + " is not one of " + s["enum"].dump());
    }
    if (s.contains("oneOf")) {
      int matched = 0;
      for (const auto& alt : s["oneOf"]) {
        std::vector<std::string> sub;
        walk(v, alt, at, sub, depth + 1);
        matched += sub.empty() ? 1 : 0;
      }
      if (matched != 1) out.push_back(at + ": matches " + std::to_string(matched) + " of the oneOf schemas, not 1");
    }
    if (s.contains("anyOf")) {
      bool any = false;
      for (const auto& alt : s["anyOf"]) {
        std::vector<std::string> sub;
        walk(v, alt, at, sub, depth + 1);
        any = any || sub.empty();
      }
      if (!any) out.push_back(at + ": matches none of the anyOf schemas");
    }
    if (v.is_number()) {
      const double x = v.get<double>();
      if (s.contains("minimum") && x < s["minimum"].get<double>()) out.push_back(at + ": below minimum");
      if (s.contains("maximum") && x > s["maximum"].get<double>()) out.push_back(at + ": above maximum");
      if (s.contains("exclusiveMinimum") && x <= s["exclusiveMinimum"].get<double>()) out.push_back(at + ": not above exclusiveMinimum");
      if (s.contains("exclusiveMaximum") && x >= s["exclusiveMaximum"].get<double>()) out.push_back(at + ": not below exclusiveMaximum");
    }
    if (v.is_string() && s.value("format", "") == "date" && !is_date(v.get<std::string>())) {
      out.push_back(at + ": not a date YYYY-MM-DD: " + v.dump());
    }
    if (v.is_array()) {
      if (s.contains("minItems") && v.size() < s["minItems"].get<std::size_t>()) out.push_back(at + ": too few items");
      if (s.contains("items")) {
        for (std::size_t i = 0; i < v.size(); ++i) walk(v[i], s["items"], at + "[" + std::to_string(i) + "]", out, depth + 1);
      }
    }
    if (v.is_object()) {
      const auto props = s.value("properties", nlohmann::json::object());
      for (const auto& r : s.value("required", nlohmann::json::array())) {
        if (!v.contains(r.get<std::string>())) out.push_back(at + ": missing required " + r.get<std::string>());
      }
      const auto patterns = s.value("patternProperties", nlohmann::json::object());
      for (const auto& [k, x] : v.items()) {
        bool by_pattern = false;
        for (const auto& [pattern, ps] : patterns.items()) {
          if (!std::regex_search(k, std::regex(pattern, std::regex::ECMAScript))) continue;
          by_pattern = true;
          walk(x, ps, at + "." + k, out, depth + 1);
        }
        if (props.contains(k)) {
          walk(x, props[k], at + "." + k, out, depth + 1);
        } else if (!by_pattern && s.contains("additionalProperties")) {
          walk(x, s["additionalProperties"], at + "." + k, out, depth + 1);
        }
      }
    }
  }

  nlohmann::json doc_;
};

}  // namespace keel::server::testing
