// The descriptions of the requests and results of keel/service/ledger_tearsheet.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/ledger_tearsheet.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void LedgerTearsheetRequest::fields(V& v, S& s) {
  ledger_source_fields(v, s.source);
  ledger_prices_field(v, s.source);
  v.field({.name = "benchmark",
           .help = "A price series (SPY) or a blend rebalanced monthly (60:SPY,40:AGG)",
           .required = true},
          s.benchmark);
  v.field({.name = "from", .help = "Start date (default: first transaction)"}, s.from);
  v.field({.name = "to", .help = "End date (default: as_of, else the later of the last transaction and price)"},
          s.to);
  v.field({.name = "risk_free", .help = "Risk-free rate", .unit = "decimal per year"}, s.risk_free);
  v.field({.name = "periods_per_year", .help = "Periods per year for annualising", .min = 1, .max = 366},
          s.periods_per_year);
  v.choice({.name = "format", .help = "html (one offline file), md (Markdown) or json (the model)"}, s.format,
           kTearsheetFormatNames);
}
KEEL_SPEC_REQUEST_FIELDS(LedgerTearsheetRequest)

template <class V, class S>
void TearsheetMetric::fields(V& v, S& s) {
  v.field({.name = "key", .help = "Where it comes from in ledger performance's JSON (portfolio side)"}, s.key);
  v.field({.name = "label"}, s.label);
  v.field({.name = "unit", .help = "fraction, fraction per year, ratio or account currency"}, s.unit);
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "benchmark", .help = "null: no benchmark side"}, s.benchmark);
}
KEEL_SPEC_FIELDS(TearsheetMetric)

template <class V, class S>
void TearsheetPoint::fields(V& v, S& s) {
  v.field({.name = "date"}, s.date);
  v.field({.name = "portfolio", .unit = "fraction"}, s.portfolio);
  v.field({.name = "benchmark", .unit = "fraction"}, s.benchmark);
}
KEEL_SPEC_FIELDS(TearsheetPoint)

template <class V, class S>
void TearsheetYear::fields(V& v, S& s) {
  v.field({.name = "year"}, s.year);
  v.field({.name = "months", .help = "January to December; null outside the period", .unit = "fraction"},
          s.months);
  v.field({.name = "total", .help = "Time-weighted return of the year in the period", .unit = "fraction"},
          s.total);
  v.field({.name = "benchmark", .unit = "fraction"}, s.benchmark);
  v.field({.name = "excess", .help = "total - benchmark", .unit = "fraction"}, s.excess);
}
KEEL_SPEC_FIELDS(TearsheetYear)

template <class V, class S>
void TearsheetContributor::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "realized", .help = "ledger gains' gain of the sales in the period", .unit = "account currency"},
          s.realized);
  v.field({.name = "unrealized_change", .help = "ledger holdings' unrealized at the end minus at the start",
           .unit = "account currency"},
          s.unrealized_change);
  v.field({.name = "income", .help = "Gross income paid in the period", .unit = "account currency"}, s.income);
  v.field({.name = "total", .help = "realized + unrealized_change + income", .unit = "account currency"}, s.total);
  v.field({.name = "unpriced", .help = "Unpriced at the start or end: its unrealized counts as 0 there"},
          s.unpriced);
}
KEEL_SPEC_FIELDS(TearsheetContributor)

template <class V, class S>
void TearsheetContributions::fields(V& v, S& s) {
  v.field({.name = "symbols", .help = "Largest total first"}, s.symbols);
  v.field({.name = "total", .unit = "account currency"}, s.total);
  v.field({.name = "account_gain", .help = "end_value - start_value - net_flows", .unit = "account currency"},
          s.account_gain);
  v.field({.name = "other", .help = "account_gain - total: cash interest, fees not tied to a symbol",
           .unit = "account currency"},
          s.other);
}
KEEL_SPEC_FIELDS(TearsheetContributions)

template <class V, class S>
void TearsheetIncome::fields(V& v, S& s) {
  v.field({.name = "totals", .help = "Paid in the period"}, s.totals);
  v.field({.name = "trailing_12m"}, s.trailing_12m);
  v.field({.name = "projected_12m"}, s.projected_12m);
  v.field({.name = "yield_on_cost",
           .help = "Projected gross / basis of the holdings that pay (null: none)", .unit = "fraction"},
          s.yield_on_cost);
  v.field({.name = "by_month"}, s.by_month);
  v.field({.name = "by_symbol", .help = "\"\" is cash interest"}, s.by_symbol);
}
KEEL_SPEC_FIELDS(TearsheetIncome)

template <class V, class S>
void LedgerTearsheet::fields(V& v, S& s) {
  v.field({.name = "scope", .help = "The account, or household"}, s.scope);
  v.field({.name = "benchmark", .help = "As asked"}, s.benchmark);
  v.field({.name = "components"}, s.components);
  v.field({.name = "currency", .help = "The accounts' currency (every amount is in it)"}, s.currency);
  v.field({.name = "start"}, s.start);
  v.field({.name = "end"}, s.end);
  v.field({.name = "days", .unit = "calendar days"}, s.days);
  v.field({.name = "start_value", .unit = "account currency"}, s.start_value);
  v.field({.name = "end_value", .unit = "account currency"}, s.end_value);
  v.field({.name = "net_flows", .unit = "account currency"}, s.net_flows);
  v.field({.name = "metrics", .help = "Account and benchmark side by side"}, s.metrics);
  v.field({.name = "max_drawdown"}, s.max_drawdown);
  v.field({.name = "benchmark_drawdown"}, s.benchmark_drawdown);
  v.field({.name = "same_flows", .help = "The account's cash flows invested in the benchmark"}, s.same_flows);
  v.field({.name = "cumulative", .help = "Cumulative time-weighted return of both, daily"}, s.cumulative);
  v.field({.name = "drawdown", .help = "Drawdown from the running peak of both, daily"}, s.drawdown);
  v.field({.name = "years", .help = "Monthly returns by year"}, s.years);
  v.field({.name = "rolling_12m"}, s.rolling_12m);
  v.field({.name = "contributions", .help = "Gain by symbol over the period"}, s.contributions);
  v.field({.name = "income"}, s.income);
  v.field({.name = "risk_free_rate", .unit = "decimal per year"}, s.risk_free_rate);
  v.field({.name = "periods_per_year"}, s.periods_per_year);
  v.field({.name = "source"}, s.source);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(LedgerTearsheet)

}  // namespace keel::service
