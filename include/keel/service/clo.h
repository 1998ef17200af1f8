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
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// The deal: a file (CLI; its collateral may be a CSV next to it) or the JSON document inline
// (HTTP; its collateral inline too: a request can never name a server file).
struct CloDealSource {
  std::optional<std::string> deal_file;
  std::optional<nlohmann::json> deal;
  std::optional<io::CloDealFile> parsed;  // not described: a deal already read (Python, tests)

  template <class V, class S>
  static void fields(V& v, S& s);
};

// Scenario overrides (decimals; lag in months).
struct CloScenarioRequest {
  std::optional<std::string> name;  // a scenario of the deal's library, the base of the values below
  std::optional<double> cdr;
  std::optional<double> cpr;
  std::optional<double> recovery;
  std::optional<int> recovery_lag_months;

  template <class V, class S>
  static void fields(V& v, S& s);
};

// The annual rating migration matrix as JSON (HTTP, Python): its ratings in row and column order,
// and the probabilities row by row; read as the migration file is, so the same checks apply.
struct CloMigrationInput {
  std::vector<std::string> migration_ratings;
  std::vector<std::vector<double>> migration_annual;

  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// One obligor pair's asset correlation over the base model (HTTP's pair_correlations).
struct CloPairCorrelationInput {
  std::string obligor_a;
  std::string obligor_b;
  double correlation = 0.0;

  static constexpr const char* kSchemaName = "CloPairCorrelation";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct CloTranchePeriod {
  std::string name;
  double interest_due = 0.0, interest_paid = 0.0, interest_deferred = 0.0, interest_shortfall = 0.0,
         principal_paid = 0.0, balance = 0.0, deferred_balance = 0.0;

  static constexpr const char* kSchemaName = "CloTranchePeriod";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct CloRunRequest {
  CloDealSource source;
  CloScenarioRequest scenario;
  CloMarksRequest marks;

  static constexpr const char* kSchemaName = "CloRunRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// Projecting, testing, gridding or simulating a deal is a computation: the compute permission, on
// every face (`keel --as viewer clo run` is refused as POST /clo/run is); nothing is kept, so
// nothing is audited but a refusal. clo_run, clo_tests, clo_grid and clo_montecarlo check it first.
inline constexpr UseCase kCloRun{"run CLO projections", Permission::kCompute, ""};

// `keel clo run`.
CloRunResult clo_run(const Context& cx, const CloRunRequest& request);

struct CloTestsRequest {
  CloDealSource source;
  CloScenarioRequest scenario;
  std::optional<Date> as_of;
  CloMarksRequest marks;

  static constexpr const char* kSchemaName = "CloTestsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One obligor's or industry's par in the pool.
struct CloConcentration {
  std::string name;
  double par = 0.0;
  double share = 0.0;

  static constexpr const char* kSchemaName = "CloConcentration";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct CloCoverage {
  spec::Nullable<std::string> date;
  std::vector<CloTest> tests;
  spec::Nullable<std::string> ic_date;

  static constexpr const char* kSchemaName = "CloCoverage";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct CloGridPoint {
  double cdr = 0.0, cpr = 0.0, recovery = 0.0;
  std::vector<CloTrancheMetrics> tranches;
  std::optional<std::string> name;  // the library's scenario of the point

  static constexpr const char* kSchemaName = "CloGridPoint";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct CloMonteCarloTranche {
  std::string name;
  double original_balance = 0.0, expected_loss = 0.0, expected_loss_pct = 0.0, pd = 0.0, var_pct = 0.0,
         es_pct = 0.0, var = 0.0, es = 0.0, p50_pct = 0.0, p90_pct = 0.0, expected_unpaid_interest = 0.0,
         expected_unpaid_interest_pct = 0.0, expected_pv_loss_pct = 0.0;
  std::optional<CloLossHistogram> histogram;  // with histogram_bins

  static constexpr const char* kSchemaName = "CloMonteCarloTranche";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloEquityIrr {
  double mean = 0.0, p5 = 0.0, p50 = 0.0, p95 = 0.0;  // NaN (null) when undefined

  static constexpr const char* kSchemaName = "CloEquityIrr";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// `keel clo montecarlo`: losses are principal losses (fractions of the original balance in
// [0, 1]); unpaid interest is reported apart.
CloMonteCarloResult clo_montecarlo(const Context& cx, const CloMonteCarloRequest& request);

}  // namespace keel::service
