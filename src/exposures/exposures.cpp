#include "keel/portfolio/country.h"
#include "keel/exposures/exposures.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <string>

#include "keel/core/error.h"
#include "keel/options/american.h"
#include "keel/options/black_scholes.h"
#include "keel/core/strings.h"

namespace keel::exposures {
namespace {

std::string lower(std::string_view s) { return to_lower(s); }

// Columns of the European options of a book, priced together by the batch kernel.
struct EuropeanBatch {
  std::vector<std::size_t> index;  // position index of each row
  std::vector<OptionRight> right;
  std::vector<double> spot, strike, years, vol, rate, div;

  void add(std::size_t i, const options::BsmInputs& in) {
    index.push_back(i);
    right.push_back(in.right);
    spot.push_back(in.spot);
    strike.push_back(in.strike);
    years.push_back(in.years);
    vol.push_back(in.vol);
    rate.push_back(in.rate);
    div.push_back(in.div);
  }

  // Prices and Greeks of every row into the exposures (inputs were validated one by one).
  void run(std::vector<PositionExposure>& out) const {
    const std::size_t n = index.size();
    if (n == 0) return;
    std::vector<double> price(n), delta(n), gamma(n), vega(n), theta(n), rho(n);
    options::bsm_greeks_batch({right, spot, strike, years, vol, rate, div}, {price, delta, gamma, vega, theta, rho});
    for (std::size_t j = 0; j < n; ++j) {
      PositionExposure& e = out[index[j]];
      e.price = price[j];
      e.delta = delta[j];
      e.gamma = gamma[j];
      e.vega = vega[j];
      e.theta = theta[j];
      e.rho = rho[j];
    }
  }
};

// Checks and records the option's inputs; American options are valued here (opt.american_engine,
// one by one), European ones are added to `batch`.
void value_option(std::size_t i, const Position& p, double hist_vol, double rate, const ExposureOptions& opt,
                  PositionExposure& e, EuropeanBatch& batch) {
  if (!p.strike || !p.expiry || !p.option_type) {
    e.error = "option without strike, expiry or call/put: give an OCC symbol or those columns";
    return;
  }
  if (*p.expiry < opt.as_of) {
    e.error = "option expired on " + p.expiry->to_string() + " (before the as-of date " +
              opt.as_of.to_string() + ")";
    return;
  }
  if (p.implied_vol) {
    e.vol = *p.implied_vol;
    e.vol_source = VolSource::kImplied;
  } else if (!std::isnan(hist_vol)) {
    e.vol = hist_vol;
    e.vol_source = VolSource::kHistorical;
  } else {
    e.error = "no implied_vol and no price history of " + e.underlying + " to estimate a vol";
    return;
  }
  e.years = year_fraction_act365(opt.as_of, *p.expiry);
  e.rate = rate;
  e.div = p.dividend_yield.value_or(opt.div);
  const options::BsmInputs in{*p.option_type, e.spot, *p.strike, e.years, e.vol, rate, e.div};
  const std::string problem = options::bsm_input_problem(in);
  if (!problem.empty()) {
    e.error = problem;
    return;
  }
  if (p.exercise == ExerciseStyle::kAmerican && opt.american_engine == options::AmericanEngine::kBaw && rate < 0.0) {
    e.error = "the American (Barone-Adesi-Whaley) approximation needs a rate >= 0";
    return;
  }
  e.model = options::model_name(p.exercise, opt.american_engine);
  if (p.exercise == ExerciseStyle::kEuropean) {
    batch.add(i, in);
    return;
  }
  const options::Greeks g = options::option_greeks(p.exercise, in, opt.american_engine);
  e.price = g.price;
  e.delta = g.delta;
  e.gamma = g.gamma;
  e.vega = g.vega;
  e.theta = g.theta;
  e.rho = g.rho;
}

}  // namespace

void Totals::add(double x) {
  gross += std::abs(x);
  net += x;
  if (x > 0) long_ += x;
  if (x < 0) short_ += x;
}

std::string_view group_by_name(GroupBy g) {
  switch (g) {
    case GroupBy::kType: return "type";
    case GroupBy::kSector: return "sector";
    case GroupBy::kTag: return "tag";
    case GroupBy::kStrategy: return "strategy";
    case GroupBy::kUnderlying: return "underlying";
    case GroupBy::kCurrency: return "currency";
    case GroupBy::kCountry: return "country";
    case GroupBy::kRegion: return "region";
  }
  return "type";
}

std::optional<GroupBy> parse_group_by(std::string_view text) {
  const std::string t = lower(text);
  for (GroupBy g : {GroupBy::kType, GroupBy::kSector, GroupBy::kTag, GroupBy::kStrategy, GroupBy::kUnderlying,
                    GroupBy::kCurrency, GroupBy::kCountry, GroupBy::kRegion}) {
    if (t == group_by_name(g)) return g;
  }
  return std::nullopt;
}

std::string_view vol_source_name(VolSource v) {
  switch (v) {
    case VolSource::kNone: return "none";
    case VolSource::kImplied: return "implied";
    case VolSource::kHistorical: return "historical";
  }
  return "none";
}

// Adds a valued position's figures to the report's totals (in the order the totals were kept).
static void add_to_totals(ExposureReport& r, const PositionExposure& e) {
  r.market_value.add(e.market_value);
  r.notional.add(e.notional);
  r.delta_adjusted.add(e.delta_adjusted);
  r.greeks.dollar_delta += e.delta_adjusted;
  r.greeks.dollar_gamma_1pct += e.dollar_gamma_1pct;
  r.greeks.vega_per_point += e.vega_per_point;
  r.greeks.theta_per_day += e.theta_per_day;
  r.greeks.rho_per_point += e.rho_per_point;
}

ExposureReport compute_exposures(std::span<const Position> positions, const MarketInputs& market,
                                 const ExposureOptions& options) {
  if (market.spot.size() != positions.size() || market.historical_vol.size() != positions.size() ||
      (!market.rate.empty() && market.rate.size() != positions.size())) {
    throw Error::invalid_input("market inputs must have one entry per position");
  }
  if (!std::isfinite(options.rate) || !std::isfinite(options.div)) {
    throw Error::invalid_input("rate and dividend yield must be finite numbers");
  }
  ExposureReport r;
  r.positions.reserve(positions.size());
  EuropeanBatch batch;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const Position& p = positions[i];
    PositionExposure e;
    e.symbol = p.symbol;
    e.underlying = p.price_symbol();
    e.type = p.type;
    e.quantity = p.quantity;
    e.multiplier = p.multiplier;
    e.spot = p.type == InstrumentType::kCash ? 1.0 : market.spot[i];
    if (!(e.spot >= 0.0) || !std::isfinite(e.spot)) {
      e.error = "no price for " + e.underlying + " on or before " + options.as_of.to_string();
    } else if (p.is_option()) {
      const double rate =
          market.rate.empty() || std::isnan(market.rate[i]) ? options.rate : market.rate[i];
      if (!std::isfinite(rate)) {
        e.error = "the risk-free rate for this option is not a finite number";
      } else {
        value_option(i, p, market.historical_vol[i], rate, options, e, batch);
      }
    } else {
      e.price = e.spot;
      e.delta = 1.0;
    }
    r.positions.push_back(std::move(e));
  }
  batch.run(r.positions);
  for (PositionExposure& e : r.positions) {
    if (!e.error.empty()) {
      ++r.failed;
      continue;
    }
    const double units = e.quantity * e.multiplier;
    e.market_value = units * e.price;
    e.notional = units * e.spot;
    e.delta_adjusted = units * e.spot * e.delta;
    e.dollar_gamma_1pct = units * e.gamma * e.spot * e.spot / 100.0;
    e.vega_per_point = units * e.vega / 100.0;
    e.theta_per_day = units * e.theta / 365.0;
    e.rho_per_point = units * e.rho / 100.0;
    add_to_totals(r, e);
    ++r.valued;
  }
  return r;
}

