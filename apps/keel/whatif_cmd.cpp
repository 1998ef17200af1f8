// `keel whatif`: proposed trades applied to a copy of a book, with before / after / change of
// exposures, Greeks, factor betas, VaR/ES and stress (docs/whatif.md). All logic lives in
// keel/service/whatif.h; the flags come from the request's description, the tables from the JSON.
#include <memory>
#include <string>

#include "context.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/service/whatif.h"

namespace keel::cli {
namespace {

using nlohmann::json;

std::string cell(const json& v, int decimals = 2) { return v.is_number() ? fmt_amount(v.get<double>(), decimals) : "n/a"; }

void run_whatif(Context& ctx, service::WhatIfRequest req) {
  req.trades = io::read_trades_file(*req.trades_file, std::nullopt, &req.trade_warnings);
  Store* store = req.save_as ? &ctx.store() : ctx.service_for(req.inputs.source).store;
  const json out = service::whatif_json(store, req);
  for (const auto& w : out["warnings"]) ctx.warn(w.get<std::string>());

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
  auto req = std::make_shared<service::WhatIfRequest>();
  auto* cmd = app.add_subcommand("whatif", "Apply proposed trades to a copy of a book: before / after / change");
  spec_options(cmd, *req);
  cmd->callback([&ctx, req] { run_whatif(ctx, *req); });
}

}  // namespace keel::cli
