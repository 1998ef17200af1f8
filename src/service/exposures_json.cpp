// The results of `keel exposures` and `keel options greeks` (keel/service/exposures.h).
#include <algorithm>
#include <string>

#include "keel/service/exposures.h"

namespace keel::service {
namespace {

ExposureTotals totals(const exposures::Totals& t) { return {t.gross, t.net, t.long_, t.short_}; }

}  // namespace

ValuationHeader valuation_header(const PricedBook& priced) {
  return {priced.book.name,  priced.book.as_of.to_string(), priced.options.rate, priced.rate_source,
          priced.options.div, priced.div_source,                priced.report.valued, priced.report.failed};
}

namespace {

BookGreeksResult greeks(const exposures::BookGreeks& g) {
  return {g.dollar_delta, g.dollar_gamma_1pct, g.vega_per_point, g.theta_per_day, g.rho_per_point};
}

std::vector<PositionError> errors(const PricedBook& priced) {
  std::vector<PositionError> out;
  for (const auto& e : priced.report.positions) {
    if (!e.error.empty()) out.push_back({e.symbol, e.error});
  }
  return out;
}

OptionValuation option_fields(const Position& p, const exposures::PositionExposure& e) {
  OptionValuation o;
  o.right.emplace();
  if (p.option_type) *o.right = std::string(option_right_name(*p.option_type));
  o.strike = p.strike ? spec::Nullable<double>(*p.strike) : spec::Nullable<double>();
  o.expiry.emplace();
  if (p.expiry) *o.expiry = p.expiry->to_string();
  o.exercise = std::string(exercise_style_name(p.exercise));
  o.years = e.years;
  o.rate = e.rate;
  o.div = e.div;
  o.vol = e.vol_source != exposures::VolSource::kNone ? spec::Nullable<double>(e.vol) : spec::Nullable<double>();
  o.vol_source = std::string(exposures::vol_source_name(e.vol_source));
  o.model = e.model;
  return o;
}

PositionValuation position_fields(const exposures::PositionExposure& e) {
  return {e.symbol, e.underlying, std::string(instrument_type_name(e.type)), e.quantity, e.multiplier, e.spot,
          e.price,  e.market_value};
}

}  // namespace

ExposuresResult exposures_of(const PricedBook& priced, exposures::GroupBy by) {
  const auto& r = priced.report;
  ExposuresResult out;
  out.header = valuation_header(priced);
  out.by = std::string(exposures::group_by_name(by));
  out.market_value = totals(r.market_value);
  out.delta_adjusted = totals(r.delta_adjusted);
  out.notional = totals(r.notional);
  out.greeks = greeks(r.greeks);
  for (const auto& g : exposures::group_exposures(priced.book.positions, r, by)) {
    ExposureGroup& group = out.groups.emplace_back(
        ExposureGroup{g.key, g.positions, totals(g.market_value), totals(g.delta_adjusted), totals(g.notional), {}, {}});
    if (by == exposures::GroupBy::kCurrency) {
      // 0.0 - x, not -x: a group with no short side has +0, not -0.
      const double long_side = g.market_value.long_, short_side = 0.0 - g.market_value.short_;
      const double larger = std::max(long_side, short_side);
      group.hedged = std::min(long_side, short_side);
      group.hedge_ratio = larger > 0.0 ? *group.hedged / larger : 0.0;
    }
  }
  for (std::size_t i = 0; i < r.positions.size(); ++i) {
    const auto& e = r.positions[i];
    const auto& p = priced.book.positions[i];
    if (!e.error.empty()) continue;
    ExposurePosition& row = out.positions.emplace_back();
    row.position = position_fields(e);
    row.sector = p.sector.empty() ? "Unknown" : p.sector;
    row.notional = e.notional;
    row.delta = e.delta;
    row.delta_adjusted = e.delta_adjusted;
    if (p.is_option()) row.option = option_fields(p, e);
  }
  out.errors = errors(priced);
  out.warnings = priced.book.warnings;
  return out;
}

ExposuresResult book_exposures(const Context& cx, const ExposuresRequest& req) {
  return exposures_of(price_book(cx, req.book), req.by);
}

OptionGreeksResult option_greeks_of(const PricedBook& priced) {
  const auto& r = priced.report;
  OptionGreeksResult out;
  out.header = valuation_header(priced);
  for (std::size_t i = 0; i < r.positions.size(); ++i) {
    const auto& e = r.positions[i];
    const auto& p = priced.book.positions[i];
    if (!e.error.empty()) continue;
    GreeksPosition& row = out.positions.emplace_back();
    row.position = position_fields(e);
    row.delta = e.delta;
    row.gamma = e.gamma;
    row.vega = e.vega;
    row.theta = e.theta;
    row.rho = e.rho;
    row.dollar_delta = e.delta_adjusted;
    row.dollar_gamma_1pct = e.dollar_gamma_1pct;
    row.vega_per_point = e.vega_per_point;
    row.theta_per_day = e.theta_per_day;
    row.rho_per_point = e.rho_per_point;
    if (p.is_option()) row.option = option_fields(p, e);
  }
  out.totals = greeks(r.greeks);
  out.errors = errors(priced);
  out.warnings = priced.book.warnings;
  return out;
}

OptionGreeksResult option_greeks(const Context& cx, const OptionGreeksRequest& req) {
  return option_greeks_of(price_book(cx, req.book));
}

}  // namespace keel::service
