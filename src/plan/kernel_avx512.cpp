// The plan kernel compiled for AVX-512F: 8 trials per vector (isa.h, kernel.h).
#include "kernel_prelude.h"

#if defined(__x86_64__) && defined(__GNUC__)
// Every function below compiled for the instruction set (clang, which builds the sanitizer and
// fuzz binaries, spells GCC's target pragma this way).
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f")
#endif
#define KEEL_PLAN_ISA isa_avx512
#define KEEL_PLAN_ISA_NAME "avx512"
#define KEEL_PLAN_WIDTH 8
#define KEEL_PLAN_INTERLEAVE 2
#define KEEL_PLAN_AVX512 1  // AVX-512 intrinsics (GCC does not define __AVX512F__ for a C++ target pragma)
#include "kernel_impl.h"
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

const keel::plan::detail::Kernel* keel::plan::detail::kernel_avx512() {
  return &isa_avx512::kKernel;
}
#else
const keel::plan::detail::Kernel* keel::plan::detail::kernel_avx512() {
  return nullptr;
}
#endif
