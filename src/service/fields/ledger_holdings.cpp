// The descriptions of the requests and results of keel/service/ledger_holdings.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/ledger_holdings.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void LedgerHoldingsRequest::fields(V& v, S& s) {
  ledger_source_fields(v, s.source);
  ledger_prices_field(v, s.source);
  v.field({.name = "reporting_currency",
           .help = "Add the totals and allocations in this currency at the as-of date's FX rates (default: the "
                   "accounts' currency)"},
          s.reporting_currency);
}
KEEL_SPEC_REQUEST_FIELDS(LedgerHoldingsRequest)

template <class V, class S>
void HoldingPosition::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(HoldingPosition)

template <class V, class S>
void CurrencyCash::fields(V& v, S& s) {
  v.field({.name = "account"}, s.account);
  v.field({.name = "currency"}, s.currency);
  v.field({.name = "amount", .unit = "currency"}, s.amount);
}
KEEL_SPEC_FIELDS(CurrencyCash)

template <class V, class S>
void HoldingLot::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(HoldingLot)

template <class V, class S>
void AllocationSliceResult::fields(V& v, S& s) {
  v.field({.name = "key"}, s.key);
  v.field({.name = "market_value", .unit = "account currency"}, s.market_value);
  v.field({.name = "weight", .help = "Of net worth", .unit = "fraction"}, s.weight);
}
KEEL_SPEC_FIELDS(AllocationSliceResult)

template <class V, class S>
void HoldingsAllocation::fields(V& v, S& s) {
  v.field({.name = "asset_type", .help = "equity, option and cash"}, s.asset_type);
  v.field({.name = "sector", .help = "By sector (cash as \"Cash\")"}, s.sector);
  v.field({.name = "account"}, s.account);
}
KEEL_SPEC_FIELDS(HoldingsAllocation)

template <class V, class S>
void AccountRate::fields(V& v, S& s) {
  v.field({.name = "account"}, s.account);
  v.field({.name = "currency", .help = "The account's currency"}, s.currency);
  v.field({.name = "rate", .help = "Units of the report's currency per unit of the account's on as_of"}, s.rate);
}
KEEL_SPEC_FIELDS(AccountRate)

template <class V, class S>
void HoldingsTotals::fields(V& v, S& s) {
  v.field({.name = "securities_value", .help = "Priced positions at market", .unit = "currency"},
          s.securities_value);
  v.field({.name = "basis", .help = "Of the priced positions", .unit = "currency"}, s.basis);
  v.field({.name = "unrealized", .unit = "currency"}, s.unrealized);
  v.field({.name = "cash", .unit = "currency"}, s.cash);
  v.field({.name = "net_worth", .help = "securities_value + cash", .unit = "currency"}, s.net_worth);
}
KEEL_SPEC_FIELDS(HoldingsTotals)

template <class V, class S>
void LedgerHoldingsResult::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(LedgerHoldingsResult)

template <class V, class S>
void LedgerReconcileRequest::fields(V& v, S& s) {
  ledger_source_fields(v, s.source);
  v.field({.name = "broker",
           .help = "Broker holdings CSV text: symbol,quantity[,cost_basis,account], a Fidelity, Schwab or "
                   "Vanguard positions download, or an OFX or IBKR Flex statement",
           .faces = spec::kHttp, .required = true},
          s.broker);
  v.field({.name = "broker_file",
           .help = "Broker holdings CSV: symbol,quantity[,cost_basis,account], a Fidelity, Schwab or Vanguard "
                   "positions download, or an OFX or IBKR Flex statement",
           .faces = spec::kCli, .cli_name = "broker", .required = true},
          s.broker_file);
  v.field({.name = "broker_account",
           .help = "Of a positions download or statement holding several accounts, compare this one (its "
                   "number, or Schwab's account title or its ...234 part)"},
          s.broker_account);
  v.field({.name = "tolerance", .help = "Basis difference accepted", .unit = "account currency", .min = 0},
          s.tolerance);
}
KEEL_SPEC_REQUEST_FIELDS(LedgerReconcileRequest)

template <class V, class S>
void ReconcileRowResult::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(ReconcileRowResult)

template <class V, class S>
void LedgerReconcileResult::fields(V& v, S& s) {
  v.field({.name = "rows"}, s.rows);
  v.field({.name = "discrepancies", .help = "Rows whose status is not ok"}, s.discrepancies);
  v.field({.name = "source"}, s.source);
  v.field({.name = "broker_file", .help = "The broker file (broker.csv for an upload)"}, s.broker_file);
  v.field({.name = "broker_format",
           .help = "How the broker file was read: holdings (keel's columns), fidelity_positions, schwab_positions, "
                   "vanguard_positions, or ofx_positions / ibkr_flex_positions (a statement's position list)"},
          s.broker_format);
  v.field({.name = "warnings",
           .help = "What reading the broker file noted: rows that are not positions (cash, Pending Activity, totals)"},
          s.warnings);
}
KEEL_SPEC_FIELDS(LedgerReconcileResult)

