// keel/options/american.h: American equity options (continuous dividend yield), by two engines:
//
//  - ALO (the default): the fixed-point equations of Andersen, Lake & Offengenden (2016) for the
//    early-exercise boundary, solved by Newton's method on the discretised equations (a
//    Chebyshev boundary in a variable adapted to how fast it settles), then the price as the
//    European price plus the early-exercise premium integral. Tested against QuantLib's QdFp
//    engine at tight settings on 1,096 options (1 day to 30 years, vol 5-120%, rates 0-20%,
//    yields 0-15%, spot/strike 0.5-2): relative error below 1e-6 for prices above 1e-5 of the
//    strike (docs/options.md, "Accuracy"). Defined for every rate and dividend yield: where early
//    exercise never pays (a put with r <= 0 and q >= r, a call with q <= 0 and r >= q) it is the
//    European price; in the double-boundary case (put with q < r <= 0, call with r < q <= 0) it is
//    a 2,000-step binomial tree (~1e-4 relative). References: L. Andersen, M. Lake,
//    D. Offengenden, "High-performance American option pricing", Journal of Computational Finance
//    20(1) (2016) 39-87; L. Andersen, M. Lake, "Fast American option pricing: the double-boundary
//    case", Wilmott (2021).
//  - BAW: the Barone-Adesi & Whaley (1987) quadratic approximation, an APPROXIMATION (up to a few
//    per cent off on long-dated options; see docs/options.md), kept for comparison and speed.
//    Reference: G. Barone-Adesi and R. E. Whaley, "Efficient Analytic Approximation of American
//    Option Values", Journal of Finance 42 (1987) 301-320; Haug, "The Complete Guide to Option
//    Pricing Formulas", 2nd ed., 3.1.1. A negative risk-free rate throws keel::Error(invalid_input)
//    (the approximation is not defined there).
//
// Same inputs and units as black_scholes.h. An American call on a stock without dividend yield
// (q <= 0, r >= 0) is never exercised early and is priced as European. Greeks of both engines are
// central finite differences of the price (bumps: spot 1e-4 S, vol 1e-4, rate 1e-5, time 1e-5
// years), in the units of black_scholes.h; the ALO boundary does not depend on spot, so delta and
// gamma differentiate the premium integral on one boundary, and every bump keeps the unbumped
// option's discretisation (a bump never straddles a change of scheme); ALO solves the bumped
// boundaries together, at about the cost of one.
//
// Failure: invalid inputs as in black_scholes.h throw keel::Error(invalid_input).
// Thread-safety: pure functions. ALO keeps the last few boundaries it solved in a thread_local
// cache keyed by (rate, dividend yield, vol, years, preset, scheme); prices are identical with or
// without it (the boundary is a deterministic function of the key), it only makes repeated
// revaluation at other spots or strikes (scenarios, Greeks by spot bumps, strike ladders) cost
// ~1 us instead of solving again.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "keel/options/black_scholes.h"
#include "keel/options/implied_vol.h"
#include "keel/portfolio/position.h"

namespace keel::options {

enum class AmericanEngine : std::uint8_t { kAlo, kBaw };
inline constexpr AmericanEngine kDefaultAmericanEngine = AmericanEngine::kAlo;

// "alo" / "baw" (as the command line and JSON spell them).
const char* american_engine_name(AmericanEngine engine);
std::optional<AmericanEngine> parse_american_engine(std::string_view text);

// Presets of the ALO discretisation (docs/options.md, "Schemes"): standard is the default and
// what every American valuation uses (its node and point counts grow with how early the boundary
// settles); high (32 nodes, 64 points, 10 sweeps, 128 price points) costs ~10x and agrees with
// QuantLib's tightest QdFp settings to ~1e-8 (for reference values).
enum class AloAccuracy : std::uint8_t { kStandard, kHigh };

// Price per unit of underlying by the ALO fixed-point method.
double alo_price(const BsmInputs& in, AloAccuracy accuracy = AloAccuracy::kStandard);
// Price and five Greeks (finite differences of alo_price).
Greeks alo_greeks(const BsmInputs& in, AloAccuracy accuracy = AloAccuracy::kStandard);
// Prices of a whole book of American options, each with its own boundary, vectorised across
// options (the same values as alo_price to ~1e-13). Throws keel::Error(invalid_input) listing
// every bad row, as bsm_price_batch does; nothing is written then.
void alo_price_batch(const BsmColumns& in, std::span<double> price, AloAccuracy accuracy = AloAccuracy::kStandard);

// Price per unit of underlying under the BAW approximation.
double baw_price(const BsmInputs& in);
// Price and five Greeks (finite differences of baw_price).
Greeks baw_greeks(const BsmInputs& in);

// The one pricer every valuation of an option goes through (the CLI, exposures, VaR, stress,
// the risk book): Black-Scholes-Merton for European exercise, `engine` for American.
Greeks option_greeks(ExerciseStyle exercise, const BsmInputs& in,
                     AmericanEngine engine = kDefaultAmericanEngine);
// Price only, same model choice and failure behaviour.
double option_price(ExerciseStyle exercise, const BsmInputs& in,
                    AmericanEngine engine = kDefaultAmericanEngine);
// What output shows as the model: "bsm", "alo-fixed-point" or "baw-approximation".
const char* model_name(ExerciseStyle exercise, AmericanEngine engine = kDefaultAmericanEngine);

// Implied volatility of an American option from its price under `engine`: Brent's method on the
// price, bracketed in vol [1e-4, 20] (0.01% to 2000%), to 1e-14 relative in vol. A price at or
// below the zero-vol American value (the best of exercising now or at any later date along the
// forward; for a put max over t in [0, T] of K e^{-rt} - S e^{-qt}, at least the intrinsic value)
// or at or above the upper bound (max(S, S e^{-qT}) for a call, max(K, K e^{-rT}) for a put) has
// no implied vol: throws
// keel::Error(invalid_input) naming the bound and its value; so does a price whose vol lies
// outside the bracket.
double american_implied_vol(const ImpliedVolInputs& in, AmericanEngine engine = kDefaultAmericanEngine);
// Implied vols of many American options at once: the bounds above checked per element, then
// Brent's method run for every element together, each round pricing all unfinished elements in
// one batch (alo_price_batch under ALO). `status` per element as implied_vol_batch, plus
// kOutsideVolRange (the vol would lie outside [1e-4, 20]); NaN in `vol` where there is none.
// american_implied_vol is this with one element. Throws keel::Error(invalid_input) only when the
// columns differ in length.
void american_implied_vol_batch(const ImpliedVolColumns& in, std::span<double> vol,
                                std::span<ImpliedVolStatus> status,
                                AmericanEngine engine = kDefaultAmericanEngine);
// Why `in` has no American implied vol under `engine` (the sentence american_implied_vol throws),
// empty when it has one.
std::string american_implied_vol_problem(const ImpliedVolInputs& in,
                                         AmericanEngine engine = kDefaultAmericanEngine);

}  // namespace keel::options
