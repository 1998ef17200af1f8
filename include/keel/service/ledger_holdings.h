// keel/service/ledger_holdings.h: the ledger valued at prices — holdings at market with their
// allocation (`keel ledger holdings`), the holdings checked against a broker's statement (`keel
// ledger reconcile`) and performance over time: time- and money-weighted returns, risk ratios,
// drawdowns and period growth (`keel ledger performance`); GET /api/v1/accounts/{id}/holdings and
// /performance, POST .../reconcile. Net worth snapshots and history: keel/service/ledger_networth.h.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/ledger_source.h"
#include "keel/service/spec.h"

namespace keel::service {

// `keel ledger holdings`, GET .../holdings; `keel export holdings`.
struct LedgerHoldingsRequest {
  LedgerSource source;
  // The currency of the totals and allocations (default: the accounts', when they share one).
  std::optional<std::string> reporting_currency;

  static constexpr const char* kSchemaName = "LedgerHoldingsRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    ledger_source_fields(v, s.source);
    ledger_prices_field(v, s.source);
    v.field({.name = "reporting_currency",
             .help = "Add the totals and allocations in this currency at the as-of date's FX rates (default: the "
                     "accounts' currency)"},
            s.reporting_currency);
  }
};

// One symbol of an account at market.
struct HoldingPosition {
  std::string account;
  std::string symbol;
  ledger::Decimal quantity;
  ledger::Decimal basis;
  spec::Nullable<ledger::Decimal> price;  // null: no price on or before as_of
  spec::Nullable<std::string> price_date;
  spec::Nullable<ledger::Decimal> market_value;
  spec::Nullable<ledger::Decimal> unrealized;
  double weight = 0.0;  // of net worth
  std::string sector;
  std::string asset_type;
  std::optional<std::string> currency;      // quoted in another currency than the account's
  std::optional<ledger::Decimal> fx_rate;   // account units per unit of `currency` on as_of

  static constexpr const char* kSchemaName = "HoldingPosition";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account"}, s.account);
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "quantity", .unit = "shares"}, s.quantity);
    v.field({.name = "basis", .unit = "account currency"}, s.basis);
    v.field({.name = "price", .help = "Last close on or before as_of (null: none)", .unit = "account currency"},
            s.price);
    v.field({.name = "price_date", .help = "Date of that close (null: none)"}, s.price_date);
    v.field({.name = "market_value", .help = "null when unpriced", .unit = "account currency"}, s.market_value);
    v.field({.name = "unrealized", .help = "market_value - basis (null when unpriced)", .unit = "account currency"},
            s.unrealized);
    v.field({.name = "weight", .help = "Market value / net worth (0 when unpriced)", .unit = "fraction"}, s.weight);
    v.field({.name = "sector", .help = "\"Unknown\" when the security master does not know it"}, s.sector);
    v.field({.name = "asset_type", .help = "equity or option"}, s.asset_type);
    v.field({.name = "currency", .help = "Currency of the price, when not the account's (price is then in it)"},
            s.currency);
    v.field({.name = "fx_rate", .help = "Rate converting the price into the account currency on as_of",
             .unit = "account currency per unit of currency"},
            s.fx_rate);
  }
};

// The net cash of one account's rows in one currency, in that currency.
struct CurrencyCash {
  std::string account;
  std::string currency;
  ledger::Decimal amount;

  static constexpr const char* kSchemaName = "CurrencyCash";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account"}, s.account);
    v.field({.name = "currency"}, s.currency);
    v.field({.name = "amount", .unit = "currency"}, s.amount);
  }
};

struct HoldingLot {
  std::string account;
  std::string symbol;
  std::string lot_id;
  Date buy_date;
  Date acquired_date;
  ledger::Decimal quantity;
  ledger::Decimal basis;
  spec::Nullable<ledger::Decimal> market_value;
  spec::Nullable<ledger::Decimal> unrealized;
  std::string term_if_sold;

