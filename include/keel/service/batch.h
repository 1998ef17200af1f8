// keel/service/batch.h: the daily batch and the portfolio report (`keel batch run`,
// `keel report`, `keel portfolio history`, and the same JSON over HTTP and as a job).
//
// build_report runs, for one book at one as-of date, every analysis in order — market data check,
// exposures, Greeks, factor betas, VaR/ES, VaR backtest, stress tests, correlations — by calling the
// existing use cases (risk_var, risk_backtest, risk_factors, risk_stress, risk_correlation,
// price_book + exposures_of + option_greeks_of) and mapping their results into the typed sections
// of the `keel.report/1` document (keel/service/report.h, docs/reports.md: the contract with the
// renderers). Each step runs in its own try/catch: a failing step turns its section into
// status "failed" (or "n/a") with the error's message as its reason and the others still run; every step's status and
// time are recorded in "steps". The book's positions are loaded once and handed to every step in
// memory (BookSource::positions), all at the same as-of date.
//
// run_batch does that for many portfolios, stores a snapshot per portfolio and date (store
// migration 6, keel/store/snapshot_repository.h; a re-run replaces it) and writes the report files
// (service::write_report_files) under `<out_dir>/<report_dir_name(portfolio, as_of)>/`. docs/batch.md
// describes the steps, the data-quality rules and the snapshots.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/risk/data_quality.h"
#include "keel/service/book.h"
#include "keel/service/context.h"
#include "keel/service/factors.h"
#include "keel/service/market_data.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/report.h"
#include "keel/service/risk.h"
#include "keel/service/spec.h"

namespace keel::service {

// The units of a factor CSV named by `factors`.
inline constexpr spec::Choice<io::RateUnits> kFactorFileUnitsNames[] = {{io::RateUnits::kDecimal, "decimal"},
                                                                       {io::RateUnits::kPercent, "percent"}};

struct ReportRequest {
  BookSource source;                 // a stored portfolio, a positions file or in-memory positions; as_of inside
  double rate = 0.0;                 // risk-free rate for option valuation, continuous decimal
  std::size_t window = 252;          // daily returns for VaR, factors, stress and correlations
  double confidence = 0.99;          // VaR/ES confidence level, 1-day horizon
  std::uint64_t seed = 1;            // Monte Carlo seed
  std::size_t mc_paths = 10000;      // Monte Carlo paths
  std::size_t backtest_window = 250; // estimation window of the backtest (Basel: 250 days)
  FactorDataSource factors;          // default: the store's factor set "ff5"
  // Symbols with holes in their history: align on common dates (error when too few), or the
  // carry-forward proxy of keel/risk/returns.h (books of stocks listed at different times).
  risk::MissingPrices missing = risk::MissingPrices::kError;
  risk::DataQualityOptions data_quality;  // window defaults to `window` when left at its default
  bool with_history = true;          // add the snapshot history (stored portfolios only)
  std::string generated_at;          // ISO-8601 UTC; empty = now (the Context's clock)

  static constexpr const char* kSchemaName = "ReportRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    book_source_fields(v, s.source);
    settings(v, s);
  }
  // The settings every report shares (the batch's reports too): windows, confidence, Monte
  // Carlo, factor data.
  template <class V, class S>
  static void settings(V& v, S& s) {
    v.field({.name = "rate", .help = "Risk-free rate for options", .unit = "continuous decimal, 0.05 = 5%",
             .min = -1, .max = 1},
            s.rate);
    v.field({.name = "window", .help = "Daily returns for VaR, factors, stress and correlations",
             .unit = "trading days", .min = 2, .max = 100000},
            s.window);
    v.field({.name = "confidence", .help = "VaR/ES confidence level (1-day horizon)", .unit = "fraction, 0.99 = 99%",
             .min = 0, .max = 1, .min_exclusive = true, .max_exclusive = true},
            s.confidence);
    v.field({.name = "paths", .help = "Monte Carlo paths", .min = 1, .max = double(risk::kMaxMonteCarloPaths)},
            s.mc_paths);
    v.field({.name = "seed", .help = "Monte Carlo seed (same seed, same numbers whatever the thread count)"}, s.seed);
    v.field({.name = "factors", .help = "Factor returns CSV (default: the store's factor_set)", .faces = spec::kCli},
            s.factors.file);
    v.choice({.name = "factor_units", .help = "Units of the factors file", .faces = spec::kCli}, s.factors.units,
             kFactorFileUnitsNames);
    v.field({.name = "factor_set", .help = "Factor set in the store"}, s.factors.set);
    v.choice({.name = "missing",
              .help = "Holes in price histories: error (align on common dates) or carry-forward (zero-return proxy)"},
             s.missing, kMissingPricesNames);
  }
};

