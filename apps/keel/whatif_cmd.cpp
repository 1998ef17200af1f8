// `keel whatif`: proposed trades applied to a copy of a book, with before / after / change of
// exposures, Greeks, factor betas, VaR/ES and stress (docs/whatif.md). All logic lives in
// keel/service/whatif.h; the flags come from the request's description, the tables from the result (WhatIfResult).
// `keel session ...`: the modelling sessions of the HTTP API (keel/service/whatif_sessions.h).
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "context.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/service/whatif.h"
#include "keel/service/whatif_sessions.h"

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
  row("rho_per_point", b.greeks.rho_per_point, a.greeks.rho_per_point, c.greeks.rho_per_point);
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

// The result's tables: trades, metrics, sectors, and stress with factor data.
std::vector<TextTable> whatif_tables(const service::WhatIfResult& out) {
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
    tables.back().footer(fmt::format("saved the book after the trades as portfolio '{}' ({} positions)",
                                     out.saved_as->name, out.saved_as->positions));
  }
  return tables;
}

void run_whatif(Context& ctx, service::WhatIfRequest req) {
  req.trades = io::read_trades_file(*req.trades_file, std::nullopt, &req.trade_warnings, local_files());
  const service::Context cx = req.save_as ? ctx.service() : ctx.service_for(req.inputs.source);
  const service::WhatIfResult out = service::whatif(cx, req);
  for (const auto& w : out.warnings) ctx.warn(w);
  ctx.emit(spec::to_json(out), whatif_tables(out));
}

TextTable session_table(const service::SessionInfo& s) {
  TextTable t(fmt::format("Session {} ({})", s.id, s.name));
  t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
  t.row({"portfolio", s.portfolio}).row({"owner", s.owner}).row({"trades", std::to_string(s.trade_count)});
  t.row({"updated_at", s.updated_at});
  return t;
}

TextTable trades_table(const std::string& title, const std::vector<service::SessionTrade>& trades) {
  TextTable t(title);
  t.column("number").column("symbol", TextTable::Align::kLeft).column("quantity").column("price")
      .column("origin", TextTable::Align::kLeft);
  for (const auto& tr : trades) {
    t.row({std::to_string(tr.number), tr.position.symbol, fmt_number(tr.position.quantity, 0),
           tr.price ? fmt_amount(*tr.price, 4) : "-", tr.origin});
  }
  return t;
}