  static constexpr const char* kSchemaName = "HoldingLot";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account"}, s.account);
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "lot_id"}, s.lot_id);
    v.field({.name = "buy_date"}, s.buy_date);
    v.field({.name = "acquired_date"}, s.acquired_date);
    v.field({.name = "quantity", .unit = "shares"}, s.quantity);
    v.field({.name = "basis", .unit = "account currency"}, s.basis);
    v.field({.name = "market_value", .help = "null when unpriced", .unit = "account currency"}, s.market_value);
    v.field({.name = "unrealized", .help = "null when unpriced", .unit = "account currency"}, s.unrealized);
    v.field({.name = "term_if_sold", .help = "short or long, were the lot sold on as_of"}, s.term_if_sold);
  }
};

struct AllocationSliceResult {
  std::string key;
  ledger::Decimal market_value;
  double weight = 0.0;

  static constexpr const char* kSchemaName = "AllocationSlice";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "key"}, s.key);
    v.field({.name = "market_value", .unit = "account currency"}, s.market_value);
    v.field({.name = "weight", .help = "Of net worth", .unit = "fraction"}, s.weight);
  }
};

struct HoldingsAllocation {
  std::vector<AllocationSliceResult> asset_type;
  std::vector<AllocationSliceResult> sector;
  std::vector<AllocationSliceResult> account;

  static constexpr const char* kSchemaName = "HoldingsAllocation";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "asset_type", .help = "equity, option and cash"}, s.asset_type);
    v.field({.name = "sector", .help = "By sector (cash as \"Cash\")"}, s.sector);
    v.field({.name = "account"}, s.account);
  }
};

// An account whose amounts are converted into a holdings report's currency.
struct AccountRate {
  std::string account;
  std::string currency;
  ledger::Decimal rate;

  static constexpr const char* kSchemaName = "AccountRate";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account"}, s.account);
    v.field({.name = "currency", .help = "The account's currency"}, s.currency);
    v.field({.name = "rate", .help = "Units of the report's currency per unit of the account's on as_of"}, s.rate);
  }
};

struct HoldingsTotals {
  ledger::Decimal securities_value;  // priced positions
  ledger::Decimal basis;             // of priced positions
  ledger::Decimal unrealized;
  ledger::Decimal cash;
  ledger::Decimal net_worth;

  static constexpr const char* kSchemaName = "HoldingsTotals";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "securities_value", .help = "Priced positions at market", .unit = "currency"},
            s.securities_value);
    v.field({.name = "basis", .help = "Of the priced positions", .unit = "currency"}, s.basis);
    v.field({.name = "unrealized", .unit = "currency"}, s.unrealized);
    v.field({.name = "cash", .unit = "currency"}, s.cash);
    v.field({.name = "net_worth", .help = "securities_value + cash", .unit = "currency"}, s.net_worth);
  }
};

struct LedgerHoldingsResult {
  Date as_of;
  std::vector<HoldingPosition> positions;
  std::vector<HoldingLot> lots;
  std::map<std::string, ledger::Decimal> cash;  // per account
  // The net cash of each account's rows per currency, when any row was in another currency than
  // its account's.
  std::optional<std::vector<CurrencyCash>> cash_by_currency;
  std::string currency;  // of the totals and allocations
  // Each account's currency and its rate into `currency` on as_of, when some account is converted.
  std::optional<std::vector<AccountRate>> account_rates;
  HoldingsTotals totals;
  HoldingsAllocation allocation;
  std::vector<std::string> unpriced;
  std::string source;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "LedgerHoldingsResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Valuation date (default: the later of the last transaction and price)"},
            s.as_of);
    v.field({.name = "positions"}, s.positions);
    v.field({.name = "lots"}, s.lots);
    v.field({.name = "cash", .help = "Cash per account", .unit = "account currency"}, s.cash);
    v.field({.name = "cash_by_currency",
             .help = "Net cash of each account's rows per currency, in that currency (multi-currency ledgers)"},
            s.cash_by_currency);
    v.field({.name = "currency",
             .help = "The currency of totals and allocation (positions, lots and cash are in their account's)"},
            s.currency);
    v.field({.name = "account_rates",
             .help = "The accounts converted into currency for the totals, with the as-of date's rate"},
            s.account_rates);
    v.field({.name = "totals"}, s.totals);
    v.field({.name = "allocation"}, s.allocation);
    v.field({.name = "unpriced", .help = "Symbols without a price on or before as_of (left out of the totals)"},
            s.unpriced);
    v.field({.name = "source"}, s.source);
    v.field({.name = "warnings"}, s.warnings);
  }
};

