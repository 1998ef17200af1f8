// keel/alm/irrbb.h: Economic Value of Equity, Net Interest Income and repricing gap of a bank's
// banking book under the supervisory interest-rate shocks (IRRBB).
//
// One call, `run_irrbb`, projects every position's cash flows once per scenario and returns, per
// currency and aggregated:
// - EVE (BCBS 368; EBA/GL/2022/14): run-off balance sheet, every future cash
//   flow (principal + interest) discounted at the scenario's continuously compounded zero rate
//   at its payment date, DF = exp(-z_s(t) t), t = act/365 from the as-of date; assets minus
//   liabilities. dEVE_s = EVE_s - EVE_base (negative = loss). The standardised variant
//   (BCBS 368 Annex 2, 19 buckets discounted at their midpoints) is reported too.
// - NII (EBA/GL/2022/14; Delegated Regulation (EU) 2024/856, NII assumptions): interest
//   income minus interest expense accrued over the next `nii_horizon_months` (12) under the base
//   curve and instantaneous parallel up/down shocks, constant balance sheet: principal that is
//   repaid within the horizon is renewed like-for-like (same side, rate type, spread, reset
//   frequency) at the scenario rate plus the original margin, and kept to the horizon. Monthly
//   breakdown, exact per reset segment.
// - Repricing gap (BCBS 368 Annex 2 Table 2 buckets): fixed-rate principal in the bucket of its
//   repayment date, floating principal in the bucket of its next reset date; assets,
//   liabilities, gap and cumulative gap.
// - Supervisory outlier tests: worst dEVE decline > 15 % of Tier 1, worst dNII decline > 5 % of
//   Tier 1 (CRD Article 98(5); Delegated Regulation (EU) 2024/856, "large decline").
//
// Cash-flow model (docs/alm.md): payment dates generated backward from maturity every
// `payment_months` (QuantLib's DateGeneration::Backward, unadjusted dates clamped to month end),
// adjusted Modified Following on the position's calendar (QuantLib calendars); interest accrues
// on the adjusted dates with the position's day count. Floating coupons are projected from the
// scenario's simple forward rate over each reset period, F = (DF(r_j)/DF(r_j+1) - 1)/tau, plus
// spread, clamped to floor/cap, and accrue per reset segment.
//
// Aggregation across currencies (Delegated Regulation (EU) 2024/856, EVE assumptions):
// per scenario, losses in each currency count in full and gains at `gain_weight` (0.5), converted
// with `fx_rates` (reporting-currency units per unit of the currency).
//
// Failure: throws keel::Error(invalid_input) with one detail per bad position or currency
// (maturity before start or as-of, no curve for a currency, a curve too short for the book, no
// shock sizes for a currency). Deterministic: results do not depend on the number of threads.
// Thread-safety: pure; safe to call concurrently.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/alm/balance_sheet.h"
#include "keel/alm/shocks.h"
#include "keel/core/date.h"
#include "keel/portfolio/curve.h"

