// src/server/requests.h (private): request bodies (JSON) into the service layer's request structs.
//
// Parsing only: every field is read with its type checked and every problem is collected as
// "<field>: expected ..." before one Error::invalid_input is thrown, so a client learns all its
// mistakes at once and which field each is about. Field names are the CLI flags with '_' for '-'.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/book_health.h"
#include "keel/service/exposures.h"
#include "keel/service/factors.h"
#include "keel/service/risk.h"
#include "keel/service/spec.h"

namespace keel::server {

class Fields {
 public:
  explicit Fields(const nlohmann::json& body) : body_(body) {}
  std::optional<double> number(const std::string& name);
  // Integers in [lo, hi].
  std::optional<std::int64_t> integer(const std::string& name, std::int64_t lo, std::int64_t hi);
  std::optional<std::string> text(const std::string& name);
  std::optional<bool> boolean(const std::string& name);
  std::optional<Date> date(const std::string& name);
  // A string or an array of strings.
  std::optional<std::vector<std::string>> texts(const std::string& name);
  void fail(const std::string& name, const std::string& message) { errors_.push_back(name + ": " + message); }
  // A problem already written as "<field path>: <message>" (e.g. by spec::JsonReader).
  void add_problem(const std::string& problem) { errors_.push_back(problem); }
  const nlohmann::json& body() const { return body_; }
  // Throws Error::invalid_input("invalid <what>", every problem) when any field was bad.
  void throw_if_errors(const std::string& what) const;

 private:
  const nlohmann::json* find(const std::string& name) const;
  const nlohmann::json& body_;
  std::vector<std::string> errors_;
};

service::RiskVarRequest var_request_from_json(const nlohmann::json& body,
                                              const std::string& portfolio);
service::RiskBacktestRequest backtest_request_from_json(const nlohmann::json& body,
                                                        const std::string& portfolio);
service::RiskCorrelationRequest correlation_request_from_json(const nlohmann::json& body,
                                                              const std::string& portfolio);
service::FactorsRequest factors_request_from_json(const nlohmann::json& body,
                                                  const std::string& portfolio);
service::StressRequest stress_request_from_json(const nlohmann::json& body,
                                                const std::string& portfolio);
service::BookHealthRequest health_request_from_json(const nlohmann::json& body, const std::string& portfolio);
service::ExposuresRequest exposures_request_from_json(const nlohmann::json& body,
                                                      const std::string& portfolio);
service::OptionGreeksRequest greeks_request_from_json(const nlohmann::json& body,
                                                      const std::string& portfolio);

// A JSON array of position objects as positions CSV text (header = union of the keys in first-seen
// order; values quoted when needed), so uploads in JSON go through the same validating reader as
// CSV files; row i of the array is line i + 2 of that text. Throws invalid_input for non-objects
// or nested values, naming the index; `what` names the array in that error. Other uploads of rows
// in JSON (a CLO deal's ratings and marks) go through it the same way.
std::string positions_json_to_csv(const nlohmann::json& rows, std::string_view what = "positions array");

// One cell of such a row, as the OpenAPI document describes it: a string or a number (text where
// a number belongs is refused by the reader at its line and column), or for `tags` also an array
// of strings. The rows are converted by positions_json_to_csv, not read through these types.
struct TableCell {
  nlohmann::json value;
};
struct TagsCell {
  nlohmann::json value;
};

// Reads `body` into `out` as spec::read_json does (unknown fields refused, field paths) and adds
// the problem of an empty `out.name` or one longer than 200 characters (the names of portfolios
// and modelling sessions), reported with the others in one Error::invalid_input("invalid <what>").
template <class R>
void read_named_json(const nlohmann::json& body, R& out, std::string_view what) {
  spec::JsonReader reader(body);
  if (!body.is_object()) {
    reader.problem("(body)", "expected a JSON object");
  } else {
    R::fields(reader, out);
    reader.refuse_unknown();
    if (body.contains("name")) {
      if (out.name.empty()) reader.fail("name", "required");
      else if (const auto p = spec::name_problem(out.name, 200); !p.empty()) reader.fail("name", p);
    }
  }
  reader.throw_if_problems(what);
}

}  // namespace keel::server

namespace keel::spec {
template <>
struct ValueCodec<server::TableCell> {
  static nlohmann::json write(const server::TableCell& c) { return c.value; }
  static nlohmann::json schema() { return {{"type", nlohmann::json::array({"string", "number"})}}; }
};
template <>
struct ValueCodec<server::TagsCell> {
  static nlohmann::json write(const server::TagsCell& c) { return c.value; }
  static nlohmann::json schema() {
    return {{"anyOf", nlohmann::json::array(
                          {{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}})}};
  }
};
}  // namespace keel::spec
