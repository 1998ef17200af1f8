// src/server/query.h (private): query-string parameters and paginated lists for route handlers.
//
// read_query() reads `?name=value` parameters through a request's description (spec::read_query),
// leaving out those the route reads itself; page_of() cuts an ordered list into the typed page
// {"items", "next_cursor", "total"} of a ?limit= ?cursor= (PageQuery, resources.h).
//
// Thread-safety: per request (a Call belongs to one thread).
#pragma once

#include <fmt/format.h>

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
  if (next < items.size()) out.next_cursor.emplace(encode_cursor(fmt::format("{}:{}", kind, next)));
  out.total = items.size();
  return out;
}

}  // namespace keel::server
