#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "keel/core/rng.h"
#include "keel/core/stats.h"
#include "keel/risk/var.h"
#include "ziggurat.h"

namespace keel::risk {
namespace {

constexpr std::uint64_t kChiSquaredStream = std::uint64_t{1} << 63;

// What one path needs, precomputed once: P&L of linear positions = h mu_lin + s (b . z) with
// b = A' e_lin; return of option underlying u = h mu_u + s (A_u . z).
struct McPlan {
  std::size_t k = 0;
  Eigen::VectorXd b;                   // A' e_lin
  double mu_lin = 0.0;                 // mu' e_lin (per day)
  Eigen::MatrixXd option_rows;         // rows of A for option underlyings (row-major use below)
  std::vector<double> option_mu;       // mu of each option underlying
  std::vector<std::size_t> option_pos; // option positions
  std::vector<std::size_t> option_row; // their row in option_rows
};

}  // namespace

VarResult monte_carlo_var(const RiskBook& book, const ReturnMatrix& returns, const VarOptions& options) {
  validate_var_inputs(book, returns, options);
  const MonteCarloOptions& mc = options.monte_carlo;
  VarResult out;
  out.method = VarMethod::kMonteCarlo;
  out.confidence = options.confidence;
  out.horizon_days = options.horizon_days;
  out.scenarios = mc.paths;

  const Eigen::MatrixXd cov = covariance(returns, options.covariance);
  CovarianceFactor f = factorize(cov, options.repair_psd);
  out.warnings = std::move(f.warnings);
  const Eigen::MatrixXd& a = f.factor;

  McPlan plan;
  plan.k = returns.cols();
  std::vector<double> mu(plan.k, 0.0);
  if (options.mean == MeanModel::kSample) {
    for (std::size_t t = 0; t < returns.rows(); ++t) {
      const auto r = returns.row(t);
      for (std::size_t j = 0; j < plan.k; ++j) mu[j] += r[j];
    }
    for (double& m : mu) m /= static_cast<double>(returns.rows());
  }
  Eigen::VectorXd e_lin = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(plan.k));
  std::vector<std::size_t> row_of_asset(plan.k, kNoAsset);
  std::vector<std::size_t> option_assets;
  for (std::size_t i = 0; i < book.size(); ++i) {
    const std::size_t j = book.asset[i];
    if (j == kNoAsset) continue;
    if (!book.option[i]) {
      e_lin(static_cast<Eigen::Index>(j)) += book.exposure[i];
      continue;
    }
    if (row_of_asset[j] == kNoAsset) {
      row_of_asset[j] = option_assets.size();
      option_assets.push_back(j);
    }
    plan.option_pos.push_back(i);
    plan.option_row.push_back(row_of_asset[j]);
  }
  plan.b = a.transpose() * e_lin;
  for (std::size_t j = 0; j < plan.k; ++j) plan.mu_lin += mu[j] * e_lin(static_cast<Eigen::Index>(j));
  // Row-major copy of the option rows so each dot product reads contiguous memory.
  plan.option_rows.resize(static_cast<Eigen::Index>(plan.k),
                          static_cast<Eigen::Index>(option_assets.size()));
  for (std::size_t u = 0; u < option_assets.size(); ++u) {
    plan.option_rows.col(static_cast<Eigen::Index>(u)) =
        a.row(static_cast<Eigen::Index>(option_assets[u])).transpose();
    plan.option_mu.push_back(mu[option_assets[u]]);
  }

  const double h = options.horizon_days;
  const double sqrt_h = std::sqrt(h);
  const bool student = mc.distribution == McDistribution::kStudentT;
  const double df = mc.df;
  const std::size_t chunk = std::max<std::size_t>(1, mc.chunk_paths);
  const std::size_t n_chunks = (mc.paths + chunk - 1) / chunk;
  std::vector<double> pnl(mc.paths);

  const detail::ZigguratTables& zig = detail::ziggurat_tables();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_chunks), [&](const auto& range) {
    std::vector<double> z(plan.k);
    std::vector<double> ru(option_assets.size());
    const double* b = plan.b.data();
    for (std::size_t c = range.begin(); c != range.end(); ++c) {
      const std::size_t first = c * chunk;
      const std::size_t last = std::min(mc.paths, first + chunk);
      for (std::size_t p = first; p < last; ++p) {
        PhiloxStream normals(mc.seed, p);
        for (double& x : z) x = detail::ziggurat_normal(normals, zig);
        double s = sqrt_h;
        if (student) {
          PhiloxStream chi(mc.seed, p | kChiSquaredStream);
          s *= std::sqrt((df - 2.0) / chi.chi_squared(df));
        }
        double dot = 0.0;
        for (std::size_t j = 0; j < plan.k; ++j) dot += b[j] * z[j];
        double value = h * plan.mu_lin + s * dot;
        if (!plan.option_pos.empty()) {
          for (std::size_t u = 0; u < ru.size(); ++u) {
            const double* row = plan.option_rows.col(static_cast<Eigen::Index>(u)).data();
            double d = 0.0;
            for (std::size_t j = 0; j < plan.k; ++j) d += row[j] * z[j];
            ru[u] = h * plan.option_mu[u] + s * d;
          }
          for (std::size_t q = 0; q < plan.option_pos.size(); ++q) {
            value += position_pnl(book, plan.option_pos[q], ru[plan.option_row[q]],
                                  options.horizon_days);
          }
        }
        pnl[p] = value;
      }
    }
  });

  out.volatility = stddev(pnl);
  std::sort(pnl.begin(), pnl.end());
  const TailRisk tr = tail_risk(pnl, options.confidence);
  out.var = tr.var;
  out.es = tr.es;
  // Distribution-free one-sigma band of the quantile: order statistics at p -/+ sqrt(p(1-p)/n).
  const double p = 1.0 - options.confidence;
  const double band = std::sqrt(p * (1.0 - p) / static_cast<double>(mc.paths));
  const double lo = quantile_sorted(pnl, std::max(0.0, p - band));
  const double hi = quantile_sorted(pnl, std::min(1.0, p + band));
  out.std_error = 0.5 * (hi - lo);
  if (options.keep_pnl) out.pnl = std::move(pnl);  // sorted above
  return out;
}

}  // namespace keel::risk
