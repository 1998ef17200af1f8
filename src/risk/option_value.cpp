#include "option_value.h"

#include <algorithm>

#include "keel/options/american.h"

namespace keel::risk {

OptionPoint option_value(const OptionTerms& terms, double spot) {
  // A simulated return below -100% would give a negative spot; the price cannot go below zero.
  const options::BsmInputs in{terms.right, std::max(spot, 0.0), terms.strike, terms.years,
                              terms.vol,   terms.rate,          terms.div};
  const options::Greeks g = options::option_greeks(terms.exercise, in, terms.american_engine);
  return {g.price, g.delta, g.gamma};
}

double option_price(const OptionTerms& terms, double spot) {
  const options::BsmInputs in{terms.right, std::max(spot, 0.0), terms.strike, terms.years,
                              terms.vol,   terms.rate,          terms.div};
  return options::option_price(terms.exercise, in, terms.american_engine);
}

}  // namespace keel::risk
