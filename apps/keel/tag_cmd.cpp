// `keel tag add|list|delete|attach`: the tag registry of the store's default tenant and tags on
// stored positions (keel/store/tag_repository.h; the same operations as /api/v1/tags over HTTP).
#include <memory>

#include "context.h"
#include "keel/service/tags.h"
#include "keel/store/store.h"
#include "text_table.h"

namespace keel::cli {

void add_tag_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("tag", "Tags: the registry and tags on stored positions");
  group->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  auto create = std::make_shared<service::TagCreateRequest>();

  // The tag name is a positional argument here, the "name" field over HTTP.
  auto* add = group->add_subcommand("add", "Register a tag");
  add->add_option("name", create->name, "Tag name (no ';' or ',')")->required();
  add->add_option("--description", create->description, "What the tag means");
  add->callback([&ctx, create] {
    service::TagCreateRequest req = *create;
    req.tenant = kDefaultTenant;
    const service::TagResult t = service::create_tag(ctx.service(), req);
    TextTable table("Registered tag " + t.name);
    table.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    table.row({"description", t.description}).row({"created_at", t.created_at});
    ctx.emit(spec::to_json(t), {table});
  });

  auto* list = group->add_subcommand("list", "Registered tags with the number of positions carrying each");
  list->callback([&ctx] {
    const std::vector<service::TagResult> items = service::list_tags(ctx.service(), kDefaultTenant);
    TextTable t;
    t.column("tag", TextTable::Align::kLeft).column("positions").column("description", TextTable::Align::kLeft);
    for (const auto& tag : items) t.row({tag.name, std::to_string(tag.positions), tag.description});
    if (items.empty()) t.footer("no tags yet: keel tag add NAME");
    ctx.emit({{"items", spec::to_json(items)}}, {t});
  });

  auto* del = group->add_subcommand("delete", "Unregister a tag and remove it from every position");
  del->add_option("name", *name, "Tag name")->required();
  del->callback([&ctx, name] {
    const service::TagDeleteResult out = service::delete_tag(ctx.service(), kDefaultTenant, *name);
    TextTable t("Deleted tag " + *name + " (" + std::to_string(out.positions_changed) + " positions changed)");
    ctx.emit(spec::to_json(out), {t});
  });

  auto treq = std::make_shared<service::TagPositionsRequest>();
  auto detach = std::make_shared<bool>(false);
  auto* attach = group->add_subcommand("attach", "Attach a registered tag to positions (--detach removes it)");
  attach->add_option("name", treq->tag, "Tag name")->required();
  attach->add_option("--portfolio,-p", treq->portfolio, "Stored portfolio")->required();
  attach->add_option("--symbols", treq->symbols, "Symbols of the positions, comma separated")
      ->required()
      ->delimiter(',');
  attach->add_flag("--detach", *detach, "Remove the tag instead");
  attach->callback([&ctx, treq, detach] {
    service::TagPositionsRequest req = *treq;
    req.tenant = kDefaultTenant;
    req.attach = !*detach;
    service::TagPositionsResult out = service::tag_positions(ctx.service(), req);
    out.portfolio = req.portfolio;
    TextTable t(std::string(*detach ? "Detached " : "Attached ") + req.tag + ": " +
                std::to_string(out.positions_changed) + " positions changed");
    ctx.emit(spec::to_json(out), {t});
  });
}

}  // namespace keel::cli
