// keel/service/risk.h: the market-risk use cases (`keel risk var|backtest|correlation`, and the same
// JSON over HTTP: POST /api/v1/portfolios/{id}/risk/var).
//
// Each use case loads the book (service::load_book: a stored portfolio or files), values it at the
// as-of date (keel::risk::build_risk_book: spot = last raw close on or before as-of; options by
// Black-Scholes-Merton with the position's implied_vol, else the historical vol of the underlying
// over `vol_window` days, with a warning), takes daily returns of the adjusted closes of the
// positions' drivers (keel/risk/returns.h) and runs the engine. Requests and results are described
// structs (keel/service/spec.h): the CLI flags, the HTTP body, the JSON output and the OpenAPI
// schemas all come from their `fields`; docs/risk.md explains each figure.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "keel/options/american.h"
#include "keel/risk/backtest.h"
#include "keel/risk/returns.h"
#include "keel/risk/var.h"
#include "keel/service/book.h"
#include "keel/service/context.h"
#include "keel/service/spec.h"

namespace keel::service {

// Names of the engines' enums, shared by every request that takes them.
inline constexpr spec::Choice<risk::VarMethod> kVarMethodNames[] = {
    {risk::VarMethod::kParametric, "parametric"},
    {risk::VarMethod::kHistorical, "historical"},
    {risk::VarMethod::kMonteCarlo, "montecarlo"}};
inline constexpr spec::Choice<risk::CovarianceMethod> kCovarianceNames[] = {
    {risk::CovarianceMethod::kSample, "sample"},
    {risk::CovarianceMethod::kEwma, "ewma"},
    {risk::CovarianceMethod::kLedoitWolf, "ledoit-wolf"}};
inline constexpr spec::Choice<risk::MissingPrices> kMissingPricesNames[] = {
    {risk::MissingPrices::kError, "error"},
    {risk::MissingPrices::kCarryForward, "carry-forward"},
    {risk::MissingPrices::kCarryForward, "carry_forward"}};
inline constexpr spec::Choice<options::AmericanEngine> kAmericanEngineNames[] = {
    {options::AmericanEngine::kAlo, "alo"}, {options::AmericanEngine::kBaw, "baw"}};
inline constexpr spec::Choice<risk::McDistribution> kMcDistributionNames[] = {
    {risk::McDistribution::kNormal, "normal"}, {risk::McDistribution::kStudentT, "t"}};
inline constexpr spec::Choice<risk::MeanModel> kMeanModelNames[] = {{risk::MeanModel::kZero, "zero"},
                                                                    {risk::MeanModel::kSample, "sample"}};
inline constexpr spec::Choice<risk::HistoricalHorizon> kHorizonRuleNames[] = {
    {risk::HistoricalHorizon::kSqrtTime, "sqrt"}, {risk::HistoricalHorizon::kOverlapping, "overlapping"}};

// The fields that pick a book and value it, shared by every request on a book: on the command
// line a stored portfolio (--portfolio) or files (--positions, --prices); over HTTP the portfolio
// of the route.
template <class V, class S>
void book_source_fields(V& v, S& source) {
  v.field({.name = "portfolio", .help = "Stored portfolio name", .faces = spec::kCli, .cli_short = "-p"},
          source.portfolio);
  v.field({.name = "positions", .help = "Positions CSV (instead of --portfolio)", .faces = spec::kCli},
          source.positions_file);
  v.field({.name = "prices", .help = "Prices CSV (default: the store's prices)", .faces = spec::kCli},
          source.prices_file);
  v.field({.name = "as_of", .help = "Risk date (default: the last date with prices)"}, source.as_of);
}

// What every risk use case needs to turn a book into returns and a RiskBook.
struct RiskInputsRequest {
  BookSource source;
  double rate = 0.0;             // risk-free rate for option valuation, continuous decimal
  double div = 0.0;              // dividend yield of the underlyings, continuous decimal
  std::size_t vol_window = 63;   // trading days of historical vol for options without implied_vol
  risk::MissingPrices missing = risk::MissingPrices::kError;  // or the carry-forward proxy
  options::AmericanEngine american_engine = options::kDefaultAmericanEngine;  // American options

