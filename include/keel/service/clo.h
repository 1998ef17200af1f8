// keel/service/clo.h: CLO use cases shared by `keel clo run|tests|grid|montecarlo` and the HTTP
// API: load a deal (a file on the command line, the JSON document inline over HTTP), resolve the
// scenario (request > the deal's "scenario" block > engine defaults), run the engine and return a
// typed result. Requests and results are described structs (keel/service/spec.h): the CLI flags,
// the HTTP body, the JSON and the OpenAPI schemas come from their `fields`; docs/clo.md explains
// each figure. IRR, WAL and other figures undefined for an input are written as null.
//
// Thread-safety: functions are independent; the engine parallelises grids and Monte Carlo.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/clo/migration.h"
#include "keel/clo/simulation.h"
#include "keel/core/date.h"
#include "keel/io/clo_deal_reader.h"
#include "keel/service/admission.h"
#include "keel/service/context.h"
#include "keel/service/spec.h"

namespace keel::service {

// The deal: a file (CLI; its collateral may be a CSV next to it) or the JSON document inline
// (HTTP; its collateral inline too: a request can never name a server file).
struct CloDealSource {
  std::optional<std::string> deal_file;
  std::optional<nlohmann::json> deal;
  std::optional<io::CloDealFile> parsed;  // not described: a deal already read (Python, tests)

  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "deal_file", .help = "CLO deal file (JSON, docs/clo.md)", .faces = spec::kCli,
             .cli_name = "deal", .required = true},
            s.deal_file);
    v.field({.name = "deal",
             .help = "The deal document (docs/clo.md), collateral inline; free-form here, checked by the deal "
                     "reader with JSON paths",
             .faces = spec::kHttp, .required = true},
            s.deal);
  }
};

// Scenario overrides (decimals; lag in months).
struct CloScenarioRequest {
  std::optional<std::string> name;  // a scenario of the deal's library, the base of the values below
  std::optional<double> cdr;
  std::optional<double> cpr;
  std::optional<double> recovery;
  std::optional<int> recovery_lag_months;

  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// The annual rating migration matrix as JSON (HTTP, Python): its ratings in row and column order,
// and the probabilities row by row; read as the migration file is, so the same checks apply.
struct CloMigrationInput {
  std::vector<std::string> migration_ratings;
  std::vector<std::vector<double>> migration_annual;

  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "migration_ratings",
             .help = "Ratings of the annual migration matrix (Moody's or S&P), in the order of its rows and columns",
             .faces = spec::kHttp},
            s.migration_ratings);
    v.field({.name = "migration_annual",
             .help = "Annual migration probabilities: row i from migration_ratings[i] to each rating (rows sum to 1)",
             .unit = "fraction", .faces = spec::kHttp},
            s.migration_annual);
  }
};

// Dated files that move the pool (docs/clo.md, "Ratings, prices and migration"): each loan takes
// the latest rating and price of its obligor dated on or before `marks_as_of`; an annual rating
// migration matrix moves ratings over the projection (grid: the expected path; Monte Carlo:
// sampled per obligor).
struct CloMarksRequest {
  std::optional<std::string> ratings_file;
  std::optional<std::string> marks_file;
  std::optional<Date> marks_as_of;
  std::optional<std::string> migration_file;
  CloMigrationInput migration_json;  // or the matrix as JSON
  // Not described: files already read (Python, tests).
  std::vector<clo::RatingMark> ratings;
  std::vector<clo::PriceMark> marks;
  std::optional<clo::MigrationMatrix> migration;

  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// One obligor pair's asset correlation over the base model (HTTP's pair_correlations).
struct CloPairCorrelationInput {
  std::string obligor_a;
  std::string obligor_b;
  double correlation = 0.0;

  static constexpr const char* kSchemaName = "CloPairCorrelation";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "obligor_a", .help = "An obligor of the pool", .required = true}, s.obligor_a);
    v.field({.name = "obligor_b", .help = "Another obligor of the pool", .required = true}, s.obligor_b);
    v.field({.name = "correlation", .help = "Their asset correlation", .min = -1, .max = 1, .required = true},
            s.correlation);
  }
};

// What the marks changed (present in a result only when ratings, marks or a migration were given).
struct CloMarksApplied {
  spec::Nullable<std::string> as_of;  // null without ratings or marks
  int loans_rated = 0;
  int loans_priced = 0;
  std::vector<std::string> unknown_obligors;
  bool migration = false;