namespace keel::alm {

struct AlmOptions {
  Date as_of;                                   // valuation date (required)
  std::string reporting_currency = "USD";       // aggregated results are in this currency
  std::map<std::string, double> fx_rates;       // reporting units per unit of currency; reporting = 1
  int nii_horizon_months = 12;                  // NII horizon
  // NII periods: false, months from the as-of date (01-15 to 02-15, ...); true, calendar months
  // (a stub from the as-of date to the 1st of the next month, whole months, a stub to the horizon's
  // end): one period more when the as-of date is not a 1st. The horizon and the NII are the same.
  bool nii_calendar_months = false;
  double gain_weight = 0.5;                     // weight of gains in the aggregation (EU: 0.5; BCBS: 0)
  double eve_outlier_threshold = 0.15;          // SOT: dEVE decline / Tier 1
  double nii_outlier_threshold = 0.05;          // NII outlier: dNII decline / Tier 1
  std::optional<double> tier1;                  // Tier 1 capital in the reporting currency
  double max_extrapolation_years = 1.0;         // flat extrapolation allowed past the last tenor
  bool apply_floor = true;                      // post-shock floor (Delegated Reg. 2024/856)
  bool run_nii = true;                          // false: skip the NII accruals (EVE and gap only)
  std::vector<Scenario> custom_scenarios;       // EVE only; sizes/kind kCustom
};

// Market inputs: one zero curve per currency and the shock sizes.
struct AlmMarket {
  std::map<std::string, ZeroCurve> curves;  // by currency code
  ShockTable shocks;
};

// The NII periods' boundaries, as_of first and the horizon's end last (periods = size - 1): months
// from the as-of date, or calendar months (AlmOptions::nii_calendar_months).
std::vector<Date> nii_period_bounds(const AlmOptions& options);

struct EveScenarioResult {
  std::string name;
  double eve = 0.0;           // assets - liabilities
  double delta = 0.0;         // eve - base eve (aggregated: plain sum over currencies)
  double delta_regulatory = 0.0;  // losses in full, gains x gain_weight, summed over currencies
  double assets = 0.0;        // PV of asset cash flows
  double liabilities = 0.0;   // PV of liability cash flows
  double eve_standardised = 0.0;  // 19-bucket midpoint discounting
};

struct NiiScenarioResult {
  std::string name;
  double nii = 0.0;
  double delta = 0.0;
  double delta_regulatory = 0.0;  // losses in full, gains x gain_weight, summed over currencies
  double income = 0.0;   // asset interest
  double expense = 0.0;  // liability interest
  std::vector<double> monthly;  // nii per month of the horizon
};

struct GapBucket {
  std::string name;
  double from_years = 0.0;
  double to_years = 0.0;
  double midpoint_years = 0.0;
  double assets = 0.0;
  double liabilities = 0.0;
  double gap = 0.0;
  double cumulative_gap = 0.0;
};

struct OutlierTest {
  std::optional<double> tier1;
  std::optional<double> ratio;    // decline / tier1 (positive = decline)
  std::optional<bool> outlier;    // ratio > threshold
  double threshold = 0.0;
};

struct CurrencyResult {
  std::string currency;
  std::size_t positions = 0;
  double fx_rate = 1.0;  // to the reporting currency
  EveScenarioResult eve_base;
  std::vector<EveScenarioResult> eve;  // six supervisory + custom, in order
  NiiScenarioResult nii_base;
  std::vector<NiiScenarioResult> nii;  // parallel_up, parallel_down
  std::array<GapBucket, kBucketCount> gap{};
};

struct AlmResult {
  Date as_of;
  std::string reporting_currency;
  std::size_t positions = 0;
  std::vector<CurrencyResult> currencies;
  // Aggregated over currencies in the reporting currency.
  EveScenarioResult eve_base;
  std::vector<EveScenarioResult> eve;
  std::string eve_worst;          // scenario with the most negative delta_regulatory
  double eve_worst_delta = 0.0;
  OutlierTest sot;
  NiiScenarioResult nii_base;
  std::vector<NiiScenarioResult> nii;
  std::string nii_worst;
  double nii_worst_delta = 0.0;
  OutlierTest nii_test;
  std::vector<Date> nii_month_starts;  // first day of each NII period (month)
  Date nii_horizon_end;                // the day after the last period
  int nii_horizon_months = 12;
  bool nii_calendar_months = false;
  std::array<GapBucket, kBucketCount> gap{};
};

AlmResult run_irrbb(const BalanceSheet& book, const AlmMarket& market, const AlmOptions& options);

// Checks a balance sheet against the as-of date and market without computing anything: every
// problem as "where: message" (empty = fine). run_irrbb calls it and throws with these details.
std::vector<std::string> validate(const BalanceSheet& book, const AlmMarket& market,
                                  const AlmOptions& options);

// One position's projected cash flows under one scenario (inspection, tests, docs): payment
// date, principal, interest, the discount factor and the scenario's coupon of the last segment.
struct CashFlow {
  Date date;
  double principal = 0.0;
  double interest = 0.0;
  double discount = 0.0;
  double coupon_rate = 0.0;  // rate of the last accrual segment of the period
};
std::vector<CashFlow> project_cash_flows(const BalanceSheet& book, std::size_t position,
                                         const AlmMarket& market, const AlmOptions& options,
                                         const Scenario& scenario);

}  // namespace keel::alm
