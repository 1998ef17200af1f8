// keel/service/whatif.h: pro-forma "what if I traded this" (`keel whatif`, and the modelling
// sessions of the HTTP API: POST /api/v1/sessions/{id}/calculate), docs/whatif.md.
//
// The proposed trades are applied to a COPY of the book (apply_trades, pure); then the same use
// cases the CLI and the API already run on a book — exposures and Greeks (price_book +
// exposures_of), VaR/ES (as run_var computes it), factor betas (risk_factors) and stress
// (risk_stress) — run on the book before and after with the caller's Context, each through a BookSource holding the
// positions in memory. Both sides use one as-of date (the request's, else the last price date of
// the book before), so `change = after - before` compares like with like. Nothing is written to
// the store unless `save_as` is given, and then only after everything was computed.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "keel/factors/scenario.h"
#include "keel/io/trades_reader.h"
#include "keel/portfolio/position.h"
#include "keel/service/exposures.h"
#include "keel/service/factors.h"
#include "keel/service/rules.h"
#include "keel/store/store.h"

namespace keel::service {

// What happened to one symbol of the book.
enum class TradeEffect { kAdd, kIncrease, kReduce, kClose, kFlip, kNew };
inline constexpr spec::Choice<TradeEffect> kTradeEffectNames[] = {
    {TradeEffect::kAdd, "add"},   {TradeEffect::kIncrease, "increase"}, {TradeEffect::kReduce, "reduce"},
    {TradeEffect::kClose, "close"}, {TradeEffect::kFlip, "flip"},       {TradeEffect::kNew, "new"}};
std::string_view trade_effect_name(TradeEffect e);  // "add", "increase", "reduce", "close", "flip", "new"

struct PositionChange {
  std::string symbol;
  double quantity_before = 0.0;  // shares or contracts (0 for a new symbol)
  double quantity_after = 0.0;   // 0 when the trades close it
  TradeEffect effect = TradeEffect::kNew;

  static constexpr const char* kSchemaName = "WhatIfPositionChange";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// One proposed trade with its cash impact.
struct WhatIfTrade {
  std::string symbol;
  double quantity = 0.0;    // shares or contracts, + buy, - sell
  double multiplier = 1.0;  // the position's (100 for listed options)
  spec::Nullable<double> price;                // per unit; null: no price for the cash impact
  spec::Nullable<std::string> price_source;    // given, close or model; null with price
  spec::Nullable<double> cash_amount;          // -quantity x price x multiplier; null with price
  std::string origin;                          // file:line of the trade, or "trade N" (sessions)

  static constexpr const char* kSchemaName = "WhatIfTrade";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The flat metrics of one side (before, after) of a what-if, or their change (after - before):
// exposures and Greeks of exposures_of, VaR/ES as run_var computes it per requested method, and
// with factor data the book's betas and R-squared of risk_factors. `Count` is the type of `positions`: an
// integer on a side, a number in the change. Amounts in the book's currency; a figure that cannot
// be computed (NaN) is written as null.
template <class Count>
struct WhatIfMetricsOf {
  Count positions{};
  ExposureTotals market_value;    // gross, net, long, short
  ExposureTotals delta_adjusted;  // delta_adjusted_gross ...
  ExposureTotals notional;        // notional_gross ...
  BookGreeksResult greeks;        // dollar_delta, dollar_gamma_1pct, vega_per_point, theta_per_day, rho_per_point
  std::optional<double> var_historical, es_historical;  // present for each requested VaR method
  std::optional<double> var_parametric, es_parametric;
  std::optional<double> var_montecarlo, es_montecarlo;
  std::map<std::string, double> betas;  // beta_<factor> (with factor data)
  std::optional<double> factor_r2;      // with factor data

  static constexpr const char* kSchemaName = std::is_same_v<Count, double> ? "WhatIfChange" : "WhatIfMetrics";
  template <class V, class S>
  static void fields(V& v, S& s) {
    constexpr const char* kMoney = "portfolio currency";
    v.field({.name = "positions", .help = "Number of positions"}, s.positions);
    v.flatten(s.market_value);
    v.field({.name = "delta_adjusted_gross", .help = "Sum of |q.m.S.delta|", .unit = kMoney}, s.delta_adjusted.gross);
    v.field({.name = "delta_adjusted_net", .help = "Sum of q.m.S.delta", .unit = kMoney}, s.delta_adjusted.net);
    v.field({.name = "delta_adjusted_long", .help = "Sum of the positive q.m.S.delta", .unit = kMoney},
            s.delta_adjusted.long_);
    v.field({.name = "delta_adjusted_short", .help = "Sum of the negative q.m.S.delta", .unit = kMoney},
            s.delta_adjusted.short_);
    v.field({.name = "notional_gross", .help = "Sum of |q.m.S|", .unit = kMoney}, s.notional.gross);
    v.field({.name = "notional_net", .help = "Sum of q.m.S", .unit = kMoney}, s.notional.net);
    v.field({.name = "notional_long", .help = "Sum of the positive q.m.S", .unit = kMoney}, s.notional.long_);
    v.field({.name = "notional_short", .help = "Sum of the negative q.m.S", .unit = kMoney}, s.notional.short_);
    v.flatten(s.greeks);
    v.field({.name = "var_historical", .help = "Historical VaR, positive = loss (when requested)", .unit = kMoney},
            s.var_historical);
    v.field({.name = "es_historical", .help = "Historical ES (when requested)", .unit = kMoney}, s.es_historical);
    v.field({.name = "var_parametric", .help = "Parametric VaR (when requested)", .unit = kMoney}, s.var_parametric);
    v.field({.name = "es_parametric", .help = "Parametric ES (when requested)", .unit = kMoney}, s.es_parametric);
    v.field({.name = "var_montecarlo", .help = "Monte Carlo VaR (when requested)", .unit = kMoney}, s.var_montecarlo);
    v.field({.name = "es_montecarlo", .help = "Monte Carlo ES (when requested)", .unit = kMoney}, s.es_montecarlo);
    v.prefixed_map({.name = "beta_", .help = "The book's value-weighted beta to each factor (with factor data)"},
                   s.betas);
    v.field({.name = "factor_r2", .help = "R-squared of the book's factor regression (with factor data)"},
            s.factor_r2);
  }
};
using WhatIfMetrics = WhatIfMetricsOf<std::size_t>;
using WhatIfChange = WhatIfMetricsOf<double>;

// One stress scenario's P&L before and after (negative = loss), portfolio currency.
struct WhatIfStress {
  std::string name;
  std::string method;  // direct or correlated
  double before = 0.0;
  spec::Nullable<double> after;   // null: the scenario did not run on the book after
  spec::Nullable<double> change;  // after - before

