// apps/keel/risk_flags.h: the book flags shared by every `keel risk ...` command
// (--portfolio|--positions, --prices, --as-of, --missing, --rate, --div, --vol-window), so that
// var, backtest, correlation, factors, stress and diversification read them the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "context.h"
#include "keel/service/risk.h"

namespace keel::cli {

struct RiskBookFlags {
  std::string portfolio;
  std::string positions;
  std::string prices;
  std::string as_of;
  std::string missing = "error";
  double rate = 0.0;
  double div = 0.0;
  std::size_t vol_window = 63;
  std::string american_engine = "alo";
};

void add_risk_book_flags(CLI::App* cmd, RiskBookFlags& f);
service::RiskInputsRequest risk_inputs_from(const RiskBookFlags& f);
// The store when the command names a portfolio or a database file exists; else none (files only).
Store* risk_store_for(Context& ctx, const RiskBookFlags& f);
// Sends the result's "warnings" to stderr.
void print_result_warnings(const Context& ctx, const nlohmann::json& out);

}  // namespace keel::cli
