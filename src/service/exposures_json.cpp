// JSON shapes of `keel exposures` and `keel options greeks` (INTERFACES.md).
#include <nlohmann/json.hpp>
#include <string>

#include "keel/service/exposures.h"

namespace keel::service {
namespace {

nlohmann::json totals(const exposures::Totals& t) {
  return {{"gross", t.gross}, {"net", t.net}, {"long", t.long_}, {"short", t.short_}};
}

nlohmann::json header(const PricedBook& priced) {
  return {{"portfolio", priced.book.name},
          {"as_of", priced.book.as_of.to_string()},
          {"rate", priced.options.rate},
          {"rate_source", priced.rate_source},
          {"div", priced.options.div},
          {"positions_valued", priced.report.valued},
          {"positions_failed", priced.report.failed}};
}

nlohmann::json greeks(const exposures::BookGreeks& g) {
  return {{"dollar_delta", g.dollar_delta},
          {"dollar_gamma_1pct", g.dollar_gamma_1pct},
          {"vega_per_point", g.vega_per_point},
          {"theta_per_day", g.theta_per_day}};
}

nlohmann::json errors_and_warnings(const PricedBook& priced, nlohmann::json& doc) {
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : priced.report.positions) {
    if (!e.error.empty()) errors.push_back({{"symbol", e.symbol}, {"message", e.error}});
  }
  doc["errors"] = errors;
  doc["warnings"] = priced.book.warnings;
  return doc;
}

nlohmann::json option_fields(const Position& p, const exposures::PositionExposure& e) {
  nlohmann::json j;
  j["right"] = p.option_type ? nlohmann::json(std::string(option_right_name(*p.option_type))) : nlohmann::json();
  j["strike"] = p.strike ? nlohmann::json(*p.strike) : nlohmann::json();
  j["expiry"] = p.expiry ? nlohmann::json(p.expiry->to_string()) : nlohmann::json();
  j["exercise"] = std::string(exercise_style_name(p.exercise));
  j["years"] = e.years;
  j["rate"] = e.rate;
  j["div"] = e.div;
  j["vol"] = e.vol_source == exposures::VolSource::kNone ? nlohmann::json() : nlohmann::json(e.vol);
  j["vol_source"] = std::string(exposures::vol_source_name(e.vol_source));
  j["model"] = e.model;
  return j;
}

// What every per-position row of exposures and Greeks starts with.
nlohmann::json position_fields(const exposures::PositionExposure& e) {
  return {{"symbol", e.symbol},
          {"underlying", e.underlying},
          {"type", std::string(instrument_type_name(e.type))},
          {"quantity", e.quantity},
          {"multiplier", e.multiplier},
          {"spot", e.spot},
          {"price", e.price},
          {"market_value", e.market_value}};
}

}  // namespace

nlohmann::json exposures_json(const PricedBook& priced, exposures::GroupBy by) {
  const auto& r = priced.report;
  nlohmann::json doc = header(priced);
  doc["by"] = std::string(exposures::group_by_name(by));
  doc["gross"] = r.market_value.gross;
  doc["net"] = r.market_value.net;
  doc["long"] = r.market_value.long_;
  doc["short"] = r.market_value.short_;
  doc["delta_adjusted"] = totals(r.delta_adjusted);
  doc["notional"] = totals(r.notional);
  doc["greeks"] = greeks(r.greeks);
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& g : exposures::group_exposures(priced.book.positions, r, by)) {
    groups.push_back({{"key", g.key},
                      {"positions", g.positions},
                      {"gross", g.market_value.gross},
                      {"net", g.market_value.net},
                      {"long", g.market_value.long_},
                      {"short", g.market_value.short_},
                      {"delta_adjusted", totals(g.delta_adjusted)},
                      {"notional", totals(g.notional)}});
  }
  doc["groups"] = groups;
  nlohmann::json positions = nlohmann::json::array();
  for (std::size_t i = 0; i < r.positions.size(); ++i) {
    const auto& e = r.positions[i];
    const auto& p = priced.book.positions[i];
    if (!e.error.empty()) continue;
    nlohmann::json j = position_fields(e);
    j.update({{"sector", p.sector.empty() ? "Unknown" : p.sector},
              {"notional", e.notional},
              {"delta", e.delta},
              {"delta_adjusted", e.delta_adjusted}});
    if (p.is_option()) j.update(option_fields(p, e));
    positions.push_back(j);
  }
  doc["positions"] = positions;
  return errors_and_warnings(priced, doc);
}

nlohmann::json option_greeks_json(const PricedBook& priced) {
  const auto& r = priced.report;
  nlohmann::json doc = header(priced);
  nlohmann::json positions = nlohmann::json::array();
  for (std::size_t i = 0; i < r.positions.size(); ++i) {
    const auto& e = r.positions[i];
    const auto& p = priced.book.positions[i];
    if (!e.error.empty()) continue;
    nlohmann::json j = position_fields(e);
    j.update({{"delta", e.delta},
              {"gamma", e.gamma},
              {"vega", e.vega},
              {"theta", e.theta},
              {"rho", e.rho},
              {"dollar_delta", e.delta_adjusted},
              {"dollar_gamma_1pct", e.dollar_gamma_1pct},
              {"vega_per_point", e.vega_per_point},
              {"theta_per_day", e.theta_per_day}});
    if (p.is_option()) j.update(option_fields(p, e));
    positions.push_back(j);
  }
  doc["positions"] = positions;
  doc["totals"] = greeks(r.greeks);
  return errors_and_warnings(priced, doc);
}

}  // namespace keel::service
