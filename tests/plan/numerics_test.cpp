// The engine's private numerics against independent implementations: Acklam's inverse normal
// against Boost.Math's quantile (keel::normal_quantile), and the in-place percentile selection
// against a full sort with numpy's linear rule (keel::quantile).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "../../src/plan/fast_normal.h"
#include "../../src/plan/philox_uniforms.h"
#include "../../src/plan/quantiles.h"
#include "keel/core/distributions.h"
#include "keel/core/rng.h"
#include "keel/core/stats.h"

namespace keel::plan {
namespace {

TEST(PlanNumerics, AcklamInverseNormalWithinItsStatedError) {
  // Acklam (2003): relative error < 1.15e-9 over the whole range.
  for (double p : {1e-9, 1e-6, 0.001, 0.02, 0.02425, 0.0243, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575,
                   0.98, 0.999, 1 - 1e-6}) {
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

TEST(PlanNumerics, PortablePhiloxBatchEqualsTheDispatchedOne) {
  // The dispatched batch is the AVX2 one on machines that have it; the portable one must agree.
  for (std::uint64_t first : {0ull, 16ull, 0xFFFFFFF8ull}) {
    double a[4 * detail::kPhiloxBatch], b[4 * detail::kPhiloxBatch];
    detail::philox_batch(0x9abcdef0u, 0x12345678u, first, (1ull << 56) + 3, a);
    detail::philox_batch_dispatch(0x9abcdef0u, 0x12345678u, first, (1ull << 56) + 3, b);
    for (std::size_t i = 0; i < 4 * detail::kPhiloxBatch; ++i) ASSERT_EQ(a[i], b[i]) << first << " " << i;
  }
}

TEST(PlanNumerics, BulkNormalsEqualTheScalarInverse) {
  std::vector<double> u(1000), z(1000);
  detail::fill_uniforms(3, 4, u.data(), u.size());
  detail::normals_from_uniforms(u.data(), z.data(), u.size(), 0.05, 0.12);
  for (std::size_t i = 0; i < u.size(); ++i)
    ASSERT_EQ(z[i], 0.05 + 0.12 * detail::inverse_normal_cdf(u[i])) << i;
}

}  // namespace
}  // namespace keel::plan
