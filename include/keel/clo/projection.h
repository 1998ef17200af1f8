// keel/clo/projection.h: deterministic cash-flow projection of a CLO: collateral, waterfalls,
// coverage tests and per-tranche results, period by period.
//
// Method (docs/clo.md has every formula):
//   - accrual periods run from closing (then each payment date) to the next payment date;
//     floating interest = max(reference, floor) + spread on act/360, fixed on 30/360;
//   - loans flagged `defaulted` at closing are Defaulted Obligations from the start: never in the
//     performing par (no interest, not in the fee basis, not in any period's defaults), carried
//     in the OC numerator at par x min(recovery, price) until they recover, `lag` periods after
//     closing (reported as ProjectionResult::defaulted_at_closing);
//   - defaults happen at the start of a period (no interest on them): by default a fraction
//     d = 1 - (1 - CDR)^(months/12) of each performing loan; or, for Monte Carlo, whole loans in
//     the period given by `default_period`;
//   - scheduled principal is the bullet at maturity; prepayments are
//     s = 1 - (1 - CPR)^(months/12) of the performing balance left after it;
//   - a default recovers recovery x par after ceil(lag_months / frequency) periods;
//   - principal proceeds are reinvested during the reinvestment period at the stated price and
//     spread (a new loan maturing term_months later), and pay the notes after it;
//   - each payment date runs the interest then the principal waterfall of the deal;
//   - at legal maturity the remaining collateral is sold at its price and pending recoveries are
//     collected.
// Conservation holds every period: collections + cash brought forward = fees + note interest +
// note principal + equity + reinvestment + cash retained (PeriodResult::unallocated() ~ 0).
//
// Thread-safety: a CloModel is immutable after construction and can be shared by threads; each
// call to project() uses only its own locals.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "keel/clo/deal.h"
#include "keel/clo/migration.h"
#include "keel/clo/quality.h"

namespace keel::clo {

struct Scenario {
  double cdr = 0.02;             // constant annual default rate, decimal
  double cpr = 0.15;             // constant annual prepayment rate, decimal
  double recovery = 0.70;        // fraction of defaulted par recovered
  int recovery_lag_months = 6;   // months from default to recovery
  // Vectors by payment period: entry t is the annual CDR (CPR) of period t, or the recovery of the
  // par defaulting in period t (the first period is 0); the last entry holds for later periods.
  // Empty: the constant above for every period.
  std::vector<double> cdr_path, cpr_path, recovery_path;

  Scenario() = default;
  Scenario(double cdr_, double cpr_, double recovery_, int lag_months)
      : cdr(cdr_), cpr(cpr_), recovery(recovery_), recovery_lag_months(lag_months) {}
  double cdr_at(int period) const { return at(cdr_path, cdr, period); }
  double cpr_at(int period) const { return at(cpr_path, cpr, period); }
  double recovery_at(int period) const { return at(recovery_path, recovery, period); }
  // Every rate and path entry in range (cdr, cpr in [0, 1), recovery in [0, 1], lag >= 0).
  bool valid() const;

 private:
  static double at(const std::vector<double>& path, double constant, int period) {
    if (path.empty()) return constant;
    return path[static_cast<std::size_t>(std::clamp(period, 0, static_cast<int>(path.size()) - 1))];
  }
};

// Period d and s of the method above for a period of `months` months.
double period_rate_from_annual(double annual_rate, double months);

inline constexpr int kNeverDefaults = std::numeric_limits<int>::max();

struct TranchePeriod {
  double interest_due = 0.0;      // current interest of the period, currency
  double interest_paid = 0.0;     // current and past-due interest paid (equity: residual)
  double interest_deferred = 0.0; // capitalised this period (PIK; deferrable classes)
  double interest_shortfall = 0.0;  // unpaid interest carried (non-deferrable classes)
  double principal_paid = 0.0;    // equity: principal-waterfall residual
  double balance = 0.0;           // end of period, including capitalised interest
  double deferred_balance = 0.0;  // part of `balance` that is capitalised interest not yet repaid
};

struct PeriodResult {
  Date date;                       // payment date
  int accrual_days = 0;
  double reference_rate = 0.0;
  double beginning_par = 0.0;      // performing par at the start (fee basis)
  double defaults = 0.0;           // par defaulting this period
  double interest_collections = 0.0;
  double scheduled_principal = 0.0;
  double prepayments = 0.0;
  double recoveries = 0.0;
  double sale_proceeds = 0.0;      // liquidation at legal maturity
  double principal_collections = 0.0;  // scheduled + prepayments + recoveries + sales
  double cash_brought_forward = 0.0;   // cash retained last period
  double taxes_admin_paid = 0.0;
  double senior_fee_paid = 0.0;
  double sub_fee_paid = 0.0;
  double incentive_fee_paid = 0.0;
  double interest_diverted = 0.0;  // interest used to pay notes or buy collateral under tests
  double reinvested = 0.0;         // cash spent on collateral
  double cash_retained = 0.0;      // left in the accounts (no residual step)
  double ending_par = 0.0;         // performing par after the period
  double adjusted_collateral_par = 0.0;  // OC numerator at the determination date
  double defaulted_par = 0.0;            // par of defaulted loans awaiting recovery, end of period
  double defaulted_oc_value = 0.0;       // their OC value: par x min(recovery, price), in the numerator
  double ccc_haircut = 0.0;
  // Performing pool at the determination date (after the period's defaults and repayments,
  // before purchases), with ratings migrated when a RatingPath is given: expected values.
  double warf = 0.0;               // par-weighted Moody's rating factor
  double ccc_share = 0.0;          // Caa1-and-below par / performing par, fraction
  std::vector<TranchePeriod> tranches;
  std::vector<TestResult> tests;   // coverage tests in waterfall order

