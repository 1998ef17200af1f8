// keel: the command-line face of the engine. Every command group lives in <group>_cmd.cpp.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "context.h"
#include "keel/core/error.h"
#include "keel/core/version.h"

namespace keel::cli {
void add_openapi_commands(CLI::App& app, Context& ctx);  // openapi_cmd.cpp
void add_db_commands(CLI::App& app, Context& ctx);       // db_cmd.cpp
void add_job_commands(CLI::App& app, Context& ctx);      // job_cmd.cpp
}

int main(int argc, char** argv) {
  keel::cli::Context ctx;
  // KEEL_PROFILE (anything but "" or "0"): the stages of the command's run, timed and printed on
  // stderr by the commands that profile (docs/risk.md, "Where the time goes").
  std::optional<keel::risk::StageProfile> profile;
  if (const char* v = std::getenv("KEEL_PROFILE"); v != nullptr && *v != '\0' && std::string_view(v) != "0") {
    profile.emplace();
    ctx.profile = &*profile;
  }
  const keel::risk::ObserveStages observe(ctx.profile);
  CLI::App app{"keel: portfolio risk, ledger, ALM and CLO analytics"};
  app.name("keel");
  app.require_subcommand(1);
  // Global options may come after the subcommand too (keel portfolio show X --format json).
  app.fallthrough();
  app.option_defaults()->always_capture_default();
  app.add_option("--db", ctx.db_path, "Store: an SQLite file or a postgresql:// URL (default: $KEEL_DB or ./keel.db)")->envname("KEEL_DB");
  app.add_option("--format", ctx.format_name, "Output: table (default on a terminal), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  app.add_flag("-q,--quiet", ctx.quiet, "Print results only: no progress or notes");
  app.add_flag("-v,--verbose", ctx.verbose, "Print details of each step");
  app.add_option("--as", ctx.acting_user,
                 "Act as this user of the store: its tenant and role, not the operator's (an admin's)");
  app.add_option("--as-tenant", ctx.acting_tenant,
                 "With --as: the user's tenant, when users of several tenants have that name");
  app.set_version_flag("--version", "keel " + std::string(keel::keel_version()));

  keel::cli::add_import_commands(app, ctx);
  keel::cli::add_portfolio_commands(app, ctx);
  keel::cli::add_options_commands(app, ctx);
  keel::cli::add_exposures_commands(app, ctx);
  keel::cli::add_clo_commands(app, ctx);
  keel::cli::add_plan_commands(app, ctx);
  keel::cli::add_risk_commands(app, ctx);
  keel::cli::add_optimize_commands(app, ctx);
  keel::cli::add_rebalance_commands(app, ctx);
  keel::cli::add_alm_commands(app, ctx);
  keel::cli::add_ledger_commands(app, ctx);
  keel::cli::add_serve_commands(app, ctx);
  keel::cli::add_user_commands(app, ctx);
  keel::cli::add_factors_commands(app, ctx);
  keel::cli::add_whatif_commands(app, ctx);
  keel::cli::add_batch_commands(app, ctx);
  keel::cli::add_report_commands(app, ctx);
  keel::cli::add_tag_commands(app, ctx);
  keel::cli::add_fetch_commands(app, ctx);
  keel::cli::add_symbols_commands(app, ctx);
  keel::cli::add_fx_commands(app, ctx);
  keel::cli::add_macro_commands(app, ctx);
  keel::cli::add_prices_commands(app, ctx);
  keel::cli::add_keys_commands(app, ctx);
  keel::cli::add_assistant_commands(app, ctx);
  keel::cli::add_openapi_commands(app, ctx);
  keel::cli::add_db_commands(app, ctx);
  keel::cli::add_job_commands(app, ctx);

  const auto start = std::chrono::steady_clock::now();
  try {
    app.parse(argc, argv);
    if (ctx.verbose) {
      const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      std::cerr << "keel: done in " << static_cast<long>(ms) << " ms (store " << ctx.db_path << ")\n";
    }
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const keel::Error& e) {
    std::cerr << "keel: " << e.what() << "\n";
    for (const auto& d : e.details()) std::cerr << "  " << d << "\n";
    return keel::exit_code(e.code());
  } catch (const std::exception& e) {
    std::cerr << "keel: internal error: " << e.what() << "\n";
    return 4;
  }
  return ctx.exit_status;
}
