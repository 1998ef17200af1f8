// `keel tag add|list|delete|attach|strategy`: the tag registry and tags and strategies on stored
// positions — the use cases of /api/v1/tags and .../positions/tags|strategy (keel/service/tags.h),
// run as the operator or the user of --as, so each change leaves the same audit row as over HTTP.
#include <fmt/format.h>

#include <memory>

#include "context.h"
#include "keel/service/tags.h"
#include "spec_cli.h"
#include "text_table.h"

namespace keel::cli {

void add_tag_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("tag", "Tags: the registry and tags on stored positions");
  group->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  auto create = std::make_shared<service::TagCreateRequest>();

  // The tag name is a positional argument here, the "name" field over HTTP.
  auto* add = group->add_subcommand("add", "Register a tag");
  spec_options(add, *create);
  add->callback([&ctx, create] {
    const service::TagResult t = service::create_tag(ctx.service(), *create);
    TextTable table("Registered tag " + t.name);
    table.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    table.row({"description", t.description}).row({"created_at", t.created_at});
    ctx.emit(spec::to_json(t), {table});
  });

  auto* list = group->add_subcommand("list", "Registered tags with the number of positions carrying each");
  list->callback([&ctx] {
    const spec::ItemsOf<service::TagResult> out{service::list_tags(ctx.service())};
    TextTable t;
    t.column("tag", TextTable::Align::kLeft).column("positions").column("description", TextTable::Align::kLeft);
    for (const auto& tag : out.items) t.row({tag.name, std::to_string(tag.positions), tag.description});
    if (out.items.empty()) t.footer("no tags yet: keel tag add NAME");
    ctx.emit(spec::to_json(out), {t});
  });

  auto* del = group->add_subcommand("delete", "Unregister a tag and remove it from every position");
  del->add_option("name", *name, "Tag name")->required();
  del->callback([&ctx, name] {
    const service::TagDeleteResult out = service::delete_tag(ctx.service(), *name);
    TextTable t(fmt::format("Deleted tag {} ({} positions changed)", *name, out.positions_changed));
    ctx.emit(spec::to_json(out), {t});
  });

  auto treq = std::make_shared<service::TagPositionsRequest>();
  auto detach = std::make_shared<bool>(false);
  auto* attach = group->add_subcommand("attach", "Attach a registered tag to positions (--detach removes it)");
  spec_options(attach, *treq);
  attach->add_flag("--detach", *detach, "Remove the tag instead (DELETE over HTTP)");
  attach->callback([&ctx, treq, detach] {
    service::TagPositionsRequest req = *treq;
    req.attach = !*detach;
    service::TagPositionsResult out = service::tag_positions(ctx.service(), req);
    out.portfolio = req.portfolio;
    TextTable t(fmt::format("{} {}: {} positions changed", *detach ? "Detached" : "Attached", req.tag,
                            out.positions_changed));
    ctx.emit(spec::to_json(out), {t});
  });

  auto sreq = std::make_shared<service::StrategyRequest>();
  auto* strategy = group->add_subcommand("strategy", "Set the strategy of positions (--strategy \"\" clears it)");
  spec_options(strategy, *sreq);
  strategy->callback([&ctx, sreq] {
    const service::StrategyResult out = service::set_strategy(ctx.service(), *sreq);
    TextTable t(fmt::format("Strategy {}: {} positions changed", out.strategy.empty() ? "cleared" : out.strategy,
                            out.positions_changed));
    ctx.emit(spec::to_json(out), {t});
  });
}

}  // namespace keel::cli
