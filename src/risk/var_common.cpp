#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "keel/core/error.h"
#include "keel/core/stats.h"
#include "keel/risk/covariance.h"
#include "keel/risk/var.h"

namespace keel::risk {

std::string_view var_method_name(VarMethod m) {
  switch (m) {
    case VarMethod::kParametric: return "parametric";
    case VarMethod::kHistorical: return "historical";
    case VarMethod::kMonteCarlo: return "montecarlo";
  }
  return "parametric";
}

std::optional<VarMethod> parse_var_method(std::string_view text) {
  if (text == "parametric") return VarMethod::kParametric;
  if (text == "historical") return VarMethod::kHistorical;
  if (text == "montecarlo" || text == "monte-carlo" || text == "mc") return VarMethod::kMonteCarlo;
  return std::nullopt;
}

void validate_var_inputs(const RiskBook& book, const ReturnMatrix& returns, const VarOptions& options) {
  std::vector<std::string> problems;
  if (book.size() == 0) problems.push_back("the portfolio has no positions");
  if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
    problems.push_back(fmt::format("confidence must lie strictly between 0 and 1 (e.g. 0.99), got {:f}",
                                   options.confidence));
  }
  if (options.horizon_days < 1) {
    problems.push_back(fmt::format("horizon must be at least 1 day, got {}", options.horizon_days));
  }
  if (book.assets != returns.symbols) {
    problems.push_back("the return matrix columns differ from the book's assets");
  }
  if (returns.rows() == 0) problems.push_back("the return window is empty");
  if (options.monte_carlo.paths < 1) problems.push_back("Monte Carlo needs at least 1 path");
  if (options.monte_carlo.paths > kMaxMonteCarloPaths) {
    problems.push_back(fmt::format("Monte Carlo paths are capped at {} (one double of memory each), got {}",
                                   kMaxMonteCarloPaths, options.monte_carlo.paths));
  }
  if (options.monte_carlo.distribution == McDistribution::kStudentT &&
      !(options.monte_carlo.df > 2.0)) {
    problems.push_back(fmt::format("Student-t degrees of freedom must exceed 2 (finite variance), got {:f}",
                                   options.monte_carlo.df));
  }
  if (options.covariance.method == CovarianceMethod::kEwma &&
      !(options.covariance.ewma_lambda > 0.0 && options.covariance.ewma_lambda < 1.0)) {
    problems.push_back(fmt::format("EWMA lambda must lie strictly between 0 and 1, got {:f}",
                                   options.covariance.ewma_lambda));
  }
  if (!problems.empty()) {
    throw Error::invalid_input(problems.size() == 1 ? problems.front() : "invalid VaR request",
                               problems.size() == 1 ? std::vector<std::string>{} : problems);
  }
}

TailRisk tail_risk(std::span<double> pnl, double confidence) {
  if (pnl.empty()) throw Error::invalid_input("no P&L scenarios to take a quantile of");
  // Linear interpolation between order statistics lo and lo + 1 (numpy's default), found by
  // selection rather than a full sort.
  const std::size_t n = pnl.size();
  const double h = (static_cast<double>(n) - 1.0) * (1.0 - confidence);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  std::nth_element(pnl.begin(), pnl.begin() + static_cast<std::ptrdiff_t>(lo), pnl.end());
  const double x_lo = pnl[lo];
  const double x_hi =
      lo + 1 < n ? *std::min_element(pnl.begin() + static_cast<std::ptrdiff_t>(lo) + 1, pnl.end()) : x_lo;
  const double q = x_lo + (h - static_cast<double>(lo)) * (x_hi - x_lo);
  TailRisk out;
  out.var = -q;
  // Losses at or beyond VaR: every P&L at or below -VaR.
  double sum = 0.0;
  std::size_t count = 0;
  for (double x : pnl) {
    if (x <= q) {
      sum += x;
      ++count;
    }
  }
  out.es = count > 0 ? -sum / static_cast<double>(count) : out.var;
  return out;
}