LedgerHoldingsResult ledger_holdings(const Context& cx, const LedgerHoldingsRequest& request);

// `keel ledger reconcile --broker FILE`, POST .../reconcile {broker: CSV text, tolerance}.
struct LedgerReconcileRequest {
  LedgerSource source;
  std::optional<std::string> broker;       // HTTP: the broker holdings CSV as text
  std::optional<std::string> broker_file;  // CLI: --broker FILE
  double tolerance = 0.0;                  // basis difference accepted, currency units

  static constexpr const char* kSchemaName = "LedgerReconcileRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    ledger_source_fields(v, s.source);
    v.field({.name = "broker", .help = "Broker holdings CSV text: symbol,quantity[,cost_basis,account]",
             .faces = spec::kHttp, .required = true},
            s.broker);
    v.field({.name = "broker_file", .help = "Broker holdings CSV: symbol,quantity[,cost_basis,account]",
             .faces = spec::kCli, .cli_name = "broker", .required = true},
            s.broker_file);
    v.field({.name = "tolerance", .help = "Basis difference accepted", .unit = "account currency", .min = 0},
            s.tolerance);
  }
};

struct ReconcileRowResult {
  std::string account;
  std::string symbol;
  ledger::Decimal ledger_quantity;
  ledger::Decimal broker_quantity;
  ledger::Decimal quantity_difference;  // broker - ledger
  ledger::Decimal ledger_basis;
  spec::Nullable<ledger::Decimal> broker_basis;
  spec::Nullable<ledger::Decimal> basis_difference;
  std::string status;

  static constexpr const char* kSchemaName = "ReconcileRow";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account"}, s.account);
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "ledger_quantity", .unit = "shares"}, s.ledger_quantity);
    v.field({.name = "broker_quantity", .unit = "shares"}, s.broker_quantity);
    v.field({.name = "quantity_difference", .help = "broker - ledger", .unit = "shares"}, s.quantity_difference);
    v.field({.name = "ledger_basis", .unit = "account currency"}, s.ledger_basis);
    v.field({.name = "broker_basis", .help = "null when the broker file has no cost_basis",
             .unit = "account currency"},
            s.broker_basis);
    v.field({.name = "basis_difference", .help = "broker - ledger (null without a broker basis)",
             .unit = "account currency"},
            s.basis_difference);
    v.field({.name = "status", .help = "ok, or what differs (docs/ledger.md)"}, s.status);
  }
};

struct LedgerReconcileResult {
  std::vector<ReconcileRowResult> rows;
  std::size_t discrepancies = 0;
  std::string source;
  std::string broker_file;

  static constexpr const char* kSchemaName = "LedgerReconcileResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "rows"}, s.rows);
    v.field({.name = "discrepancies", .help = "Rows whose status is not ok"}, s.discrepancies);
    v.field({.name = "source"}, s.source);
    v.field({.name = "broker_file", .help = "The broker file (broker.csv for an upload)"}, s.broker_file);
  }
};

// Throws invalid_input for a bad broker file (every problem) and usage without a broker input.
LedgerReconcileResult ledger_reconcile(const Context& cx, const LedgerReconcileRequest& request);

