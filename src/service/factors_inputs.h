// Private: factor data loading and the factor model of a book, shared by factors*.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/factors/alignment.h"
#include "keel/factors/book_model.h"
#include "keel/factors/stress.h"
#include "keel/risk/covariance.h"
#include "keel/service/admission.h"
#include "keel/service/factors.h"
#include "risk_inputs.h"

namespace keel::service::detail {

struct LoadedFactors {
  FactorTable table;
  std::string source;  // "file.csv" or "factor set 'ff5' in the store"
  std::vector<std::string> warnings;
};

// From the file (through cx.env.files), or the store's set between from and to. Throws
// keel::Error: not_found for a missing file or an absent/empty set (saying how to import one);
// invalid_input for a bad file; forbidden when the face may not read files.
LoadedFactors load_factors(const Context& cx, const FactorDataSource& source, std::optional<Date> from = std::nullopt,
                           std::optional<Date> to = std::nullopt);

struct BookFactorInputs {
  RiskInputs inputs;
  risk::ReturnMatrix returns;
  factors::AlignedFactors aligned;
  factors::BookFactorModel model;
  std::string factor_source;
};

// The regressions of `assets` on `factors` over `window` returns: window x assets x (factors +
// 1)^2 steps of Engine::kRegression, holding the returns, the factors and the betas.
ComputeCost factor_model_cost(std::string_view operation, std::size_t window, std::size_t assets, std::size_t factors);

// Loads the book, its last `window` returns and the factors; admits the fit (factor_model_cost,
// named `operation` in a refusal) and fits the model.
BookFactorInputs load_book_factor_model(const Context& cx, const RiskInputsRequest& inputs, const FactorDataSource& fs,
                                        std::size_t window, double periods_per_year, std::string_view operation);

// The sample covariance of the aligned factor returns (K x K, per day).
Eigen::MatrixXd factor_covariance(const factors::AlignedFactors& aligned);

}  // namespace keel::service::detail