  // collections + brought forward - all uses; zero up to rounding when cash is conserved.
  double unallocated() const;
};

struct TrancheSummary {
  std::string name;
  double original_balance = 0.0;
  double interest_received = 0.0;
  double principal_received = 0.0;  // all principal paid, including repaid capitalised interest
  // Notes only (equity: 0). Cash paid to a class's balance repays its capitalised (deferred)
  // interest before its original principal, so the balance left at the end splits into
  //   loss            = original principal not repaid, in [0, original_balance];
  //   unpaid_interest = capitalised interest not repaid + unpaid interest shortfall.
  double loss = 0.0;                      // principal loss, currency
  double loss_fraction = 0.0;             // loss / original balance, in [0, 1]
  double unpaid_interest = 0.0;           // currency
  double unpaid_interest_fraction = 0.0;  // unpaid_interest / original balance
  double deferred_interest = 0.0;         // interest capitalised over the life (PIK), currency
  // 1 - PV / original balance, PV = the class's cash flows discounted at its own note rate
  // period by period (prod 1 / (1 + rate_s x dcf_s)): 0 for a note paid as promised, or paid late
  // with interest on what was deferred; NaN for the equity.
  double pv_loss_fraction = 0.0;
  double irr = 0.0;             // annual, act/365, at Tranche::price; NaN when undefined
  double wal_years = 0.0;       // principal-weighted years from closing; NaN with no principal
  int first_loss_period = -1;   // first period (0-based) with an implied writedown; -1 none
};

struct ProjectionResult {
  std::vector<PeriodResult> periods;     // empty unless ProjectionOptions::record_periods
  std::vector<TrancheSummary> tranches;
  double defaulted_at_closing = 0.0;  // par of loans flagged defaulted at closing (not in total_defaults)
  double total_defaults = 0.0;        // par defaulting during the projection
  double total_recoveries = 0.0;
};

struct ProjectionOptions {
  bool record_periods = true;  // false in grids and Monte Carlo: only the summaries
  bool compute_irr = true;     // IRR and WAL per tranche (a root search; skip when not needed)
  bool equity_irr_only = false;  // with compute_irr: only the equity's IRR (Monte Carlo)
};

// An immutable, column-oriented form of a validated Deal (schedule, reference rates per period,
// loan columns and the waterfalls) that projections of many scenarios share.
class CloModel {
 public:
  // Throws keel::Error(invalid_input) listing every problem found by validate_deal.
  explicit CloModel(Deal deal);

  const Deal& deal() const { return deal_; }
  int periods() const { return static_cast<int>(dates_.size()); }
  int loans() const { return static_cast<int>(deal_.collateral.size()); }
  const std::vector<Date>& payment_dates() const { return dates_; }
  // Cumulative years (act/365) from closing to each payment date.
  const std::vector<double>& payment_times() const { return times_; }
  // Months of each accrual period (for CDR/CPR conversion).
  const std::vector<double>& period_months() const { return months_; }

  // Projects the deal. With an empty `default_period` every loan defaults at the CDR fraction
  // each period. Otherwise it has one entry per collateral loan: the 0-based period at whose start
  // the whole loan defaults (kNeverDefaults = never); loans bought by reinvestment then default
  // at the period's realised default rate of the original pool. Throws invalid_input for a
  // scenario outside [0, 1] or a wrongly sized default_period.
  // `ratings` (optional) gives the Caa1-and-below share (and the expected rating factor) of each
  // original loan at each payment date, as rating migration moves it: the CCC excess haircut of
  // the OC numerator and the reported WARF and CCC share follow it; loans bought by reinvestment
  // keep the reinvestment rating. Without it every loan keeps its rating.
  ProjectionResult project(const Scenario& scenario, const ProjectionOptions& options = {},
                           std::span<const int> default_period = {}, const RatingPath* ratings = nullptr) const;

 private:
  friend struct ProjectionRun;
  Deal deal_;
  std::vector<Date> dates_;
  std::vector<int> days_;
  std::vector<double> months_;
  std::vector<double> times_;
  std::vector<double> ref_;         // reference rate per period
  std::vector<double> day_frac_;    // act/360 per period
  std::vector<double> frac_30_360_; // 30/360 per period
  int last_reinvest_period_ = -1;   // last period index whose payment date is <= reinvestment_end
  int reinvest_term_periods_ = 0;
  int months_per_period_ = 3;
  // Loan columns (original collateral).
  std::vector<double> par_, price_, spread_, floor_, coupon_;
  std::vector<unsigned char> fixed_, caa_, defaulted_;
  std::vector<int> maturity_period_;
  std::vector<int> caa_by_price_;   // indexes of Caa loans, ascending price
  std::vector<int> by_price_;       // every slot, ascending price (migrating ratings)
  std::vector<double> factor_;      // Moody's rating factor per slot
  std::vector<WaterfallAction> interest_wf_, principal_wf_;
  int equity_ = -1;
};

}  // namespace keel::clo
