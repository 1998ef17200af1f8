// keel/service/factors.h: factor exposures, stress tests and diversification analytics of a book
// (`keel risk factors`, `keel risk stress`, `keel risk scenario-shocks`, `keel risk diversification`;
// the same JSON over HTTP).
//
// Each use case loads and values the book like the market-risk use cases (service::load_book and
// keel::risk::build_risk_book: options by Black-Scholes-Merton, their implied vol or the underlying's
// historical vol), takes the last `window` daily returns of the positions' drivers
// (keel::risk::simple_returns), lines the factor returns up with them (keel/factors/alignment.h) and
// runs the factors engine. Factor returns come from a file (`--factors FILE`, any factor names;
// `--factor-units percent` for the Fama-French files) or from a set imported into the store
// (`keel import factors FILE --set ff5`). Results are nlohmann::json in the shapes of docs/cli.md,
// with extra fields documented in docs/factors.md and docs/stress.md.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/factors/scenario.h"
#include "keel/factors/stress.h"
#include "keel/io/readers.h"
#include "keel/risk/covariance.h"
#include "keel/service/risk.h"

namespace keel::service {

struct FactorDataSource {
  std::optional<std::string> file;            // factor CSV `date,<factor>...`; else the store's set
  io::RateUnits units = io::RateUnits::kDecimal;  // of the file (the store holds decimals)
  std::string set = "ff5";                    // store factor set when no file is given
  std::string rf_column = "rf";               // risk-free column (not a regressor); absent = 0
};

struct FactorsRequest {
  RiskInputsRequest inputs;
  FactorDataSource factors;
  std::size_t window = 252;          // daily returns per regression
  std::size_t rolling_window = 0;    // > 0: rolling betas with this window over the `window` returns
  std::size_t rolling_step = 1;
  double periods_per_year = 252.0;   // annualisation of alpha and residual vol
};

// `keel risk factors` → {"portfolio":{"betas":{..},"alpha":..,"r2":..,...},"positions":[{"symbol",
// "betas":{..},"alpha":..,"r2":..,"t_stats":{..},...}],"factors":[..],"window":..,...}; alpha is
// annualised. Throws keel::Error: invalid_input for bad options, missing factor dates,
// non-overlapping dates; not_found for a missing factor file or set; as load_book otherwise.
nlohmann::json risk_factors_json(Store* store, const FactorsRequest& request);

struct StressRequest {
  RiskInputsRequest inputs;
  FactorDataSource factors;
  std::size_t window = 252;                 // returns for the betas and the factor covariance
  std::vector<std::string> scenarios;       // names, or "all"; empty = all (or only "user" with shocks)
  std::optional<std::string> scenarios_file;  // adds to / overrides the built-in library
  std::vector<factors::FactorShock> user_shocks;  // a "user" scenario from the command line
  std::optional<double> user_vol_shock;
  std::vector<factors::StressMethod> methods{factors::StressMethod::kDirect, factors::StressMethod::kCorrelated};
};

// `keel risk stress` → {"scenarios":[{"name","method":"direct|correlated","pnl","pnl_pct",
// "positions":[{"symbol","pnl",..}],..}],..}: one entry per scenario and method, in that order.
// Throws keel::Error: not_found for an unknown scenario name (listing the known ones) or a missing
// scenario file; invalid_input for a malformed scenario file (JSON field paths) and as
// risk_factors_json.
nlohmann::json risk_stress_json(Store* store, const StressRequest& request);

struct ScenarioShocksRequest {
  FactorDataSource factors;                   // the full factor history (e.g. FF5 since 1963)
  std::optional<std::string> scenarios_file;  // default: the built-in library
  std::string command;                        // recorded as "derived_by" (the command line)
};

// `keel risk scenario-shocks` → the scenario library (file format of keel/io/scenario_reader.h, keys
// in file order) with every historical scenario's shocks recomputed from the factor data. Throws
// keel::Error: invalid_input when the factor data does not cover a scenario's window (naming it).
nlohmann::ordered_json scenario_shocks_json(Store* store, const ScenarioShocksRequest& request);

struct CorrelationAnalyticsRequest {
  RiskInputsRequest inputs;
  std::size_t window = 252;
  risk::CovarianceOptions covariance{};
  std::optional<FactorDataSource> factors;     // adds the factor correlation matrix when given
  std::optional<std::string> sectors_file;     // symbol -> sector; else position, then store
};

// The signed correlation of the risky positions (delta view), in book order.
struct PositionCorrelationResult {
  std::vector<std::string> symbols;
  std::vector<std::vector<double>> matrix;

  static constexpr const char* kSchemaName = "PositionCorrelation";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbols", .help = "Risky positions, book order"}, s.symbols);
    v.field({.name = "matrix", .help = "sign(e_i e_j) x the drivers' correlation (null where undefined)"},
            s.matrix);
  }
};

struct FactorCorrelationResult {
  std::vector<std::string> factors;
  std::vector<std::vector<double>> matrix;
  std::string source;  // the factor file or store set

  static constexpr const char* kSchemaName = "FactorCorrelation";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "factors", .help = "Factor names, in matrix order"}, s.factors);
    v.field({.name = "matrix", .help = "Correlation of the factor returns over the window"}, s.matrix);
    v.field({.name = "source", .help = "The factor file or store set"}, s.source);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Risk date, YYYY-MM-DD"}, s.as_of);
    v.field({.name = "portfolio_name"}, s.portfolio_name);
    v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
    v.field({.name = "window", .help = "Daily returns in the window"}, s.window);
    v.field({.name = "covariance", .help = "sample, ewma or ledoit-wolf"}, s.covariance);
    v.field({.name = "position_correlation"}, s.position_correlation);
    v.flatten(s.diversification);
    v.field({.name = "factor_correlation", .help = "With factor data"}, s.factor_correlation);
    v.field({.name = "warnings"}, s.warnings);
  }
};

// `keel risk diversification`: diversification and concentration of the book (docs/factors.md);
// `keel risk correlation` carries the same figures. Throws keel::Error as risk_factors.
CorrelationAnalyticsResult correlation_analytics(const Context& cx, const CorrelationAnalyticsRequest& request);

}  // namespace keel::service
