#include "keel/service/construct.h"

#include <fmt/format.h>

#include <cmath>

#include "keel/construct/optimize.h"
#include "keel/core/error.h"
#include "keel/risk/covariance.h"
#include "risk_inputs.h"

namespace keel::service {
namespace {

constexpr double kDays = 252.0;

struct Prepared {
  detail::RiskInputs in;
  construct::Problem problem;
  std::size_t window = 0;
  std::vector<std::string> warnings;
};

Prepared prepare(const Context& cx, const OptimizeInputs& req) {
  if (req.window < 2) throw Error::invalid_input("window must be at least 2 returns");
  Prepared p{detail::load_risk_inputs(cx, req.inputs), {}, 0, {}};
  // The optimiser's assets are the return columns; a currency is not one to hold.
  if (p.in.risk_book.has_fx()) {
    std::string list;
    for (const auto& c : p.in.risk_book.fx_currencies) list += (list.empty() ? "" : ", ") + c;
    throw Error::invalid_input(fmt::format("optimize works in one currency: {} holds positions in {} and reports in {}",
                                           p.in.book.name, list, p.in.risk_book.currency));
  }
  const risk::ReturnMatrix returns = detail::risk_returns(p.in, req.inputs, req.window);
  const auto n = static_cast<Eigen::Index>(returns.cols());
  const auto t = static_cast<Eigen::Index>(returns.rows());
  construct::Problem& pb = p.problem;
  pb.symbols = returns.symbols;
  pb.covariance = risk::covariance(returns, req.covariance);
  pb.scenarios = Eigen::Map<const Eigen::Matrix<double, -1, -1, Eigen::RowMajor>>(returns.values.data(), t, n);
  pb.mean = pb.scenarios.colwise().mean().transpose();
  pb.risk_free = req.risk_free / kDays;
  pb.es_confidence = req.confidence;
  pb.periods_per_year = kDays;
  construct::Constraints& c = pb.constraints;
  c.long_only = req.long_only;
  if (req.min_weight) c.lower.assign(std::size_t(n), *req.min_weight);
  if (req.max_weight) c.upper.assign(std::size_t(n), *req.max_weight);
  // The book's weights: each driver's delta exposure over the book's value.
  const std::vector<double> e = p.in.risk_book.asset_exposures();
  const double value = p.in.risk_book.total_value();
  c.current.assign(std::size_t(n), 0.0);
  for (std::size_t i = 0; i < std::size_t(n) && i < e.size(); ++i) c.current[i] = value != 0.0 ? e[i] / value : 0.0;
  c.turnover = req.turnover;
  p.window = returns.rows();
  p.warnings = p.in.warnings;
  for (const auto& w : returns.warnings) p.warnings.push_back(w);
  return p;
}

std::map<std::string, double> by_symbol(const std::vector<std::string>& symbols, const std::vector<double>& v) {
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < symbols.size() && i < v.size(); ++i) out[symbols[i]] = v[i];
  return out;
}

FrontierPoint point(const construct::Problem& pb, const construct::Result& r, double rf) {
  FrontierPoint f;
  f.status = r.status;
  f.expected_return = r.expected_return * kDays;
  if (r.status == "optimal") {
    f.volatility = r.volatility * std::sqrt(kDays);
    f.sharpe = f.volatility > 0.0 ? (f.expected_return - rf) / f.volatility : 0.0;
    f.expected_shortfall = r.expected_shortfall;
    f.weights = by_symbol(pb.symbols, r.weights);
  }
  return f;
}

}  // namespace

OptimizeResult optimize(const Context& cx, const OptimizeRequest& req) {
  Prepared p = prepare(cx, req.inputs);
  construct::Spec spec;
  spec.objective = req.objective;
  if (req.objective == construct::Objective::kTargetReturn) {
    if (!req.target_return) throw Error::invalid_input("target-return needs target_return (--target-return)");
    spec.target = *req.target_return / kDays;
  }
  if (req.objective == construct::Objective::kTargetVolatility) {
    if (!req.target_volatility)
      throw Error::invalid_input("target-volatility needs target_volatility (--target-volatility)");
    spec.target = *req.target_volatility / std::sqrt(kDays);
  }
  const construct::Result r = construct::optimize(p.problem, spec);
  OptimizeResult out;
  out.as_of = p.in.book.as_of.to_string();
  out.portfolio = p.in.book.name;
  out.objective = std::string(construct::objective_name(req.objective));
  out.covariance = std::string(risk::covariance_method_name(req.inputs.covariance.method));
  out.window = p.window;
  out.status = r.status;
  out.weights = by_symbol(p.problem.symbols, r.weights);
  out.current_weights = by_symbol(p.problem.symbols, p.problem.constraints.current);
  out.expected_return = r.expected_return * kDays;
  out.volatility = r.volatility * std::sqrt(kDays);
  out.sharpe = out.volatility > 0.0 ? (out.expected_return - req.inputs.risk_free) / out.volatility : 0.0;
  out.expected_shortfall = r.expected_shortfall;
  out.confidence = req.inputs.confidence;
  out.risk_contributions = by_symbol(p.problem.symbols, r.risk_contributions);
  out.binding_constraints = r.binding;
  out.solver = {r.solver, r.iterations, r.duality_gap, r.kkt_residual};
  out.warnings = p.warnings;
  return out;
}

OptimizeFrontierResult optimize_frontier(const Context& cx, const OptimizeFrontierRequest& req) {
  Prepared p = prepare(cx, req.inputs);
  const std::vector<construct::Result> f = construct::frontier(p.problem, req.points);
  OptimizeFrontierResult out;
  out.as_of = p.in.book.as_of.to_string();
  out.portfolio = p.in.book.name;
  out.covariance = std::string(risk::covariance_method_name(req.inputs.covariance.method));
  out.window = p.window;
  construct::Result cur;
  cur.weights = p.problem.constraints.current;
  construct::describe(p.problem, cur);
  out.current = point(p.problem, cur, req.inputs.risk_free);
  for (const construct::Result& r : f) out.points.push_back(point(p.problem, r, req.inputs.risk_free));
  out.warnings = p.warnings;
  return out;
}

}  // namespace keel::service
