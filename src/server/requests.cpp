#include "requests.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "keel/core/error.h"
#include "keel/io/json_input.h"
#include "keel/risk/covariance.h"
#include "keel/risk/var.h"
#include "keel/service/spec.h"

namespace keel::server {

const nlohmann::json* Fields::find(const std::string& name) const {
  if (!body_.is_object()) return nullptr;
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<double> Fields::number(const std::string& name) {
  const auto* v = find(name);
  if (!v) return std::nullopt;
  if (!v->is_number() || !std::isfinite(v->get<double>())) {
    fail(name, "expected a number");
    return std::nullopt;
  }
  return v->get<double>();
}

std::optional<std::int64_t> Fields::integer(const std::string& name, std::int64_t lo, std::int64_t hi) {
  const auto* v = find(name);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    fail(name, "expected an integer");
    return std::nullopt;
  }
  const auto x = v->get<std::int64_t>();
  if (x < lo || x > hi) {
    fail(name, fmt::format("expected an integer from {} to {}", lo, hi));
    return std::nullopt;
  }
  return x;
}

std::optional<std::string> Fields::text(const std::string& name) {
  const auto* v = find(name);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail(name, "expected a string");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> Fields::boolean(const std::string& name) {
  const auto* v = find(name);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    fail(name, "expected true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<Date> Fields::date(const std::string& name) {
  const auto t = text(name);
  if (!t) return std::nullopt;
  const auto d = Date::parse(*t);
  if (!d) fail(name, "expected a date YYYY-MM-DD, got '" + *t + "'");
  return d;
}

std::optional<std::vector<std::string>> Fields::texts(const std::string& name) {
  const auto* v = find(name);
  if (!v) return std::nullopt;
  if (v->is_string()) return std::vector<std::string>{v->get<std::string>()};
  if (v->is_array()) {
    std::vector<std::string> out;
    for (const auto& e : *v) {
      if (!e.is_string()) {
        fail(name, "expected a string or an array of strings");
        return std::nullopt;
      }
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  fail(name, "expected a string or an array of strings");
  return std::nullopt;
}

void Fields::throw_if_errors(const std::string& what) const {
  if (!errors_.empty()) throw Error::invalid_input("invalid " + what, errors_);
}

namespace {

// A request on the route's portfolio: the body read by the request's description, then the book
// source pointed at the tenant's portfolio (the path parameter, never a body field).
template <class R, class SourceOf>
R read_for_portfolio(const nlohmann::json& body, std::string_view what, const std::string& portfolio,
                     SourceOf source_of) {
  R r;
  spec::read_json(body, r, what);
  service::BookSource& source = source_of(r);
  source.portfolio = portfolio;
  return r;
}

}  // namespace

service::RiskVarRequest var_request_from_json(const nlohmann::json& body,
                                              const std::string& portfolio) {
  return read_for_portfolio<service::RiskVarRequest>(
      body, "risk/var request", portfolio, [](auto& r) -> auto& { return r.inputs.source; });
}

service::RiskBacktestRequest backtest_request_from_json(const nlohmann::json& body,
                                                        const std::string& portfolio) {
  return read_for_portfolio<service::RiskBacktestRequest>(
      body, "risk/backtest request", portfolio, [](auto& r) -> auto& { return r.inputs.source; });
}

service::RiskCorrelationRequest correlation_request_from_json(const nlohmann::json& body,
                                                              const std::string& portfolio) {
  return read_for_portfolio<service::RiskCorrelationRequest>(
      body, "risk/correlation request", portfolio, [](auto& r) -> auto& { return r.inputs.source; });
}

service::FactorsRequest factors_request_from_json(const nlohmann::json& body,
                                                  const std::string& portfolio) {
  return read_for_portfolio<service::FactorsRequest>(
      body, "risk/factors request", portfolio, [](auto& r) -> auto& { return r.inputs.source; });
}

service::StressRequest stress_request_from_json(const nlohmann::json& body,
                                                const std::string& portfolio) {
  return read_for_portfolio<service::StressRequest>(
      body, "risk/stress request", portfolio, [](auto& r) -> auto& { return r.inputs.source; });
}

service::BookHealthRequest health_request_from_json(const nlohmann::json& body, const std::string& portfolio) {
  return read_for_portfolio<service::BookHealthRequest>(body, "health request", portfolio,
                                                        [](auto& r) -> auto& { return r.book.source; });
}

service::ExposuresRequest exposures_request_from_json(const nlohmann::json& body,
                                                      const std::string& portfolio) {
  return read_for_portfolio<service::ExposuresRequest>(
      body, "exposures request", portfolio, [](auto& r) -> auto& { return r.book.source; });
}

service::OptionGreeksRequest greeks_request_from_json(const nlohmann::json& body,
                                                      const std::string& portfolio) {
  return read_for_portfolio<service::OptionGreeksRequest>(
      body, "greeks request", portfolio, [](auto& r) -> auto& { return r.book.source; });
}

std::string positions_json_to_csv(const nlohmann::json& rows, std::string_view what) {
  return io::csv_of_json_rows(rows, what, "", {"tags"});
}

}  // namespace keel::server
