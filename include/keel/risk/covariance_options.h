// keel/risk/covariance_options.h: which covariance estimator a calculation uses, without the
// estimators themselves (keel/risk/covariance.h, which brings in Eigen). Request and options
// structs include this header so that the many files that only name an estimator do not compile
// Eigen's headers.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace keel::risk {

enum class CovarianceMethod { kSample, kEwma, kLedoitWolf };

// "sample", "ewma", "ledoit-wolf"; parse also accepts "lw" and "ledoit_wolf".
std::string_view covariance_method_name(CovarianceMethod m);
std::optional<CovarianceMethod> parse_covariance_method(std::string_view text);

struct CovarianceOptions {
  CovarianceMethod method = CovarianceMethod::kSample;
  double ewma_lambda = 0.94;  // RiskMetrics daily decay; must lie in (0, 1)
};

}  // namespace keel::risk
