// Tests of the small core pieces: tenors, strict number parsing, quantiles, distributions, errors.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "keel/core/distributions.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/stats.h"
#include "keel/core/tenor.h"

namespace keel {
namespace {

TEST(Tenor, ParsesMarketShorthand) {
  EXPECT_DOUBLE_EQ(Tenor::parse("3M")->years(), 0.25);
  EXPECT_DOUBLE_EQ(Tenor::parse("30y")->years(), 30.0);
  EXPECT_DOUBLE_EQ(Tenor::parse("2W")->years(), 14.0 / 365.0);
  EXPECT_DOUBLE_EQ(Tenor::parse("ON")->years(), 1.0 / 365.0);
  EXPECT_EQ(Tenor::parse("1m")->to_string(), "1M");
  EXPECT_FALSE(Tenor::parse("3Q"));
  EXPECT_FALSE(Tenor::parse("M"));
  EXPECT_FALSE(Tenor::parse("0Y"));
  EXPECT_FALSE(Tenor::parse("-1Y"));
  EXPECT_EQ(Tenor::parse("1M")->add_to(*Date::parse("2024-01-31")).to_string(), "2024-02-29");
}

TEST(Parse, StrictNumbers) {
  EXPECT_DOUBLE_EQ(*parse_double(" 12.5 "), 12.5);
  EXPECT_DOUBLE_EQ(*parse_double("-3"), -3.0);
  EXPECT_DOUBLE_EQ(*parse_double("+1e-4"), 1e-4);
  EXPECT_FALSE(parse_double("12abc"));
  EXPECT_FALSE(parse_double(""));
  EXPECT_FALSE(parse_double("nan"));
  EXPECT_FALSE(parse_double("inf"));
  EXPECT_FALSE(parse_double("1,000"));
  EXPECT_EQ(*parse_int("42"), 42);
  EXPECT_FALSE(parse_int("4.2"));
}

TEST(Quantile, MatchesNumpyLinearInterpolation) {
  // numpy.quantile([1..10], 0.05) = 1 + 0.45 * (2 - 1) = 1.45 (h = 9 * 0.05 = 0.45).
  std::vector<double> x = {7, 1, 3, 10, 2, 9, 4, 8, 6, 5};
  EXPECT_NEAR(quantile(x, 0.05), 1.45, 1e-12);
  EXPECT_NEAR(quantile(x, 0.5), 5.5, 1e-12);
  EXPECT_DOUBLE_EQ(quantile(x, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile(x, 1.0), 10.0);
  EXPECT_THROW(quantile(std::vector<double>{}, 0.5), Error);
}

TEST(Stats, MeanAndSampleStddev) {
  std::vector<double> x = {2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(mean(x), 5.0);
  // Sum of squared deviations 32, n - 1 = 7.
  EXPECT_NEAR(stddev(x), std::sqrt(32.0 / 7.0), 1e-12);
}

TEST(Distributions, KnownValues) {
  // Standard normal quantiles: z_0.99 = 2.326347874, z_0.975 = 1.959963985 (Abramowitz & Stegun 26.2).
  EXPECT_NEAR(normal_quantile(0.99), 2.3263478740408408, 1e-12);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(normal_cdf(0.0), 0.5, 1e-15);
  EXPECT_NEAR(normal_pdf(0.0), 1.0 / std::sqrt(2.0 * M_PI), 1e-15);
  // Student t with 5 df: t_0.99 = 3.364929997 (standard t tables).
  EXPECT_NEAR(student_t_quantile(0.99, 5), 3.3649299989, 1e-8);
  // Chi-squared(1) upper tail at 3.841459 is 0.05.
  EXPECT_NEAR(chi_squared_sf(3.841458820694124, 1), 0.05, 1e-12);
  // Binomial(250, 0.01): P(X <= 4) = 0.8922 (Basel 1996 backtesting table, green zone edge).
  EXPECT_NEAR(binomial_cdf(4, 250, 0.01), 0.8922, 1e-4);
  EXPECT_THROW(normal_quantile(1.0), Error);
  EXPECT_THROW(normal_quantile(0.0), Error);
}

TEST(Error, CategoriesMapToExitCodes) {
  EXPECT_EQ(exit_code(ErrorCode::kInvalidInput), 1);
  EXPECT_EQ(exit_code(ErrorCode::kUsage), 2);
  EXPECT_EQ(exit_code(ErrorCode::kNotFound), 3);
  EXPECT_EQ(exit_code(ErrorCode::kInternal), 4);
  EXPECT_EQ(error_code_name(ErrorCode::kNotFound), "not_found");
}

}  // namespace
}  // namespace keel
