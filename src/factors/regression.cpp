#include "keel/factors/regression.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "keel/core/error.h"
#include "keel/core/strings.h"

namespace keel::factors {
namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string factor_label(std::span<const std::string> names, std::size_t k) {
  return k < names.size() ? shown_with(names[k], 64, '\'') : fmt::format("#{}", k + 1);
}

// The centred design shared by every series fitted on the same rows.
struct Design {
  Eigen::RowVectorXd x_bar;
  Eigen::MatrixXd Fc;     // T x K, centred factors
  Eigen::LLT<Eigen::MatrixXd> llt;
  Eigen::MatrixXd S_inv;  // (Fc' Fc)^-1
  double alpha_var_factor = 0.0;  // 1/T + x_bar' S^-1 x_bar
  std::size_t T = 0;
};

// nullopt when the factors are collinear or constant on these rows; `dependent` then names them.
template <class XMat>
std::optional<Design> make_design(const XMat& X, std::span<const std::string> names, std::string* dependent) {
  Design d;
  d.T = static_cast<std::size_t>(X.rows());
  const Eigen::Index K = X.cols();
  d.x_bar = X.colwise().mean();
  d.Fc = X.rowwise() - d.x_bar;
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(d.Fc);
  qr.setThreshold(1e-10);
  if (qr.rank() < K) {
    if (dependent) {
      for (Eigen::Index i = qr.rank(); i < K; ++i) {
        *dependent += (dependent->empty() ? "" : ", ") +
                      factor_label(names, static_cast<std::size_t>(qr.colsPermutation().indices()(i)));
      }
    }
    return std::nullopt;
  }
  const Eigen::MatrixXd S = d.Fc.transpose() * d.Fc;
  d.llt.compute(S);
  d.S_inv = d.llt.solve(Eigen::MatrixXd::Identity(K, K));
  d.alpha_var_factor = 1.0 / static_cast<double>(d.T) + (d.x_bar * d.S_inv * d.x_bar.transpose())(0, 0);
  return d;
}

void fill_nan(FactorFits& out, std::size_t j) {
  for (auto* v : {&out.alpha, &out.alpha_annual, &out.alpha_se, &out.alpha_t, &out.r2, &out.adj_r2,
                  &out.residual_vol, &out.residual_vol_annual}) {
    (*v)[j] = kNaN;
  }
  for (std::size_t k = 0; k < out.factors; ++k) {
    out.betas[j * out.factors + k] = kNaN;
    out.beta_se[j * out.factors + k] = kNaN;
    out.beta_t[j * out.factors + k] = kNaN;
  }
}

// Fits the columns of `Yb` (T x nb, any storage) on `d`; column jj goes to output series index(jj).
template <class YMat, class Index>
void fit_columns(const Design& d, const YMat& Yb, Index index, FactorFits& out, double ppy) {
  const Eigen::Index T = Yb.rows();
  const Eigen::Index nb = Yb.cols();
  const auto K = static_cast<Eigen::Index>(out.factors);
  // Row by row: Y is usually row-major (dates x series), so this reads it in memory order.
  Eigen::RowVectorXd y_bar = Eigen::RowVectorXd::Zero(nb);
  for (Eigen::Index t = 0; t < T; ++t) y_bar += Yb.row(t);
  y_bar /= static_cast<double>(T);
  // Fc' 1 = 0, so C = Fc' Y = Fc' (Y - 1 y_bar'), B = S^-1 C.
  const Eigen::MatrixXd C = d.Fc.transpose() * Yb;
  const Eigen::MatrixXd B = d.llt.solve(C);
  Eigen::ArrayXd sst = Eigen::ArrayXd::Zero(nb);
  Eigen::RowVectorXd dev(nb);
  for (Eigen::Index t = 0; t < T; ++t) {
    dev = Yb.row(t) - y_bar;
    sst += dev.array().square().transpose();
  }
  // SSR = SST - b'C (the fitted sum of squares is b' S b = b' C). This loses digits only when the
  // fit is almost perfect, so those columns get their residuals summed explicitly.
  Eigen::ArrayXd ssr = sst - B.cwiseProduct(C).colwise().sum().transpose().array();
  for (Eigen::Index jj = 0; jj < nb; ++jj) {
    if (ssr(jj) > 1e-6 * sst(jj)) continue;
    double exact = 0.0;
    for (Eigen::Index t = 0; t < T; ++t) {
      const double e = Yb(t, jj) - y_bar(jj) - d.Fc.row(t).dot(B.col(jj));
      exact += e * e;
    }
    ssr(jj) = exact;
  }
  const double dof = static_cast<double>(d.T) - static_cast<double>(K) - 1.0;
  const double inf = std::numeric_limits<double>::infinity();
  const auto t_of = [inf](double est, double se) {
    if (se > 0.0) return est / se;
    return est == 0.0 ? 0.0 : (est > 0.0 ? inf : -inf);
  };
  for (Eigen::Index jj = 0; jj < nb; ++jj) {
    const std::size_t j = index(jj);
    const double s2 = ssr(jj) / dof;
    const double alpha = y_bar(jj) - d.x_bar.dot(B.col(jj));
    out.series_observations[j] = d.T;
    out.alpha[j] = alpha;
    out.alpha_annual[j] = alpha * ppy;
    out.alpha_se[j] = std::sqrt(s2 * d.alpha_var_factor);
    out.alpha_t[j] = t_of(alpha, out.alpha_se[j]);
    for (Eigen::Index k = 0; k < K; ++k) {
      const std::size_t idx = j * out.factors + static_cast<std::size_t>(k);
      out.betas[idx] = B(k, jj);
      out.beta_se[idx] = std::sqrt(s2 * d.S_inv(k, k));
      out.beta_t[idx] = t_of(B(k, jj), out.beta_se[idx]);
    }
    // A constant series (variance zero up to rounding) has no R^2: report 0.
    const bool constant = !(sst(jj) > 1e-20 * static_cast<double>(T) * y_bar(jj) * y_bar(jj)) || sst(jj) == 0.0;
    const double r2 = constant ? 0.0 : 1.0 - ssr(jj) / sst(jj);
    out.r2[j] = r2;
    out.adj_r2[j] = 1.0 - (1.0 - r2) * static_cast<double>(d.T - 1) / dof;
    out.residual_vol[j] = std::sqrt(s2);
    out.residual_vol_annual[j] = std::sqrt(s2 * ppy);
  }
}

// Series per parallel task: large enough that a task is worth scheduling.
constexpr std::size_t kSeriesPerTask = 64;

}  // namespace

