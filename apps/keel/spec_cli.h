// apps/keel/spec_cli.h: the CLI11 options of a command, made from its request's description
// (keel/service/spec.h), so the flags, their defaults, ranges and help text are the HTTP fields'.
//
//   auto req = std::make_shared<service::RiskVarRequest>();
//   spec_options(cmd, *req);               // --window, --confidence, --method ...
//   cmd->callback([&ctx, req] { run_var(ctx, *req); });
//
// Values are parsed and range-checked while CLI11 parses the command line; a bad value is a usage
// error naming the flag ("--window: expected an integer from 2 to 100000, got 1"). The request
// object must outlive the parse (hold it in a shared_ptr captured by the callback).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "keel/service/spec_options.h"

namespace keel::cli {

// Adds one option made by spec::cli_options to `cmd`.
void add_spec_option(CLI::App* cmd, spec::CliOption option);

// Adds the CLI options of every CLI-facing field of `request` to `cmd`.
template <class R>
void spec_options(CLI::App* cmd, R& request) {
  for (spec::CliOption& o : spec::cli_options(request)) add_spec_option(cmd, std::move(o));
}

}  // namespace keel::cli