template <class V, class S>
void LedgerPerformanceRequest::fields(V& v, S& s) {
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
KEEL_SPEC_REQUEST_FIELDS(LedgerPerformanceRequest)

template <class V, class S>
void PerformanceGainSplit::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(PerformanceGainSplit)

template <class V, class S>
void PerformanceDrawdown::fields(V& v, S& s) {
  v.field({.name = "depth", .help = "Fraction of the peak lost (>= 0)", .unit = "fraction"}, s.depth);
  v.field({.name = "peak"}, s.peak);
  v.field({.name = "trough"}, s.trough);
  v.field({.name = "recovery", .help = "null: not recovered"}, s.recovery);
}
KEEL_SPEC_FIELDS(PerformanceDrawdown)

template <class V, class S>
void NetWorthValue::fields(V& v, S& s) {
  v.field({.name = "date"}, s.date);
  v.field({.name = "value", .unit = "account currency"}, s.value);
}
KEEL_SPEC_FIELDS(NetWorthValue)

template <class V, class S>
void UnderwaterPoint::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(UnderwaterPoint)

template <class V, class S>
void PeriodGrowthResult::fields(V& v, S& s) {
  v.field({.name = "period", .help = "2017-03, 2017-Q1 or 2017"}, s.period);
  v.field({.name = "start", .help = "Last date of the previous period (or the first date)"}, s.start);
  v.field({.name = "end"}, s.end);
  v.field({.name = "start_value", .unit = "account currency"}, s.start_value);
  v.field({.name = "end_value", .unit = "account currency"}, s.end_value);
  v.field({.name = "flows", .help = "External flows inside the period", .unit = "account currency"}, s.flows);
  v.field({.name = "twr", .help = "Time-weighted return inside the period", .unit = "fraction"}, s.twr);
}
KEEL_SPEC_FIELDS(PeriodGrowthResult)

template <class V, class S>
void PerformanceGrowth::fields(V& v, S& s) {
  v.field({.name = "monthly"}, s.monthly);
  v.field({.name = "quarterly"}, s.quarterly);
  v.field({.name = "annual"}, s.annual);
}
KEEL_SPEC_FIELDS(PerformanceGrowth)

template <class V, class S>
void BenchmarkComponentResult::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "weight", .unit = "fraction"}, s.weight);
}
KEEL_SPEC_FIELDS(BenchmarkComponentResult)

template <class V, class S>
void BenchmarkPeriodResult::fields(V& v, S& s) {
  v.field({.name = "period", .help = "2017-03 or 2017"}, s.period);
  v.field({.name = "portfolio", .help = "Time-weighted return in the period", .unit = "fraction"}, s.portfolio);
  v.field({.name = "benchmark", .unit = "fraction"}, s.benchmark);
  v.field({.name = "excess", .help = "portfolio - benchmark", .unit = "fraction"}, s.excess);
}
KEEL_SPEC_FIELDS(BenchmarkPeriodResult)

template <class V, class S>
void RollingWindowResult::fields(V& v, S& s) {
  v.field({.name = "end", .help = "Last date of a month; the window is the year up to it"}, s.end);
  v.field({.name = "portfolio_return", .unit = "fraction"}, s.portfolio_return);
  v.field({.name = "benchmark_return", .unit = "fraction"}, s.benchmark_return);
  v.field({.name = "portfolio_volatility", .help = "Annualised", .unit = "fraction"}, s.portfolio_volatility);
  v.field({.name = "benchmark_volatility", .help = "Annualised", .unit = "fraction"}, s.benchmark_volatility);
  v.field({.name = "beta"}, s.beta);
}
KEEL_SPEC_FIELDS(RollingWindowResult)

template <class V, class S>
void BenchmarkSameFlows::fields(V& v, S& s) {
  v.field({.name = "end_value", .help = "Value had every flow bought the benchmark", .unit = "account currency"},
          s.end_value);
  v.field({.name = "xirr", .help = "Its money-weighted return (null: no solution)", .unit = "fraction per year"},
          s.xirr);
  v.field({.name = "portfolio_end_value", .unit = "account currency"}, s.portfolio_end_value);
  v.field({.name = "difference", .help = "portfolio_end_value - end_value", .unit = "account currency"},
          s.difference);
}
KEEL_SPEC_FIELDS(BenchmarkSameFlows)

template <class V, class S>
void BenchmarkResult::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(BenchmarkResult)

template <class V, class S>
void LedgerPerformanceResult::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(LedgerPerformanceResult)

}  // namespace keel::service
