// keel/service/factor_attribution.h: a period's P&L of a book split into factor, alpha, risk-free
// and residual parts per position and for the book (`keel risk attribution`; GET or POST
// /api/v1/portfolios/{id}/risk/attribution; docs/factors.md, "Factor attribution").
//
// The betas are those of `keel risk factors` estimated ex ante: OLS of each driver's daily excess
// returns on the `window` returns ending at the period's start (the close of `from`), so no return
// of the period enters them. The positions are held constant over the period (buy and hold from
// the close of `from` to the close of `to`). Each day t of the period, position i worth
// V_i,t-1 at the previous close earns V_i,t-1 r_i,t, split by the model
// r_i,t = rf_t + alpha_i + sum_k beta_i,k f_k,t + e_i,t; the period's amounts are the sums of the
// daily ones, so they add up to the period's P&L V_i,T - V_i,0 exactly (no linking term).
//
// Attributed: positions whose price is their own driver, quoted in the reporting currency. Options
// (their P&L is not their value times a return) and positions in other currencies (their P&L
// holds an FX move the model does not split) are listed in `excluded` with the reason.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/factors.h"
#include "keel/service/rules.h"

namespace keel::service {

// Reading an attribution is a read: it changes nothing and is not audited.
inline constexpr UseCase kFactorAttribution{"read factor attributions", Permission::kRead, ""};

struct FactorAttributionRequest {
  RiskInputsRequest inputs;    // the book; its as_of is set by the use case (from, then to)
  FactorDataSource factors;
  std::optional<Date> from;    // the period starts at this close (the last price date on or before it)
  std::optional<Date> to;      // and ends at this close
  std::size_t window = 252;    // daily returns of the beta regressions, ending at `from`
  double periods_per_year = 252.0;  // annualisation of the reported alphas (library callers)

  static constexpr const char* kSchemaName = "FactorAttributionRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    auto& src = s.inputs.source;
    v.field({.name = "portfolio", .help = "Stored portfolio name", .faces = spec::kCli, .cli_short = "-p"},
            src.portfolio);
    v.field({.name = "positions", .help = "Positions CSV (instead of --portfolio)", .faces = spec::kCli},
            src.positions_file);
    v.field({.name = "prices", .help = "Prices CSV (default: the store's prices)", .faces = spec::kCli},
            src.prices_file);
    v.field({.name = "currency", .help = "Reporting currency (default: the portfolio's, else USD)"}, src.currency);
    v.field({.name = "fx",
             .help = "FX rates CSV (date,base,quote,rate) to value positions in other currencies, which are not "
                     "attributed (default: the store's rates)",
             .faces = spec::kCli},
            src.fx_file);
    v.choice({.name = "missing",
              .help = "Missing prices: error (align on common dates) or carry-forward (zero-return proxy)"},
             s.inputs.missing, kMissingPricesNames);
    v.flatten(s.factors);
    v.field({.name = "from", .help = "Period start: the close of this date (the last price date on or before it)",
             .required = true},
            s.from);
    v.field({.name = "to", .help = "Period end: the close of this date (the last price date on or before it)",
             .required = true},
            s.to);
    v.field({.name = "window", .help = "Daily returns per beta regression, ending at the period start",
             .unit = "trading days", .min = 2, .max = 100000},
            s.window);
  }
};

struct AttributionPosition {
  std::string symbol;
  std::string driver;                   // the price series whose returns are attributed
  double market_value = 0.0;            // at the period start, reporting currency
  double end_value = 0.0;               // at the period end, positions held constant
  double return_period = 0.0;           // compounded price return over the period, decimal
  double pnl_amount = 0.0;              // end_value - market_value
  std::map<std::string, double> factors;  // factor -> amount
  double factor_amount = 0.0;           // sum of the factor amounts
  double risk_free_amount = 0.0;
  double alpha_amount = 0.0;
  double residual_amount = 0.0;         // pnl - factors - risk free - alpha
  std::map<std::string, double> betas;  // ex ante, per factor
  double alpha_daily = 0.0;             // ex ante intercept, decimal per day

  static constexpr const char* kSchemaName = "AttributionPosition";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "driver", .help = "The price series attributed"}, s.driver);
    v.field({.name = "market_value", .help = "Market value at the period start", .unit = "reporting currency"},
            s.market_value);
    v.field({.name = "end_value", .help = "Market value at the period end, the position held constant",
             .unit = "reporting currency"},
            s.end_value);
    v.field({.name = "return", .help = "Price return over the period, compounded", .unit = "decimal"},
            s.return_period);
    v.field({.name = "pnl_amount", .help = "P&L over the period: end_value - market_value",
             .unit = "reporting currency"},
            s.pnl_amount);
    v.field({.name = "factors", .help = "Factor -> sum over the days of value x beta x factor return",
             .unit = "reporting currency"},
            s.factors);
    v.field({.name = "factor_amount", .help = "Sum of the factor amounts", .unit = "reporting currency"},
            s.factor_amount);
    v.field({.name = "risk_free_amount", .help = "Sum over the days of value x risk-free return",
             .unit = "reporting currency"},
            s.risk_free_amount);
    v.field({.name = "alpha_amount", .help = "Sum over the days of value x daily alpha", .unit = "reporting currency"},
            s.alpha_amount);
    v.field({.name = "residual_amount", .help = "pnl - factors - risk free - alpha", .unit = "reporting currency"},
            s.residual_amount);
    v.field({.name = "betas", .help = "Ex-ante beta per factor"}, s.betas);
    v.field({.name = "alpha_daily", .help = "Ex-ante intercept", .unit = "decimal per day"}, s.alpha_daily);
  }
};