void convert_exposures(ExposureReport& r, std::span<const double> fx) {
  if (fx.size() != r.positions.size()) throw Error::invalid_input("FX rates must have one entry per position");
  r.market_value = {};
  r.notional = {};
  r.delta_adjusted = {};
  r.greeks = {};
  for (std::size_t i = 0; i < r.positions.size(); ++i) {
    PositionExposure& e = r.positions[i];
    if (!e.error.empty()) continue;
    const double k = fx[i];
    if (!(k > 0.0) || !std::isfinite(k)) {
      throw Error::invalid_input(fmt::format("FX rate of {} must be positive and finite", e.symbol));
    }
    e.market_value *= k;
    e.notional *= k;
    e.delta_adjusted *= k;
    e.dollar_gamma_1pct *= k;
    e.vega_per_point *= k;
    e.theta_per_day *= k;
    e.rho_per_point *= k;
    add_to_totals(r, e);
  }
}

std::vector<Group> group_exposures(std::span<const Position> positions, const ExposureReport& report,
                                   GroupBy by) {
  if (positions.size() != report.positions.size()) {
    throw Error::invalid_input("the report does not belong to these positions");
  }
  std::map<std::string, Group> groups;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const PositionExposure& e = report.positions[i];
    if (!e.error.empty()) continue;
    const Position& p = positions[i];
    std::vector<std::string> keys;
    switch (by) {
      case GroupBy::kType: keys.emplace_back(instrument_type_name(p.type)); break;
      case GroupBy::kSector: keys.push_back(p.sector.empty() ? "Unknown" : p.sector); break;
      case GroupBy::kTag:
        keys = p.tags;
        if (keys.empty()) keys.emplace_back("(none)");
        break;
      case GroupBy::kStrategy: keys.push_back(p.strategy.empty() ? "(none)" : p.strategy); break;
      case GroupBy::kUnderlying: keys.push_back(p.price_symbol()); break;
      case GroupBy::kCurrency: keys.push_back(p.currency); break;
      // Cash has no issuer: it counts as "Cash" rather than as an unknown country.
      case GroupBy::kCountry:
        keys.push_back(p.type == InstrumentType::kCash ? "Cash" : p.country.empty() ? "Unknown" : p.country);
        break;
      case GroupBy::kRegion: {
        const std::string_view region = region_of(p.country);
        keys.push_back(p.type == InstrumentType::kCash ? "Cash" : region.empty() ? "Unknown" : std::string(region));
        break;
      }
    }
    for (const auto& key : keys) {
      Group& g = groups[key];
      g.key = key;
      ++g.positions;
      g.market_value.add(e.market_value);
      g.delta_adjusted.add(e.delta_adjusted);
      g.notional.add(e.notional);
    }
  }
  std::vector<Group> out;
  out.reserve(groups.size());
  for (auto& [key, g] : groups) out.push_back(std::move(g));
  std::stable_sort(out.begin(), out.end(), [](const Group& a, const Group& b) {
    return a.market_value.gross > b.market_value.gross;
  });
  return out;
}

}  // namespace keel::exposures
