#include "keel/service/portfolio_view.h"

#include <cmath>

#include "keel/core/error.h"
#include "keel/service/exposures.h"

namespace keel::service {

PortfolioView show_portfolio(Store& store, const std::string& name, std::optional<Date> as_of,
                             const std::string& tenant) {
  PortfolioView v;
  v.name = name;
  const auto positions = store.positions(tenant, name);
  v.as_of = as_of ? as_of : store.last_price_date();
  // Options without a stored price are valued by the options engine, once for the whole book.
  std::optional<PricedBook> priced;
  auto model_value = [&](std::size_t i) -> const exposures::PositionExposure* {
    if (!priced) {
      BookRiskRequest req;
      req.source.portfolio = name;
      req.source.tenant = tenant;
      req.source.as_of = v.as_of;
      try {
        priced = price_book(Context{&store}, req);
      } catch (const Error& e) {
        v.warnings.push_back(std::string("options could not be valued: ") + e.what());
        priced = PricedBook{};
      }
    }
    if (i >= priced->report.positions.size()) return nullptr;
    const auto& pe = priced->report.positions[i];
    return pe.error.empty() ? &pe : nullptr;
  };
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const Position& p = positions[i];
    PositionView pv{p, std::nullopt, std::nullopt, std::nullopt, std::nullopt, "close"};
    const auto lp = store.latest_price(p.symbol, v.as_of);
    const exposures::PositionExposure* pe = (!lp && p.is_option()) ? model_value(i) : nullptr;
    if (pe != nullptr) {
      pv.last_price = pe->price;
      pv.price_date = v.as_of;
      pv.market_value = pe->market_value;
      pv.price_source = "model";
    } else if (lp) {
      pv.last_price = lp->close;
      pv.price_date = lp->date;
      pv.market_value = p.quantity * p.multiplier * lp->close;
      if (v.as_of && lp->date < v.as_of->add_days(-7)) {
        v.warnings.push_back(p.symbol + ": last price is from " + lp->date.to_string() + ", stale against " +
                             v.as_of->to_string());
      }
    } else {
      ++v.unpriced;
      v.warnings.push_back(p.symbol + ": no price on or before " +
                           (v.as_of ? v.as_of->to_string() : std::string("any date")) +
                           (p.is_option() ? " and no model value (see `keel options greeks`)" : ""));
    }
    if (pv.market_value) {
      const double mv = *pv.market_value;
      v.net_market_value += mv;
      v.gross_market_value += std::fabs(mv);
      (mv >= 0 ? v.long_market_value : v.short_market_value) += mv;
    }
    v.positions.push_back(std::move(pv));
  }
  for (auto& pv : v.positions) {
    if (pv.market_value && v.gross_market_value > 0) pv.weight = *pv.market_value / v.gross_market_value;
  }
  return v;
}

nlohmann::json position_to_json(const Position& p) {
  nlohmann::json j = {{"symbol", p.symbol}, {"type", instrument_type_name(p.type)}, {"quantity", p.quantity},
                      {"multiplier", p.multiplier}, {"currency", p.currency}};
  if (p.entry_price) j["entry_price"] = *p.entry_price;
  if (p.entry_date) j["entry_date"] = p.entry_date->to_string();
  if (p.is_option()) {
    j["underlying"] = p.underlying;
    if (p.strike) j["strike"] = *p.strike;
    if (p.expiry) j["expiry"] = p.expiry->to_string();
    if (p.option_type) j["option_type"] = option_right_name(*p.option_type);
    j["exercise"] = exercise_style_name(p.exercise);
  }
  if (p.implied_vol) j["implied_vol"] = *p.implied_vol;
  if (!p.sector.empty()) j["sector"] = p.sector;
  if (!p.tags.empty()) j["tags"] = p.tags;
  if (!p.strategy.empty()) j["strategy"] = p.strategy;
  return j;
}

nlohmann::json to_json(const PortfolioView& v) {
  nlohmann::json positions = nlohmann::json::array();
  for (const auto& pv : v.positions) {
    nlohmann::json j = position_to_json(pv.position);
    j["last_price"] = pv.last_price ? nlohmann::json(*pv.last_price) : nlohmann::json(nullptr);
    j["price_date"] = pv.price_date ? nlohmann::json(pv.price_date->to_string()) : nlohmann::json(nullptr);
    j["market_value"] = pv.market_value ? nlohmann::json(*pv.market_value) : nlohmann::json(nullptr);
    j["weight"] = pv.weight ? nlohmann::json(*pv.weight) : nlohmann::json(nullptr);
    j["price_source"] = pv.market_value ? nlohmann::json(pv.price_source) : nlohmann::json(nullptr);
    positions.push_back(std::move(j));
  }
  return {{"name", v.name},
          {"as_of", v.as_of ? nlohmann::json(v.as_of->to_string()) : nlohmann::json(nullptr)},
          {"positions", positions},
          {"net_market_value", v.net_market_value},
          {"gross_market_value", v.gross_market_value},
          {"long_market_value", v.long_market_value},
          {"short_market_value", v.short_market_value},
          {"unpriced", v.unpriced},
          {"warnings", v.warnings}};
}

nlohmann::json to_json(const PortfolioSummary& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"tenant", s.tenant},
          {"positions", s.positions},
          {"base_currency", s.base_currency},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at}};
}

}  // namespace keel::service
