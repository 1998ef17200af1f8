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
#include "keel/service/admission.h"
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
// The first name of each value is the one results, reports, docs and Python use; "sqrt" is also
// accepted (an earlier spelling of the flag).
inline constexpr spec::Choice<risk::HistoricalHorizon> kHorizonRuleNames[] = {
    {risk::HistoricalHorizon::kSqrtTime, "sqrt_time"},
    {risk::HistoricalHorizon::kSqrtTime, "sqrt"},
    {risk::HistoricalHorizon::kOverlapping, "overlapping"}};

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
  v.field({.name = "currency",
           .help = "Reporting currency: positions in other currencies are converted into it and carry "
                   "currency risk (default: the portfolio's, else USD)"},
          source.currency);
  v.field({.name = "fx",
           .help = "FX rates CSV (date,base,quote,rate; docs/fx.md) for positions in other currencies than "
                   "the reporting one (default: the store's rates)",
           .faces = spec::kCli},
          source.fx_file);
}

// Where options' rates come from: "auto" (the store's curve in the option's currency on or before
// the as-of date, read at its expiry; else `rate`), "none" (`rate`), or a stored curve's name
// (docs/exposures.md "Rates").
template <class V, class T>
void rate_curve_field(V& v, T& rate_curve) {
  v.field({.name = "rate_curve",
           .help = "Option rates: auto (the stored curve of the option's currency at its expiry, else rate), none "
                   "(rate), or a stored curve's name",
           .nonblank = true, .max_length = 200},
          rate_curve);
}

// The inputs that value a book's options, shared by every request on a book: `s` has rate,
// rate_curve, div, vol_window and american_engine members.
template <class V, class S>
void valuation_fields(V& v, S& s) {
  v.field({.name = "rate", .help = "Risk-free rate of options without a stored curve (rate_curve)",
           .unit = "continuous decimal, 0.05 = 5%", .min = -1, .max = 1},
          s.rate);
  rate_curve_field(v, s.rate_curve);
  v.field({.name = "div", .help = "Dividend yield of option underlyings without their own",
           .unit = "continuous decimal", .min = -1, .max = 1},
          s.div);
  v.field({.name = "vol_window", .help = "Historical vol window for options without implied_vol",
           .unit = "trading days", .min = 2, .max = 100000},
          s.vol_window);
  v.choice({.name = "american_engine",
            .help = "American options: alo (Andersen-Lake-Offengenden fixed point) or baw "
                    "(Barone-Adesi-Whaley approximation)"},
           s.american_engine, kAmericanEngineNames);
}

// What every risk use case needs to turn a book into returns and a RiskBook.
struct RiskInputsRequest {
  BookSource source;
  double rate = 0.0;             // risk-free rate for option valuation, continuous decimal
  std::string rate_curve = "auto";  // options' rates from a stored curve (rate_curve_field)
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
    valuation_fields(v, s);
  }
};

struct RiskVarRequest {
  RiskInputsRequest inputs;
  std::vector<risk::VarMethod> methods{risk::VarMethod::kHistorical};  // in output order
  std::size_t window = 252;      // returns in the estimation window
  risk::VarOptions var{};
  bool strict_psd = false;       // refuse a non-PSD covariance (else var.repair_psd clips it)
  std::size_t histogram_bins = 0;  // 0: no pnl_histogram; else 10..200 bins per method
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
    v.field({.name = "histogram_bins",
             .help = "Add each method's P&L histogram with this many equal bins (10 to 200; 0 = none)",
             .min = 0,
             .max = kMaxHistogramBins},
            s.histogram_bins);
    v.field({.name = "async", .help = "Run as a background job even when small", .faces = spec::kHttp}, s.async);
  }
  static constexpr double kMaxHistogramBins = 200;
  static constexpr std::size_t kMinHistogramBins = 10;
};

// The horizon P&L distribution of one VaR method on equal bins, so every method draws on one axis.
// Historical and Monte Carlo: counts of the method's own scenarios (the P&L that its VaR and ES are
// taken from) over [lowest, highest]. Parametric: the model's density at each bin centre times
// scenarios x bin width (expected counts of that many draws, the same area as a histogram of the
// window), over the mean -/+ 4 standard deviations widened to the ES; delta-gamma books use the
// Cornish-Fisher distribution of the VaR (docs/risk.md).
struct PnlHistogram {
  std::string kind;            // scenarios (counts) or density (expected counts)
  std::vector<double> edges;   // bins + 1 ascending edges, portfolio currency
  std::vector<double> counts;  // per bin [edge i, edge i+1); the last bin includes its upper edge
  std::size_t total = 0;       // scenarios the counts are of

