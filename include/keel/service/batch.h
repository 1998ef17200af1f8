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
  static void fields(V& v, S& s) {
    v.field({.name = "portfolios",
             .help = "Portfolios to run (names; over HTTP ids or names); absent: every portfolio of the tenant",
             .cli_short = "-p",
             .cli_name = "portfolio"},
            s.portfolios);
    v.field({.name = "all", .help = "Every portfolio (the default when none is named)", .faces = spec::kCli}, s.all);
    v.field({.name = "as_of", .help = "As-of date (default: the store's last price date)"}, s.as_of);
    v.field({.name = "market_data",
             .help = "Sync held symbols from this provider first (yahoo, stooq, polygon; default: "
                     "$KEEL_MARKET_DATA_PROVIDER, else off)",
             .faces = spec::kCli},
            s.market_data.provider);
    v.field({.name = "out", .help = "Root folder of the reports (<out>/<portfolio-slug>_<as-of>/)",
             .faces = spec::kCli},
            s.out_dir);
    v.field({.name = "formats", .help = "Report formats: md, json, csv, xlsx", .faces = spec::kCli}, s.formats);
    v.field({.name = "snapshot", .help = "Store a snapshot per portfolio", .faces = spec::kCli}, s.snapshot);
    v.field({.name = "reports", .help = "Write the report files", .faces = spec::kCli}, s.reports);
    v.field({.name = "steps",
             .help = "Only these steps (market-data, data_check, exposures, greeks, factors, var, backtest, stress, "
                     "correlation, snapshot, reports, clo); absent: every step"},
            s.steps);
    ReportRequest::settings(v, s.report);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "portfolio"}, s.portfolio);
    v.field({.name = "as_of", .help = "YYYY-MM-DD"}, s.as_of);
    v.field({.name = "status", .help = "ok, partial (a step failed) or failed (the book could not be loaded)"},
            s.status);
    v.field({.name = "report_dir", .help = "Folder of the report files (null: none written)"}, s.report_dir);
    v.field({.name = "files", .help = "The report files written"}, s.files);
    v.field({.name = "steps", .help = "Every step, in the order they ran"}, s.steps);
    v.field({.name = "summary", .help = "The report's summary"}, s.summary);
    v.field({.name = "elapsed_ms", .unit = "milliseconds"}, s.elapsed_ms);
    v.field({.name = "error", .help = "Why the book could not be loaded (failed)"}, s.error);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "deal_id"}, s.deal_id);
    v.field({.name = "deal"}, s.deal);
    v.field({.name = "status", .help = "ok, alert, breach, skipped (before the deal's closing) or failed"}, s.status);
    v.field({.name = "breaches", .help = "Tests that failed"}, s.breaches);
    v.field({.name = "alerts", .help = "Passing tests within 2 % of their threshold"}, s.alerts);
    v.field({.name = "events", .help = "Each breach and alert in words"}, s.events);
    v.field({.name = "reason", .help = "Why it was skipped or failed"}, s.reason);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "YYYY-MM-DD"}, s.as_of);
    v.field({.name = "tenant"}, s.tenant);
    v.field({.name = "market_data", .help = "The market-data step (run once for every portfolio)"}, s.market_data);
    v.field({.name = "portfolios", .help = "One entry per portfolio, in the order run"}, s.portfolios);
    v.field({.name = "clo",
             .help = "One entry per stored CLO deal of the tenant: its tests kept for the as-of date (the clo step)"},
            s.clo);
    v.field({.name = "ok", .help = "Portfolios whose every step ran"}, s.ok);
    v.field({.name = "partial", .help = "Portfolios with a failed step"}, s.partial);
    v.field({.name = "failed", .help = "Portfolios whose book could not be loaded"}, s.failed);
    v.field({.name = "elapsed_ms", .unit = "milliseconds"}, s.elapsed_ms);
  }
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
