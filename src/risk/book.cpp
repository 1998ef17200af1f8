#include "keel/risk/book.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "keel/core/error.h"
#include "option_value.h"

namespace keel::risk {
namespace {

// Last price of column `col` on or before row `end` (exclusive), or NaN.
double last_price(const PriceHistory& prices, std::size_t col, std::size_t end) {
  for (std::size_t t = end; t-- > 0;) {
    const double p = prices.at(t, col);
    if (!is_missing(p)) return p;
  }
  return kMissing;
}

}  // namespace

bool RiskBook::has_options() const {
  return std::any_of(option.begin(), option.end(), [](const auto& o) { return o.has_value(); });
}

double RiskBook::total_value() const {
  double s = 0.0;
  for (double v : value) s += v;
  return s;
}

std::vector<double> RiskBook::asset_gamma_exposures() const {
  std::vector<double> g(assets.size(), 0.0);
  for (std::size_t i = 0; i < size(); ++i) {
    // Books assembled by hand (tests, benchmarks) may leave gamma_exposure empty: no gamma.
    if (asset[i] != kNoAsset && i < gamma_exposure.size()) g[asset[i]] += gamma_exposure[i];
  }
  return g;
}

std::vector<double> RiskBook::asset_exposures() const {
  std::vector<double> e(assets.size(), 0.0);
  for (std::size_t i = 0; i < size(); ++i) {
    if (asset[i] != kNoAsset) e[asset[i]] += exposure[i];
  }
  for (std::size_t i = 0; i < fx.size(); ++i) {
    if (fx[i] != kNoAsset) e[fx[i]] += fx_exposure[i];
  }
  return e;
}

RiskBook build_risk_book(std::span<const Position> positions, const PriceHistory& spot_prices,
                         Date as_of, const BookOptions& options) {
  if (positions.empty()) throw Error::invalid_input("the portfolio has no positions");
  const auto end = static_cast<std::size_t>(
      std::upper_bound(spot_prices.dates.begin(), spot_prices.dates.end(), as_of) -
      spot_prices.dates.begin());

  RiskBook book;
  book.currency = options.currency;
  std::unordered_map<std::string, std::size_t> asset_index;
  std::unordered_map<std::string, std::string> driver_currency;  // the currency a driver is quoted in
  std::vector<std::string> problems;
  // Currency of each position and its L->R rate; a single-currency book keeps fx empty.
  const bool multi = std::any_of(positions.begin(), positions.end(),
                                 [&](const Position& p) { return p.currency != options.currency; });
  std::vector<std::size_t> fx_index;  // per position: index into fx_currencies, or kNoAsset
  if (!options.position_rates.empty() && options.position_rates.size() != positions.size()) {
    throw Error::internal("build_risk_book: position_rates has another length than positions");
  }
  for (std::size_t k = 0; k < positions.size(); ++k) {
    const Position& p = positions[k];
    const double rate =
        options.position_rates.empty() || std::isnan(options.position_rates[k]) ? options.rate : options.position_rates[k];
    const std::string where = "position " + p.symbol + ": ";
    double x = 1.0;  // L->R rate at as-of
    if (multi) {
      book.position_currency.push_back(p.currency);
      std::size_t c = kNoAsset;
      if (p.currency != options.currency) {
        const auto it = std::find(book.fx_currencies.begin(), book.fx_currencies.end(), p.currency);
        c = static_cast<std::size_t>(it - book.fx_currencies.begin());
        if (it == book.fx_currencies.end()) book.fx_currencies.push_back(p.currency);
        if (options.fx == nullptr) {
          problems.push_back(fmt::format("{}quoted in {} and the book reports in {}: no FX rates", where,
                                         p.currency, options.currency));
        } else if (const auto q = options.fx->find(p.currency, options.currency, as_of)) {
          x = q->rate;
        } else {
          try {
            options.fx->rate(p.currency, options.currency, as_of);
          } catch (const Error& e) {
            problems.push_back(where + e.what());
          }
        }
      }
      fx_index.push_back(c);
      book.fx_rate.push_back(x);
    }
    book.ids.push_back(p.symbol);
    book.units.push_back(p.quantity * p.multiplier);
    book.option.emplace_back();
    if (p.type == InstrumentType::kCash) {
      book.asset.push_back(kNoAsset);
      // Written as before for a position in the reporting currency (x == 1 leaves the bits alone).
      book.value.push_back(x == 1.0 ? p.quantity * p.multiplier : p.quantity * p.multiplier * x);
      book.exposure.push_back(0.0);
      book.gamma_exposure.push_back(0.0);
      book.spot.push_back(0.0);
      continue;
    }
    const std::string& driver = p.price_symbol();
    if (driver.empty()) {
      problems.push_back(where + "option without an underlying symbol");
      book.asset.push_back(kNoAsset);
      book.value.push_back(0.0);
      book.exposure.push_back(0.0);
      book.gamma_exposure.push_back(0.0);
      book.spot.push_back(0.0);
      continue;
    }
    auto [it, inserted] = asset_index.emplace(driver, book.assets.size());
    if (inserted) book.assets.push_back(driver);
    book.asset.push_back(it->second);
    if (multi) {
      const auto [cur, first] = driver_currency.emplace(driver, p.currency);
      if (!first && cur->second != p.currency) {
        problems.push_back(fmt::format("{}quoted in {}, but another position on {} is quoted in {}: the prices "
                                       "of {} are in one currency",
                                       where, p.currency, driver, cur->second, driver));
      }
    }

    double spot = kMissing;
    if (const auto col = spot_prices.find(driver)) spot = last_price(spot_prices, *col, end);
    if (is_missing(spot)) {
      problems.push_back(where + "no price for " + driver + " on or before " + as_of.to_string());
      spot = 0.0;
    } else if (!(spot > 0.0)) {
      problems.push_back(where + "price of " + driver + " is not positive");
    }
    book.spot.push_back(spot);

    if (!p.is_option()) {
      const double v = x == 1.0 ? p.quantity * p.multiplier * spot : p.quantity * p.multiplier * spot * x;
      book.value.push_back(v);
      book.exposure.push_back(v);
      book.gamma_exposure.push_back(0.0);
      continue;
    }
    OptionTerms terms;
    bool complete = true;
    if (!p.strike || !(*p.strike > 0.0)) {
      problems.push_back(where + "option needs a positive strike");
      complete = false;
    }
    if (!p.expiry) {
      problems.push_back(where + "option needs an expiry date");
      complete = false;
    }
    if (!p.option_type) {
      problems.push_back(where + "option needs option_type call or put");
      complete = false;
    }
    if (!p.implied_vol || !(*p.implied_vol > 0.0)) {
      problems.push_back(where + "option needs a positive implied_vol (decimal, 0.25 = 25%)");
      complete = false;
    }
    const double div = p.dividend_yield.value_or(options.div);
    if (!std::isfinite(div)) {
      problems.push_back(where + "dividend_yield must be a finite number");
      complete = false;
    }
    if (p.exercise == ExerciseStyle::kAmerican && options.american_engine == options::AmericanEngine::kBaw &&
        !(rate >= 0.0)) {
      problems.push_back(where + "the American (Barone-Adesi-Whaley) approximation needs a rate >= 0");
      complete = false;
    }
    if (!complete) {
      book.value.push_back(0.0);
      book.exposure.push_back(0.0);
      book.gamma_exposure.push_back(0.0);
      continue;
    }
    terms.right = *p.option_type;
    terms.strike = *p.strike;
    terms.years = std::max(0.0, year_fraction_act365(as_of, *p.expiry));
    terms.vol = *p.implied_vol;
    terms.rate = rate;
    terms.div = div;
    terms.exercise = p.exercise;
    terms.american_engine = options.american_engine;
    const OptionPoint v = option_value(terms, spot);
    if (x == 1.0) {
      book.value.push_back(book.units.back() * v.price);
      book.exposure.push_back(book.units.back() * v.delta * spot);
      book.gamma_exposure.push_back(book.units.back() * v.gamma * spot * spot);
    } else {
      // Valued in its own currency, then converted.
      book.value.push_back(book.units.back() * v.price * x);
      book.exposure.push_back(book.units.back() * v.delta * spot * x);
      book.gamma_exposure.push_back(book.units.back() * v.gamma * spot * spot * x);
    }
    book.option.back() = terms;
  }
  // The FX columns follow the price drivers.
  if (!book.fx_currencies.empty()) {
    const std::size_t first = book.assets.size();
    for (const auto& c : book.fx_currencies) book.assets.push_back(fx_asset_name(c, options.currency));
    book.fx.resize(book.size(), kNoAsset);
    book.fx_exposure.resize(book.size(), 0.0);
    for (std::size_t i = 0; i < book.size(); ++i) {
      if (fx_index[i] == kNoAsset) continue;
      book.fx[i] = first + fx_index[i];
      book.fx_exposure[i] = book.value[i];
    }
  } else {
    book.position_currency.clear();
    book.fx_rate.clear();
  }
  if (!problems.empty()) {
    throw Error::invalid_input(fmt::format("cannot value the portfolio: {} problem(s)", problems.size()),
                               problems);
  }
  return book;
}

PnlParts position_pnl_parts(const RiskBook& book, std::size_t i, double r, double f, int horizon_days) {
  const std::size_t c = book.fx_of(i);
  if (c == kNoAsset) return {position_pnl(book, i, r, horizon_days), 0.0};
  if (book.asset[i] == kNoAsset) return {0.0, book.value[i] * f};  // foreign cash
  const auto& opt = book.option[i];
  if (!opt) return {book.exposure[i] * r, book.exposure[i] * (1.0 + r) * f};
  OptionTerms later = *opt;
  later.years = std::max(0.0, later.years - horizon_days / 252.0);
  // Revalued in its own currency, converted at today's rate (price part), then moved by f.
  const double at_horizon = book.units[i] * option_price(later, book.spot[i] * (1.0 + r)) * book.fx_rate[i];
  return {at_horizon - book.value[i], at_horizon * f};
}

double position_pnl(const RiskBook& book, std::size_t i, double r, int horizon_days) {
  if (book.asset[i] == kNoAsset) return 0.0;
  const auto& opt = book.option[i];
  if (!opt) return book.exposure[i] * r;
  OptionTerms later = *opt;
  later.years = std::max(0.0, later.years - horizon_days / 252.0);
  // book.value[i] = units x V(S, T) (x X): the revalued position minus its value now.
  if (book.fx_of(i) != kNoAsset) {
    return book.units[i] * option_price(later, book.spot[i] * (1.0 + r)) * book.fx_rate[i] - book.value[i];
  }
  return book.units[i] * option_price(later, book.spot[i] * (1.0 + r)) - book.value[i];
}

}  // namespace keel::risk
