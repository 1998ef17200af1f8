// `keel portfolio list|show|position|history|check|create|set-currency|delete`.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "context.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/service/imports.h"
#include "keel/service/portfolio_history.h"
#include "keel/service/portfolio_performance.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/position_detail.h"
#include "keel/service/readiness.h"

namespace keel::cli {

void add_portfolio_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("portfolio", "List, show and delete stored portfolios");
  group->require_subcommand(1);

  // The items of GET /api/v1/portfolios (all of them: no page).
  auto* list = group->add_subcommand("list", "Stored portfolios with the figures of their newest snapshot");
  list->callback([&ctx] {
    const service::Context cx = ctx.service();
    const spec::ItemsOf<service::PortfolioListItem> out{service::portfolio_list(cx)};
    const auto& items = out.items;
    TextTable t;
    t.column("name", TextTable::Align::kLeft)
        .column("positions")
        .column("updated", TextTable::Align::kLeft)
        .column("net_value")
        .column("var")
        .column("zone", TextTable::Align::kLeft);
    for (const auto& p : items) {
      const auto& s = p.last_snapshot;
      auto amount = [](const spec::Nullable<double>& v) { return v ? fmt_amount(*v) : "-"; };
      t.row({p.record.name, std::to_string(p.record.positions), p.record.updated_at,
             s ? amount(s->net_value_amount) : "-", s ? amount(s->var_amount) : "-",
             s && s->backtest_zone ? *s->backtest_zone : "-"});
    }
    if (items.empty()) t.footer("no portfolios yet: keel import positions FILE --portfolio NAME");
    ctx.emit(spec::to_json(out), {t});
  });

  auto name = std::make_shared<std::string>();
  auto sreq = std::make_shared<service::PortfolioShowRequest>();
  auto* show = group->add_subcommand("show", "Positions with last price and market value");
  show->add_option("name", sreq->portfolio, "Portfolio name")->required();
  spec_options(show, *sreq);
  show->callback([&ctx, sreq] {
    const auto view = service::show_portfolio(ctx.service(), *sreq);
    TextTable t("Portfolio " + view.name + (view.as_of ? " as of " + view.as_of->to_string() : "") + " in " +
                view.currency);
    t.column("id")
        .column("symbol", TextTable::Align::kLeft)
        .column("type", TextTable::Align::kLeft)
        .column("quantity")
        .column("currency", TextTable::Align::kLeft)
        .column("last_price")
        .column("value_local")
        .column("fx_rate")
        .column("market_value")
        .column("weight")
        .column("sector", TextTable::Align::kLeft);
    auto amount = [](const spec::Nullable<double>& x) { return x ? fmt_amount(*x) : std::string("-"); };
    for (const auto& pv : view.positions) {
      const auto& p = pv.position;
      t.row({std::to_string(pv.id), p.symbol, std::string(instrument_type_name(p.type)), fmt_amount(p.quantity, p.quantity == static_cast<long long>(p.quantity) ? 0 : 4),
             p.currency, amount(pv.last_price), amount(pv.market_value_local),
             pv.fx_rate ? fmt::format("{:.6g}", *pv.fx_rate) : "-", amount(pv.market_value),
             pv.weight ? fmt_percent(*pv.weight) : "-", p.sector});
    }
    const std::string& cur = view.currency;
    t.footer("net market value   " + fmt_amount(view.net_market_value) + " " + cur);
    t.footer("gross market value " + fmt_amount(view.gross_market_value) + " " + cur);
    t.footer("long / short       " + fmt_amount(view.long_market_value) + " / " + fmt_amount(view.short_market_value) +
             " " + cur);
    for (const auto& w : view.warnings) ctx.warn(w);
    ctx.emit(spec::to_json(view), {t});
  });

