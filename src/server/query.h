// src/server/query.h (private): query-string parameters and paginated lists for route handlers.
//
// QueryFields reads `?name=value` parameters with their type checked and collects every problem as
// "<name>: expected ..." before one Error::invalid_input, like Fields does for JSON bodies.
// paginate() cuts an already ordered JSON array into pages with the `limit` + opaque `cursor` of
// read_page(): {"items":[..],"next_cursor":..|null,"total":n}, the shape of GET /api/v1/portfolios.
//
// Thread-safety: per request (a Call belongs to one thread).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string_view>
#include <optional>
#include <string>
#include <vector>

#include "app.h"
#include "keel/core/date.h"
#include "keel/service/spec.h"

namespace keel::server {

class QueryFields {
 public:
  explicit QueryFields(const Call& call) : call_(call) {}
  std::optional<std::string> text(const std::string& name) const { return call_.query(name); }
  std::optional<Date> date(const std::string& name);
  std::optional<std::int64_t> integer(const std::string& name, std::int64_t lo, std::int64_t hi);
  std::optional<double> number(const std::string& name);
  std::optional<bool> boolean(const std::string& name);  // true/false/1/0
  void fail(const std::string& name, const std::string& message) { errors_.push_back(name + ": " + message); }
  // Throws Error::invalid_input("invalid <what>", every problem) when any parameter was bad.
  void throw_if_errors(const std::string& what) const;

 private:
  const Call& call_;
  std::vector<std::string> errors_;
};

// The query parameters of a GET route as the JSON object its request description reads: each
// parameter named by an HTTP field is converted by the field's type (numbers and booleans parsed,
// the rest kept as text, so a bad value is reported by spec::JsonReader as for a body).
class QueryObject {
 public:
  QueryObject(const Call& call, nlohmann::json& out) : call_(call), out_(out) {}

  template <class T>
  void field(const spec::Field& f, const T&) {
    if (!(f.faces & spec::kHttp)) return;
    if (auto t = call_.query(std::string(f.name))) out_[std::string(f.name)] = convert<T>(*t);
  }
  template <class E, class Names>
  void choice(const spec::Field& f, const E&, const Names&) {
    if (!(f.faces & spec::kHttp)) return;
    if (auto t = call_.query(std::string(f.name))) out_[std::string(f.name)] = *t;
  }
  template <class E, class Names>
  void choice_list(const spec::Field& f, const std::vector<E>&, const Names&, std::string_view = {}) {
    if (!(f.faces & spec::kHttp)) return;
    auto t = call_.query(std::string(f.name));
    if (!t) return;
    nlohmann::json a = nlohmann::json::array();
    std::size_t start = 0;
    while (start <= t->size()) {
      const auto end = std::min(t->find(',', start), t->size());
      a.push_back(t->substr(start, end - start));
      start = end + 1;
    }
    out_[std::string(f.name)] = std::move(a);
  }
  template <class S>
  void flatten(const S& part) {
    S::fields(*this, part);
  }

 private:
  template <class T>
  static nlohmann::json convert(const std::string& t) {
    if constexpr (spec::is_optional<T>::value || spec::is_nullable<T>::value) {
      return convert<typename T::value_type>(t);
    } else if constexpr (std::same_as<T, bool>) {
      if (t == "true" || t == "1") return true;
      if (t == "false" || t == "0") return false;
      return t;
    } else if constexpr (spec::Integer<T>) {
      std::int64_t v = 0;
      const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (!t.empty() && ec == std::errc() && p == t.data() + t.size()) return v;
      return t;
    } else if constexpr (std::floating_point<T>) {
      double v = 0;
      const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (!t.empty() && ec == std::errc() && p == t.data() + t.size() && std::isfinite(v)) return v;
      return t;
    } else {
      return t;
    }
  }

  const Call& call_;
  nlohmann::json& out_;
};

// Reads the query parameters of `call` into `out` through R's description (its HTTP fields),
// with the rules of spec::read_json: every problem as "<name>: expected ...", and a parameter
// the description does not name refused, except those in `route_params` (format, limit, cursor:
// read by the route itself). Throws Error::invalid_input("invalid <what>", problems).
template <class R>
void read_query(const Call& call, R& out, std::string_view what, std::initializer_list<std::string_view> route_params = {}) {
  nlohmann::json object = nlohmann::json::object();
  QueryObject q(call, object);
  R::fields(q, out);
  spec::JsonReader reader(object);
  R::fields(reader, out);
  reader.refuse_unknown();
  for (const auto& [name, value] : call.req.query) {
    if (object.contains(name)) continue;
    bool known = false;
    for (auto r : route_params) known = known || r == name;
    if (!known) reader.problem(name, "not a query parameter of this route");
  }
  reader.throw_if_problems(what);
}

// One page of `items` (kept in their order) for the call's limit and cursor. The cursor encodes
// "<kind>:<offset>"; a cursor of another list answers 400 naming `cursor`.
nlohmann::json paginate(const Call& call, const nlohmann::json& items, const std::string& kind);

}  // namespace keel::server
