// keel/clo/quality.h: collateral quality and concentration tests of a CLO pool at a date.
//
// Definitions follow US BSL CLO indentures and Moody's CLO methodology (docs/clo.md):
//   WARF   = sum(par_i * RF_i) / sum(par_i) over performing loans, RF from keel/clo/rating.h;
//   WAS    = sum(par_i * spread_i) / sum(par_i) over performing floating loans (no floor benefit);
//   WAL    = sum(par_i * years_i) / sum(par_i), years_i = act/365 from the date to maturity;
//   diversity score: Moody's method. Average par = total par / number of obligors; each obligor
//            counts min(1, obligor par / average par) units; units are summed by industry and each
//            industry sum is mapped through Moody's industry diversity table (0..4, piecewise
//            linear between 1->1, 2->1.5, 3->2, 4->2.333, 5->2.667, 6->3, 7->3.25, 10->4,
//            with the sum rounded to the table's 0.1 steps; 4.0 above 10);
//   CCC share = par rated Caa1 or below / performing par;
//   obligor / industry concentration = largest obligor / industry par over performing par;
//   rank schedules: the k-th largest obligor (industry) share against the k-th limit of the deal's
//            schedule, the schedule's last limit for every later rank;
//   top-N obligors = the N largest obligors' par together over performing par;
//   buckets = par of the loans in the bucket over performing par: second lien (lien other than
//            first), covenant-lite, fixed rate, non-domestic (a country given and not one of the
//            deal's domestic countries), DIP; the revolver bucket is par + unfunded commitment of
//            the loans with an unfunded commitment over performing par;
//   Caa excess = max(0, Caa par - ccc_excess_threshold x performing par), carried at market value
//            in the OC numerator: the haircut is ccc_haircut below over the pool's prices.
// Defaulted loans are excluded from every measure (they are not collateral principal).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/clo/deal.h"

namespace keel::clo {

struct Concentration {
  std::string name;  // obligor or industry
  double par = 0.0;
  double share = 0.0;  // fraction of performing par
};

enum class Bucket { kSecondLien, kCovLite, kFixedRate, kNonDomestic, kRevolver, kDip };
inline constexpr Bucket kBuckets[] = {Bucket::kSecondLien, Bucket::kCovLite,  Bucket::kFixedRate,
                                      Bucket::kNonDomestic, Bucket::kRevolver, Bucket::kDip};
// "second_lien", "cov_lite", "fixed_rate", "non_domestic", "revolver", "dip": the deal file's keys.
const char* bucket_key(Bucket b);
// The deal's maximum share for bucket `b` (absent: not limited).
const std::optional<double>& bucket_limit(const QualityLimits& limits, Bucket b);

struct BucketShare {
  Bucket bucket = Bucket::kSecondLien;
  double par = 0.0;  // par in the bucket (par + unfunded for the revolver bucket)
  double share = 0.0;  // fraction of performing par
  std::size_t loans = 0;
};

struct QualityMetrics {
  double performing_par = 0.0;
  double warf = 0.0;
  double was = 0.0;           // decimal per year
  double wal_years = 0.0;
  double diversity_score = 0.0;
  double ccc_share = 0.0;     // fraction of performing par
  double max_obligor_share = 0.0;
  std::string max_obligor;
  double max_industry_share = 0.0;
  std::string max_industry;
  std::vector<Concentration> obligors;    // every obligor, largest first (ties by name)
  std::vector<Concentration> industries;  // every industry, largest first (ties by name)
  std::vector<BucketShare> buckets;       // one per Bucket, in kBuckets order
  double unfunded = 0.0;                  // undrawn commitments of the performing loans
  double caa_par = 0.0;
  double caa_excess_par = 0.0;            // Caa par above the excess threshold
  double caa_haircut = 0.0;               // the OC numerator's haircut of that excess, currency
  std::size_t loans = 0;                  // performing loans
  std::size_t defaulted_loans = 0;
  double defaulted_par = 0.0;
};

struct TestResult {
  std::string name;
  double value = 0.0;
  double threshold = 0.0;
  bool pass = true;
  bool maximum = false;  // the threshold is a maximum (WARF, WAL, CCC, concentrations), else a minimum
  std::string subject;   // the obligor or industry a rank test measures; empty otherwise
};

// Returns the metrics of the performing loans of `pool` on `as_of`. An empty pool gives zeros.
// `ccc_excess_threshold` is the deal's (QualityLimits), for the Caa excess and its haircut.
QualityMetrics collateral_quality(std::span<const Loan> pool, Date as_of, const QualityLimits& limits = {});

// Moody's industry diversity score for an aggregate industry equivalent unit score (>= 0).
double industry_diversity_score(double units);

// The quality tests that have a limit in `limits` (absent limits are skipped), in the order
// WARF, WAS, WAL, diversity, CCC, obligor, industry, then the obligor rank schedule ("Obligor
// rank 1" ...), the industry rank schedule, top-N obligors, and the buckets in kBuckets order
// ("Second lien share", "Cov-lite share", "Fixed rate share", "Non-domestic share", "Revolver
// share", "DIP share").
std::vector<TestResult> quality_tests(const QualityMetrics& m, const QualityLimits& limits);

// The over-collateralisation tests on a determination date, on that date's own balances: the
// pool as it stands (`m`, collateral_quality of it) and the notes' balances in the deal. OC
// numerator (the Adjusted Collateral Principal Amount) = performing par - the Caa excess haircut
// (m.caa_haircut) + defaulted par x min(recovery, price) + the principal account
// (deal.principal_cash); each note with an OC trigger is tested on the balances of the notes up to
// and including it ("A OC"), and during the reinvestment period (as_of on or before its end) the
// interest diversion class too ("E Interest Diversion"). `recovery` is the scenario's recovery rate.
std::vector<TestResult> oc_tests_at(const Deal& deal, const QualityMetrics& m, Date as_of, double recovery);
// The OC numerator above.
double adjusted_collateral_par(const Deal& deal, const QualityMetrics& m, double recovery);

// CCC/Caa excess haircut of the OC numerator (indenture "Adjusted Collateral Principal Amount"):
// excess = max(0, Caa par - threshold * performing par); the excess is taken from the Caa loans in
// ascending order of price and each part is carried at market value, so the haircut is
// sum over the excess of par_j * (1 - price_j). `par` are current performing balances; loans
// with is_caa false are ignored. Returns the haircut in currency (>= 0).
double ccc_haircut(std::span<const double> par, std::span<const double> price,
                   std::span<const bool> is_caa, double threshold);

}  // namespace keel::clo
