// `keel optimize [frontier]`: portfolio construction over a book's symbols (docs/construction.md).
// All logic lives in keel/service/construct.h; this file maps flags to requests and JSON to tables.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "context.h"
#include "spec_cli.h"
#include "keel/service/construct.h"

namespace keel::cli {
namespace {

void run_optimize(Context& ctx, const service::OptimizeRequest& req) {
  const service::OptimizeResult out = service::optimize(ctx.service_for(req.inputs.inputs.source), req);
  for (const auto& w : out.warnings) ctx.warn(w);

  TextTable summary(fmt::format("{} portfolio of {} as of {} ({} daily returns, {} covariance)", out.objective,
                                out.portfolio, out.as_of, out.window, out.covariance));
  summary.column("measure", TextTable::Align::kLeft).column("value");
  summary.row({"expected return (annual)", fmt_percent(out.expected_return)});
  summary.row({"volatility (annual)", fmt_percent(out.volatility)});
  summary.row({"Sharpe ratio", fmt_number(out.sharpe, 3)});
  summary.row({fmt::format("expected shortfall (1 day, {})", fmt_percent(out.confidence, 1)),
               fmt_percent(out.expected_shortfall)});
  if (out.tracking_error) summary.row({"tracking error (annual)", fmt_percent(*out.tracking_error)});
  if (out.expected_returns)
    summary.row({"expected returns", fmt::format("{}, risk aversion {}", *out.expected_returns,
                                                 fmt_number(out.risk_aversion.value_or(0.0), 3))});
  summary.row({"status", out.status});
  summary.row({"solver", fmt::format("{}, iterations {}, gap {:.1e}, KKT residual {:.1e}", out.solver.name,
                                     out.solver.iterations, out.solver.duality_gap, out.solver.kkt_residual)});
  if (out.solver.nodes)
    summary.row({"max names search", fmt::format("{} subproblems, gap to the proven bound {:.1e}", *out.solver.nodes,
                                                 out.solver.mip_gap.value_or(0.0))});
  std::string binding;
  for (const auto& b : out.binding_constraints) binding += (binding.empty() ? "" : "; ") + b;
  summary.footer("binding: " + binding);

  TextTable weights("Weights (largest first)");
  weights.column("symbol", TextTable::Align::kLeft).column("weight").column("current").column("risk_contribution");
  if (out.asset_returns) weights.column("expected_return");
  std::vector<std::pair<std::string, double>> rows(out.weights.begin(), out.weights.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [sym, w] : rows) {
    const auto cur = out.current_weights.find(sym);
    const auto rc = out.risk_contributions.find(sym);
    std::vector<std::string> row{sym, fmt_percent(w), cur == out.current_weights.end() ? "" : fmt_percent(cur->second),
                                 rc == out.risk_contributions.end() ? "" : fmt_percent(rc->second)};
    if (out.asset_returns) {
      const auto er = out.asset_returns->find(sym);
      row.push_back(er == out.asset_returns->end() ? "" : fmt_percent(er->second));
    }
    weights.row(std::move(row));
  }
  ctx.emit(spec::to_json(out), {summary, weights});
}

void run_frontier(Context& ctx, const service::OptimizeFrontierRequest& req) {
  const service::OptimizeFrontierResult out =
      service::optimize_frontier(ctx.service_for(req.inputs.inputs.source), req);
  for (const auto& w : out.warnings) ctx.warn(w);
  TextTable t(fmt::format("Efficient frontier of {}'s symbols as of {} ({} daily returns, {} covariance)",
                          out.portfolio, out.as_of, out.window, out.covariance));
  t.column("point").column("expected_return").column("volatility").column("sharpe").column("status",
                                                                                          TextTable::Align::kLeft);
  for (std::size_t k = 0; k < out.points.size(); ++k) {
    const auto& p = out.points[k];
    t.row({std::to_string(k + 1), fmt_percent(p.expected_return), p.status == "optimal" ? fmt_percent(p.volatility) : "",
           p.status == "optimal" ? fmt_number(p.sharpe, 3) : "", p.status});
  }
  t.footer(fmt::format("current portfolio: expected return {}, volatility {}", fmt_percent(out.current.expected_return),
                       fmt_percent(out.current.volatility)));
  ctx.emit(spec::to_json(out), {t});
}

}  // namespace

void add_optimize_commands(CLI::App& app, Context& ctx) {
  auto req = std::make_shared<service::OptimizeRequest>();
  auto* opt = app.add_subcommand("optimize", "Portfolio construction: optimal weights over a book's symbols");
  spec_options(opt, *req);

  auto freq = std::make_shared<service::OptimizeFrontierRequest>();
  auto* frontier = opt->add_subcommand("frontier", "The efficient frontier: minimum variance at each expected return");
  spec_options(frontier, *freq);
  frontier->callback([&ctx, freq] { run_frontier(ctx, *freq); });

  opt->callback([&ctx, req, opt] {
    if (opt->get_subcommands().empty()) run_optimize(ctx, *req);
  });
}

}  // namespace keel::cli
