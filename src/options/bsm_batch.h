// src/options/bsm_batch.h (private): the vectorised Black-Scholes-Merton batch kernels.
//
// One kernel body compiled three times: baseline x86-64 (SSE2, the portable path), x86-64-v3
// (AVX2 + FMA) and x86-64-v4 (AVX-512 F/DQ/VL/BW/CD, 512-bit vectors). bsm_batch picks the widest
// one the CPU supports, once per process (__builtin_cpu_supports); bsm_batch_on runs a named one
// (tests compare the paths). Inputs are validated by the caller (count_invalid finds bad rows);
// outputs may be null for price-only. Thread-safety: pure functions over the given arrays.
#pragma once

#include <cstddef>

#include "keel/options/black_scholes.h"
#include "keel/portfolio/occ_symbol.h"

namespace keel::options::detail {

struct BatchIn {
  const OptionRight* right;
  const double* spot;
  const double* strike;
  const double* years;
  const double* vol;
  const double* rate;
  const double* div;
};

struct BatchOut {
  double* price;
  double* delta;  // these five are all null (price only) or all set
  double* gamma;
  double* vega;
  double* theta;
  double* rho;
};

enum class KernelIsa { kBaseline, kAvx2, kAvx512 };

// The target attributes of the kernels' clones (one function per instruction set, chosen at run
// time by best_kernel_isa). GCC is also told to use the 512-bit registers; clang, which builds the
// sanitizer and fuzz binaries, takes the level alone.
#define KEEL_TARGET_X86_64_V3 [[gnu::target("arch=x86-64-v3")]]
#if defined(__clang__)
#define KEEL_TARGET_X86_64_V4 [[gnu::target("arch=x86-64-v4")]]
#else
#define KEEL_TARGET_X86_64_V4 [[gnu::target("arch=x86-64-v4,prefer-vector-width=512")]]
#endif

// The widest instruction set this CPU runs the kernel with.
KernelIsa best_kernel_isa();
// The clone of a kernel for `isa`, from its three clones.
template <class F>
F for_isa(KernelIsa isa, F baseline, F avx2, F avx512) {
  return isa == KernelIsa::kAvx512 ? avx512 : isa == KernelIsa::kAvx2 ? avx2 : baseline;
}
// "x86-64 (SSE2)", "x86-64-v3 (AVX2+FMA)", "x86-64-v4 (AVX-512)".
const char* kernel_isa_name(KernelIsa isa);
// True when the CPU can run `isa`.
bool kernel_isa_supported(KernelIsa isa);

// Prices (and Greeks when out.delta is set) of n valid options with the best kernel.
void bsm_batch(std::size_t n, const BatchIn& in, const BatchOut& out);
// The same with a chosen kernel; `isa` must be supported (kernel_isa_supported).
void bsm_batch_on(KernelIsa isa, std::size_t n, const BatchIn& in, const BatchOut& out);

// Number of rows that break the input rules of black_scholes.h (negative or non-finite spot,
// strike, years or vol; non-finite rate or dividend yield): a vectorised pre-check, so the
// common all-valid book costs one pass; the caller then lists the bad rows.
std::size_t count_invalid(std::size_t n, const BatchIn& in);

// Checks the columns of a batch call: equal lengths (and `out_size`), every row valid. Throws
// keel::Error(invalid_input) listing the bad rows ("option 12: vol must be >= 0, got -0.1", the
// first 50) and how many there are.
void check_columns(const BsmColumns& in, std::size_t out_size);

}  // namespace keel::options::detail
