#include "keel/core/distributions.h"

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <fmt/format.h>
#include <string>

#include "keel/core/error.h"

namespace keel {
namespace {
void check_probability(double p) {
  if (!(p > 0.0 && p < 1.0)) {
    throw Error::invalid_input(fmt::format("probability must lie strictly between 0 and 1, got {:f}", p));
  }
}
}  // namespace

double normal_pdf(double x) { return boost::math::pdf(boost::math::normal_distribution<>(), x); }
double normal_cdf(double x) { return boost::math::cdf(boost::math::normal_distribution<>(), x); }
double normal_quantile(double p) {
  check_probability(p);
  return boost::math::quantile(boost::math::normal_distribution<>(), p);
}
double student_t_cdf(double x, double df) {
  return boost::math::cdf(boost::math::students_t_distribution<>(df), x);
}
double student_t_quantile(double p, double df) {
  check_probability(p);
  return boost::math::quantile(boost::math::students_t_distribution<>(df), p);
}
double chi_squared_sf(double x, double df) {
  if (x <= 0) return 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<>(df), x));
}
double binomial_cdf(int k, int n, double p) {
  if (k < 0) return 0.0;
  if (k >= n) return 1.0;
  return boost::math::cdf(boost::math::binomial_distribution<>(n, p), k);
}

}  // namespace keel
