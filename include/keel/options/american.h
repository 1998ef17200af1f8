// keel/options/american.h: American equity options by the Barone-Adesi & Whaley (1987) quadratic
// approximation — an APPROXIMATION, not an exact price (typical error a few cents on a $100
// stock; see docs/options.md). Reference: G. Barone-Adesi and R. E. Whaley, "Efficient Analytic
// Approximation of American Option Values", Journal of Finance 42 (1987) 301-320; Haug, "The
// Complete Guide to Option Pricing Formulas", 2nd ed., 3.1.1 (critical price by Newton's method).
//
// Same inputs and units as black_scholes.h. An American call on a stock without dividend yield
// (q <= 0) is never exercised early and is priced as European. Greeks are central finite
// differences of the approximation (bumps: spot 1e-4 S, vol 1e-4, rate 1e-5, time 1e-5 years),
// in the units of black_scholes.h.
//
// Failure: invalid inputs as in black_scholes.h; a negative risk-free rate throws
// keel::Error(invalid_input) (the approximation is not defined there).
// Thread-safety: pure functions.
#pragma once

#include "keel/options/black_scholes.h"
#include "keel/portfolio/position.h"

namespace keel::options {

// Price per unit of underlying under the BAW approximation.
double baw_price(const BsmInputs& in);
// Price and five Greeks (finite differences of baw_price).
Greeks baw_greeks(const BsmInputs& in);

// The model used for an exercise style: Black-Scholes-Merton for European, Barone-Adesi-Whaley
// for American. `model_name` is what output shows ("bsm", "baw-approximation").
Greeks option_greeks(ExerciseStyle exercise, const BsmInputs& in);
// Price only, same model choice (bsm_price or baw_price) and failure behaviour.
double option_price(ExerciseStyle exercise, const BsmInputs& in);
const char* model_name(ExerciseStyle exercise);

}  // namespace keel::options
