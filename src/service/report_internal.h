// Private: the pieces of build_report (keel/service/report_build.h) — running a step, mapping the
// use cases' results into sections — shared by report_build.cpp, report_sections.cpp and the batch
// (batch_run.cpp), which runs its own steps (market data, snapshot, report files) the same way.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/cancel.h"
#include "keel/core/error.h"
#include "keel/risk/data_quality.h"
#include "keel/service/report.h"
#include "keel/service/report_build.h"
#include "keel/service/exposures.h"
#include "keel/service/factor_attribution.h"
#include "keel/service/factors.h"
#include "keel/service/risk.h"
#include "keel/store/snapshot_repository.h"

namespace keel::service::detail {

// Milliseconds since `start`.
inline double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// The error's message and details, "; "-separated.
std::string error_text(const Error& e);

// A section that could not be computed: {"status": status, "reason": reason}.
nlohmann::json unavailable(const std::string& status, const std::string& reason);

// Whether the computation the calling thread runs was stopped (keel/core/cancel.h: its client
// left, its deadline passed, its job was cancelled): then a step's exception is the whole run's
// end, not the step's failure, and is thrown on, so that no report is kept (or cached) with a step
// "failed" for a reason that was never the book's.
inline bool run_stopped() {
  const Cancellation* c = current_cancellation();
  return c != nullptr && c->stop_requested();
}

// Runs one step of the batch: `fn` returns the step's section (with "status"); an exception turns
// into {"status":"failed","reason":...} — or "n/a" for keel::Error not_found, which means missing
// input data rather than a fault — unless the run was stopped (run_stopped: thrown on). Appends
// the step (name, status, time, message) to `steps`.
template <class F>
nlohmann::json run_step(const std::string& name, std::vector<ReportStep>& steps, F&& fn) {
  const auto start = std::chrono::steady_clock::now();
  nlohmann::json section;
  try {
    section = fn();
  } catch (const Error& e) {
    if (run_stopped()) throw;
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

// The steps a batch asked for (BatchRequest::steps): every step when none is named.
struct StepFilter {
  std::vector<std::string> only;  // validated names (kBatchStepNames), with what they need added
  bool wants(std::string_view name) const;
  // The reason a step that was not asked for shows.
  static constexpr const char* kSkipped = "not among the steps asked for";
};

// The same for a typed report section: `fn(message)` returns the section (a struct with status
// and reason) and may set the step's message; exceptions become the section's status and reason
// as above (a stopped run's are thrown on). A step `filter` does not want is not run: its section is "n/a" and says so.
template <class Section, class F>
Section run_section(const std::string& name, std::vector<ReportStep>& steps, const StepFilter& filter, F&& fn) {
  if (!filter.wants(name)) {
    steps.push_back({name, "n/a", 0.0, StepFilter::kSkipped});
    return unavailable_section<Section>("n/a", StepFilter::kSkipped);
  }
  const auto start = std::chrono::steady_clock::now();
  Section section;
  std::string message;
  try {
    section = fn(message);
  } catch (const Error& e) {
    if (run_stopped()) throw;
    section = unavailable_section<Section>(e.code() == ErrorCode::kNotFound ? "n/a" : "failed", error_text(e));
  } catch (const std::exception& e) {
    section = unavailable_section<Section>("failed", std::string("internal error: ") + e.what());
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  steps.push_back({name, section.status, ms, section.ok() ? message : section.reason.value_or("")});
  return section;
}

// A step whose result is kept for later sections (the VaR and backtest results): the result, or
// the status and reason of its failure.
template <class T>
struct StepResult {
  std::string status = "ok";
  std::optional<std::string> reason;
  std::optional<T> value;
  bool ok() const { return status == "ok"; }
};

// Section builders (docs/reports.md): the data-quality engine's findings described; the use
// cases' results embedded as they are; the report's own picks (correlation highlights,
// concentration, position rows) computed from them. Nothing recomputes an engine result.
ReportDataQuality data_quality_section(const risk::DataQualityReport& report);
// The sections that embed a use case's result (report_sections.h).
ReportExposures exposures_section(ExposuresResult by_sector, const ExposuresResult& by_type);
ReportGreeks greeks_section(OptionGreeksResult greeks);  // n/a without option positions
ReportFactors factors_section(FactorsResult factors);
ReportVar var_section(RiskVarResult var, StepResult<RiskBacktestResult> backtest);
ReportStress stress_section(StressResult stress);
ReportAttribution attribution_section(FactorAttributionResult attribution);
ReportCorrelation correlation_section(RiskCorrelationResult correlation);
ReportConcentration concentration_section(const PricedBook& priced, const ExposuresResult& by_sector);

// Everything the position rows draw from; null where the step did not run or failed.
struct RowSources {
  const PricedBook* priced = nullptr;
  // The same positions valued at the previous price date (null: none): a row's 1-day P&L is the
  // change of its market value.
  const PricedBook* previous = nullptr;
  const OptionGreeksResult* greeks = nullptr;
  const FactorsResult* factors = nullptr;
  const RiskVarResult* var = nullptr;
  const StressResult* stress = nullptr;
  std::string price_source = "store";  // where the closes came from: "store" or the prices file
};
ReportPositions positions_section(const RowSources& sources);

// Snapshots of `portfolio` up to as_of as the report's "history" section ("n/a" without any).
ReportHistory history_section(Store* store, const std::string& tenant, const std::string& portfolio, Date as_of);

// The snapshot the batch keeps of one report: the summary's figures and the whole report as JSON
// text (batch_run.cpp; the batch and the backfill store it).
store::PortfolioSnapshot snapshot_of(const Report& report, const std::string& tenant, const std::string& portfolio,
                                     Date as_of);

// The batch steps asked for (check_batch_steps), with what each needs added: greeks the
// exposures' valuation, the backtest the VaR section it is reported in.
StepFilter step_filter(const std::vector<std::string>& asked);

// The market factor of a factor model: "mkt_rf" when present, else the first factor; empty when none.
std::string market_factor(const FactorsResult& factors);

}  // namespace keel::service::detail
