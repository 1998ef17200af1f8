// The plan kernel compiled for AVX-512F: 8 trials per vector (isa.h, kernel.h).
#include "kernel_prelude.h"

#if defined(__x86_64__) && defined(__GNUC__)
KEEL_PLAN_TARGET_PUSH("avx512f")
#define KEEL_PLAN_ISA isa_avx512
#define KEEL_PLAN_ISA_NAME "avx512"
#define KEEL_PLAN_WIDTH 8
#define KEEL_PLAN_INTERLEAVE 2
#define KEEL_PLAN_AVX512 1  // AVX-512 intrinsics (GCC does not define __AVX512F__ for a C++ target pragma)
#include "kernel_impl.h"
KEEL_PLAN_TARGET_POP

const keel::plan::detail::Kernel* keel::plan::detail::kernel_avx512() {
  return &isa_avx512::kKernel;
}
#else
const keel::plan::detail::Kernel* keel::plan::detail::kernel_avx512() {
  return nullptr;
}
#endif