// One step of a report or of a batch run, in the order they ran.
struct ReportStep {
  std::string name;
  std::string status;       // ok, n/a or failed
  double elapsed_ms = 0.0;  // wall time of the step
  std::string message;      // what it did (ok) or why not (n/a, failed)

  static constexpr const char* kSchemaName = "ReportStep";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "Step name (docs/batch.md)"}, s.name);
    v.field({.name = "status", .help = "ok, n/a or failed"}, s.status);
    v.field({.name = "elapsed_ms", .help = "Wall time of the step", .unit = "milliseconds"}, s.elapsed_ms);
    v.field({.name = "message", .help = "What it did (ok) or why not (n/a, failed)"}, s.message);
  }
};

// The report's "summary" section: the headline figures, each null when its step did not run.
struct ReportSummary {
  std::string status;                 // ok, or failed when the book could not be valued
  std::optional<std::string> reason;  // when failed
  std::size_t positions_count = 0;
  spec::Nullable<double> net_value_amount;
  spec::Nullable<double> gross_value_amount;
  spec::Nullable<double> long_value_amount;
  spec::Nullable<double> short_value_amount;
  spec::Nullable<double> pnl_1d_amount;
  spec::Nullable<double> pnl_1d_pct;
  std::string var_method = "historical";
  spec::Nullable<double> var_amount;
  spec::Nullable<double> es_amount;
  spec::Nullable<double> var_pct;
  spec::Nullable<double> confidence;
  spec::Nullable<std::string> backtest_zone;
  spec::Nullable<double> beta_mkt;
  spec::Nullable<std::string> worst_stress_scenario;
  spec::Nullable<double> worst_stress_pnl_amount;
  spec::Nullable<std::string> largest_position_symbol;
  spec::Nullable<double> largest_position_weight;
  std::size_t data_warnings_count = 0;

  static constexpr const char* kSchemaName = "ReportSummary";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "status", .help = "ok, or failed when the book could not be valued", .required = true},
            s.status);
    v.field({.name = "reason", .help = "Why not ok"}, s.reason);
    v.field({.name = "positions_count", .help = "Positions in the book"}, s.positions_count);
    v.field({.name = "net_value_amount", .help = "Net market value", .unit = "portfolio currency"},
            s.net_value_amount);
    v.field({.name = "gross_value_amount", .help = "Gross market value", .unit = "portfolio currency"},
            s.gross_value_amount);
    v.field({.name = "long_value_amount", .help = "Long market value", .unit = "portfolio currency"},
            s.long_value_amount);
    v.field({.name = "short_value_amount", .help = "Short market value", .unit = "portfolio currency"},
            s.short_value_amount);
    v.field({.name = "pnl_1d_amount", .help = "Today's book under the last day's market move",
             .unit = "portfolio currency"},
            s.pnl_1d_amount);
    v.field({.name = "pnl_1d_pct", .help = "pnl_1d_amount / net_value_amount", .unit = "fraction"}, s.pnl_1d_pct);
    v.field({.name = "var_method", .help = "The method of var_amount and es_amount"}, s.var_method);
    v.field({.name = "var_amount", .help = "One-day VaR, positive = loss", .unit = "portfolio currency"},
            s.var_amount);
    v.field({.name = "es_amount", .help = "One-day expected shortfall", .unit = "portfolio currency"}, s.es_amount);
    v.field({.name = "var_pct", .help = "var_amount over the book's value", .unit = "fraction"}, s.var_pct);
    v.field({.name = "confidence", .help = "VaR/ES confidence level", .unit = "fraction"}, s.confidence);
    v.field({.name = "backtest_zone", .help = "Basel traffic light: green, yellow or red"}, s.backtest_zone);
    v.field({.name = "beta_mkt", .help = "Beta to the market factor"}, s.beta_mkt);
    v.field({.name = "worst_stress_scenario", .help = "Stress scenario with the largest loss"},
            s.worst_stress_scenario);
    v.field({.name = "worst_stress_pnl_amount", .help = "Its P&L", .unit = "portfolio currency"},
            s.worst_stress_pnl_amount);
    v.field({.name = "largest_position_symbol", .help = "Largest position by gross market value"},
            s.largest_position_symbol);
    v.field({.name = "largest_position_weight", .help = "Its weight in gross market value", .unit = "fraction"},
            s.largest_position_weight);
    v.field({.name = "data_warnings_count", .help = "Data-quality warnings"}, s.data_warnings_count);
  }
};

