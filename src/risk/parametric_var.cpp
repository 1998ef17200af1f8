#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "keel/core/distributions.h"
#include "keel/core/error.h"
#include "keel/risk/covariance.h"
#include "keel/risk/var.h"

namespace keel::risk {

TranslatedBook translated_view(const RiskBook& book, const ReturnMatrix& returns) {
  TranslatedBook out{book, returns};
  if (!book.has_fx()) return out;
  // The FX column of each price driver (its positions' currency), or kNoAsset.
  const std::size_t k = returns.cols();
  std::vector<std::size_t> fx_of_asset(k, kNoAsset);
  for (std::size_t i = 0; i < book.size(); ++i) {
    if (book.asset[i] != kNoAsset) fx_of_asset[book.asset[i]] = book.fx_of(i);
  }
  for (std::size_t t = 0; t < returns.rows(); ++t) {
    double* row = out.returns.values.data() + t * k;
    for (std::size_t a = 0; a < k; ++a) {
      if (fx_of_asset[a] != kNoAsset) row[a] = (1.0 + row[a]) * (1.0 + row[fx_of_asset[a]]) - 1.0;
    }
  }
  for (std::size_t i = 0; i < book.size(); ++i) {
    if (book.fx_of(i) == kNoAsset) continue;
    if (book.asset[i] == kNoAsset) {
      out.book.fx_exposure[i] = book.value[i];
    } else if (book.option[i]) {
      out.book.fx_exposure[i] = book.value[i] - book.exposure[i];
    } else {
      out.book.fx_exposure[i] = 0.0;
    }
  }
  return out;
}

VarResult parametric_var(const RiskBook& raw_book, const ReturnMatrix& raw_returns, const VarOptions& options) {
  validate_var_inputs(raw_book, raw_returns, options);
  std::optional<TranslatedBook> view;
  if (raw_book.has_fx()) view.emplace(translated_view(raw_book, raw_returns));
  const RiskBook& book = view ? view->book : raw_book;
  const ReturnMatrix& returns = view ? view->returns : raw_returns;
  const std::vector<double> e = book.asset_exposures();
  const std::vector<double> g = covariance_times(returns, e, options.covariance);
  double variance = 0.0;
  for (std::size_t a = 0; a < e.size(); ++a) variance += e[a] * g[a];
  if (!(variance > 0.0)) {
    throw Error::invalid_input(
        "the portfolio's variance is zero over the window (no risky exposure, or every return is "
        "zero): VaR is undefined");
  }
  double mu_p = 0.0;
  if (options.mean == MeanModel::kSample) {
    const std::size_t n = returns.rows();
    for (std::size_t t = 0; t < n; ++t) {
      const auto r = returns.row(t);
      for (std::size_t a = 0; a < e.size(); ++a) mu_p += e[a] * r[a];
    }
    mu_p /= static_cast<double>(n);
  }
  const double h = options.horizon_days;
  const double c = options.confidence;
  const double z = normal_quantile(c);
  const double sigma_h = std::sqrt(variance) * std::sqrt(h);

  VarResult out;
  out.method = VarMethod::kParametric;
  out.confidence = c;
  out.horizon_days = options.horizon_days;
  out.var = z * sigma_h - h * mu_p;
  out.es = sigma_h * normal_pdf(z) / (1.0 - c) - h * mu_p;
  out.volatility = sigma_h;
  out.scenarios = returns.rows();
  if (book.has_options() && options.delta_gamma) {
    const DeltaGammaMoments dg = delta_gamma_moments(book, returns, options.covariance, h);
    const CornishFisherTail tail = cornish_fisher_tail(dg, c);
    out.var = tail.var - h * mu_p;
    out.es = tail.es - h * mu_p;
    out.volatility = std::sqrt(dg.variance);
  } else if (book.has_options()) {
    out.warnings.push_back("parametric VaR treats options through their delta exposure (--delta-gamma adds gamma)");
  }
  return out;
}

DeltaGammaMoments delta_gamma_moments(const RiskBook& book, const ReturnMatrix& returns,
                                      const CovarianceOptions& covariance_options, double horizon_days) {
  const std::vector<double> e = book.asset_exposures();
  const std::vector<double> g = book.asset_gamma_exposures();
  // S = h Sigma; only assets with gamma need the full matrix, the rest enter through S e.
  std::vector<double> se = covariance_times(returns, e, covariance_options);
  for (double& x : se) x *= horizon_days;
  std::vector<std::size_t> k;  // assets with gamma
  for (std::size_t a = 0; a < g.size(); ++a) {
    if (g[a] != 0.0) k.push_back(a);
  }
  const Eigen::MatrixXd sigma = covariance(returns, covariance_options);
  const std::size_t n = k.size();
  // M = G S restricted to the gamma assets (G S has zero rows elsewhere, so traces reduce to M).
  Eigen::MatrixXd m(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          g[k[i]] * horizon_days * sigma(static_cast<Eigen::Index>(k[i]), static_cast<Eigen::Index>(k[j]));
    }
  }
  DeltaGammaMoments out;
  double ese = 0.0;
  for (std::size_t a = 0; a < e.size(); ++a) ese += e[a] * se[a];
  double segse = 0.0;  // e'S G S e = sum over gamma assets of g_a (S e)_a^2
  for (std::size_t a : k) segse += g[a] * se[a] * se[a];
  const Eigen::MatrixXd m2 = m * m;
  out.mean = 0.5 * m.trace();
  out.variance = ese + 0.5 * m2.trace();
  out.third_central = 3.0 * segse + (m2 * m).trace();
  return out;
}

