// The descriptions of the requests and results of keel/service/clo.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/clo.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void CloDealSource::fields(V& v, S& s) {
  v.field({.name = "deal_file", .help = "CLO deal file (JSON, docs/clo.md)", .faces = spec::kCli,
           .cli_name = "deal", .required = true},
          s.deal_file);
  v.field({.name = "deal",
           .help = "The deal document (docs/clo.md), collateral inline; free-form here, checked by the deal "
                   "reader with JSON paths",
           .faces = spec::kHttp, .required = true},
          s.deal);
}
KEEL_SPEC_FIELDS(CloDealSource)

template <class V, class S>
void CloScenarioRequest::fields(V& v, S& s) {
  v.field({.name = "scenario",
           .help = "A named scenario of the deal's library (its \"scenarios\"): its rates and vectors, which "
                   "cdr, cpr, recovery and recovery_lag then override"},
          s.name);
  v.field({.name = "cdr", .help = "Annual default rate (default: the deal's scenario, else 0.02)",
           .unit = "decimal", .min = 0, .max = 1},
          s.cdr);
  v.field({.name = "cpr", .help = "Annual prepayment rate (default: the deal's, else 0.15)", .unit = "decimal",
           .min = 0, .max = 1},
          s.cpr);
  v.field({.name = "recovery", .help = "Recovery rate (default: the deal's, else 0.70)", .unit = "decimal",
           .min = 0, .max = 1},
          s.recovery);
  v.field({.name = "recovery_lag", .help = "Months from default to recovery (default: the deal's, else 6)",
           .unit = "months", .min = 0, .max = 600},
          s.recovery_lag_months);
}
KEEL_SPEC_REQUEST_FIELDS(CloScenarioRequest)

template <class V, class S>
void CloMigrationInput::fields(V& v, S& s) {
  v.field({.name = "migration_ratings",
           .help = "Ratings of the annual migration matrix (Moody's or S&P), in the order of its rows and columns",
           .faces = spec::kHttp},
          s.migration_ratings);
  v.field({.name = "migration_annual",
           .help = "Annual migration probabilities: row i from migration_ratings[i] to each rating (rows sum to 1)",
           .unit = "fraction", .faces = spec::kHttp},
          s.migration_annual);
}
KEEL_SPEC_FIELDS(CloMigrationInput)

template <class V, class S>
void CloMarksRequest::fields(V& v, S& s) {
  v.field({.name = "ratings_file", .help = "CSV as_of,obligor,rating (Moody's or S&P): ratings of the pool's obligors",
           .faces = spec::kCli, .cli_name = "ratings"},
          s.ratings_file);
  v.field({.name = "marks_file", .help = "CSV as_of,obligor,price (percent of par): prices of the pool's obligors",
           .faces = spec::kCli, .cli_name = "marks"},
          s.marks_file);
  v.field({.name = "marks_as_of",
           .help = "Determination date of the ratings and marks: the latest of each obligor on or before it applies "
                   "(default: as_of, else the latest date in the files)",
           .faces = spec::kCli, .cli_name = "marks-as-of"},
          s.marks_as_of);
  v.field({.name = "migration_file",
           .help = "CSV annual rating migration matrix (from,<rating>,...; rows sum to 1): ratings migrate over the "
                   "projection",
           .faces = spec::kCli, .cli_name = "migration"},
          s.migration_file);
  v.flatten(s.migration_json);
}
KEEL_SPEC_REQUEST_FIELDS(CloMarksRequest)

template <class V, class S>
void CloPairCorrelationInput::fields(V& v, S& s) {
  v.field({.name = "obligor_a", .help = "An obligor of the pool", .required = true}, s.obligor_a);
  v.field({.name = "obligor_b", .help = "Another obligor of the pool", .required = true}, s.obligor_b);
  v.field({.name = "correlation", .help = "Their asset correlation", .min = -1, .max = 1, .required = true},
          s.correlation);
}
KEEL_SPEC_FIELDS(CloPairCorrelationInput)

