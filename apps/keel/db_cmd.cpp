// `keel db`: the store itself.
// - migrate: brings a store's schema up to this keel's migrations (keel/store/migrations.h). An
//   SQLite file migrates whenever keel opens it; a PostgreSQL database only through this command,
//   run as the owner role, which also grants the application role its DML rights
//   (keel/store/postgresql.h, docs/postgresql.md).
// - copy: moves a whole store between backends in one target transaction (keel/store/store_copy.h).
// - backup: an online, consistent copy of an SQLite store (SQLite's backup API).
#include <memory>
#include <string>

#include "context.h"
#include "keel/core/error.h"
#include "keel/store/migrations.h"
#include "keel/store/postgresql.h"
#include "keel/store/store.h"
#include "keel/store/store_copy.h"
#include "text_table.h"

namespace keel::cli {

void add_db_commands(CLI::App& app, Context& ctx) {
  auto* group =
      app.add_subcommand("db", "The store itself: schema migrations, copies between backends, backups");
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

  struct CopyArgs {
    std::string from;
    std::string to;
    bool replace = false;
  };
  auto copy_args = std::make_shared<CopyArgs>();
  auto* copy = group->add_subcommand(
      "copy",
      "Copy a whole store to another backend in one transaction (e.g. an SQLite file into PostgreSQL)");
  copy->add_option("--from", copy_args->from,
                   "Source: sqlite:PATH or a postgresql:// URL (as the owner role)")
      ->required();
  copy->add_option(
          "--to", copy_args->to,
          "Target, migrated to the same version: sqlite:PATH (created if missing) or a postgresql:// URL "
          "(as the owner role)")
      ->required();
  copy->add_flag("--replace", copy_args->replace, "Delete the target's rows first when it is not empty");
  copy->callback([&ctx, copy_args] {
    const store::CopyReport r = store::copy_store(copy_args->from, copy_args->to, {copy_args->replace});
    nlohmann::json tables = nlohmann::json::array();
    TextTable t("Copied " + r.from + " to " + r.to);
    t.column("table", TextTable::Align::kLeft).column("rows", TextTable::Align::kRight);
    for (const auto& c : r.tables) {
      tables.push_back({{"table", c.table}, {"rows", c.rows}});
      t.row({c.table, std::to_string(c.rows)});
    }
    t.row({"all tables", std::to_string(r.rows)});
    ctx.emit({{"from", r.from},
              {"to", r.to},
              {"schema_version", r.schema_version},
              {"tables", tables},
              {"rows", r.rows},
              {"replaced_rows", r.replaced_rows}},
             {t});
  });

  struct BackupArgs {
    std::string to;
    bool force = false;
  };
  auto backup_args = std::make_shared<BackupArgs>();
  auto* backup = group->add_subcommand(
      "backup", "Write a consistent copy of the SQLite store while it is in use (PostgreSQL: use pg_dump)");
  backup->add_option("--to", backup_args->to, "The backup file to write")->required();
  backup->add_flag("--force", backup_args->force, "Replace the backup file when it exists");
  backup->callback([&ctx, backup_args] {
    if (store::pg::is_url(ctx.db_path)) {
      throw Error::usage(
          "keel db backup copies an SQLite store; back a PostgreSQL database up with pg_dump "
          "(docs/deploy.md, \"Backups\")");
    }
    const store::BackupReport r = store::backup_sqlite(ctx.db_path, backup_args->to, backup_args->force);
    TextTable t("Backup of " + ctx.db_path);
    t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    t.row({"written to", r.path});
    t.row({"bytes", std::to_string(r.bytes)});
    t.row({"schema version", std::to_string(r.schema_version)});
    ctx.emit({{"backend", "sqlite"},
              {"database", ctx.db_path},
              {"path", r.path},
              {"bytes", r.bytes},
              {"schema_version", r.schema_version}},
             {t});
  });
}

}  // namespace keel::cli