// `keel session ...`: the modelling sessions of /api/v1/sessions (keel/service/whatif_sessions.h)
// in the store's default tenant, run as the operator: the same use cases, the same audit rows.
void add_session_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("session", "What-if modelling sessions: proposed trades kept on a stored portfolio");
  group->require_subcommand(1);
  auto id = std::make_shared<std::int64_t>(0);
  auto number = std::make_shared<std::int64_t>(0);
  auto file = std::make_shared<std::string>();

  auto portfolio = std::make_shared<std::string>();
  auto create_req = std::make_shared<service::SessionCreateRequest>();
  auto* create = group->add_subcommand("create", "Open a session on a stored portfolio");
  create->add_option("portfolio", *portfolio, "Stored portfolio (name or id)")->required();
  create->add_option("name", create_req->name, "Session name, 1 to 200 characters")->required();
  create->callback([&ctx, portfolio, create_req] {
    const auto out = service::create_modelling_session(ctx.service(), *portfolio, *create_req);
    ctx.emit(spec::to_json(out), {session_table(out)});
  });

  auto* list = group->add_subcommand("list", "Sessions of the store, by id");
  list->callback([&ctx] {
    const spec::ItemsOf<service::SessionInfo> out{service::list_modelling_sessions(ctx.service())};
    TextTable t;
    t.column("id").column("name", TextTable::Align::kLeft).column("portfolio", TextTable::Align::kLeft)
        .column("owner", TextTable::Align::kLeft).column("trades");
    for (const auto& s : out.items) {
      t.row({std::to_string(s.id), s.name, s.portfolio, s.owner, std::to_string(s.trade_count)});
    }
    if (out.items.empty()) t.footer("no sessions yet: keel session create PORTFOLIO NAME");
    ctx.emit(spec::to_json(out), {t});
  });

  auto* show = group->add_subcommand("show", "A session with its trades");
  show->add_option("id", *id, "Session id")->required();
  show->callback([&ctx, id] {
    const auto out = service::show_modelling_session(ctx.service(), *id);
    ctx.emit(spec::to_json(out), {session_table(out.session), trades_table("Trades", out.trades)});
  });

  auto oreq = std::make_shared<service::SessionOrdersRequest>();
  auto* orders = group->add_subcommand("orders", "The session's trades as orders: a CSV blotter or FIX 4.4 messages");
  orders->add_option("id", *id, "Session id")->required();
  spec_options(orders, *oreq);
  orders->callback([&ctx, id, oreq] {
    const auto out = service::session_orders(ctx.service(), *id, *oreq);
    if (ctx.format() == Format::kJson) {
      ctx.emit(spec::to_json(out), {});
    } else {
      std::cout << out.orders;
    }
  });

  auto* add = group->add_subcommand("add-trades", "Add the trades of a CSV file (docs/formats.md, \"Trades\")");
  add->add_option("id", *id, "Session id")->required();
  add->add_option("file", *file, "Trades CSV: symbol,quantity (+ buy, - sell) [,price, option columns]")->required();
  add->callback([&ctx, id, file] {
    std::vector<std::string> warnings;
    const auto trades = io::read_trades_file(*file, std::nullopt, &warnings, local_files());
    const auto out = service::add_session_trades(ctx.service(), *id, trades, warnings);
    for (const auto& w : out.warnings) ctx.warn(w);
    ctx.emit(spec::to_json(out), {trades_table(fmt::format("Added to session {}", out.id), out.added)});
  });

  auto* drop = group->add_subcommand("delete-trade", "Remove one trade of a session by its number");
  drop->add_option("id", *id, "Session id")->required();
  drop->add_option("number", *number, "Trade number (numbers are never reused)")->required();
  drop->callback([&ctx, id, number] {
    const auto out = service::delete_session_trade(ctx.service(), *id, *number);
    ctx.emit(spec::to_json(out), {TextTable(fmt::format("Removed trade {} of session {}", out.number, out.id))});
  });

  auto* calc = group->add_subcommand("calculate", "Before / after / change of the session's trades (default settings)");
  calc->add_option("id", *id, "Session id")->required();
  calc->callback([&ctx, id] {
    service::WhatIfRequest defaults;
    const auto out = service::calculate_modelling_session(ctx.service(), *id, std::move(defaults));
    for (const auto& w : out.warnings) ctx.warn(w);
    ctx.emit(spec::to_json(out), whatif_tables(out));
  });

  auto save_req = std::make_shared<service::SessionSaveRequest>();
  auto* save = group->add_subcommand("save", "Save the book after the session's trades as a new portfolio");
  save->add_option("id", *id, "Session id")->required();
  save->add_option("name", save_req->name, "Name of the new portfolio")->required();
  save->add_flag("--replace", save_req->replace, "Overwrite an existing portfolio of that name");
  save->callback([&ctx, id, save_req] {
    const auto out = service::save_modelling_session(ctx.service(), *id, *save_req);
    ctx.emit(spec::to_json(out), {TextTable(fmt::format("Saved session {} as portfolio '{}' ({} positions)",
                                                        out.session_id, out.portfolio.name, out.portfolio.positions))});
  });

  auto* del = group->add_subcommand("delete", "Delete a session and its trades");
  del->add_option("id", *id, "Session id")->required();
  del->callback([&ctx, id] {
    const auto out = service::delete_modelling_session(ctx.service(), *id);
    ctx.emit(spec::to_json(out), {TextTable(fmt::format("Deleted session {}", out.id))});
  });
}

}  // namespace

void add_whatif_commands(CLI::App& app, Context& ctx) {
  auto req = std::make_shared<service::WhatIfRequest>();
  auto* cmd = app.add_subcommand("whatif", "Apply proposed trades to a copy of a book: before / after / change");
  spec_options(cmd, *req);
  cmd->callback([&ctx, req] { run_whatif(ctx, *req); });
  add_session_commands(app, ctx);
}

}  // namespace keel::cli