  template <class V, class S>
  static void fields(V& v, S& s) {
    book_source_fields(v, s.source);
    v.choice({.name = "missing",
              .help = "Missing prices: error (align on common dates) or carry-forward (zero-return proxy)"},
             s.missing, kMissingPricesNames);
    v.field({.name = "rate", .help = "Risk-free rate for options", .unit = "continuous decimal, 0.05 = 5%",
             .min = -1, .max = 1},
            s.rate);
    v.field({.name = "div", .help = "Dividend yield of option underlyings", .unit = "continuous decimal",
             .min = -1, .max = 1},
            s.div);
    v.field({.name = "vol_window", .help = "Historical vol window for options without implied_vol",
             .unit = "trading days", .min = 2, .max = 100000},
            s.vol_window);
    v.choice({.name = "american_engine",
              .help = "American options: alo (Andersen-Lake-Offengenden fixed point) or baw "
                      "(Barone-Adesi-Whaley approximation)"},
             s.american_engine, kAmericanEngineNames);
  }
};

struct RiskVarRequest {
  RiskInputsRequest inputs;
  std::vector<risk::VarMethod> methods{risk::VarMethod::kHistorical};  // in output order
  std::size_t window = 252;      // returns in the estimation window
  risk::VarOptions var{};
  bool strict_psd = false;       // refuse a non-PSD covariance (else var.repair_psd clips it)
  bool async = false;            // HTTP: run as a background job (202) even when small

  static constexpr const char* kSchemaName = "RiskVarRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.inputs);
    v.choice_list({.name = "method", .help = "VaR methods, in output order"}, s.methods,
                  kVarMethodNames, "all");
    v.field({.name = "window", .help = "Returns in the estimation window", .unit = "trading days", .min = 2,
             .max = 100000},
            s.window);
    v.field({.name = "confidence", .help = "Confidence level", .unit = "fraction, 0.99 = 99%", .min = 0, .max = 1,
             .min_exclusive = true, .max_exclusive = true},
            s.var.confidence);
    v.field({.name = "horizon", .help = "Horizon", .unit = "trading days", .min = 1, .max = 10000},
            s.var.horizon_days);
    v.choice({.name = "cov", .help = "Covariance estimator (parametric and Monte Carlo)"}, s.var.covariance.method,
             kCovarianceNames);
    v.field({.name = "lambda", .help = "EWMA decay", .unit = "per day", .min = 0, .max = 1, .min_exclusive = true,
             .max_exclusive = true},
            s.var.covariance.ewma_lambda);
    v.choice({.name = "dist", .help = "Monte Carlo distribution"}, s.var.monte_carlo.distribution,
             kMcDistributionNames);
    v.field({.name = "df", .help = "Student-t degrees of freedom", .min = 2, .max = 1000, .min_exclusive = true},
            s.var.monte_carlo.df);
    v.field({.name = "paths", .help = "Monte Carlo paths", .min = 1, .max = double(risk::kMaxMonteCarloPaths)},
            s.var.monte_carlo.paths);
    v.field({.name = "seed", .help = "Monte Carlo seed (same seed, same numbers whatever the thread count)"},
            s.var.monte_carlo.seed);
    v.choice({.name = "mean", .help = "Mean of returns (parametric and Monte Carlo)"}, s.var.mean,
             kMeanModelNames);
    v.choice({.name = "horizon_rule", .help = "Historical VaR beyond one day: sqrt-time scaling or overlapping sums"},
             s.var.historical_horizon, kHorizonRuleNames);
    v.field({.name = "delta_gamma", .help = "Parametric: add option gamma (Cornish-Fisher)"}, s.var.delta_gamma);
    v.field({.name = "strict_psd",
             .help = "Monte Carlo: refuse a covariance that is not positive semi-definite instead of "
                     "clipping its negative eigenvalues (with a warning)"},
            s.strict_psd);
    v.field({.name = "async", .help = "Run as a background job even when small", .faces = spec::kHttp}, s.async);
  }
};