// `keel ledger performance`, GET .../performance.
struct LedgerPerformanceRequest {
  LedgerSource source;
  std::optional<Date> from;  // default: the first transaction
  double risk_free = 0.0;    // decimal per year
  int periods_per_year = 252;
  bool series = false;       // add the daily wealth index and drawdown
  std::optional<std::string> benchmark;  // "SPY" or a blend "60:SPY,40:AGG" (prices of the store or file)
  // The currency of the values (default: the accounts', when they share one).
  std::optional<std::string> reporting_currency;

  static constexpr const char* kSchemaName = "LedgerPerformanceRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    ledger_source_fields(v, s.source);
    ledger_prices_field(v, s.source);
    v.field({.name = "from", .help = "Start date (default: first transaction); the end is as_of"}, s.from);
    v.field({.name = "series", .help = "Add the daily wealth index and drawdown (the underwater curve)"}, s.series);
    v.field({.name = "risk_free", .help = "Risk-free rate", .unit = "decimal per year"}, s.risk_free);
    v.field({.name = "periods_per_year", .help = "Periods per year for annualising", .min = 1, .max = 366},
            s.periods_per_year);
    v.field({.name = "benchmark",
             .help = "Compare with a price series (SPY) or a blend rebalanced monthly (60:SPY,40:AGG)"},
            s.benchmark);
    v.field({.name = "reporting_currency",
             .help = "Measure in this currency, converting at each day's FX rate (default: the accounts' currency)"},
            s.reporting_currency);
  }
};

// The period's gain in parts, each to the cent, that add up to it exactly (docs/ledger.md, "Where the
// gain came from"):
// income and fees at each payment day's rate, price the holdings' gain at constant FX rates less
// their income and fees at those rates, and currency the rest.
struct PerformanceGainSplit {
  double total = 0.0;     // end_value - start_value - net_flows
  double price = 0.0;     // the holdings' gain in their own currencies: realised and unrealised, after trading costs
  double income = 0.0;    // dividends, interest and distributions, net of tax withheld
  double fees = 0.0;      // account fees (<= 0)
  double currency = 0.0;  // what the exchange rates added: total - price - income - fees
  static constexpr const char* kSchemaName = "PerformanceGainSplit";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "total", .help = "end_value - start_value - net_flows", .unit = "currency"}, s.total);
    v.field({.name = "price",
             .help = "The holdings' gain in their own currencies (at the first day's FX rates): realised and "
                     "unrealised, after trading commissions",
             .unit = "currency"},
            s.price);
    v.field({.name = "income",
             .help = "Dividends, interest and distributions received, net of tax withheld, each at its day's FX "
                     "rate",
             .unit = "currency"},
            s.income);
    v.field({.name = "fees", .help = "Account fees (FEE rows; <= 0), each at its day's FX rate", .unit = "currency"},
            s.fees);
    v.field({.name = "currency",
             .help = "What the exchange rates added: total - price - income - fees (0 in one currency)",
             .unit = "currency"},
            s.currency);
  }
};

struct PerformanceDrawdown {
  double depth = 0.0;
  spec::Nullable<std::string> peak;
  spec::Nullable<std::string> trough;
  spec::Nullable<std::string> recovery;

  static constexpr const char* kSchemaName = "PerformanceDrawdown";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "depth", .help = "Fraction of the peak lost (>= 0)", .unit = "fraction"}, s.depth);
    v.field({.name = "peak"}, s.peak);
    v.field({.name = "trough"}, s.trough);
    v.field({.name = "recovery", .help = "null: not recovered"}, s.recovery);
  }
};

struct NetWorthValue {
  std::string date;
  double value = 0.0;

  static constexpr const char* kSchemaName = "NetWorthValue";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "date"}, s.date);
    v.field({.name = "value", .unit = "account currency"}, s.value);
  }
};

// One day of the wealth index and its drawdown from the running peak.
struct UnderwaterPoint {
  std::string date;
  double wealth_index = 1.0;
  double drawdown = 0.0;
  std::optional<double> benchmark_index;  // with ?benchmark=

