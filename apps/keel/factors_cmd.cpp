// `keel risk factors|attribution|stress|scenario-shocks|diversification`: factor exposures, factor
// attribution of a period's P&L, stress tests and diversification of a book (docs/cli.md, docs/factors.md, docs/stress.md). All logic lives in
// keel/service/factors.h; this file makes the flags from the requests' descriptions and tables from
// the results.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "context.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/service/factor_attribution.h"
#include "keel/service/factors.h"
#include "keel/service/reference_data.h"

namespace keel::cli {
namespace {

using nlohmann::json;

double at(const std::map<std::string, double>& m, const std::string& key) {
  const auto it = m.find(key);
  return it == m.end() ? 0.0 : it->second;
}

std::string factor_cells(const std::map<std::string, double>& shocks, const std::vector<std::string>& names,
                         int decimals) {
  std::string s;
  for (const auto& n : names) {
    if (!s.empty()) s += "  ";
    s += n + " " + fmt_number(at(shocks, n), decimals);
  }
  return s;
}

// ---------------------------------------------------------------- risk factors
void run_factors(Context& ctx, const service::FactorsRequest& req) {
  const service::FactorsResult out = service::risk_factors(ctx.service_for(req.inputs.source), req);
  for (const auto& w : out.warnings) ctx.warn(w);
  const auto& names = out.factors;

  TextTable t(fmt::format("Factor betas of {}: OLS of daily {}returns, {} days {} .. {} ({})",
                          out.portfolio_name, out.excess_returns ? "excess " : "", out.window, out.first_date,
                          out.last_date, out.factor_source));
  t.column("symbol", TextTable::Align::kLeft).column("weight");
  for (const auto& n : names) t.column(n);
  t.column("alpha_annual").column("r2").column("resid_vol");
  auto row = [&](const std::string& label, const std::string& weight, const service::FactorFit& fit) {
    std::vector<std::string> cells{label, weight};
    for (const auto& n : names) cells.push_back(fmt_number(at(fit.betas, n), 3));
    cells.push_back(fmt_percent(fit.alpha, 2));
    cells.push_back(fmt_number(fit.r2, 3));
    cells.push_back(fmt_percent(fit.residual_vol, 1));
    t.row(std::move(cells));
  };
  for (const auto& p : out.positions) row(p.symbol, fmt_percent(p.weight, 1), p.fit);
  row("PORTFOLIO", "", out.portfolio.regression);

  TextTable tt("t-statistics (|t| > 1.96: significant at 5%)");
  tt.column("symbol", TextTable::Align::kLeft);
  for (const auto& n : names) tt.column(n);
  tt.column("alpha");
  auto trow = [&](const std::string& label, const service::FactorFit& fit) {
    std::vector<std::string> cells{label};
    for (const auto& n : names) cells.push_back(fmt_number(at(fit.t_stats, n), 2));
    cells.push_back(fmt_number(fit.alpha_t, 2));
    tt.row(std::move(cells));
  };
  for (const auto& p : out.positions) trow(p.symbol, p.fit);
  trow("PORTFOLIO", out.portfolio.regression);

  TextTable e("Portfolio factor exposure (value-weighted betas; dollar P&L of a 1% factor move)");
  e.column("factor", TextTable::Align::kLeft).column("beta").column("pnl_per_1pct");
  for (const auto& n : names) {
    e.row({n, fmt_number(at(out.portfolio.betas, n), 4), fmt_amount(at(out.portfolio.exposures, n) * 0.01)});
  }
  std::vector<TextTable> tables{t, tt, e};
  if (out.rolling) {
    const service::FactorRolling& r = *out.rolling;
    TextTable rt(fmt::format("Rolling portfolio betas ({}-day windows, every {} days)", r.window, r.step));
    rt.column("date", TextTable::Align::kLeft);
    for (const auto& n : names) rt.column(n);
    rt.column("r2");
    for (std::size_t w = 0; w < r.dates.size(); ++w) {
      std::vector<std::string> cells{r.dates[w]};
      for (const auto& n : names) {
        const auto it = r.portfolio.betas.find(n);
        cells.push_back(it == r.portfolio.betas.end() ? "" : fmt_number(it->second[w], 3));
      }
      cells.push_back(fmt_number(r.portfolio.r2[w], 3));
      rt.row(std::move(cells));
    }
    tables.push_back(rt);
  }
  ctx.emit(spec::to_json(out), tables);
}

// ---------------------------------------------------------------- risk attribution
void run_attribution(Context& ctx, const service::FactorAttributionRequest& req) {
  const service::FactorAttributionResult out =
      service::factor_attribution(ctx.service_for(req.inputs.source), req);
  for (const auto& w : out.warnings) ctx.warn(w);
  const auto& names = out.factors;

  TextTable t(fmt::format("Factor attribution of {}: P&L from the close of {} to the close of {} ({} days, "
                          "positions held), betas over the {} days {} .. {} ({}), {}",
                          out.portfolio_name, out.start_date, out.end_date, out.days, out.window,
                          out.window_first_date, out.window_last_date, out.factor_source, out.currency));
  t.column("symbol", TextTable::Align::kLeft).column("value").column("return").column("pnl");
  for (const auto& n : names) t.column(n);
  t.column("risk_free").column("alpha").column("residual");
  auto row = [&](const std::string& label, double value, double ret, double pnl,
                 const std::map<std::string, double>& factors, double rf, double alpha, double residual) {
    std::vector<std::string> cells{label, fmt_amount(value), fmt_percent(ret, 2), fmt_amount(pnl)};
    for (const auto& n : names) cells.push_back(fmt_amount(at(factors, n)));
    cells.push_back(fmt_amount(rf));
    cells.push_back(fmt_amount(alpha));
    cells.push_back(fmt_amount(residual));
    t.row(std::move(cells));
  };
  for (const auto& p : out.positions) {
    row(p.symbol, p.market_value, p.return_period, p.pnl_amount, p.factors, p.risk_free_amount, p.alpha_amount,
        p.residual_amount);
  }
  const service::AttributionTotals& b = out.book;
  row("BOOK", b.market_value, b.return_period, b.pnl_amount, b.factors, b.risk_free_amount, b.alpha_amount,
      b.residual_amount);
  for (const auto& x : out.excluded) t.footer("not attributed: " + x.symbol + ", " + x.reason);

  TextTable f("Factor returns over the period (compounded)");
  f.column("factor", TextTable::Align::kLeft).column("return").column("book_amount");
  for (const auto& n : names) f.row({n, fmt_percent(at(out.factor_returns, n), 3), fmt_amount(at(b.factors, n))});
  f.row({"risk free", fmt_percent(out.risk_free_return, 3), fmt_amount(b.risk_free_amount)});
  ctx.emit(spec::to_json(out), {t, f});
}

// ---------------------------------------------------------------- risk stress
void run_stress(Context& ctx, const service::StressRequest& req) {
  const service::StressResult out = service::risk_stress(ctx.service_for(req.inputs.source), req);
  for (const auto& w : out.warnings) ctx.warn(w);

  TextTable t(fmt::format("Stress tests of {} (value {}, betas over {} days to {})", out.portfolio_name,
                          fmt_amount(out.book_value), out.window, out.last_date));
  t.column("scenario", TextTable::Align::kLeft)
      .column("kind", TextTable::Align::kLeft)
      .column("method", TextTable::Align::kLeft)
      .column("replay", TextTable::Align::kLeft)
      .column("pnl")
      .column("pnl_pct")
      .column("vol_shock")
      .column("factor shocks (filled when correlated)", TextTable::Align::kLeft);
  for (const auto& s : out.scenarios) {
    const std::string replay = s.replay_days ? fmt::format("daily, {} days", *s.replay_days) : s.replay;
    t.row({s.name, s.kind, s.method, replay, fmt_amount(s.pnl), fmt_percent(s.pnl_pct),
           s.vol_shock ? fmt_percent(*s.vol_shock, 0) : "", factor_cells(s.factor_shocks, out.factors, 3)});
  }
  TextTable p("P&L by position (own days: days of a replay the driver moved by its own price)");
  p.column("scenario", TextTable::Align::kLeft).column("method", TextTable::Align::kLeft);
  p.column("symbol", TextTable::Align::kLeft).column("value").column("move").column("own days");
  p.column("pnl").column("pnl_pct");
  for (const auto& s : out.scenarios) {
    for (const auto& q : s.positions) {
      p.row({s.name, s.method, q.symbol, fmt_amount(q.value), q.move ? fmt_percent(*q.move) : "",
             q.own_days ? fmt::format("{}", *q.own_days) : "", fmt_amount(q.pnl), fmt_percent(q.pnl_pct)});
    }
  }
  ctx.emit(spec::to_json(out), {t, p});
}

// ---------------------------------------------------------------- risk scenario-shocks
void run_scenario_shocks(Context& ctx, service::ScenarioShocksRequest req) {
  const service::FactorDataSource& f = req.factors;
  std::string cmd = "keel risk scenario-shocks";
  if (f.file) {
    cmd += " --factors " + *f.file + " --factor-units " +
           std::string(spec::choice_name(service::kRateUnitsNames, f.units));
  } else {
    cmd += " --factor-set " + f.set;
  }
  if (req.scenarios_file) cmd += " --scenarios " + *req.scenarios_file;
  req.command = cmd;
  if (!f.file && !ctx.has_store_file()) {
    throw Error::not_found("no factor data: pass --factors FILE (--factor-units percent for the Fama-French files) "
                           "or --db with a store holding the factor set " + f.set);
  }
  const service::Context cx = f.file ? service::Context{nullptr, system_env()} : ctx.service();
  const service::ScenarioLibraryFile lib = service::scenario_shocks(cx, req);
  const json doc = spec::to_json(lib);
  if (req.out_file) {
    std::ofstream o(*req.out_file);
    if (!o) throw Error::invalid_input("cannot write " + *req.out_file);
    o << doc.dump(2) << "\n";
    ctx.note(fmt::format("wrote {} scenarios to {}", lib.scenarios.size(), *req.out_file));
  }
  TextTable t("Historical scenario shocks: compounded factor returns from the close of start to the close of end");
  t.column("scenario", TextTable::Align::kLeft).column("kind", TextTable::Align::kLeft);
  t.column("start", TextTable::Align::kLeft).column("end", TextTable::Align::kLeft);
  t.column("shocks", TextTable::Align::kLeft);
  for (const auto& s : lib.scenarios) {  // library order
    std::string shocks;
    for (const auto& [factor, shock] : s.shocks) {
      shocks += (shocks.empty() ? "" : "  ") + factor + " " + fmt_percent(shock, 2);
    }
    t.row({s.name, s.kind, s.start ? s.start->to_string() : "", s.end ? s.end->to_string() : "", shocks});
  }
  t.footer("reproduce: " + cmd);
  ctx.emit(doc, {t});
}

// ---------------------------------------------------------------- risk diversification
void run_diversification(Context& ctx, const service::CorrelationAnalyticsRequest& req) {
  const service::CorrelationAnalyticsResult out = service::correlation_analytics(ctx.service_for(req.inputs.source), req);
  for (const auto& w : out.warnings) ctx.warn(w);
  const service::DiversificationFigures& d = out.diversification;

  TextTable t(fmt::format("Diversification of {} ({} days to {}, {} covariance)", out.portfolio_name,
                          out.window, out.as_of, out.covariance));
  t.column("measure", TextTable::Align::kLeft).column("value");
  t.row({"average pairwise correlation", fmt_number(d.average_pairwise_correlation, 3)});
  t.row({"exposure-weighted average pairwise correlation", fmt_number(d.weighted_average_pairwise_correlation, 3)});
  t.row({"diversification ratio", fmt_number(d.diversification_ratio, 3)});
  t.row({"effective number of bets (Meucci)", fmt_number(d.effective_number_of_bets, 2)});
  t.row({"effective number of positions (1/HHI)", fmt_number(d.effective_number_of_positions, 2)});
  t.row({"HHI", fmt_number(d.concentration.hhi, 4)});
  t.row({"top-10 weight", fmt_percent(d.concentration.top10_weight, 1)});
  t.row({"largest sector: " + d.concentration.largest_sector.sector,
         fmt_percent(d.concentration.largest_sector.weight, 1)});
  TextTable s("Sector weights (gross delta exposure)");
  s.column("sector", TextTable::Align::kLeft).column("weight");
  for (const auto& x : d.concentration.sectors) s.row({x.sector, fmt_percent(x.weight, 1)});
  std::vector<TextTable> tables{t, s};
  if (out.factor_correlation) {
    const service::FactorCorrelationResult& fc = *out.factor_correlation;
    TextTable ft("Factor correlation");
    ft.column("factor", TextTable::Align::kLeft);
    for (const auto& n : fc.factors) ft.column(n);
    for (std::size_t i = 0; i < fc.factors.size(); ++i) {
      std::vector<std::string> cells{fc.factors[i]};
      for (const double c : fc.matrix[i]) cells.push_back(fmt_number(c, 2));
      ft.row(std::move(cells));
    }
    tables.push_back(ft);
  }
  ctx.emit(spec::to_json(out), tables);
}

}  // namespace

void add_factors_commands(CLI::App& app, Context& ctx) {
  CLI::App* risk = app.get_subcommand("risk");

  auto freq = std::make_shared<service::FactorsRequest>();
  auto* fac = risk->add_subcommand("factors", "Factor betas (OLS on e.g. Fama-French 5), alpha, R2, t-stats");
  spec_options(fac, *freq);
  fac->callback([&ctx, freq] { run_factors(ctx, *freq); });

  auto areq = std::make_shared<service::FactorAttributionRequest>();
  auto* attr = risk->add_subcommand("attribution",
                                    "A period's P&L split into factor, risk-free, alpha and residual amounts");
  spec_options(attr, *areq);
  attr->callback([&ctx, areq] { run_attribution(ctx, *areq); });

  auto sreq = std::make_shared<service::StressRequest>();
  auto* st = risk->add_subcommand("stress", "Stress tests: historical, hypothetical and user factor shocks");
  spec_options(st, *sreq);
  st->callback([&ctx, sreq] { run_stress(ctx, *sreq); });

  auto hreq = std::make_shared<service::ScenarioShocksRequest>();
  auto* sh = risk->add_subcommand("scenario-shocks", "Derive the historical scenarios' factor shocks from factor data");
  spec_options(sh, *hreq);
  sh->callback([&ctx, hreq] { run_scenario_shocks(ctx, *hreq); });

  auto dreq = std::make_shared<service::CorrelationAnalyticsRequest>();
  auto* dv = risk->add_subcommand("diversification",
                                  "Correlation, diversification ratio, effective bets and concentration");
  spec_options(dv, *dreq);
  dv->callback([&ctx, dreq] { run_diversification(ctx, *dreq); });

  // Reference data (keel/service/reference_data.h).
  auto* sc = risk->add_subcommand("scenarios", "The stress scenario library: windows and factor shocks");
  sc->callback([&ctx] {
    const auto out = service::stress_scenarios(ctx.service());
    TextTable t("Stress scenarios");
    t.column("name", TextTable::Align::kLeft).column("kind", TextTable::Align::kLeft).column("window", TextTable::Align::kLeft)
        .column("days").column("shocks", TextTable::Align::kLeft);
    for (const auto& s : out.scenarios) {
      std::string shocks;
      for (const auto& [f, v] : s.shocks) shocks += (shocks.empty() ? "" : " ") + f + " " + fmt_percent(v, 1);
      t.row({s.name, s.kind, s.start ? *s.start + " .. " + (s.end ? *s.end : std::string()) : std::string("-"),
             std::to_string(s.daily_days), shocks});
    }
    ctx.emit(spec::to_json(out), {t});
  });
  auto* fs = risk->add_subcommand("factor-sets", "The store's factor sets: factors and dates");
  fs->callback([&ctx] {
    const auto out = service::factor_sets(ctx.service());
    TextTable t("Factor sets");
    t.column("name", TextTable::Align::kLeft).column("factors", TextTable::Align::kLeft).column("from", TextTable::Align::kLeft)
        .column("to", TextTable::Align::kLeft).column("days");
    for (const auto& s : out.sets) {
      std::string names;
      for (const auto& f : s.factors) names += (names.empty() ? "" : ",") + f;
      t.row({s.name, names, s.first_date ? *s.first_date : "-", s.last_date ? *s.last_date : "-", std::to_string(s.days)});
    }
    if (out.sets.empty()) t.footer("no factor sets: keel import factors FILE --set ff5");
    ctx.emit(spec::to_json(out), {t});
  });
  auto creq = std::make_shared<service::FactorCorrelationRequest>();
  auto* fc = risk->add_subcommand("factor-correlation", "A stored factor set's correlation matrix and volatilities");
  fc->add_option("--factor-set", creq->set, "Factor set in the store")->capture_default_str();
  spec_options(fc, *creq);
  fc->callback([&ctx, creq] {
    const auto out = service::factor_correlation(ctx.service(), *creq);
    TextTable t(fmt::format("Correlation of {} over {} days, {} .. {}", out.set, out.window, out.first_date, out.last_date));
    t.column("factor", TextTable::Align::kLeft);
    for (const auto& f : out.factors) t.column(f);
    t.column("vol");
    for (std::size_t i = 0; i < out.factors.size(); ++i) {
      std::vector<std::string> row{out.factors[i]};
      for (const double v : out.correlation[i]) row.push_back(fmt_number(v, 3));
      row.push_back(fmt_percent(out.volatility[i], 1));
      t.row(row);
    }
    ctx.emit(spec::to_json(out), {t});
  });
}

}  // namespace keel::cli