  static constexpr const char* kSchemaName = "PnlHistogram";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "kind",
             .help = "scenarios (counts of the method's scenarios) or density (the model's "
                     "density at bin centres scaled to expected counts of total draws)"},
            s.kind);
    v.field(
        {.name = "edges", .help = "Bin edges, ascending: one more than counts", .unit = "portfolio currency"},
        s.edges);
    v.field({.name = "counts", .help = "Scenarios per bin [edge i, edge i+1), the last bin closed"},
            s.counts);
    v.field({.name = "total",
             .help = "Scenarios the counts are of (historical returns, Monte Carlo paths or, "
                     "for density, the window's returns)"},
            s.total);
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
  std::optional<std::string> horizon_rule;  // historical: a name of kHorizonRuleNames
  std::optional<std::string> distribution;  // Monte Carlo: normal or t
  std::optional<double> df;                 // Monte Carlo Student-t
  std::optional<std::size_t> paths;         // Monte Carlo
  std::optional<std::uint64_t> seed;        // Monte Carlo
  std::optional<double> std_error;          // Monte Carlo: one-sigma error of var, currency
  std::optional<PnlHistogram> pnl_histogram;  // with histogram_bins

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
    v.field({.name = "pnl_histogram", .help = "The method's horizon P&L distribution (with histogram_bins)"},
            s.pnl_histogram);
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
  std::string currency;         // the currency the position is quoted in
  double component_var_price = 0.0;     // price part of component_var (local move at today's rate)
  double component_var_currency = 0.0;  // currency part: price + currency = component_var

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
    v.field({.name = "currency", .help = "The currency the position is quoted in"}, s.currency);
    v.field({.name = "component_var_price",
             .help = "Price part of component_var: the move of the price in its own currency, converted at "
                     "the as-of rate (all of it for a position in the reporting currency)",
             .unit = "portfolio currency"},
            s.component_var_price);
    v.field({.name = "component_var_currency",
             .help = "Currency part of component_var: the FX move on the position's value at the horizon; "
                     "component_var_price + component_var_currency = component_var",
             .unit = "portfolio currency"},
            s.component_var_currency);
  }
};

struct RiskVarResult {
  std::string as_of;            // YYYY-MM-DD
  std::string portfolio;
  std::optional<std::int64_t> portfolio_id;  // HTTP: the stored portfolio's id
  std::string currency;         // reporting currency: every amount is in it
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
    v.field({.name = "currency", .help = "Reporting currency: every amount is in it"}, s.currency);
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

// The VaR use case is service::run_var (keel/service/risk_runs.h), which every face calls.

// A book's size as its VaR costs it: its positions, and how many of them are options (each
// revalued in full in every scenario, where a stock's P&L is one multiply).
struct VarBookSize {
  std::size_t positions = 0;
  std::size_t options = 0;  // of positions
};

// The size of a book of `positions`.
VarBookSize var_book_size(const std::vector<Position>& positions);

// Steps of the Monte Carlo engine one option's revaluation takes, in one scenario: measured 59 ns
// (European) and 69 ns (American) a revaluation on 1,000 options x 100,000 paths, against 2.7 ns a
// path-asset (bench/admission.sh --rates); rounded up.
inline constexpr double kOptionRevaluationSteps = 16.0;

// What a VaR of `methods` on a book of `book` size costs (keel/service/admission.h): Monte Carlo
// 2 x paths x (positions + 16 x options) steps and 16 bytes a path (its P&L and the order
// statistics' copy); historical 2 x window x 16 x options (each scenario revalues the options; the
// stocks' P&L is one product); the covariance (window x positions^2) and its factorisation
// (positions^3); the estimation window's returns. `operation` names it in messages ("VaR",
// "what-if calculation").
ComputeCost var_cost(const std::vector<risk::VarMethod>& methods, const risk::VarOptions& var, std::size_t window,
                     VarBookSize book, std::string operation = "VaR");

// A backtest tests the one-day VaR of the historical and parametric methods; the parametric one
// estimates the P&L variance by sample or EWMA.
inline constexpr spec::Choice<risk::VarMethod> kBacktestMethodNames[] = {
    {risk::VarMethod::kHistorical, "historical"}, {risk::VarMethod::kParametric, "parametric"}};
inline constexpr spec::Choice<risk::CovarianceMethod> kBacktestCovarianceNames[] = {
    {risk::CovarianceMethod::kSample, "sample"}, {risk::CovarianceMethod::kEwma, "ewma"}};

struct RiskBacktestRequest {
  RiskInputsRequest inputs;
  risk::BacktestOptions backtest{};
  bool include_series = false;   // add "series":[{"date","pnl","var","exception"}]
  bool async = false;            // HTTP: run as a background job (202)

