// `keel options price` (one option, or its implied vol), `keel options greeks` (a whole book) and
// `keel options iv FILE` (implied vols of a CSV of quotes).
#include <fmt/format.h>

#include "context.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/service/exposures.h"
#include "keel/service/option_ivs.h"
#include "keel/service/options.h"

namespace keel::cli {
namespace {

std::string num(double v, int decimals = 6) { return fmt_number(v, decimals); }

void run_price(Context& ctx, const service::OptionPriceRequest& req) {
  const service::OptionPriceResult out = service::price_option(service::Context{nullptr, system_env()}, req);
  TextTable t(std::string(req.right == OptionRight::kPut ? "Put" : "Call") + " (" + out.model + ")");
  t.column("measure", TextTable::Align::kLeft).column("value").column("unit", TextTable::Align::kLeft);
  if (out.implied_vol) t.row({"implied_vol", num(*out.implied_vol), "decimal per year"});
  t.row({"price", num(out.price), "per unit of underlying"});
  t.row({"delta", num(out.delta), "per 1.00 of spot"});
  t.row({"gamma", num(out.gamma), "per 1.00 of spot, squared"});
  t.row({"vega", num(out.vega), "per 1.00 of vol"});
  t.row({"theta", num(out.theta), "per year"});
  t.row({"rho", num(out.rho), "per 1.00 of rate"});
  t.row({"theta_per_day", num(out.theta_per_day), "per calendar day"});
  t.row({"vega_per_point", num(out.vega_per_point), "per vol point"});
  t.row({"years", num(out.years), "act/365"});
  ctx.emit(spec::to_json(out), {t});
}

void run_greeks(Context& ctx, const service::OptionGreeksRequest& req) {
  const service::OptionGreeksResult out = service::option_greeks(ctx.service_for(req.book.source), req);
  for (const auto& w : out.warnings) ctx.warn(w);
  for (const auto& e : out.errors) ctx.warn(e.symbol + ": not valued: " + e.message);
  TextTable t("Greeks of " + out.header.portfolio + " as of " + out.header.as_of + " (rate " +
              fmt_percent(out.header.rate) + ", dividend yield " + fmt_percent(out.header.div) +
              " unless the position has its own)");
  t.column("symbol", TextTable::Align::kLeft)
      .column("qty")
      .column("spot")
      .column("vol")
      .column("vol_source", TextTable::Align::kLeft)
      .column("div")
      .column("model", TextTable::Align::kLeft)
      .column("price")
      .column("delta")
      .column("gamma")
      .column("vega")
      .column("theta")
      .column("$delta")
      .column("$gamma_1%")
      .column("vega_pt")
      .column("theta_day");
  for (const auto& p : out.positions) {
    const auto& o = p.option;
    const bool opt = o.model.has_value();
    t.row({p.position.symbol, fmt_amount(p.position.quantity, 0), fmt_amount(p.position.spot),
           opt && o.vol && *o.vol ? fmt_percent(**o.vol) : "-", opt ? o.vol_source.value_or("") : "-",
           opt ? fmt_percent(o.div.value_or(0.0)) : "-", opt ? *o.model : "-", fmt_amount(p.position.price, 4),
           num(p.delta, 4), num(p.gamma, 5), num(p.vega, 4), num(p.theta, 4), fmt_amount(p.dollar_delta),
           fmt_amount(p.dollar_gamma_1pct), fmt_amount(p.vega_per_point), fmt_amount(p.theta_per_day)});
  }
  const auto& tot = out.totals;
  t.footer("book dollar delta          " + fmt_amount(tot.dollar_delta));
  t.footer("book dollar gamma per 1%   " + fmt_amount(tot.dollar_gamma_1pct));
  t.footer("book vega per vol point    " + fmt_amount(tot.vega_per_point));
  t.footer("book theta per day         " + fmt_amount(tot.theta_per_day));
  t.footer("book rho per rate point    " + fmt_amount(tot.rho_per_point));
  ctx.emit(spec::to_json(out), {t});
}

void run_ivs(Context& ctx, const service::OptionIvsRequest& req) {
  const service::OptionIvsResult out = service::implied_vols(ctx.service(), req);
  for (const auto& w : out.warnings) ctx.warn(w);
  if (out.without_vol > 0) {
    ctx.warn(fmt::format("{} of {} quote(s) have no implied volatility (see status and problem)",
                         out.without_vol, out.rows.size()));
  }
  TextTable t("Implied volatilities of " + out.file + " (as of " + out.as_of + ")");
  t.column("line")
      .column("symbol", TextTable::Align::kLeft)
      .column("option_type", TextTable::Align::kLeft)
      .column("exercise", TextTable::Align::kLeft)
      .column("spot")
      .column("strike")
      .column("years")
      .column("price")
      .column("rate")
      .column("div")
      .column("implied_vol")
      .column("status", TextTable::Align::kLeft)
      .column("problem", TextTable::Align::kLeft);
  for (const auto& r : out.rows) {
    t.row({std::to_string(r.line), r.symbol, r.option_type, r.exercise, num(r.spot), num(r.strike), num(r.years),
           num(r.price), num(r.rate), num(r.div), r.implied_vol ? num(*r.implied_vol, 10) : "", r.status, r.problem});
  }
  ctx.emit(spec::to_json(out), {t});
}

}  // namespace

void add_options_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("options", "Option prices, Greeks and implied volatility");
  group->require_subcommand(1);

  auto preq = std::make_shared<service::OptionPriceRequest>();
  auto* price = group->add_subcommand(
      "price", "Black-Scholes-Merton price and Greeks of one option (or its implied vol from --price)");
  spec_options(price, *preq);
  price->callback([&ctx, preq] { run_price(ctx, *preq); });

  auto greq = std::make_shared<service::OptionGreeksRequest>();
  auto* greeks = group->add_subcommand("greeks", "Price and Greeks of every position of a book");
  spec_options(greeks, *greq);
  greeks->callback([&ctx, greq] { run_greeks(ctx, *greq); });

  auto ireq = std::make_shared<service::OptionIvsRequest>();
  auto* iv = group->add_subcommand(
      "iv", "Implied vols of a CSV of option quotes (European and American; docs/formats.md, \"Option quotes\")");
  spec_options(iv, *ireq);
  iv->callback([&ctx, ireq] { run_ivs(ctx, *ireq); });
}

}  // namespace keel::cli