// The report.json document (schema keel.report/1, docs/reports.md). Each section has "status"
// (ok, n/a or failed) and, unless ok, "reason" (keel/service/report.h describes the sections).
// Every member is required when a document is read back (report_from_json): a document missing a
// section is refused rather than read as a section that is ok with zero figures.
struct Report {
  std::string schema;        // keel.report/1
  std::string portfolio;
  std::string as_of;         // YYYY-MM-DD
  std::string generated_at;  // ISO-8601 UTC
  std::string keel_version;
  ReportProvenance provenance;
  ReportSummary summary;
  ReportDataQuality data_quality;
  ReportPositions positions;
  ReportExposures exposures;
  ReportGreeks greeks;
  ReportFactors factors;
  ReportVar var;
  ReportStress stress;
  ReportCorrelation correlation;
  ReportConcentration concentration;
  ReportHistory history;
  std::vector<ReportStep> steps;

  static constexpr const char* kSchemaName = "Report";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "schema", .help = "keel.report/1", .required = true}, s.schema);
    v.field({.name = "portfolio", .required = true}, s.portfolio);
    v.field({.name = "as_of", .help = "As-of date, YYYY-MM-DD", .required = true}, s.as_of);
    v.field({.name = "generated_at", .help = "ISO-8601 UTC", .required = true}, s.generated_at);
    v.field({.name = "keel_version", .required = true}, s.keel_version);
    v.field({.name = "provenance", .help = "Where the inputs came from", .required = true}, s.provenance);
    v.field({.name = "summary", .help = "The headline figures", .required = true}, s.summary);
    v.field({.name = "data_quality", .help = "Data-quality checks of the price history", .required = true},
            s.data_quality);
    v.field({.name = "positions",
             .help = "One row per position (the columns of positions.csv)",
             .required = true},
            s.positions);
    v.field({.name = "exposures", .help = "Exposures, by sector and by instrument type", .required = true},
            s.exposures);
    v.field({.name = "greeks", .help = "Option Greeks in money terms", .required = true}, s.greeks);
    v.field({.name = "factors", .help = "Factor betas of the book", .required = true}, s.factors);
    v.field({.name = "var", .help = "VaR and ES by method, contributions and the backtest", .required = true},
            s.var);
    v.field({.name = "stress", .help = "Stress scenarios", .required = true}, s.stress);
    v.field({.name = "correlation", .help = "Correlation highlights and diversification", .required = true},
            s.correlation);
    v.field({.name = "concentration",
             .help = "Concentration of the book by position and sector",
             .required = true},
            s.concentration);
    v.field({.name = "history", .help = "Stored snapshots up to the as-of date", .required = true},
            s.history);
    v.field({.name = "steps", .help = "Every step, in the order they ran", .required = true}, s.steps);
  }
};

// `keel report` and GET /api/v1/portfolios/{id}/report. Sections that could not be computed carry
// "status":"failed"|"n/a" and a "reason". Throws keel::Error only when the book itself cannot be
// loaded: not_found for an unknown portfolio or a missing file, invalid_input for bad files or no
// prices, usage for a source that is not exactly one of portfolio / file / positions.
Report build_report(const Context& cx, const ReportRequest& request);

// GET /api/v1/portfolios/{id}/report: the report document (build_report's, as JSON) of the actor's
// tenant's stored portfolio at `as_of` (default: the latest prices), from the store's result cache
// (kind "report:<as_of or latest>") when it was built on the same positions (the portfolio's
// updated_at) and prices (the store's last price date), unless `refresh`; otherwise built and
// cached. Throws as build_report does, and Error::usage without a store.
struct CachedReport {
  nlohmann::json document;
  bool hit = false;  // from the cache
};
CachedReport cached_report(const Context& cx, const PortfolioSummary& portfolio, const std::optional<Date>& as_of,
                           bool refresh);

struct BatchRequest {
  std::vector<std::string> portfolios;  // empty = every portfolio of the tenant
  bool all = false;                     // CLI: every portfolio, said explicitly
  std::optional<Date> as_of;            // default: the store's last price date
  std::string tenant = "default";
  bool reports = true;                  // write the report files under out_dir
  std::string out_dir = "reports";
  std::vector<std::string> formats = {"md", "json", "csv", "xlsx"};
  bool snapshot = true;
  ReportRequest report;                 // settings of every report (its source is ignored)
  // Brings every held symbol up to date from a provider before the analyses (docs/marketdata.md);
  // off unless a provider is named (the faces fill it from KEEL_MARKET_DATA_PROVIDER).
  MarketDataStep market_data;
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

struct BatchResult {
  std::string as_of;
  std::string tenant;
  MarketDataStepResult market_data;
  std::vector<BatchItem> portfolios;
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
    v.field({.name = "ok", .help = "Portfolios whose every step ran"}, s.ok);
    v.field({.name = "partial", .help = "Portfolios with a failed step"}, s.partial);
    v.field({.name = "failed", .help = "Portfolios whose book could not be loaded"}, s.failed);
    v.field({.name = "elapsed_ms", .unit = "milliseconds"}, s.elapsed_ms);
  }
};

