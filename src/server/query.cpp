#include "query.h"

#include <charconv>
#include <cmath>

namespace keel::server {

std::optional<Date> QueryFields::date(const std::string& name) {
  const auto t = text(name);
  if (!t) return std::nullopt;
  const auto d = Date::parse(*t);
  if (!d) fail(name, "expected a date YYYY-MM-DD, got '" + *t + "'");
  return d;
}

std::optional<std::int64_t> QueryFields::integer(const std::string& name, std::int64_t lo, std::int64_t hi) {
  const auto t = text(name);
  if (!t) return std::nullopt;
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(t->data(), t->data() + t->size(), v);
  if (ec != std::errc() || ptr != t->data() + t->size() || v < lo || v > hi) {
    fail(name, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    return std::nullopt;
  }
  return v;
}

std::optional<double> QueryFields::number(const std::string& name) {
  const auto t = text(name);
  if (!t) return std::nullopt;
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(t->data(), t->data() + t->size(), v);
  if (t->empty() || ec != std::errc() || ptr != t->data() + t->size() || !std::isfinite(v)) {
    fail(name, "expected a number");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> QueryFields::boolean(const std::string& name) {
  const auto t = text(name);
  if (!t) return std::nullopt;
  if (*t == "true" || *t == "1") return true;
  if (*t == "false" || *t == "0") return false;
  fail(name, "expected true or false");
  return std::nullopt;
}

void QueryFields::throw_if_errors(const std::string& what) const {
  if (!errors_.empty()) throw Error::invalid_input("invalid " + what, errors_);
}

nlohmann::json paginate(const Call& call, const nlohmann::json& items, const std::string& kind) {
  const Page page = read_page(call);
  const std::size_t offset = page.cursor ? static_cast<std::size_t>(cursor_number(page, kind + ":")) : 0;
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = offset; i < items.size() && out.size() < page.limit; ++i) out.push_back(items[i]);
  const std::size_t next = offset + out.size();
  return {{"items", out},
          {"next_cursor", next < items.size() ? nlohmann::json(encode_cursor(kind + ":" + std::to_string(next)))
                                              : nlohmann::json(nullptr)},
          {"total", items.size()}};
}

}  // namespace keel::server
