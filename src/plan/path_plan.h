// Private: what a plan fixes for every trial, in arrays indexed by year (read by the path kernel
// of every instruction set; holds no vector types, so it is shared by all of them).
#pragma once

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
  bool rate_mode = false;    // first withdrawal = rate x balance at retirement
  double rate = 0.0;         // withdrawal_rate (also the percentage of CP and FC)
  double amount_real = 0.0;  // withdrawal_amount (today's money)
  GuytonKlingerRules gk;
  FloorCeiling fc;
  std::vector<double> flow_real;    // per year: contribution + income change (today's money)
  std::vector<double> oneoff_real;  // per year: windfalls - expenses (today's money)
  std::vector<double> vpw_pct;      // per year: VPW percentage for the years remaining
};

PathPlan make_path_plan(const PlanInputs& in);

}  // namespace keel::plan::detail
