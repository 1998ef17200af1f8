// Private: everything the plan kernel (kernel_impl.h) uses from outside, included by each kernel
// translation unit before its target region (KEEL_PLAN_TARGET_PUSH) so that this code stays
// baseline.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <type_traits>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

// KEEL_PLAN_TARGET_PUSH("avx2") ... KEEL_PLAN_TARGET_POP: every function between them compiled for
// that instruction set. GCC's target pragma; clang (the sanitizer and fuzz build) spells it as an
// attribute pragma.
#define KEEL_PLAN_PRAGMA(text) _Pragma(#text)
#if defined(__clang__)
#define KEEL_PLAN_TARGET_PUSH(isa) KEEL_PLAN_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define KEEL_PLAN_TARGET_POP KEEL_PLAN_PRAGMA(clang attribute pop)
#else
#define KEEL_PLAN_TARGET_PUSH(isa) KEEL_PLAN_PRAGMA(GCC push_options) KEEL_PLAN_PRAGMA(GCC target(isa))
#define KEEL_PLAN_TARGET_POP KEEL_PLAN_PRAGMA(GCC pop_options)
#endif

#include "draws.h"
#include "keel/plan/model.h"
#include "kernel.h"
#include "path_plan.h"