template <class V, class S>
void CloMarksApplied::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "Determination date the ratings and prices were taken at (null: none given)"},
          s.as_of);
  v.field({.name = "loans_rated", .help = "Loans whose rating came from a rating mark"}, s.loans_rated);
  v.field({.name = "loans_priced", .help = "Loans whose price came from a price mark"}, s.loans_priced);
  v.field({.name = "unknown_obligors", .help = "Obligors of marks that no loan of the pool has (ignored)"},
          s.unknown_obligors);
  v.field({.name = "migration", .help = "Ratings migrate over the projection (annual matrix)"}, s.migration);
}
KEEL_SPEC_FIELDS(CloMarksApplied)

template <class V, class S>
void CloScenario::fields(V& v, S& s) {
  v.field({.name = "cdr", .help = "Annual default rate (of the first period when it has a vector)",
           .unit = "decimal"},
          s.cdr);
  v.field({.name = "cpr", .help = "Annual prepayment rate", .unit = "decimal"}, s.cpr);
  v.field({.name = "recovery", .help = "Recovery rate", .unit = "decimal"}, s.recovery);
  v.field({.name = "recovery_lag_months", .unit = "months"}, s.recovery_lag_months);
  v.field({.name = "name", .help = "The deal's named scenario run"}, s.name);
  v.field({.name = "cdr_path", .help = "Annual CDR of each payment period (the last holds after)",
           .unit = "decimal"},
          s.cdr_path);
  v.field({.name = "cpr_path", .help = "Annual CPR of each payment period", .unit = "decimal"}, s.cpr_path);
  v.field({.name = "recovery_path", .help = "Recovery of the par defaulting in each payment period",
           .unit = "decimal"},
          s.recovery_path);
}
KEEL_SPEC_FIELDS(CloScenario)

template <class V, class S>
void CloTest::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "value", .help = "The tested ratio or metric (null when undefined)"}, s.value);
  v.field({.name = "threshold", .help = "Limit or trigger"}, s.threshold);
  v.field({.name = "pass"}, s.pass);
  v.field({.name = "bound",
           .help = "min: the value must be at least the threshold (OC, IC, WAS, diversity); max: at most "
                   "(WARF, WAL, CCC share, concentrations)"},
          s.bound);
  v.field({.name = "cushion",
           .help = "How far the value is on the passing side of the threshold, in the value's unit: value - "
                   "threshold for a min test, threshold - value for a max test; negative when failing, null "
                   "when the value is undefined"},
          s.cushion);
  v.field({.name = "subject", .help = "The obligor or industry a concentration rank test measures"}, s.subject);
}
KEEL_SPEC_FIELDS(CloTest)

template <class V, class S>
void CloTranchePeriod::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "interest_due", .unit = "currency"}, s.interest_due);
  v.field({.name = "interest_paid", .unit = "currency"}, s.interest_paid);
  v.field({.name = "interest_deferred", .help = "Capitalised this period (PIK)", .unit = "currency"},
          s.interest_deferred);
  v.field({.name = "interest_shortfall", .help = "Unpaid interest carried", .unit = "currency"},
          s.interest_shortfall);
  v.field({.name = "principal_paid", .help = "Equity: the principal-waterfall residual", .unit = "currency"},
          s.principal_paid);
  v.field({.name = "balance", .help = "End of period, with capitalised interest", .unit = "currency"}, s.balance);
  v.field({.name = "deferred_balance", .help = "Capitalised interest not yet repaid", .unit = "currency"},
          s.deferred_balance);
}
KEEL_SPEC_FIELDS(CloTranchePeriod)

