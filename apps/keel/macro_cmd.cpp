// `keel macro list` and `keel macro show ID [--from D] [--to D]`: the stored macro series
// (keel/service/macro.h; `keel fetch macro` stores them).
#include <fmt/format.h>

#include "context.h"
#include "keel/service/macro.h"
#include "spec_cli.h"

namespace keel::cli {

void add_macro_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("macro", "Stored macro series (keel fetch macro): list, show with yoy changes");
  group->require_subcommand(1);

  auto* list = group->add_subcommand("list", "Stored series with their units, dates and counts");
  list->callback([&ctx] {
    const auto out = service::macro_list(ctx.service());
    TextTable t;
    t.column("series", TextTable::Align::kLeft)
        .column("units", TextTable::Align::kLeft)
        .column("frequency", TextTable::Align::kLeft)
        .column("first", TextTable::Align::kLeft)
        .column("last", TextTable::Align::kLeft)
        .column("observations");
    auto day = [](const spec::Nullable<Date>& d) { return d ? d->to_string() : std::string("-"); };
    for (const auto& s : out.items) {
      t.row({s.id, s.units, s.frequency, day(s.first), day(s.last), std::to_string(s.observations)});
    }
    if (out.items.empty()) t.footer("no macro series yet: keel fetch macro CPIAUCSL UNRATE");
    ctx.emit(spec::to_json(out), {t});
  });

  auto req = std::make_shared<service::MacroShowRequest>();
  auto* show = group->add_subcommand("show", "A series' observations with their year-over-year changes");
  spec_options(show, *req);
  show->callback([&ctx, req] {
    const auto out = service::macro_show(ctx.service(), *req);
    TextTable t(fmt::format("{}: {} ({})", out.series.id, out.series.title, out.series.units));
    t.column("date", TextTable::Align::kLeft).column("value").column("yoy");
    for (const auto& p : out.observations) {
      t.row({p.date.to_string(), fmt::format("{:.6g}", p.value),
             p.yoy ? fmt::format("{:.2f}%", *p.yoy * 100.0) : std::string("-")});
    }
    ctx.emit(spec::to_json(out), {t});
  });
}

}  // namespace keel::cli