namespace {

// historical_pnl of a book with currency risk: a linear position earns V (r + f + r f), so the
// scenario P&L is s (x.e) + sum_c (s f_c)(s (x.e_c)), with e holding the foreign values on the FX
// columns and e_c the exposures of currency c's linear positions: one product X E for all.
std::vector<double> historical_pnl_fx(const RiskBook& book, const ReturnMatrix& returns, double scale,
                                      int horizon_days) {
  const std::size_t k = returns.cols();
  const std::size_t n_fx = book.fx_currencies.size();
  const std::size_t fb = book.fx_begin();
  const auto g = static_cast<Eigen::Index>(1 + n_fx);
  Eigen::MatrixXd e = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(k), g);
  std::vector<std::size_t> opts;
  for (std::size_t i = 0; i < book.size(); ++i) {
    const std::size_t c = book.fx_of(i);
    if (book.option[i]) {
      opts.push_back(i);
      continue;
    }
    if (c != kNoAsset) e(static_cast<Eigen::Index>(c), 0) += book.value[i];
    if (book.asset[i] == kNoAsset) continue;
    e(static_cast<Eigen::Index>(book.asset[i]), 0) += book.exposure[i];
    if (c != kNoAsset) e(static_cast<Eigen::Index>(book.asset[i]), static_cast<Eigen::Index>(1 + c - fb)) += book.exposure[i];
  }
  const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> x(
      returns.values.data(), static_cast<Eigen::Index>(returns.rows()), static_cast<Eigen::Index>(k));
  const Eigen::MatrixXd y = x * e;
  std::vector<double> pnl(returns.rows());
  for (std::size_t t = 0; t < returns.rows(); ++t) {
    const auto ti = static_cast<Eigen::Index>(t);
    double v = scale * y(ti, 0);
    for (std::size_t c = 0; c < n_fx; ++c) {
      v += scale * returns.at(t, fb + c) * (scale * y(ti, static_cast<Eigen::Index>(1 + c)));
    }
    pnl[t] = v;
  }
  for (std::size_t i : opts) {
    const std::size_t c = book.fx_of(i);
    for (std::size_t t = 0; t < returns.rows(); ++t) {
      const double f = c == kNoAsset ? 0.0 : scale * returns.at(t, c);
      pnl[t] += position_pnl_parts(book, i, scale * returns.at(t, book.asset[i]), f, horizon_days).total();
    }
  }
  return pnl;
}

}  // namespace

std::vector<double> historical_pnl(const RiskBook& book, const ReturnMatrix& returns, double scale,
                                   int horizon_days) {
  if (book.has_fx()) return historical_pnl_fx(book, returns, scale, horizon_days);
  const std::size_t k = returns.cols();
  // Linear positions collapse to one exposure per asset; options are revalued one by one.
  std::vector<double> e(k, 0.0);
  std::vector<std::size_t> opts;
  for (std::size_t i = 0; i < book.size(); ++i) {
    if (book.asset[i] == kNoAsset) continue;
    if (book.option[i]) {
      opts.push_back(i);
    } else {
      e[book.asset[i]] += book.exposure[i];
    }
  }
  const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> x(
      returns.values.data(), static_cast<Eigen::Index>(returns.rows()), static_cast<Eigen::Index>(k));
  const Eigen::Map<const Eigen::VectorXd> ev(e.data(), static_cast<Eigen::Index>(k));
  std::vector<double> pnl(returns.rows());
  Eigen::Map<Eigen::VectorXd> pv(pnl.data(), static_cast<Eigen::Index>(pnl.size()));
  pv.noalias() = scale * (x * ev);
  for (std::size_t i : opts) {
    for (std::size_t t = 0; t < returns.rows(); ++t) {
      pnl[t] += position_pnl(book, i, scale * returns.at(t, book.asset[i]), horizon_days);
    }
  }
  return pnl;
}

VarResult compute_var(VarMethod method, const RiskBook& book, const ReturnMatrix& returns,
                      const VarOptions& options) {
  switch (method) {
    case VarMethod::kParametric: return parametric_var(book, returns, options);
    case VarMethod::kHistorical: return historical_var(book, returns, options);
    case VarMethod::kMonteCarlo: return monte_carlo_var(book, returns, options);
  }
  return parametric_var(book, returns, options);
}

}  // namespace keel::risk
