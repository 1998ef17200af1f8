// `keel risk var|backtest|correlation`: market risk of a book (INTERFACES.md). All logic lives in
// keel/service/risk.h; this file maps flags to requests and JSON to tables.
#include <algorithm>
#include <memory>
#include <string>

#include "context.h"
#include "risk_flags.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/service/risk.h"
#include "keel/store/store.h"

namespace keel::cli {
namespace {

risk::CovarianceMethod parse_cov(const std::string& s) {
  const auto m = risk::parse_covariance_method(s);
  if (!m) throw Error::usage("--cov must be sample, ewma or ledoit-wolf");
  return *m;
}

void run_var(Context& ctx, const service::RiskVarRequest& req) {
  const service::RiskVarResult out = service::risk_var(ctx.service_for(req.inputs.source), req);
  for (const auto& w : out.warnings) ctx.warn(w);

  TextTable summary("Value at risk of " + out.portfolio + " as of " + out.as_of + ": value " + fmt_amount(out.value) +
                    ", " + std::to_string(out.positions) + " positions, " + std::to_string(out.window) +
                    " daily returns from " + out.window_start);
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
    if (r.method == "historical") details = std::to_string(r.scenarios) + " scenarios, " + r.horizon_rule.value_or("");
    if (r.method == "montecarlo") {
      details = r.distribution.value_or("") + (r.df ? "(" + fmt_number(*r.df, 1) + ")" : "") + ", " +
                std::to_string(r.paths.value_or(0)) + " paths, seed " + std::to_string(r.seed.value_or(0)) +
                ", std error " + fmt_amount(r.std_error.value_or(0.0));
    }
    summary.row({r.method, fmt_percent(r.confidence, 1), std::to_string(r.horizon_days), fmt_amount(r.var),
                 fmt_percent(r.var_pct), fmt_amount(r.es), details});
  }
  if (out.mean == "sample") summary.footer("mean: sample mean of the window (parametric and Monte Carlo)");

  TextTable contrib("Contributions (" + out.contributions_method + ", Euler allocation: components sum to the VaR)");
  contrib.column("symbol", TextTable::Align::kLeft)
      .column("value")
      .column("exposure")
      .column("marginal_var")
      .column("component_var")
      .column("pct_of_var")
      .column("incremental_var");
  std::vector<service::VarContribution> rows = out.contributions;
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.component_var > b.component_var; });
  double total = 0.0;
  for (const auto& c : rows) {
    total += c.component_var;
    contrib.row({c.symbol, fmt_amount(c.value), fmt_amount(c.exposure), fmt_number(c.marginal_var, 4),
                 fmt_amount(c.component_var), fmt_percent(c.component_pct, 1), fmt_amount(c.incremental_var)});
  }
  contrib.footer("sum of components " + fmt_amount(total));
  ctx.emit(spec::to_json(out), {summary, contrib});
}

struct BacktestFlags {
  RiskBookFlags book;
  std::string method = "historical";
  double confidence = 0.99;
  std::size_t window = 250;
  std::string cov = "sample";
  double lambda = 0.94;
  bool series = false;
};

void run_backtest(Context& ctx, const BacktestFlags& f) {
  service::RiskBacktestRequest req;
  req.inputs = risk_inputs_from(f.book);
  const auto m = risk::parse_var_method(f.method);
  if (!m || *m == risk::VarMethod::kMonteCarlo) {
    throw Error::usage("--method must be historical or parametric for a backtest");
  }
  req.backtest.method = *m;
  req.backtest.confidence = f.confidence;
  req.backtest.window = f.window;
  req.backtest.covariance = {parse_cov(f.cov), f.lambda};
  req.include_series = f.series;
  const nlohmann::json out = service::risk_backtest_json(risk_store_for(ctx, f.book), req);
  print_result_warnings(ctx, out);

  TextTable t("Backtest of one-day " + fmt_percent(out["confidence"], 1) + " " + out["method"].get<std::string>() +
              " VaR of " + out["portfolio"].get<std::string>() + ", " + out["first_date"].get<std::string>() +
              " .. " + out["last_date"].get<std::string>() + " (window " + out["window"].dump() + " days)");
  t.column("measure", TextTable::Align::kLeft).column("value").column("p_value");
  t.row({"observations", out["observations"].dump(), ""});
  t.row({"exceptions", out["exceptions"].dump() + " (expected " + fmt_number(out["expected_exceptions"], 1) + ")", ""});
  t.row({"Kupiec POF LR, chi2(1)", fmt_number(out["kupiec"]["lr"], 3), fmt_number(out["kupiec"]["p_value"], 4)});
  t.row({"Christoffersen independence LR, chi2(1)", fmt_number(out["christoffersen"]["lr"], 3),
         fmt_number(out["christoffersen"]["p_value"], 4)});
  t.row({"conditional coverage LR, chi2(2)", fmt_number(out["conditional_coverage"]["lr"], 3),
         fmt_number(out["conditional_coverage"]["p_value"], 4)});
  t.row({"Basel traffic light", out["zone"], ""});

  TextTable ex("Exceptions");
  ex.column("date", TextTable::Align::kLeft).column("pnl").column("var");
  for (const auto& e : out["exception_dates"]) ex.row({e["date"], fmt_amount(e["pnl"]), fmt_amount(e["var"])});
  ctx.emit(out, {t, ex});
}

