// Private: lives of a plan on given periodic returns and inflation, for one trial (V = double:
// scripted paths) or kLanes trials side by side (V = VecD: the Monte Carlo engine), written once
// so the Monte Carlo driver, the safe-withdrawal solver and simulate_path follow the same rules.
//
// Conventions (docs/planning.md, "Timing"): nominal amounts for year y are fixed at the start of
// the year from the price index then (cpi_y); each step pays 1/steps of the year's flow (plus
// one-off events at the year's first step) and then grows by the step's return. A step whose
// flow would take the balance below zero is a shortfall: the trial fails in that year and its
// balance stays at zero.
//
// Branch-free across lanes: every lane evaluates every rule and masks select the outcome (a
// failed lane keeps computing on a zero balance, and its records are masked to zero), so each
// lane's numbers are exactly those of the one-lane evaluation. The strategy switch is uniform
// across lanes and stays a branch.
#pragma once

#include <limits>
#include <vector>

#include "isa.h"
#include "keel/plan/model.h"
#include "lanes.h"
#include "path_plan.h"

namespace keel::plan::detail {
inline namespace KEEL_PLAN_ISA {

// The state of a life between years (all nominal), one value per lane.
template <class V>
struct PathState {
  V balance;        // at the start of the next year
  V cpi;            // price index at the start of the next year
  V withdrawal;     // last year's nominal withdrawal
  V initial_rate;   // Guyton-Klinger: first withdrawal / balance at retirement
  V first_real;     // floor-ceiling: first withdrawal in today's money
  V growth_prev;    // growth factor of the last year
  V cpi_prev_year;  // price index at the start of the last year
  V failed_year;    // 1-based year of the shortfall; 0 while the life goes on
};

template <class V>
[[gnu::always_inline]] inline PathState<V> start_state(const PathPlan& p) {
  PathState<V> s;
  s.balance = splat<V>(p.initial_balance);
  s.cpi = splat<V>(1.0);
  s.withdrawal = splat<V>(0.0);
  s.initial_rate = splat<V>(0.0);
  s.first_real = splat<V>(0.0);
  s.growth_prev = splat<V>(1.0);
  s.cpi_prev_year = splat<V>(1.0);
  s.failed_year = splat<V>(0.0);
  return s;
}

// The fields of a state in order, for moving states to and from plain arrays (kernel.h).
template <class V>
[[gnu::always_inline]] inline void for_each_field(PathState<V>& s, auto&& f) {
  V* fields[] = {&s.balance,    &s.cpi,         &s.withdrawal,    &s.initial_rate,
                 &s.first_real, &s.growth_prev, &s.cpi_prev_year, &s.failed_year};
  for (std::size_t i = 0; i < sizeof fields / sizeof fields[0]; ++i) f(i, *fields[i]);
}

// Recorder interface (static): year(y, balance_end, spending) per year; with kRules (one lane
// only) gk(kind, y, fired) with kind 0 = frozen, 1 = cut, 2 = raise, for a life still going on.
struct NullRecorder {
  static constexpr bool kRules = false;
  template <class V>
  void year(int, const V&, const V&) {}
};

// The step inflation: a plan-wide fixed series (same for every lane) or drawn per lane.
template <class V>
struct StepInflation {
  const double* fixed = nullptr;  // indexed by absolute step, or null
  const V* drawn = nullptr;       // indexed by step - first step of the buffer
  [[gnu::always_inline]] V at(int s, int s_first) const {
    return fixed ? splat<V>(fixed[s]) : drawn[s - s_first];
  }
};

// The year's withdrawal decision (strategies of docs/planning.md) for years y >= retirement.
// Lane conditions select values directly (nested sel, no combined masks).
template <class V, class Recorder>
[[gnu::always_inline]] inline void decide_withdrawal(const PathPlan& p, PathState<V>& st, int y,
                                                     Recorder& rec) {
  const V balance = st.balance;
  const V cpi = st.cpi;
  V w = st.withdrawal;
  if (y == p.retirement_year) {
    switch (p.strategy) {
      case Strategy::kVpw:
        w = balance * p.vpw_pct[static_cast<std::size_t>(y)];
        break;
      case Strategy::kConstantPercentage:
      case Strategy::kFloorCeiling:
        w = p.rate * balance;
        break;
      default:
        w = p.rate_mode ? p.rate * balance : splat<V>(p.amount_real) * cpi;
        break;
    }
    st.initial_rate = sel(balance > 0.0, w / balance, splat<V>(std::numeric_limits<double>::infinity()));
    st.first_real = w / cpi;
    st.withdrawal = w;
    return;
  }
  const V inflation_prev = cpi / st.cpi_prev_year - 1.0;
  switch (p.strategy) {
    case Strategy::kConstantDollar:
      w = w * (1.0 + inflation_prev);
      break;
    case Strategy::kConstantPercentage:
      w = p.rate * balance;
      break;
    case Strategy::kVpw:
      w = balance * p.vpw_pct[static_cast<std::size_t>(y)];
      break;
    case Strategy::kFloorCeiling: {
      // std::clamp(rate B, (1 - floor) base, (1 + ceiling) base), base = first W in real terms.
      const V base = st.first_real * cpi;
      const V v = p.rate * balance;
      const V lo = (1.0 - p.fc.floor) * base;
      const V hi = (1.0 + p.fc.ceiling) * base;
      w = sel(v < lo, lo, sel(hi < v, hi, v));
      break;
    }
    case Strategy::kGuytonKlinger: {
      // Rates compared as W > threshold x B (no division; B = 0 counts as an infinite rate, as
      // W / B would). 1. withdrawal rule: no raise after a losing year above the initial rate.
      const V ir = st.initial_rate;
      const V raised = w * (1.0 + inflation_prev);
      const V frozen_bound = ir * balance;
      if constexpr (Recorder::kRules) {
        rec.gk(0, y,
               p.gk.withdrawal_rule && st.failed_year == 0.0 && st.growth_prev < 1.0 && w > frozen_bound);
      }
      w = p.gk.withdrawal_rule ? sel(st.growth_prev < 1.0, sel(w > frozen_bound, w, raised), raised) : raised;
      // 2. capital preservation (not in the final years), else 3. prosperity.
      const bool preservation = p.gk.capital_preservation && p.years - y > p.gk.preservation_off_years;
      const V upper = ir * (1.0 + p.gk.upper_threshold) * balance;
      const V lower = ir * (1.0 - p.gk.lower_threshold) * balance;
      const V cut = w * (1.0 - p.gk.cut);
      const V raise = p.gk.prosperity ? sel(w < lower, w * (1.0 + p.gk.raise), w) : w;
      if constexpr (Recorder::kRules) {
        const bool alive = st.failed_year == 0.0;
        const bool cut_fired = preservation && w > upper;
        rec.gk(1, y, alive && cut_fired);
        rec.gk(2, y, alive && !cut_fired && p.gk.prosperity && w < lower);
      }
      w = preservation ? sel(w > upper, cut, raise) : raise;
      break;
    }
  }
  st.withdrawal = w;
}

// Years [y_first, y_last) of kN independent sets of lives st[0..kN), stepped side by side so that
// their dependency chains (each step's balance waits on the previous one) overlap.
// returns[n][s - s_first] holds the return of absolute step s for set n (s_first = y_first x kSpy).
// kSpy: steps per year as a compile-time constant (1 or 12).
template <int kSpy, int kN, class V, class Recorder>
[[gnu::always_inline]] inline void run_years(const PathPlan& p, PathState<V>* st, int y_first, int y_last,
                                             const V* const* returns, const StepInflation<V>* inflation,
                                             Recorder* rec) {
  using Mask = decltype(splat<V>(0.0) < 0.0);
  constexpr double inv_spy = 1.0 / kSpy;
  const int s_first = y_first * kSpy;
  const bool gk = p.strategy == Strategy::kGuytonKlinger;  // only G-K reads the year's growth
  int s = s_first;
  for (int y = y_first; y < y_last; ++y) {
    const auto yi = static_cast<std::size_t>(y);
    V balance[kN], cpi[kN], paid[kN], growth[kN], failed_year[kN], step_flow[kN], step_spend[kN], oneoff[kN];
    Mask alive[kN];
    for (int n = 0; n < kN; ++n) {
      if (y >= p.retirement_year) decide_withdrawal(p, st[n], y, rec[n]);
      const V spend_year = y >= p.retirement_year ? st[n].withdrawal : splat<V>(0.0);
      step_flow[n] = (p.flow_real[yi] * st[n].cpi - spend_year) * inv_spy;
      step_spend[n] = spend_year * inv_spy;
      oneoff[n] = p.oneoff_real[yi] * st[n].cpi;
      balance[n] = st[n].balance;
      cpi[n] = st[n].cpi;
      paid[n] = splat<V>(0.0);
      growth[n] = splat<V>(1.0);
      failed_year[n] = st[n].failed_year;
      alive[n] = failed_year[n] == 0.0;
      st[n].cpi_prev_year = cpi[n];
    }
    for (int k = 0; k < kSpy; ++k, ++s) {
      for (int n = 0; n < kN; ++n) {
        V b = balance[n] + step_flow[n];
        if (k == 0) b = b + oneoff[n];
        // A step that would go below zero pays what it can (max(0, spend + b)) and fails the
        // life; a failed life pays nothing and keeps a zero balance.
        const Mask short_of_money = b < 0.0;
        const V pay = sel(short_of_money, vmax(splat<V>(0.0), step_spend[n] + b), step_spend[n]);
        paid[n] = sel(alive[n], paid[n] + pay, paid[n]);
        failed_year[n] = sel(mask_and(alive[n], short_of_money), splat<V>(y + 1.0), failed_year[n]);
        alive[n] = mask_and_not(alive[n], short_of_money);
        const V g = 1.0 + vmax(returns[n][s - s_first], splat<V>(-1.0));
        balance[n] = sel(alive[n], b * g, splat<V>(0.0));
        if (gk) growth[n] = growth[n] * g;
        cpi[n] = cpi[n] * (1.0 + inflation[n].at(s, s_first));
      }
    }
    for (int n = 0; n < kN; ++n) {
      st[n].balance = balance[n];
      st[n].cpi = cpi[n];
      st[n].growth_prev = growth[n];
      st[n].failed_year = failed_year[n];
      rec[n].year(y, balance[n], paid[n]);
    }
  }
}

template <int kN, class V, class Recorder>
[[gnu::always_inline]] inline void run_years(const PathPlan& p, PathState<V>* st, int y_first, int y_last,
                                             const V* const* returns, const StepInflation<V>* inflation,
                                             Recorder* rec) {
  if (p.steps_per_year == 1)
    run_years<1, kN>(p, st, y_first, y_last, returns, inflation, rec);
  else
    run_years<12, kN>(p, st, y_first, y_last, returns, inflation, rec);
}

// One set of lives.
template <class V, class Recorder>
[[gnu::always_inline]] inline void run_years(const PathPlan& p, PathState<V>& st, int y_first, int y_last,
                                             const V* returns, StepInflation<V> inflation, Recorder& rec) {
  run_years<1>(p, &st, y_first, y_last, &returns, &inflation, &rec);
}

}  // namespace KEEL_PLAN_ISA
}  // namespace keel::plan::detail
