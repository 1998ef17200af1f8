// keel/clo/deal.h: the plain description of a cash-flow CLO (collateral, notes, fees, dates,
// reinvestment rules, quality-test limits and the two payment waterfalls).
//
// A Deal is what the deal file (docs/clo.md) says, already parsed and unit-converted:
//   - every rate, spread, floor and coupon is a decimal per year (0.035 = 350 bp);
//   - prices are fractions of par (0.985), amounts are in the deal currency;
//   - fee rates are in basis points per year of the fee basis (`*_bps`).
// `validate_deal` checks the semantic rules (capital structure, dates in order, ...) and reports
// every problem under the JSON field path of the deal file, so the io reader and code building a
// Deal by hand get the same messages.
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/clo/rating.h"
#include "keel/core/date.h"
#include "keel/core/diagnostics.h"

namespace keel::clo {

enum class CouponType { kFloating, kFixed };

struct Loan {
  std::string obligor;
  std::string industry;   // Moody's industry name (33 industries) or any consistent label
  double par = 0.0;       // outstanding principal, deal currency
  double price = 1.0;     // market price as a fraction of par
  CouponType coupon_type = CouponType::kFloating;
  double spread = 0.0;    // floating: margin over the reference rate, decimal per year
  double floor = 0.0;     // floating: reference-rate floor, decimal per year
  double coupon = 0.0;    // fixed: coupon, decimal per year (30/360)
  Date maturity;          // bullet repayment on the first payment date on or after it
  MoodysRating rating = MoodysRating::kB2;
  std::string lien = "first";  // "first", "second", "unsecured": not "first" is in the second-lien bucket
  bool defaulted = false;      // in default at closing: recovers after the lag, no interest
  // The loan tape's other columns. `par` is the funded balance; `unfunded` the undrawn commitment
  // of a revolver or delayed-draw term loan (deal currency), which earns no coupon and is not
  // collateral principal but counts in the revolver bucket.
  std::string asset_id;     // the trustee's asset id (LoanX, CUSIP, ...); empty when not given
  std::string facility_id;  // the facility (tranche of the borrower's credit agreement)
  double unfunded = 0.0;
  std::string country;      // ISO 3166 alpha-2 of the obligor's domicile; empty when not given
  bool cov_lite = false;    // covenant-lite
  bool dip = false;         // debtor-in-possession financing
  // Each agency's rating as given (S&P's mapped to the Moody's notch of the same rank); `rating`
  // above is the one the tests use, derived from these by the deal's RatingRule.
  std::optional<MoodysRating> moodys;
  std::optional<MoodysRating> sp;
};

// How a loan's test rating follows from its two agencies' ratings (indenture definitions):
//   kMoodys: the Moody's rating, else the S&P rating one notch lower ("Moody's Derived Rating");
//   kLower: the lower of the two (one agency alone: its rating);
//   kAverage: the mean of the two notch ranks, a half rounded down to the lower notch.
enum class RatingRule { kMoodys, kLower, kAverage };

// The test rating of one loan under `rule`; nullopt when neither agency rates it.
std::optional<MoodysRating> derived_rating(std::optional<MoodysRating> moodys, std::optional<MoodysRating> sp,
                                           RatingRule rule);

struct Tranche {
  std::string name;          // "A", "B", ..., "Sub"
  double balance = 0.0;      // original principal, deal currency
  bool is_equity = false;    // the subordinated notes: receive residual cash, no coupon
  bool fixed = false;        // fixed coupon (30/360) instead of reference + spread (act/360)
  double spread = 0.0;       // decimal per year over the reference rate
  double coupon = 0.0;       // decimal per year when fixed
  bool deferrable = false;   // unpaid interest is capitalised (PIK) instead of a shortfall
  std::optional<double> oc_trigger;  // e.g. 1.2110 (ratio, not percent)
  std::optional<double> ic_trigger;  // e.g. 1.20
  double price = 1.0;        // purchase price for the IRR, fraction of par
};

struct DealDates {
  Date closing;
  Date first_payment;
  int payment_frequency_months = 3;
  Date reinvestment_end;     // purchases allowed on payment dates on or before it
  Date non_call_end;         // informational: optional redemption is not modelled
  Date legal_maturity;       // last payment date; remaining collateral is sold at its price
  std::vector<Date> payment_dates;  // explicit schedule; generated when empty
};

struct AdminFees {
  double fixed_per_year = 0.0;  // deal currency per year, accrued act/360
  double bps = 0.0;             // bp per year of the fee basis
  double cap_per_year = 0.0;    // cap on what the interest waterfall pays per year (0 = no cap)
};

struct IncentiveFee {
  double share = 0.0;       // fraction of cash above the hurdle (0.20)
  double hurdle_irr = 0.0;  // annual equity IRR hurdle, act/365 compounding (0.12)
};

struct Fees {
  AdminFees taxes_admin;
  double senior_bps = 0.0;  // senior management fee, bp per year of the fee basis
  double sub_bps = 0.0;     // subordinated management fee, bp per year of the fee basis
  IncentiveFee incentive;
};

struct Reinvestment {
  double price = 1.0;        // purchase price, fraction of par
  double spread = 0.035;     // decimal per year
  double floor = 0.0;
  MoodysRating rating = MoodysRating::kB2;
  int term_months = 72;      // maturity of a purchased loan, months after purchase
  // Interest diversion (reinvestment OC) test in the reinvestment period: when the OC ratio of
  // `diversion_class` is below `diversion_threshold`, up to `diversion_share` of the interest left
  // at that step buys collateral. No test when diversion_threshold is not set.
  std::string diversion_class;
  std::optional<double> diversion_threshold;
  double diversion_share = 0.5;
};

// Collateral quality limits (absent = not tested) and the CCC haircut threshold.
struct QualityLimits {
  std::optional<double> max_warf;
  std::optional<double> min_was;        // decimal per year
  std::optional<double> max_wal_years;
  std::optional<double> min_diversity;
  std::optional<double> max_ccc_share;  // fraction of collateral par
  std::optional<double> max_obligor_share;
  std::optional<double> max_industry_share;
  double ccc_excess_threshold = 0.075;  // Caa par above this share is carried at market value
  // Concentration schedules by rank: limit k applies to the k-th largest obligor (industry), the
  // last one to every larger rank (a fraction of performing par each). [0.025, 0.02] reads "one
  // obligor up to 2.5 %, every other up to 2 %".
  std::vector<double> obligor_limits;
  std::vector<double> industry_limits;
  // The largest `top_obligors_count` obligors together at most `max_top_obligors_share`.
  int top_obligors_count = 10;
  std::optional<double> max_top_obligors_share;
  // Bucket limits, fractions of performing par (of commitments for the revolver bucket).
  std::optional<double> max_second_lien_share;  // lien other than first
  std::optional<double> max_cov_lite_share;
  std::optional<double> max_fixed_rate_share;
  std::optional<double> max_non_domestic_share;  // country given and not in domestic_countries
  std::optional<double> max_revolver_share;      // loans with an unfunded commitment: par + unfunded
  std::optional<double> max_dip_share;
  std::vector<std::string> domestic_countries{"US"};
};

enum class ActionType {
  kTaxesAdmin,         // interest: taxes and administrative expenses, up to the cap
  kSeniorFee,          // interest: senior management fee
  kInterest,           // interest: current (and unpaid) interest of `tranche`; PIK if deferrable
  kCoverageTests,      // interest: OC and IC tests of `tranche`; failure diverts to paydown
  kInterestDiversion,  // interest: reinvestment OC test during the reinvestment period
  kSubFee,             // interest or principal: subordinated management fee
  kIncentiveFee,       // interest or principal: incentive fee above the equity IRR hurdle
  kShortfalls,         // principal: unpaid senior expenses, fees and non-deferrable interest
  kCoverageCure,       // principal: principal to cure `tranche`'s failing OC/IC tests
  kReinvest,           // principal: buy collateral during the reinvestment period
  kSequentialPaydown,  // principal (or interest): pay notes most senior first
  kResidual,           // either: everything left to the equity
};

struct WaterfallAction {
  ActionType type = ActionType::kResidual;
  int tranche = -1;  // index into Deal::tranches for kInterest, kCoverageTests, kCoverageCure
};

struct Deal {
  std::string name;
  std::string currency = "USD";
  DealDates dates;
  // Reference rate (e.g. 3M Term SOFR) as a step function: the rate for an accrual period is
  // the last point dated on or before the period's start; before the first point, the first.
  std::vector<Date> reference_dates;
  std::vector<double> reference_rates;  // decimal per year
  std::optional<double> target_par;     // capital structure total: sum of tranche balances
  std::vector<Loan> collateral;
  RatingRule rating_rule = RatingRule::kMoodys;
  // Principal cash in the collection account at the start (a sale's proceeds not yet reinvested):
  // available to the first principal waterfall and counted in the OC numerator.
  double principal_cash = 0.0;
  std::vector<Tranche> tranches;        // most senior first; the equity last
  Fees fees;
  Reinvestment reinvestment;
  QualityLimits limits;
  std::vector<WaterfallAction> interest_waterfall;   // empty = the standard US BSL order
  std::vector<WaterfallAction> principal_waterfall;  // empty = the standard US BSL order
};

// The payment schedule: dates.payment_dates when given, else first_payment, then every
// payment_frequency_months (end-of-month kept) up to and including legal_maturity.
std::vector<Date> payment_schedule(const Deal& deal);

// The standard US broadly syndicated order (docs/clo.md):
// interest: taxes/admin, senior fee, then for each note its interest and (if it has a trigger) its
// coverage tests, the interest diversion test (if set), sub fee, incentive fee, residual;
// principal: shortfalls, coverage cures, reinvest, sequential paydown, incentive fee, residual.
std::vector<WaterfallAction> standard_interest_waterfall(const Deal& deal);
std::vector<WaterfallAction> standard_principal_waterfall(const Deal& deal);

// Records every semantic problem under its deal-file field path (`tranches[2].balance`,
// `dates.payment_dates[3]`, `collateral[7].par`, ...). `file` is used as Diagnostic::file.
void validate_deal(const Deal& deal, const std::string& file, Diagnostics& diags);

}  // namespace keel::clo
