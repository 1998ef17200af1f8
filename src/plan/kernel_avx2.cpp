// The plan kernel compiled for AVX2: 4 trials per vector (isa.h, kernel.h).
#include "kernel_prelude.h"

#if defined(__x86_64__) && defined(__GNUC__)
// Every function below compiled for the instruction set (clang, which builds the sanitizer and
// fuzz binaries, spells GCC's target pragma this way).
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif
#define KEEL_PLAN_ISA isa_avx2
#define KEEL_PLAN_ISA_NAME "avx2"
#define KEEL_PLAN_WIDTH 4
#define KEEL_PLAN_AVX2 1  // AVX2 intrinsics
#define KEEL_PLAN_INTERLEAVE 2
#include "kernel_impl.h"
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

const keel::plan::detail::Kernel* keel::plan::detail::kernel_avx2() {
  return &isa_avx2::kKernel;
}
#else
const keel::plan::detail::Kernel* keel::plan::detail::kernel_avx2() {
  return nullptr;
}
#endif
