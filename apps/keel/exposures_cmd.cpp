// `keel exposures --by type|sector|tag|strategy|underlying`: market value, notional and
// delta-adjusted exposure of a book, grouped, with the book's Greeks in money terms.
#include "book_flags.h"
#include "context.h"
#include "keel/core/error.h"
#include "keel/service/exposures.h"

namespace keel::cli {

void add_exposures_commands(CLI::App& app, Context& ctx) {
  auto bf = std::make_shared<BookFlags>();
  auto by = std::make_shared<std::string>("type");
  auto* cmd = app.add_subcommand(
      "exposures", "Gross, net, long, short and delta-adjusted exposure of a book, grouped");
  add_book_risk_flags(cmd, *bf);
  cmd->add_option("--by", *by, "Group by type, sector, tag, strategy or underlying")
      ->check(CLI::IsMember({"type", "sector", "tag", "strategy", "underlying"}));
  cmd->callback([&ctx, bf, by] {
    const auto group = exposures::parse_group_by(*by);
    if (!group) throw Error::usage("--by must be type, sector, tag, strategy or underlying");
    const service::PricedBook priced = price_book_from_flags(ctx, *bf);
    const nlohmann::json out = service::exposures_json(priced, *group);

    TextTable summary("Exposures of " + priced.book.name + " as of " + priced.book.as_of.to_string());
    summary.column("measure", TextTable::Align::kLeft).column("gross").column("net").column("long").column("short");
    auto row = [&](const std::string& name, const nlohmann::json& t) {
      summary.row({name, fmt_amount(t["gross"]), fmt_amount(t["net"]), fmt_amount(t["long"]), fmt_amount(t["short"])});
    };
    row("market value", out);
    row("delta-adjusted", out["delta_adjusted"]);
    row("notional", out["notional"]);
    const auto& g = out["greeks"];
    summary.footer("dollar delta " + fmt_amount(g["dollar_delta"]) + ", dollar gamma per 1% " +
                   fmt_amount(g["dollar_gamma_1pct"]) + ", vega per vol point " +
                   fmt_amount(g["vega_per_point"]) + ", theta per day " + fmt_amount(g["theta_per_day"]));

    TextTable groups("By " + *by);
    groups.column(*by, TextTable::Align::kLeft)
        .column("positions")
        .column("gross")
        .column("net")
        .column("long")
        .column("short")
        .column("delta_adj_gross")
        .column("delta_adj_net");
    for (const auto& gr : out["groups"]) {
      groups.row({gr["key"], std::to_string(gr["positions"].get<std::size_t>()), fmt_amount(gr["gross"]),
                  fmt_amount(gr["net"]), fmt_amount(gr["long"]), fmt_amount(gr["short"]),
                  fmt_amount(gr["delta_adjusted"]["gross"]), fmt_amount(gr["delta_adjusted"]["net"])});
    }
    if (*by == "tag") groups.footer("a position with several tags counts in each of them");

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
    for (const auto& p : out["positions"]) {
      positions.row({p["symbol"], p["type"], fmt_amount(p["quantity"], 0), fmt_amount(p["spot"]),
                     fmt_amount(p["market_value"]), fmt_amount(p["notional"]), fmt_number(p["delta"], 4),
                     fmt_amount(p["delta_adjusted"]),
                     p.contains("vol_source") ? p["vol_source"].get<std::string>() + " " +
                                                    (p["vol"].is_null() ? "" : fmt_percent(p["vol"]))
                                              : "-"});
    }
    ctx.emit(out, {summary, groups, positions});
  });
}

}  // namespace keel::cli
