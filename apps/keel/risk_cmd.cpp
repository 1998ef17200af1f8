// `keel risk var|backtest|correlation`: market risk of a book (docs/cli.md). All logic lives in
// keel/service/risk.h; this file maps flags to requests and JSON to tables.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "context.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/risk/stage_profile.h"
#include "keel/service/risk.h"
#include "keel/service/risk_runs.h"

namespace keel::cli {
namespace {

void run_var(Context& ctx, const service::RiskVarRequest& req) {
  risk::profile_mark("start-up (binary, options)");
  const service::Context cx = ctx.service_for(req.inputs.source);
  risk::profile_mark("store open (migrations check)");
  // The VaR use case every face calls: a stored portfolio valued on the store's prices keeps its
  // result as the portfolio's last VaR (GET /api/v1/portfolios/{id}/risk/var); files: computed only.
  // The command has no job queue, so the run is always computed here.
  const service::RiskVarResult out = *service::run_var(cx, req).result;
  for (const auto& w : out.warnings) ctx.warn(w);

  TextTable summary(fmt::format(
      "Value at risk of {} as of {} in {}: value {}, {} positions, {} daily returns from {}", out.portfolio,
      out.as_of, out.currency, fmt_amount(out.value), out.positions, out.window, out.window_start));
  summary.column("method", TextTable::Align::kLeft)
      .column("confidence")
      .column("horizon_days")
      .column("var")
      .column("var_pct")
      .column("es")
      .column("details", TextTable::Align::kLeft);
  for (const auto& r : out.results) {
    std::string details;
    if (r.method == "parametric") details = out.parametric_model + ", " + out.covariance + " covariance";
    if (r.method == "historical")
      details = fmt::format("{} scenarios, {}", r.scenarios, r.horizon_rule.value_or(""));
    if (r.method == "montecarlo") {
      details = fmt::format("{}{}, {} paths, seed {}, std error {}", r.distribution.value_or(""),
                            r.df ? "(" + fmt_number(*r.df, 1) + ")" : "", r.paths.value_or(0),
                            r.seed.value_or(0), fmt_amount(r.std_error.value_or(0.0)));
    }
    summary.row({r.method, fmt_percent(r.confidence, 1), std::to_string(r.horizon_days), fmt_amount(r.var),
                 fmt_percent(r.var_pct), fmt_amount(r.es), details});
  }
  if (out.mean == "sample") summary.footer("mean: sample mean of the window (parametric and Monte Carlo)");

  // Price and currency parts only when some position is in another currency than the book's.
  const bool fx = std::any_of(out.contributions.begin(), out.contributions.end(),
                              [&](const auto& c) { return c.currency != out.currency; });
  TextTable contrib(fmt::format("Contributions ({}, Euler allocation: components sum to the VaR; {})",
                                out.contributions_method, out.currency));
  contrib.column("symbol", TextTable::Align::kLeft)
      .column("value")
      .column("exposure")
      .column("marginal_var")
      .column("component_var")
      .column("pct_of_var")
      .column("incremental_var");
  if (fx) contrib.column("currency", TextTable::Align::kLeft).column("price_part").column("currency_part");
  std::vector<service::VarContribution> rows = out.contributions;
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.component_var > b.component_var; });
  double total = 0.0;
  for (const auto& c : rows) {
    total += c.component_var;
    std::vector<std::string> row{c.symbol, fmt_amount(c.value), fmt_amount(c.exposure), fmt_number(c.marginal_var, 4),
                                 fmt_amount(c.component_var), fmt_percent(c.component_pct, 1),
                                 fmt_amount(c.incremental_var)};
    if (fx) {
      row.push_back(c.currency);
      row.push_back(fmt_amount(c.component_var_price));
      row.push_back(fmt_amount(c.component_var_currency));
    }
    contrib.row(std::move(row));
  }
  contrib.footer("sum of components " + fmt_amount(total));
  ctx.emit(spec::to_json(out), {summary, contrib});
  risk::profile_mark("output");
  ctx.print_profile();
}