template <class V, class S>
void CloPeriod::fields(V& v, S& s) {
  v.field({.name = "date", .help = "Payment date, YYYY-MM-DD"}, s.date);
  v.field({.name = "accrual_days", .unit = "days"}, s.accrual_days);
  v.field({.name = "reference_rate", .unit = "decimal"}, s.reference_rate);
  v.field({.name = "beginning_par", .help = "Performing par at the start (fee basis)", .unit = "currency"},
          s.beginning_par);
  v.field({.name = "interest_collections", .unit = "currency"}, s.interest_collections);
  v.field({.name = "principal_collections", .help = "scheduled + prepayments + recoveries + sales",
           .unit = "currency"},
          s.principal_collections);
  v.field({.name = "defaults", .help = "Par defaulting this period", .unit = "currency"}, s.defaults);
  v.field({.name = "scheduled_principal", .unit = "currency"}, s.scheduled_principal);
  v.field({.name = "prepayments", .unit = "currency"}, s.prepayments);
  v.field({.name = "recoveries", .unit = "currency"}, s.recoveries);
  v.field({.name = "sale_proceeds", .help = "Liquidation at legal maturity", .unit = "currency"}, s.sale_proceeds);
  v.field({.name = "taxes_admin_paid", .unit = "currency"}, s.taxes_admin_paid);
  v.field({.name = "senior_fee_paid", .unit = "currency"}, s.senior_fee_paid);
  v.field({.name = "sub_fee_paid", .unit = "currency"}, s.sub_fee_paid);
  v.field({.name = "incentive_fee_paid", .unit = "currency"}, s.incentive_fee_paid);
  v.field({.name = "interest_diverted", .help = "Interest used to cure tests", .unit = "currency"},
          s.interest_diverted);
  v.field({.name = "reinvested", .help = "Cash spent on collateral", .unit = "currency"}, s.reinvested);
  v.field({.name = "cash_retained", .unit = "currency"}, s.cash_retained);
  v.field({.name = "ending_par", .help = "Performing par after the period", .unit = "currency"}, s.ending_par);
  v.field({.name = "adjusted_collateral_par", .help = "OC numerator", .unit = "currency"},
          s.adjusted_collateral_par);
  v.field({.name = "defaulted_par", .help = "Defaulted par awaiting recovery", .unit = "currency"},
          s.defaulted_par);
  v.field({.name = "defaulted_oc_value", .help = "par x min(recovery, price)", .unit = "currency"},
          s.defaulted_oc_value);
  v.field({.name = "ccc_haircut", .unit = "currency"}, s.ccc_haircut);
  v.field({.name = "warf",
           .help = "Performing pool's weighted average rating factor at the determination date (expected, with "
                   "migration)"},
          s.warf);
  v.field({.name = "ccc_share", .help = "Caa1-and-below share of the performing pool (expected, with migration)",
           .unit = "fraction"},
          s.ccc_share);
  v.field({.name = "unallocated", .help = "Cash not accounted for by the waterfall (0 when it balances)",
           .unit = "currency"},
          s.unallocated);
  v.field({.name = "tranches"}, s.tranches);
  v.field({.name = "tests", .help = "Coverage tests in waterfall order"}, s.tests);
}
KEEL_SPEC_FIELDS(CloPeriod)

template <class V, class S>
void CloTrancheMetrics::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "original_balance", .unit = "currency"}, s.original_balance);
  v.field({.name = "irr", .help = "At the tranche's price, act/365 (null when undefined)", .unit = "annual decimal"},
          s.irr);
  v.field({.name = "wal", .help = "Weighted average life from closing", .unit = "years"}, s.wal);
  v.field({.name = "loss", .help = "Principal loss over the original balance (= loss_pct)", .unit = "fraction"},
          s.loss);
  v.field({.name = "loss_pct", .help = "Principal loss over the original balance", .unit = "fraction"},
          s.loss_pct);
  v.field({.name = "principal_loss", .unit = "currency"}, s.principal_loss);
  v.field({.name = "unpaid_interest", .help = "Capitalised and unpaid interest left", .unit = "currency"},
          s.unpaid_interest);
  v.field({.name = "unpaid_interest_pct", .unit = "fraction of the original balance"}, s.unpaid_interest_pct);
  v.field({.name = "deferred_interest", .help = "Interest capitalised over the life (PIK)", .unit = "currency"},
          s.deferred_interest);
  v.field({.name = "pv_loss_pct", .help = "Loss of present value at the note's own rate", .unit = "fraction"},
          s.pv_loss_pct);
  v.field({.name = "first_loss_period", .help = "First period (0-based) with a writedown, null for none"},
          s.first_loss_period);
  v.field({.name = "first_loss_date", .help = "Its payment date, null for none"}, s.first_loss_date);
  v.field({.name = "interest_received", .unit = "currency"}, s.interest_received);
  v.field({.name = "principal_received", .unit = "currency"}, s.principal_received);
}
KEEL_SPEC_FIELDS(CloTrancheMetrics)

