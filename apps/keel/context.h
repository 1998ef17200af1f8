// apps/keel/context.h: what every command of the keel CLI shares.
//
// Global options (--db, --format, --quiet, --verbose), the store (opened on first use, so
// commands that work only on files never create keel.db), and output helpers. A command
// builds its result as JSON through the service layer (the same JSON the HTTP API returns),
// then `emit` prints it as JSON, as a table a person reads, or as CSV.
#pragma once

#include <CLI/CLI.hpp>
#include <concepts>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "keel/risk/stage_profile.h"
#include "keel/service/book.h"
#include "keel/service/context.h"
#include "keel/service/key_vault.h"
#include "keel/service/spec_text.h"
#include "text_table.h"

namespace keel {
class Store;
}

namespace keel::service {
struct LedgerSource;
struct SymbolRecord;
}  // namespace keel::service

namespace keel::cli {

enum class Format { kTable, kJson, kCsv };

class Context {
 public:
  Context();
  ~Context();

  std::string db_path;  // --db, else $KEEL_DB, else ./keel.db; a file or a postgresql:// URL
  std::string format_name = "";  // --format as given; empty = table on a terminal, json otherwise
  bool quiet = false;
  bool verbose = false;
  // The exit code of a command that ran to the end but found what a script must notice (6:
  // `ledger reconcile` found differences); 0 otherwise.
  int exit_status = 0;
  // --as NAME: act as the store's user NAME (its tenant and role; it owns what the command makes)
  // instead of as the operator (an admin of the default tenant); audit rows say "cli:$USER as NAME".
  // Empty: the operator.
  std::string acting_user;
  std::string acting_tenant;  // --as-tenant: the tenant of --as's user (names are unique per tenant)

  Format format() const;
  // Opens (creating and migrating if needed) the store at db_path.
  Store& store();
  // Opens another connection to the store at db_path, one per worker of a use case that runs in
  // parallel (the backfill); null for a private in-memory store, which has one connection only.
  std::function<std::unique_ptr<Store>()> store_connections() const;
  // True when an existing database file is present, or the store is a PostgreSQL URL (commands
  // working on files may still use it).
  bool has_store_file() const;
  // Progress and notes go to stderr, only on a terminal and never with --quiet.
  bool show_progress() const;
  void note(const std::string& message) const;  // stderr unless --quiet
  void warn(const std::string& message) const;  // stderr, always
  // The run's stage profile, when KEEL_PROFILE asks for one (main installs it for the command's
  // thread: keel/risk/stage_profile.h); null otherwise.
  risk::StageProfile* profile = nullptr;
  // Prints the stages recorded so far on stderr, and forgets them; nothing without a profile.
  void print_profile() const;

  // Who the command's use cases act for (keel/service/context.h): the operator ("cli:$USER", an
  // admin of the default tenant: it owns the store), or with --as the named user's tenant and role.
  // Throws keel::Error: not_found for an unknown user, forbidden for a disabled one.
  service::Actor actor();
  // What a use case gets from the command: system_env(), the key vault, and the store when the
  // source names a stored portfolio or a database file exists (a command on files alone never
  // creates keel.db).
  service::Context service_for(const service::BookSource& source);
  // The same for a ledger source: the store when it names stored accounts (no transactions file),
  // takes splits from the store, or a database file exists.
  service::Context service_for(const service::LedgerSource& source);
  // The same when the command itself says whether it needs the store.
  service::Context service_if(bool needs_store);
  // The store (opened, created if needed), system_env() and the key vault.
  service::Context service();
  // The command's key vault (keel/service/key_vault.h): its rows in the store (when one exists),
  // its master key from the sources KEEL_MASTER_KEY_SOURCE and friends name, read on first need.
  service::KeyVault& vault();

