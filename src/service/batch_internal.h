// Private: the pieces of build_report / run_batch (keel/service/batch.h), shared by batch*.cpp.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/risk/data_quality.h"
#include "keel/service/batch.h"
#include "keel/service/exposures.h"

namespace keel::service::detail {

// The error's message and details, "; "-separated.
std::string error_text(const Error& e);

// A section that could not be computed: {"status": status, "reason": reason}.
nlohmann::json unavailable(const std::string& status, const std::string& reason);

// Runs one step of the batch: `fn` returns the step's section (with "status"); an exception turns
// into {"status":"failed","reason":...} — or "n/a" for keel::Error not_found, which means missing
// input data rather than a fault. Appends the step (name, status, time, message) to `steps`.
template <class F>
nlohmann::json run_step(const std::string& name, std::vector<ReportStep>& steps, F&& fn) {
  const auto start = std::chrono::steady_clock::now();
  nlohmann::json section;
  try {
    section = fn();
  } catch (const Error& e) {
    section = unavailable(e.code() == ErrorCode::kNotFound ? "n/a" : "failed", error_text(e));
  } catch (const std::exception& e) {
    section = unavailable("failed", std::string("internal error: ") + e.what());
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const std::string status = section.value("status", "ok");
  steps.push_back({name, status, ms, status == "ok" ? section.value("message", "") : section.value("reason", "")});
  section.erase("message");
  return section;
}

bool is_ok(const nlohmann::json& section);

// Section mappers: service JSON (or engine results) in, report.json section out (docs/reports.md).
nlohmann::json data_quality_section(const risk::DataQualityReport& report);
nlohmann::json exposures_section(const nlohmann::json& by_sector, const nlohmann::json& by_type);
nlohmann::json greeks_section(const nlohmann::json& greeks);
nlohmann::json factors_section(const nlohmann::json& factors);
nlohmann::json var_section(const nlohmann::json& var, const nlohmann::json& backtest, std::size_t window);
nlohmann::json stress_section(const nlohmann::json& stress);
nlohmann::json correlation_section(const nlohmann::json& correlation);
nlohmann::json concentration_section(const PricedBook& priced, const nlohmann::json& by_sector);

// Everything the position rows draw from; a null json means the step did not run or failed.
struct RowSources {
  const PricedBook* priced = nullptr;
  nlohmann::json greeks;    // option_greeks_json
  nlohmann::json factors;   // risk_factors_json
  nlohmann::json var;       // risk_var_json
  nlohmann::json stress;    // risk_stress_json
  std::string price_source = "store";  // where the closes came from: "store" or the prices file
};
nlohmann::json positions_section(const RowSources& sources);

// Snapshots of `portfolio` up to as_of as the report's "history" section ("n/a" without any).
nlohmann::json history_section(Store* store, const std::string& tenant, const std::string& portfolio, Date as_of);

// The market factor of a factor model: "mkt_rf" when present, else the first factor; empty when none.
std::string market_factor(const nlohmann::json& factors);

}  // namespace keel::service::detail
