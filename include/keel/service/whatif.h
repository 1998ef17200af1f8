// keel/service/whatif.h: pro-forma "what if I traded this" (`keel whatif`, and the modelling
// sessions of the HTTP API: POST /api/v1/sessions/{id}/calculate), docs/whatif.md.
//
// The proposed trades are applied to a COPY of the book (apply_trades, pure); then the same use
// cases the CLI and the API already run on a book — exposures and Greeks (price_book +
// exposures_json), VaR/ES (risk_var_json), factor betas (risk_factors_json) and stress
// (risk_stress_json) — run on the book before and after, each through a BookSource holding the
// positions in memory. Both sides use one as-of date (the request's, else the last price date of
// the book before), so `change = after - before` compares like with like. Nothing is written to
// the store unless `save_as` is given, and then only after everything was computed.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/factors/stress.h"
#include "keel/io/trades_reader.h"
#include "keel/portfolio/position.h"
#include "keel/service/factors.h"
#include "keel/store/store.h"

namespace keel::service {

// What happened to one symbol of the book.
enum class TradeEffect { kAdd, kIncrease, kReduce, kClose, kFlip, kNew };
std::string_view trade_effect_name(TradeEffect e);  // "add", "increase", "reduce", "close", "flip", "new"

struct PositionChange {
  std::string symbol;
  double quantity_before = 0.0;  // shares or contracts (0 for a new symbol)
  double quantity_after = 0.0;   // 0 when the trades close it
  TradeEffect effect = TradeEffect::kNew;
};

struct AppliedTrades {
  std::vector<Position> positions;      // the book after the trades, in the original order + new ones
  std::vector<PositionChange> changes;  // one per symbol traded, in first-traded order
};

// Applies the trades in order to a copy of `positions`. A trade on a held symbol (the first
// position with that symbol, and with the trade's strategy when the trade names one) adds its
// quantity: to exactly zero (|q| < 1e-9) removes the position; crossing zero flips it from long to
// short or back; the held position keeps its terms, classification and entry price. A trade on a
// symbol not held adds a position with the trade's terms (entry_price = the trade's price when
// given). Quantities are shares or contracts. Pure; never throws.
AppliedTrades apply_trades(const std::vector<Position>& positions, const std::vector<io::Trade>& trades);

struct WhatIfRequest {
  // The book (source.portfolio or source.positions_file, prices, as-of, tenant) and how options
  // are valued (rate, div, vol_window) and missing prices handled, as for `keel risk`.
  RiskInputsRequest inputs;
  std::optional<std::string> trades_file;  // CLI: the trades CSV, read by the command into `trades`
  std::vector<io::Trade> trades;
  std::vector<std::string> trade_warnings;  // the reader's warnings, passed through to "warnings"
  // VaR/ES.
  std::vector<risk::VarMethod> methods{risk::VarMethod::kHistorical};
  std::size_t window = 252;  // returns in the VaR estimation window
  risk::VarOptions var{};
  // Factor betas and stress: factor data from a file or a store set; n/a (with the reason) when
  // there is none, the rest is still computed.
  FactorDataSource factors;
  std::size_t factor_window = 252;  // daily returns per regression
  std::vector<std::string> scenarios;  // names; empty = every built-in scenario
  std::vector<factors::StressMethod> stress_methods{factors::StressMethod::kDirect};
  // Store the book after the trades as a new portfolio of source.tenant (needs a store).
  std::optional<std::string> save_as;
  bool replace = false;  // allow save_as to overwrite an existing portfolio