  // Prints `doc` as JSON; or `table` (a list of tables rendered one after the other) in table/csv.
  void emit(const nlohmann::json& doc, const std::vector<TextTable>& tables) const;
  // The same for a described result (keel/service/spec.h), its JSON written as it goes
  // (keel/service/spec_text.h: no document of it is built).
  template <class R>
    requires(!std::same_as<R, nlohmann::json>)
  void emit(const R& result, const std::vector<TextTable>& tables) const {
    if (format() == Format::kJson) emit_json(result);
    else emit_tables(tables);
  }
  // The same, the tables made only when they are printed: for results of millions of rows.
  template <class R, class MakeTables>
    requires std::invocable<MakeTables>
  void emit_lazy(const R& result, MakeTables&& make_tables) const {
    if (format() == Format::kJson) emit_json(result);
    else emit_tables(std::forward<MakeTables>(make_tables)());
  }

 private:
  template <class R>
  void emit_json(const R& result) const {
    spec::JsonText out(&std::cout, 2);
    out.value(result);
    out.raw("\n");
    out.flush();
  }
  void emit_tables(const std::vector<TextTable>& tables) const;

  std::unique_ptr<Store> store_;
  std::unique_ptr<service::KeyVault> vault_;
};

// Command groups. Each lives in <group>_cmd.cpp and registers its subcommands on `app`.
void add_import_commands(CLI::App& app, Context& ctx);
void add_symbols_commands(CLI::App& app, Context& ctx);  // symbols_cmd.cpp: `symbols list`, `templates`
// The security master's records as a table, with a status column when `status` is not empty
// (symbols_cmd.cpp; `keel symbols list` and `keel fetch symbols`).
TextTable symbol_records_table(const std::string& title, const std::vector<service::SymbolRecord>& records,
                               const std::vector<std::string>& status);
void add_portfolio_commands(CLI::App& app, Context& ctx);
void add_options_commands(CLI::App& app, Context& ctx);
void add_exposures_commands(CLI::App& app, Context& ctx);
void add_clo_commands(CLI::App& app, Context& ctx);
void add_plan_commands(CLI::App& app, Context& ctx);
void add_risk_commands(CLI::App& app, Context& ctx);
void add_alm_commands(CLI::App& app, Context& ctx);
void add_ledger_commands(CLI::App& app, Context& ctx);
void add_serve_commands(CLI::App& app, Context& ctx);
void add_user_commands(CLI::App& app, Context& ctx);
void add_factors_commands(CLI::App& app, Context& ctx);  // adds `risk factors|stress|...`
void add_whatif_commands(CLI::App& app, Context& ctx);
void add_batch_commands(CLI::App& app, Context& ctx);   // `batch run`
void add_report_commands(CLI::App& app, Context& ctx);  // `report`
void add_tag_commands(CLI::App& app, Context& ctx);     // `tag add|list|delete|attach`
void add_fetch_commands(CLI::App& app, Context& ctx);   // `fetch prices|actions|curve|factors`
void add_fx_commands(CLI::App& app, Context& ctx);      // `fx rate|pairs`
void add_macro_commands(CLI::App& app, Context& ctx);   // `macro list|show`
void add_prices_commands(CLI::App& app, Context& ctx);  // `prices show`
void add_keys_commands(CLI::App& app, Context& ctx);    // `keys set|list|delete|rotate-master|status`
void add_assistant_commands(CLI::App& app, Context& ctx);  // `ask`, `assistant provider|policy|...`
void add_optimize_commands(CLI::App& app, Context& ctx);  // `optimize`, `optimize frontier`
void add_rebalance_commands(CLI::App& app, Context& ctx);  // `rebalance`

// An import's summary (keel/service/imports.h) as a field/value table: the rows count, then every
// kind-specific field of the result's JSON (its description); warnings to stderr.
template <class R>
void print_import_result(Context& ctx, const R& r) {
  for (const auto& w : r.warnings) ctx.warn(w);
  const nlohmann::json j = spec::to_json(r);
  TextTable t("Imported " + r.kind + " from " + r.file);
  t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
  t.row({"rows", std::to_string(r.rows)});
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() == "kind" || it.key() == "file" || it.key() == "rows" || it.key() == "warnings") continue;
    t.row({it.key(), it.value().is_string() ? it.value().get<std::string>() : it.value().dump()});
  }
  ctx.emit(j, {t});
}

}  // namespace keel::cli