  static constexpr const char* kSchemaName = "UnderwaterPoint";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "date"}, s.date);
    v.field({.name = "wealth_index", .help = "Growth of 1 by the time-weighted return (1 at the start)"},
            s.wealth_index);
    v.field({.name = "drawdown", .help = "1 - wealth_index / its running maximum (>= 0; 0 at a peak)",
             .unit = "fraction"},
            s.drawdown);
    v.field({.name = "benchmark_index",
             .help = "Growth of 1 in the benchmark over the same days (1 at the start; asked with benchmark=)"},
            s.benchmark_index);
  }
};

struct PeriodGrowthResult {
  std::string period;
  std::string start;
  std::string end;
  double start_value = 0.0;
  double end_value = 0.0;
  double flows = 0.0;
  double twr = 0.0;

  static constexpr const char* kSchemaName = "PeriodGrowth";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "period", .help = "2017-03, 2017-Q1 or 2017"}, s.period);
    v.field({.name = "start", .help = "Last date of the previous period (or the first date)"}, s.start);
    v.field({.name = "end"}, s.end);
    v.field({.name = "start_value", .unit = "account currency"}, s.start_value);
    v.field({.name = "end_value", .unit = "account currency"}, s.end_value);
    v.field({.name = "flows", .help = "External flows inside the period", .unit = "account currency"}, s.flows);
    v.field({.name = "twr", .help = "Time-weighted return inside the period", .unit = "fraction"}, s.twr);
  }
};

struct PerformanceGrowth {
  std::vector<PeriodGrowthResult> monthly;
  std::vector<PeriodGrowthResult> quarterly;
  std::vector<PeriodGrowthResult> annual;

  static constexpr const char* kSchemaName = "PerformanceGrowth";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "monthly"}, s.monthly);
    v.field({.name = "quarterly"}, s.quarterly);
    v.field({.name = "annual"}, s.annual);
  }
};

struct BenchmarkComponentResult {
  std::string symbol;
  double weight = 0.0;

  static constexpr const char* kSchemaName = "BenchmarkComponent";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "weight", .unit = "fraction"}, s.weight);
  }
};

struct BenchmarkPeriodResult {
  std::string period;
  double portfolio = 0.0;
  double benchmark = 0.0;
  double excess = 0.0;

  static constexpr const char* kSchemaName = "BenchmarkPeriod";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "period", .help = "2017-03 or 2017"}, s.period);
    v.field({.name = "portfolio", .help = "Time-weighted return in the period", .unit = "fraction"}, s.portfolio);
    v.field({.name = "benchmark", .unit = "fraction"}, s.benchmark);
    v.field({.name = "excess", .help = "portfolio - benchmark", .unit = "fraction"}, s.excess);
  }
};

struct RollingWindowResult {
  std::string end;
  double portfolio_return = 0.0;
  double benchmark_return = 0.0;
  double portfolio_volatility = 0.0;
  double benchmark_volatility = 0.0;
  double beta = 0.0;

  static constexpr const char* kSchemaName = "RollingWindow";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "end", .help = "Last date of a month; the window is the year up to it"}, s.end);
    v.field({.name = "portfolio_return", .unit = "fraction"}, s.portfolio_return);
    v.field({.name = "benchmark_return", .unit = "fraction"}, s.benchmark_return);
    v.field({.name = "portfolio_volatility", .help = "Annualised", .unit = "fraction"}, s.portfolio_volatility);
    v.field({.name = "benchmark_volatility", .help = "Annualised", .unit = "fraction"}, s.benchmark_volatility);
    v.field({.name = "beta"}, s.beta);
  }
};

// The account's own cash flows invested in the benchmark instead.
struct BenchmarkSameFlows {
  double end_value = 0.0;
  spec::Nullable<double> xirr;
  double portfolio_end_value = 0.0;
  double difference = 0.0;