  static constexpr const char* kSchemaName = "WhatIfRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.inputs);
    v.field({.name = "trades", .help = "Trades CSV: symbol,quantity (+ buy, - sell) [,price, option columns]",
             .faces = spec::kCli, .required = true},
            s.trades_file);
    v.field({.name = "save_as", .help = "Store the book after the trades as a new portfolio", .faces = spec::kCli},
            s.save_as);
    v.field({.name = "replace", .help = "With save_as: overwrite an existing portfolio of that name",
             .faces = spec::kCli},
            s.replace);
    v.choice_list({.name = "method", .help = "VaR methods, in output order"}, s.methods, kVarMethodNames, "all");
    v.field({.name = "confidence", .help = "VaR confidence level", .unit = "fraction, 0.99 = 99%", .min = 0,
             .max = 1, .min_exclusive = true, .max_exclusive = true},
            s.var.confidence);
    v.field({.name = "window", .help = "Daily returns in the VaR window", .unit = "trading days", .min = 2,
             .max = 100000},
            s.window);
    v.field({.name = "horizon", .help = "VaR horizon", .unit = "trading days", .min = 1, .max = 10000},
            s.var.horizon_days);
    v.choice({.name = "cov", .help = "Covariance estimator (parametric and Monte Carlo)"}, s.var.covariance.method,
             kCovarianceNames);
    v.field({.name = "lambda", .help = "EWMA decay", .unit = "per day", .min = 0, .max = 1, .min_exclusive = true,
             .max_exclusive = true},
            s.var.covariance.ewma_lambda);
    v.field({.name = "paths", .help = "Monte Carlo paths", .min = 1, .max = double(risk::kMaxMonteCarloPaths)},
            s.var.monte_carlo.paths);
    v.field({.name = "seed", .help = "Monte Carlo seed"}, s.var.monte_carlo.seed);
    v.choice({.name = "dist", .help = "Monte Carlo distribution"}, s.var.monte_carlo.distribution,
             kMcDistributionNames);
    v.field({.name = "df", .help = "Student-t degrees of freedom", .min = 2, .max = 1000, .min_exclusive = true},
            s.var.monte_carlo.df);
    v.choice({.name = "mean", .help = "Mean of returns (parametric and Monte Carlo)"}, s.var.mean, kMeanModelNames);
    v.choice({.name = "horizon_rule", .help = "Historical VaR beyond one day: sqrt-time scaling or overlapping sums"},
             s.var.historical_horizon, kHorizonRuleNames);
    v.field({.name = "delta_gamma", .help = "Parametric: add option gamma (Cornish-Fisher)"}, s.var.delta_gamma);
    v.flatten(s.factors);
    v.field({.name = "factor_window", .help = "Daily returns per factor regression", .unit = "trading days",
             .min = 2, .max = 100000},
            s.factor_window);
    v.field({.name = "scenario", .help = "Stress scenarios (default: every built-in one)"}, s.scenarios);
    v.choice_list({.name = "stress_method", .help = "Stress methods"}, s.stress_methods, kStressMethodNames, "both");
  }
};

// → {"portfolio","as_of","trades":[{"symbol","quantity","price","price_source":"given|close|model",
// "cash_amount","origin"}],"cash_amount" (= -sum quantity x price x multiplier: negative = cash
// paid),"positions":[{"symbol","quantity_before","quantity_after","effect"}],"before":{flat
// metrics},"after":{..},"change":{..},"stress":[{"name","method","before","after","change"}],
// "by_sector":[{"key","before","after","change"}] (net market value),"factors":{"available",
// "reason","names"},"var":{"confidence","horizon_days","window","methods"},"warnings":[..],
// "saved_as":null|{"id","name","positions"}}. The flat metrics and their units are listed in
// docs/whatif.md; a metric that could not be computed is null on that side and in "change".
// Throws keel::Error: invalid_input for no trades, a traded symbol without prices (all such
// symbols named with their file:line, checked before anything is computed) and as the use cases
// above; not_found for an unknown portfolio; conflict when save_as exists and !replace; usage for
// save_as without a store.
nlohmann::json whatif_json(Store* store, const WhatIfRequest& request);

// Throws keel::Error(invalid_input) naming every trade (with its origin) whose symbol (an option's
// underlying) has no price on or before `as_of` (default: the latest) in source's prices file or
// the store. Only the prices, tenant and as-of of `source` are used.
void check_trades_priced(Store* store, const BookSource& source, std::optional<Date> as_of,
                         const std::vector<io::Trade>& trades);

// The book after the trades saved as portfolio `name` of `tenant` (same checks as whatif_json:
// prices for every traded symbol, conflict unless `replace`), without computing any risk. Returns
// the stored portfolio.
PortfolioSummary save_whatif_portfolio(Store& store, const BookSource& source, const std::vector<io::Trade>& trades,
                                       const std::string& name, bool replace);

}  // namespace keel::service