  static constexpr const char* kSchemaName = "RiskBacktestRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.inputs);
    v.choice({.name = "method", .help = "VaR method backtested: historical or parametric"}, s.backtest.method,
             kBacktestMethodNames);
    v.field({.name = "confidence", .help = "Confidence level", .unit = "fraction, 0.99 = 99%", .min = 0, .max = 1,
             .min_exclusive = true, .max_exclusive = true},
            s.backtest.confidence);
    v.field({.name = "window", .help = "Estimation window of each day's VaR", .unit = "trading days", .min = 2,
             .max = 100000},
            s.backtest.window);
    v.choice({.name = "cov", .help = "Parametric: variance of the window's P&L, sample or ewma"},
             s.backtest.covariance.method, kBacktestCovarianceNames);
    v.field({.name = "lambda", .help = "EWMA decay", .unit = "per day", .min = 0, .max = 1, .min_exclusive = true,
             .max_exclusive = true},
            s.backtest.covariance.ewma_lambda);
    v.field({.name = "series", .help = "Include the daily P&L and VaR series"}, s.include_series);
    v.field({.name = "async", .help = "Run as a background job", .faces = spec::kHttp}, s.async);
  }
};

// A likelihood-ratio test of a backtest.
struct LikelihoodRatioResult {
  double lr = 0.0;       // test statistic
  double p_value = 1.0;  // upper tail of chi-squared with df degrees of freedom
  int df = 1;

  static constexpr const char* kSchemaName = "LikelihoodRatio";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "lr", .help = "Likelihood-ratio statistic"}, s.lr);
    v.field({.name = "p_value", .help = "Upper tail of chi-squared with df degrees of freedom"}, s.p_value);
    v.field({.name = "df", .help = "Degrees of freedom"}, s.df);
  }
};

// A day on which the loss exceeded the VaR.
struct BacktestException {
  std::string date;   // YYYY-MM-DD
  double pnl = 0.0;   // hypothetical P&L, portfolio currency
  double var = 0.0;   // VaR of that day, portfolio currency, positive = loss

  static constexpr const char* kSchemaName = "BacktestException";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "date", .help = "YYYY-MM-DD"}, s.date);
    v.field({.name = "pnl", .help = "Hypothetical P&L of today's book", .unit = "portfolio currency"}, s.pnl);
    v.field({.name = "var", .help = "VaR of that day, positive = loss", .unit = "portfolio currency"}, s.var);
  }
};

// One tested day.
struct BacktestDay {
  std::string date;
  double pnl = 0.0;
  double var = 0.0;
  bool exception = false;

  static constexpr const char* kSchemaName = "BacktestDay";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "date", .help = "YYYY-MM-DD"}, s.date);
    v.field({.name = "pnl", .help = "Hypothetical P&L of today's book", .unit = "portfolio currency"}, s.pnl);
    v.field({.name = "var", .help = "VaR of that day, positive = loss", .unit = "portfolio currency"}, s.var);
    v.field({.name = "exception", .help = "The loss exceeded the VaR"}, s.exception);
  }
};

