// keel/service/risk.h: the market-risk use cases (`keel risk var|backtest|correlation`, and the same
// JSON over HTTP: POST /api/v1/portfolios/{id}/risk/var).
//
// Each use case loads the book (service::load_book: a stored portfolio or files), values it at the
// as-of date (keel::risk::build_risk_book: spot = last raw close on or before as-of; options by
// Black-Scholes-Merton with the position's implied_vol, else the historical vol of the underlying
// over `vol_window` days, with a warning), takes daily returns of the adjusted closes of the
// positions' drivers (keel/risk/returns.h) and runs the engine. Results are nlohmann::json in the
// shapes of INTERFACES.md, with extra fields documented in docs/risk.md.
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

namespace keel::service {

// What every risk use case needs to turn a book into returns and a RiskBook.
struct RiskInputsRequest {
  BookSource source;
  double rate = 0.0;             // risk-free rate for option valuation, continuous decimal
  double div = 0.0;              // dividend yield of the underlyings, continuous decimal
  std::size_t vol_window = 63;   // trading days of historical vol for options without implied_vol
  risk::MissingPrices missing = risk::MissingPrices::kError;  // or the carry-forward proxy
  options::AmericanEngine american_engine = options::kDefaultAmericanEngine;  // American options
};

struct RiskVarRequest {
  RiskInputsRequest inputs;
  std::vector<risk::VarMethod> methods{risk::VarMethod::kHistorical};  // in output order
  std::size_t window = 252;      // returns in the estimation window
  risk::VarOptions var{};
};

// `keel risk var` → {"as_of","portfolio","value","positions","window","results":[{"method",
// "confidence","horizon_days","var","es",...}],"contributions_method","contributions":[{"symbol",
// "value","exposure","marginal_var","component_var","incremental_var"}],"warnings":[...]}.
// Throws keel::Error: invalid_input for bad options, an empty portfolio, missing prices or too
// little history (naming the symbols); as load_book otherwise.
nlohmann::json risk_var_json(Store* store, const RiskVarRequest& request);

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
