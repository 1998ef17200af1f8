// The reference data of keel/service/reference_data.h.
#include "keel/service/reference_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "factors_inputs.h"
#include "keel/core/error.h"
#include "keel/factors/alignment.h"
#include "keel/io/scenario_reader.h"
#include "keel/risk/covariance.h"
#include "keel/store/store.h"

namespace keel::service {

ScenarioListResult stress_scenarios(const Context&) {
  const factors::ScenarioLibrary lib = io::builtin_scenarios();
  ScenarioListResult out;
  out.derived_by = lib.derived_by;
  out.factor_data = lib.factor_data;
  for (const auto& s : lib.scenarios) {
    ScenarioInfo i;
    i.name = s.name;
    i.label = s.label;
    i.kind = std::string(factors::scenario_kind_name(s.kind));
    i.description = s.description;
    if (s.start) i.start.emplace(s.start->to_string());
    if (s.end) i.end.emplace(s.end->to_string());
    for (const auto& sh : s.shocks) i.shocks[sh.factor] = sh.shock;
    i.daily_days = s.daily ? s.daily->rows() : 0;
    if (s.vol_shock) i.vol_shock.emplace(*s.vol_shock);
    i.source = s.source;
    out.scenarios.push_back(std::move(i));
  }
  return out;
}

FactorSetsResult factor_sets(const Context& cx) {
  Store& store = require_store(cx, "factor sets are read from the store (--db)");
  FactorSetsResult out;
  for (const auto& s : store.list_factor_sets()) {
    FactorSetInfo i;
    i.name = s.name;
    i.factors = s.factors;
    if (s.first) i.first_date.emplace(s.first->to_string());
    if (s.last) i.last_date.emplace(s.last->to_string());
    i.days = s.days;
    out.sets.push_back(std::move(i));
  }
  return out;
}

FactorCorrelationSetResult factor_correlation(const Context& cx, const FactorCorrelationRequest& req) {
  FactorDataSource source;
  source.set = req.set;
  source.rf_column = req.rf_column;
  const detail::LoadedFactors lf = detail::load_factors(cx, source, std::nullopt, req.to);
  const FactorTable& t = lf.table;
  std::vector<std::size_t> cols;
  FactorCorrelationSetResult out;
  out.set = req.set;
  for (std::size_t k = 0; k < t.names.size(); ++k) {
    if (t.names[k] == req.rf_column) continue;
    cols.push_back(k);
    out.factors.push_back(t.names[k]);
  }
  // The last `window` rows where every factor has a return.
  std::vector<std::size_t> rows;
  for (std::size_t r = t.rows(); r-- > 0 && rows.size() < req.window;) {
    bool all = true;
    for (const std::size_t k : cols) all = all && std::isfinite(t.at(r, k));
    if (all) rows.push_back(r);
  }
  std::reverse(rows.begin(), rows.end());
  if (rows.size() < 3 || cols.empty()) {
    throw Error::invalid_input(fmt::format("factor set {}: {} complete days of returns{}, at least 3 are needed", req.set,
                                           rows.size(), req.to ? " on or before " + req.to->to_string() : ""));
  }
  const std::size_t K = cols.size();
  risk::ReturnMatrix m;
  m.symbols = out.factors;
  for (const std::size_t r : rows) {
    m.dates.push_back(t.dates[r]);
    for (const std::size_t k : cols) m.values.push_back(t.at(r, k));
  }
  const Eigen::MatrixXd cov = risk::sample_covariance(m);
  const Eigen::MatrixXd corr = risk::correlation_from_covariance(cov);
  out.correlation.assign(K, std::vector<double>(K, 0.0));
  for (std::size_t i = 0; i < K; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    out.volatility.push_back(std::sqrt(cov(ii, ii) * 252.0));
    for (std::size_t j = 0; j < K; ++j) out.correlation[i][j] = corr(ii, static_cast<Eigen::Index>(j));
  }
  out.window = rows.size();
  out.first_date = t.dates[rows.front()].to_string();
  out.last_date = t.dates[rows.back()].to_string();
  return out;
}

}  // namespace keel::service