  static constexpr const char* kSchemaName = "BenchmarkSameFlows";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "end_value", .help = "Value had every flow bought the benchmark", .unit = "account currency"},
            s.end_value);
    v.field({.name = "xirr", .help = "Its money-weighted return (null: no solution)", .unit = "fraction per year"},
            s.xirr);
    v.field({.name = "portfolio_end_value", .unit = "account currency"}, s.portfolio_end_value);
    v.field({.name = "difference", .help = "portfolio_end_value - end_value", .unit = "account currency"},
            s.difference);
  }
};

struct BenchmarkResult {
  std::string benchmark;
  std::vector<BenchmarkComponentResult> components;
  double portfolio_return = 0.0;
  double benchmark_return = 0.0;
  double excess_return = 0.0;
  double portfolio_cagr = 0.0;
  double benchmark_cagr = 0.0;
  double excess_cagr = 0.0;
  double benchmark_volatility = 0.0;
  double tracking_error = 0.0;
  double information_ratio = 0.0;
  double beta = 0.0;
  double alpha = 0.0;
  double correlation = 0.0;
  spec::Nullable<double> up_capture;
  spec::Nullable<double> down_capture;
  PerformanceDrawdown benchmark_drawdown;
  BenchmarkSameFlows same_flows;
  std::vector<BenchmarkPeriodResult> monthly;
  std::vector<BenchmarkPeriodResult> annual;
  std::vector<RollingWindowResult> rolling_12m;

  static constexpr const char* kSchemaName = "BenchmarkComparison";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "benchmark", .help = "As asked"}, s.benchmark);
    v.field({.name = "components", .help = "Symbols and weights; a blend is rebalanced at every month end"},
            s.components);
    v.field({.name = "portfolio_return", .help = "Time-weighted return", .unit = "fraction"}, s.portfolio_return);
    v.field({.name = "benchmark_return", .unit = "fraction"}, s.benchmark_return);
    v.field({.name = "excess_return", .help = "portfolio_return - benchmark_return", .unit = "fraction"},
            s.excess_return);
    v.field({.name = "portfolio_cagr", .unit = "fraction per year"}, s.portfolio_cagr);
    v.field({.name = "benchmark_cagr", .unit = "fraction per year"}, s.benchmark_cagr);
    v.field({.name = "excess_cagr", .help = "portfolio_cagr - benchmark_cagr", .unit = "fraction per year"},
            s.excess_cagr);
    v.field({.name = "benchmark_volatility", .help = "Annualised", .unit = "fraction"}, s.benchmark_volatility);
    v.field({.name = "tracking_error", .help = "sd(r - b) x sqrt(periods_per_year)", .unit = "fraction"},
            s.tracking_error);
    v.field({.name = "information_ratio", .help = "mean(r - b) / sd(r - b) x sqrt(periods_per_year)"},
            s.information_ratio);
    v.field({.name = "beta", .help = "cov(r, b) / var(b)"}, s.beta);
    v.field({.name = "alpha", .help = "Jensen's alpha, annualised", .unit = "fraction per year"}, s.alpha);
    v.field({.name = "correlation"}, s.correlation);
    v.field({.name = "up_capture", .help = "mean(r) / mean(b) over days b > 0 (null: none)"}, s.up_capture);
    v.field({.name = "down_capture", .help = "mean(r) / mean(b) over days b < 0 (null: none)"}, s.down_capture);
    v.field({.name = "benchmark_drawdown"}, s.benchmark_drawdown);
    v.field({.name = "same_flows", .help = "The account's cash flows invested in the benchmark"}, s.same_flows);
    v.field({.name = "monthly"}, s.monthly);
    v.field({.name = "annual", .help = "Calendar years"}, s.annual);
    v.field({.name = "rolling_12m", .help = "At every month end with a full year behind it"}, s.rolling_12m);
  }
};

