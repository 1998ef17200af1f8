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
  return e;
}

RiskBook build_risk_book(std::span<const Position> positions, const PriceHistory& spot_prices,
                         Date as_of, const BookOptions& options) {
  if (positions.empty()) throw Error::invalid_input("the portfolio has no positions");
  const auto end = static_cast<std::size_t>(
      std::upper_bound(spot_prices.dates.begin(), spot_prices.dates.end(), as_of) -
      spot_prices.dates.begin());

  RiskBook book;
  std::unordered_map<std::string, std::size_t> asset_index;
  std::vector<std::string> problems;
  for (const Position& p : positions) {
    const std::string where = "position " + p.symbol + ": ";
    book.ids.push_back(p.symbol);
    book.units.push_back(p.quantity * p.multiplier);
    book.option.emplace_back();
    if (p.type == InstrumentType::kCash) {
      book.asset.push_back(kNoAsset);
      book.value.push_back(p.quantity * p.multiplier);
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
      const double v = p.quantity * p.multiplier * spot;
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
        !(options.rate >= 0.0)) {
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
    terms.rate = options.rate;
    terms.div = div;
    terms.exercise = p.exercise;
    terms.american_engine = options.american_engine;
    const OptionPoint v = option_value(terms, spot);
    book.value.push_back(book.units.back() * v.price);
    book.exposure.push_back(book.units.back() * v.delta * spot);
    book.gamma_exposure.push_back(book.units.back() * v.gamma * spot * spot);
    book.option.back() = terms;
  }
  if (!problems.empty()) {
    throw Error::invalid_input(fmt::format("cannot value the portfolio: {} problem(s)", problems.size()),
                               problems);
  }
  return book;
}

double position_pnl(const RiskBook& book, std::size_t i, double r, int horizon_days) {
  if (book.asset[i] == kNoAsset) return 0.0;
  const auto& opt = book.option[i];
  if (!opt) return book.exposure[i] * r;
  OptionTerms later = *opt;
  later.years = std::max(0.0, later.years - horizon_days / 252.0);
  // book.value[i] = units x V(S, T): the revalued position minus its value now.
  return book.units[i] * option_price(later, book.spot[i] * (1.0 + r)) - book.value[i];
}

}  // namespace keel::risk
