// keel/alm/shocks.h: the supervisory interest-rate shock scenarios of IRRBB.
//
// Six standardised shocks (BCBS 368 "Interest rate risk in the banking book", April 2016,
// Annex 2; EBA/GL/2022/14; Commission Delegated Regulation (EU) 2024/856, supervisory shock
// scenarios and Annex Part A), applied to continuously compounded zero rates, for t in years:
//   parallel up/down   dR(t) = +/- R_parallel
//   short up/down      dR(t) = +/- R_short * exp(-t/4)
//   steepener          dR(t) = -0.65 |R_short exp(-t/4)| + 0.9 |R_long (1 - exp(-t/4))|
//   flattener          dR(t) = +0.8  |R_short exp(-t/4)| - 0.6 |R_long (1 - exp(-t/4))|
// with currency sizes R_parallel, R_short, R_long (basis points) from the Annex table
// (data/alm/shock_sizes.csv, built into the binary).
//
// Post-shock floor (Delegated Regulation (EU) 2024/856, common modelling assumptions for EVE): shocked rates may not fall
// below -150 bp at maturity 0, rising linearly by 3 bp a year to 0 % at 50 years and beyond;
// where the observed rate is already below that floor, the observed rate is the floor:
//   z_s(t) = max(z(t) + dR(t), min(z(t), floor(t))),  floor(t) = min(0, -0.015 + 0.0003 t).
//
// User-defined scenarios: shifts in basis points at given maturities, linear in between,
// flat outside, with the same floor (optional).
//
// Thread-safety: value types; pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::alm {

enum class ShockKind : std::uint8_t {
  kNone,          // base curve
  kParallelUp,
  kParallelDown,
  kSteepener,
  kFlattener,
  kShortUp,
  kShortDown,
  kCustom,
};

// The six supervisory shocks in the order of BCBS 368 (parallel up/down, steepener, flattener,
// short up/down), and their JSON names ("parallel_up", ...). kNone is "base".
inline constexpr std::array<ShockKind, 6> kSupervisoryShocks = {
    ShockKind::kParallelUp, ShockKind::kParallelDown, ShockKind::kSteepener,
    ShockKind::kFlattener,  ShockKind::kShortUp,      ShockKind::kShortDown};
std::string_view shock_name(ShockKind k);
std::optional<ShockKind> parse_shock_name(std::string_view name);

// Sizes of one currency, in basis points (positive numbers).
struct ShockSizes {
  std::string currency;
  double parallel_bp = 0.0;
  double short_bp = 0.0;
  double long_bp = 0.0;
};

struct ShockTable {
  std::vector<ShockSizes> rows;
  std::string source;  // file name or "built-in (Delegated Regulation (EU) 2024/856 Annex)"
  // Sizes of `currency` (upper-case ISO code), or nullopt.
  const ShockSizes* find(std::string_view currency) const;
};

// The built-in table's CSV text (data/alm/shock_sizes.csv as it was at build time):
// header `currency,parallel_bp,short_bp,long_bp`. io::default_shock_table() parses it.
std::string_view embedded_shock_table_csv();

// A scenario: a supervisory shock of given sizes, or a user curve of shifts.
struct Scenario {
  std::string name;                 // "parallel_up", or the user's name
  ShockKind kind = ShockKind::kNone;
  ShockSizes sizes;                 // supervisory kinds
  std::vector<double> custom_years; // kCustom: ascending maturities in years
  std::vector<double> custom_bp;    // kCustom: shifts in basis points at those maturities
  bool apply_floor = true;          // the post-shock floor of Delegated Regulation 2024/856
};

Scenario supervisory_scenario(ShockKind kind, const ShockSizes& sizes);

// Shift of the zero rate at t years, in basis points (no floor).
double shock_bp(const Scenario& s, double years);
// Post-shock floor as a decimal rate: min(0, -0.015 + 0.0003 t).
double post_shock_floor(double years);
// Shocked zero rate (decimal) for base zero `zero_rate` at t years, floor included when asked.
double shocked_zero(const Scenario& s, double zero_rate, double years);

// The 19 time buckets of BCBS 368 Annex 2 Table 2 (repricing gap, standardised EVE).
struct TimeBucket {
  std::string_view name;   // "O/N", "O/N-1M", "1M-3M", ..., "15Y-20Y", ">20Y"
  double from_years;       // lower bound (exclusive, except 0)
  double to_years;         // upper bound (inclusive); infinity for the last
  double midpoint_years;   // BCBS midpoint: 0.0028, 0.0417, 0.1667, 0.375, ..., 17.5, 25
};
inline constexpr std::size_t kBucketCount = 19;
const std::array<TimeBucket, kBucketCount>& time_buckets();
// Bucket of a cash flow `days` after the as-of date (days >= 1 -> bucket 0 for 1 day).
std::size_t bucket_of_days(int days);

}  // namespace keel::alm