// One VaR method's figures.
struct VarMethodResult {
  std::string method;          // parametric, historical or montecarlo
  double confidence = 0.0;     // fraction
  int horizon_days = 1;
  double var = 0.0;            // portfolio currency, positive = loss
  double es = 0.0;             // expected shortfall, portfolio currency
  double var_pct = 0.0;        // var / value
  double volatility = 0.0;     // standard deviation of the horizon P&L, portfolio currency
  std::size_t scenarios = 0;   // historical scenarios or Monte Carlo paths
  std::optional<std::string> horizon_rule;  // historical: sqrt_time or overlapping
  std::optional<std::string> distribution;  // Monte Carlo: normal or t
  std::optional<double> df;                 // Monte Carlo Student-t
  std::optional<std::size_t> paths;         // Monte Carlo
  std::optional<std::uint64_t> seed;        // Monte Carlo
  std::optional<double> std_error;          // Monte Carlo: one-sigma error of var, currency

  static constexpr const char* kSchemaName = "VarMethodResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "method", .help = "parametric, historical or montecarlo"}, s.method);
    v.field({.name = "confidence", .unit = "fraction"}, s.confidence);
    v.field({.name = "horizon_days", .unit = "trading days"}, s.horizon_days);
    v.field({.name = "var", .help = "Value at risk, positive = loss", .unit = "portfolio currency"}, s.var);
    v.field({.name = "es", .help = "Expected shortfall", .unit = "portfolio currency"}, s.es);
    v.field({.name = "var_pct", .help = "VaR over the book's value", .unit = "fraction"}, s.var_pct);
    v.field({.name = "volatility", .help = "Standard deviation of the horizon P&L", .unit = "portfolio currency"},
            s.volatility);
    v.field({.name = "scenarios", .help = "Historical scenarios or Monte Carlo paths"}, s.scenarios);
    v.field({.name = "horizon_rule", .help = "Historical: sqrt_time or overlapping"}, s.horizon_rule);
    v.field({.name = "distribution", .help = "Monte Carlo: normal or t"}, s.distribution);
    v.field({.name = "df", .help = "Monte Carlo: Student-t degrees of freedom"}, s.df);
    v.field({.name = "paths", .help = "Monte Carlo paths"}, s.paths);
    v.field({.name = "seed", .help = "Monte Carlo seed"}, s.seed);
    v.field({.name = "std_error", .help = "Monte Carlo: one-sigma error of var from order statistics",
             .unit = "portfolio currency"},
            s.std_error);
  }
};

// One position's share of the VaR (Euler allocation: components sum to the VaR).
struct VarContribution {
  std::string symbol;
  std::string asset;            // the risk driver
  double value = 0.0;           // market value, portfolio currency
  double exposure = 0.0;        // delta exposure to the driver, portfolio currency
  double marginal_var = 0.0;    // dVaR / d exposure
  double component_var = 0.0;   // portfolio currency
  double component_pct = 0.0;   // component_var / VaR, fraction
  double incremental_var = 0.0; // VaR with minus VaR without the position, portfolio currency

