// The descriptions of the requests and results of keel/service/batch.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/batch.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void BatchRequest::fields(V& v, S& s) {
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
KEEL_SPEC_REQUEST_FIELDS(BatchRequest)

template <class V, class S>
void BatchItem::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(BatchItem)

template <class V, class S>
void BatchCloItem::fields(V& v, S& s) {
  v.field({.name = "deal_id"}, s.deal_id);
  v.field({.name = "deal"}, s.deal);
  v.field({.name = "status", .help = "ok, alert, breach, skipped (before the deal's closing) or failed"}, s.status);
  v.field({.name = "breaches", .help = "Tests that failed"}, s.breaches);
  v.field({.name = "alerts", .help = "Passing tests within 2 % of their threshold"}, s.alerts);
  v.field({.name = "events", .help = "Each breach and alert in words"}, s.events);
  v.field({.name = "reason", .help = "Why it was skipped or failed"}, s.reason);
}
KEEL_SPEC_FIELDS(BatchCloItem)

template <class V, class S>
void BatchResult::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(BatchResult)

}  // namespace keel::service