template <class V, class S>
void CloRunRequest::fields(V& v, S& s) {
  v.flatten(s.source);
  v.flatten(s.scenario);
  v.flatten(s.marks);
}
KEEL_SPEC_REQUEST_FIELDS(CloRunRequest)

template <class V, class S>
void CloRunResult::fields(V& v, S& s) {
  v.field({.name = "deal", .help = "Deal name"}, s.deal);
  v.field({.name = "scenario", .help = "The scenario run"}, s.scenario);
  v.field({.name = "defaulted_at_closing", .help = "Par flagged defaulted at closing", .unit = "currency"},
          s.defaulted_at_closing);
  v.field({.name = "total_defaults", .unit = "currency"}, s.total_defaults);
  v.field({.name = "total_recoveries", .unit = "currency"}, s.total_recoveries);
  v.field({.name = "periods"}, s.periods);
  v.field({.name = "tranches"}, s.tranches);
  v.field({.name = "marks", .help = "Ratings, prices and migration applied (when given)"}, s.marks);
  v.field({.name = "warnings",
           .help = "What reading the deal and its files noticed (a cut last line, unknown obligors)"},
          s.warnings);
}
KEEL_SPEC_FIELDS(CloRunResult)

template <class V, class S>
void CloTestsRequest::fields(V& v, S& s) {
  v.flatten(s.source);
  v.flatten(s.scenario);
  v.field({.name = "as_of",
           .help = "Date of the quality tests (default: the date of the ratings and marks when given, else the "
                   "closing date)"},
          s.as_of);
  v.flatten(s.marks);
}
KEEL_SPEC_REQUEST_FIELDS(CloTestsRequest)

template <class V, class S>
void CloConcentration::fields(V& v, S& s) {
  v.field({.name = "name", .help = "Obligor or industry"}, s.name);
  v.field({.name = "par", .unit = "currency"}, s.par);
  v.field({.name = "share", .unit = "fraction of performing par"}, s.share);
}
KEEL_SPEC_FIELDS(CloConcentration)

template <class V, class S>
void CloBucket::fields(V& v, S& s) {
  v.field({.name = "bucket", .help = "second_lien, cov_lite, fixed_rate, non_domestic, revolver or dip"}, s.bucket);
  v.field({.name = "par", .help = "Par in the bucket (par + unfunded commitment for revolver)", .unit = "currency"},
          s.par);
  v.field({.name = "share", .unit = "fraction of performing par"}, s.share);
  v.field({.name = "loans"}, s.loans);
  v.field({.name = "limit", .help = "The deal's maximum share (absent: not limited)", .unit = "fraction"}, s.limit);
}
KEEL_SPEC_FIELDS(CloBucket)

template <class V, class S>
void CloQualityMetrics::fields(V& v, S& s) {
  v.field({.name = "performing_par", .unit = "currency"}, s.performing_par);
  v.field({.name = "warf", .help = "Weighted average rating factor"}, s.warf);
  v.field({.name = "was", .help = "Weighted average spread", .unit = "decimal per year"}, s.was);
  v.field({.name = "wal_years", .unit = "years"}, s.wal_years);
  v.field({.name = "diversity_score"}, s.diversity_score);
  v.field({.name = "ccc_share", .unit = "fraction of performing par"}, s.ccc_share);
  v.field({.name = "max_obligor"}, s.max_obligor);
  v.field({.name = "max_obligor_share", .unit = "fraction"}, s.max_obligor_share);
  v.field({.name = "max_industry"}, s.max_industry);
  v.field({.name = "max_industry_share", .unit = "fraction"}, s.max_industry_share);
  v.field({.name = "loans", .help = "Performing loans"}, s.loans);
  v.field({.name = "obligors", .help = "Obligors of the performing loans"}, s.obligors);
  v.field({.name = "unfunded", .help = "Undrawn commitments of revolvers and delayed-draw loans", .unit = "currency"},
          s.unfunded);
  v.field({.name = "defaulted_par", .unit = "currency"}, s.defaulted_par);
  v.field({.name = "caa_par", .help = "Par rated Caa1 or below", .unit = "currency"}, s.caa_par);
  v.field({.name = "caa_excess_par", .help = "Caa par above the deal's excess threshold", .unit = "currency"},
          s.caa_excess_par);
  v.field({.name = "caa_haircut",
           .help = "The OC numerator's haircut: the excess carried at market value, cheapest first",
           .unit = "currency"},
          s.caa_haircut);
  v.field({.name = "top_obligors", .help = "The 10 largest obligors"}, s.top_obligors);
  v.field({.name = "top_industries", .help = "The 10 largest industries"}, s.top_industries);
  v.field({.name = "buckets", .help = "Second lien, cov-lite, fixed rate, non-domestic, revolver and DIP"},
          s.buckets);
}
KEEL_SPEC_FIELDS(CloQualityMetrics)