  static constexpr const char* kSchemaName = "CloMarksApplied";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Determination date the ratings and prices were taken at (null: none given)"},
            s.as_of);
    v.field({.name = "loans_rated", .help = "Loans whose rating came from a rating mark"}, s.loans_rated);
    v.field({.name = "loans_priced", .help = "Loans whose price came from a price mark"}, s.loans_priced);
    v.field({.name = "unknown_obligors", .help = "Obligors of marks that no loan of the pool has (ignored)"},
            s.unknown_obligors);
    v.field({.name = "migration", .help = "Ratings migrate over the projection (annual matrix)"}, s.migration);
  }
};

// The scenario to run: each field from `request`, else from the deal file, else the defaults of
// keel::clo::Scenario (CDR 2%, CPR 15%, recovery 70%, lag 6 months).
clo::Scenario resolve_scenario(const io::CloDealFile& file, const CloScenarioRequest& request);
// The deal's library scenario `name`. Error::invalid_input naming the scenarios it has.
const clo::Scenario& named_scenario(const io::CloDealFile& file, const std::string& name);

// A deal document sent as JSON (HTTP, or a stored deal) may not name a file: the problem when its
// reference-rate curve is a file name ("reference_rate.curve: ..."), else nullopt. (The reader
// opens such a path itself, without the Env, so it is refused before parsing.)
std::optional<std::string> inline_deal_names_a_file(const nlohmann::json& deal);

// The deal of a request, read through the Context's Env (a file) or parsed from the inline
// document. Throws invalid_input naming the problems (deal.collateral must be inline over HTTP).
io::CloDealFile load_clo_deal(const Context& cx, const CloDealSource& source);

struct CloScenario {
  double cdr = 0.0;
  double cpr = 0.0;
  double recovery = 0.0;
  int recovery_lag_months = 0;
  std::optional<std::string> name;  // the library's scenario run (absent: the deal's or the request's rates)
  std::optional<std::vector<double>> cdr_path, cpr_path, recovery_path;

  static constexpr const char* kSchemaName = "CloScenario";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct CloTest {
  std::string name;
  double value = 0.0;  // NaN (null) when undefined
  double threshold = 0.0;
  bool pass = true;
  std::string bound = "min";  // min: value must reach the threshold; max: must not exceed it
  double cushion = 0.0;       // value - threshold (min) or threshold - value (max); NaN when undefined
  std::optional<std::string> subject;  // the obligor or industry of a rank test

  static constexpr const char* kSchemaName = "CloTest";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct CloTranchePeriod {
  std::string name;
  double interest_due = 0.0, interest_paid = 0.0, interest_deferred = 0.0, interest_shortfall = 0.0,
         principal_paid = 0.0, balance = 0.0, deferred_balance = 0.0;

  static constexpr const char* kSchemaName = "CloTranchePeriod";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct CloPeriod {
  std::string date;
  int accrual_days = 0;
  double reference_rate = 0.0, beginning_par = 0.0, interest_collections = 0.0, principal_collections = 0.0,
         defaults = 0.0, scheduled_principal = 0.0, prepayments = 0.0, recoveries = 0.0, sale_proceeds = 0.0,
         taxes_admin_paid = 0.0, senior_fee_paid = 0.0, sub_fee_paid = 0.0, incentive_fee_paid = 0.0,
         interest_diverted = 0.0, reinvested = 0.0, cash_retained = 0.0, ending_par = 0.0,
         adjusted_collateral_par = 0.0, defaulted_par = 0.0, defaulted_oc_value = 0.0, ccc_haircut = 0.0,
         warf = 0.0, ccc_share = 0.0, unallocated = 0.0;
  std::vector<CloTranchePeriod> tranches;
  std::vector<CloTest> tests;

  static constexpr const char* kSchemaName = "CloPeriod";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// A tranche's figures over the deal's life (run and grid share the common part).
struct CloTrancheMetrics {
  std::string name;
  std::optional<double> original_balance;  // run
  double irr = 0.0;                        // annual; null when undefined
  double wal = 0.0;                        // years; null with no principal
  double loss = 0.0;
  double loss_pct = 0.0;
  double principal_loss = 0.0;
  double unpaid_interest = 0.0;
  double unpaid_interest_pct = 0.0;
  std::optional<double> deferred_interest;  // run
  double pv_loss_pct = 0.0;
  // run only:
  std::optional<spec::Nullable<int>> first_loss_period;
  std::optional<spec::Nullable<std::string>> first_loss_date;
  std::optional<double> interest_received;
  std::optional<double> principal_received;

  static constexpr const char* kSchemaName = "CloTrancheMetrics";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct CloRunRequest {
  CloDealSource source;
  CloScenarioRequest scenario;
  CloMarksRequest marks;

  static constexpr const char* kSchemaName = "CloRunRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.source);
    v.flatten(s.scenario);
    v.flatten(s.marks);
  }
};

struct CloRunResult {
  std::string deal;
  CloScenario scenario;
  double defaulted_at_closing = 0.0;
  double total_defaults = 0.0;
  double total_recoveries = 0.0;
  std::vector<CloPeriod> periods;
  std::vector<CloTrancheMetrics> tranches;
  std::optional<CloMarksApplied> marks;
  std::vector<std::string> warnings;  // the deal file's and its marks'

  static constexpr const char* kSchemaName = "CloRunResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// `keel clo run`.
CloRunResult clo_run(const Context& cx, const CloRunRequest& request);

struct CloTestsRequest {
  CloDealSource source;
  CloScenarioRequest scenario;
  std::optional<Date> as_of;
  CloMarksRequest marks;

  static constexpr const char* kSchemaName = "CloTestsRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.source);
    v.flatten(s.scenario);
    v.field({.name = "as_of",
             .help = "Date of the quality tests (default: the date of the ratings and marks when given, else the "
                     "closing date)"},
            s.as_of);
    v.flatten(s.marks);
  }
};

// One obligor's or industry's par in the pool.
struct CloConcentration {
  std::string name;
  double par = 0.0;
  double share = 0.0;

  static constexpr const char* kSchemaName = "CloConcentration";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "Obligor or industry"}, s.name);
    v.field({.name = "par", .unit = "currency"}, s.par);
    v.field({.name = "share", .unit = "fraction of performing par"}, s.share);
  }
};

// A bucket of the deal's concentration limits (docs/clo.md), whether or not the deal limits it.
struct CloBucket {
  std::string bucket;  // second_lien, cov_lite, fixed_rate, non_domestic, revolver, dip
  double par = 0.0;
  double share = 0.0;
  std::size_t loans = 0;
  std::optional<double> limit;

