// `keel exposures --by type|sector|tag|strategy|underlying`: market value, notional and
// delta-adjusted exposure of a book, grouped, with the book's Greeks in money terms.
#include <fmt/format.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "context.h"
#include "spec_cli.h"
#include "keel/service/book_health.h"
#include "keel/service/exposures.h"

namespace keel::cli {
namespace {

void run_exposures(Context& ctx, const service::ExposuresRequest& req) {
  const service::ExposuresResult out = service::book_exposures(ctx.service_for(req.book.source), req);
  for (const auto& w : out.warnings) ctx.warn(w);
  for (const auto& e : out.errors) ctx.warn(e.symbol + ": not valued: " + e.message);

  TextTable summary("Exposures of " + out.header.portfolio + " as of " + out.header.as_of);
  summary.column("measure", TextTable::Align::kLeft).column("gross").column("net").column("long").column("short");
  auto row = [&](const std::string& name, const service::ExposureTotals& t) {
    summary.row({name, fmt_amount(t.gross), fmt_amount(t.net), fmt_amount(t.long_), fmt_amount(t.short_)});
  };
  row("market value", out.market_value);
  row("delta-adjusted", out.delta_adjusted);
  row("notional", out.notional);
  const auto& g = out.greeks;
  summary.footer("dollar delta " + fmt_amount(g.dollar_delta) + ", dollar gamma per 1% " +
                 fmt_amount(g.dollar_gamma_1pct) + ", vega per vol point " + fmt_amount(g.vega_per_point) +
                 ", theta per day " + fmt_amount(g.theta_per_day) + ", rho per rate point " +
                 fmt_amount(g.rho_per_point));

  TextTable groups("By " + out.by);
  groups.column(out.by, TextTable::Align::kLeft)
      .column("positions")
      .column("gross")
      .column("net")
      .column("long")
      .column("short")
      .column("delta_adj_gross")
      .column("delta_adj_net");
  const bool by_currency = req.by == exposures::GroupBy::kCurrency;
  if (by_currency) groups.column("hedged").column("hedge_ratio");
  for (const auto& gr : out.groups) {
    std::vector<std::string> cells{gr.key,
                                   std::to_string(gr.positions),
                                   fmt_amount(gr.market_value.gross),
                                   fmt_amount(gr.market_value.net),
                                   fmt_amount(gr.market_value.long_),
                                   fmt_amount(gr.market_value.short_),
                                   fmt_amount(gr.delta_adjusted.gross),
                                   fmt_amount(gr.delta_adjusted.net)};
    if (by_currency) {
      cells.push_back(fmt_amount(gr.hedged.value_or(0.0)));
      cells.push_back(fmt::format("{:.1f}%", 100.0 * gr.hedge_ratio.value_or(0.0)));
    }
    groups.row(std::move(cells));
  }
  if (req.by == exposures::GroupBy::kTag) groups.footer("a position with several tags counts in each of them");

  TextTable positions("Positions");
  positions.column("symbol", TextTable::Align::kLeft)
      .column("type", TextTable::Align::kLeft)
      .column("quantity")
      .column("spot")
      .column("market_value")
      .column("notional")
      .column("delta")
      .column("delta_adjusted")
      .column("vol_source", TextTable::Align::kLeft);
  for (const auto& p : out.positions) {
    const auto& o = p.option;
    positions.row({p.position.symbol, p.position.type, fmt_amount(p.position.quantity, 0),
                   fmt_amount(p.position.spot), fmt_amount(p.position.market_value), fmt_amount(p.notional),
                   fmt_number(p.delta, 4), fmt_amount(p.delta_adjusted),
                   o.vol_source ? *o.vol_source + " " + (o.vol && *o.vol ? fmt_percent(**o.vol) : "") : "-"});
  }
  ctx.emit(spec::to_json(out), {summary, groups, positions});
}

// `keel health`: the book's health checks, one row each (keel/service/book_health.h).
void run_health(Context& ctx, const service::BookHealthRequest& req) {
  const service::BookHealthResult out = service::book_health(ctx.service_for(req.book.source), req);
  TextTable t("Health of " + out.header.portfolio + " as of " + out.header.as_of + " (gross " +
              fmt_amount(out.gross_amount) + " " + out.currency + ")");
  t.column("check", TextTable::Align::kLeft)
      .column("status", TextTable::Align::kLeft)
      .column("figure")
      .column("limit")
      .column("subject", TextTable::Align::kLeft)
      .column("positions", TextTable::Align::kLeft);
  for (const auto& c : out.checks) {
    const bool weight = c.unit != "positions";
    const auto shown = [&](double x) { return weight ? fmt_percent(x) : fmt::format("{:.0f}", x); };
    std::string names;
    for (const auto& p : c.positions) names += (names.empty() ? "" : ", ") + p;
    t.row({c.id, c.status, c.figure ? shown(*c.figure) : "-", shown(c.limit), c.subject.empty() ? "-" : c.subject,
           names.empty() ? "-" : names});
  }
  t.footer(fmt::format("{} warning{}, {} alert{}", out.warnings, out.warnings == 1 ? "" : "s", out.alerts,
                       out.alerts == 1 ? "" : "s"));
  ctx.emit(spec::to_json(out), {t});
}

}  // namespace

void add_exposures_commands(CLI::App& app, Context& ctx) {
  auto health_req = std::make_shared<service::BookHealthRequest>();
  auto* health = app.add_subcommand(
      "health", "Health checks of a book: concentration, sectors, currencies, cash, stale prices, expiring options");
  spec_options(health, *health_req);
  health->callback([&ctx, health_req] { run_health(ctx, *health_req); });

  auto req = std::make_shared<service::ExposuresRequest>();
  auto* cmd = app.add_subcommand(
      "exposures", "Gross, net, long, short and delta-adjusted exposure of a book, grouped");
  spec_options(cmd, *req);
  cmd->callback([&ctx, req] { run_exposures(ctx, *req); });
}

}  // namespace keel::cli
