#include "keel/risk/backtest.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "keel/core/distributions.h"
#include "keel/core/error.h"
#include "keel/core/stats.h"

namespace keel::risk {
namespace {

// x ln y with 0 ln 0 = 0.
double xlogy(double x, double y) { return x == 0.0 ? 0.0 : x * std::log(y); }

void check_confidence(double c) {
  if (!(c > 0.0 && c < 1.0)) {
    throw Error::invalid_input(fmt::format("confidence must lie strictly between 0 and 1, got {:f}", c));
  }
}

}  // namespace

LikelihoodRatio kupiec_pof(std::size_t observations, std::size_t exceptions, double confidence) {
  check_confidence(confidence);
  if (observations == 0) throw Error::invalid_input("Kupiec test needs at least one observation");
  if (exceptions > observations) {
    throw Error::invalid_input("more exceptions than observations");
  }
  const double n = static_cast<double>(observations);
  const double x = static_cast<double>(exceptions);
  const double p = 1.0 - confidence;
  const double phat = x / n;
  LikelihoodRatio out;
  out.df = 1;
  out.lr = -2.0 * (xlogy(n - x, 1.0 - p) + xlogy(x, p)) + 2.0 * (xlogy(n - x, 1.0 - phat) + xlogy(x, phat));
  out.lr = std::max(out.lr, 0.0);
  out.p_value = chi_squared_sf(out.lr, 1.0);
  return out;
}

LikelihoodRatio christoffersen_independence(std::span<const std::uint8_t> exceptions) {
  if (exceptions.size() < 2) throw Error::invalid_input("independence test needs at least 2 days");
  double n00 = 0, n01 = 0, n10 = 0, n11 = 0;
  for (std::size_t t = 1; t < exceptions.size(); ++t) {
    const bool prev = exceptions[t - 1] != 0;
    const bool curr = exceptions[t] != 0;
    if (!prev && !curr) ++n00;
    if (!prev && curr) ++n01;
    if (prev && !curr) ++n10;
    if (prev && curr) ++n11;
  }
  const double pi0 = (n00 + n01) > 0 ? n01 / (n00 + n01) : 0.0;
  const double pi1 = (n10 + n11) > 0 ? n11 / (n10 + n11) : 0.0;
  const double pi = (n01 + n11) / (n00 + n01 + n10 + n11);
  LikelihoodRatio out;
  out.df = 1;
  const double restricted = xlogy(n00 + n10, 1.0 - pi) + xlogy(n01 + n11, pi);
  const double unrestricted =
      xlogy(n00, 1.0 - pi0) + xlogy(n01, pi0) + xlogy(n10, 1.0 - pi1) + xlogy(n11, pi1);
  out.lr = std::max(0.0, -2.0 * restricted + 2.0 * unrestricted);
  out.p_value = chi_squared_sf(out.lr, 1.0);
  return out;
}

LikelihoodRatio conditional_coverage(const LikelihoodRatio& pof, const LikelihoodRatio& ind) {
  LikelihoodRatio out;
  out.df = 2;
  out.lr = pof.lr + ind.lr;
  out.p_value = chi_squared_sf(out.lr, 2.0);
  return out;
}

std::string_view traffic_light_name(TrafficLight z) {
  switch (z) {
    case TrafficLight::kGreen: return "green";
    case TrafficLight::kYellow: return "yellow";
    case TrafficLight::kRed: return "red";
  }
  return "green";
}

TrafficLight traffic_light(std::size_t observations, std::size_t exceptions, double confidence) {
  check_confidence(confidence);
  if (observations == 0) throw Error::invalid_input("traffic light needs at least one observation");
  const double f = binomial_cdf(static_cast<int>(exceptions), static_cast<int>(observations),
                                1.0 - confidence);
  // Tolerance for the binomial's rounding at the exact boundaries.
  if (f >= 0.9999 - 1e-12) return TrafficLight::kRed;
  if (f >= 0.95 - 1e-12) return TrafficLight::kYellow;
  return TrafficLight::kGreen;
}

double basel_plus_factor(std::size_t observations, std::size_t exceptions, double confidence) {
  const TrafficLight zone = traffic_light(observations, exceptions, confidence);
  if (zone == TrafficLight::kGreen) return 0.0;
  if (zone == TrafficLight::kRed) return 1.0;
  // The 250-day, 99% count of the same cumulative probability.
  const double f = binomial_cdf(static_cast<int>(exceptions), static_cast<int>(observations), 1.0 - confidence);
  int k = 5;
  while (k < 9 && binomial_cdf(k, 250, 0.01) < f - 1e-12) ++k;
  constexpr double kFactor[] = {0.40, 0.50, 0.65, 0.75, 0.85};  // 5 .. 9 exceptions
  return kFactor[k - 5];
}

BacktestResult backtest_var(std::span<const double> pnl, const BacktestOptions& options) {
  check_confidence(options.confidence);
  if (options.window < 2) throw Error::invalid_input("backtest window must be at least 2 days");
  if (pnl.size() < options.window + 2) {
    throw Error::invalid_input(fmt::format("backtest needs more than window + 1 = {} days of P&L, got {}",
                                           options.window + 1, pnl.size()));
  }
  if (options.method == VarMethod::kMonteCarlo) {
    throw Error::invalid_input("backtest supports the historical and parametric methods");
  }
  if (options.method == VarMethod::kParametric &&
      options.covariance.method == CovarianceMethod::kLedoitWolf) {
    throw Error::invalid_input("parametric backtest supports the sample and ewma estimators");
  }
  const std::size_t w = options.window;
  const double c = options.confidence;
  const double z = normal_quantile(c);
  std::vector<double> ewma_weight;
  if (options.method == VarMethod::kParametric &&
      options.covariance.method == CovarianceMethod::kEwma) {
    const double lambda = options.covariance.ewma_lambda;
    if (!(lambda > 0.0 && lambda < 1.0)) {
      throw Error::invalid_input("EWMA lambda must lie strictly between 0 and 1");
    }
    ewma_weight.resize(w);
    const double norm = (1.0 - lambda) / (1.0 - std::pow(lambda, static_cast<double>(w)));
    double f = 1.0;
    for (std::size_t i = 0; i < w; ++i) {
      ewma_weight[w - 1 - i] = norm * f;  // oldest first
      f *= lambda;
    }
  }

  BacktestResult out;
  out.observations = pnl.size() - w;
  out.var.resize(out.observations);
  out.exception.resize(out.observations);
  std::vector<double> buf(w);
  for (std::size_t t = w; t < pnl.size(); ++t) {
    const auto window = pnl.subspan(t - w, w);
    double var = 0.0;
    if (options.method == VarMethod::kHistorical) {
      buf.assign(window.begin(), window.end());
      var = tail_risk(buf, c).var;
    } else if (!ewma_weight.empty()) {
      double s2 = 0.0;
      for (std::size_t i = 0; i < w; ++i) s2 += ewma_weight[i] * window[i] * window[i];
      var = z * std::sqrt(s2);
    } else {
      var = z * stddev(window);
    }
    const std::size_t k = t - w;
    out.var[k] = var;
    out.exception[k] = pnl[t] < -var ? 1 : 0;
    out.exceptions += out.exception[k];
  }
  out.expected_exceptions = static_cast<double>(out.observations) * (1.0 - c);
  out.kupiec = kupiec_pof(out.observations, out.exceptions, c);
  out.christoffersen = christoffersen_independence(out.exception);
  out.conditional_coverage = conditional_coverage(out.kupiec, out.christoffersen);
  out.zone = traffic_light(out.observations, out.exceptions, c);
  out.plus_factor = basel_plus_factor(out.observations, out.exceptions, c);
  return out;
}

}  // namespace keel::risk
