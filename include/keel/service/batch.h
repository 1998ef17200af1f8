// keel/service/batch.h: the daily batch and the portfolio report (issue #11; `keel batch run`,
// `keel report`, `keel portfolio history`, and the same JSON over HTTP and as a job).
//
// build_report runs, for one book at one as-of date, every analysis in order — market data check,
// exposures, Greeks, factor betas, VaR/ES, VaR backtest, stress tests, correlations — by calling the
// existing use cases (risk_var_json, risk_backtest_json, risk_factors_json, risk_stress_json,
// risk_correlation_json, price_book + exposures_json + option_greeks_json) and mapping their JSON
// into the flat `keel.report/1` document of docs/reports.md (the contract with the renderers).
// Each step runs in its own try/catch: a failing step turns its section into {"status":"failed"
// (or "n/a"), "reason": the error's message} and the others still run; every step's status and
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
#include "keel/service/factors.h"
#include "keel/service/market_data.h"

namespace keel::service {

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
  std::string generated_at;          // ISO-8601 UTC; empty = now
};

// The report.json document (docs/reports.md). Sections that could not be computed carry
// "status":"failed"|"n/a" and a "reason". Throws keel::Error only when the book itself cannot be
// loaded: not_found for an unknown portfolio or a missing file, invalid_input for bad files or no
// prices, usage for a source that is not exactly one of portfolio / file / positions.
nlohmann::json build_report(Store* store, const ReportRequest& request);

struct BatchRequest {
  std::vector<std::string> portfolios;  // empty = every portfolio of the tenant
  std::optional<Date> as_of;            // default: the store's last price date
  std::string tenant = "default";
  std::optional<std::string> out_dir = "reports";  // nullopt: no files
  std::vector<std::string> formats = {"md", "json", "csv", "xlsx"};
  bool snapshot = true;
  ReportRequest report;                 // settings of every report (its source is ignored)
  // Brings every held symbol up to date from a provider before the analyses (docs/marketdata.md);
  // off unless a provider is named here or in KEEL_MARKET_DATA_PROVIDER.
  MarketDataStep market_data;
  std::function<void(const std::string& portfolio, std::size_t done, std::size_t total)> progress;
};

// {"as_of","tenant","market_data":{"status","message"|"reason","report"},"portfolios":[{"portfolio","status":"ok|partial|failed","report_dir","files":[..],
// "steps":[{"name","status","elapsed_ms","message"}],"summary":{..},"elapsed_ms","error"}],
// "ok","partial","failed","elapsed_ms"}. A portfolio is "failed" when its book cannot be loaded,
// "partial" when any step failed. Throws keel::Error: usage without a store; not_found naming
// every unknown portfolio asked for (nothing runs then); invalid_input when the store has no
// prices or the tenant no portfolios.
nlohmann::json run_batch(Store* store, const BatchRequest& request);

// `keel portfolio history NAME`: {"portfolio","tenant","from","to","points":[{"as_of",
// "net_value_amount","gross_value_amount","pnl_1d_amount","var_amount","es_amount","var_method",
// "backtest_zone","beta_mkt","created_at"}]} oldest first. Throws keel::Error: usage without a
// store; not_found for a portfolio that neither exists nor has snapshots; invalid_input when
// from > to.
nlohmann::json portfolio_history_json(Store* store, const std::string& tenant, const std::string& portfolio,
                                      std::optional<Date> from, std::optional<Date> to);

}  // namespace keel::service