// `keel batch run`, POST /api/v1/batch (job batch.run). A portfolio is "failed" when its book
// cannot be loaded, "partial" when any step failed. Throws keel::Error: usage without a store or
// with both `all` and `portfolios`; not_found naming every unknown portfolio asked for (nothing
// runs then); invalid_input when the store has no prices or the tenant no portfolios.
BatchResult run_batch(const Context& cx, const BatchRequest& request);

struct PortfolioHistoryRequest {
  std::string portfolio;  // set by the face (the CLI's argument, the route's {id})
  std::string tenant = "default";
  std::optional<Date> from;  // first as-of date (inclusive); absent: the first snapshot
  std::optional<Date> to;    // last as-of date (inclusive); absent: the last snapshot

  static constexpr const char* kSchemaName = "PortfolioHistoryRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "from", .help = "First as-of date (inclusive)"}, s.from);
    v.field({.name = "to", .help = "Last as-of date (inclusive)"}, s.to);
  }
};

// One stored snapshot (store migration 6): the report summary's figures of that day.
struct HistoryPoint {
  std::string as_of;  // YYYY-MM-DD
  spec::Nullable<double> net_value_amount;
  spec::Nullable<double> gross_value_amount;
  spec::Nullable<double> pnl_1d_amount;
  spec::Nullable<double> var_amount;
  spec::Nullable<double> es_amount;
  spec::Nullable<std::string> var_method;
  spec::Nullable<std::string> backtest_zone;
  spec::Nullable<double> beta_mkt;
  std::string created_at;  // ISO-8601 UTC

  static constexpr const char* kSchemaName = "HistoryPoint";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "As-of date of the snapshot, YYYY-MM-DD"}, s.as_of);
    v.field({.name = "net_value_amount", .help = "Net market value", .unit = "portfolio currency"},
            s.net_value_amount);
    v.field({.name = "gross_value_amount", .help = "Gross market value", .unit = "portfolio currency"},
            s.gross_value_amount);
    v.field({.name = "pnl_1d_amount", .help = "One-day P&L of the book", .unit = "portfolio currency"},
            s.pnl_1d_amount);
    v.field({.name = "var_amount", .help = "One-day VaR, positive = loss", .unit = "portfolio currency"},
            s.var_amount);
    v.field({.name = "es_amount", .help = "One-day expected shortfall", .unit = "portfolio currency"}, s.es_amount);
    v.field({.name = "var_method", .help = "The method of var_amount (historical)"}, s.var_method);
    v.field({.name = "backtest_zone", .help = "Basel traffic light: green, yellow or red"}, s.backtest_zone);
    v.field({.name = "beta_mkt", .help = "Beta to the market factor"}, s.beta_mkt);
    v.field({.name = "created_at", .help = "When the snapshot was stored, ISO-8601 UTC"}, s.created_at);
  }
};

struct PortfolioHistoryResult {
  std::string portfolio;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::string tenant;
  spec::Nullable<std::string> from;  // as asked, YYYY-MM-DD
  spec::Nullable<std::string> to;
  std::vector<HistoryPoint> points;  // oldest first

  static constexpr const char* kSchemaName = "PortfolioHistoryResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "portfolio"}, s.portfolio);
    v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
    v.field({.name = "tenant"}, s.tenant);
    v.field({.name = "from", .help = "First as-of date asked for (null: from the first snapshot)"}, s.from);
    v.field({.name = "to", .help = "Last as-of date asked for (null: up to the last snapshot)"}, s.to);
    v.field({.name = "points", .help = "The snapshots, oldest first"}, s.points);
  }
};

// `keel portfolio history NAME` and GET /api/v1/portfolios/{id}/history: the stored snapshots
// oldest first. Throws keel::Error: usage without a store; not_found for a portfolio that neither
// exists nor has snapshots; invalid_input when from > to.
PortfolioHistoryResult portfolio_history(const Context& cx, const PortfolioHistoryRequest& request);

// A portfolio of the tenant with the figures of its newest snapshot (GET /api/v1/portfolios).
struct PortfolioListItem {
  PortfolioRecord record;
  spec::Nullable<HistoryPoint> last_snapshot;  // null until a batch run has recorded one

  static constexpr const char* kSchemaName = "PortfolioListItem";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.record);
    v.field({.name = "last_snapshot",
             .help = "Value, P&L, VaR, ES, zone and beta of the newest batch snapshot; null before the first"},
            s.last_snapshot);
  }
};

// The tenant's portfolios (store order) with their newest snapshots: one read of each table.
// Throws keel::Error(usage) without a store.
std::vector<PortfolioListItem> portfolio_list(const Context& cx, const std::string& tenant);

}  // namespace keel::service
