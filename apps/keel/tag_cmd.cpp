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
  auto description = std::make_shared<std::string>();

  auto* add = group->add_subcommand("add", "Register a tag");
  add->add_option("name", *name, "Tag name (no ';' or ',')")->required();
  add->add_option("--description", *description, "What the tag means");
  add->callback([&ctx, name, description] {
    const auto t = service::create_tag_json(ctx.store(), kDefaultTenant, *name, *description);
    TextTable table("Registered tag " + t.at("name").get<std::string>());
    table.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    table.row({"description", t.at("description").get<std::string>()})
        .row({"created_at", t.at("created_at").get<std::string>()});
    ctx.emit(t, {table});
  });

  auto* list = group->add_subcommand("list", "Registered tags with the number of positions carrying each");
  list->callback([&ctx] {
    const nlohmann::json items = service::list_tags_json(ctx.store(), kDefaultTenant);
    TextTable t;
    t.column("tag", TextTable::Align::kLeft).column("positions").column("description", TextTable::Align::kLeft);
    for (const auto& tag : items) {
      t.row({tag.at("name").get<std::string>(), std::to_string(tag.at("positions").get<std::size_t>()),
             tag.at("description").get<std::string>()});
    }
    if (items.empty()) t.footer("no tags yet: keel tag add NAME");
    ctx.emit({{"items", items}}, {t});
  });

  auto* del = group->add_subcommand("delete", "Unregister a tag and remove it from every position");
  del->add_option("name", *name, "Tag name")->required();
  del->callback([&ctx, name] {
    const auto out = service::delete_tag_json(ctx.store(), kDefaultTenant, *name);
    TextTable t("Deleted tag " + *name + " (" + std::to_string(out.at("positions_changed").get<std::size_t>()) +
                " positions changed)");
    ctx.emit(out, {t});
  });

  auto portfolio = std::make_shared<std::string>();
  auto symbols = std::make_shared<std::vector<std::string>>();
  auto detach = std::make_shared<bool>(false);
  auto* attach = group->add_subcommand("attach", "Attach a registered tag to positions (--detach removes it)");
  attach->add_option("name", *name, "Tag name")->required();
  attach->add_option("--portfolio,-p", *portfolio, "Stored portfolio")->required();
  attach->add_option("--symbols", *symbols, "Symbols of the positions, comma separated")->required()->delimiter(',');
  attach->add_flag("--detach", *detach, "Remove the tag instead");
  attach->callback([&ctx, name, portfolio, symbols, detach] {
    const std::size_t changed = service::tag_positions(ctx.store(), kDefaultTenant, *portfolio, *symbols, *name, !*detach);
    TextTable t(std::string(*detach ? "Detached " : "Attached ") + *name + ": " + std::to_string(changed) +
                " positions changed");
    ctx.emit({{"tag", *name}, {"portfolio", *portfolio}, {"symbols", *symbols}, {"positions_changed", changed}}, {t});
  });
}

}  // namespace keel::cli
