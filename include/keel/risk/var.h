// keel/risk/var.h: value at risk and expected shortfall of a RiskBook, three ways.
//
// Conventions (docs/risk.md has the derivations and references):
//  - Amounts are in portfolio currency; VaR and ES are positive numbers for a loss.
//  - Returns are daily simple returns (keel/risk/returns.h); c = confidence, h = horizon in days.
//  - Historical: P&L_s = sum_i pnl_i(r_s) over the window's scenarios; VaR = -Q(P&L, 1 - c) with
//    numpy's default linear interpolation between order statistics (Hyndman & Fan type 7);
//    ES = mean of the losses L_s = -P&L_s with L_s >= VaR. Horizon: sqrt(h) scaling of the one-day
//    returns (default) or overlapping compounded h-day returns.
//  - Parametric (delta-normal, RiskMetrics 1996): P&L ~ N(h mu'e, h e'Sigma e) with e the delta
//    exposures per asset; VaR = z_c sigma_p sqrt(h) - h mu_p, ES = sigma_p sqrt(h) phi(z_c)/(1-c) - h mu_p;
//    mu = 0 unless MeanModel::kSample. With delta_gamma, options add their gamma: P&L ~ e'r + r'Gr/2
//    (G = diag of gamma exposures), r ~ N(0, h Sigma); its mean, variance and skewness are exact
//    (m = tr(GS)/2, v = e'Se + tr((GS)^2)/2, k3 = 3 e'SGSe + tr((GS)^3), S = h Sigma) and VaR is
//    the Cornish-Fisher quantile -(m + sqrt(v) (z_a + (z_a^2 - 1) skew / 6)), a = 1 - c
//    (Zangari 1996, RiskMetrics Monitor Q1), made monotone by rearrangement where a large skewness
//    bends it back (Chernozhukov, Fernandez-Val & Galichon 2010); ES averages it over u in (0, a).
//  - Monte Carlo: r = h mu + sqrt(h) A z (A A' = Sigma, z ~ N(0, I)), or the multivariate Student-t
//    r = h mu + sqrt(h) sqrt((nu-2)/W) A z, W ~ chi2(nu) (same covariance Sigma); full revaluation of
//    every position; VaR/ES from the simulated P&L as in the historical method. Path p draws its
//    normals (Ziggurat method, Marsaglia & Tsang 2000) from the 32-bit words of PhiloxStream(seed, p)
//    and its chi-squared from PhiloxStream(seed, p | 2^63), so the
//    result is identical for any number of threads. Paths run in chunks on oneTBB; memory is one
//    double per path plus one vector of draws per chunk.
//
// Thread-safety: pure functions; monte_carlo_var runs in parallel internally (oneTBB).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/risk/book.h"
#include "keel/risk/covariance_options.h"
#include "keel/risk/returns.h"