  static constexpr const char* kSchemaName = "CloBucket";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "bucket", .help = "second_lien, cov_lite, fixed_rate, non_domestic, revolver or dip"}, s.bucket);
    v.field({.name = "par", .help = "Par in the bucket (par + unfunded commitment for revolver)", .unit = "currency"},
            s.par);
    v.field({.name = "share", .unit = "fraction of performing par"}, s.share);
    v.field({.name = "loans"}, s.loans);
    v.field({.name = "limit", .help = "The deal's maximum share (absent: not limited)", .unit = "fraction"}, s.limit);
  }
};

inline constexpr std::size_t kCloTopConcentrations = 10;

struct CloQualityMetrics {
  double performing_par = 0.0, warf = 0.0, was = 0.0, wal_years = 0.0, diversity_score = 0.0, ccc_share = 0.0;
  std::string max_obligor;
  double max_obligor_share = 0.0;
  std::string max_industry;
  double max_industry_share = 0.0;
  std::size_t loans = 0;
  std::size_t obligors = 0;
  double unfunded = 0.0;
  double defaulted_par = 0.0;
  double caa_par = 0.0, caa_excess_par = 0.0, caa_haircut = 0.0;
  std::vector<CloConcentration> top_obligors, top_industries;
  std::vector<CloBucket> buckets;

