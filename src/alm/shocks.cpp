#include "keel/alm/shocks.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "shock_table_data.h"

namespace keel::alm {

std::string_view shock_name(ShockKind k) {
  switch (k) {
    case ShockKind::kNone: return "base";
    case ShockKind::kParallelUp: return "parallel_up";
    case ShockKind::kParallelDown: return "parallel_down";
    case ShockKind::kSteepener: return "steepener";
    case ShockKind::kFlattener: return "flattener";
    case ShockKind::kShortUp: return "short_up";
    case ShockKind::kShortDown: return "short_down";
    case ShockKind::kCustom: return "custom";
  }
  return "base";
}

std::optional<ShockKind> parse_shock_name(std::string_view name) {
  for (ShockKind k : kSupervisoryShocks) {
    if (shock_name(k) == name) return k;
  }
  if (name == "base") return ShockKind::kNone;
  return std::nullopt;
}

const ShockSizes* ShockTable::find(std::string_view currency) const {
  for (const ShockSizes& r : rows) {
    if (r.currency == currency) return &r;
  }
  return nullptr;
}

std::string_view embedded_shock_table_csv() { return detail::kShockTableCsv; }

Scenario supervisory_scenario(ShockKind kind, const ShockSizes& sizes) {
  Scenario s;
  s.name = std::string(shock_name(kind));
  s.kind = kind;
  s.sizes = sizes;
  return s;
}

double shock_bp(const Scenario& s, double t) {
  const double short_factor = std::exp(-t / 4.0);
  const double short_bp = s.sizes.short_bp * short_factor;
  const double long_bp = s.sizes.long_bp * (1.0 - short_factor);
  switch (s.kind) {
    case ShockKind::kNone: return 0.0;
    case ShockKind::kParallelUp: return s.sizes.parallel_bp;
    case ShockKind::kParallelDown: return -s.sizes.parallel_bp;
    case ShockKind::kSteepener: return -0.65 * std::fabs(short_bp) + 0.9 * std::fabs(long_bp);
    case ShockKind::kFlattener: return 0.8 * std::fabs(short_bp) - 0.6 * std::fabs(long_bp);
    case ShockKind::kShortUp: return short_bp;
    case ShockKind::kShortDown: return -short_bp;
    case ShockKind::kCustom: {
      const auto& ys = s.custom_years;
      const auto& bp = s.custom_bp;
      if (ys.empty()) return 0.0;
      if (t <= ys.front()) return bp.front();
      if (t >= ys.back()) return bp.back();
      const std::size_t hi =
          static_cast<std::size_t>(std::upper_bound(ys.begin(), ys.end(), t) - ys.begin());
      const std::size_t lo = hi - 1;
      const double w = (t - ys[lo]) / (ys[hi] - ys[lo]);
      return bp[lo] + w * (bp[hi] - bp[lo]);
    }
  }
  return 0.0;
}

double post_shock_floor(double t) { return std::min(0.0, -0.015 + 0.0003 * t); }

double shocked_zero(const Scenario& s, double zero_rate, double t) {
  const double shocked = zero_rate + shock_bp(s, t) * 1e-4;
  if (!s.apply_floor || s.kind == ShockKind::kNone) return shocked;
  return std::max(shocked, std::min(zero_rate, post_shock_floor(t)));
}

const std::array<TimeBucket, kBucketCount>& time_buckets() {
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  static const std::array<TimeBucket, kBucketCount> kBuckets = {{
      {"O/N", 0.0, 1.0 / 365.0, 0.0028},
      {"O/N-1M", 1.0 / 365.0, 1.0 / 12.0, 0.0417},
      {"1M-3M", 1.0 / 12.0, 0.25, 0.1667},
      {"3M-6M", 0.25, 0.5, 0.375},
      {"6M-9M", 0.5, 0.75, 0.625},
      {"9M-1Y", 0.75, 1.0, 0.875},
      {"1Y-1.5Y", 1.0, 1.5, 1.25},
      {"1.5Y-2Y", 1.5, 2.0, 1.75},
      {"2Y-3Y", 2.0, 3.0, 2.5},
      {"3Y-4Y", 3.0, 4.0, 3.5},
      {"4Y-5Y", 4.0, 5.0, 4.5},
      {"5Y-6Y", 5.0, 6.0, 5.5},
      {"6Y-7Y", 6.0, 7.0, 6.5},
      {"7Y-8Y", 7.0, 8.0, 7.5},
      {"8Y-9Y", 8.0, 9.0, 8.5},
      {"9Y-10Y", 9.0, 10.0, 9.5},
      {"10Y-15Y", 10.0, 15.0, 12.5},
      {"15Y-20Y", 15.0, 20.0, 17.5},
      {">20Y", 20.0, kInf, 25.0},
  }};
  return kBuckets;
}

std::size_t bucket_of_days(int days) {
  const double t = days / 365.0;
  const auto& b = time_buckets();
  for (std::size_t i = 0; i + 1 < kBucketCount; ++i) {
    if (t <= b[i].to_years + 1e-12) return i;
  }
  return kBucketCount - 1;
}

}  // namespace keel::alm
