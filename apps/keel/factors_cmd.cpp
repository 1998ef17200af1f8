// `keel risk factors|stress|scenario-shocks|diversification`: factor exposures, stress tests and
// diversification of a book (docs/cli.md, docs/factors.md, docs/stress.md). All logic lives in
// keel/service/factors.h; this file maps flags to requests and JSON to tables.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "context.h"
#include "risk_flags.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/service/factors.h"
#include "keel/store/store.h"
#include "keel/core/strings.h"

namespace keel::cli {
namespace {

using nlohmann::json;

struct FactorFlags {
  std::string file;
  std::string units = "decimal";
  std::string set = "ff5";
  std::string rf = "rf";
};

void add_factor_flags(CLI::App* cmd, FactorFlags& f) {
  cmd->add_option("--factors", f.file, "Factor returns CSV date,<factor>,... (default: the store's --factor-set)");
  cmd->add_option("--factor-units", f.units, "Units of --factors: decimal or percent (Fama-French files: percent)")
      ->check(CLI::IsMember({"decimal", "percent"}));
  cmd->add_option("--factor-set", f.set, "Factor set in the store (keel import factors FILE --set NAME)");
  cmd->add_option("--rf-column", f.rf, "Risk-free column of the factor data (not a regressor)");
}

service::FactorDataSource factors_from(const FactorFlags& f) {
  service::FactorDataSource s;
  if (!f.file.empty()) s.file = f.file;
  s.units = f.units == "percent" ? io::RateUnits::kPercent : io::RateUnits::kDecimal;
  s.set = f.set;
  s.rf_column = f.rf;
  return s;
}

std::vector<std::string> split_names(const std::vector<std::string>& specs) {
  std::vector<std::string> out;
  for (const auto& spec : specs) {
    std::stringstream ss(spec);
    std::string item;
    while (std::getline(ss, item, ',')) {
      if (!trim(item).empty()) out.emplace_back(trim(item));
    }
  }
  return out;
}

// "mkt_rf=-0.15,smb=0.02" (flags may repeat).
std::vector<factors::FactorShock> parse_shocks(const std::vector<std::string>& specs) {
  std::vector<factors::FactorShock> out;
  for (const auto& item : split_names(specs)) {
    const auto eq = item.find('=');
    std::string name = std::string(trim(item.substr(0, eq == std::string::npos ? item.size() : eq)));
    const auto value = eq == std::string::npos ? std::nullopt : parse_double(item.substr(eq + 1));
    if (name.empty() || !value) {
      throw Error::usage("--shock expects FACTOR=DECIMAL_RETURN (e.g. mkt_rf=-0.15), got \"" + item + "\"");
    }
    out.push_back({to_lower(name), *value});
  }
  return out;
}

std::string factor_cells(const json& obj, const json& names, int decimals) {
  std::string s;
  for (const auto& n : names) {
    if (!s.empty()) s += "  ";
    s += n.get<std::string>() + " " + fmt_number(obj.value(n.get<std::string>(), 0.0), decimals);
  }
  return s;
}

// ---------------------------------------------------------------- risk factors
struct FactorsFlags {
  RiskBookFlags book;
  FactorFlags factors;
  std::size_t window = 252;
  std::size_t rolling = 0;
  std::size_t rolling_step = 1;
};

void run_factors(Context& ctx, const FactorsFlags& f) {
  service::FactorsRequest req;
  req.inputs = risk_inputs_from(f.book);
  req.factors = factors_from(f.factors);
  req.window = f.window;
  req.rolling_window = f.rolling;
  req.rolling_step = f.rolling_step;
  const json out = service::risk_factors_json(risk_store_for(ctx, f.book), req);
  print_result_warnings(ctx, out);
  const json& names = out["factors"];

  TextTable t("Factor betas of " + out["portfolio_name"].get<std::string>() + ": OLS of daily " +
              (out["excess_returns"].get<bool>() ? "excess " : "") + "returns, " + out["window"].dump() +
              " days " + out["first_date"].get<std::string>() + " .. " + out["last_date"].get<std::string>() +
              " (" + out["factor_source"].get<std::string>() + ")");
  t.column("symbol", TextTable::Align::kLeft).column("weight");
  for (const auto& n : names) t.column(n.get<std::string>());
  t.column("alpha_annual").column("r2").column("resid_vol");
  auto row = [&](const std::string& label, const std::string& weight, const json& fit) {
    std::vector<std::string> cells{label, weight};
    for (const auto& n : names) cells.push_back(fmt_number(fit["betas"][n.get<std::string>()], 3));
    cells.push_back(fmt_percent(fit["alpha"], 2));
    cells.push_back(fmt_number(fit["r2"], 3));
    cells.push_back(fit.contains("residual_vol") ? fmt_percent(fit["residual_vol"], 1) : "");
    t.row(std::move(cells));
  };
  for (const auto& p : out["positions"]) row(p["symbol"], fmt_percent(p["weight"], 1), p);
  row("PORTFOLIO", "", out["portfolio"]["regression"]);

  TextTable tt("t-statistics (|t| > 1.96: significant at 5%)");
  tt.column("symbol", TextTable::Align::kLeft);
  for (const auto& n : names) tt.column(n.get<std::string>());
  tt.column("alpha");
  auto trow = [&](const std::string& label, const json& fit) {
    std::vector<std::string> cells{label};
    for (const auto& n : names) cells.push_back(fmt_number(fit["t_stats"][n.get<std::string>()], 2));
    cells.push_back(fmt_number(fit["alpha_t"], 2));
    tt.row(std::move(cells));
  };
  for (const auto& p : out["positions"]) trow(p["symbol"], p);
  trow("PORTFOLIO", out["portfolio"]["regression"]);

  TextTable e("Portfolio factor exposure (value-weighted betas; dollar P&L of a 1% factor move)");
  e.column("factor", TextTable::Align::kLeft).column("beta").column("pnl_per_1pct");
  for (const auto& n : names) {
    const std::string k = n.get<std::string>();
    e.row({k, fmt_number(out["portfolio"]["betas"][k], 4), fmt_amount(out["portfolio"]["exposures"][k].get<double>() * 0.01)});
  }
  std::vector<TextTable> tables{t, tt, e};
  if (out.contains("rolling")) {
    const json& r = out["rolling"];
    TextTable rt("Rolling portfolio betas (" + r["window"].dump() + "-day windows, every " + r["step"].dump() +
                 " days)");
    rt.column("date", TextTable::Align::kLeft);
    for (const auto& n : names) rt.column(n.get<std::string>());
    rt.column("r2");
    for (std::size_t w = 0; w < r["dates"].size(); ++w) {
      std::vector<std::string> cells{r["dates"][w]};
      for (const auto& n : names) cells.push_back(fmt_number(r["portfolio"]["betas"][n.get<std::string>()][w], 3));
      cells.push_back(fmt_number(r["portfolio"]["r2"][w], 3));
      rt.row(std::move(cells));
    }
    tables.push_back(rt);
  }
  ctx.emit(out, tables);
}

// ---------------------------------------------------------------- risk stress
struct StressFlags {
  RiskBookFlags book;
  FactorFlags factors;
  std::size_t window = 252;
  std::vector<std::string> scenario;
  std::string scenarios_file;
  std::vector<std::string> shocks;
  double vol_shock = 0.0;
  bool has_vol_shock = false;
  std::string method = "both";
  bool list = false;
};

void run_stress(Context& ctx, const StressFlags& f) {
  service::StressRequest req;
  req.inputs = risk_inputs_from(f.book);
  req.factors = factors_from(f.factors);
  req.window = f.window;
  req.scenarios = split_names(f.scenario);
  if (!f.scenarios_file.empty()) req.scenarios_file = f.scenarios_file;
  req.user_shocks = parse_shocks(f.shocks);
  if (f.has_vol_shock) req.user_vol_shock = f.vol_shock;
  if (f.method == "direct") req.methods = {factors::StressMethod::kDirect};
  if (f.method == "correlated") req.methods = {factors::StressMethod::kCorrelated};
  const json out = service::risk_stress_json(risk_store_for(ctx, f.book), req);
  print_result_warnings(ctx, out);

  TextTable t("Stress tests of " + out["portfolio_name"].get<std::string>() + " (value " +
              fmt_amount(out["book_value"]) + ", betas over " + out["window"].dump() + " days to " +
              out["last_date"].get<std::string>() + ")");
  t.column("scenario", TextTable::Align::kLeft)
      .column("kind", TextTable::Align::kLeft)
      .column("method", TextTable::Align::kLeft)
      .column("pnl")
      .column("pnl_pct")
      .column("vol_shock")
      .column("factor shocks (filled when correlated)", TextTable::Align::kLeft);
  for (const auto& s : out["scenarios"]) {
    t.row({s["name"], s["kind"], s["method"], fmt_amount(s["pnl"]), fmt_percent(s["pnl_pct"]),
           s["vol_shock"].is_null() ? "" : fmt_percent(s["vol_shock"], 0), factor_cells(s["factor_shocks"], out["factors"], 3)});
  }
  TextTable p("P&L by position");
  p.column("scenario", TextTable::Align::kLeft).column("method", TextTable::Align::kLeft);
  p.column("symbol", TextTable::Align::kLeft).column("value").column("move").column("pnl").column("pnl_pct");
  for (const auto& s : out["scenarios"]) {
    for (const auto& q : s["positions"]) {
      p.row({s["name"], s["method"], q["symbol"], fmt_amount(q["value"]),
             q.contains("move") ? fmt_percent(q["move"]) : "", fmt_amount(q["pnl"]), fmt_percent(q["pnl_pct"])});
    }
  }
  ctx.emit(out, {t, p});
}

// ---------------------------------------------------------------- risk scenario-shocks
struct ShocksFlags {
  FactorFlags factors;
  std::string scenarios_file;
  std::string out_file;
};

void run_scenario_shocks(Context& ctx, const ShocksFlags& f) {
  service::ScenarioShocksRequest req;
  req.factors = factors_from(f.factors);
  if (!f.scenarios_file.empty()) req.scenarios_file = f.scenarios_file;
  std::string cmd = "keel risk scenario-shocks";
  if (!f.factors.file.empty()) {
    cmd += " --factors " + f.factors.file + " --factor-units " + f.factors.units;
  } else {
    cmd += " --factor-set " + f.factors.set;
  }
  if (!f.scenarios_file.empty()) cmd += " --scenarios " + f.scenarios_file;
  req.command = cmd;
  if (f.factors.file.empty() && !ctx.has_store_file()) {
    throw Error::not_found("no factor data: pass --factors FILE (--factor-units percent for the Fama-French files) "
                           "or --db with a store holding the factor set " + f.factors.set);
  }
  Store* store = f.factors.file.empty() ? &ctx.store() : nullptr;
  const nlohmann::ordered_json lib = service::scenario_shocks_json(store, req);
  if (!f.out_file.empty()) {
    std::ofstream o(f.out_file);
    if (!o) throw Error::invalid_input("cannot write " + f.out_file);
    o << lib.dump(2) << "\n";
    ctx.note("wrote " + std::to_string(lib["scenarios"].size()) + " scenarios to " + f.out_file);
  }
  if (ctx.format() == Format::kJson) {
    std::cout << lib.dump(2) << "\n";
    return;
  }
  const json doc = json::parse(lib.dump());
  TextTable t("Historical scenario shocks: compounded factor returns from the close of start to the close of end");
  t.column("scenario", TextTable::Align::kLeft).column("kind", TextTable::Align::kLeft);
  t.column("start", TextTable::Align::kLeft).column("end", TextTable::Align::kLeft);
  t.column("shocks", TextTable::Align::kLeft);
  for (const auto& s : lib["scenarios"]) {  // file order
    std::string shocks;
    for (auto it = s["shocks"].begin(); it != s["shocks"].end(); ++it) {
      shocks += (shocks.empty() ? "" : "  ") + it.key() + " " + fmt_percent(it.value().get<double>(), 2);
    }
    t.row({s["name"].get<std::string>(), s["kind"].get<std::string>(), s.value("start", std::string()),
           s.value("end", std::string()), shocks});
  }
  t.footer("reproduce: " + cmd);
  ctx.emit(doc, {t});
}

// ---------------------------------------------------------------- risk diversification
struct DiversificationFlags {
  RiskBookFlags book;
  FactorFlags factors;
  bool with_factors = false;
  std::size_t window = 252;
  std::string cov = "sample";
  double lambda = 0.94;
  std::string sectors;
};

void run_diversification(Context& ctx, const DiversificationFlags& f) {
  service::CorrelationAnalyticsRequest req;
  req.inputs = risk_inputs_from(f.book);
  req.window = f.window;
  const auto m = risk::parse_covariance_method(f.cov);
  if (!m) throw Error::usage("--cov must be sample, ewma or ledoit-wolf");
  req.covariance = {*m, f.lambda};
  if (!f.factors.file.empty() || f.with_factors) req.factors = factors_from(f.factors);
  if (!f.sectors.empty()) req.sectors_file = f.sectors;
  const json out = spec::to_json(service::correlation_analytics(ctx.service_for(req.inputs.source), req));
  print_result_warnings(ctx, out);

  TextTable t("Diversification of " + out["portfolio_name"].get<std::string>() + " (" + out["window"].dump() +
              " days to " + out["as_of"].get<std::string>() + ", " + out["covariance"].get<std::string>() +
              " covariance)");
  t.column("measure", TextTable::Align::kLeft).column("value");
  t.row({"average pairwise correlation", fmt_number(out["average_pairwise_correlation"], 3)});
  t.row({"exposure-weighted average pairwise correlation", fmt_number(out["weighted_average_pairwise_correlation"], 3)});
  t.row({"diversification ratio", fmt_number(out["diversification_ratio"], 3)});
  t.row({"effective number of bets (Meucci)", fmt_number(out["effective_number_of_bets"], 2)});
  t.row({"effective number of positions (1/HHI)", fmt_number(out["effective_number_of_positions"], 2)});
  t.row({"HHI", fmt_number(out["concentration"]["hhi"], 4)});
  t.row({"top-10 weight", fmt_percent(out["concentration"]["top10_weight"], 1)});
  t.row({"largest sector: " + out["concentration"]["largest_sector"]["sector"].get<std::string>(),
         fmt_percent(out["concentration"]["largest_sector"]["weight"], 1)});
  TextTable s("Sector weights (gross delta exposure)");
  s.column("sector", TextTable::Align::kLeft).column("weight");
  for (const auto& x : out["concentration"]["sectors"]) s.row({x["sector"], fmt_percent(x["weight"], 1)});
  std::vector<TextTable> tables{t, s};
  if (out.contains("factor_correlation")) {
    const json& fc = out["factor_correlation"];
    TextTable ft("Factor correlation");
    ft.column("factor", TextTable::Align::kLeft);
    for (const auto& n : fc["factors"]) ft.column(n.get<std::string>());
    for (std::size_t i = 0; i < fc["factors"].size(); ++i) {
      std::vector<std::string> cells{fc["factors"][i]};
      for (const auto& c : fc["matrix"][i]) cells.push_back(fmt_number(c, 2));
      ft.row(std::move(cells));
    }
    tables.push_back(ft);
  }
  ctx.emit(out, tables);
}

}  // namespace

void add_factors_commands(CLI::App& app, Context& ctx) {
  CLI::App* risk = app.get_subcommand("risk");

  auto ff = std::make_shared<FactorsFlags>();
  auto* fac = risk->add_subcommand("factors", "Factor betas (OLS on e.g. Fama-French 5), alpha, R2, t-stats");
  add_risk_book_flags(fac, ff->book);
  add_factor_flags(fac, ff->factors);
  fac->add_option("--window", ff->window, "Daily returns per regression");
  fac->add_option("--rolling", ff->rolling, "Rolling betas with windows of this many days (0 = none)");
  fac->add_option("--rolling-step", ff->rolling_step, "Days between rolling windows");
  fac->callback([&ctx, ff] { run_factors(ctx, *ff); });

  auto sf = std::make_shared<StressFlags>();
  auto* st = risk->add_subcommand("stress", "Stress tests: historical, hypothetical and user factor shocks");
  add_risk_book_flags(st, sf->book);
  add_factor_flags(st, sf->factors);
  st->add_option("--scenario", sf->scenario, "Scenario name(s) or all (repeat or comma-separate)");
  st->add_option("--scenarios", sf->scenarios_file, "Scenario file (JSON) adding to or overriding the built-in ones");
  st->add_option("--shock", sf->shocks, "User shock FACTOR=DECIMAL (e.g. mkt_rf=-0.15,smb=0.02)");
  auto* vs = st->add_option("--vol-shock", sf->vol_shock, "Implied-vol change for the user shock, decimal (0.10)");
  st->add_option("--method", sf->method, "direct, correlated or both")
      ->check(CLI::IsMember({"direct", "correlated", "both"}));
  st->add_option("--window", sf->window, "Daily returns for the betas and the factor covariance");
  st->callback([&ctx, sf, vs] {
    sf->has_vol_shock = vs->count() > 0;
    run_stress(ctx, *sf);
  });

  auto hf = std::make_shared<ShocksFlags>();
  auto* sh = risk->add_subcommand("scenario-shocks",
                                  "Derive the historical scenarios' factor shocks from factor data");
  add_factor_flags(sh, hf->factors);
  sh->add_option("--scenarios", hf->scenarios_file, "Scenario file (default: the built-in library)");
  sh->add_option("--out", hf->out_file, "Also write the library (JSON) to this file");
  sh->callback([&ctx, hf] { run_scenario_shocks(ctx, *hf); });

  auto df = std::make_shared<DiversificationFlags>();
  auto* dv = risk->add_subcommand("diversification",
                                  "Correlation, diversification ratio, effective bets and concentration");
  add_risk_book_flags(dv, df->book);
  add_factor_flags(dv, df->factors);
  dv->add_flag("--with-factors", df->with_factors, "Add the factor correlation matrix from the store's --factor-set");
  dv->add_option("--window", df->window, "Daily returns in the window");
  dv->add_option("--cov", df->cov, "sample, ewma or ledoit-wolf")->check(CLI::IsMember({"sample", "ewma", "ledoit-wolf"}));
  dv->add_option("--lambda", df->lambda, "EWMA decay");
  dv->add_option("--sectors", df->sectors, "Sectors CSV (symbol,sector or the S&P constituents file)");
  dv->callback([&ctx, df] { run_diversification(ctx, *df); });
}

}  // namespace keel::cli
