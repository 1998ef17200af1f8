// keel/risk/book.h: a portfolio as the risk engines see it (columns, one entry per position).
//
// Every risky position is driven by one asset (a column of the ReturnMatrix): a stock by itself,
// an option by its underlying. A position's P&L in a scenario where its driver returns r is
//   linear (stock, ETF):  exposure x r,              exposure = value = quantity x multiplier x price;
//   option:               units x (V(S (1 + r), T - h/252) - V(S, T)),  units = quantity x multiplier,
//                         V the Black-Scholes-Merton price, or for an American option the
//                         BookOptions::american_engine price (full revaluation); its delta exposure
//                         units x delta x S enters the parametric method.
// Cash has value but no price risk (driver kNoAsset).
//
// Currency risk (docs/risk.md, "Currency risk"): a position quoted in currency L in a book that
// reports in R is worth V = units x P_L x X, X the L->R rate at the as-of date. Each foreign
// currency of the book adds one driver, its FX return f (the return of the L->R rate), as a column
// after the price drivers, and the P&L becomes
//   linear:  V ((1 + r)(1 + f) - 1) = V r + V (1 + r) f     (price part + currency part)
//   option:  units X (V_L(S (1 + r), T - h/252) (1 + f) - V_L(S, T))
//   cash:    V f
// value, exposure and gamma_exposure are in the reporting currency (x X); spot is in L.
//
// Thread-safety: plain data; build_risk_book is a pure function.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/options/american.h"
#include "keel/portfolio/fx.h"
#include "keel/portfolio/market_data.h"
#include "keel/portfolio/occ_symbol.h"
#include "keel/portfolio/position.h"
#include "keel/risk/returns.h"

namespace keel::risk {

inline constexpr std::size_t kNoAsset = std::numeric_limits<std::size_t>::max();

// Contract terms of an option position for revaluation (decimals per year; years act/365).
struct OptionTerms {
  OptionRight right = OptionRight::kCall;
  double strike = 0.0;
  double years = 0.0;  // time to expiry at the as-of date
  double vol = 0.0;    // implied volatility, annualised
  double rate = 0.0;   // risk-free rate, continuous
  double div = 0.0;    // dividend yield, continuous
  ExerciseStyle exercise = ExerciseStyle::kEuropean;
  // How American exercise is valued (keel/options/american.h); BAW needs rate >= 0.
  options::AmericanEngine american_engine = options::kDefaultAmericanEngine;
};

struct RiskBook {
  std::vector<std::string> assets;        // driver symbols = ReturnMatrix columns, in this order
  std::vector<std::string> ids;           // position symbol (ticker or OCC)
  std::vector<std::size_t> asset;         // index into `assets`, or kNoAsset (cash)
  std::vector<double> value;              // market value now, portfolio currency
  std::vector<double> exposure;           // delta exposure: P&L per unit return of the driver
  // Gamma exposure: second derivative of the P&L in the driver's return, units x gamma x spot^2
  // (so P&L ~ exposure r + gamma_exposure r^2 / 2); zero for stocks and cash.
  std::vector<double> gamma_exposure;
  std::vector<double> units;              // quantity x multiplier
  std::vector<double> spot;               // driver price now (0 for cash)
  std::vector<std::optional<OptionTerms>> option;  // set for options

  // Currency risk. Empty fx / fx_rate (books assembled by hand, single-currency books): none.
  std::string currency = "USD";             // reporting currency
  std::vector<std::size_t> fx;              // per position: its FX column in `assets`, or kNoAsset
  std::vector<double> fx_rate;              // per position: X, the L->R rate at as-of (1 in R)
  // Per position: delta exposure to its FX return (P&L per unit f to first order: its value V);
  // the parametric view (translated_view, var.h) moves a linear position's onto its driver.
  std::vector<double> fx_exposure;
  std::vector<std::string> position_currency;  // per position: L (empty vector: all in `currency`)
  // The foreign currencies, in the order of their FX columns, which are the last
  // fx_currencies.size() entries of `assets` (named fx_asset_name(L, currency)).
  std::vector<std::string> fx_currencies;

  std::size_t size() const { return ids.size(); }
  bool has_fx() const { return !fx_currencies.empty(); }
  // Index of the first FX column (assets.size() when there is none).
  std::size_t fx_begin() const { return assets.size() - fx_currencies.size(); }
  // FX column of position i, or kNoAsset.
  std::size_t fx_of(std::size_t i) const { return fx.empty() ? kNoAsset : fx[i]; }
  bool has_options() const;
  double total_value() const;
  // Delta exposures summed per asset (length assets.size()), FX exposures on the FX columns.
  std::vector<double> asset_exposures() const;
  // Gamma exposures summed per asset (length assets.size()).
  std::vector<double> asset_gamma_exposures() const;
};

struct BookOptions {
  double rate = 0.0;  // risk-free rate for option valuation (continuous, decimal)
  // Per position (the same order as `positions`): its own rate, e.g. a curve's zero rate at the
  // option's expiry; NaN, or an empty vector, means `rate`.
  std::vector<double> position_rates = {};
  double div = 0.0;   // dividend yield of options without Position::dividend_yield (continuous, decimal)
  // Engine for American options: ALO (default) or the Barone-Adesi-Whaley approximation.
  options::AmericanEngine american_engine = options::kDefaultAmericanEngine;
  // Reporting currency, and the rates that convert positions quoted in other currencies (needed
  // only when there are such positions).
  std::string currency = "USD";
  const FxRates* fx = nullptr;
};


// Builds the risk view of `positions` at `as_of`: spot = the last price on or before as_of in
// `spot_prices` (a dates x symbols matrix, e.g. raw closes). Options need `implied_vol` and are
// valued with Black-Scholes-Merton, or options.american_engine when their exercise is American
// (years = (expiry - as_of) / 365), each with its own dividend_yield or else options.div.
// Positions quoted in another currency than options.currency are converted at the as-of rate of
// options.fx and get an FX column (see above). Throws keel::Error(invalid_input) when `positions`
// is empty, and one error listing every position whose driver has no price on or before as_of or
// whose option terms are incomplete (or an American option with a negative rate under BAW, where
// the approximation is not defined), a foreign position without rates (options.fx null) or without
// a rate at as_of (naming the pair and date), and positions on one driver in two currencies.
RiskBook build_risk_book(std::span<const Position> positions, const PriceHistory& spot_prices,
                         Date as_of, const BookOptions& options = {});

// P&L of position i when its driver returns `r` over a horizon of `horizon_days` trading days
// (options are revalued with time to expiry reduced by horizon_days / 252 years), before any
// currency move: the P&L of a position in the reporting currency, or the price part at f = 0.
double position_pnl(const RiskBook& book, std::size_t i, double r, int horizon_days);

// The same with the FX return `f` of the position's currency (ignored for a position in the
// reporting currency), split into its price part (the move at f = 0) and currency part (the rest:
// the FX move on the position's value at the horizon). price + currency is the P&L.
struct PnlParts {
  double price = 0.0;
  double currency = 0.0;
  double total() const { return price + currency; }
};
PnlParts position_pnl_parts(const RiskBook& book, std::size_t i, double r, double f, int horizon_days);

}  // namespace keel::risk
