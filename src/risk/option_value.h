// Private: value, delta and gamma of one option for the risk engines (Black-Scholes-Merton, or
// the term's American engine for American exercise: keel/options/american.h).
#pragma once

#include "keel/risk/book.h"

namespace keel::risk {

struct OptionPoint {
  double price = 0.0;  // per unit of underlying
  double delta = 0.0;  // per 1.00 of spot
  double gamma = 0.0;  // per 1.00 of spot, squared
};

// Value of the option `terms` at spot `spot` (years <= 0: intrinsic value).
OptionPoint option_value(const OptionTerms& terms, double spot);
// Price only (the revaluation hot path).
double option_price(const OptionTerms& terms, double spot);

}  // namespace keel::risk
