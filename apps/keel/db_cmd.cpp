// `keel db migrate`: brings a store's schema up to this keel's migrations (keel/store/migrations.h).
// An SQLite file migrates whenever keel opens it; a PostgreSQL database only through this command,
// run as the owner role, which also grants the application role its DML rights
// (keel/store/postgresql.h, docs/postgresql.md).
#include <memory>
#include <string>

#include "context.h"
#include "keel/store/migrations.h"
#include "keel/store/postgresql.h"
#include "keel/store/store.h"
#include "text_table.h"

namespace keel::cli {

void add_db_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("db", "The store itself: schema migrations");
  group->require_subcommand(1);

  auto app_role = std::make_shared<std::string>("keel_app");
  auto* migrate = group->add_subcommand(
      "migrate", "Apply the schema migrations this keel knows (PostgreSQL: connect as the owner role)");
  migrate->add_option("--app-role", *app_role,
                      "PostgreSQL: the role keel serve connects as; granted DML only (default keel_app)");
  migrate->callback([&ctx, app_role] {
    nlohmann::json doc;
    std::string target;
    if (store::pg::is_url(ctx.db_path)) {
      const store::pg::MigrateReport r = store::pg::migrate(ctx.db_path, *app_role);
      target = store::pg::redact_url(ctx.db_path);
      doc = {{"backend", "postgresql"},        {"database", target},         {"app_role", *app_role},
             {"from_version", r.from_version}, {"to_version", r.to_version}, {"applied", r.applied}};
    } else {
      // Opening an SQLite store applies every missing migration.
      ctx.store();
      target = ctx.db_path;
      doc = {{"backend", "sqlite"}, {"database", target}, {"to_version", store::migrations().back().version}};
    }
    TextTable t("Schema of " + target);
    t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    t.row({"backend", doc["backend"].get<std::string>()});
    t.row({"schema version", std::to_string(doc["to_version"].get<int>())});
    if (doc.contains("applied")) {
      std::string applied;
      for (int v : doc["applied"]) applied += (applied.empty() ? "" : ", ") + std::to_string(v);
      t.row({"applied now", applied.empty() ? "none (up to date)" : applied});
      t.row({"application role", *app_role});
    }
    ctx.emit(doc, {t});
  });
}

}  // namespace keel::cli
