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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// A likelihood-ratio test of a backtest.
struct LikelihoodRatioResult {
  double lr = 0.0;       // test statistic
  double p_value = 1.0;  // upper tail of chi-squared with df degrees of freedom
  int df = 1;

  static constexpr const char* kSchemaName = "LikelihoodRatio";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A day on which the loss exceeded the VaR.
struct BacktestException {
  std::string date;   // YYYY-MM-DD
  double pnl = 0.0;   // hypothetical P&L, portfolio currency
  double var = 0.0;   // VaR of that day, portfolio currency, positive = loss

  static constexpr const char* kSchemaName = "BacktestException";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One tested day.
struct BacktestDay {
  std::string date;
  double pnl = 0.0;
  double var = 0.0;
  bool exception = false;

  static constexpr const char* kSchemaName = "BacktestDay";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// The backtest use case is service::run_backtest (keel/service/risk_runs.h).

struct RiskCorrelationRequest {
  RiskInputsRequest inputs;
  std::size_t window = 252;
  risk::CovarianceOptions covariance{};

  static constexpr const char* kSchemaName = "RiskCorrelationRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A sector's share of the book's gross exposure.
struct SectorWeight {
  std::string sector;
  double weight = 0.0;  // fraction of gross exposure

  static constexpr const char* kSchemaName = "SectorWeight";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ConcentrationResult {
  double hhi = 0.0;           // Herfindahl-Hirschman index of position weights
  double top10_weight = 0.0;  // fraction
  SectorWeight largest_sector;
  std::vector<SectorWeight> sectors;

  static constexpr const char* kSchemaName = "Concentration";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// `keel risk correlation` and POST /api/v1/portfolios/{id}/risk/correlation: the correlation
// matrix and annualised vols of the drivers, the book's volatility, and the diversification and
// concentration figures of the same window. Throws keel::Error as run_var.
RiskCorrelationResult risk_correlation(const Context& cx, const RiskCorrelationRequest& request);

}  // namespace keel::service
