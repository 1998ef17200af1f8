// keel/clo/simulation.h: many projections of one deal: a deterministic scenario grid
// (CDR x CPR x recovery) and a Monte Carlo of correlated defaults.
//
// Monte Carlo (docs/clo.md): loan i has a latent variable
//   one factor:  X_i = sqrt(rho) Z + sqrt(1 - rho) e_i,
//   by industry: X_i = sum_k L[a(i), k] Z_k + sqrt(1 - C[a(i), a(i)]) e_i with L L' = C,
// so corr(X_i, X_j) = rho (one factor) or C[a(i), a(j)] (industries a(i) != a(j) or the same).
// Z, Z_k, e_i are independent standard normals. The loan's cumulative default probability by the
// end of period t is PD(t) = 1 - (1 - CDR)^(T_t), T_t = months elapsed / 12 (Li 2000's default-time
// copula); the loan defaults at the start of the first period t with X_i <= Phi^-1(PD(t)).
// Prepayments and recoveries follow the base scenario. Scenario s draws from
// keel::PhiloxStream(seed, s), so results do not depend on the thread count.
// Loss of a note = its principal loss (original principal not repaid at the end) over the
// original balance, in [0, 1]; capitalised (PIK) interest never repaid and unpaid interest are
// reported apart (unpaid interest), see TrancheSummary.
//
// Thread-safety: functions are pure; they parallelise internally with oneTBB.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "keel/clo/projection.h"

