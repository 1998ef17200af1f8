#include "keel/options/black_scholes.h"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "bsm_batch.h"
#include "bsm_kernel.h"
#include "format_number.h"
#include "keel/core/error.h"

namespace keel::options {
namespace {

std::string field_problem(const char* name, double x, bool non_negative) {
  if (!std::isfinite(x)) return std::string(name) + " must be a finite number, got " + detail::num(x);
  if (non_negative && x < 0.0) return std::string(name) + " must be >= 0, got " + detail::num(x);
  return {};
}

detail::BatchIn batch_in(const BsmColumns& in) {
  return {in.right.data(), in.spot.data(), in.strike.data(), in.years.data(),
          in.vol.data(),   in.rate.data(), in.div.data()};
}

}  // namespace

void detail::check_columns(const BsmColumns& in, std::size_t out_size) {
  const std::size_t n = in.size();
  if (in.right.size() != n || in.strike.size() != n || in.years.size() != n || in.vol.size() != n ||
      in.rate.size() != n || in.div.size() != n || out_size != n) {
    throw Error::invalid_input("option columns differ in length");
  }
  if (detail::count_invalid(n, batch_in(in)) == 0) return;
  std::vector<std::string> details;
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // Fast path: one branch for the common valid element.
    if (in.spot[i] >= 0.0 && in.strike[i] >= 0.0 && in.years[i] >= 0.0 && in.vol[i] >= 0.0 &&
        std::isfinite(in.spot[i] + in.strike[i] + in.years[i] + in.vol[i] + in.rate[i] + in.div[i])) {
      continue;
    }
    ++bad;
    if (details.size() < 50) {
      const BsmInputs row{in.right[i], in.spot[i], in.strike[i], in.years[i],
                          in.vol[i],   in.rate[i], in.div[i]};
      details.push_back(fmt::format("option {}: {}", i, bsm_input_problem(row)));
    }
  }
  if (bad > details.size()) details.push_back(fmt::format("... and {} more", bad - details.size()));
  if (bad > 0) throw Error::invalid_input(fmt::format("{} invalid option input(s)", bad), details);
}

namespace {

void check_scalar(const BsmInputs& in) {
  std::string problem = bsm_input_problem(in);
  if (!problem.empty()) throw Error::invalid_input("invalid option input: " + problem);
}

}  // namespace

std::string bsm_input_problem(const BsmInputs& in) {
  for (const auto& p : {field_problem("spot", in.spot, true), field_problem("strike", in.strike, true),
                        field_problem("vol", in.vol, true), field_problem("rate", in.rate, false),
                        field_problem("dividend yield", in.div, false)}) {
    if (!p.empty()) return p;
  }
  if (!std::isfinite(in.years)) return "years to expiry must be a finite number, got " + detail::num(in.years);
  if (in.years < 0.0) {
    return "the option has expired (years to expiry " + detail::num(in.years) + " < 0)";
  }
  return {};
}

double bsm_price(const BsmInputs& in) {
  check_scalar(in);
  return detail::bsm_price_row(detail::sign_of(in.right), in.spot, in.strike, in.years, in.vol,
                               in.rate, in.div);
}

Greeks bsm_greeks(const BsmInputs& in) {
  check_scalar(in);
  return detail::bsm_row(detail::sign_of(in.right), in.spot, in.strike, in.years, in.vol, in.rate,
                         in.div);
}

HigherGreeks bsm_higher_greeks(const BsmInputs& in) {
  check_scalar(in);
  HigherGreeks h;
  const double t = in.years;
  const double sqrt_t = std::sqrt(t);
  const double sd = in.vol * sqrt_t;
  if (!(sd >= kMinStdDev) || !(in.spot > 0.0) || !(in.strike > 0.0)) return h;
  const double w = detail::sign_of(in.right);
  const double b = in.rate - in.div;
  const double dq = std::exp(-in.div * t);
  const double d1 = (std::log(in.spot / in.strike) + b * t) / sd + 0.5 * sd;
  const double d2 = d1 - sd;
  const double pdf = detail::norm_pdf(d1);
  // Haug 2.2.1 (vanna = DdeltaDvol), 2.3.3 (volga = DvegaDvol), 2.2.3 (charm, as -d delta/dT).
  h.vanna = -dq * pdf * d2 / in.vol;
  h.volga = in.spot * dq * pdf * sqrt_t * d1 * d2 / in.vol;
  h.charm = -dq * (pdf * (b / sd - d2 / (2.0 * t)) - w * in.div * detail::norm_cdf(w * d1));
  return h;
}

void bsm_price_batch(const BsmColumns& in, std::span<double> price) {
  detail::check_columns(in, price.size());
  detail::bsm_batch(in.size(), batch_in(in), {price.data(), nullptr, nullptr, nullptr, nullptr, nullptr});
}

void bsm_greeks_batch(const BsmColumns& in, const GreekColumns& out) {
  const std::size_t n = in.size();
  if (out.delta.size() != n || out.gamma.size() != n || out.vega.size() != n ||
      out.theta.size() != n || out.rho.size() != n) {
    throw Error::invalid_input("Greek output columns differ in length from the inputs");
  }
  detail::check_columns(in, out.price.size());
  detail::bsm_batch(n, batch_in(in),
                    {out.price.data(), out.delta.data(), out.gamma.data(), out.vega.data(),
                     out.theta.data(), out.rho.data()});
}

}  // namespace keel::options