template <class V, class S>
void CloCoverage::fields(V& v, S& s) {
  v.field({.name = "date",
           .help = "The date of the OC and interest diversion tests: the as-of date, on its own pool and note "
                   "balances"},
          s.date);
  v.field({.name = "tests", .help = "OC (and interest diversion) at the date, then IC of the first payment date"},
          s.tests);
  v.field({.name = "ic_date",
           .help = "The payment date of the IC tests: the first, projected under the scenario (null: none)"},
          s.ic_date);
}
KEEL_SPEC_FIELDS(CloCoverage)

template <class V, class S>
void CloTestsResult::fields(V& v, S& s) {
  v.field({.name = "deal"}, s.deal);
  v.field({.name = "as_of", .help = "Date of the quality tests"}, s.as_of);
  v.field({.name = "scenario"}, s.scenario);
  v.field({.name = "metrics"}, s.metrics);
  v.field({.name = "quality", .help = "Collateral quality tests against the deal's limits"}, s.quality);
  v.field({.name = "coverage",
           .help = "OC and interest diversion tests at as_of on its own balances; IC tests of the first payment "
                   "date under the scenario"},
          s.coverage);
  v.field({.name = "marks", .help = "Ratings, prices and migration applied (when given)"}, s.marks);
  v.field({.name = "warnings",
           .help = "What reading the deal and its files noticed (a cut last line, unknown obligors)"},
          s.warnings);
}
KEEL_SPEC_FIELDS(CloTestsResult)

template <class V, class S>
void CloGridRequest::fields(V& v, S& s) {
  v.flatten(s.source);
  clo_grid_axes(v, s);
  v.flatten(s.marks);
}
KEEL_SPEC_REQUEST_FIELDS(CloGridRequest)

template <class V, class S>
void CloGridPoint::fields(V& v, S& s) {
  v.field({.name = "name", .help = "The named scenario of the point (scenario_names)"}, s.name);
  v.field({.name = "cdr", .unit = "decimal"}, s.cdr);
  v.field({.name = "cpr", .unit = "decimal"}, s.cpr);
  v.field({.name = "recovery", .unit = "decimal"}, s.recovery);
  v.field({.name = "tranches"}, s.tranches);
}
KEEL_SPEC_FIELDS(CloGridPoint)

template <class V, class S>
void CloGridResult::fields(V& v, S& s) {
  v.field({.name = "deal"}, s.deal);
  v.field({.name = "recovery_lag_months", .unit = "months"}, s.recovery_lag_months);
  v.field({.name = "points", .help = "Scenarios in the grid"}, s.points);
  v.field({.name = "scenarios", .help = "In CDR, CPR, recovery order"}, s.scenarios);
  v.field({.name = "marks", .help = "Ratings, prices and migration applied (when given)"}, s.marks);
  v.field({.name = "warnings",
           .help = "What reading the deal and its files noticed (a cut last line, unknown obligors)"},
          s.warnings);
}
KEEL_SPEC_FIELDS(CloGridResult)

template <class V, class S>
void CloMonteCarloRequest::fields(V& v, S& s) {
  v.flatten(s.source);
  v.flatten(s.scenario);
  clo_montecarlo_settings(v, s);
  v.field({.name = "industry_correlation_file",
           .help = "CSV industry asset-correlation matrix (replaces correlation)", .faces = spec::kCli,
           .cli_name = "industry-correlation"},
          s.industry_correlation_file);
  v.field({.name = "pair_correlation_file",
           .help = "CSV obligor_a,obligor_b,correlation: asset correlations of obligor pairs over the base model",
           .faces = spec::kCli, .cli_name = "pair-correlation"},
          s.pair_correlation_file);
  v.field({.name = "pair_correlations",
           .help = "Asset correlations of obligor pairs over the base model (as the pair correlation file's rows)",
           .faces = spec::kHttp},
          s.pair_correlations);
  v.flatten(s.marks);
}
KEEL_SPEC_REQUEST_FIELDS(CloMonteCarloRequest)

