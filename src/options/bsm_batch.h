// src/options/bsm_batch.h (private): the vectorised Black-Scholes-Merton batch kernels.
// Inputs are validated by the caller; outputs may be null for price-only.
#pragma once

#include <cstddef>

#include "keel/portfolio/occ_symbol.h"

namespace keel::options::detail {

struct BatchOut {
  double* price;
  double* delta;  // these five are all null (price only) or all set
  double* gamma;
  double* vega;
  double* theta;
  double* rho;
};

void bsm_batch(std::size_t n, const OptionRight* right, const double* spot, const double* strike,
               const double* years, const double* vol, const double* rate, const double* div,
               const BatchOut& out);

}  // namespace keel::options::detail