  // `keel portfolio position NAME ID [--as-of]`: one position valued (keel/service/position_detail.h).
  auto dreq = std::make_shared<service::PositionDetailRequest>();
  auto* position = group->add_subcommand("position", "One position: price, value, cost, P&L and Greeks");
  spec_options(position, *dreq);
  position->callback([&ctx, dreq] {
    const auto d = service::position_detail(ctx.service(), *dreq);
    TextTable t(fmt::format("Position {} of {} ({}) as of {} in {}", d.id, d.portfolio, d.position.symbol, d.as_of,
                            d.reporting_currency));
    t.column("field", TextTable::Align::kLeft).column("value");
    auto amount = [](const spec::Nullable<double>& x, int digits = 2) {
      return x ? fmt_amount(*x, digits) : std::string("-");
    };
    if (const auto& v = d.valuation) {
      t.row({"price", amount(v->price, 4)});
      t.row({"price_date", v->price_date.value_or("-")});
      t.row({"market_value", amount(v->market_value_amount)});
      t.row({"weight", v->weight ? fmt_percent(*v->weight) : "-"});
      t.row({"cost_basis", amount(v->cost_basis_amount)});
      t.row({"unrealized_pnl", amount(v->unrealized_pnl_amount)});
      t.row({"pnl_1d", amount(v->pnl_1d_amount)});
      t.row({"delta", amount(v->delta, 4)});
      t.row({"delta_adjusted", amount(v->delta_adjusted_amount)});
      t.row({"gamma", amount(v->gamma, 6)});
      t.row({"dollar_gamma_1pct", amount(v->dollar_gamma_1pct_amount)});
      t.row({"vega_per_point", amount(v->vega_per_point_amount)});
      t.row({"theta_per_day", amount(v->theta_per_day_amount)});
      t.row({"rho_per_point", amount(v->rho_per_point_amount)});
    }
    for (const auto& w : d.warnings) ctx.warn(w);
    ctx.emit(spec::to_json(d), {t});
  });

  // `keel portfolio history NAME [--from --to]`: the batch's snapshots (keel/service/portfolio_history.h).
  auto hreq = std::make_shared<service::PortfolioHistoryRequest>();
  auto* history = group->add_subcommand("history", "Value, P&L and VaR over time, from the batch's snapshots");
  history->add_option("name", hreq->portfolio, "Portfolio name")->required();
  spec_options(history, *hreq);
  auto report_of = std::make_shared<std::string>();
  history->add_option("--report", *report_of,
                      "Print the report.json the batch kept with the snapshot of this date (YYYY-MM-DD)");
  history->callback([&ctx, hreq, report_of] {
    if (!report_of->empty()) {
      // The report's JSON whatever --format asks (it is the report.json of that run).
      const auto text =
          service::snapshot_report(ctx.service(), hreq->portfolio, Date::parse_or_throw(*report_of, "--report"));
      std::cout << nlohmann::json::parse(text).dump(2) << "\n";
      return;
    }
    const auto doc = service::portfolio_history(ctx.service(), *hreq);
    TextTable table("History of " + doc.portfolio);
    table.column("as_of", TextTable::Align::kLeft).column("net_value").column("pnl_1d").column("var").column("es")
        .column("zone", TextTable::Align::kLeft).column("report", TextTable::Align::kLeft);
    auto amount = [](const spec::Nullable<double>& v) { return v ? fmt_amount(*v) : "-"; };
    for (const auto& p : doc.points) {
      table.row({p.as_of, amount(p.net_value_amount), amount(p.pnl_1d_amount), amount(p.var_amount),
                 amount(p.es_amount), p.backtest_zone ? *p.backtest_zone : "-", p.report_kept ? "kept" : "-"});
    }
    if (std::any_of(doc.points.begin(), doc.points.end(), [](const auto& p) { return p.report_kept; })) {
      table.footer("a kept report: keel portfolio history " + doc.portfolio + " --report DATE");
    }
    if (doc.points.empty()) table.footer("no snapshots yet: keel batch run --portfolio " + doc.portfolio);
    ctx.emit(spec::to_json(doc), {table});
  });

  // `keel portfolio performance NAME [--from --to --benchmark --risk-free --series]`: returns over
  // the snapshots (keel/service/portfolio_performance.h).
  auto preq = std::make_shared<service::PortfolioPerformanceRequest>();
  auto* perf = group->add_subcommand("performance",
                                     "Time-weighted return, volatility, Sharpe, drawdown and a benchmark's comparison "
                                     "over the batch's snapshots");
  perf->add_option("name", preq->portfolio, "Portfolio name")->required();
  spec_options(perf, *preq);
  perf->callback([&ctx, preq] {
    const auto out = service::portfolio_performance(ctx.service(), *preq);
    TextTable t(fmt::format("Performance of {} in {}, {} .. {} ({} snapshots)", out.portfolio, out.currency, out.start,
                            out.end, out.points));
    t.column("measure", TextTable::Align::kLeft).column("value");
    t.row({"start value", fmt_amount(out.start_value_amount)});
    t.row({"end value", fmt_amount(out.end_value_amount)});
    t.row({"P&L", fmt_amount(out.pnl_amount)});
    t.row({"flows (trades, cash)", fmt_amount(out.flows_amount)});
    t.row({"time-weighted return", fmt_percent(out.twr, 2)});
    t.row({"annualised", fmt_percent(out.cagr, 2)});
    t.row({"volatility", fmt_percent(out.volatility, 2)});
    t.row({"Sharpe", fmt_number(out.sharpe, 2)});
    t.row({"Sortino", fmt_number(out.sortino, 2)});
    t.row({"max drawdown", fmt_percent(out.max_drawdown.depth, 2)});
    if (out.benchmark) {
      const auto& b = *out.benchmark;
      t.row({"benchmark " + b.benchmark + " return", fmt_percent(b.benchmark_return, 2)});
      t.row({"excess return", fmt_percent(b.excess_return, 2)});
      t.row({"tracking error", fmt_percent(b.tracking_error, 2)});
      t.row({"information ratio", fmt_number(b.information_ratio, 2)});
      t.row({"beta", fmt_number(b.beta, 2)});
      t.row({"alpha (annualised)", fmt_percent(b.alpha, 2)});
    }
    for (const auto& w : out.warnings) ctx.warn(w);
    ctx.emit(spec::to_json(out), {t});
  });

