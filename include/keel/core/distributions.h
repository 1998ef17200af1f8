// keel/core/distributions.h: the few distribution functions engines need, from Boost.Math.
//
// All functions are pure and thread-safe. Quantile arguments must lie in (0, 1); out-of-range
// arguments throw keel::Error(invalid_input).
#pragma once

namespace keel {

double normal_pdf(double x);
double normal_cdf(double x);
double normal_quantile(double p);
double student_t_cdf(double x, double df);
double student_t_quantile(double p, double df);
// Upper tail P(X > x) of a chi-squared variable with `df` degrees of freedom (a p-value).
double chi_squared_sf(double x, double df);
// P(X <= k) for X ~ Binomial(n, p).
double binomial_cdf(int k, int n, double p);

}  // namespace keel
