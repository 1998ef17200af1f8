// keel/service/curve_names.h: the names of a curve file's kind and rate units, shared by every
// request that reads a curve (exposures and Greeks, ALM), so both faces spell them alike.
#pragma once

#include "keel/io/readers.h"
#include "keel/portfolio/market_data.h"
#include "keel/service/spec.h"

namespace keel::service {

inline constexpr spec::Choice<CurveKind> kCurveKindNames[] = {{CurveKind::kZero, "zero"}, {CurveKind::kPar, "par"}};
inline constexpr spec::Choice<io::RateUnits> kRateUnitsNames[] = {{io::RateUnits::kDecimal, "decimal"},
                                                                  {io::RateUnits::kPercent, "percent"}};

}  // namespace keel::service
