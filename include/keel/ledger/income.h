// keel/ledger/income.h: dividends, interest and distributions received, what they yield and what
// the holdings are expected to pay over the next twelve months.
//
// measure_income() reads the income rows of a transaction history (DIVIDEND, DISTRIBUTION,
// INTEREST, with the WITHHOLDING rows of the same account, symbol and date) and reports, exactly
// to the cent:
//  - every payment in [from, to] with its gross, tax withheld and net, and the part reinvested
//    (DRIP: a BUY of the same account, symbol and date whose cash cost equals the payment's net or
//    gross; the booking opens that BUY's lot like any other);
//  - the payments grouped by month, quarter, year or symbol;
//  - per holding (account, symbol) at `as_of`: shares, basis and market value (the caller's
//    quote), the trailing twelve months' income (payments in (as_of - 1 year, as_of]), the
//    payment frequency inferred from the holding's payment dates, the projected income of the
//    next twelve months and its calendar, yield on cost and current yield.
// The rules (docs/ledger.md, "Income"):
//  - Frequency: the median of the gaps, in days, between the holding's last six payment dates
//    (at most five gaps; payments of one date count once): 20-45 days monthly, 70-110 quarterly,
//    150-215 semi-annual, 320-410 annual; anything else, or a single payment, irregular; no
//    payment at all, none.
//  - Projection of a regular payer: the last payment scaled to the shares held at as_of,
//    gross x shares(as_of) / shares(paid), to the cent half away from zero, paid again every
//    12 / n months after the last payment date; the payments dated in (as_of, as_of + 1 year]
//    are the projection. A payer whose last payment is more than two intervals (2 x 12 / n
//    months) before as_of has missed a payment entirely and projects nothing. Tax withheld is projected at the last payment's withholding ratio
//    (scaled the same way, to the cent). An irregular payer: each payment of the trailing twelve
//    months scaled the same way, summed, with no dates. Holdings with no shares at as_of and
//    income without a symbol (cash interest) project nothing.
//  - shares(paid): the income row's `quantity` when it gives one, else the shares held at the
//    start of the payment date (every row dated before it), so a same-day reinvestment does not
//    count itself. When it is not positive the payment is projected unscaled.
//  - Yield on cost = projected gross / basis of the open lots; current yield = projected gross /
//    market value (both null when the denominator is not positive or there is no price).
// Amounts are exact Decimals; only yields are binary floating point.
//
// Thread-safety: pure functions; an IncomeHistory is immutable once built until measure_income
// consumes it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/ledger/booking.h"
#include "keel/ledger/decimal.h"
#include "keel/ledger/transaction.h"
#include "keel/ledger/valuation.h"