  static constexpr const char* kSchemaName = "VarContribution";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "asset", .help = "The risk driver"}, s.asset);
    v.field({.name = "value", .help = "Market value", .unit = "portfolio currency"}, s.value);
    v.field({.name = "exposure", .help = "Delta exposure to the driver", .unit = "portfolio currency"}, s.exposure);
    v.field({.name = "marginal_var", .help = "dVaR / d exposure", .unit = "per unit of exposure"}, s.marginal_var);
    v.field({.name = "component_var", .help = "Euler component; components sum to the VaR",
             .unit = "portfolio currency"},
            s.component_var);
    v.field({.name = "component_pct", .help = "component_var over the VaR", .unit = "fraction"}, s.component_pct);
    v.field({.name = "incremental_var", .help = "VaR with the position minus VaR without it",
             .unit = "portfolio currency"},
            s.incremental_var);
  }
};

struct RiskVarResult {
  std::string as_of;            // YYYY-MM-DD
  std::string portfolio;
  std::optional<std::int64_t> portfolio_id;  // HTTP: the stored portfolio's id
  double value = 0.0;           // book value, portfolio currency
  std::size_t positions = 0;
  std::size_t window = 0;       // daily returns used
  std::string window_start;     // first date of the window
  std::string covariance;       // sample, ewma or ledoit-wolf
  std::optional<double> lambda; // EWMA decay
  std::string mean;             // zero or sample
  std::string parametric_model; // delta-normal or delta-gamma (Cornish-Fisher)
  std::vector<VarMethodResult> results;
  std::string contributions_method;
  std::vector<VarContribution> contributions;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "RiskVarResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Risk date, YYYY-MM-DD"}, s.as_of);
    v.field({.name = "portfolio"}, s.portfolio);
    v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
    v.field({.name = "value", .help = "Book value", .unit = "portfolio currency"}, s.value);
    v.field({.name = "positions", .help = "Positions valued"}, s.positions);
    v.field({.name = "window", .help = "Daily returns in the window"}, s.window);
    v.field({.name = "window_start", .help = "First date of the window"}, s.window_start);
    v.field({.name = "covariance", .help = "sample, ewma or ledoit-wolf"}, s.covariance);
    v.field({.name = "lambda", .help = "EWMA decay"}, s.lambda);
    v.field({.name = "mean", .help = "zero or sample"}, s.mean);
    v.field({.name = "parametric_model", .help = "delta-normal or delta-gamma (Cornish-Fisher)"}, s.parametric_model);
    v.field({.name = "results", .help = "One entry per method, in the order asked"}, s.results);
    v.field({.name = "contributions_method", .help = "The method the contributions are computed with"},
            s.contributions_method);
    v.field({.name = "contributions"}, s.contributions);
    v.field({.name = "warnings"}, s.warnings);
  }
};

// `keel risk var` and POST /api/v1/portfolios/{id}/risk/var. Throws keel::Error: invalid_input for
// bad options, an empty portfolio, missing prices or too little history (naming the symbols); as
// load_book otherwise.
RiskVarResult risk_var(const Context& cx, const RiskVarRequest& request);

struct RiskBacktestRequest {
  RiskInputsRequest inputs;
  risk::BacktestOptions backtest{};
  bool include_series = false;   // add "series":[{"date","pnl","var","exception"}]
};

// `keel risk backtest` → {"observations","exceptions","expected_exceptions","kupiec":{"lr",
// "p_value"},"christoffersen":{..},"conditional_coverage":{..},"zone","method","confidence",
// "window","first_date","last_date","exception_dates":[..]}. The P&L is the hypothetical P&L of
// today's book on each past day (full revaluation of options).
nlohmann::json risk_backtest_json(Store* store, const RiskBacktestRequest& request);

struct RiskCorrelationRequest {
  RiskInputsRequest inputs;
  std::size_t window = 252;
  risk::CovarianceOptions covariance{};
};

// `keel risk correlation` → {"symbols":[..],"matrix":[[..]],"volatility":[..] (annualised, x sqrt 252),
// "portfolio_volatility" (annualised fraction of the book's value),"portfolio_volatility_amount",
// "window","covariance","as_of"}.
nlohmann::json risk_correlation_json(Store* store, const RiskCorrelationRequest& request);

}  // namespace keel::service