struct CorrelationFlags {
  RiskBookFlags book;
  std::size_t window = 252;
  std::string cov = "sample";
  double lambda = 0.94;
};

void run_correlation(Context& ctx, const CorrelationFlags& f) {
  service::RiskCorrelationRequest req;
  req.inputs = risk_inputs_from(f.book);
  req.window = f.window;
  req.covariance = {parse_cov(f.cov), f.lambda};
  const nlohmann::json out = service::risk_correlation_json(risk_store_for(ctx, f.book), req);
  print_result_warnings(ctx, out);
  TextTable t("Correlation of daily returns (" + out["covariance"].get<std::string>() + ", " +
              out["window"].dump() + " days to " + out["as_of"].get<std::string>() + ")");
  t.column("symbol", TextTable::Align::kLeft).column("vol_annual");
  for (const auto& s : out["symbols"]) t.column(s.get<std::string>());
  for (std::size_t i = 0; i < out["symbols"].size(); ++i) {
    std::vector<std::string> row{out["symbols"][i], fmt_percent(out["volatility"][i], 1)};
    for (const auto& c : out["matrix"][i]) row.push_back(fmt_number(c, 2));
    t.row(std::move(row));
  }
  t.footer("portfolio volatility (annualised, 252 days): " + fmt_percent(out["portfolio_volatility"]) + " = " +
           fmt_amount(out["portfolio_volatility_amount"]));
  ctx.emit(out, {t});
}

}  // namespace

void add_risk_commands(CLI::App& app, Context& ctx) {
  auto* risk = app.add_subcommand("risk", "Market risk: VaR/ES, backtests, correlations");
  risk->require_subcommand(1);

  auto vreq = std::make_shared<service::RiskVarRequest>();
  auto* var = risk->add_subcommand("var", "Value at risk and expected shortfall, with contributions");
  spec_options(var, *vreq);
  var->callback([&ctx, vreq] { run_var(ctx, *vreq); });

  auto bf = std::make_shared<BacktestFlags>();
  auto* bt = risk->add_subcommand("backtest", "Rolling one-day VaR backtest: Kupiec, Christoffersen, Basel zone");
  add_risk_book_flags(bt, bf->book);
  bt->add_option("--method", bf->method, "historical or parametric")
      ->check(CLI::IsMember({"historical", "parametric"}));
  bt->add_option("--confidence", bf->confidence, "Confidence level in (0, 1)");
  bt->add_option("--window", bf->window, "Estimation window in days");
  bt->add_option("--cov", bf->cov, "Parametric: sample or ewma")->check(CLI::IsMember({"sample", "ewma"}));
  bt->add_option("--lambda", bf->lambda, "EWMA decay");
  bt->add_flag("--series", bf->series, "Include the daily P&L and VaR series in the JSON");
  bt->callback([&ctx, bf] { run_backtest(ctx, *bf); });

  auto cf = std::make_shared<CorrelationFlags>();
  auto* corr = risk->add_subcommand("correlation", "Correlation matrix and annualised volatilities");
  add_risk_book_flags(corr, cf->book);
  corr->add_option("--window", cf->window, "Daily returns in the window");
  corr->add_option("--cov", cf->cov, "sample, ewma or ledoit-wolf")
      ->check(CLI::IsMember({"sample", "ewma", "ledoit-wolf"}));
  corr->add_option("--lambda", cf->lambda, "EWMA decay");
  corr->callback([&ctx, cf] { run_correlation(ctx, *cf); });
}

}  // namespace keel::cli
