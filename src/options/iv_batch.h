// src/options/iv_batch.h (private): the vectorised implied-vol kernel behind implied_vol_batch.
//
// Jaeckel's "Let's be rational" written branch-free over columns (every lane computes the four
// initial-guess branches' inputs and selects one; two Householder(3) steps), compiled for the
// same three instruction sets as the Black-Scholes batch kernel (bsm_batch.h). The lane keeps
// the scalar solver's formulas (implied_vol.cpp) but evaluates the normalised price through the
// scaled complementary error function (simd::erfcx) with one exponential per evaluation:
//   e^{x/2} N(h + t) and e^{-x/2} N(h - t) both equal e^{-(h^2 + t^2)/2} / sqrt(2 pi) times a
//   Mills ratio Y(z) = N(z) / n(z) = sqrt(pi/2) erfcx(-z / sqrt 2) (or its complement),
// which neither overflows nor underflows where the plain formula would.
// An element leaves the vector path (slow flag set, the caller solves it with the scalar solver)
// when its inputs are invalid or its price is within 1e-9 of a no-arbitrage bound (the scalar
// solver then decides and explains), when the last evaluation is in the region where the scalar
// solver uses its series (short, near-the-money total vol: the two-term formula cancels there),
// when an argument leaves the range of the erfcx fit, or when the second Householder step still
// moved the total vol by more than 1e-6 of itself. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

#include "bsm_batch.h"
#include "keel/portfolio/occ_symbol.h"

namespace keel::options::detail {

struct IvBatchIn {
  const OptionRight* right;
  const double* price;
  const double* spot;
  const double* strike;
  const double* years;
  const double* rate;
  const double* div;
};

// Implied vols of elements [0, n) into vol; slow[i] = 0 where vol[i] is final, 4 where vol[i] is
// within the two-term formula's cancellation error of the root (the last evaluation was in the
// series region) and one exact step of the scalar solver from it finishes the job, 1 where
// element i must be solved by the scalar path from scratch (vol[i] is then meaningless).
// Returns the number of elements that are not final.
std::size_t implied_vol_kernel(KernelIsa isa, std::size_t n, const IvBatchIn& in, double* vol,
                               std::uint64_t* slow);

}  // namespace keel::options::detail
