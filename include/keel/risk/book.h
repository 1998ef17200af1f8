// keel/risk/book.h: a portfolio as the risk engines see it (columns, one entry per position).
//
// Every risky position is driven by one asset (a column of the ReturnMatrix): a stock by itself,
// an option by its underlying. A position's P&L in a scenario where its driver returns r is
//   linear (stock, ETF):  exposure x r,              exposure = value = quantity x multiplier x price;
//   option:               units x (V(S (1 + r), T - h/252) - V(S, T)),  units = quantity x multiplier,
//                         V the Black-Scholes-Merton price, or for an American option the
//                         BookOptions::american_engine price (full revaluation); its delta exposure
//                         units x delta x S enters the parametric method.
// Cash has value but no risk (driver kNoAsset).
//
// Thread-safety: plain data; build_risk_book is a pure function.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/options/american.h"
#include "keel/portfolio/market_data.h"
#include "keel/portfolio/occ_symbol.h"
#include "keel/portfolio/position.h"

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

  std::size_t size() const { return ids.size(); }
  bool has_options() const;
  double total_value() const;
  // Delta exposures summed per asset (length assets.size()).
  std::vector<double> asset_exposures() const;
  // Gamma exposures summed per asset (length assets.size()).
  std::vector<double> asset_gamma_exposures() const;
};

struct BookOptions {
  double rate = 0.0;  // risk-free rate for option valuation (continuous, decimal)
  double div = 0.0;   // dividend yield of options without Position::dividend_yield (continuous, decimal)
  // Engine for American options: ALO (default) or the Barone-Adesi-Whaley approximation.
  options::AmericanEngine american_engine = options::kDefaultAmericanEngine;
};

// Builds the risk view of `positions` at `as_of`: spot = the last price on or before as_of in
// `spot_prices` (a dates x symbols matrix, e.g. raw closes). Options need `implied_vol` and are
// valued with Black-Scholes-Merton, or options.american_engine when their exercise is American
// (years = (expiry - as_of) / 365), each with its own dividend_yield or else options.div.
// Throws keel::Error(invalid_input) when `positions` is empty, and one error listing every
// position whose driver has no price on or before as_of or whose option terms are incomplete (or an
// American option with a negative rate under BAW, where the approximation is not defined).
RiskBook build_risk_book(std::span<const Position> positions, const PriceHistory& spot_prices,
                         Date as_of, const BookOptions& options = {});

// P&L of position i when its driver returns `r` over a horizon of `horizon_days` trading days
// (options are revalued with time to expiry reduced by horizon_days / 252 years).
double position_pnl(const RiskBook& book, std::size_t i, double r, int horizon_days);

}  // namespace keel::risk
