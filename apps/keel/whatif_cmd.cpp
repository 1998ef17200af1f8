// `keel whatif`: proposed trades applied to a copy of a book, with before / after / change of
// exposures, Greeks, factor betas, VaR/ES and stress (docs/whatif.md). All logic lives in
// keel/service/whatif.h; the flags come from the request's description, the tables from the result (WhatIfResult).
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <tuple>

#include "context.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/service/whatif.h"

namespace keel::cli {
namespace {

// A figure, or n/a when it could not be computed (NaN) or is absent.
std::string cell(double v, int decimals = 2) { return std::isnan(v) ? "n/a" : fmt_amount(v, decimals); }
std::string cell(const std::optional<double>& v, int decimals = 2) { return v ? cell(*v, decimals) : "n/a"; }
template <class T>
std::string cell(const spec::Nullable<T>& v, int decimals = 2) {
  return v ? cell(*v, decimals) : "n/a";
}

// The metric rows: exposures, then Greeks, VaR/ES and betas (each group in name order, as the
// JSON object lists them).
void metric_rows(TextTable& t, const service::WhatIfResult& out) {
  const auto& b = out.before;
  const auto& a = out.after;
  const auto& c = out.change;
  auto row = [&](const std::string& name, auto before, auto after, auto change, int d = 2) {
    t.row({name, cell(before, d), cell(after, d), cell(change, d)});
  };
  row("positions", static_cast<double>(b.positions), static_cast<double>(a.positions), c.positions, 0);
  row("gross", b.market_value.gross, a.market_value.gross, c.market_value.gross);
  row("net", b.market_value.net, a.market_value.net, c.market_value.net);
  row("long", b.market_value.long_, a.market_value.long_, c.market_value.long_);
  row("short", b.market_value.short_, a.market_value.short_, c.market_value.short_);
  for (const auto& [prefix, bt, at, ct] :
       {std::tuple{"delta_adjusted_", &b.delta_adjusted, &a.delta_adjusted, &c.delta_adjusted},
        std::tuple{"notional_", &b.notional, &a.notional, &c.notional}}) {
    const std::string p = prefix;
    row(p + "gross", bt->gross, at->gross, ct->gross);
    row(p + "long", bt->long_, at->long_, ct->long_);
    row(p + "net", bt->net, at->net, ct->net);
    row(p + "short", bt->short_, at->short_, ct->short_);
  }
  row("dollar_delta", b.greeks.dollar_delta, a.greeks.dollar_delta, c.greeks.dollar_delta);
  row("dollar_gamma_1pct", b.greeks.dollar_gamma_1pct, a.greeks.dollar_gamma_1pct, c.greeks.dollar_gamma_1pct);
  row("vega_per_point", b.greeks.vega_per_point, a.greeks.vega_per_point, c.greeks.vega_per_point);
  row("theta_per_day", b.greeks.theta_per_day, a.greeks.theta_per_day, c.greeks.theta_per_day);
  auto optional_row = [&](const std::string& name, const std::optional<double>& before,
                          const std::optional<double>& after, const std::optional<double>& change) {
    if (before || after) row(name, before, after, change);
  };
  optional_row("var_historical", b.var_historical, a.var_historical, c.var_historical);
  optional_row("var_montecarlo", b.var_montecarlo, a.var_montecarlo, c.var_montecarlo);
  optional_row("var_parametric", b.var_parametric, a.var_parametric, c.var_parametric);
  optional_row("es_historical", b.es_historical, a.es_historical, c.es_historical);
  optional_row("es_montecarlo", b.es_montecarlo, a.es_montecarlo, c.es_montecarlo);
  optional_row("es_parametric", b.es_parametric, a.es_parametric, c.es_parametric);
  for (const auto& [factor, beta] : b.betas) {
    const auto after_beta = a.betas.find(factor);
    const auto change_beta = c.betas.find(factor);
    row("beta_" + factor, beta, after_beta == a.betas.end() ? std::nan("") : after_beta->second,
        change_beta == c.betas.end() ? std::nan("") : change_beta->second, 4);
  }
  if (b.factor_r2 || a.factor_r2) row("factor_r2", b.factor_r2, a.factor_r2, c.factor_r2, 4);
}

void run_whatif(Context& ctx, service::WhatIfRequest req) {
  req.trades = io::read_trades_file(*req.trades_file, std::nullopt, &req.trade_warnings, local_files());
  const service::Context cx = req.save_as ? ctx.service() : ctx.service_for(req.inputs.source);
  const service::WhatIfResult out = service::whatif(cx, req);
  for (const auto& w : out.warnings) ctx.warn(w);

  TextTable trades("Trades on " + out.portfolio + " at " + out.as_of.to_string() + " (cash " +
                   fmt_amount(out.cash_amount) + ")");
  trades.column("symbol", TextTable::Align::kLeft).column("quantity").column("price").column("source", TextTable::Align::kLeft)
      .column("cash_amount");
  for (const auto& t : out.trades) {
    trades.row({t.symbol, fmt_number(t.quantity, 0), cell(t.price, 4), t.price_source ? *t.price_source : "-",
                cell(t.cash_amount)});
  }
  for (const auto& p : out.positions) {
    trades.footer(p.symbol + ": " + fmt_number(p.quantity_before, 0) + " -> " + fmt_number(p.quantity_after, 0) +
                  " (" + std::string(service::trade_effect_name(p.effect)) + ")");
  }

  TextTable metrics("Before / after / change (amounts in the book's currency)");
  metrics.column("metric", TextTable::Align::kLeft).column("before").column("after").column("change");
  metric_rows(metrics, out);
  if (!out.factors.available) {
    metrics.footer("factor betas and stress: n/a (" + out.factors.reason.value_or("") + ")");
  }

  TextTable sectors("Net market value by sector");
  sectors.column("sector", TextTable::Align::kLeft).column("before").column("after").column("change");
  for (const auto& s : out.by_sector) sectors.row({s.key, cell(s.before), cell(s.after), cell(s.change)});

  std::vector<TextTable> tables{trades, metrics, sectors};
  if (!out.stress.empty()) {
    TextTable stress("Stress P&L by scenario");
    stress.column("scenario", TextTable::Align::kLeft).column("method", TextTable::Align::kLeft).column("before")
        .column("after").column("change");
    for (const auto& s : out.stress) stress.row({s.name, s.method, cell(s.before), cell(s.after), cell(s.change)});
    tables.push_back(stress);
  }
  if (out.saved_as) {
    tables.back().footer("saved the book after the trades as portfolio '" + out.saved_as->name + "' (" +
                         std::to_string(out.saved_as->positions) + " positions)");
  }
  ctx.emit(spec::to_json(out), tables);
}

}  // namespace

void add_whatif_commands(CLI::App& app, Context& ctx) {
  auto req = std::make_shared<service::WhatIfRequest>();
  auto* cmd = app.add_subcommand("whatif", "Apply proposed trades to a copy of a book: before / after / change");
  spec_options(cmd, *req);
  cmd->callback([&ctx, req] { run_whatif(ctx, *req); });
}

}  // namespace keel::cli
