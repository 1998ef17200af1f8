// `keel import prices|positions|factors|curve|sectors|fx FILE`: validated, all-or-nothing imports.
// Each command's flags come from its request's description (keel/service/imports.h); FILE is the
// positional argument.
#include <iostream>
#include <memory>

#include "context.h"
#include "spec_cli.h"
#include "keel/core/error.h"
#include "keel/service/fx.h"
#include "keel/service/imports.h"

namespace keel::cli {
namespace {

// Progress on stderr, for terminals only: "importing prices  42%".
ProgressFn progress_printer(Context& ctx, const std::string& what) {
  if (!ctx.show_progress()) return {};
  return [what, last = -1](std::size_t done, std::size_t total) mutable {
    const int pct = total ? static_cast<int>(100 * done / total) : 100;
    if (pct == last) return;
    last = pct;
    std::cerr << "\rimporting " << what << " " << pct << "%" << (pct == 100 ? "\n" : "") << std::flush;
  };
}

// `keel import KIND FILE [flags of Req]`, running `run(request)` with FILE as the request's input.
template <class Req, class Run>
void add_import(CLI::App* imp, const char* name, const char* help, const char* file_help, Run run) {
  auto req = std::make_shared<Req>();
  auto* cmd = imp->add_subcommand(name, help);
  cmd->add_option("file", req->input.name, file_help)->required();
  spec_options(cmd, *req);
  cmd->callback([req, run] { run(*req); });
}

}  // namespace

void add_import_commands(CLI::App& app, Context& ctx) {
  auto* imp = app.add_subcommand("import", "Import validated files into the store (all-or-nothing)");
  imp->require_subcommand(1);

  add_import<service::ImportPricesRequest>(
      imp, "prices", "Daily prices: date,symbol,close[,adj_close,...] or date,SYM1,SYM2,...", "CSV or CSV.gz file",
      [&ctx](const service::ImportPricesRequest& r) {
        print_import_result(ctx, service::import_prices(ctx.service(), r, progress_printer(ctx, "prices")));
      });
  add_import<service::ImportPositionsRequest>(
      imp, "positions", "Positions of a portfolio (replaces its positions)", "CSV file",
      [&ctx](const service::ImportPositionsRequest& r) {
        print_import_result(ctx, service::import_positions(ctx.service(), r));
      });
  add_import<service::ImportFactorsRequest>(imp, "factors", "Factor returns: date,<factor>,...", "CSV file",
                                            [&ctx](const service::ImportFactorsRequest& r) {
                                              print_import_result(ctx, service::import_factors(ctx.service(), r));
                                            });
  add_import<service::ImportCurveRequest>(
      imp, "curve", "Yield curve: tenor,rate (zero or par) or the dated Treasury par file", "CSV file",
      [&ctx](const service::ImportCurveRequest& r) { print_import_result(ctx, service::import_curve(ctx.service(), r)); });
  add_import<service::ImportSectorsRequest>(
      imp, "sectors", "Security master: symbol,sector[,name,industry] (or S&P constituents)", "CSV file",
      [&ctx](const service::ImportSectorsRequest& r) {
        print_import_result(ctx, service::import_symbol_info(ctx.service(), r));
      });
  add_import<service::ImportFxRequest>(
      imp, "fx", "FX rates: date,base,quote,rate (units of quote per unit of base; docs/fx.md)", "CSV file",
      [&ctx](const service::ImportFxRequest& r) { print_import_result(ctx, service::import_fx(ctx.service(), r)); });
}

}  // namespace keel::cli
