// `keel whatif`: proposed trades applied to a copy of a book, with before / after / change of
// exposures, Greeks, factor betas, VaR/ES and stress (docs/whatif.md). All logic lives in
// keel/service/whatif.h; this file maps flags to the request and the JSON to tables.
#include <memory>
#include <string>

#include "context.h"
#include "risk_flags.h"
#include "keel/core/error.h"
#include "keel/service/whatif.h"

namespace keel::cli {
namespace {

using nlohmann::json;

struct WhatIfFlags {
  RiskBookFlags book;
  std::string trades;
  std::string save_as;
  bool replace = false;
  // VaR.
  std::string method = "historical";
  double confidence = 0.99;
  std::size_t window = 252;
  int horizon = 1;
  std::size_t paths = 10000;
  std::uint64_t seed = 1;
  // Factors and stress.
  std::string factors_file;
  std::string factor_units = "decimal";
  std::string factor_set = "ff5";
  std::size_t factor_window = 252;
  std::vector<std::string> scenarios;
  std::string stress_method = "direct";
};

std::string cell(const json& v, int decimals = 2) { return v.is_number() ? fmt_amount(v.get<double>(), decimals) : "n/a"; }

void run_whatif(Context& ctx, const WhatIfFlags& f) {
  service::WhatIfRequest req;
  req.inputs = risk_inputs_from(f.book);
  req.trades = io::read_trades_file(f.trades, std::nullopt, &req.trade_warnings);
  if (f.method == "all") {
    req.methods = {risk::VarMethod::kParametric, risk::VarMethod::kHistorical, risk::VarMethod::kMonteCarlo};
  } else {
    req.methods = {*risk::parse_var_method(f.method)};
  }
  req.var.confidence = f.confidence;
  req.var.horizon_days = f.horizon;
  req.var.monte_carlo.paths = f.paths;
  req.var.monte_carlo.seed = f.seed;
  req.window = f.window;
  if (!f.factors_file.empty()) req.factors.file = f.factors_file;
  req.factors.units = f.factor_units == "percent" ? io::RateUnits::kPercent : io::RateUnits::kDecimal;
  req.factors.set = f.factor_set;
  req.factor_window = f.factor_window;
  req.scenarios = f.scenarios;
  if (f.stress_method == "correlated") req.stress_methods = {factors::StressMethod::kCorrelated};
  if (f.stress_method == "both") req.stress_methods = {factors::StressMethod::kDirect, factors::StressMethod::kCorrelated};
  if (!f.save_as.empty()) req.save_as = f.save_as;
  req.replace = f.replace;
  Store* store = !f.save_as.empty() ? &ctx.store() : risk_store_for(ctx, f.book);
  const json out = service::whatif_json(store, req);
  print_result_warnings(ctx, out);

  TextTable trades("Trades on " + out["portfolio"].get<std::string>() + " at " + out["as_of"].get<std::string>() +
                   " (cash " + fmt_amount(out["cash_amount"]) + ")");
  trades.column("symbol", TextTable::Align::kLeft).column("quantity").column("price").column("source", TextTable::Align::kLeft)
      .column("cash_amount");
  for (const auto& t : out["trades"]) {
    trades.row({t["symbol"], fmt_number(t["quantity"], 0), cell(t["price"], 4),
                t["price_source"].is_string() ? t["price_source"].get<std::string>() : "-", cell(t["cash_amount"])});
  }
  for (const auto& p : out["positions"]) {
    trades.footer(p["symbol"].get<std::string>() + ": " + fmt_number(p["quantity_before"], 0) + " -> " +
                  fmt_number(p["quantity_after"], 0) + " (" + p["effect"].get<std::string>() + ")");
  }

  TextTable metrics("Before / after / change (amounts in the book's currency)");
  metrics.column("metric", TextTable::Align::kLeft).column("before").column("after").column("change");
  // Exposures first, then Greeks, VaR/ES and betas (each group in key order).
  for (const char* group : {"positions", "gross", "net", "long", "short", "delta_adjusted_", "notional_", "dollar_",
                            "vega_", "theta_", "var_", "es_", "beta_", "factor_"}) {
    for (const auto& [k, v] : out["before"].items()) {
      const bool prefix = std::string(group).back() == '_';
      if (prefix ? k.rfind(group, 0) != 0 : k != group) continue;
      const int d = k.rfind("beta_", 0) == 0 || k == "factor_r2" ? 4 : (k == "positions" ? 0 : 2);
      metrics.row({k, cell(v, d), cell(out["after"][k], d), cell(out["change"][k], d)});
    }
  }
  if (!out["factors"]["available"].get<bool>()) {
    metrics.footer("factor betas and stress: n/a (" + out["factors"]["reason"].get<std::string>() + ")");
  }

  TextTable sectors("Net market value by sector");
  sectors.column("sector", TextTable::Align::kLeft).column("before").column("after").column("change");
  for (const auto& s : out["by_sector"]) sectors.row({s["key"], cell(s["before"]), cell(s["after"]), cell(s["change"])});

  std::vector<TextTable> tables{trades, metrics, sectors};
  if (!out["stress"].empty()) {
    TextTable stress("Stress P&L by scenario");
    stress.column("scenario", TextTable::Align::kLeft).column("method", TextTable::Align::kLeft).column("before")
        .column("after").column("change");
    for (const auto& s : out["stress"]) {
      stress.row({s["name"], s["method"], cell(s["before"]), cell(s["after"]), cell(s["change"])});
    }
    tables.push_back(stress);
  }
  if (!out["saved_as"].is_null()) {
    tables.back().footer("saved the book after the trades as portfolio '" + out["saved_as"]["name"].get<std::string>() +
                         "' (" + out["saved_as"]["positions"].dump() + " positions)");
  }
  ctx.emit(out, tables);
}

}  // namespace

void add_whatif_commands(CLI::App& app, Context& ctx) {
  auto f = std::make_shared<WhatIfFlags>();
  auto* cmd = app.add_subcommand("whatif", "Apply proposed trades to a copy of a book: before / after / change");
  add_risk_book_flags(cmd, f->book);
  cmd->add_option("--trades", f->trades, "Trades CSV: symbol,quantity (+ buy, - sell) [,price, option columns]")
      ->required();
  cmd->add_option("--save-as", f->save_as, "Store the book after the trades as a new portfolio");
  cmd->add_flag("--replace", f->replace, "With --save-as: overwrite an existing portfolio of that name");
  cmd->add_option("--method", f->method, "VaR: parametric, historical, montecarlo or all")
      ->check(CLI::IsMember({"parametric", "historical", "montecarlo", "all"}));
  cmd->add_option("--confidence", f->confidence, "VaR confidence level in (0, 1)");
  cmd->add_option("--window", f->window, "Daily returns in the VaR window");
  cmd->add_option("--horizon", f->horizon, "VaR horizon in trading days");
  cmd->add_option("--paths", f->paths, "Monte Carlo paths");
  cmd->add_option("--seed", f->seed, "Monte Carlo seed");
  cmd->add_option("--factors", f->factors_file, "Factor returns CSV (default: the store's --factor-set)");
  cmd->add_option("--factor-units", f->factor_units, "Units of --factors: decimal or percent")
      ->check(CLI::IsMember({"decimal", "percent"}));
  cmd->add_option("--factor-set", f->factor_set, "Factor set in the store");
  cmd->add_option("--factor-window", f->factor_window, "Daily returns per factor regression");
  cmd->add_option("--scenario", f->scenarios, "Stress scenarios (default: every built-in one)")->delimiter(',');
  cmd->add_option("--stress-method", f->stress_method, "direct, correlated or both")
      ->check(CLI::IsMember({"direct", "correlated", "both"}));
  cmd->callback([&ctx, f] { run_whatif(ctx, *f); });
}

}  // namespace keel::cli
