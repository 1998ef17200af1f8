// Delta-gamma parametric VaR (Zangari 1996 Cornish-Fisher on the exact moments of the quadratic
// P&L). Expected values are worked by hand below; the tail averages come from an independent
// scipy evaluation of the same expansion by another route (roots and quadrature in u), quoted below.
#include <gtest/gtest.h>

#include <cmath>

#include "keel/risk/var.h"

namespace keel::risk {
namespace {

// One asset whose four returns +a, -a, +a, -a have sample variance 4a^2/3 = 4e-4 (a^2 = 3e-4).
ReturnMatrix one_asset() {
  ReturnMatrix r;
  r.symbols = {"X"};
  const double a = std::sqrt(3e-4);
  for (int t = 0; t < 4; ++t) {
    r.dates.push_back(Date::from_serial(17000 + t));
    r.values.push_back(t % 2 == 0 ? a : -a);
  }
  return r;
}

RiskBook option_book(double delta_exposure, double gamma_exposure) {
  RiskBook b;
  b.assets = {"X"};
  b.ids = {"X180119C00100000"};
  b.asset = {0};
  b.value = {1000.0};
  b.exposure = {delta_exposure};
  b.gamma_exposure = {gamma_exposure};
  b.units = {100.0};
  b.spot = {100.0};
  OptionTerms t;
  t.strike = 100;
  t.years = 0.1;
  t.vol = 0.2;
  b.option = {t};
  return b;
}

TEST(DeltaGamma, MomentsOfTheQuadraticPnlByHand) {
  // e = 1,000, g = -5,000, s^2 = 4e-4: mean = g s^2 / 2 = -1; variance = e^2 s^2 + g^2 s^4 / 2
  // = 400 + 2 = 402; third central moment = 3 e^2 g s^4 + g^3 s^6 = -2,400 - 8 = -2,408.
  const auto m = delta_gamma_moments(option_book(1000.0, -5000.0), one_asset(), {}, 1.0);
  EXPECT_NEAR(m.mean, -1.0, 1e-12);
  EXPECT_NEAR(m.variance, 402.0, 1e-9);
  EXPECT_NEAR(m.third_central, -2408.0, 1e-9);
  // Horizon h scales the covariance: mean x h, variance terms x h and x h^2.
  const auto m10 = delta_gamma_moments(option_book(1000.0, -5000.0), one_asset(), {}, 10.0);
  EXPECT_NEAR(m10.mean, -10.0, 1e-10);
  EXPECT_NEAR(m10.variance, 4000.0 + 200.0, 1e-7);
}

TEST(DeltaGamma, CornishFisherVarAndEsOfAShortGammaBook) {
  // skew = -2,408 / 402^1.5 = -0.298757; z_0.01 = -2.326348; CF quantile
  // = -1 + sqrt(402) (z + (z^2 - 1) skew / 6) = -52.047708, so VaR = 52.0477 (exact value in
  // kCornishFisherTable below). Short gamma adds to the delta-normal VaR z sigma = 2.326348 x 20 = 46.527.
  VarOptions o;
  o.delta_gamma = true;
  const auto v = parametric_var(option_book(1000.0, -5000.0), one_asset(), o);
  EXPECT_NEAR(v.var, 52.0477076966784, 1e-9 * 52.05);
  EXPECT_NEAR(v.es, 60.627312111565, 1e-9 * 60.63);
  EXPECT_TRUE(v.warnings.empty());
  VarOptions delta_only;
  EXPECT_NEAR(parametric_var(option_book(1000.0, -5000.0), one_asset(), delta_only).var, 46.526957, 1e-5);
}

TEST(DeltaGamma, LargeSkewnessIsRearrangedSoEsStaysAboveVar) {
  // g = +50,000: mean 10, variance 600, third moment 32,000, skew 2.177. The raw expansion is not
  // monotone there (its 1% point gives 7.77 and its tail average 0.17 < VaR); the rearranged
  // quantile function gives VaR 15.75457 and ES 15.76078 (kCornishFisherTable, scipy).
  VarOptions o;
  o.delta_gamma = true;
  const auto v = parametric_var(option_book(1000.0, 50000.0), one_asset(), o);
  EXPECT_NEAR(v.var, 15.7545711186705, 1e-9 * 15.75);
  EXPECT_NEAR(v.es, 15.7607825756842, 1e-9 * 15.76);
  EXPECT_GE(v.es, v.var);
}

// Exact Cornish-Fisher VaR and ES (monotone rearrangement included) at 99%, 99.9% and 99.99%,
// worked by a different route from the engine's (which solves for the tail in z and integrates the
// expansion in closed form): roots and adaptive quadrature in u, the quantile level, with scipy 1.10
// (Debian's python3-scipy), by this script (/usr/bin/python3):
//
//   # Exact Cornish-Fisher VaR/ES, worked in u-space (the quantile level) with scipy: numerical roots
//   # and adaptive quadrature of q(u) = m + sd (z_u + k (z_u^2 - 1)), k = skew / 6, z_u = norm.ppf(u),
//   # rearranged (sorted) where q bends back: the tail of level a is the set of u with q(u) <= y whose
//   # Lebesgue measure is a; VaR = -y, ES = -(integral of q over that set) / a.
//   import numpy as np
//   from scipy.stats import norm
//   from scipy.optimize import brentq
//   from scipy.integrate import quad
//
//   R = dict(xtol=1e-300, rtol=1e-15, maxiter=1000)
//   Q = dict(epsabs=0, epsrel=2e-14, limit=1000)
//
//   def cf(m, v, k3, c):
//       sd = np.sqrt(v); k = k3 / v**1.5 / 6; a = 1 - c
//       f = lambda z: z + k * (z * z - 1)
//       q = lambda u: m + sd * f(norm.ppf(u))     # level u from below
//       qv = lambda w: m + sd * f(norm.isf(w))    # level 1 - w, for masses near 1
//       # integral of g over (0, b): u = b e^{-s} makes the integrand smooth; stop where u = 1e-300
//       left = lambda g, b: quad(lambda s: g(b * np.exp(-s)) * b * np.exp(-s), 0, np.log(b) + 690.0, **Q)[0]
//       if 0.5 / abs(k) > 9:  # turning point beyond 9 sd: the bent-back mass is below Phi(-9) ~ 1e-19
//           return -q(a), -left(q, a) / a
//       us = norm.cdf(-0.5 / k)  # turning point of q in u
//       if k > 0:  # q falls on (0, us), rises after: the tail is [u1, u2], u1 < us < u2
//           u1_of = lambda u2: brentq(lambda u: q(u) - q(u2), 1e-300, us, **R)
//           u2 = brentq(lambda u2: u2 - u1_of(u2) - a, us, us + a, **R)
//           u1 = u1_of(u2)
//           return -q(u2), -quad(q, u1, u2, points=[us], **Q)[0] / a
//       # k < 0: q rises on (0, us), falls after: the tail is (0, u1] and [1 - w2, 1)
//       w2_of = lambda u1: brentq(lambda w: qv(w) - q(u1), 1e-300, 1 - us, **R)
//       u1 = brentq(lambda u1: u1 + w2_of(u1) - a, 0.5 * a, a, **R)
//       w2 = w2_of(u1)
//       return -q(u1), -(left(q, u1) + left(qv, w2)) / a
//
//   cases = [("short gamma", -1.0, 402.0, -2408.0), ("long gamma, skew 2.18", 10.0, 600.0, 32000.0),
//            ("mirror, skew -2.18", -10.0, 600.0, -32000.0), ("moderate skew 0.6", 2.0, 900.0, 0.6 *
//            900**1.5)]
//   for name, m, v, k3 in cases:
//       for c in (0.99, 0.999, 0.9999):
//           var, es = cf(m, v, k3, c)
//           print(f"{name:24s} c={c}: var={var:.15g} es={es:.15g}")
struct CornishFisherCase {
  const char* name;
  double mean, variance, third_central, confidence, var, es;
};
constexpr CornishFisherCase kCornishFisherTable[] = {
    {"short gamma", -1.0, 402.0, -2408.0, 0.99, 52.0477076966784, 60.627312111565},
    {"short gamma", -1.0, 402.0, -2408.0, 0.999, 71.4943224520696, 78.8977811205356},
    {"short gamma", -1.0, 402.0, -2408.0, 0.9999, 88.3758535475977, 95.0645076729585},
    {"long gamma, skew 2.18", 10.0, 600.0, 32000.0, 0.99, 15.7545711186705, 15.7607825756842},
    {"long gamma, skew 2.18", 10.0, 600.0, 32000.0, 0.999, 15.7637956822341, 15.7638578199649},
    {"long gamma, skew 2.18", 10.0, 600.0, 32000.0, 0.9999, 15.7638879568194, 15.7638885781991},
    {"mirror, skew -2.18", -10.0, 600.0, -32000.0, 0.99, 106.200953272003, 130.397411998004},
    {"mirror, skew -2.18", -10.0, 600.0, -32000.0, 0.999, 161.690855737129, 184.966253322213},
    {"mirror, skew -2.18", -10.0, 600.0, -32000.0, 0.9999, 215.151014831281, 237.821681226506},
    {"moderate skew 0.6", 2.0, 900.0, 16200.0, 0.99, 54.5547529280572, 59.3557803042812},
    {"moderate skew 0.6", 2.0, 900.0, 16200.0, 0.999, 65.0583620585245, 67.7974307143082},
    {"moderate skew 0.6", 2.0, 900.0, 16200.0, 0.9999, 71.0772404402202, 72.5894387982147},
};

TEST(DeltaGamma, CornishFisherTailIsExactToOneInABillion) {
  for (const auto& c : kCornishFisherTable) {
    const auto t = cornish_fisher_tail({c.mean, c.variance, c.third_central}, c.confidence);
    EXPECT_NEAR(t.var, c.var, 1e-9 * std::abs(c.var)) << c.name << " at " << c.confidence;
    EXPECT_NEAR(t.es, c.es, 1e-9 * std::abs(c.es)) << c.name << " at " << c.confidence;
    EXPECT_GE(t.es, t.var) << c.name << " at " << c.confidence;
  }
}

TEST(DeltaGamma, WithoutSkewItIsTheNormalTail) {
  // Zero third moment: VaR = -m + sd z_c and ES = -m + sd phi(z_c) / (1 - c), with z_0.999 =
  // 3.090232306167813 and phi(z) = 0.003367090077063995 (scipy.stats.norm.ppf and .pdf).
  const auto t = cornish_fisher_tail({-1.0, 400.0, 0.0}, 0.999);
  EXPECT_NEAR(t.var, 1.0 + 20.0 * 3.090232306167813, 1e-9 * 62.8);
  EXPECT_NEAR(t.es, 1.0 + 20.0 * 0.003367090077063995 / 0.001, 1e-9 * 68.3);
}

TEST(DeltaGamma, WithoutGammaItIsDeltaNormal) {
  VarOptions dg;
  dg.delta_gamma = true;
  VarOptions dn;
  RiskBook stock = option_book(1000.0, 0.0);
  stock.option = {std::nullopt};
  const auto a = parametric_var(stock, one_asset(), dg);
  const auto b = parametric_var(stock, one_asset(), dn);
  EXPECT_DOUBLE_EQ(a.var, b.var);
  EXPECT_DOUBLE_EQ(a.es, b.es);
}

}  // namespace
}  // namespace keel::risk