FactorFits fit_factor_model(std::span<const double> y, std::size_t n_series, std::span<const double> x,
                            std::size_t n_factors, const OlsOptions& options,
                            std::span<const std::string> factor_names) {
  if (n_series == 0 || n_factors == 0) {
    throw Error::invalid_input("factor regression needs at least one series and one factor");
  }
  if (x.size() % n_factors != 0 || y.size() % n_series != 0 || x.size() / n_factors != y.size() / n_series) {
    throw Error::invalid_input(
        fmt::format("factor regression: the factor matrix has {} observations but the returns have {}",
                    x.size() / n_factors, y.size() / n_series));
  }
  const std::size_t t_obs = x.size() / n_factors;
  if (t_obs <= n_factors + 1) {
    throw Error::invalid_input(fmt::format(
        "factor regression needs more than {} observations for {} factors and an intercept, got {}",
        n_factors + 1, n_factors, t_obs));
  }
  if (!(options.periods_per_year > 0.0)) throw Error::invalid_input("periods_per_year must be positive");

  // Factors must be finite; returns too unless missing ones are allowed (then NaN marks a gap).
  const bool per_series = options.missing == MissingReturns::kPerSeries;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < x.size() && problems.size() < 20; ++i) {
    if (!std::isfinite(x[i])) {
      problems.push_back(fmt::format("factor {}, observation {}: not a finite number",
                                     factor_label(factor_names, i % n_factors), i / n_factors + 1));
    }
  }
  std::vector<std::uint8_t> incomplete(n_series, 0);
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (std::isfinite(y[i])) continue;
    if (per_series && std::isnan(y[i])) {
      incomplete[i % n_series] = 1;
    } else if (problems.size() < 20) {
      problems.push_back(
          fmt::format("series #{}, observation {}: not a finite number", i % n_series + 1, i / n_series + 1));
    }
  }
  if (!problems.empty()) throw Error::invalid_input("factor regression: non-finite input values", std::move(problems));

  const auto T = static_cast<Eigen::Index>(t_obs);
  const auto K = static_cast<Eigen::Index>(n_factors);
  const auto N = static_cast<Eigen::Index>(n_series);
  const Eigen::Map<const RowMajor> X(x.data(), T, K);
  const Eigen::Map<const RowMajor> Y(y.data(), T, N);

  std::string dependent;
  const std::optional<Design> design = make_design(X, factor_names, &dependent);
  if (!design) {
    throw Error::invalid_input("factor regression: factor(s) " + dependent +
                               " are constant or a linear combination of the others over the window");
  }

  FactorFits out;
  out.series = n_series;
  out.factors = n_factors;
  out.observations = t_obs;
  out.series_observations.assign(n_series, t_obs);
  for (auto* v : {&out.alpha, &out.alpha_annual, &out.alpha_se, &out.alpha_t, &out.r2, &out.adj_r2,
                  &out.residual_vol, &out.residual_vol_annual}) {
    v->assign(n_series, 0.0);
  }
  out.betas.assign(n_series * n_factors, 0.0);
  out.beta_se.assign(n_series * n_factors, 0.0);
  out.beta_t.assign(n_series * n_factors, 0.0);
  const double ppy = options.periods_per_year;

  // Every series on the shared design: a NaN in one column of Y only reaches that column's results
  // (columns are independent in Fc' Y), and the series with gaps are refitted below.
  auto block = [&](std::size_t j0, std::size_t j1) {
    fit_columns(*design, Y.middleCols(static_cast<Eigen::Index>(j0), static_cast<Eigen::Index>(j1 - j0)),
                [j0](Eigen::Index jj) { return j0 + static_cast<std::size_t>(jj); }, out, ppy);
  };
  if (n_series <= kSeriesPerTask) {
    block(0, n_series);
  } else {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_series, kSeriesPerTask),
                      [&](const tbb::blocked_range<std::size_t>& r) { block(r.begin(), r.end()); });
  }
  std::vector<std::size_t> gap_cols;
  for (std::size_t j = 0; j < n_series; ++j) {
    if (incomplete[j]) gap_cols.push_back(j);
  }
  if (gap_cols.empty()) return out;

  // Each series with gaps on its own rows.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, gap_cols.size(), 4), [&](const tbb::blocked_range<std::size_t>& r) {
    Eigen::MatrixXd Xs;
    Eigen::VectorXd ys;
    for (std::size_t g = r.begin(); g < r.end(); ++g) {
      const std::size_t j = gap_cols[g];
      std::size_t valid = 0;
      for (std::size_t t = 0; t < t_obs; ++t) valid += std::isnan(y[t * n_series + j]) ? 0 : 1;
      out.series_observations[j] = valid;
      if (valid <= n_factors + 1) {
        fill_nan(out, j);
        continue;
      }
      Xs.resize(static_cast<Eigen::Index>(valid), K);
      ys.resize(static_cast<Eigen::Index>(valid));
      Eigen::Index row = 0;
      for (std::size_t t = 0; t < t_obs; ++t) {
        const double v = y[t * n_series + j];
        if (std::isnan(v)) continue;
        Xs.row(row) = X.row(static_cast<Eigen::Index>(t));
        ys(row++) = v;
      }
      const std::optional<Design> d = make_design(Xs, factor_names, nullptr);
      if (!d) {
        fill_nan(out, j);
        continue;
      }
      fit_columns(*d, ys, [j](Eigen::Index) { return j; }, out, ppy);
    }
  });
  return out;
}

}  // namespace keel::factors
