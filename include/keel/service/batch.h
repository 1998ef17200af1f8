// keel/service/batch.h: the daily batch — `keel batch run`, POST /api/v1/batch and the batch.run
// job.
//
// run_batch builds the report (build_report, keel/service/report_build.h) of many portfolios at one
// as-of date, optionally after bringing their symbols' prices up to date from a provider, stores a
// snapshot per portfolio and date (store migration 6, keel/store/snapshot_repository.h; a re-run
// replaces it; keel/service/portfolio_history.h reads them) and writes the report files
// (service::write_report_files) under `<out_dir>/<report_dir_name(portfolio, as_of)>/`.
// docs/batch.md describes the steps, the data-quality rules and the snapshots.
//
// Thread-safety: stateless; the Store must not be used concurrently. The progress callback is
// called on the calling thread.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/market_data.h"
#include "keel/service/report.h"
#include "keel/service/report_build.h"
#include "keel/service/spec.h"

namespace keel::service {

// The steps of a batch, in the order they run: the market-data sync (once), each report's steps,
// then the portfolio's snapshot and report files, then the tenant's CLO deals' determination
// (docs/batch.md).
inline constexpr const char* kBatchStepNames[] = {"market-data", "data_check", "exposures", "greeks",
                                                  "factors",     "var",        "backtest",  "stress",
                                                  "correlation", "snapshot",   "reports",   "clo"};

struct BatchRequest {
  std::vector<std::string> portfolios;  // empty = every portfolio of the tenant
  bool all = false;                     // CLI: every portfolio, said explicitly
  std::optional<Date> as_of;            // default: the store's last price date
  bool reports = true;                  // write the report files under out_dir
  std::string out_dir = "reports";
  std::vector<std::string> formats = {"md", "json", "csv", "xlsx"};
  bool snapshot = true;
  ReportRequest report;                 // settings of every report (its source is ignored)
  // Brings every held symbol up to date from a provider before the analyses (docs/marketdata.md);
  // off unless a provider is named (the faces fill it from KEEL_MARKET_DATA_PROVIDER).
  MarketDataStep market_data;
  // Only these steps (kBatchStepNames) run, with what they need (greeks the exposures' valuation,
  // backtest the VaR); every other is "n/a". Empty: every step.
  std::vector<std::string> steps;
  std::function<void(const std::string& portfolio, std::size_t done, std::size_t total)> progress;

  static constexpr const char* kSchemaName = "BatchRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A batch portfolio.
struct BatchItem {
  std::string portfolio;
  std::string as_of;
  std::string status;  // ok, partial (a step failed) or failed (the book could not be loaded)
  std::optional<spec::Nullable<std::string>> report_dir;  // null without report files; absent when failed
  std::optional<std::vector<std::string>> files;          // absent when failed
  std::vector<ReportStep> steps;
  std::optional<ReportSummary> summary;                   // absent when failed
  double elapsed_ms = 0.0;
  std::optional<std::string> error;                       // when failed

  static constexpr const char* kSchemaName = "BatchItem";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A stored CLO deal in the batch's clo step: its tests kept for the as-of date
// (keel/service/clo_determinations.h).
struct BatchCloItem {
  std::int64_t deal_id = 0;
  std::string deal;
  std::string status;  // ok, alert, breach, skipped (before closing) or failed
  std::size_t breaches = 0;
  std::size_t alerts = 0;
  std::vector<std::string> events;
  std::optional<std::string> reason;  // skipped, failed: why

  static constexpr const char* kSchemaName = "BatchCloItem";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct BatchResult {
  std::string as_of;
  std::string tenant;
  MarketDataStepResult market_data;
  std::vector<BatchItem> portfolios;
  std::vector<BatchCloItem> clo;
  std::size_t ok = 0;
  std::size_t partial = 0;
  std::size_t failed = 0;
  double elapsed_ms = 0.0;

  static constexpr const char* kSchemaName = "BatchResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws keel::Error(invalid_input) naming each of `steps` that is not in kBatchStepNames
// ("steps[i]: expected one of ..."); the faces call it before queueing a batch.
void check_batch_steps(const std::vector<std::string>& steps);

// The names of the portfolios `refs` names, each by id or name (resolve_portfolio), in order.
// Throws keel::Error(not_found) "unknown portfolios" with a detail "portfolios[i]: no portfolio X"
// for each that is not the actor's tenant's (the batch's route and the backfill read them so).
std::vector<std::string> portfolio_names(const Context& cx, const std::vector<std::string>& refs);

// `keel batch run`, POST /api/v1/batch (job batch.run). A portfolio is "failed" when its book
// cannot be loaded, "partial" when any step failed. Throws keel::Error: usage without a store or
// with both `all` and `portfolios`; not_found naming every unknown portfolio asked for (nothing
// runs then); invalid_input when the store has no prices or the tenant no portfolios.
BatchResult run_batch(const Context& cx, const BatchRequest& request);

}  // namespace keel::service
