#include "keel/options/black_scholes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "keel/core/error.h"
#include "quantlib_oracle.h"

namespace keel::options {
namespace {

constexpr OptionRight kCall = OptionRight::kCall;
constexpr OptionRight kPut = OptionRight::kPut;

struct HaugCase {
  OptionRight right;
  double strike, spot, div, rate, years, vol, value;
};

// Haug, "Option Pricing Formulas" (McGraw-Hill 1998), pages 2-8, 24 and 27 (also in QuantLib's
// test-suite/europeanoption.cpp), four decimals.
const HaugCase kHaugValues[] = {
    {kCall, 65.00, 60.00, 0.00, 0.08, 0.25, 0.30, 2.1334},
    {kPut, 95.00, 100.00, 0.05, 0.10, 0.50, 0.20, 2.4648},
    {kPut, 19.00, 19.00, 0.10, 0.10, 0.75, 0.28, 1.7011},
    {kCall, 19.00, 19.00, 0.10, 0.10, 0.75, 0.28, 1.7011},
    {kCall, 1.60, 1.56, 0.08, 0.06, 0.50, 0.12, 0.0291},
    {kPut, 70.00, 75.00, 0.05, 0.10, 0.50, 0.35, 4.0870},
    {kCall, 100.00, 90.00, 0.10, 0.10, 0.10, 0.15, 0.0205},
    {kCall, 100.00, 100.00, 0.10, 0.10, 0.10, 0.15, 1.8734},
    {kCall, 100.00, 110.00, 0.10, 0.10, 0.10, 0.15, 9.9413},
    {kCall, 100.00, 90.00, 0.10, 0.10, 0.10, 0.25, 0.3150},
    {kCall, 100.00, 100.00, 0.10, 0.10, 0.10, 0.25, 3.1217},
    {kCall, 100.00, 110.00, 0.10, 0.10, 0.10, 0.25, 10.3556},
    {kCall, 100.00, 90.00, 0.10, 0.10, 0.10, 0.35, 0.9474},
    {kCall, 100.00, 100.00, 0.10, 0.10, 0.10, 0.35, 4.3693},
    {kCall, 100.00, 110.00, 0.10, 0.10, 0.10, 0.35, 11.1381},
    {kCall, 100.00, 90.00, 0.10, 0.10, 0.50, 0.15, 0.8069},
    {kCall, 100.00, 100.00, 0.10, 0.10, 0.50, 0.15, 4.0232},
    {kCall, 100.00, 110.00, 0.10, 0.10, 0.50, 0.15, 10.5769},
    {kCall, 100.00, 90.00, 0.10, 0.10, 0.50, 0.25, 2.7026},
    {kCall, 100.00, 100.00, 0.10, 0.10, 0.50, 0.25, 6.6997},
    {kCall, 100.00, 110.00, 0.10, 0.10, 0.50, 0.25, 12.7857},
    {kCall, 100.00, 90.00, 0.10, 0.10, 0.50, 0.35, 4.9329},
    {kCall, 100.00, 100.00, 0.10, 0.10, 0.50, 0.35, 9.3679},
    {kCall, 100.00, 110.00, 0.10, 0.10, 0.50, 0.35, 15.3086},
    {kPut, 100.00, 90.00, 0.10, 0.10, 0.10, 0.15, 9.9210},
    {kPut, 100.00, 100.00, 0.10, 0.10, 0.10, 0.15, 1.8734},
    {kPut, 100.00, 110.00, 0.10, 0.10, 0.10, 0.15, 0.0408},
    {kPut, 100.00, 90.00, 0.10, 0.10, 0.10, 0.25, 10.2155},
    {kPut, 100.00, 100.00, 0.10, 0.10, 0.10, 0.25, 3.1217},
    {kPut, 100.00, 110.00, 0.10, 0.10, 0.10, 0.25, 0.4551},
    {kPut, 100.00, 90.00, 0.10, 0.10, 0.10, 0.35, 10.8479},
    {kPut, 100.00, 100.00, 0.10, 0.10, 0.10, 0.35, 4.3693},
    {kPut, 100.00, 110.00, 0.10, 0.10, 0.10, 0.35, 1.2376},
    {kPut, 100.00, 90.00, 0.10, 0.10, 0.50, 0.15, 10.3192},
    {kPut, 100.00, 100.00, 0.10, 0.10, 0.50, 0.15, 4.0232},
    {kPut, 100.00, 110.00, 0.10, 0.10, 0.50, 0.15, 1.0646},
    {kPut, 100.00, 90.00, 0.10, 0.10, 0.50, 0.25, 12.2149},
    {kPut, 100.00, 100.00, 0.10, 0.10, 0.50, 0.25, 6.6997},
    {kPut, 100.00, 110.00, 0.10, 0.10, 0.50, 0.25, 3.2734},
    {kPut, 100.00, 90.00, 0.10, 0.10, 0.50, 0.35, 14.4452},
    {kPut, 100.00, 100.00, 0.10, 0.10, 0.50, 0.35, 9.3679},
    {kPut, 100.00, 110.00, 0.10, 0.10, 0.50, 0.35, 5.7963},
    {kCall, 40.00, 42.00, 0.08, 0.04, 0.75, 0.35, 5.0975},
};

BsmInputs make(OptionRight right, double spot, double strike, double years, double vol, double rate,
               double div) {
  return BsmInputs{right, spot, strike, years, vol, rate, div};
}

TEST(BlackScholes, MatchesHaugPublishedPrices) {
  for (const auto& c : kHaugValues) {
    const double p = bsm_price(make(c.right, c.spot, c.strike, c.years, c.vol, c.rate, c.div));
    EXPECT_NEAR(p, c.value, 1e-4) << "K=" << c.strike << " S=" << c.spot << " T=" << c.years;
  }
}

// Haug (1998) pages 11-16: delta, gamma, vega, theta (per year and per day), rho.
TEST(BlackScholes, MatchesHaugPublishedGreeks) {
  EXPECT_NEAR(bsm_greeks(make(kCall, 105, 100, 0.5, 0.36, 0.10, 0.10)).delta, 0.5946, 1e-4);
  EXPECT_NEAR(bsm_greeks(make(kPut, 105, 100, 0.5, 0.36, 0.10, 0.10)).delta, -0.3566, 1e-4);
  EXPECT_NEAR(bsm_greeks(make(kCall, 55, 60, 0.75, 0.30, 0.10, 0.0)).gamma, 0.0278, 1e-4);
  EXPECT_NEAR(bsm_greeks(make(kPut, 55, 60, 0.75, 0.30, 0.10, 0.0)).gamma, 0.0278, 1e-4);
  EXPECT_NEAR(bsm_greeks(make(kCall, 55, 60, 0.75, 0.30, 0.10, 0.0)).vega, 18.9358, 1e-4);
  EXPECT_NEAR(bsm_greeks(make(kPut, 55, 60, 0.75, 0.30, 0.10, 0.0)).vega, 18.9358, 1e-4);
  const Greeks theta = bsm_greeks(make(kPut, 430, 405, 1.0 / 12.0, 0.20, 0.07, 0.05));
  EXPECT_NEAR(theta.theta, -31.1924, 1e-4);
  EXPECT_NEAR(theta.theta / 365.0, -0.0855, 1e-4);
  EXPECT_NEAR(bsm_greeks(make(kCall, 72, 75, 1.0, 0.19, 0.09, 0.0)).rho, 38.7325, 1e-4);
}

// Haug (2007) 2.2.1 example: vanna of a call S=90, K=80, T=0.25, r=5%, b=0 (q=r), vol=25%
// is -1.0106 per 1.00 of vol (Haug prints it per vol point times 100: -0.0101 ... so compare
// with finite differences instead, which are independent of the formula).
TEST(BlackScholes, HigherGreeksMatchFiniteDifferences) {
  for (OptionRight right : {kCall, kPut}) {
    const BsmInputs in = make(right, 90, 80, 0.25, 0.25, 0.05, 0.02);
    const HigherGreeks h = bsm_higher_greeks(in);
    const double dv = 1e-4;
    const double dt = 1e-5;
    BsmInputs up = in, dn = in;
    up.vol += dv;
    dn.vol -= dv;
    EXPECT_NEAR(h.vanna, (bsm_greeks(up).delta - bsm_greeks(dn).delta) / (2 * dv), 1e-6);
    EXPECT_NEAR(h.volga, (bsm_greeks(up).vega - bsm_greeks(dn).vega) / (2 * dv), 1e-5);
    BsmInputs later = in, earlier = in;
    later.years -= dt;
    earlier.years += dt;
    // charm is d delta / dt in calendar time = -(d delta / d years).
    EXPECT_NEAR(h.charm, (bsm_greeks(later).delta - bsm_greeks(earlier).delta) / (2 * dt), 1e-5);
  }
}

// QuantLib's AnalyticEuropeanEngine over a grid: prices agree to 1e-10 relative, Greeks to 1e-9.
TEST(BlackScholes, AgreesWithQuantLibOnGrid) {
  int checked = 0;
  int relative = 0;
  for (OptionRight right : {kCall, kPut}) {
    for (double spot : {50.0, 90.0, 100.0, 110.0, 200.0}) {
      for (int days : {1, 7, 30, 91, 365, 1825, 3650}) {
        for (double vol : {0.05, 0.2, 0.5, 1.0}) {
          for (double rate : {-0.01, 0.0, 0.05}) {
            for (double div : {0.0, 0.03}) {
              const double strike = 100.0;
              const double years = days / 365.0;
              const auto ql = test::quantlib_price(right, spot, strike, days, vol, rate, div);
              const Greeks g = bsm_greeks(make(right, spot, strike, years, vol, rate, div));
              // Relative 1e-10, plus a rounding floor of 1e-15 (S + K): far out of the money both
              // libraries evaluate a price as the difference of two terms of the size of S and K,
              // exact only to ~1e-16 of those (QuantLib even returns -1.1e-14 for a deep OTM put).
              const double tol = 1e-10 * std::abs(ql.price) + 1e-15 * (spot + strike);
              EXPECT_LE(std::abs(g.price - ql.price), tol)
                  << "right=" << int(right) << " S=" << spot << " days=" << days << " vol=" << vol
                  << " r=" << rate << " q=" << div << " ql=" << ql.price << " keel=" << g.price;
              if (std::abs(ql.price) >= 1e-4 * strike) {
                EXPECT_LE(std::abs(g.price - ql.price), 1e-10 * std::abs(ql.price));
                ++relative;
              }
              // Greeks: 1e-9 relative plus rounding floors (QuantLib computes rho and theta
              // with the same cancellation as deep out-of-the-money prices).
              auto close = [](double a, double b, double floor) {
                return std::abs(a - b) <= 1e-9 * std::abs(b) + floor;
              };
              const double big = 1e-14 * (spot + strike) * (1.0 + years + vol / std::sqrt(years));
              EXPECT_TRUE(close(g.delta, ql.delta, 1e-14)) << g.delta << " vs " << ql.delta;
              EXPECT_TRUE(close(g.gamma, ql.gamma, 1e-14 / spot)) << g.gamma << " vs " << ql.gamma;
              EXPECT_TRUE(close(g.vega, ql.vega, big)) << g.vega << " vs " << ql.vega;
              EXPECT_TRUE(close(g.theta, ql.theta, big)) << g.theta << " vs " << ql.theta;
              EXPECT_TRUE(close(g.rho, ql.rho, big)) << g.rho << " vs " << ql.rho;
              ++checked;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 2 * 5 * 7 * 4 * 3 * 2);
  EXPECT_GT(relative, checked / 2);
}

// The vectorised batch kernel over the same grid, against QuantLib with the same tolerances.
TEST(BlackScholes, BatchAgreesWithQuantLibOnGrid) {
  std::vector<OptionRight> right;
  std::vector<double> spot, strike, years, vol, rate, div;
  std::vector<test::QlResult> expected;
  for (OptionRight rt : {kCall, kPut}) {
    for (double s : {50.0, 90.0, 100.0, 110.0, 200.0}) {
      for (int days : {1, 7, 30, 91, 365, 1825, 3650}) {
        for (double v : {0.05, 0.2, 0.5, 1.0}) {
          for (double r : {-0.01, 0.0, 0.05}) {
            for (double q : {0.0, 0.03}) {
              right.push_back(rt);
              spot.push_back(s);
              strike.push_back(100.0);
              years.push_back(days / 365.0);
              vol.push_back(v);
              rate.push_back(r);
              div.push_back(q);
              expected.push_back(test::quantlib_price(rt, s, 100.0, days, v, r, q));
            }
          }
        }
      }
    }
  }
  const std::size_t n = spot.size();
  std::vector<double> p(n), d(n), g(n), v(n), t(n), rh(n), p_only(n);
  const BsmColumns cols{right, spot, strike, years, vol, rate, div};
  bsm_greeks_batch(cols, {p, d, g, v, t, rh});
  bsm_price_batch(cols, p_only);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& ql = expected[i];
    const double tol = 1e-10 * std::abs(ql.price) + 1e-15 * (spot[i] + strike[i]);
    EXPECT_LE(std::abs(p[i] - ql.price), tol) << i << ": " << p[i] << " vs " << ql.price;
    EXPECT_LE(std::abs(p_only[i] - ql.price), tol) << i;
    const double big = 1e-14 * (spot[i] + strike[i]) * (1.0 + years[i] + vol[i] / std::sqrt(years[i]));
    EXPECT_LE(std::abs(d[i] - ql.delta), 1e-9 * std::abs(ql.delta) + 1e-14) << i;
    EXPECT_LE(std::abs(g[i] - ql.gamma), 1e-9 * std::abs(ql.gamma) + 1e-14 / spot[i]) << i;
    EXPECT_LE(std::abs(v[i] - ql.vega), 1e-9 * std::abs(ql.vega) + big) << i;
    EXPECT_LE(std::abs(t[i] - ql.theta), 1e-9 * std::abs(ql.theta) + big) << i;
    EXPECT_LE(std::abs(rh[i] - ql.rho), 1e-9 * std::abs(ql.rho) + big) << i;
  }
}

// Central finite differences of the price (independent of the closed-form Greeks).
TEST(BlackScholes, GreeksMatchFiniteDifferences) {
  for (OptionRight right : {kCall, kPut}) {
    for (double spot : {80.0, 100.0, 125.0}) {
      for (double years : {0.05, 0.5, 3.0}) {
        const BsmInputs in = make(right, spot, 100.0, years, 0.3, 0.04, 0.015);
        const Greeks g = bsm_greeks(in);
        // Steps chosen so truncation (h^2) and rounding (eps / h) errors stay below the bounds.
        const double hs = 1e-4 * spot;
        BsmInputs up = in, dn = in;
        up.spot += hs;
        dn.spot -= hs;
        EXPECT_NEAR(g.delta, (bsm_price(up) - bsm_price(dn)) / (2 * hs), 5e-8);
        const double hg = 1e-3 * spot;
        up = dn = in;
        up.spot += hg;
        dn.spot -= hg;
        EXPECT_NEAR(g.gamma, (bsm_price(up) - 2 * g.price + bsm_price(dn)) / (hg * hg), 5e-4 * g.gamma);
        up = dn = in;
        up.vol += 1e-5;
        dn.vol -= 1e-5;
        EXPECT_NEAR(g.vega, (bsm_price(up) - bsm_price(dn)) / 2e-5, 1e-5);
        up = dn = in;
        up.rate += 1e-6;
        dn.rate -= 1e-6;
        EXPECT_NEAR(g.rho, (bsm_price(up) - bsm_price(dn)) / 2e-6, 1e-4);
        up = dn = in;
        up.years -= 1e-6;  // one step later in calendar time
        dn.years += 1e-6;
        EXPECT_NEAR(g.theta, (bsm_price(up) - bsm_price(dn)) / 2e-6, 1e-4);
      }
    }
  }
}

TEST(BlackScholes, PutCallParityHoldsToRounding) {
  for (double spot : {1.0, 60.0, 100.0, 150.0, 5000.0}) {
    for (double years : {1.0 / 365, 0.25, 2.0, 30.0}) {
      for (double vol : {0.01, 0.3, 2.0}) {
        const double k = 100.0, r = 0.03, q = 0.01;
        const double c = bsm_price(make(kCall, spot, k, years, vol, r, q));
        const double p = bsm_price(make(kPut, spot, k, years, vol, r, q));
        const double fwd = spot * std::exp(-q * years) - k * std::exp(-r * years);
        EXPECT_NEAR(c - p, fwd, 1e-12 * std::max(spot, k)) << spot << " " << years << " " << vol;
      }
    }
  }
}

TEST(BlackScholes, LimitsAtExpiryAndZeroVolAreFinite) {
  // At expiry: intrinsic value.
  Greeks g = bsm_greeks(make(kCall, 110, 100, 0.0, 0.3, 0.05, 0.0));
  EXPECT_DOUBLE_EQ(g.price, 10.0);
  EXPECT_DOUBLE_EQ(g.delta, 1.0);
  EXPECT_DOUBLE_EQ(g.gamma, 0.0);
  g = bsm_greeks(make(kPut, 110, 100, 0.0, 0.3, 0.05, 0.0));
  EXPECT_DOUBLE_EQ(g.price, 0.0);
  EXPECT_DOUBLE_EQ(g.delta, 0.0);
  // Zero vol: discounted forward intrinsic, S e^{-qT} - K e^{-rT} (hand-computed).
  g = bsm_greeks(make(kCall, 100, 95, 1.0, 0.0, 0.05, 0.02));
  EXPECT_NEAR(g.price, 100 * std::exp(-0.02) - 95 * std::exp(-0.05), 1e-12);
  EXPECT_NEAR(g.delta, std::exp(-0.02), 1e-15);
  EXPECT_NEAR(g.rho, 95 * std::exp(-0.05), 1e-12);
  EXPECT_NEAR(g.theta, 0.02 * 100 * std::exp(-0.02) - 0.05 * 95 * std::exp(-0.05), 1e-12);
  // The zero-vol limit is continuous with tiny vols.
  const Greeks tiny = bsm_greeks(make(kCall, 100, 95, 1.0, 1e-6, 0.05, 0.02));
  EXPECT_NEAR(tiny.price, g.price, 1e-9);
  EXPECT_NEAR(tiny.delta, g.delta, 1e-9);
  // Spot zero, huge vol, very long and very short expiries, deep in and out of the money.
  for (const BsmInputs& in :
       {make(kCall, 0.0, 100, 1, 0.3, 0.05, 0), make(kPut, 0.0, 100, 1, 0.3, 0.05, 0),
        make(kCall, 100, 0.0, 1, 0.3, 0.05, 0), make(kCall, 100, 100, 1, 50.0, 0.05, 0),
        make(kPut, 1e-3, 1e6, 1e-8, 0.2, 0.0, 0), make(kCall, 1e6, 1e-3, 100, 0.2, 0.1, 0.1),
        make(kCall, 1, 1e9, 1.0 / 365, 0.2, 0, 0)}) {
    const Greeks x = bsm_greeks(in);
    for (double v : {x.price, x.delta, x.gamma, x.vega, x.theta, x.rho}) EXPECT_TRUE(std::isfinite(v));
    EXPECT_GE(x.price, 0.0);
  }
  EXPECT_NEAR(bsm_price(make(kPut, 0.0, 100, 1, 0.3, 0.05, 0)), 100 * std::exp(-0.05), 1e-12);
}

TEST(BlackScholes, RejectsBadInputWithClearMessage) {
  auto message = [](const BsmInputs& in) {
    try {
      bsm_price(in);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(make(kCall, -1, 100, 1, 0.2, 0, 0)).find("spot must be >= 0"), std::string::npos);
  EXPECT_NE(message(make(kCall, 100, -5, 1, 0.2, 0, 0)).find("strike must be >= 0"), std::string::npos);
  EXPECT_NE(message(make(kCall, 100, 100, 1, -0.2, 0, 0)).find("vol must be >= 0"), std::string::npos);
  EXPECT_NE(message(make(kCall, 100, 100, -0.01, 0.2, 0, 0)).find("expired"), std::string::npos);
  EXPECT_NE(message(make(kCall, 100, 100, 1, 0.2, NAN, 0)).find("rate must be a finite"),
            std::string::npos);
}

TEST(BlackScholes, BatchEqualsScalarAndReportsEveryBadRow) {
  std::vector<OptionRight> right{kCall, kPut, kCall, kPut};
  std::vector<double> spot{100, 95, 130, 80}, strike{100, 100, 120, 90}, years{0.5, 1, 0.1, 2};
  std::vector<double> vol{0.2, 0.3, 0.4, 0.25}, rate{0.01, 0.02, 0.03, 0.04}, div{0, 0.01, 0.02, 0};
  BsmColumns cols{right, spot, strike, years, vol, rate, div};
  std::vector<double> p(4), d(4), g(4), v(4), t(4), r(4);
  bsm_greeks_batch(cols, GreekColumns{p, d, g, v, t, r});
  std::vector<double> p_only(4);
  bsm_price_batch(cols, p_only);
  // The batch kernel is a separate, vectorised implementation (simd_math.h): equal to the scalar
  // one to rounding.
  auto near = [](double a, double b) { return std::abs(a - b) <= 1e-13 * std::max(std::abs(b), 1e-3); };
  for (std::size_t i = 0; i < 4; ++i) {
    const Greeks s = bsm_greeks(make(right[i], spot[i], strike[i], years[i], vol[i], rate[i], div[i]));
    EXPECT_TRUE(near(p[i], s.price)) << p[i] << " vs " << s.price;
    EXPECT_TRUE(near(p_only[i], s.price));
    EXPECT_TRUE(near(d[i], s.delta));
    EXPECT_TRUE(near(g[i], s.gamma));
    EXPECT_TRUE(near(v[i], s.vega));
    EXPECT_TRUE(near(t[i], s.theta));
    EXPECT_TRUE(near(r[i], s.rho));
  }
  spot[1] = -1;
  vol[3] = -0.1;
  try {
    bsm_price_batch(cols, p_only);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    ASSERT_EQ(e.details().size(), 2u);
    EXPECT_NE(e.details()[0].find("option 1: spot"), std::string::npos);
    EXPECT_NE(e.details()[1].find("option 3: vol"), std::string::npos);
  }
  std::vector<double> short_out(3);
  EXPECT_THROW(bsm_price_batch(cols, short_out), Error);
}

}  // namespace
}  // namespace keel::options