  static constexpr const char* kSchemaName = "CloQualityMetrics";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct CloCoverage {
  spec::Nullable<std::string> date;
  std::vector<CloTest> tests;
  spec::Nullable<std::string> ic_date;

  static constexpr const char* kSchemaName = "CloCoverage";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct CloTestsResult {
  std::string deal;
  std::string as_of;
  CloScenario scenario;
  CloQualityMetrics metrics;
  std::vector<CloTest> quality;
  CloCoverage coverage;
  std::optional<CloMarksApplied> marks;
  std::vector<std::string> warnings;  // the deal file's and its marks'

  static constexpr const char* kSchemaName = "CloTestsResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// `keel clo tests`: collateral quality and OC at as_of (the pool and note balances then, the stored
// marks in force), IC tests of the first payment date under the scenario.
CloTestsResult clo_tests(const Context& cx, const CloTestsRequest& request);

// The metrics of a pool as the results show them (top 10 obligors and industries, the buckets
// with the deal's limits).
CloQualityMetrics quality_metrics_view(const clo::QualityMetrics& m, const clo::QualityLimits& limits);

// The grid's axes, described once for CloGridRequest and a stored deal's CloDealGridRequest
// (keel/service/clo_deals.h): S has cdr, cpr, recovery (vectors) and recovery_lag_months.
template <class V, class S>
void clo_grid_axes(V& v, S& s) {
  v.field({.name = "scenario_names",
           .help = "Named scenarios of the deal's library run as the grid's points, in this order (instead of the "
                   "cdr x cpr x recovery axes)"},
          s.scenario_names);
  v.field({.name = "cdr", .help = "CDR values (default 0, 0.01, 0.02, 0.03, 0.05)", .unit = "decimal", .min = 0,
           .max = 1},
          s.cdr);
  v.field({.name = "cpr", .help = "CPR values (default 0.10, 0.20)", .unit = "decimal", .min = 0, .max = 1}, s.cpr);
  v.field({.name = "recovery", .help = "Recovery rates (default 0.50, 0.70)", .unit = "decimal", .min = 0, .max = 1},
          s.recovery);
  v.field({.name = "recovery_lag", .help = "Months from default to recovery (default: the deal's, else 6)",
           .unit = "months", .min = 0, .max = 600},
          s.recovery_lag_months);
}

struct CloGridRequest {
  CloDealSource source;
  std::vector<std::string> scenario_names;  // the library's scenarios as the points, else the axes
  std::vector<double> cdr, cpr, recovery;  // empty = keel::clo::GridSpec defaults
  std::optional<int> recovery_lag_months;
  CloMarksRequest marks;

  static constexpr const char* kSchemaName = "CloGridRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.source);
    clo_grid_axes(v, s);
    v.flatten(s.marks);
  }
};

struct CloGridPoint {
  double cdr = 0.0, cpr = 0.0, recovery = 0.0;
  std::vector<CloTrancheMetrics> tranches;
  std::optional<std::string> name;  // the library's scenario of the point

  static constexpr const char* kSchemaName = "CloGridPoint";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "The named scenario of the point (scenario_names)"}, s.name);
    v.field({.name = "cdr", .unit = "decimal"}, s.cdr);
    v.field({.name = "cpr", .unit = "decimal"}, s.cpr);
    v.field({.name = "recovery", .unit = "decimal"}, s.recovery);
    v.field({.name = "tranches"}, s.tranches);
  }
};

struct CloGridResult {
  std::string deal;
  int recovery_lag_months = 0;
  std::size_t points = 0;
  std::vector<CloGridPoint> scenarios;  // CDR, CPR, recovery order
  std::optional<CloMarksApplied> marks;
  std::vector<std::string> warnings;    // the deal file's and its marks'

  static constexpr const char* kSchemaName = "CloGridResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "deal"}, s.deal);
    v.field({.name = "recovery_lag_months", .unit = "months"}, s.recovery_lag_months);
    v.field({.name = "points", .help = "Scenarios in the grid"}, s.points);
    v.field({.name = "scenarios", .help = "In CDR, CPR, recovery order"}, s.scenarios);
    v.field({.name = "marks", .help = "Ratings, prices and migration applied (when given)"}, s.marks);
    v.field({.name = "warnings",
             .help = "What reading the deal and its files noticed (a cut last line, unknown obligors)"},
            s.warnings);
  }
};

// `keel clo grid`. Admitted on its cost (keel/service/admission.h: points x periods x (loans +
// tranches), about 1 kB of answer per point and tranche) before any point is built; the points are
// computed in blocks and streamed into the answer.
CloGridResult clo_grid(const Context& cx, const CloGridRequest& request);

// What `projections` projections of `model` cost (a grid's points, a Monte Carlo's scenarios):
// `formula` names the count, `parameter` the request field that sets it.
ComputeCost clo_projection_cost(std::string operation, double projections, const clo::CloModel& model,
                                std::string formula, std::string parameter);
// A Monte Carlo of `scenarios` scenarios: the projections, the default draws and the values kept.
ComputeCost clo_montecarlo_cost(const clo::CloModel& model, std::int64_t scenarios);

