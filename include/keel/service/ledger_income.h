// keel/service/ledger_income.h: dividends, interest and distributions received, gross, withheld
// and net, grouped by period or symbol; per holding the trailing twelve months, the inferred
// payment frequency, the projected income of the next twelve months (with its calendar), yield on
// cost and current yield (`keel ledger income`, GET /api/v1/accounts/{id}/income). The rules are
// keel/ledger/income.h's (docs/ledger.md, "Income").
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/ledger/income.h"
#include "keel/service/context.h"
#include "keel/service/ledger_source.h"
#include "keel/service/spec.h"

namespace keel::service {

inline constexpr spec::Choice<ledger::IncomeGrouping> kIncomeGroupingNames[] = {
    {ledger::IncomeGrouping::kMonth, "month"},
    {ledger::IncomeGrouping::kQuarter, "quarter"},
    {ledger::IncomeGrouping::kYear, "year"},
    {ledger::IncomeGrouping::kSymbol, "symbol"}};

// `keel ledger income --account A [--from D --to D] [--by month|quarter|year|symbol]`.
struct LedgerIncomeRequest {
  LedgerSource source;
  std::optional<Date> from;  // default: the first payment
  std::optional<Date> to;    // the report's end, the date of the holdings and of the projection
  ledger::IncomeGrouping by = ledger::IncomeGrouping::kMonth;

  static constexpr const char* kSchemaName = "LedgerIncomeRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Gross, withheld and net of some payments.
struct IncomeTotalsResult {
  ledger::Decimal gross;
  ledger::Decimal withholding;
  ledger::Decimal net;
  ledger::Decimal dividends;
  ledger::Decimal interest;
  ledger::Decimal distributions;
  ledger::Decimal reinvested;
  std::size_t payments = 0;

  static constexpr const char* kSchemaName = "IncomeTotals";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct IncomeGroupResult {
  std::string key;
  IncomeTotalsResult totals;

  static constexpr const char* kSchemaName = "IncomeGroup";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct IncomePaymentResult {
  Date date;
  std::string account;
  std::string symbol;
  std::string kind;
  ledger::Decimal gross;
  ledger::Decimal withholding;
  ledger::Decimal net;
  ledger::Decimal reinvested;
  ledger::Decimal reinvested_shares;

  static constexpr const char* kSchemaName = "IncomePayment";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct HoldingIncomeResult {
  std::string account;
  std::string symbol;
  ledger::Decimal shares;
  ledger::Decimal basis;
  spec::Nullable<ledger::Decimal> price;
  spec::Nullable<std::string> price_date;
  spec::Nullable<ledger::Decimal> market_value;
  IncomeTotalsResult trailing_12m;
  std::string frequency;
  int payments_per_year = 0;
  std::size_t payment_dates = 0;
  spec::Nullable<std::string> last_paid;
  ledger::Decimal last_gross;
  spec::Nullable<ledger::Decimal> last_per_share;
  ledger::Decimal projected_gross;
  ledger::Decimal projected_withholding;
  ledger::Decimal projected_net;
  spec::Nullable<std::string> next_payment;
  spec::Nullable<double> yield_on_cost;
  spec::Nullable<double> current_yield;

  static constexpr const char* kSchemaName = "HoldingIncome";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ProjectedPaymentResult {
  Date date;
  std::string account;
  std::string symbol;
  ledger::Decimal gross;
  ledger::Decimal withholding;
  ledger::Decimal net;

  static constexpr const char* kSchemaName = "ProjectedPayment";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ProjectedIncomeResult {
  ledger::Decimal gross;
  ledger::Decimal withholding;
  ledger::Decimal net;

  static constexpr const char* kSchemaName = "ProjectedIncome";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct LedgerIncomeResult {
  std::string scope;  // the account, or "household"
  spec::Nullable<std::string> from;
  std::string to;
  std::string by;
  IncomeTotalsResult totals;
  std::vector<IncomeGroupResult> groups;
  IncomeTotalsResult trailing_12m;
  ProjectedIncomeResult projected_12m;
  std::vector<HoldingIncomeResult> holdings;
  std::vector<IncomePaymentResult> payments;
  std::vector<ProjectedPaymentResult> calendar;
  std::string source;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "LedgerIncomeResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws what load_ledger throws; invalid_input when from is after to.
LedgerIncomeResult ledger_income(const Context& cx, const LedgerIncomeRequest& request);

}  // namespace keel::service