namespace keel::ledger {

enum class IncomeKind : std::uint8_t { kDividend, kInterest, kDistribution };
std::string_view income_kind_name(IncomeKind kind);  // "dividend" | "interest" | "distribution"

// kNone: a holding that has paid nothing yet.
enum class PayFrequency : std::uint8_t { kMonthly, kQuarterly, kSemiAnnual, kAnnual, kIrregular, kNone };
// "monthly" | "quarterly" | "semi-annual" | "annual" | "irregular" | "none"
std::string_view pay_frequency_name(PayFrequency f);
// Payments a year: 12, 4, 2, 1; 0 for irregular and none.
int payments_per_year(PayFrequency f);
// The rule above, on the payment dates of one holding (ascending, distinct).
PayFrequency infer_frequency(std::span<const Date> payment_dates);

enum class IncomeGrouping : std::uint8_t { kMonth, kQuarter, kYear, kSymbol };

struct IncomeOptions {
  std::optional<std::set<std::string>> accounts;  // nullopt: every account
  std::optional<Date> from;                       // default: the first payment
  Date as_of;                                     // the report's end: payments up to it, holdings at it
  IncomeGrouping by = IncomeGrouping::kMonth;
};

// One payment: the income rows of one (account, symbol, date, kind), with the tax withheld on it.
struct IncomePayment {
  Date date;
  std::string account;
  std::string symbol;  // empty: cash interest
  IncomeKind kind = IncomeKind::kDividend;
  Decimal gross;        // income rows' amounts
  Decimal withholding;  // WITHHOLDING rows' amounts (>= 0)
  Decimal net;          // gross - withholding
  Decimal reinvested;   // cash cost of the same-day BUY that reinvested it (DRIP), else 0
  Decimal reinvested_shares;
};

struct IncomeTotals {
  Decimal gross;
  Decimal withholding;
  Decimal net;
  Decimal dividends;      // gross, by kind
  Decimal interest;
  Decimal distributions;
  Decimal reinvested;
  std::size_t payments = 0;
  void add(const IncomePayment& p);
};

struct IncomeGroup {
  std::string key;  // "2024-03", "2024-Q1", "2024", or the symbol ("" for cash interest)
  IncomeTotals totals;
};

struct ProjectedPayment {
  Date date;
  std::string account;
  std::string symbol;
  Decimal gross;
  Decimal withholding;
  Decimal net;
};

struct HoldingIncome {
  std::string account;
  std::string symbol;
  Decimal shares;                       // at as_of (open lots)
  Decimal basis;                        // of the open lots
  std::optional<Quote> quote;           // the caller's price at as_of
  std::optional<Decimal> market_value;  // shares x price, to the cent
  IncomeTotals trailing;                // payments in (as_of - 1 year, as_of]
  std::size_t payment_count = 0;        // distinct payment dates in the whole history up to as_of
  PayFrequency frequency = PayFrequency::kNone;
  std::optional<Date> last_paid;
  Decimal last_gross;                   // the last payment date's gross
  std::optional<Decimal> last_per_share;  // last gross / shares(paid), 8 places; none without shares
  Decimal projected_gross;              // next twelve months
  Decimal projected_withholding;
  Decimal projected_net;
  std::optional<Date> next_payment;     // the first projected date (regular payers)
  std::optional<double> yield_on_cost;  // projected gross / basis
  std::optional<double> current_yield;  // projected gross / market value
};

struct IncomeResult {
  std::optional<Date> from;              // the first date reported (none: no payment at all)
  Date as_of;
  std::vector<IncomePayment> payments;   // in [from, as_of], by date, account, symbol, kind
  IncomeTotals totals;                   // of `payments`
  std::vector<IncomeGroup> groups;       // by the grouping, in key order
  IncomeTotals trailing_12m;             // (as_of - 1 year, as_of], every payment (cash interest too)
  std::vector<HoldingIncome> holdings;   // every (account, symbol) held at as_of or paid in the history
  std::vector<ProjectedPayment> calendar;  // the projected payments of regular payers, by date
  Decimal projected_gross;               // the holdings' projections summed
  Decimal projected_withholding;
  Decimal projected_net;
};

// `payments` summed by month, quarter, year or symbol, in key order (IncomeResult::groups).
std::vector<IncomeGroup> group_payments(std::span<const IncomePayment> payments, IncomeGrouping by);

// What measure_income reads from the transactions alone: the payments with their withholding and
// reinvestment, their totals and groups, each paying holding's payment dates with the shares they
// were paid on, and each holding's trailing twelve months. Nothing of it depends on the booking, so
// a caller may build it while the history is booked (it only reads `txs`, which it does not keep).
class IncomeHistory {
 public:
  // `txs` is the whole history (every account; transactions after options.as_of are ignored).
  IncomeHistory(std::span<const Transaction> txs, const IncomeOptions& options);
  IncomeHistory(IncomeHistory&&) noexcept;
  IncomeHistory& operator=(IncomeHistory&&) noexcept;
  ~IncomeHistory();
  Date as_of() const;  // options.as_of

 private:
  friend IncomeResult measure_income(IncomeHistory&& history, const BookResult& book,
                                     const std::map<std::string, Quote>& quotes);
  struct State;
  std::unique_ptr<State> state_;
};

// The report of `history` with `book`, the booking of the same transactions up to as_of (the open
// lots give shares and basis), and `quotes`, the price per symbol at as_of (missing: no market
// value, no current yield).
IncomeResult measure_income(IncomeHistory&& history, const BookResult& book,
                            const std::map<std::string, Quote>& quotes);
// The same in one call: measure_income(IncomeHistory(txs, options), book, quotes).
IncomeResult measure_income(std::span<const Transaction> txs, const BookResult& book,
                            const std::map<std::string, Quote>& quotes, const IncomeOptions& options);

}  // namespace keel::ledger