struct LedgerPerformanceResult {
  std::string scope;  // the account, or "household"
  std::string start;
  std::string end;
  int days = 0;
  double start_value = 0.0;
  double end_value = 0.0;
  double net_flows = 0.0;
  std::string currency;  // of every amount
  double twr = 0.0;
  // With amounts in more than one currency: the TWR at constant FX rates and the currencies' part.
  std::optional<double> twr_local;
  std::optional<double> fx_effect;
  std::optional<double> end_value_local;  // the end value at constant FX rates
  PerformanceGainSplit gain;
  double cagr = 0.0;
  spec::Nullable<double> xirr;
  double volatility = 0.0;
  double sharpe = 0.0;
  double sortino = 0.0;
  PerformanceDrawdown max_drawdown;
  double calmar = 0.0;
  double risk_free_rate = 0.0;
  int periods_per_year = 0;
  std::vector<NetWorthValue> net_worth;  // month ends
  PerformanceGrowth growth;
  std::size_t points = 0;
  std::optional<std::vector<UnderwaterPoint>> series;  // with ?series=true
  std::optional<BenchmarkResult> benchmark;             // with ?benchmark=
  std::string source;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "LedgerPerformanceResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "scope", .help = "The account, or household"}, s.scope);
    v.field({.name = "start"}, s.start);
    v.field({.name = "end"}, s.end);
    v.field({.name = "days", .unit = "calendar days"}, s.days);
    v.field({.name = "currency", .help = "The currency of every amount (reporting_currency, else the accounts')"},
            s.currency);
    v.field({.name = "start_value", .unit = "currency"}, s.start_value);
    v.field({.name = "end_value", .unit = "currency"}, s.end_value);
    v.field({.name = "net_flows", .help = "Net external flows", .unit = "currency"}, s.net_flows);
    v.field({.name = "twr", .help = "Time-weighted return, in currency", .unit = "fraction"}, s.twr);
    v.field({.name = "twr_local",
             .help = "Time-weighted return at constant FX rates (each currency at its first day's rate): the "
                     "holdings' return in their own currencies (when amounts are in more than one currency)",
             .unit = "fraction"},
            s.twr_local);
    v.field({.name = "fx_effect",
             .help = "The currencies' part of twr: (1 + twr) / (1 + twr_local) - 1 (when amounts are in more "
                     "than one currency)",
             .unit = "fraction"},
            s.fx_effect);
    v.field({.name = "end_value_local",
             .help = "The end value at constant FX rates (as twr_local; when amounts are in more than one currency)",
             .unit = "currency"},
            s.end_value_local);
    v.field({.name = "gain", .help = "The period's gain in price, income, fees and currency parts that add up to it"},
            s.gain);
    v.field({.name = "cagr", .help = "Annualised TWR", .unit = "fraction per year"}, s.cagr);
    v.field({.name = "xirr", .help = "Money-weighted return (null: no solution)", .unit = "fraction per year"},
            s.xirr);
    v.field({.name = "volatility", .help = "Annualised", .unit = "fraction"}, s.volatility);
    v.field({.name = "sharpe"}, s.sharpe);
    v.field({.name = "sortino"}, s.sortino);
    v.field({.name = "max_drawdown"}, s.max_drawdown);
    v.field({.name = "calmar", .help = "0 when there is no drawdown"}, s.calmar);
    v.field({.name = "risk_free_rate", .unit = "decimal per year"}, s.risk_free_rate);
    v.field({.name = "periods_per_year"}, s.periods_per_year);
    v.field({.name = "net_worth", .help = "Value at each month end"}, s.net_worth);
    v.field({.name = "growth"}, s.growth);
    v.field({.name = "points", .help = "Daily values measured"}, s.points);
    v.field({.name = "series", .help = "Daily wealth index and drawdown (asked with series=true)"}, s.series);
    v.field({.name = "benchmark", .help = "The comparison with the benchmark (asked with benchmark=)"}, s.benchmark);
    v.field({.name = "source"}, s.source);
    v.field({.name = "warnings"}, s.warnings);
  }
};

LedgerPerformanceResult ledger_performance(const Context& cx, const LedgerPerformanceRequest& request);

}  // namespace keel::service
