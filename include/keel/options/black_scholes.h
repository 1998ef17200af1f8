// keel/options/black_scholes.h: European options under Black-Scholes-Merton with a continuous
// dividend yield (Merton 1973; Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed., 1.1.6).
//
// Units: spot and strike in price units; `years` = time to expiry in years (act/365); vol, rate
// and dividend yield as decimals per year, continuously compounded. Greeks: delta per 1.00 of spot,
// gamma per 1.00 of spot squared, vega and rho per 1.00 (= 100 vol/rate points) change, theta per
// year (divide by 365 for per calendar day). Theta is dV/dt with t calendar time, i.e. -dV/dyears.
//
// Limits (no NaN, no division by zero): at expiry (years == 0), at zero vol, or when
// vol * sqrt(years) < kMinStdDev, the option is worth the discounted intrinsic value of the
// forward, max(S e^{-qT} - K e^{-rT}, 0) for a call; delta is e^{-qT} in the money, 0 out of the
// money and half of that exactly at the forward; gamma and vega are 0 (except vega exactly at the
// forward, which keeps its limit S e^{-qT} sqrt(T) / sqrt(2 pi)); theta and rho are those of the
// discounted forward payoff. A spot of 0 is allowed (the call is worthless).
//
// Invalid inputs (negative or non-finite spot, strike, vol or years; non-finite rate or dividend
// yield) throw keel::Error(invalid_input) naming the field; an expired option (years < 0) is one
// of them. Batch functions check every element first and report every bad index together.
//
// The batch functions work on columns (structure of arrays) and are the core of bulk pricing: a
// vectorised kernel (AVX-512, AVX2+FMA or baseline x86-64, chosen at run time; docs/options.md) that
// agrees with the scalar functions to ~1e-13 relative and with QuantLib to 1e-10; the scalar
// functions evaluate the same formulas one option at a time with libm. Thread-safety: pure
// functions.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "keel/portfolio/occ_symbol.h"

namespace keel::options {

// Below this total standard deviation vol * sqrt(years) the zero-vol limit is used.
inline constexpr double kMinStdDev = 1e-12;

struct BsmInputs {
  OptionRight right = OptionRight::kCall;
  double spot = 0.0;
  double strike = 0.0;
  double years = 0.0;  // time to expiry
  double vol = 0.0;    // annualised volatility
  double rate = 0.0;   // risk-free rate, continuous
  double div = 0.0;    // dividend yield, continuous
};

struct Greeks {
  double price = 0.0;
  double delta = 0.0;
  double gamma = 0.0;
  double vega = 0.0;   // per 1.00 of vol; / 100 for per vol point
  double theta = 0.0;  // per year; / 365 for per calendar day
  double rho = 0.0;    // per 1.00 of rate; / 100 for per 1%
};

// Second-order Greeks (Haug 2nd ed. 2.2): vanna = d delta / d vol (per 1.00 of vol),
// volga = d vega / d vol (per 1.00 of vol squared), charm = d delta / dt (per year, calendar time).
// All zero in the zero-vol / expiry limit.
struct HigherGreeks {
  double vanna = 0.0;
  double volga = 0.0;
  double charm = 0.0;
};

// Price per unit of underlying. At expiry (years <= 0) or zero vol, the discounted intrinsic value
// of the forward; never NaN for finite non-negative inputs.
double bsm_price(const BsmInputs& in);
// Price and the five Greeks.
Greeks bsm_greeks(const BsmInputs& in);
// Vanna, volga and charm (bonus Greeks).
HigherGreeks bsm_higher_greeks(const BsmInputs& in);

// Empty when `in` is valid, else a sentence naming the bad field ("spot must be a finite number
// >= 0, got -1").
std::string bsm_input_problem(const BsmInputs& in);

// Columns of a book of European options; every span has the same length.
struct BsmColumns {
  std::span<const OptionRight> right;
  std::span<const double> spot;
  std::span<const double> strike;
  std::span<const double> years;
  std::span<const double> vol;
  std::span<const double> rate;
  std::span<const double> div;

  std::size_t size() const { return spot.size(); }
};

// Output columns, each the length of the inputs.
struct GreekColumns {
  std::span<double> price;
  std::span<double> delta;
  std::span<double> gamma;
  std::span<double> vega;
  std::span<double> theta;
  std::span<double> rho;
};

// Prices of every option into `price`. Throws keel::Error(invalid_input) when the columns differ
// in length or any element is invalid (all bad indexes listed in the details); nothing is written
// then.
void bsm_price_batch(const BsmColumns& in, std::span<double> price);
// Price and five Greeks of every option. Same failure behaviour as bsm_price_batch.
void bsm_greeks_batch(const BsmColumns& in, const GreekColumns& out);

}  // namespace keel::options
