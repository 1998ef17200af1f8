// Private: one life of a plan on given periodic returns and inflation; shared by the Monte Carlo
// driver, the safe-withdrawal solver and simulate_path so all three follow the same rules.
//
// Conventions (docs/planning.md, "Timing"): nominal amounts for year y are fixed at the start of
// the year from the price index then (cpi_y); each step pays 1/steps of the year's flow (plus
// one-off events at the year's first step) and then grows by the step's return. A step whose
// flow would take the balance below zero is a shortfall: the trial fails in that year and its
// balance stays at zero.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "keel/plan/model.h"

namespace keel::plan::detail {

// Everything about a plan that does not change between trials, in arrays indexed by year.
struct PathPlan {
  int years = 0;
  int steps_per_year = 1;
  int retirement_year = 0;
  double initial_balance = 0.0;
  Strategy strategy = Strategy::kConstantDollar;
  bool rate_mode = false;         // first withdrawal = rate x balance at retirement
  double rate = 0.0;              // withdrawal_rate (also the percentage of CP and FC)
  double amount_real = 0.0;       // withdrawal_amount (today's money)
  GuytonKlingerRules gk;
  FloorCeiling fc;
  std::vector<double> flow_real;    // per year: contribution + income change (today's money)
  std::vector<double> oneoff_real;  // per year: windfalls - expenses (today's money)
  std::vector<double> vpw_pct;      // per year: VPW percentage for the years remaining
};

PathPlan make_path_plan(const PlanInputs& in);

struct TrialOutcome {
  bool failed = false;
  int shortfall_year = 0;  // 1-based
  double terminal = 0.0;
};

// Recorder interface (static): start(balance), year(y, balance_end, spending),
// gk(kind, y) with kind 0 = frozen, 1 = cut, 2 = raise.
struct NullRecorder {
  void start(double) {}
  void year(int, double, double) {}
  void gk(int, int) {}
};

// kSpy: steps per year as a compile-time constant (1 or 12) so the step loop specialises.
template <int kSpy, class Recorder>
inline TrialOutcome run_path_steps(const PathPlan& p, const double* returns,
                                   const double* inflation, Recorder& rec) {
  constexpr int spy = kSpy;
  constexpr double inv_spy = 1.0 / kSpy;
  double balance = p.initial_balance;
  double cpi = 1.0;
  double cpi_prev_year = 1.0;
  double withdrawal = 0.0;    // this year's nominal withdrawal
  double initial_rate = 0.0;  // Guyton-Klinger
  double first_real = 0.0;    // floor-ceiling: first withdrawal in today's money
  double growth_prev = 1.0;   // growth factor of the previous year
  rec.start(balance);
  TrialOutcome out;
  int s = 0;
  for (int y = 0; y < p.years; ++y) {
    if (y >= p.retirement_year) {
      if (y == p.retirement_year) {
        switch (p.strategy) {
          case Strategy::kVpw: withdrawal = balance * p.vpw_pct[y]; break;
          case Strategy::kConstantPercentage:
          case Strategy::kFloorCeiling: withdrawal = p.rate * balance; break;
          default: withdrawal = p.rate_mode ? p.rate * balance : p.amount_real * cpi; break;
        }
        initial_rate = balance > 0 ? withdrawal / balance : std::numeric_limits<double>::infinity();
        first_real = withdrawal / cpi;
      } else {
        const double inflation_prev = cpi / cpi_prev_year - 1.0;
        switch (p.strategy) {
          case Strategy::kConstantDollar: withdrawal *= 1.0 + inflation_prev; break;
          case Strategy::kConstantPercentage: withdrawal = p.rate * balance; break;
          case Strategy::kVpw: withdrawal = balance * p.vpw_pct[y]; break;
          case Strategy::kFloorCeiling: {
            const double base = first_real * cpi;
            withdrawal = std::clamp(p.rate * balance, (1.0 - p.fc.floor) * base,
                                    (1.0 + p.fc.ceiling) * base);
            break;
          }
          case Strategy::kGuytonKlinger: {
            // Rates compared as W > threshold x B (no division; B = 0 counts as an infinite
            // rate, as W / B would).
            const bool freeze = p.gk.withdrawal_rule && growth_prev < 1.0 &&
                                withdrawal > initial_rate * balance;
            if (freeze) {
              rec.gk(0, y);
            } else {
              withdrawal *= 1.0 + inflation_prev;
            }
            const int remaining = p.years - y;
            if (p.gk.capital_preservation && remaining > p.gk.preservation_off_years &&
                withdrawal > initial_rate * (1.0 + p.gk.upper_threshold) * balance) {
              withdrawal *= 1.0 - p.gk.cut;
              rec.gk(1, y);
            } else if (p.gk.prosperity &&
                       withdrawal < initial_rate * (1.0 - p.gk.lower_threshold) * balance) {
              withdrawal *= 1.0 + p.gk.raise;
              rec.gk(2, y);
            }
            break;
          }
        }
      }
    }
    const double spend_year = y >= p.retirement_year ? withdrawal : 0.0;
    const double step_flow = (p.flow_real[y] * cpi - spend_year) * inv_spy;
    const double step_spend = spend_year * inv_spy;
    double paid = 0.0;
    double growth = 1.0;
    cpi_prev_year = cpi;
    for (int k = 0; k < spy; ++k, ++s) {
      balance += step_flow;
      if (k == 0) balance += p.oneoff_real[y] * cpi;
      if (balance < 0.0) {
        paid += std::max(0.0, step_spend + balance);
        out.failed = true;
        out.shortfall_year = y + 1;
        rec.year(y, 0.0, paid);
        for (int z = y + 1; z < p.years; ++z) rec.year(z, 0.0, 0.0);
        out.terminal = 0.0;
        return out;
      }
      paid += step_spend;
      const double g = 1.0 + std::max(returns[s], -1.0);
      balance *= g;
      growth *= g;
      cpi *= 1.0 + inflation[s];
    }
    growth_prev = growth;
    rec.year(y, balance, paid);
  }
  out.terminal = balance;
  return out;
}

template <class Recorder>
inline TrialOutcome run_path(const PathPlan& p, const double* returns, const double* inflation,
                             Recorder& rec) {
  return p.steps_per_year == 1 ? run_path_steps<1>(p, returns, inflation, rec)
                               : run_path_steps<12>(p, returns, inflation, rec);
}

}  // namespace keel::plan::detail