  static constexpr const char* kSchemaName = "WhatIfStress";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Net market value of one sector before and after (0 on a side without it).
struct WhatIfSector {
  std::string key;
  double before = 0.0;
  double after = 0.0;
  double change = 0.0;

  static constexpr const char* kSchemaName = "WhatIfSector";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Whether the factor sections (betas, factor_r2, stress) were computed.
struct WhatIfFactors {
  bool available = false;
  spec::Nullable<std::string> reason;  // why not (null when available)
  std::vector<std::string> names;      // the factors, in the data's order (empty when not available)

  static constexpr const char* kSchemaName = "WhatIfFactors";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The VaR settings both sides used.
struct WhatIfVarSettings {
  double confidence = 0.0;  // fraction
  int horizon_days = 1;     // trading days
  std::size_t window = 0;   // daily returns
  std::vector<risk::VarMethod> methods;

  static constexpr const char* kSchemaName = "WhatIfVarSettings";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The portfolio the book after the trades was saved as.
struct WhatIfSaved {
  std::int64_t id = 0;
  std::string name;
  std::size_t positions = 0;

  static constexpr const char* kSchemaName = "WhatIfSaved";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel whatif`, POST /api/v1/sessions/{id}/calculate: before / after / change (docs/whatif.md).
struct WhatIfResult {
  std::optional<std::int64_t> session_id;    // HTTP sessions
  std::optional<std::int64_t> portfolio_id;  // HTTP sessions
  std::string portfolio;
  std::string currency;  // reporting currency of every amount
  Date as_of;
  std::vector<WhatIfTrade> trades;
  double cash_amount = 0.0;  // sum of the trades' cash_amount (negative = cash paid)
  std::vector<PositionChange> positions;
  WhatIfMetrics before;
  WhatIfMetrics after;
  WhatIfChange change;
  std::vector<WhatIfStress> stress;  // scenario order; empty without factor data
  std::vector<WhatIfSector> by_sector;
  WhatIfFactors factors;
  WhatIfVarSettings var;
  std::vector<std::string> warnings;
  spec::Nullable<WhatIfSaved> saved_as;

  static constexpr const char* kSchemaName = "WhatIfResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Saving the book after the trades (`save_as`, the keel command's --save-as and the assistant's
// save_what_if) creates or replaces a portfolio, so it needs what creating one needs; audited as
// whatif.save, resource portfolio/ID, details name, from (the source portfolio), trades and
// replace. Computing alone changes nothing and writes no row.
inline constexpr UseCase kWhatIfSave{"save what-if books as portfolios", Permission::kManagePortfolios,
                                     "whatif.save"};

// The what-if of `request` (WhatIfResult: before / after / change; the metrics and their units are
// listed in docs/whatif.md; a metric that could not be computed is null on that side and in
// "change"). session_id and portfolio_id are left empty (the HTTP route sets them).
// Throws keel::Error: invalid_input for no trades, a traded symbol without prices (all such
// symbols named with their file:line, checked before anything is computed) and as the use cases
// above; not_found for an unknown portfolio; conflict when save_as exists and !replace; usage for
// save_as without a store; forbidden (kWhatIfSave) when save_as is given and the actor may not
// create portfolios, checked before anything is read.
WhatIfResult whatif(const Context& cx, const WhatIfRequest& request);

// What a what-if of `request`'s VaR settings costs on books of at most `book`'s size (both books'
// VaR: keel/service/risk.h, var_cost). whatif() admits itself with it before either book
// is valued; a modelling session's calculation decides with it whether it runs as a job.
ComputeCost whatif_cost(const WhatIfRequest& request, VarBookSize book);

// Throws keel::Error(invalid_input) naming every trade (with its origin) whose symbol (an option's
// underlying) has no price on or before `as_of` (default: the latest) in source's prices file or
// the store (or source.loaded_prices). Only the prices, tenant and as-of of `source` are used.
void check_trades_priced(const Context& cx, const BookSource& source, std::optional<Date> as_of,
                         const std::vector<io::Trade>& trades);

// The book after the trades saved as portfolio `name` of `tenant` (same checks as whatif:
// prices for every traded symbol, conflict unless `replace`), without computing any risk. Returns
// the stored portfolio.
PortfolioSummary save_whatif_portfolio(const Context& cx, const BookSource& source,
                                       const std::vector<io::Trade>& trades, const std::string& name,
                                       bool replace);

}  // namespace keel::service
