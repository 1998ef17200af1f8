// src/alm/cash_flow_kernel.h (private): the per-position cash-flow kernel of the IRRBB engine.
//
// For one position it builds the payment schedule (backward from maturity, Modified Following
// on a business-day table), the principal schedule, the future reset dates and the accrual
// segments (payment periods cut at resets), then for every scenario of the currency: the
// coupons (floating: forward of the scenario curve at each reset, plus spread, clamped), the
// present value of each payment, the cash flow per BCBS bucket, and for the NII scenarios the
// interest accrued in each month of the horizon (renewals included). No allocation once the
// scratch buffers have grown; no virtual calls.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "calendar_table.h"
#include "civil.h"
#include "keel/alm/balance_sheet.h"
#include "keel/alm/irrbb.h"
#include "keel/alm/shocks.h"

namespace keel::alm::detail {

inline constexpr int kMaxScenarios = 32;
inline constexpr int kMaxMonths = 60;
// NII periods: the horizon's months, one more with calendar months (a stub at each end).
inline constexpr int kMaxPeriods = kMaxMonths + 1;
inline constexpr int kNiiScenarios = 3;  // base, parallel_up, parallel_down (indexes 0, 1, 2)

// Everything the kernel needs about one currency: day-indexed discount factors per scenario.
struct CurrencyContext {
  std::int32_t as_of = 0;
  std::int32_t horizon_end = 0;             // as_of + NII horizon
  int months = 12;                          // NII periods (the horizon's months, or calendar months)
  std::vector<std::int32_t> month_start;    // months + 1 boundaries, month_start[0] = as_of
  std::array<std::array<double, kMaxPeriods>, 4> month_tau{};  // per DayCount: fraction of each period
  int n_scenarios = 1;
  bool nii = true;                          // accrue NII for scenarios 0..2
  int n_days = 0;                           // tables cover day offsets 0..n_days
  std::vector<double> discount;             // n_scenarios x (n_days + 1), row per scenario
  std::vector<std::uint8_t> day_bucket;     // BCBS bucket per day offset
  const std::vector<BusinessDayTable>* calendars = nullptr;  // by PositionTerms::calendar
  const DateTable* dates = nullptr;                          // y/m/d lookup for day counts

  double df(int scenario, std::int32_t serial) const {
    std::int32_t d = serial - as_of;
    if (d < 0) d = 0;
    if (d > n_days) d = n_days;
    return discount[static_cast<std::size_t>(scenario) * static_cast<std::size_t>(n_days + 1) +
                    static_cast<std::size_t>(d)];
  }
  std::uint8_t bucket(std::int32_t serial) const {
    std::int32_t d = serial - as_of;
    if (d < 0) d = 0;
    if (d > n_days) d = n_days;
    return day_bucket[static_cast<std::size_t>(d)];
  }
};

struct Accum {
  std::array<double, kMaxScenarios> pv_assets{};
  std::array<double, kMaxScenarios> pv_liabilities{};
  std::array<double, kMaxScenarios * kBucketCount> bucket_cf{};  // signed (assets +), floating
  std::array<double, kBucketCount> bucket_cf_fixed{};  // fixed positions: the same in every scenario
  std::array<double, kNiiScenarios * kMaxPeriods> income{};
  std::array<double, kNiiScenarios * kMaxPeriods> expense{};
  std::array<double, kBucketCount> gap_assets{};
  std::array<double, kBucketCount> gap_liabilities{};

  void add(const Accum& o);
};

struct Scratch {
  std::vector<std::int32_t> pay;       // payment dates p_1..p_n (ascending)
  std::vector<std::int32_t> pay_day;   // days from the as-of date
  std::vector<std::uint8_t> pay_bucket;
  std::vector<double> principal;       // repaid at p_k
  std::vector<double> balance;         // outstanding during period k
  std::vector<double> interest;        // per period, current scenario
  std::vector<double> last_coupon;     // per period, coupon of its last segment
  std::vector<std::int32_t> reset;     // future reset dates (ascending)
  std::vector<std::int32_t> reset_end; // end of each reset period
  std::vector<double> reset_tau;
  std::vector<double> fixing;          // per reset, current scenario
  std::vector<std::int32_t> seg_a, seg_b;
  std::vector<int> seg_period, seg_reset;
  std::vector<double> seg_tau;
};

// Optional record of one scenario's cash flows (project_cash_flows).
struct Trace {
  int scenario = 0;
  std::vector<CashFlow>* out = nullptr;
};

// Adds the position's contributions to `acc`. Preconditions (checked by validate): notional > 0,
// maturity after the as-of date and after start, start on or before the as-of date.
void process_position(const PositionTerms& t, const CurrencyContext& ctx, Scratch& sc, Accum& acc,
                      const Trace* trace = nullptr);

// Days from the as-of date to the last cash flow of the position (NMD: behavioural maturity),
// and to the end of its original term (for renewal rates).
std::int32_t last_cash_flow_serial(const PositionTerms& t, std::int32_t as_of);
std::int32_t term_days(const PositionTerms& t);

}  // namespace keel::alm::detail
