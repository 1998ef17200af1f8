// `keel tag add|list|delete|attach`: the tag registry of the store's default tenant and tags on
// stored positions (keel/store/tag_repository.h; the same operations as /api/v1/tags over HTTP).
#include <memory>

#include "context.h"
#include "keel/core/error.h"
#include "keel/store/store.h"
#include "keel/store/tag_repository.h"
#include "text_table.h"

namespace keel::cli {

namespace {

nlohmann::json tag_json(const store::TagRecord& t) {
  return {{"id", t.id}, {"name", t.name}, {"description", t.description}, {"created_at", t.created_at},
          {"positions", t.positions}};
}

}  // namespace

void add_tag_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("tag", "Tags: the registry and tags on stored positions");
  group->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  auto description = std::make_shared<std::string>();

  auto* add = group->add_subcommand("add", "Register a tag");
  add->add_option("name", *name, "Tag name (no ';' or ',')")->required();
  add->add_option("--description", *description, "What the tag means");
  add->callback([&ctx, name, description] {
    const auto t = store::TagRepository(ctx.store().database()).create(kDefaultTenant, *name, *description);
    TextTable table("Registered tag " + t.name);
    table.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    table.row({"description", t.description}).row({"created_at", t.created_at});
    ctx.emit(tag_json(t), {table});
  });

  auto* list = group->add_subcommand("list", "Registered tags with the number of positions carrying each");
  list->callback([&ctx] {
    nlohmann::json items = nlohmann::json::array();
    TextTable t;
    t.column("tag", TextTable::Align::kLeft).column("positions").column("description", TextTable::Align::kLeft);
    for (const auto& tag : store::TagRepository(ctx.store().database()).list(kDefaultTenant)) {
      items.push_back(tag_json(tag));
      t.row({tag.name, std::to_string(tag.positions), tag.description});
    }
    if (items.empty()) t.footer("no tags yet: keel tag add NAME");
    ctx.emit({{"items", items}}, {t});
  });

  auto* del = group->add_subcommand("delete", "Unregister a tag and remove it from every position");
  del->add_option("name", *name, "Tag name")->required();
  del->callback([&ctx, name] {
    const auto changed = store::TagRepository(ctx.store().database()).remove(kDefaultTenant, *name);
    if (!changed) throw Error::not_found("no tag named '" + *name + "'");
    TextTable t("Deleted tag " + *name + " (" + std::to_string(*changed) + " positions changed)");
    ctx.emit({{"deleted", true}, {"name", *name}, {"positions_changed", *changed}}, {t});
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
    store::TagRepository repo(ctx.store().database());
    const std::size_t changed = *detach ? repo.detach(kDefaultTenant, *portfolio, *symbols, *name)
                                        : repo.attach(kDefaultTenant, *portfolio, *symbols, *name);
    TextTable t(std::string(*detach ? "Detached " : "Attached ") + *name + ": " + std::to_string(changed) +
                " positions changed");
    ctx.emit({{"tag", *name}, {"portfolio", *portfolio}, {"symbols", *symbols}, {"positions_changed", changed}}, {t});
  });
}

}  // namespace keel::cli
