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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct AttributionExcluded {
  std::string symbol;
  std::string reason;

  static constexpr const char* kSchemaName = "AttributionExcluded";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// `keel risk attribution` and GET/POST /api/v1/portfolios/{id}/risk/attribution. Throws
// keel::Error: forbidden when the actor may not read; invalid_input when from or to is missing,
// from is not before to, the period holds no return, no position can be attributed, or the factor
// data lacks a date of the window or the period; and as risk_factors.
FactorAttributionResult factor_attribution(const Context& cx, const FactorAttributionRequest& request);

}  // namespace keel::service