struct RiskBacktestResult {
  std::string as_of;
  std::string portfolio;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::string currency;              // reporting currency of the P&L and VaR
  std::string method;                // historical or parametric
  double confidence = 0.0;           // fraction
  std::size_t window = 0;            // estimation window, trading days
  std::size_t observations = 0;      // days tested
  std::size_t exceptions = 0;
  double expected_exceptions = 0.0;  // observations x (1 - confidence)
  double exception_rate = 0.0;       // exceptions / observations
  LikelihoodRatioResult kupiec;
  LikelihoodRatioResult christoffersen;
  LikelihoodRatioResult conditional_coverage;
  std::string zone;                  // green, yellow or red
  double plus_factor = 0.0;          // Basel plus factor of the zone
  std::string first_date;            // first tested day
  std::string last_date;
  std::vector<BacktestException> exception_dates;
  std::optional<std::vector<BacktestDay>> series;  // when asked for
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "RiskBacktestResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Risk date, YYYY-MM-DD"}, s.as_of);
    v.field({.name = "portfolio"}, s.portfolio);
    v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
    v.field({.name = "currency", .help = "Reporting currency of the P&L and VaR"}, s.currency);
    v.field({.name = "method", .help = "historical or parametric"}, s.method);
    v.field({.name = "confidence", .unit = "fraction"}, s.confidence);
    v.field({.name = "window", .help = "Estimation window", .unit = "trading days"}, s.window);
    v.field({.name = "observations", .help = "Days tested"}, s.observations);
    v.field({.name = "exceptions", .help = "Days whose loss exceeded the VaR"}, s.exceptions);
    v.field({.name = "expected_exceptions", .help = "observations x (1 - confidence)"}, s.expected_exceptions);
    v.field({.name = "exception_rate", .help = "exceptions / observations", .unit = "fraction"}, s.exception_rate);
    v.field({.name = "kupiec", .help = "Kupiec proportion-of-failures test, chi2(1)"}, s.kupiec);
    v.field({.name = "christoffersen", .help = "Christoffersen independence test, chi2(1)"}, s.christoffersen);
    v.field({.name = "conditional_coverage", .help = "Conditional coverage test, chi2(2)"}, s.conditional_coverage);
    v.field({.name = "zone", .help = "Basel traffic light: green, yellow or red"}, s.zone);
    v.field({.name = "plus_factor",
             .help = "Basel plus factor to the capital multiplier of 3: 0 green; 0.40, 0.50, 0.65, 0.75, 0.85 for 5 "
                     "to 9 exceptions in 250 days; 1 red (docs/risk.md, \"Backtesting\")"},
            s.plus_factor);
    v.field({.name = "first_date", .help = "First tested day"}, s.first_date);
    v.field({.name = "last_date", .help = "Last tested day"}, s.last_date);
    v.field({.name = "exception_dates", .help = "The exception days"}, s.exception_dates);
    v.field({.name = "series", .help = "Every tested day (with series)"}, s.series);
    v.field({.name = "warnings"}, s.warnings);
  }
};

// The backtest use case is service::run_backtest (keel/service/risk_runs.h).

struct RiskCorrelationRequest {
  RiskInputsRequest inputs;
  std::size_t window = 252;
  risk::CovarianceOptions covariance{};

  static constexpr const char* kSchemaName = "RiskCorrelationRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.inputs);
    v.field({.name = "window", .help = "Daily returns in the window", .unit = "trading days", .min = 2,
             .max = 100000},
            s.window);
    v.choice({.name = "cov", .help = "Covariance estimator"}, s.covariance.method, kCovarianceNames);
    v.field({.name = "lambda", .help = "EWMA decay", .unit = "per day", .min = 0, .max = 1, .min_exclusive = true,
             .max_exclusive = true},
            s.covariance.ewma_lambda);
  }
};

// A sector's share of the book's gross exposure.
struct SectorWeight {
  std::string sector;
  double weight = 0.0;  // fraction of gross exposure

  static constexpr const char* kSchemaName = "SectorWeight";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "sector", .help = "Sector (Unknown when a position has none)"}, s.sector);
    v.field({.name = "weight", .help = "Share of gross delta exposure", .unit = "fraction"}, s.weight);
  }
};

struct ConcentrationResult {
  double hhi = 0.0;           // Herfindahl-Hirschman index of position weights
  double top10_weight = 0.0;  // fraction
  SectorWeight largest_sector;
  std::vector<SectorWeight> sectors;

  static constexpr const char* kSchemaName = "Concentration";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "hhi", .help = "Herfindahl-Hirschman index of the position weights"}, s.hhi);
    v.field({.name = "top10_weight", .help = "Weight of the ten largest positions (gross delta exposure)", .unit = "fraction"},
            s.top10_weight);
    v.field({.name = "largest_sector"}, s.largest_sector);
    v.field({.name = "sectors"}, s.sectors);
  }
};

