#include "factors_inputs.h"

#include <cmath>

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/io/csv.h"
#include "keel/risk/covariance.h"
#include "keel/store/store.h"

namespace keel::service::detail {

LoadedFactors load_factors(const Context& cx, const FactorDataSource& fs, std::optional<Date> from,
                           std::optional<Date> to) {
  LoadedFactors out;
  Store* store = cx.store;
  if (fs.file) {
    std::unique_ptr<ByteSource> file;
    try {
      file = cx.env.files.open(*fs.file, "factors");
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kNotFound) throw Error::not_found("factor file not found: " + *fs.file);
      throw;
    }
    Diagnostics diags;
    io::CsvReader csv = io::CsvReader::open(std::move(file), diags);
    out.table = io::read_factors(csv, fs.units, diags);
    diags.throw_if_errors("cannot read factors from " + *fs.file);
    for (const auto& w : diags.warnings()) out.warnings.push_back(w.to_string());
    out.source = *fs.file;
    if (fs.units == io::RateUnits::kDecimal) {
      double biggest = 0.0;
      for (double v : out.table.values) biggest = std::max(biggest, std::abs(v));
      if (biggest > 0.5) {
        out.warnings.push_back(fmt::format("{}: a daily factor return of {:f} (over 50%) as decimals; if the file is "
                                           "in percent (as the Fama-French files are), give factor_units percent",
                                           *fs.file, biggest));
      }
    }
    return out;
  }
  if (store == nullptr) {
    throw Error::not_found("no factor data: name a factor file (factors, with factor_units percent for the "
                           "Fama-French files) or import a set with `keel import factors FILE --set " + fs.set + "`");
  }
  out.table = store->factors(fs.set, from, to);
  out.source = "factor set '" + fs.set + "' in the store";
  if (out.table.rows() == 0) {
    throw Error::not_found("no factor returns in the store's set '" + fs.set +
                           (from && to ? "' between " + from->to_string() + " and " + to->to_string() : "'") +
                           ": import them with `keel import factors FILE --set " + fs.set +
                           " --factor-units percent` or name a factor file (factors)");
  }
  return out;
}

ComputeCost factor_model_cost(std::string_view operation, std::size_t window, std::size_t assets, std::size_t factors) {
  const double w = static_cast<double>(window), n = static_cast<double>(assets), k = static_cast<double>(factors) + 1.0;
  ComputeCost cost;
  cost.operation = std::string(operation);
  cost.engine = Engine::kRegression;
  cost.steps = w * n * k * k;
  cost.memory_bytes = 8.0 * w * (n + k) + 8.0 * n * (k + 4.0);
  cost.formula = fmt::format("window {} x assets {} x (factors {} + 1)^2", window, assets, factors);
  cost.parameter = "window, the book's assets (positions)";
  return cost;
}

BookFactorInputs load_book_factor_model(const Context& cx, const RiskInputsRequest& inputs,
                                        const FactorDataSource& fs, std::size_t window, double periods_per_year,
                                        std::string_view operation) {
  if (window < 2) throw Error::invalid_input(fmt::format("window must be at least 2 returns, got {}", window));
  BookFactorInputs b;
  b.inputs = load_risk_inputs(cx, inputs);
  b.returns = risk_returns(b.inputs, inputs, window);
  LoadedFactors lf = load_factors(cx, fs, b.returns.dates.front(), b.returns.dates.back());
  b.inputs.warnings.insert(b.inputs.warnings.end(), lf.warnings.begin(), lf.warnings.end());
  b.factor_source = lf.source;
  b.aligned = factors::align_factors(b.returns.dates, lf.table, {fs.rf_column, lf.source});
  if (!b.aligned.has_rf) {
    b.inputs.warnings.push_back(lf.source + " has no '" + fs.rf_column +
                                "' column: returns are regressed as they are, not in excess of a risk-free rate");
  }
  if (b.aligned.compounded > 0) {
    b.inputs.warnings.push_back(fmt::format("{} return(s) span more than one factor date (a gap in some price "
                                            "series); their factor returns are compounded over the gap",
                                            b.aligned.compounded));
  }
  admit_now(cx, factor_model_cost(operation, b.returns.rows(), b.returns.cols(), b.aligned.names.size()));
  b.model = factors::fit_book_factor_model(b.inputs.risk_book, b.returns, b.aligned, {periods_per_year});
  return b;
}

Eigen::MatrixXd factor_covariance(const factors::AlignedFactors& aligned) {
  risk::ReturnMatrix m;
  m.dates = aligned.dates;
  m.symbols = aligned.names;
  m.values = aligned.values;
  return risk::sample_covariance(m);
}

}  // namespace keel::service::detail
