// The descriptions of the requests and results of keel/service/ledger_income.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/ledger_income.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void LedgerIncomeRequest::fields(V& v, S& s) {
  ledger_source_fields(v, s.source);
  ledger_prices_field(v, s.source);
  v.field({.name = "from", .help = "First payment date reported (default: the first payment)"}, s.from);
  v.field({.name = "to",
           .help = "Last date: payments up to it, holdings, trailing year and projection at it (default: as_of, "
                   "else the later of the last transaction and price)"},
          s.to);
  v.choice({.name = "by", .help = "Group the payments by"}, s.by, kIncomeGroupingNames);
}
KEEL_SPEC_REQUEST_FIELDS(LedgerIncomeRequest)

template <class V, class S>
void IncomeTotalsResult::fields(V& v, S& s) {
  v.field({.name = "gross", .unit = "account currency"}, s.gross);
  v.field({.name = "withholding", .help = "Tax withheld at source", .unit = "account currency"}, s.withholding);
  v.field({.name = "net", .help = "gross - withholding", .unit = "account currency"}, s.net);
  v.field({.name = "dividends", .help = "Gross dividends", .unit = "account currency"}, s.dividends);
  v.field({.name = "interest", .help = "Gross interest", .unit = "account currency"}, s.interest);
  v.field({.name = "distributions", .help = "Gross fund distributions", .unit = "account currency"},
          s.distributions);
  v.field({.name = "reinvested", .help = "Reinvested the same day (DRIP)", .unit = "account currency"},
          s.reinvested);
  v.field({.name = "payments"}, s.payments);
}
KEEL_SPEC_FIELDS(IncomeTotalsResult)

template <class V, class S>
void IncomeGroupResult::fields(V& v, S& s) {
  v.field({.name = "key", .help = "2024-03, 2024-Q1, 2024, or the symbol (\"\" for cash interest)"}, s.key);
  v.field({.name = "totals"}, s.totals);
}
KEEL_SPEC_FIELDS(IncomeGroupResult)

template <class V, class S>
void IncomePaymentResult::fields(V& v, S& s) {
  v.field({.name = "date"}, s.date);
  v.field({.name = "account"}, s.account);
  v.field({.name = "symbol", .help = "\"\" for cash interest"}, s.symbol);
  v.field({.name = "kind", .help = "dividend, interest or distribution"}, s.kind);
  v.field({.name = "gross", .unit = "account currency"}, s.gross);
  v.field({.name = "withholding", .unit = "account currency"}, s.withholding);
  v.field({.name = "net", .unit = "account currency"}, s.net);
  v.field({.name = "reinvested", .help = "Cost of the same-day BUY that reinvested it (0: none)",
           .unit = "account currency"},
          s.reinvested);
  v.field({.name = "reinvested_shares", .unit = "shares"}, s.reinvested_shares);
}
KEEL_SPEC_FIELDS(IncomePaymentResult)

template <class V, class S>
void HoldingIncomeResult::fields(V& v, S& s) {
  v.field({.name = "account"}, s.account);
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "shares", .help = "Held at the report's date", .unit = "shares"}, s.shares);
  v.field({.name = "basis", .help = "Of the open lots", .unit = "account currency"}, s.basis);
  v.field({.name = "price", .help = "Last close on or before the date (null: none)", .unit = "account currency"},
          s.price);
  v.field({.name = "price_date"}, s.price_date);
  v.field({.name = "market_value", .help = "shares x price to the cent (null: no price)",
           .unit = "account currency"},
          s.market_value);
  v.field({.name = "trailing_12m", .help = "Payments of the twelve months up to the date"}, s.trailing_12m);
  v.field({.name = "frequency", .help = "monthly, quarterly, semi-annual, annual, irregular or none (inferred)"},
          s.frequency);
  v.field({.name = "payments_per_year", .help = "12, 4, 2, 1; 0 for irregular and none"}, s.payments_per_year);
  v.field({.name = "payment_dates", .help = "Distinct payment dates in the history"}, s.payment_dates);
  v.field({.name = "last_paid"}, s.last_paid);
  v.field({.name = "last_gross", .help = "Gross of the last payment date", .unit = "account currency"},
          s.last_gross);
  v.field({.name = "last_per_share", .help = "last_gross / shares it was paid on (null: unknown)",
           .unit = "account currency"},
          s.last_per_share);
  v.field({.name = "projected_gross", .help = "Next twelve months", .unit = "account currency"}, s.projected_gross);
  v.field({.name = "projected_withholding", .unit = "account currency"}, s.projected_withholding);
  v.field({.name = "projected_net", .unit = "account currency"}, s.projected_net);
  v.field({.name = "next_payment", .help = "First projected payment date (regular payers)"}, s.next_payment);
  v.field({.name = "yield_on_cost", .help = "projected_gross / basis", .unit = "fraction"}, s.yield_on_cost);
  v.field({.name = "current_yield", .help = "projected_gross / market_value", .unit = "fraction"},
          s.current_yield);
}
KEEL_SPEC_FIELDS(HoldingIncomeResult)

template <class V, class S>
void ProjectedPaymentResult::fields(V& v, S& s) {
  v.field({.name = "date"}, s.date);
  v.field({.name = "account"}, s.account);
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "gross", .unit = "account currency"}, s.gross);
  v.field({.name = "withholding", .unit = "account currency"}, s.withholding);
  v.field({.name = "net", .unit = "account currency"}, s.net);
}
KEEL_SPEC_FIELDS(ProjectedPaymentResult)

template <class V, class S>
void ProjectedIncomeResult::fields(V& v, S& s) {
  v.field({.name = "gross", .unit = "account currency"}, s.gross);
  v.field({.name = "withholding", .unit = "account currency"}, s.withholding);
  v.field({.name = "net", .unit = "account currency"}, s.net);
}
KEEL_SPEC_FIELDS(ProjectedIncomeResult)

template <class V, class S>
void LedgerIncomeResult::fields(V& v, S& s) {
  v.field({.name = "scope", .help = "The account, or household"}, s.scope);
  v.field({.name = "from", .help = "First date reported (null: no payment)"}, s.from);
  v.field({.name = "to"}, s.to);
  v.field({.name = "by", .help = "month, quarter, year or symbol"}, s.by);
  v.field({.name = "totals", .help = "Payments from .. to"}, s.totals);
  v.field({.name = "groups"}, s.groups);
  v.field({.name = "trailing_12m", .help = "Payments of the twelve months up to `to` (cash interest too)"},
          s.trailing_12m);
  v.field({.name = "projected_12m", .help = "The holdings' projected income of the next twelve months"},
          s.projected_12m);
  v.field({.name = "holdings"}, s.holdings);
  v.field({.name = "payments", .help = "Every payment from .. to, by date"}, s.payments);
  v.field({.name = "calendar", .help = "Projected payments of the regular payers, by date"}, s.calendar);
  v.field({.name = "source"}, s.source);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(LedgerIncomeResult)

}  // namespace keel::service
