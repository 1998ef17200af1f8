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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// The net cash of one account's rows in one currency, in that currency.
struct CurrencyCash {
  std::string account;
  std::string currency;
  ledger::Decimal amount;

  static constexpr const char* kSchemaName = "CurrencyCash";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct AllocationSliceResult {
  std::string key;
  ledger::Decimal market_value;
  double weight = 0.0;

  static constexpr const char* kSchemaName = "AllocationSlice";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct HoldingsAllocation {
  std::vector<AllocationSliceResult> asset_type;
  std::vector<AllocationSliceResult> sector;
  std::vector<AllocationSliceResult> account;

  static constexpr const char* kSchemaName = "HoldingsAllocation";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// An account whose amounts are converted into a holdings report's currency.
struct AccountRate {
  std::string account;
  std::string currency;
  ledger::Decimal rate;

  static constexpr const char* kSchemaName = "AccountRate";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct HoldingsTotals {
  ledger::Decimal securities_value;  // priced positions
  ledger::Decimal basis;             // of priced positions
  ledger::Decimal unrealized;
  ledger::Decimal cash;
  ledger::Decimal net_worth;

  static constexpr const char* kSchemaName = "HoldingsTotals";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

LedgerHoldingsResult ledger_holdings(const Context& cx, const LedgerHoldingsRequest& request);

// `keel ledger reconcile --broker FILE`, POST .../reconcile {broker: CSV text, tolerance}.
struct LedgerReconcileRequest {
  LedgerSource source;
  std::optional<std::string> broker;       // HTTP: the broker holdings CSV as text
  std::optional<std::string> broker_file;  // CLI: --broker FILE
  double tolerance = 0.0;                  // basis difference accepted, currency units
  // Of a broker's positions download holding several accounts, the one compared.
  std::optional<std::string> broker_account;

  static constexpr const char* kSchemaName = "LedgerReconcileRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct LedgerReconcileResult {
  std::vector<ReconcileRowResult> rows;
  std::size_t discrepancies = 0;
  std::string source;
  std::string broker_file;
  std::string broker_format;  // holdings, fidelity_positions or schwab_positions
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "LedgerReconcileResult";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct PerformanceDrawdown {
  double depth = 0.0;
  spec::Nullable<std::string> peak;
  spec::Nullable<std::string> trough;
  spec::Nullable<std::string> recovery;

  static constexpr const char* kSchemaName = "PerformanceDrawdown";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct NetWorthValue {
  std::string date;
  double value = 0.0;

  static constexpr const char* kSchemaName = "NetWorthValue";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One day of the wealth index and its drawdown from the running peak.
struct UnderwaterPoint {
  std::string date;
  double wealth_index = 1.0;
  double drawdown = 0.0;
  std::optional<double> benchmark_index;  // with ?benchmark=

  static constexpr const char* kSchemaName = "UnderwaterPoint";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct PerformanceGrowth {
  std::vector<PeriodGrowthResult> monthly;
  std::vector<PeriodGrowthResult> quarterly;
  std::vector<PeriodGrowthResult> annual;

  static constexpr const char* kSchemaName = "PerformanceGrowth";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct BenchmarkComponentResult {
  std::string symbol;
  double weight = 0.0;

  static constexpr const char* kSchemaName = "BenchmarkComponent";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct BenchmarkPeriodResult {
  std::string period;
  double portfolio = 0.0;
  double benchmark = 0.0;
  double excess = 0.0;

  static constexpr const char* kSchemaName = "BenchmarkPeriod";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// The account's own cash flows invested in the benchmark instead.
struct BenchmarkSameFlows {
  double end_value = 0.0;
  spec::Nullable<double> xirr;
  double portfolio_end_value = 0.0;
  double difference = 0.0;

  static constexpr const char* kSchemaName = "BenchmarkSameFlows";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

LedgerPerformanceResult ledger_performance(const Context& cx, const LedgerPerformanceRequest& request);

}  // namespace keel::service
