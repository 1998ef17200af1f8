// keel/service/report_build.h: building the portfolio report — `keel report`,
// GET /api/v1/portfolios/{id}/report (through the result cache, keel/service/report_cache.h) and
// the batch (keel/service/batch.h), for each of its portfolios.
//
// build_report runs, for one book at one as-of date, every analysis in order — market data check,
// exposures, Greeks, factor betas, VaR/ES, VaR backtest, stress tests, correlations — by calling the
// existing use cases (VaR and backtest as run_var and run_backtest compute them, risk_factors,
// risk_stress, risk_correlation, price_book + exposures_of + option_greeks_of) and mapping their results into the typed sections
// of the `keel.report/2` document (keel/service/report.h, docs/reports.md: the contract with the
// renderers). Each step runs in its own try/catch: a failing step turns its section into status
// "failed" (or "n/a") with the error's message as its reason and the others still run; every
// step's status and time are recorded in "steps". The book's positions are loaded once and handed
// to every step in memory (BookSource::positions), all at the same as-of date.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "keel/risk/data_quality.h"
#include "keel/service/book.h"
#include "keel/service/context.h"
#include "keel/service/factors.h"
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
  std::string rate_curve = "auto";   // options' rates from a stored curve (rate_curve_field)
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
  // Adds the factor attribution section: the P&L from the close of this date to the as-of date,
  // with betas over `window` returns ending at it (keel/service/factor_attribution.h).
  std::optional<Date> attribution_from;
  // The batch's --steps (validated, with what they need): only these run, the others are "n/a".
  // Empty: every step. Not a request field of the report itself.
  std::vector<std::string> only_steps;

  static constexpr const char* kSchemaName = "ReportRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
  // The settings every report shares (the batch's reports too): windows, confidence, Monte
  // Carlo, factor data.
  template <class V, class S>
  static void settings(V& v, S& s) {
    v.field({.name = "rate", .help = "Risk-free rate for options", .unit = "continuous decimal, 0.05 = 5%",
             .min = -1, .max = 1},
            s.rate);
    rate_curve_field(v, s.rate_curve);
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

// `keel report` and GET /api/v1/portfolios/{id}/report. Sections that could not be computed carry
// "status":"failed"|"n/a" and a "reason". Throws keel::Error only when the book itself cannot be
// loaded: not_found for an unknown portfolio or a missing file, invalid_input for bad files or no
// prices, usage for a source that is not exactly one of portfolio / file / positions.
Report build_report(const Context& cx, const ReportRequest& request);

}  // namespace keel::service
