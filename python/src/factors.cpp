// python/src/factors.cpp: factor betas (OLS with intercept) of many return series at once, through
// keel::factors::fit_factor_model (one Cholesky of the centred design, one matrix product).
#include <fmt/format.h>

#include "bindings.h"
#include "keel/core/error.h"
#include "keel/factors/regression.h"

namespace keel::python {

void bind_factors(py::module_& m) {
  m.def(
      "fit_factor_model",
      [](const DoubleArray& y, const DoubleArray& x, const std::vector<std::string>& factor_names,
         double periods_per_year, bool per_series_missing) {
        if (y.ndim() != 2 || x.ndim() != 2)
          throw Error::invalid_input("returns and factors must be 2-D (dates x series, dates x factors)");
        if (y.shape(0) != x.shape(0))
          throw Error::invalid_input(
              fmt::format("returns have {} dates but factors have {}", y.shape(0), x.shape(0)));
        const auto n_series = static_cast<std::size_t>(y.shape(1));
        const auto n_factors = static_cast<std::size_t>(x.shape(1));
        factors::OlsOptions options;
        options.periods_per_year = periods_per_year;
        options.missing = per_series_missing ? factors::MissingReturns::kPerSeries : factors::MissingReturns::kError;
        factors::FactorFits f;
        {
          py::gil_scoped_release release;
          f = factors::fit_factor_model(span_of(y), n_series, span_of(x), n_factors, options, factor_names);
        }
        auto matrix = [&](const std::vector<double>& v) {
          py::array_t<double> a({static_cast<py::ssize_t>(f.series), static_cast<py::ssize_t>(f.factors)});
          std::copy(v.begin(), v.end(), a.mutable_data());
          return a;
        };
        auto vector = [](const auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
          std::copy(v.begin(), v.end(), a.mutable_data());
          return a;
        };
        py::dict out;
        out["observations"] = f.observations;
        out["series_observations"] = vector(f.series_observations);
        out["betas"] = matrix(f.betas);
        out["beta_se"] = matrix(f.beta_se);
        out["beta_t"] = matrix(f.beta_t);
        out["alpha"] = vector(f.alpha);
        out["alpha_annual"] = vector(f.alpha_annual);
        out["alpha_se"] = vector(f.alpha_se);
        out["alpha_t"] = vector(f.alpha_t);
        out["r2"] = vector(f.r2);
        out["adj_r2"] = vector(f.adj_r2);
        out["residual_vol"] = vector(f.residual_vol);
        out["residual_vol_annual"] = vector(f.residual_vol_annual);
        return out;
      },
      py::arg("returns"), py::arg("factors"), py::arg("factor_names"), py::arg("periods_per_year"),
      py::arg("per_series_missing"));
}

}  // namespace keel::python