namespace {

// phi(x) and x phi(x), zero at +-infinity (the ends of a one-sided tail interval).
double pdf_at(double x) {
  return std::isinf(x) ? 0.0 : normal_pdf(x);
}
double x_pdf_at(double x) {
  return std::isinf(x) ? 0.0 : x * normal_pdf(x);
}

// E[f(Z); a <= Z <= b] for f(z) = z + k (z^2 - 1), Z standard normal, in closed form:
// integral of z phi over [a, b] = phi(a) - phi(b); integral of (z^2 - 1) phi = a phi(a) - b phi(b)
// (since (z phi)' = (1 - z^2) phi).
double partial_mean(double a, double b, double k) {
  return (pdf_at(a) - pdf_at(b)) + k * (x_pdf_at(a) - x_pdf_at(b));
}

// Root of the increasing function g(t) - target on [lo, hi] (g(lo) <= target <= g(hi)) by Newton
// steps kept inside the bracket, falling back to bisection; converges to the last bit of t.
template <class G, class D>
double bracketed_newton(G g, D dg, double target, double lo, double hi, double start) {
  double t = std::clamp(start, lo, hi);
  for (int it = 0; it < 200; ++it) {
    const double r = g(t) - target;
    if (r == 0.0) return t;
    if (r < 0.0) {
      lo = t;
    } else {
      hi = t;
    }
    const double d = dg(t);
    double next = d > 0.0 ? t - r / d : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::abs(next - t) <= 4.0 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(t))) {
      return next;
    }
    t = next;
  }
  return t;
}

}  // namespace

CornishFisherTail cornish_fisher_tail(const DeltaGammaMoments& dg, double confidence) {
  if (!(dg.variance > 0.0)) throw Error::invalid_input("delta-gamma: the P&L variance is zero");
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw Error::invalid_input("delta-gamma: confidence must lie strictly between 0 and 1");
  }
  const double sd = std::sqrt(dg.variance);
  const double skew = dg.third_central / (dg.variance * sd);
  const double k = skew / 6.0;
  const double alpha = 1.0 - confidence;
  // The expanded quantile q(u) = m + sd f(z_u), f(z) = z + k (z^2 - 1), is not monotone in u when
  // the skewness is nonzero: f turns at z* = -1 / (2k) (z* < 0 for k > 0, where the lower tail bends
  // back up; z* > 0 for k < 0, where the upper tail bends back down). Its monotone rearrangement
  // (Chernozhukov, Fernandez-Val & Galichon 2010, Econometrica 78) is the quantile function of the
  // random variable Y = m + sd f(Z), Z ~ N(0, 1), and it equals q wherever q is already monotone.
  // The lower alpha-tail of Y is a set of Z bounded by t and its mirror image 2 z* - t about the
  // turning point:
  //   k > 0:  {f(Z) <= f(t)} = [2 z* - t, t], t >= z*,   P = Phi(t) - Phi(2 z* - t);
  //   k < 0:  {f(Z) <= f(t)} = (-inf, t] u [2 z* - t, inf), t <= z*,   P = Phi(t) + Phi(t - 2 z*).
  // t solves P = alpha; VaR = -(m + sd f(t)) and ES = -(m + sd E[f(Z); tail] / alpha) with the
  // partial mean in closed form (partial_mean), so both are exact to rounding. When |z*| > 40 the
  // mirror mass is below Phi(-40) ~ 4e-350, which underflows: the tail is (-inf, z_alpha].
  double t = 0.0;
  double tail_mean = 0.0;  // E[f(Z); tail]
  const double z_alpha = normal_quantile(alpha);
  if (std::abs(k) * 80.0 < 1.0) {
    t = z_alpha;
    tail_mean = partial_mean(-std::numeric_limits<double>::infinity(), t, k);
  } else {
    const double zs = -0.5 / k;
    if (k > 0.0) {
      auto p = [zs](double x) { return normal_cdf(x) - normal_cdf(2.0 * zs - x); };
      auto dp = [zs](double x) { return normal_pdf(x) + normal_pdf(2.0 * zs - x); };
      // P(t) <= Phi(t), so the root lies at or above max(z_alpha, z*); widen upwards until P >= alpha.
      const double lo = std::max(z_alpha, zs);
      double hi = lo + 1.0;
      while (p(hi) < alpha) hi += 2.0 * (hi - lo);
      t = bracketed_newton(p, dp, alpha, lo, hi, lo);
      tail_mean = partial_mean(2.0 * zs - t, t, k);
    } else {
      auto p = [zs](double x) { return normal_cdf(x) + normal_cdf(x - 2.0 * zs); };
      auto dp = [zs](double x) { return normal_pdf(x) + normal_pdf(x - 2.0 * zs); };
      // Phi(t) <= P(t) <= 2 Phi(t): the root lies in [z_{alpha/2}, min(z_alpha, z*)].
      const double hi = std::min(z_alpha, zs);
      const double lo = normal_quantile(0.5 * alpha);
      t = bracketed_newton(p, dp, alpha, lo, hi, hi);
      tail_mean = partial_mean(-std::numeric_limits<double>::infinity(), t, k) +
                  partial_mean(2.0 * zs - t, std::numeric_limits<double>::infinity(), k);
    }
  }
  CornishFisherTail out;
  out.var = -(dg.mean + sd * (t + k * (t * t - 1.0)));
  out.es = -(dg.mean + sd * tail_mean / alpha);
  out.skewness = skew;
  return out;
}

}  // namespace keel::risk
