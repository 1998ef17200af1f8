// Private: the instruction set a translation unit compiles the plan's lane code for.
//
// The lane code (lanes.h, fast_normal.h, path_kernel.h) lives in an inline namespace named by
// KEEL_PLAN_ISA and works on KEEL_PLAN_WIDTH trials per vector. The kernel translation units
// (kernel_avx512.cpp, kernel_avx2.cpp, kernel_base.cpp) define both and include that code inside
// a target region (KEEL_PLAN_TARGET_PUSH), so every helper is compiled for their instruction set under its
// own names: no inline function of one set can stand in for another's at link time. Other
// translation units (the driver, draws.cpp, tests) get the defaults below.
//
// Why not target_clones on the callers: GCC 12 lowers the vector operations of an inline helper
// in the helper's own (baseline) context before inlining it, which turns lane comparisons into
// one scalar compare per lane even inside an AVX-512 clone; and comparisons of vectors wider
// than the instruction set's registers are always done lane by lane. Each set therefore gets
// vectors of its register width (8 doubles for AVX-512, 4 for AVX2, 2 for SSE2) and helpers
// compiled in its context.
#pragma once

#ifndef KEEL_PLAN_ISA
#define KEEL_PLAN_ISA generic
#endif
#ifndef KEEL_PLAN_WIDTH
#define KEEL_PLAN_WIDTH 8
#endif
// 1 in the AVX-512 kernel: code may use AVX-512 intrinsics (with a C++ target pragma GCC does not
// define __AVX512F__, so the kernel says it).
#ifndef KEEL_PLAN_AVX512
#define KEEL_PLAN_AVX512 0
#endif
#ifndef KEEL_PLAN_AVX2
#define KEEL_PLAN_AVX2 0  // 1 in the AVX2 kernel, likewise
#endif
