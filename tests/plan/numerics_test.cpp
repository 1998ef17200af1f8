// The engine's private numerics against independent implementations: Acklam's inverse normal
// against Boost.Math's quantile (keel::normal_quantile), and the in-place percentile selection
// against a full sort with numpy's linear rule (keel::quantile).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "../../src/plan/draws.h"
#include "../../src/plan/fast_normal.h"
#include "../../src/plan/lanes.h"
#include "../../src/plan/philox_uniforms.h"
#include "../../src/plan/quantiles.h"
#include "keel/core/distributions.h"
#include "keel/core/rng.h"
#include "keel/core/stats.h"

namespace keel::plan {
namespace {

TEST(PlanNumerics, AcklamInverseNormalWithinItsStatedError) {
  // Acklam (2003): relative error < 1.15e-9 over the whole range.
  for (double p :
       {1e-9, 1e-6, 0.001, 0.02, 0.02425, 0.0243, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575, 0.98, 0.999, 1 - 1e-6}) {
    const double exact = normal_quantile(p);
    const double approx = detail::inverse_normal_cdf(p);
    if (exact == 0.0) {
      EXPECT_NEAR(approx, 0.0, 1e-15);
    } else {
      EXPECT_LT(std::fabs(approx / exact - 1.0), 1.2e-9) << "p = " << p;
    }
  }
}

TEST(PlanNumerics, PercentilesInPlaceMatchNumpyLinearRule) {
  std::mt19937_64 gen(5);
  std::uniform_real_distribution<double> u(-1, 1);
  for (std::size_t n : {1u, 2u, 3u, 10u, 101u, 1000u, 4097u}) {
    std::vector<double> v(n);
    for (auto& x : v) x = std::floor(u(gen) * 50);  // ties on purpose
    std::vector<double> work = v;
    double out[5];
    const double levels[5] = {5, 25, 50, 75, 95};
    detail::percentiles_in_place(work.data(), n, levels, 5, out);
    for (int k = 0; k < 5; ++k) EXPECT_DOUBLE_EQ(out[k], quantile(v, levels[k] / 100)) << n;
  }
  // numpy.percentile([1, 2, 3, 4], [5, 25, 50, 75, 95]) = [1.15, 1.75, 2.5, 3.25, 3.85]
  std::vector<double> v = {4, 1, 3, 2};
  double out[5];
  const double levels[5] = {5, 25, 50, 75, 95};
  detail::percentiles_in_place(v.data(), 4, levels, 5, out);
  const double expected[5] = {1.15, 1.75, 2.5, 3.25, 3.85};
  for (int k = 0; k < 5; ++k) EXPECT_NEAR(out[k], expected[k], 1e-12);
}

TEST(PlanNumerics, BulkUniformsAreBitIdenticalToPhiloxStream) {
  for (std::uint64_t stream : {0ull, 1ull, 12345ull, (2ull << 56) + 7}) {
    for (std::size_t n : {1u, 3u, 4u, 5u, 41u, 480u}) {
      std::vector<double> bulk(n);
      detail::fill_uniforms(0x1234567890abcdefull, stream, bulk.data(), n);
      PhiloxStream ref(0x1234567890abcdefull, stream);
      for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(bulk[i], ref.uniform()) << stream << " " << i;
    }
  }
}

TEST(PlanNumerics, BulkNormalsEqualTheScalarInverse) {
  std::vector<double> u(1000), z(1000);
  detail::fill_uniforms(3, 4, u.data(), u.size());
  detail::normals_from_uniforms(u.data(), z.data(), u.size(), 0.05, 0.12);
  for (std::size_t i = 0; i < u.size(); ++i)
    ASSERT_EQ(z[i], 0.05 + 0.12 * detail::inverse_normal_cdf(u[i])) << i;
}

TEST(PlanNumerics, LanePhiloxIsBitIdenticalToPhiloxStream) {
  // Lane l of a group draws the stream stream0 + l; word w of block b is uniform 4 b + w.
  const std::uint64_t seed = 0xfedcba9876543210ull, stream0 = (2ull << 56) + 1000;
  std::vector<PhiloxStream> ref;
  for (int l = 0; l < detail::kLanes; ++l) ref.emplace_back(seed, stream0 + static_cast<std::uint64_t>(l));
  for (std::uint64_t block = 0; block < 40; ++block) {
    detail::VecD u[4];
    detail::philox_lanes(static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32), block,
                         stream0, u);
    for (int w = 0; w < 4; ++w)
      for (int l = 0; l < detail::kLanes; ++l)
        ASSERT_EQ(u[w][l], ref[static_cast<std::size_t>(l)].uniform()) << block << " " << w << " " << l;
  }
}

TEST(PlanNumerics, PackedTailNormalsEqualTheScalarInverse) {
  // 4,800 uniforms (about 240 in the tails) through the packed-tail path, against the scalar
  // inverse element by element; includes the extreme uniforms of a 32-bit generator.
  const int n = 600;
  detail::LaneBuffer<detail::VecD> v(n);
  for (int s = 0; s < n; s += 4)
    detail::philox_lanes(7, 0, static_cast<std::uint64_t>(s / 4), 50, v.data() + s);
  v[3][5] = 0x1p-33;
  v[9][0] = 1.0 - 0x1p-33;
  v[10][7] = 0.02425;
  std::vector<double> u(n * detail::kLanes);
  for (int i = 0; i < n; ++i)
    for (int l = 0; l < detail::kLanes; ++l) u[static_cast<std::size_t>(i * detail::kLanes + l)] = v[i][l];
  detail::normals_in_place(v.data(), n, 0.05, 0.12);
  int tails = 0;
  for (int i = 0; i < n; ++i) {
    for (int l = 0; l < detail::kLanes; ++l) {
      const double p = u[static_cast<std::size_t>(i * detail::kLanes + l)];
      tails += (p < 0.02425 || p > 1 - 0.02425) ? 1 : 0;
      ASSERT_EQ(v[i][l], 0.05 + 0.12 * detail::inverse_normal_cdf(p)) << p;
    }
  }
  EXPECT_GT(tails, 150);
}

TEST(PlanNumerics, BranchFreeLogWithinOneUlpOfLibm) {
  // fdlibm's algorithm claims < 1 ulp; the tails of the inverse normal take log of (0, 0.025].
  std::mt19937_64 gen(17);
  std::uniform_real_distribution<double> e(-80.0, 5.0);
  for (int i = 0; i < 200000; ++i) {
    const double x = std::exp2(e(gen));
    const double exact = std::log(x);
    const double got = detail::acklam::log_positive(x);
    ASSERT_LE(std::fabs(got - exact), std::fabs(std::nextafter(exact, 0.0) - exact) * 1.0 + 1e-300) << x;
  }
  EXPECT_EQ(detail::acklam::log_positive(1.0), 0.0);
}

// Columns shaped like the engine's: a spike at zero (failed trials), a spike at the maximum
// (equal spending of surviving trials), smooth and heavy-tailed parts, negative values, values
// outside the sample's range, a constant column.
TEST(PlanNumerics, PercentilesByCountingMatchNumpyLinearRule) {
  std::mt19937_64 gen(23);
  std::lognormal_distribution<double> heavy(12.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double levels[5] = {5, 25, 50, 75, 95};
  std::vector<std::vector<double>> columns;
  for (std::size_t n : {4096u, 5000u, 10007u, 100000u}) {
    std::vector<double> a(n), b(n), c(n), d(n, 42.5), e(n), f(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = u(gen);
      a[i] = x < 0.6 ? 0.0 : heavy(gen);                           // 60 % zeros
      b[i] = x < 0.3 ? 0.0 : x < 0.32 ? 40'000 * u(gen) : 40'000;  // spending
      c[i] = heavy(gen) - 200'000;                                 // negatives
      e[i] = std::floor(u(gen) * 7) * 1000;                        // seven tied values
      f[i] = i == n / 3 ? 1e12 : i == n / 2 ? -1e12 : u(gen);      // outliers off the sample
    }
    columns.insert(columns.end(), {a, b, c, d, e, f});
  }
  for (const auto& col : columns) {
    std::vector<double> sorted = col;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::uint32_t> idx(col.size());
    double out[5];
    detail::percentiles_by_counting(col.data(), col.size(), levels, 5, out, idx.data());
    for (int k = 0; k < 5; ++k) {
      // Same order statistics; h = (n - 1) p is rounded in a different order than keel::quantile.
      const double q = quantile_sorted(sorted, levels[k] / 100);
      ASSERT_NEAR(out[k], q, 1e-12 * (1 + std::fabs(q))) << col.size() << " level " << levels[k];
    }
  }
}

}  // namespace
}  // namespace keel::plan
