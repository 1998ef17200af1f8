// `keel prices show SYMBOL [--from D] [--to D]`: the stored prices of a symbol (keel/service/prices.h;
// `keel import prices` and `keel fetch prices` store them).
#include <fmt/format.h>

#include "context.h"
#include "keel/service/prices.h"
#include "spec_cli.h"

namespace keel::cli {

void add_prices_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("prices", "Stored prices (keel import prices, keel fetch prices): show a symbol's");
  group->require_subcommand(1);
  auto req = std::make_shared<service::PricesShowRequest>();
  auto* show = group->add_subcommand("show", "A symbol's stored closes and adjusted closes, and how fresh they are");
  spec_options(show, *req);
  show->callback([&ctx, req] {
    const auto out = service::prices_show(ctx.service(), *req);
    TextTable t(fmt::format("{}: {} dates stored, {} to {}", out.symbol, out.stored, out.first.to_string(),
                            out.last.to_string()));
    t.column("date", TextTable::Align::kLeft).column("close").column("adj_close");
    for (const auto& p : out.prices) {
      t.row({p.date.to_string(), fmt::format("{:.4f}", p.close), fmt::format("{:.4f}", p.adj_close)});
    }
    if (out.prices.empty()) t.footer("no stored date in the range asked");
    ctx.emit(spec::to_json(out), {t});
  });
}

}  // namespace keel::cli
