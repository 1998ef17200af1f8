// `keel db`: the store itself (keel/service/store_admin.h).
// - migrate: brings a store's schema up to this keel's migrations (keel/store/migrations.h). An
//   SQLite file migrates whenever keel opens it; a PostgreSQL database only through this command,
//   run as the owner role, which also grants the application role its DML rights
//   (keel/store/postgresql.h, docs/postgresql.md).
// - copy: moves a whole store between backends in one target transaction (keel/store/store_copy.h).
// - backup: an online, consistent copy of an SQLite store (SQLite's backup API).
// - usage: what the tenant keeps, area by area and by owner (keel/service/storage.h).
// `keel demo save|reset`: the demo store's seed written, and the store put back to it.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <string>

#include "context.h"
#include "keel/service/storage.h"
#include "keel/service/store_admin.h"
#include "spec_cli.h"
#include "text_table.h"

namespace keel::cli {
namespace {

TextTable field_table(const std::string& title) {
  TextTable t(title);
  t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
  return t;
}

}  // namespace

void add_db_commands(CLI::App& app, Context& ctx) {
  auto* group =
      app.add_subcommand("db", "The store itself: schema migrations, copies between backends, backups");
  group->require_subcommand(1);

  auto mreq = std::make_shared<service::DbMigrateRequest>();
  auto* migrate = group->add_subcommand(
      "migrate", "Apply the schema migrations this keel knows (PostgreSQL: connect as the owner role)");
  spec_options(migrate, *mreq);
  migrate->callback([&ctx, mreq] {
    service::DbMigrateRequest req = *mreq;
    req.database = ctx.db_path;
    const service::DbMigrateResult out = service::db_migrate(req);
    TextTable t = field_table("Schema of " + out.database);
    t.row({"backend", out.backend});
    t.row({"schema version", std::to_string(out.to_version)});
    if (out.applied) {
      const std::string applied = fmt::format("{}", fmt::join(*out.applied, ", "));
      t.row({"applied now", applied.empty() ? "none (up to date)" : applied});
      t.row({"application role", out.app_role.value_or("")});
    }
    ctx.emit(spec::to_json(out), {t});
  });

  auto creq = std::make_shared<service::DbCopyRequest>();
  auto* copy = group->add_subcommand(
      "copy",
      "Copy a whole store to another backend in one transaction (e.g. an SQLite file into PostgreSQL)");
  spec_options(copy, *creq);
  copy->callback([&ctx, creq] {
    const service::DbCopyResult out = service::db_copy(*creq);
    TextTable t("Copied " + out.from + " to " + out.to);
    t.column("table", TextTable::Align::kLeft).column("rows", TextTable::Align::kRight);
    for (const auto& c : out.tables) t.row({c.table, std::to_string(c.rows)});
    t.row({"all tables", std::to_string(out.rows)});
    ctx.emit(spec::to_json(out), {t});
  });

  auto breq = std::make_shared<service::DbBackupRequest>();
  auto* backup = group->add_subcommand(
      "backup", "Write a consistent copy of the SQLite store while it is in use (PostgreSQL: use pg_dump)");
  spec_options(backup, *breq);
  backup->callback([&ctx, breq] {
    service::DbBackupRequest req = *breq;
    req.database = ctx.db_path;
    const service::DbBackupResult out = service::db_backup(req);
    TextTable t = field_table("Backup of " + out.database);
    t.row({"written to", out.path});
    t.row({"bytes", std::to_string(out.bytes)});
    t.row({"schema version", std::to_string(out.schema_version)});
    ctx.emit(spec::to_json(out), {t});
  });

  auto* usage = group->add_subcommand(
      "usage", "What the tenant keeps, area by area and by owner: items, rows and estimated bytes (keel --as ADMIN "
               "for a tenant's)");
  usage->callback([&ctx] {
    const service::StorageUsage out = service::storage_usage(ctx.service(), {});
    TextTable t("Storage of tenant " + out.tenant);
    t.column("area", TextTable::Align::kLeft)
        .column("owner", TextTable::Align::kLeft)
        .column("items")
        .column("rows")
        .column("bytes");
    for (const auto& a : out.areas) {
      t.row({a.area, a.shared ? "(every tenant)" : a.owner, std::to_string(a.items), std::to_string(a.rows),
             std::to_string(a.bytes)});
    }
    t.footer(fmt::format("{} bytes in the tenant's areas (estimated; shared market data apart)", out.bytes));
    ctx.emit(spec::to_json(out), {t});
  });

  auto* demo = app.add_subcommand("demo", "The demo store: keep its seed, put it back to the seed");
  demo->require_subcommand(1);
  auto dreq = std::make_shared<service::DemoSeedRequest>();
  auto demo_table = [](const service::DemoSeedResult& out, const std::string& title) {
    TextTable t = field_table(title);
    t.row({"store", out.database});
    t.row({"seed", out.seed});
    return t;
  };
  auto* save = demo->add_subcommand("save", "Write the store as it is now as the demo's seed (make demo does)");
  spec_options(save, *dreq);
  save->callback([&ctx, dreq, demo_table] {
    service::DemoSeedRequest req = *dreq;
    req.database = ctx.db_path;
    const service::DemoSeedResult out = service::demo_save(req);
    TextTable t = demo_table(out, "Demo seed saved");
    t.row({"bytes", std::to_string(out.bytes)});
    ctx.emit(spec::to_json(out), {t});
  });
  auto* reset = demo->add_subcommand(
      "reset", "Put the demo store back as make demo left it, in one transaction (every change since is lost)");
  spec_options(reset, *dreq);
  reset->callback([&ctx, dreq, demo_table] {
    service::DemoSeedRequest req = *dreq;
    req.database = ctx.db_path;
    const service::DemoSeedResult out = service::demo_reset(req);
    TextTable t = demo_table(out, "Demo store reset");
    t.row({"rows from the seed", std::to_string(out.rows)});
    t.row({"rows replaced", std::to_string(out.replaced_rows)});
    ctx.emit(spec::to_json(out), {t});
  });
}

}  // namespace keel::cli
