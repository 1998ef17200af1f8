// The plan kernel for the architecture's baseline (SSE2 on x86-64): 2 trials per vector (isa.h,
// kernel.h); and the choice of kernel at run time.
#include "kernel_prelude.h"

#define KEEL_PLAN_ISA isa_base
#define KEEL_PLAN_ISA_NAME "base"
#define KEEL_PLAN_WIDTH 2
// One vector at a time: interleaving two makes GCC 12 crash (an internal compiler error in
// gimple_expand_vec_cond_expr, from -fpeel-loops at -O3), and four is no faster with 16 xmm registers.
#define KEEL_PLAN_INTERLEAVE 1
#include "kernel_impl.h"

namespace keel::plan::detail {

const Kernel* kernel_base() {
  return &isa_base::kKernel;
}

std::vector<const Kernel*> runnable_kernels() {
  std::vector<const Kernel*> out{kernel_base()};
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (kernel_avx2() && __builtin_cpu_supports("avx2")) out.push_back(kernel_avx2());
  if (kernel_avx512() && __builtin_cpu_supports("avx512f")) out.push_back(kernel_avx512());
#endif
  return out;
}

const Kernel& best_kernel() {
  static const Kernel* const best = runnable_kernels().back();
  return *best;
}

}  // namespace keel::plan::detail
