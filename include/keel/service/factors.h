// keel/service/factors.h: factor exposures, stress tests and diversification analytics of a book
// (`keel risk factors`, `keel risk stress`, `keel risk scenario-shocks`, `keel risk diversification`;
// the same JSON over HTTP).
//
// Each use case loads and values the book like the market-risk use cases (service::load_book and
// keel::risk::build_risk_book: options by Black-Scholes-Merton, their implied vol or the underlying's
// historical vol), takes the last `window` daily returns of the positions' drivers
// (keel::risk::simple_returns), lines the factor returns up with them (keel/factors/alignment.h) and
// runs the factors engine. Factor returns come from a file (`--factors FILE`, any factor names;
// `--factor-units percent` for the Fama-French files; the CLI only) or from a set imported into
// the store (`keel import factors FILE --set ff5`). Requests and results are described structs
// (keel/service/spec.h): CLI flags, HTTP bodies, JSON output and OpenAPI schemas come from their
// `fields`; docs/factors.md and docs/stress.md explain each figure.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/factors/scenario.h"
#include "keel/io/readers.h"
#include "keel/risk/covariance_options.h"
#include "keel/service/curve_names.h"
#include "keel/service/risk.h"

namespace keel::service {

inline constexpr spec::Choice<factors::StressMethod> kStressMethodNames[] = {
    {factors::StressMethod::kDirect, "direct"}, {factors::StressMethod::kCorrelated, "correlated"}};

// Where factor returns come from: a file (the CLI) or a set imported into the store.
struct FactorDataSource {
  std::optional<std::string> file;            // factor CSV `date,<factor>...`; else the store's set
  io::RateUnits units = io::RateUnits::kDecimal;  // of the file (the store holds decimals)
  std::string set = "ff5";                    // store factor set when no file is given
  std::string rf_column = "rf";               // risk-free column (not a regressor); absent = 0

  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FactorsRequest {
  RiskInputsRequest inputs;
  FactorDataSource factors;
  std::size_t window = 252;          // daily returns per regression
  std::size_t rolling_window = 0;    // > 0: rolling betas with this window over the `window` returns
  std::size_t rolling_step = 1;
  double periods_per_year = 252.0;   // annualisation of alpha and residual vol (library callers)

  static constexpr const char* kSchemaName = "RiskFactorsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One OLS fit of daily (excess) returns on the factors.
struct FactorFit {
  std::map<std::string, double> betas;       // per factor
  double alpha = 0.0;                        // annualised (x periods_per_year), decimal
  double alpha_daily = 0.0;                  // decimal per day
  double alpha_t = 0.0;
  double r2 = 0.0;
  double adj_r2 = 0.0;
  std::map<std::string, double> t_stats;     // per factor
  std::map<std::string, double> std_errors;  // per factor
  double residual_vol = 0.0;                 // annualised, decimal
  double residual_vol_daily = 0.0;

  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FactorValueWeighted {
  std::map<std::string, double> betas;
  double alpha = 0.0;

  static constexpr const char* kSchemaName = "FactorValueWeighted";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FactorPortfolio {
  std::map<std::string, double> betas;      // value-weighted position betas
  double alpha = 0.0;                       // value-weighted, annualised
  double r2 = 0.0;                          // of the book's own regression
  FactorValueWeighted value_weighted;
  FactorFit regression;                     // the book's return series regressed directly
  std::map<std::string, double> exposures;  // beta x weight base: currency P&L per 1.00 factor move

  static constexpr const char* kSchemaName = "FactorPortfolio";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FactorPosition {
  std::string symbol;
  std::string driver;    // the risk driver (an option's underlying)
  double value = 0.0;    // market value, portfolio currency
  double exposure = 0.0; // delta exposure, portfolio currency
  double weight = 0.0;   // of the weight base, fraction
  FactorFit fit;         // of the driver

  static constexpr const char* kSchemaName = "FactorPosition";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Rolling fits of one series: entry w of each list belongs to window w.
struct RollingSeries {
  std::map<std::string, std::vector<double>> betas;
  std::vector<double> alpha;  // annualised
  std::vector<double> r2;

  static constexpr const char* kSchemaName = "RollingSeries";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct RollingAssetSeries {
  std::string symbol;
  RollingSeries series;
  static constexpr const char* kSchemaName = "RollingAssetSeries";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FactorRolling {
  std::size_t window = 0;          // trading days per window
  std::size_t step = 1;            // trading days between windows
  std::vector<std::string> dates;  // last date of each window
  RollingSeries portfolio;
  std::vector<RollingAssetSeries> assets;

  static constexpr const char* kSchemaName = "FactorRolling";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FactorsResult {
  std::string as_of;
  std::string portfolio_name;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::string currency;                      // reporting currency of every amount
  std::vector<std::string> factors;
  std::string factor_source;     // the file or store set
  bool excess_returns = false;   // returns in excess of the risk-free column
  std::size_t window = 0;        // daily returns regressed
  std::string first_date;
  std::string last_date;
  double periods_per_year = 252.0;
  double weight_base = 0.0;      // portfolio currency
  std::string weight_basis;      // net_value or gross_exposure
  FactorPortfolio portfolio;
  std::vector<FactorPosition> positions;
  std::optional<FactorRolling> rolling;  // with rolling_window > 0
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "RiskFactorsResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel risk factors` and POST /api/v1/portfolios/{id}/risk/factors (docs/factors.md). Throws
// keel::Error: invalid_input for bad options, missing factor dates, non-overlapping dates;
// not_found for a missing factor file or set; as load_book otherwise.
FactorsResult risk_factors(const Context& cx, const FactorsRequest& request);

struct StressRequest {
  RiskInputsRequest inputs;
  FactorDataSource factors;
  std::size_t window = 252;                 // returns for the betas and the factor covariance
  std::vector<std::string> scenarios;       // names, or "all"; empty = all (or only "user" with shocks)
  std::optional<std::string> scenarios_file;  // adds to / overrides the built-in library
  std::vector<std::string> shock_texts;     // "FACTOR=DECIMAL_RETURN": the "user" scenario (faces)
  std::vector<factors::FactorShock> user_shocks;  // the same, typed (library callers)
  std::optional<double> user_vol_shock;
  std::vector<factors::StressMethod> methods{factors::StressMethod::kDirect, factors::StressMethod::kCorrelated};

  static constexpr const char* kSchemaName = "RiskStressRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct StressPosition {
  std::string symbol;
  double pnl = 0.0;      // portfolio currency
  double pnl_pct = 0.0;  // of the position's value
  double value = 0.0;    // market value, portfolio currency
  std::optional<std::string> driver;  // risky positions
  std::optional<double> move;         // the driver's return under the scenario
  std::optional<std::size_t> own_days;  // replay: days the driver moved by its own return
  std::optional<double> proxy_r2;       // replay, a driver proxied on some days: its fit's R^2
  std::optional<bool> proxy_bounded;    // replay, proxied: the proxy's style part was bounded

  static constexpr const char* kSchemaName = "StressPosition";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct StressScenarioResult {
  std::string name;
  std::string label;
  std::string kind;                  // historical, hypothetical or user
  std::optional<std::string> start;  // historical window
  std::optional<std::string> end;
  std::string method;                // direct or correlated
  double pnl = 0.0;                  // portfolio currency
  double pnl_pct = 0.0;              // of the book's value
  spec::Nullable<double> vol_shock;  // implied-vol change, decimal
  std::map<std::string, double> factor_shocks;  // per factor, decimal returns
  std::vector<std::string> given_factors;       // the shocks the scenario gives (the rest: implied)
  std::string replay = "one step";              // or "daily": a historical path replayed day by day
  std::optional<std::size_t> replay_days;       // daily: days of the path
  // With positions in other currencies: the move of each foreign currency's rate into the
  // reporting currency ("EUR/USD"), shocked by the scenario or implied by its factor betas.
  std::optional<std::map<std::string, double>> currency_moves;
  std::vector<StressPosition> positions;

  static constexpr const char* kSchemaName = "StressScenarioResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct StressResult {
  std::string as_of;
  std::string portfolio_name;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::string currency;                      // reporting currency of every amount
  std::vector<std::string> factors;
  std::string factor_source;
  std::size_t window = 0;
  std::string first_date;
  std::string last_date;
  double book_value = 0.0;  // portfolio currency
  std::vector<StressScenarioResult> scenarios;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "RiskStressResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel risk stress` and POST /api/v1/portfolios/{id}/risk/stress (docs/stress.md). Throws
// keel::Error: not_found for an unknown scenario name (listing the known ones) or a missing
// scenario file; invalid_input for a malformed scenario file (JSON field paths), a malformed
// shock, and as risk_factors.
StressResult risk_stress(const Context& cx, const StressRequest& request);

struct ScenarioShocksRequest {
  FactorDataSource factors;                   // the full factor history (e.g. FF5 since 1963)
  std::optional<std::string> scenarios_file;  // default: the built-in library
  std::optional<std::string> out_file;        // CLI: also write the library here
  std::string command;                        // recorded as "derived_by" (the command line)

  static constexpr const char* kSchemaName = "ScenarioShocksRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One scenario of a scenario library file (the format of keel/io/scenario_reader.h, docs/stress.md).
struct ScenarioFileEntry {
  std::string name;
  std::string label;
  std::string kind;           // historical, hypothetical or user
  std::optional<Date> start;  // historical: the window (start, end]
  std::optional<Date> end;
  std::string description;
  std::map<std::string, double> shocks;  // factor -> shock, decimal
  // Historical: {"factors": [names], "rows": [["YYYY-MM-DD", decimal return per factor], ...]}
  std::optional<nlohmann::json> daily;
  std::optional<double> vol_shock;       // implied-vol change, decimal (options)

  static constexpr const char* kSchemaName = "ScenarioFileEntry";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A scenario library file (format keel-stress-scenarios/1), as `keel risk scenario-shocks` writes it.
struct ScenarioLibraryFile {
  std::string format;
  std::optional<std::string> derived_by;   // the command that reproduces the historical shocks
  std::optional<std::string> factor_data;  // the factor data they came from
  std::string units;
  std::vector<ScenarioFileEntry> scenarios;

  static constexpr const char* kSchemaName = "ScenarioLibraryFile";
  template <class V, class S>
  static void fields(V& v, S& s);
};
// The file form of a scenario library.
ScenarioLibraryFile scenario_library_file(const factors::ScenarioLibrary& library);

// `keel risk scenario-shocks` → the scenario library (the built-in one, or the file's) with every
// historical scenario's shocks recomputed from the factor data. Throws keel::Error: invalid_input
// when the factor data does not cover a scenario's window (naming it).
ScenarioLibraryFile scenario_shocks(const Context& cx, const ScenarioShocksRequest& request);

struct CorrelationAnalyticsRequest {
  RiskInputsRequest inputs;
  std::size_t window = 252;
  risk::CovarianceOptions covariance{};
  FactorDataSource factors;
  bool with_factors = false;                   // add the factor correlation (also when factors.file is set)
  std::optional<std::string> sectors_file;     // symbol -> sector; else position, then store

  static constexpr const char* kSchemaName = "RiskDiversificationRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The signed correlation of the risky positions (delta view), in book order.
struct PositionCorrelationResult {
  std::vector<std::string> symbols;
  std::vector<std::vector<double>> matrix;

  static constexpr const char* kSchemaName = "PositionCorrelation";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct FactorCorrelationResult {
  std::vector<std::string> factors;
  std::vector<std::vector<double>> matrix;
  std::string source;  // the factor file or store set

  static constexpr const char* kSchemaName = "FactorCorrelation";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CorrelationAnalyticsResult {
  std::string as_of;
  std::string portfolio_name;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::size_t window = 0;                    // daily returns used
  std::string covariance;                    // sample, ewma or ledoit-wolf
  PositionCorrelationResult position_correlation;
  DiversificationFigures diversification;
  std::optional<FactorCorrelationResult> factor_correlation;  // with factor data
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "CorrelationAnalyticsResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel risk diversification`: diversification and concentration of the book (docs/factors.md);
// `keel risk correlation` carries the same figures. Throws keel::Error as risk_factors.
CorrelationAnalyticsResult correlation_analytics(const Context& cx, const CorrelationAnalyticsRequest& request);

}  // namespace keel::service
