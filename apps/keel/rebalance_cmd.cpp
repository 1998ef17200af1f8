// `keel rebalance`: from a book's holdings to target weights as trades, optionally closing the tax
// lots of a ledger account (docs/construction.md, "Rebalancing"). All logic lives in
// keel/service/rebalance.h; this file maps flags to the request and the result to tables.
#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <string>

#include "context.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/service/rebalance.h"

namespace keel::cli {
namespace {

void run_rebalance(Context& ctx, const service::RebalanceRequest& req, const std::string& orders_out) {
  if (!orders_out.empty() && !req.orders) throw Error::usage("--orders-out needs --orders csv or --orders fix");
  // The store when the book or the lots come from it.
  const bool stored_lots = req.tax_aware && !req.transactions_file;
  const service::Context cx = ctx.service_if(req.source.portfolio.has_value() || stored_lots);
  const service::RebalanceResult out = service::rebalance(cx, req);
  for (const auto& w : out.warnings) ctx.warn(w);
  if (!orders_out.empty() && out.orders) {
    std::ofstream f(orders_out, std::ios::binary);
    f << *out.orders;
    if (!f.good()) throw Error::invalid_input("cannot write the orders to " + orders_out);
    ctx.note(fmt::format("wrote {} order(s) to {}", out.trades.size(), orders_out));
  }

  TextTable trades(fmt::format("Rebalancing {} as of {}: value {} {}, cash {} -> {}", out.portfolio, out.as_of,
                               fmt_amount(out.value_amount), out.currency, fmt_amount(out.cash_before_amount),
                               fmt_amount(out.cash_after_amount)));
  trades.column("symbol", TextTable::Align::kLeft)
      .column("side", TextTable::Align::kLeft)
      .column("quantity")
      .column("price")
      .column("amount")
      .column("cost")
      .column("weight_before")
      .column("weight_after")
      .column("target");
  for (const auto& t : out.trades) {
    trades.row({t.symbol, t.side, fmt_number(t.quantity, 0), fmt_amount(t.price), fmt_amount(t.amount),
                fmt_amount(t.cost_amount), fmt_percent(t.weight_before), fmt_percent(t.weight_after),
                fmt_percent(t.target_weight)});
  }
  trades.footer(fmt::format("turnover {}, costs {}", fmt_percent(out.turnover), fmt_amount(out.cost_amount)));
  std::vector<TextTable> tables{trades};

  bool any_lots = false;
  for (const auto& t : out.trades) any_lots = any_lots || !t.lots.empty();
  if (any_lots) {
    TextTable lots("Lots sold");
    lots.column("symbol", TextTable::Align::kLeft)
        .column("lot", TextTable::Align::kLeft)
        .column("open_date", TextTable::Align::kLeft)
        .column("quantity")
        .column("basis")
        .column("gain")
        .column("term", TextTable::Align::kLeft);
    for (const auto& t : out.trades) {
      for (const auto& l : t.lots) {
        lots.row({t.symbol, l.lot_id, l.open_date.to_string(), fmt_number(l.quantity, 0),
                  fmt_amount(l.cost_basis_amount), fmt_amount(l.gain_amount), l.term});
      }
    }
    lots.footer(fmt::format("realized: short term {}, long term {}, total {}{}",
                            fmt_amount(out.realized_gain.short_term_amount),
                            fmt_amount(out.realized_gain.long_term_amount), fmt_amount(out.realized_gain.total_amount),
                            out.tax_budget_amount ? fmt::format(" (budget {})", fmt_amount(*out.tax_budget_amount))
                                                  : std::string()));
    tables.push_back(lots);
  }
  if (!out.wash_sales_avoided.empty()) {
    TextTable wash("Wash sales avoided");
    wash.column("symbol", TextTable::Align::kLeft)
        .column("lot", TextTable::Align::kLeft)
        .column("reason", TextTable::Align::kLeft);
    for (const auto& w : out.wash_sales_avoided) wash.row({w.symbol, w.lot_id ? *w.lot_id : "-", w.reason});
    tables.push_back(wash);
  }
  ctx.emit(spec::to_json(out), tables);
}

}  // namespace

void add_rebalance_commands(CLI::App& app, Context& ctx) {
  auto req = std::make_shared<service::RebalanceRequest>();
  auto* cmd = app.add_subcommand("rebalance", "Trades from a book's holdings to target weights (tax-aware with --account)");
  spec_options(cmd, *req);
  auto orders_out = std::make_shared<std::string>();
  cmd->add_option("--orders-out", *orders_out, "Write the orders (--orders csv|fix) to this file");
  cmd->callback([&ctx, req, orders_out] { run_rebalance(ctx, *req, *orders_out); });
}

}  // namespace keel::cli