namespace keel::clo {

struct GridSpec {
  std::vector<double> cdr{0.0, 0.01, 0.02, 0.03, 0.05};
  std::vector<double> cpr{0.10, 0.20};
  std::vector<double> recovery{0.50, 0.70};
  int recovery_lag_months = 6;
  // Named scenarios (a deal's library): when given, the grid's points are these, in order, and the
  // axes above are not used.
  std::vector<Scenario> scenarios;
  // Optional annual rating migration: every point runs with the expected rating path
  // (expected_rating_path), so the CCC excess haircut follows downgrades.
  std::optional<MigrationMatrix> migration;
};

struct GridTranche {  // TrancheSummary's fields of the same names
  double irr = 0.0;
  double wal_years = 0.0;
  double loss = 0.0;                      // principal loss, currency
  double loss_fraction = 0.0;             // of the original balance, in [0, 1]
  double unpaid_interest = 0.0;           // capitalised and unpaid interest left, currency
  double unpaid_interest_fraction = 0.0;  // of the original balance
  double pv_loss_fraction = 0.0;          // at the note's own rate; NaN for the equity
};

struct GridPoint {
  Scenario scenario;
  std::vector<GridTranche> tranches;  // in deal order
};

// The number of points of the grid (the product of the axes' lengths).
std::size_t grid_points(const GridSpec& grid);

// Every combination, CDR slowest, recovery fastest, handed to `sink` in that order with its index
// as it is computed (blocks of points on every core; only one block is held at a time, so the
// caller decides what it keeps). Asks the thread's Cancellation (keel/core/cancel.h) at every
// point. Throws invalid_input on an empty axis or a value out of range, before any point runs.
void run_grid(const CloModel& model, const GridSpec& grid,
              const std::function<void(std::size_t index, GridPoint&& point)>& sink);
// The same, every point kept.
std::vector<GridPoint> run_grid(const CloModel& model, const GridSpec& grid);

struct MonteCarloOptions {
  Scenario base;                  // CDR (the marginal default rate), CPR, recovery, lag
  std::int64_t scenarios = 10000;
  std::uint64_t seed = 1;
  double asset_correlation = 0.30;  // one-factor rho in [0, 1)
  // Optional industry asset-correlation matrix (symmetric, positive semi-definite, unit-free,
  // diagonal = within-industry correlation in [0, 1)); when non-empty it replaces the one factor.
  std::vector<std::string> industries;
  std::vector<std::vector<double>> industry_correlation;
  // Obligor pair overrides of the asset correlation. With any, the latent variables are drawn per
  // obligor (every loan of an obligor shares its variable) from the obligor correlation matrix:
  // 1 on the diagonal, the override for a listed pair, else the one-factor rho or the industry
  // matrix's entry of the two obligors' industries; it must be positive semi-definite.
  struct PairCorrelation {
    std::string obligor_a, obligor_b;
    double correlation = 0.0;  // in [-1, 1]
  };
  std::vector<PairCorrelation> pair_correlation;
  // Optional annual rating migration: each scenario samples every obligor's rating at each payment
  // date from the period matrices P^(months/12), one uniform per obligor and period (loans of an
  // obligor move together), independent of the default draws.
  std::optional<MigrationMatrix> migration;
  double confidence = 0.99;       // for VaR / ES of tranche loss
};

struct TrancheLossStats {
  std::string name;
  double original_balance = 0.0;
  // "Loss" is the principal loss (TrancheSummary::loss), so every fraction lies in [0, 1].
  double expected_loss = 0.0;           // mean principal loss, currency
  double expected_loss_fraction = 0.0;  // mean principal loss / original balance
  double probability_of_loss = 0.0;     // share of scenarios with a principal loss > 0.5 currency units
  double var_fraction = 0.0;            // quantile of loss fraction at `confidence` (numpy linear)
  double es_fraction = 0.0;             // mean of the worst ceil((1 - confidence) n) loss fractions
  double p50_fraction = 0.0, p90_fraction = 0.0;
  double expected_unpaid_interest = 0.0;           // mean unpaid interest left, currency
  double expected_unpaid_interest_fraction = 0.0;  // of the original balance
  double expected_pv_loss_fraction = 0.0;          // mean PV loss at the note's own rate
  std::vector<double> loss_fractions;   // one per scenario (sorted ascending)
};

struct MonteCarloResult {
  std::int64_t scenarios = 0;
  double mean_default_fraction = 0.0;  // mean cumulative default par / initial par
  std::vector<TrancheLossStats> tranches;
  double equity_irr_mean = 0.0, equity_irr_p5 = 0.0, equity_irr_p50 = 0.0, equity_irr_p95 = 0.0;
};

// Runs the Monte Carlo. Throws invalid_input for scenarios < 1, rho outside [0, 1), a matrix that
// is not square, symmetric, positive semi-definite, or an industry of the pool missing from it.
MonteCarloResult run_monte_carlo(const CloModel& model, const MonteCarloOptions& options);

// A run in pieces (shards of scenarios on several processes): scenario s draws from the
// counter-based stream Philox4x32(seed, s), so the values of scenarios [first, last) computed
// anywhere are the bits of the same scenarios of one run. run_monte_carlo is exactly
// reduce_scenarios(model, options, simulate_scenarios(model, options, 0, scenarios)).
//
// The values of one scenario: scenario_value_count(model) doubles, in this order: principal loss
// per tranche, unpaid interest per tranche, PV loss fraction per tranche (deal order), the equity
// IRR and the defaulted fraction of the initial par.
std::size_t scenario_value_count(const CloModel& model);
// Scenarios [first, last), row-major by scenario, on every core (oneTBB). Throws invalid_input as
// run_monte_carlo, or for a range outside [0, scenarios).
std::vector<double> simulate_scenarios(const CloModel& model, const MonteCarloOptions& options, std::int64_t first,
                                       std::int64_t last);
// The statistics of run_monte_carlo from the values of every scenario, in scenario order
// (values.size() == scenarios x scenario_value_count); invalid_input otherwise.
MonteCarloResult reduce_scenarios(const CloModel& model, const MonteCarloOptions& options,
                                  const std::vector<double>& values);

// Default periods of Monte Carlo scenarios first_scenario .. first_scenario + count - 1 (exposed
// for tests and custom analyses): count x loans entries, row-major by scenario; kNeverDefaults
// when the loan survives. The same draws run_monte_carlo uses.
std::vector<int> draw_default_periods(const CloModel& model, const MonteCarloOptions& options,
                                      std::int64_t first_scenario, std::int64_t count = 1);

// The rating path of Monte Carlo scenario `scenario` (options.migration required): caa[t * loans + i]
// is 1 when loan i is rated Caa1 or below at payment date t, else 0. The same draws
// run_monte_carlo uses.
RatingPath draw_rating_path(const CloModel& model, const MonteCarloOptions& options, std::int64_t scenario);

}  // namespace keel::clo