struct AttributionTotals {
  double market_value = 0.0;
  double end_value = 0.0;
  double return_period = 0.0;  // pnl / market value
  double pnl_amount = 0.0;
  std::map<std::string, double> factors;
  double factor_amount = 0.0;
  double risk_free_amount = 0.0;
  double alpha_amount = 0.0;
  double residual_amount = 0.0;

  static constexpr const char* kSchemaName = "AttributionTotals";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "market_value", .unit = "reporting currency"}, s.market_value);
    v.field({.name = "end_value", .unit = "reporting currency"}, s.end_value);
    v.field({.name = "return", .help = "pnl_amount over market_value", .unit = "decimal"}, s.return_period);
    v.field({.name = "pnl_amount", .unit = "reporting currency"}, s.pnl_amount);
    v.field({.name = "factors", .help = "Factor -> amount", .unit = "reporting currency"}, s.factors);
    v.field({.name = "factor_amount", .unit = "reporting currency"}, s.factor_amount);
    v.field({.name = "risk_free_amount", .unit = "reporting currency"}, s.risk_free_amount);
    v.field({.name = "alpha_amount", .unit = "reporting currency"}, s.alpha_amount);
    v.field({.name = "residual_amount", .unit = "reporting currency"}, s.residual_amount);
  }
};

struct AttributionExcluded {
  std::string symbol;
  std::string reason;

  static constexpr const char* kSchemaName = "AttributionExcluded";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "reason"}, s.reason);
  }
};

struct FactorAttributionResult {
  std::string portfolio_name;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::string currency;
  std::string start_date;           // the close the period starts from
  std::string end_date;             // the close it ends at
  std::size_t days = 0;             // daily returns in the period
  std::vector<std::string> factors;
  std::string factor_source;
  bool excess_returns = false;      // the betas are of excess returns (a risk-free column)
  std::size_t window = 0;           // returns of the beta regressions
  std::string window_first_date;
  std::string window_last_date;     // = start_date
  std::map<std::string, double> factor_returns;  // compounded over the period, decimal
  double risk_free_return = 0.0;    // compounded over the period, decimal
  std::vector<AttributionPosition> positions;
  AttributionTotals book;
  std::vector<AttributionExcluded> excluded;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "FactorAttributionResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "portfolio_name"}, s.portfolio_name);
    v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
    v.field({.name = "currency", .help = "Reporting currency of every amount"}, s.currency);
    v.field({.name = "start_date", .help = "The close the period starts from, YYYY-MM-DD"}, s.start_date);
    v.field({.name = "end_date", .help = "The close the period ends at, YYYY-MM-DD"}, s.end_date);
    v.field({.name = "days", .help = "Daily returns in the period", .unit = "trading days"}, s.days);
    v.field({.name = "factors", .help = "Factor names"}, s.factors);
    v.field({.name = "factor_source", .help = "The factor file or store set"}, s.factor_source);
    v.field({.name = "excess_returns", .help = "The betas are of returns in excess of the risk-free column"},
            s.excess_returns);
    v.field({.name = "window", .help = "Daily returns of the beta regressions", .unit = "trading days"}, s.window);
    v.field({.name = "window_first_date", .help = "First return date of the beta window"}, s.window_first_date);
    v.field({.name = "window_last_date", .help = "Last return date of the beta window (the period start)"},
            s.window_last_date);
    v.field({.name = "factor_returns", .help = "Factor -> return over the period, compounded", .unit = "decimal"},
            s.factor_returns);
    v.field({.name = "risk_free_return", .help = "Risk-free return over the period, compounded", .unit = "decimal"},
            s.risk_free_return);
    v.field({.name = "positions", .help = "Attributed positions, book order"}, s.positions);
    v.field({.name = "book", .help = "Sums over the attributed positions"}, s.book);
    v.field({.name = "excluded", .help = "Positions not attributed, with the reason"}, s.excluded);
    v.field({.name = "warnings"}, s.warnings);
  }
};

// `keel risk attribution` and GET/POST /api/v1/portfolios/{id}/risk/attribution. Throws
// keel::Error: forbidden when the actor may not read; invalid_input when from or to is missing,
// from is not before to, the period holds no return, no position can be attributed, or the factor
// data lacks a date of the window or the period; and as risk_factors.
FactorAttributionResult factor_attribution(const Context& cx, const FactorAttributionRequest& request);

}  // namespace keel::service
