// `keel fx rate FROM TO [--date D]` and `keel fx pairs`: the stored FX rates (keel/service/fx.h).
#include <fmt/format.h>

#include "context.h"
#include "spec_cli.h"
#include "keel/service/fx.h"

namespace keel::cli {

void add_fx_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("fx", "Stored FX rates: one conversion rate, or the pairs held");
  group->require_subcommand(1);

  auto req = std::make_shared<service::FxRateRequest>();
  auto* rate = group->add_subcommand("rate", "The rate converting FROM into TO on a date, and its route");
  rate->add_option("from", req->from, "Currency converted, e.g. EUR")->required();
  rate->add_option("to", req->to, "Currency converted into, e.g. USD")->required();
  spec_options(rate, *req);
  rate->callback([&ctx, req] {
    const auto r = service::fx_rate(ctx.service(), *req);
    TextTable t(fmt::format("{} → {} on {}", r.from, r.to, r.date));
    t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    t.row({"rate", fmt::format("{:.10g}", r.rate)});
    t.row({"rate_date", r.rate_date});
    t.row({"route", r.route});
    t.row({"via", r.via.empty() ? "-" : r.via});
    ctx.emit(spec::to_json(r), {t});
  });

  auto* pairs = group->add_subcommand("pairs", "Stored pairs with their first and last date and count");
  pairs->callback([&ctx] {
    const auto out = service::fx_pairs(ctx.service());
    TextTable t;
    t.column("pair", TextTable::Align::kLeft)
        .column("first_date", TextTable::Align::kLeft)
        .column("last_date", TextTable::Align::kLeft)
        .column("rates");
    for (const auto& p : out.items) t.row({p.pair, p.first_date, p.last_date, std::to_string(p.rates)});
    if (out.items.empty()) t.footer("no FX rates yet: keel import fx FILE");
    ctx.emit(spec::to_json(out), {t});
  });
}

}  // namespace keel::cli