namespace keel::risk {

enum class VarMethod { kParametric, kHistorical, kMonteCarlo };
enum class McDistribution { kNormal, kStudentT };
enum class HistoricalHorizon { kSqrtTime, kOverlapping };
enum class MeanModel { kZero, kSample };

std::string_view var_method_name(VarMethod m);  // "parametric", "historical", "montecarlo"
std::optional<VarMethod> parse_var_method(std::string_view text);

// Upper bound on Monte Carlo paths (the P&L of every path is kept: 8 bytes each, 800 MB at the cap).
inline constexpr std::size_t kMaxMonteCarloPaths = 100'000'000;

struct MonteCarloOptions {
  std::size_t paths = 100000;
  McDistribution distribution = McDistribution::kNormal;
  double df = 5.0;              // Student-t degrees of freedom, > 2
  std::uint64_t seed = 1;
  std::size_t chunk_paths = 2048;  // paths per parallel task
};

struct VarOptions {
  double confidence = 0.99;     // in (0, 1)
  int horizon_days = 1;         // >= 1 trading days
  CovarianceOptions covariance{}; // parametric and Monte Carlo
  MeanModel mean = MeanModel::kZero;  // parametric and Monte Carlo
  HistoricalHorizon historical_horizon = HistoricalHorizon::kSqrtTime;
  MonteCarloOptions monte_carlo{};
  bool repair_psd = true;       // Monte Carlo: clip eigenvalues of a non-PD covariance (warning)
  bool delta_gamma = false;     // parametric: add option gamma (Cornish-Fisher), see above
  bool keep_pnl = false;        // historical and Monte Carlo: return the scenario P&L (VarResult::pnl)
};

struct VarResult {
  VarMethod method = VarMethod::kParametric;
  double confidence = 0.0;
  int horizon_days = 1;
  double var = 0.0;               // positive = loss, portfolio currency
  double es = 0.0;                // expected shortfall, same units
  double volatility = 0.0;        // standard deviation of the horizon P&L, portfolio currency
  std::size_t scenarios = 0;      // historical scenarios or Monte Carlo paths
  std::optional<double> std_error;  // Monte Carlo: one-sigma error of `var` from order statistics
  std::vector<double> pnl;          // historical and Monte Carlo with keep_pnl: scenario P&L, ascending
  std::vector<std::string> warnings;
};

// Checks shared by every method. Throws keel::Error(invalid_input) for an empty book, confidence
// outside (0, 1), horizon < 1, a book whose assets differ from the return columns, an empty window,
// paths < 1 or above kMaxMonteCarloPaths, Student-t df <= 2, EWMA lambda outside (0, 1).
void validate_var_inputs(const RiskBook& book, const ReturnMatrix& returns, const VarOptions& options);

// VaR/ES of a P&L sample (any order; `pnl` is reordered in place). Throws invalid_input when empty.
struct TailRisk {
  double var = 0.0;
  double es = 0.0;
};
TailRisk tail_risk(std::span<double> pnl, double confidence);

// Portfolio P&L per historical scenario (rows of `returns`), before horizon scaling
// (`scale` multiplies each return; use sqrt(h) for the sqrt-time rule, 1 otherwise).
std::vector<double> historical_pnl(const RiskBook& book, const ReturnMatrix& returns, double scale,
                                   int horizon_days);

VarResult parametric_var(const RiskBook& book, const ReturnMatrix& returns, const VarOptions& options);

// The parametric method's view of a book with currency risk (docs/risk.md, "Currency risk"): the
// column of each price driver quoted in a foreign currency c becomes its translated return
// T = (1 + r)(1 + f_c) - 1, the return in the reporting currency, and its linear positions carry
// their exposure V on T and none on f_c, which is exact (V T is their P&L). An option keeps its
// delta exposure e on T and carries V - e on f_c (to first order its P&L e r + V f with r ~ T - f);
// foreign cash carries V on f_c. The FX columns stay. A book without currency risk is returned as
// it is. parametric_var and parametric_contributions run on this view.
struct TranslatedBook {
  RiskBook book;
  ReturnMatrix returns;
};
TranslatedBook translated_view(const RiskBook& book, const ReturnMatrix& returns);

// Moments of the delta-gamma P&L e'r + r'Gr/2 with r ~ N(0, h Sigma) (see the header comment).
struct DeltaGammaMoments {
  double mean = 0.0;
  double variance = 0.0;
  double third_central = 0.0;
};
DeltaGammaMoments delta_gamma_moments(const RiskBook& book, const ReturnMatrix& returns,
                                      const CovarianceOptions& covariance, double horizon_days);

struct CornishFisherTail {
  double var = 0.0;  // positive = loss
  double es = 0.0;
  double skewness = 0.0;
};
// Cornish-Fisher VaR and ES from the first three moments: minus the quantile at 1 - confidence of
// m + sd (Z + skew (Z^2 - 1) / 6), Z ~ N(0, 1) (the monotone rearrangement of the expansion), and
// minus its mean over that tail, both exact to rounding (docs/risk.md: tail solved in z, tail mean
// in closed form). Positive = loss, in the moments' currency. Throws keel::Error(invalid_input)
// for a zero variance or a confidence outside (0, 1).
CornishFisherTail cornish_fisher_tail(const DeltaGammaMoments& moments, double confidence);
VarResult historical_var(const RiskBook& book, const ReturnMatrix& returns, const VarOptions& options);
VarResult monte_carlo_var(const RiskBook& book, const ReturnMatrix& returns, const VarOptions& options);
VarResult compute_var(VarMethod method, const RiskBook& book, const ReturnMatrix& returns,
                      const VarOptions& options);

}  // namespace keel::risk