// Diversification and concentration figures of a book over a window (docs/factors.md), shared by
// `keel risk correlation` and `keel risk diversification`.
struct DiversificationFigures {
  double average_pairwise_correlation = 0.0;
  double weighted_average_pairwise_correlation = 0.0;
  double diversification_ratio = 0.0;
  double effective_number_of_bets = 0.0;
  double effective_number_of_positions = 0.0;
  ConcentrationResult concentration;

  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "average_pairwise_correlation", .help = "Mean off-diagonal correlation of the positions (delta view: shorts flip the sign)"},
            s.average_pairwise_correlation);
    v.field({.name = "weighted_average_pairwise_correlation", .help = "The same mean weighted by |w_i w_j|"},
            s.weighted_average_pairwise_correlation);
    v.field({.name = "diversification_ratio", .help = "Choueifaty-Coignard: sum of |exposure| x vol over the book's vol"},
            s.diversification_ratio);
    v.field({.name = "effective_number_of_bets", .help = "Meucci effective number of bets, 1 to the number of drivers"},
            s.effective_number_of_bets);
    v.field({.name = "effective_number_of_positions", .help = "1 / HHI of the weights"},
            s.effective_number_of_positions);
    v.field({.name = "concentration"}, s.concentration);
  }
};

struct RiskCorrelationResult {
  std::string as_of;
  std::string portfolio;
  std::string portfolio_name;                // the same name (as `keel risk diversification` writes it)
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::string currency;                      // reporting currency
  std::size_t window = 0;                    // daily returns used
  std::string covariance;                    // sample, ewma or ledoit-wolf
  // The risk drivers, in matrix order; with positions in other currencies, one FX column per
  // foreign currency after them ("EUR/USD": the return of the rate into the reporting currency).
  std::vector<std::string> symbols;
  std::vector<std::vector<double>> matrix;   // correlation
  std::vector<double> volatility;            // annualised (x sqrt 252), fraction
  double portfolio_volatility = 0.0;         // annualised fraction of the book's value
  double portfolio_volatility_amount = 0.0;  // annualised, portfolio currency
  double value = 0.0;                        // book value, portfolio currency
  DiversificationFigures diversification;
  std::size_t correlated_positions = 0;      // positions behind average_pairwise_correlation
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "RiskCorrelationResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Risk date, YYYY-MM-DD"}, s.as_of);
    v.field({.name = "portfolio"}, s.portfolio);
    v.field({.name = "portfolio_name", .help = "The portfolio again (the diversification report's key)"},
            s.portfolio_name);
    v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
    v.field({.name = "currency", .help = "Reporting currency"}, s.currency);
    v.field({.name = "window", .help = "Daily returns in the window"}, s.window);
    v.field({.name = "covariance", .help = "sample, ewma or ledoit-wolf"}, s.covariance);
    v.field({.name = "symbols",
             .help = "Risk drivers, in matrix order; then one FX column per foreign currency (EUR/USD: the "
                     "return of the rate converting it into the reporting currency)"},
            s.symbols);
    v.field({.name = "matrix", .help = "Correlation matrix of daily returns (null where undefined)"}, s.matrix);
    v.field({.name = "volatility", .help = "Annualised volatility of each driver (x sqrt 252)", .unit = "fraction"},
            s.volatility);
    v.field({.name = "portfolio_volatility", .help = "Annualised volatility over the book's value",
             .unit = "fraction"},
            s.portfolio_volatility);
    v.field({.name = "portfolio_volatility_amount", .help = "Annualised volatility", .unit = "portfolio currency"},
            s.portfolio_volatility_amount);
    v.field({.name = "value", .help = "Book value", .unit = "portfolio currency"}, s.value);
    v.flatten(s.diversification);
    v.field({.name = "correlated_positions", .help = "Positions behind average_pairwise_correlation"},
            s.correlated_positions);
    v.field({.name = "warnings"}, s.warnings);
  }
};

// `keel risk correlation` and POST /api/v1/portfolios/{id}/risk/correlation: the correlation
// matrix and annualised vols of the drivers, the book's volatility, and the diversification and
// concentration figures of the same window. Throws keel::Error as run_var.
RiskCorrelationResult risk_correlation(const Context& cx, const RiskCorrelationRequest& request);

}  // namespace keel::service