  auto creq = std::make_shared<service::PortfolioCreateRequest>();
  auto* create = group->add_subcommand("create", "Create an empty portfolio (positions: keel import positions)");
  create->add_option("name", creq->name, "Portfolio name")->required();
  create->add_option("--currency", creq->currency, "Reporting currency (default USD)");
  create->callback([&ctx, creq] {
    const auto out = service::create_portfolio(ctx.service(), *creq);
    TextTable t;
    t.column("created", TextTable::Align::kLeft).column("id").column("currency", TextTable::Align::kLeft);
    t.row({out.name, std::to_string(out.id), out.base_currency});
    ctx.emit(spec::to_json(out), {t});
  });

  // `keel portfolio from-ledger NAME [--account A] [--as-of D]`,
  // POST /api/v1/portfolios/{id}/positions/from-ledger.
  auto lreq = std::make_shared<service::PortfolioFromLedgerRequest>();
  auto* from_ledger = group->add_subcommand(
      "from-ledger", "Replace a portfolio's positions with what the ledger holds (one account or all), for its risk");
  from_ledger->add_option("name", lreq->portfolio, "Portfolio name (created when missing)")->required();
  spec_options(from_ledger, *lreq);
  from_ledger->callback([&ctx, lreq] { print_import_result(ctx, service::portfolio_from_ledger(ctx.service(), *lreq)); });

  // `keel portfolio set-currency NAME CUR`, the PATCH of GET /api/v1/portfolios/{id}.
  auto cureq = std::make_shared<service::PortfolioCurrencyRequest>();
  auto* set_currency = group->add_subcommand("set-currency", "Change a portfolio's reporting currency");
  set_currency->add_option("name", cureq->portfolio, "Portfolio name")->required();
  set_currency->add_option("currency", cureq->currency, "Reporting currency, e.g. EUR")->required();
  set_currency->callback([&ctx, cureq] {
    const auto out = service::set_portfolio_currency(ctx.service(), *cureq);
    TextTable t;
    t.column("portfolio", TextTable::Align::kLeft).column("currency", TextTable::Align::kLeft);
    t.row({out.name, out.base_currency});
    ctx.emit(spec::to_json(out), {t});
  });

  // `keel portfolio check NAME`, GET /api/v1/portfolios/{id}/readiness.
  auto rreq = std::make_shared<service::ReadinessRequest>();
  auto* check = group->add_subcommand("check", "What the portfolio still lacks before its risk runs, and how to get it");
  check->add_option("name", rreq->portfolio, "Portfolio name or id")->required();
  spec_options(check, *rreq);
  check->callback([&ctx, rreq] {
    const auto out = service::portfolio_readiness(ctx.service(), *rreq);
    TextTable t("Readiness of " + out.portfolio +
                (out.window_from ? " (risk window " + out.window_from->to_string() + ".." + out.window_to->to_string() + ")"
                                 : std::string()));
    t.column("what", TextTable::Align::kLeft)
        .column("symbol", TextTable::Align::kLeft)
        .column("missing", TextTable::Align::kLeft)
        .column("how_to_fix", TextTable::Align::kLeft);
    for (const auto& i : out.items) t.row({i.what, i.symbol.empty() ? "-" : i.symbol, i.missing, i.how_to_fix});
    t.footer(out.ready ? "ready: nothing is missing" : std::to_string(out.items.size()) + " items missing");
    ctx.emit(spec::to_json(out), {t});
  });

  auto* del = group->add_subcommand("delete", "Delete a portfolio and its positions");
  del->add_option("name", *name, "Portfolio name")->required();
  del->callback([&ctx, name] {
    const auto out = service::delete_portfolio(ctx.service(), *name);
    TextTable t;
    t.column("deleted", TextTable::Align::kLeft).row({out.name});
    ctx.emit(spec::to_json(out), {t});
  });
}

}  // namespace keel::cli