template <class V, class S>
void CloLossHistogram::fields(V& v, S& s) {
  v.field({.name = "edges", .help = "Bin edges, ascending: one more than counts", .unit = "fraction"}, s.edges);
  v.field({.name = "counts", .help = "Scenarios per bin [edge i, edge i+1), the last bin closed"}, s.counts);
  v.field({.name = "total", .help = "Scenarios the counts are of"}, s.total);
}
KEEL_SPEC_FIELDS(CloLossHistogram)

template <class V, class S>
void CloMonteCarloTranche::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "original_balance", .unit = "currency"}, s.original_balance);
  v.field({.name = "expected_loss", .help = "Mean principal loss", .unit = "currency"}, s.expected_loss);
  v.field({.name = "expected_loss_pct", .unit = "fraction of the original balance"}, s.expected_loss_pct);
  v.field({.name = "pd", .help = "Probability of any principal loss", .unit = "fraction"}, s.pd);
  v.field({.name = "var_pct", .help = "Loss quantile at the confidence", .unit = "fraction"}, s.var_pct);
  v.field({.name = "es_pct", .help = "Mean loss beyond var_pct", .unit = "fraction"}, s.es_pct);
  v.field({.name = "var", .unit = "currency"}, s.var);
  v.field({.name = "es", .unit = "currency"}, s.es);
  v.field({.name = "p50_pct", .unit = "fraction"}, s.p50_pct);
  v.field({.name = "p90_pct", .unit = "fraction"}, s.p90_pct);
  v.field({.name = "expected_unpaid_interest", .unit = "currency"}, s.expected_unpaid_interest);
  v.field({.name = "expected_unpaid_interest_pct", .unit = "fraction"}, s.expected_unpaid_interest_pct);
  v.field({.name = "expected_pv_loss_pct", .unit = "fraction"}, s.expected_pv_loss_pct);
  v.field({.name = "histogram", .help = "The loss distribution (with histogram_bins)"}, s.histogram);
}
KEEL_SPEC_FIELDS(CloMonteCarloTranche)

template <class V, class S>
void CloEquityIrr::fields(V& v, S& s) {
  v.field({.name = "mean", .unit = "annual decimal"}, s.mean);
  v.field({.name = "p5", .unit = "annual decimal"}, s.p5);
  v.field({.name = "p50", .unit = "annual decimal"}, s.p50);
  v.field({.name = "p95", .unit = "annual decimal"}, s.p95);
}
KEEL_SPEC_FIELDS(CloEquityIrr)

template <class V, class S>
void CloMonteCarloResult::fields(V& v, S& s) {
  v.field({.name = "deal"}, s.deal);
  v.field({.name = "scenario", .help = "The base scenario"}, s.scenario);
  v.field({.name = "scenarios"}, s.scenarios);
  v.field({.name = "seed"}, s.seed);
  v.field({.name = "copula", .help = "one_factor or industry_matrix"}, s.copula);
  v.field({.name = "correlation", .help = "One-factor asset correlation (null with an industry matrix)"},
          s.correlation);
  v.field({.name = "confidence", .unit = "fraction"}, s.confidence);
  v.field({.name = "mean_default_pct", .help = "Mean cumulative defaults", .unit = "fraction of initial par"},
          s.mean_default_pct);
  v.field({.name = "tranches", .help = "Principal-loss distribution per tranche"}, s.tranches);
  v.field({.name = "equity_irr"}, s.equity_irr);
  v.field({.name = "pair_overrides", .help = "Obligor pairs whose correlation overrides the base model"},
          s.pair_overrides);
  v.field({.name = "marks", .help = "Ratings, prices and migration applied (when given)"}, s.marks);
  v.field({.name = "warnings",
           .help = "What reading the deal and its files noticed (a cut last line, unknown obligors)"},
          s.warnings);
}
KEEL_SPEC_FIELDS(CloMonteCarloResult)

}  // namespace keel::service
