// Private: loading a book and turning it into the risk engines' inputs (shared by risk_*.cpp).
#pragma once

#include <string>
#include <vector>

#include "keel/risk/book.h"
#include "keel/risk/returns.h"
#include "keel/service/book.h"
#include "keel/service/risk.h"

namespace keel::service::detail {

struct RiskInputs {
  Book book;
  risk::RiskBook risk_book;
  std::vector<std::string> warnings;
  std::string rate_source;  // where the options' rates came from (option_rates.h)
};

// Loads and values the book. Throws keel::Error as load_book and build_risk_book do, and
// invalid_input when no position carries market risk.
RiskInputs load_risk_inputs(const Context& cx, const RiskInputsRequest& request);

// Returns of the book's drivers: the last `window` returns up to the as-of date (0 = all).
risk::ReturnMatrix risk_returns(RiskInputs& in, const RiskInputsRequest& request, std::size_t window);

}  // namespace keel::service::detail
