// keel/factors/stress.h: stress testing a book with factor shocks.
//
// Given a scenario's shocks s on some factors (keel/factors/scenario.h) and the book's factor
// betas (keel/factors/book_model.h), each driver asset a moves by its implied return
//     m_a = sum_k beta_a,k s_k        (no alpha, no idiosyncratic part; capped at -100%).
// A historical scenario with a daily path is replayed day by day instead: on each day t of its
// window an asset moves by its own return r_a,t when the price history has the asset on that day
// and the one before, else by its factor proxy sum_k beta_a,k f_k,t, and the days compound:
//     m_a = prod_t (1 + r_a,t) - 1.
// A move stays physical (the product of daily moves above -100% is above -100%), and an asset
// the history covers moves as it really did. The factor shocks reported are the path's compounded
// returns.
// Two ways to fill the factors the scenario does not set:
//   direct:     they stay at 0, so position P&L = exposure x sum_k beta_k s_k over the given factors;
//   correlated: they take their conditional expectation given the shocked ones under the factor
//               covariance Sigma (joint normal, zero mean): s_o = Sigma_os Sigma_ss^-1 s_s
//               (the conditional mean of a multivariate normal: Anderson, "An Introduction to
//               Multivariate Statistical Analysis", 3rd ed., thm 2.5.1; used for partial scenarios
//               in Meucci, "Risk and Asset Allocation", 2005). When a scenario sets every factor,
//               the two agree. A replay fills each day's missing factors the same way.
// With the model's proxies (keel/factors/stress_proxy.h), a replayed driver's days without its own
// return move by its shrunk and selected betas instead, and the part of those days' compounded move
// beyond the market's is bounded; a bounded driver, and a proxied one whose fit's R^2 is below 0.2,
// are named in the warnings.
// Position P&L: a stock or ETF earns value x m_a (linear); an option is revalued in full with
// Black-Scholes-Merton (Barone-Adesi-Whaley when American) at spot S (1 + m_a) and implied vol max(vol + vol_shock, 0), same time to
// expiry (an instantaneous shock): P&L = units x (V_shocked - V_now). Cash: 0.
// Currency shocks (docs/stress.md): a scenario may set the move of a currency against the book's
// reporting currency, keyed "fx:EUR" (EUR against the reporting currency), or as a pair "EUR/USD"
// or "EURUSD" (its rate's return; the inverse pair USD/EUR moves the rate by 1 / (1 + s) - 1).
// It moves the book's FX column of that currency; a currency the scenario does not shock moves by
// its factor betas like any driver (its own regression on the factors). A foreign position then
// earns V ((1 + m)(1 + f) - 1); a foreign option is revalued in its currency, converted at the
// as-of rate and moved by (1 + f); foreign cash earns V f. Currency shocks are not factors: a
// scenario of currency shocks alone moves no factor.
// Percentages: position pnl_pct = pnl / |value|; book pnl_pct = pnl / book value, where the book
// value is its net value, or its gross absolute exposure when the net value is not positive.
//
// Thread-safety: pure functions.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/factors/scenario.h"
#include "keel/factors/stress_proxy.h"
#include "keel/risk/book.h"

namespace keel::factors {

struct StressModel {
  std::vector<std::string> factor_names;  // K
  std::vector<double> asset_betas;        // book.assets.size() x K, row-major
  Eigen::MatrixXd factor_cov;             // K x K covariance of factor returns (any time scale)
  // Per book asset, the proxy of its days without prices in a replay (keel/factors/stress_proxy.h:
  // shrunk, selected, bounded). Empty: those days move by asset_betas, unbounded.
  std::vector<ProxyDriver> proxies;
  ProxyOptions proxy_options;
};

struct StressResult {
  std::string scenario;
  StressMethod method = StressMethod::kDirect;
  std::vector<double> factor_shocks;   // K: the shocks applied (given, and filled when correlated)
  std::vector<std::uint8_t> given;     // K: 1 where the scenario set the factor
  std::vector<double> asset_move;      // per book asset, implied return m_a
  std::vector<double> position_pnl;    // per position, portfolio currency
  std::vector<double> position_pnl_pct;
  double pnl = 0.0;                    // sum of position P&L
  double pnl_pct = 0.0;
  double book_value = 0.0;             // the percent base
  std::size_t replay_days = 0;         // days replayed (0: the shocks applied in one step)
  std::vector<std::size_t> own_days;   // per book asset (replay): days it moved by its own return
  std::vector<std::uint8_t> proxy_bounded;  // per book asset (replay with proxies): style part clipped
  std::vector<std::string> warnings;   // factors of the scenario not in the model, capped moves
};

// The own daily returns of `assets` over `scenario`'s daily path, for run_stress: assets x days,
// row-major, P(d_t) / P(d_t-1) - 1 where `prices` has the asset on both days (d_0 = the
// scenario's start), NaN elsewhere. Empty when the scenario has no daily path.
std::vector<double> own_path_returns(const PriceHistory& prices, std::span<const std::string> assets,
                                     const Scenario& scenario);

// Conditional expectation of the unshocked factors: returns the full K vector with shocks[k] where
// given[k] and (Sigma_os Sigma_ss^-1 s_s) elsewhere. Throws keel::Error(invalid_input) when no
// factor is given, the sizes disagree, or Sigma_ss is singular (naming the factors).
std::vector<double> conditional_factor_shocks(const Eigen::MatrixXd& cov, std::span<const std::uint8_t> given,
                                              std::span<const double> shocks,
                                              std::span<const std::string> names = {});

// Applies `scenario` to `book`: replayed day by day when it has a daily path, with the assets' own
// returns where `own_returns` (own_path_returns; empty: none) has them. Throws
// keel::Error(invalid_input) when the model does not fit the book (beta rows != assets), when the
// scenario sets none of the model's factors (naming both lists), when own_returns has another
// size, or as conditional_factor_shocks does. Factors of the scenario absent from the model are
// ignored with a warning.
StressResult run_stress(const risk::RiskBook& book, const StressModel& model, const Scenario& scenario,
                        StressMethod method, std::span<const double> own_returns = {});

// A shock key read as a currency shock: "fx:EUR" (base EUR, quote empty: against the reporting
// currency), "EUR/USD", "EUR.USD", "EUR-USD" or "EURUSD" (any case), else nullopt.
struct CurrencyShockKey {
  std::string base;
  std::string quote;  // empty: the reporting currency
};
std::optional<CurrencyShockKey> parse_currency_shock(std::string_view key);

// run_stress without currency shocks (the factor part); `currency_shocks` says the scenario had
// some, so that setting no factor is not an error.
StressResult run_factor_stress(const risk::RiskBook& book, const StressModel& model, const Scenario& scenario,
                               StressMethod method, std::span<const double> own_returns, bool currency_shocks);

}  // namespace keel::factors