void run_backtest(Context& ctx, const service::RiskBacktestRequest& req) {
  const service::RiskBacktestResult out = *service::run_backtest(ctx.service_for(req.inputs.source), req).result;
  for (const auto& w : out.warnings) ctx.warn(w);

  TextTable t(fmt::format("Backtest of one-day {} {} VaR of {} in {}, {} .. {} (window {} days)",
                          fmt_percent(out.confidence, 1), out.method, out.portfolio, out.currency, out.first_date,
                          out.last_date, out.window));
  t.column("measure", TextTable::Align::kLeft).column("value").column("p_value");
  t.row({"observations", std::to_string(out.observations), ""});
  t.row({"exceptions",
         fmt::format("{} (expected {})", out.exceptions, fmt_number(out.expected_exceptions, 1)), ""});
  t.row({"Kupiec POF LR, chi2(1)", fmt_number(out.kupiec.lr, 3), fmt_number(out.kupiec.p_value, 4)});
  t.row({"Christoffersen independence LR, chi2(1)", fmt_number(out.christoffersen.lr, 3),
         fmt_number(out.christoffersen.p_value, 4)});
  t.row({"conditional coverage LR, chi2(2)", fmt_number(out.conditional_coverage.lr, 3),
         fmt_number(out.conditional_coverage.p_value, 4)});
  t.row({"Basel traffic light", out.zone, ""});
  t.row({"Basel plus factor", fmt_number(out.plus_factor, 2), ""});

  TextTable ex("Exceptions");
  ex.column("date", TextTable::Align::kLeft).column("pnl").column("var");
  for (const auto& e : out.exception_dates) ex.row({e.date, fmt_amount(e.pnl), fmt_amount(e.var)});
  ctx.emit(spec::to_json(out), {t, ex});
}

void run_correlation(Context& ctx, const service::RiskCorrelationRequest& req) {
  const service::RiskCorrelationResult out = service::risk_correlation(ctx.service_for(req.inputs.source), req);
  for (const auto& w : out.warnings) ctx.warn(w);
  TextTable t(
      fmt::format("Correlation of daily returns ({}, {} days to {})", out.covariance, out.window, out.as_of));
  t.column("symbol", TextTable::Align::kLeft).column("vol_annual");
  for (const auto& s : out.symbols) t.column(s);
  for (std::size_t i = 0; i < out.symbols.size(); ++i) {
    std::vector<std::string> row{out.symbols[i], fmt_percent(out.volatility[i], 1)};
    for (const double c : out.matrix[i]) row.push_back(fmt_number(c, 2));
    t.row(std::move(row));
  }
  t.footer("portfolio volatility (annualised, 252 days): " + fmt_percent(out.portfolio_volatility) + " = " +
           fmt_amount(out.portfolio_volatility_amount) + " " + out.currency);
  ctx.emit(spec::to_json(out), {t});
}

}  // namespace

void add_risk_commands(CLI::App& app, Context& ctx) {
  auto* risk = app.add_subcommand("risk", "Market risk: VaR/ES, backtests, correlations");
  risk->require_subcommand(1);

  auto vreq = std::make_shared<service::RiskVarRequest>();
  auto* var = risk->add_subcommand("var", "Value at risk and expected shortfall, with contributions");
  spec_options(var, *vreq);
  var->callback([&ctx, vreq] { run_var(ctx, *vreq); });

  auto breq = std::make_shared<service::RiskBacktestRequest>();
  auto* bt = risk->add_subcommand("backtest", "Rolling one-day VaR backtest: Kupiec, Christoffersen, Basel zone");
  spec_options(bt, *breq);
  bt->callback([&ctx, breq] { run_backtest(ctx, *breq); });

  auto creq = std::make_shared<service::RiskCorrelationRequest>();
  auto* corr = risk->add_subcommand("correlation", "Correlation matrix and annualised volatilities");
  spec_options(corr, *creq);
  corr->callback([&ctx, creq] { run_correlation(ctx, *creq); });
}

}  // namespace keel::cli
