// Private: everything the plan kernel (kernel_impl.h) uses from outside, included by each kernel
// translation unit before its `#pragma GCC target` region so that this code stays baseline.
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

#include "draws.h"
#include "keel/plan/model.h"
#include "kernel.h"
#include "path_plan.h"
