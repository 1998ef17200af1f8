// The plan kernel compiled for AVX2: 4 trials per vector (isa.h, kernel.h).
#include "kernel_prelude.h"

#if defined(__x86_64__) && defined(__GNUC__)
KEEL_PLAN_TARGET_PUSH("avx2")
#define KEEL_PLAN_ISA isa_avx2
#define KEEL_PLAN_ISA_NAME "avx2"
#define KEEL_PLAN_WIDTH 4
#define KEEL_PLAN_AVX2 1  // AVX2 intrinsics
#define KEEL_PLAN_INTERLEAVE 2
#include "kernel_impl.h"
KEEL_PLAN_TARGET_POP

const keel::plan::detail::Kernel* keel::plan::detail::kernel_avx2() {
  return &isa_avx2::kKernel;
}
#else
const keel::plan::detail::Kernel* keel::plan::detail::kernel_avx2() {
  return nullptr;
}
#endif
