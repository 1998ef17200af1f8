// python/src/risk.cpp: value at risk from numpy arrays: a return matrix with delta exposures (the
// engine's RiskBook built straight from the arrays), or a positions table with a price matrix (the
// `keel risk var` use case on in-memory inputs: options revalued in full, contributions).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "bindings.h"
#include "book_inputs.h"
#include "keel/core/error.h"
#include "keel/risk/var.h"
#include "keel/service/imports.h"
#include "keel/service/risk.h"
#include "keel/service/risk_runs.h"

namespace keel::python {

service::RiskVarRequest var_request(const std::string& request_json) {
  // The API's VaR request read by its own description: its names, defaults, choices and ranges
  // (keel/service/risk.h), the checks of every face; keel.var's keyword arguments are its fields
  // (python/keel/_spec.py).
  service::RiskVarRequest req;
  spec::read_json(nlohmann::json::parse(request_json), req, "VaR options");
  return req;
}

std::shared_ptr<const service::LoadedPrices> loaded_prices(const std::vector<Position>& positions,
                                                           const DoubleArray& prices, const py::object& closes,
                                                           const DayArray& days,
                                                           const std::vector<std::string>& symbols,
                                                           std::optional<Date> as_of) {
  const std::size_t rows = static_cast<std::size_t>(days.size());
  const std::size_t cols = symbols.size();
  if (prices.ndim() != 2 || static_cast<std::size_t>(prices.shape(0)) != rows ||
      static_cast<std::size_t>(prices.shape(1)) != cols)
    throw Error::invalid_input(fmt::format(
        "prices: expected a dates x symbols matrix matching its index ({} dates) and columns ({} symbols)",
        rows, cols));
  DoubleArray raw = closes.is_none() ? prices : py::cast<DoubleArray>(closes);
  if (raw.ndim() != 2 || raw.shape(0) != prices.shape(0) || raw.shape(1) != prices.shape(1))
    throw Error::invalid_input("closes: expected the same shape as prices");
  // The book's price symbols in order of first appearance, as service::load_book lays them out.
  std::vector<std::string> wanted;
  for (const auto& p : positions) {
    const std::string& s = p.price_symbol();
    if (!s.empty() && std::find(wanted.begin(), wanted.end(), s) == wanted.end()) wanted.push_back(s);
  }
  std::vector<std::ptrdiff_t> column(wanted.size(), -1);
  for (std::size_t w = 0; w < wanted.size(); ++w) {
    const auto it = std::find(symbols.begin(), symbols.end(), wanted[w]);
    if (it != symbols.end()) column[w] = it - symbols.begin();
  }
  const std::vector<Date> dates = dates_of(days);
  for (std::size_t t = 1; t < rows; ++t) {
    if (!(dates[t - 1] < dates[t]))
      throw Error::invalid_input("prices: dates must be strictly increasing (" + dates[t - 1].to_string() +
                                 " is followed by " + dates[t].to_string() + ")");
  }
  const double* p = prices.data();
  const double* r = raw.data();
  auto out = std::make_shared<service::LoadedPrices>();
  for (PriceHistory* h : {&out->prices, &out->closes}) h->symbols = wanted;
  for (std::size_t t = 0; t < rows; ++t) {
    if (as_of && *as_of < dates[t]) break;
    bool any = false;
    for (const auto c : column) any = any || (c >= 0 && !std::isnan(p[t * cols + static_cast<std::size_t>(c)]));
    if (!any) continue;  // like pivot_prices: only dates where a wanted symbol has a price
    out->prices.dates.push_back(dates[t]);
    out->closes.dates.push_back(dates[t]);
    for (const auto c : column) {
      const std::size_t at = t * cols + static_cast<std::size_t>(c);
      out->prices.values.push_back(c >= 0 ? p[at] : kMissing);
      out->closes.values.push_back(c >= 0 ? r[at] : kMissing);
    }
  }
  return out;
}

std::vector<Position> positions_from_text(const std::string& name, const std::string& csv_text,
                                          std::vector<std::string>* warnings) {
  return service::read_positions_file({name, csv_text}, warnings);
}

void bind_risk(py::module_& m) {
  m.def(
      "var_exposures",
      [](const DoubleArray& returns, const DoubleArray& exposures, const std::vector<std::string>& symbols,
         const DayArray& days, const std::string& opts) {
        if (returns.ndim() != 2)
          throw Error::invalid_input(
              fmt::format("returns: expected a 2-D dates x assets array, got {} dimensions", returns.ndim()));
        const auto rows = static_cast<std::size_t>(returns.shape(0));
        const auto cols = static_cast<std::size_t>(returns.shape(1));
        if (static_cast<std::size_t>(exposures.size()) != cols || symbols.size() != cols)
          throw Error::invalid_input(
              fmt::format("positions: {} exposures for {} return columns", exposures.size(), cols));
        if (static_cast<std::size_t>(days.size()) != rows)
          throw Error::invalid_input(
              fmt::format("returns: index of {} dates for {} rows", days.size(), rows));
        const service::RiskVarRequest request = var_request(opts);
        if (request.methods.size() != 1) {
          throw Error::invalid_input("invalid VaR options", {"method: one method for exposures"});
        }
        const risk::VarMethod vm = request.methods.front();
        const risk::VarOptions& options = request.var;
        risk::VarResult r;
        {
          py::gil_scoped_release release;
          // The engine owns its inputs: one copy of the matrix (T x N doubles).
          risk::ReturnMatrix matrix;
          matrix.dates = dates_of(days);
          matrix.symbols = symbols;
          matrix.values.assign(returns.data(), returns.data() + rows * cols);
          for (std::size_t i = 0; i < matrix.values.size(); ++i) {
            if (!std::isfinite(matrix.values[i]))
              throw Error::invalid_input(
                  fmt::format("returns: value at row {}, column '{}' is not a finite number", i / cols,
                              symbols[i % cols]));
          }
          risk::RiskBook book;
          book.assets = symbols;
          for (std::size_t a = 0; a < cols; ++a) {
            const double e = exposures.data()[a];
            if (!std::isfinite(e))
              throw Error::invalid_input("positions: exposure of '" + symbols[a] + "' is not a finite number");
            book.ids.push_back(symbols[a]);
            book.asset.push_back(a);
            book.value.push_back(e);
            book.exposure.push_back(e);
            book.gamma_exposure.push_back(0.0);
            book.units.push_back(0.0);
            book.spot.push_back(0.0);
            book.option.emplace_back();
          }
          r = risk::compute_var(vm, book, matrix, options);
        }
        py::dict out;
        out["method"] = std::string(risk::var_method_name(r.method));
        out["confidence"] = r.confidence;
        out["horizon_days"] = r.horizon_days;
        out["var"] = r.var;
        out["es"] = r.es;
        out["volatility"] = r.volatility;
        out["scenarios"] = r.scenarios;
        out["std_error"] = r.std_error ? py::cast(*r.std_error) : py::none();
        out["warnings"] = r.warnings;
        return out;
      },
      py::arg("returns"), py::arg("exposures"), py::arg("symbols"), py::arg("dates"), py::arg("request"));

  m.def(
      "var_book",
      [](const std::string& positions_name, const std::string& positions_csv, const DoubleArray& prices,
         const py::object& closes, const DayArray& days, const std::vector<std::string>& symbols,
         std::optional<std::int32_t> as_of, const std::string& request, const std::optional<std::string>& currency,
         const std::optional<std::string>& fx_name, const std::optional<std::string>& fx_csv) {
        // Methods, window, VaR options, rate, div, vol_window and missing: the API's request.
        service::RiskVarRequest req = var_request(request);
        std::vector<std::string> warnings;
        auto positions = positions_from_text(positions_name, positions_csv, &warnings);
        const std::optional<Date> as_of_date =
            as_of ? std::optional<Date>(Date::from_serial(*as_of)) : std::nullopt;
        req.inputs.source.loaded_prices = loaded_prices(positions, prices, closes, days, symbols, as_of_date);
        req.inputs.source.positions = std::move(positions);
        req.inputs.source.positions_name = positions_name;
        req.inputs.source.as_of = as_of_date;
        req.inputs.source.currency = currency;
        std::string text;
        {
          py::gil_scoped_release release;
          const service::Context cx{};
          if (fx_csv) {
            // The caller's FX rates, read and checked as `keel import fx` reads a file.
            req.inputs.source.loaded_fx = std::make_shared<const FxRates>(
                FxRates(service::read_fx_file({fx_name.value_or("fx"), fx_csv}, {}, &warnings, cx.env.files)));
          }
          nlohmann::json j = spec::to_json(*service::run_var(cx, req).result);
          for (const auto& w : warnings) j["warnings"].push_back(w);
          text = j.dump();
        }
        return text;
      },
      py::arg("positions_name"), py::arg("positions_csv"), py::arg("prices"), py::arg("closes"), py::arg("dates"),
      py::arg("symbols"), py::arg("as_of"), py::arg("request"), py::arg("currency"), py::arg("fx_name"),
      py::arg("fx_csv"));
}

}  // namespace keel::python
