// src/server/query.h (private): query-string parameters and paginated lists for route handlers.
//
// QueryFields reads `?name=value` parameters with their type checked and collects every problem as
// "<name>: expected ..." before one Error::invalid_input, like Fields does for JSON bodies.
// paginate() cuts an already ordered JSON array into pages with the `limit` + opaque `cursor` of
// read_page(): {"items":[..],"next_cursor":..|null,"total":n}, the shape of GET /api/v1/portfolios.
//
// Thread-safety: per request (a Call belongs to one thread).
#pragma once

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
#include "resources.h"

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

// Reads the query parameters of `call` into `out` through R's description (spec::read_query:
// typed by field, ranges and choices checked, unknown names refused), leaving out those in
// `route_params` (e.g. format: read by the route itself). Throws Error::invalid_input("invalid
// <what>", problems).
template <class R>
void read_query(const Call& call, R& out, std::string_view what, std::initializer_list<std::string_view> route_params = {}) {
  spec::QueryTyper::Pairs pairs;
  for (const auto& [name, value] : call.req.query) {
    bool route = false;
    for (auto r : route_params) route = route || r == name;
    if (!route) pairs.emplace_back(name, value);
  }
  spec::read_query(pairs, out, what);
}

// One page of `items` (kept in their order) for the call's limit and cursor. The cursor encodes
// "<kind>:<offset>"; a cursor of another list answers 400 naming `cursor`.
nlohmann::json paginate(const Call& call, const nlohmann::json& items, const std::string& kind);

// One page of `items` (kept in their order) for a typed ?limit= ?cursor= (offset cursors
// "<kind>:<offset>"), with `total`.
template <class T>
PageOf<T> page_of(const PageQuery& q, std::vector<T> items, const std::string& kind) {
  const Page page = decode_page(q.limit, q.cursor);
  const std::size_t offset = page.cursor ? static_cast<std::size_t>(cursor_number(page, kind + ":")) : 0;
  PageOf<T> out;
  for (std::size_t i = offset; i < items.size() && out.items.size() < page.limit; ++i) {
    out.items.push_back(std::move(items[i]));
  }
  const std::size_t next = offset + out.items.size();
  if (next < items.size()) out.next_cursor.emplace(encode_cursor(kind + ":" + std::to_string(next)));
  out.total = items.size();
  return out;
}

}  // namespace keel::server