// The Monte Carlo's settings, described once for CloMonteCarloRequest and a stored deal's
// CloDealMonteCarloRequest: S has scenarios, seed, correlation, confidence, histogram_bins, async.
template <class V, class S>
void clo_montecarlo_settings(V& v, S& s) {
  v.field({.name = "scenarios", .help = "Number of scenarios (HTTP: more than 1000 run as a job)", .min = 1,
           .max = 10000000},
          s.scenarios);
  v.field({.name = "seed", .help = "Random seed (results do not depend on the thread count)"}, s.seed);
  v.field({.name = "correlation", .help = "One-factor asset correlation", .min = 0, .max = 1, .max_exclusive = true},
          s.correlation);
  v.field({.name = "confidence", .help = "Confidence of VaR/ES of tranche loss", .unit = "fraction", .min = 0,
           .max = 1, .min_exclusive = true, .max_exclusive = true},
          s.confidence);
  v.field({.name = "histogram_bins",
           .help = "Add each tranche's loss distribution on this many equal bins of 0..1 (0 = none)", .min = 0,
           .max = 200},
          s.histogram_bins);
  v.field({.name = "async", .help = "Run as a background job even when small", .faces = spec::kHttp}, s.async);
}

struct CloMonteCarloRequest {
  CloDealSource source;
  CloScenarioRequest scenario;
  std::int64_t scenarios = 10000;
  std::uint64_t seed = 1;
  double correlation = 0.30;
  std::optional<std::string> industry_correlation_file;  // CLI
  double confidence = 0.99;
  std::size_t histogram_bins = 0;  // 0: no loss histogram
  bool async = false;  // HTTP: run as a background job even when small
  std::optional<std::string> pair_correlation_file;  // CLI
  std::vector<CloPairCorrelationInput> pair_correlations;  // HTTP
  CloMarksRequest marks;
  // Not described: a matrix already read (Python, tests).
  std::optional<io::IndustryCorrelation> industry_correlation;
  std::vector<clo::MonteCarloOptions::PairCorrelation> pair_correlation;

  static constexpr const char* kSchemaName = "CloMonteCarloRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// A tranche's principal-loss distribution over the Monte Carlo scenarios: counts of scenarios on
// equal bins of the loss fraction from 0 to 1 (the last bin closed), so a note that never loses has
// every scenario in the first bin.
struct CloLossHistogram {
  std::vector<double> edges;        // bins + 1 ascending edges, 0 .. 1 (fraction of the original balance)
  std::vector<std::int64_t> counts;  // scenarios per bin [edge i, edge i+1); the last bin includes 1
  std::int64_t total = 0;           // scenarios

  static constexpr const char* kSchemaName = "CloLossHistogram";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "edges", .help = "Bin edges, ascending: one more than counts", .unit = "fraction"}, s.edges);
    v.field({.name = "counts", .help = "Scenarios per bin [edge i, edge i+1), the last bin closed"}, s.counts);
    v.field({.name = "total", .help = "Scenarios the counts are of"}, s.total);
  }
};

struct CloMonteCarloTranche {
  std::string name;
  double original_balance = 0.0, expected_loss = 0.0, expected_loss_pct = 0.0, pd = 0.0, var_pct = 0.0,
         es_pct = 0.0, var = 0.0, es = 0.0, p50_pct = 0.0, p90_pct = 0.0, expected_unpaid_interest = 0.0,
         expected_unpaid_interest_pct = 0.0, expected_pv_loss_pct = 0.0;
  std::optional<CloLossHistogram> histogram;  // with histogram_bins

  static constexpr const char* kSchemaName = "CloMonteCarloTranche";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct CloEquityIrr {
  double mean = 0.0, p5 = 0.0, p50 = 0.0, p95 = 0.0;  // NaN (null) when undefined

  static constexpr const char* kSchemaName = "CloEquityIrr";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "mean", .unit = "annual decimal"}, s.mean);
    v.field({.name = "p5", .unit = "annual decimal"}, s.p5);
    v.field({.name = "p50", .unit = "annual decimal"}, s.p50);
    v.field({.name = "p95", .unit = "annual decimal"}, s.p95);
  }
};

struct CloMonteCarloResult {
  std::string deal;
  CloScenario scenario;
  std::int64_t scenarios = 0;
  std::uint64_t seed = 0;
  std::string copula;
  spec::Nullable<double> correlation;
  double confidence = 0.0;
  double mean_default_pct = 0.0;
  std::vector<CloMonteCarloTranche> tranches;
  CloEquityIrr equity_irr;
  std::optional<int> pair_overrides;  // with obligor pair correlations
  std::optional<CloMarksApplied> marks;
  std::vector<std::string> warnings;  // the deal file's and its marks'

  static constexpr const char* kSchemaName = "CloMonteCarloResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// `keel clo montecarlo`: losses are principal losses (fractions of the original balance in
// [0, 1]); unpaid interest is reported apart.
CloMonteCarloResult clo_montecarlo(const Context& cx, const CloMonteCarloRequest& request);

}  // namespace keel::service
