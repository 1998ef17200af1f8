// CLO use cases: deal -> engine -> typed results (keel/service/clo.h).
#include "keel/service/clo.h"
#include "keel/service/sharding.h"
#include "keel/service/job_steps.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "keel/clo/quality.h"
#include "keel/clo/simulation.h"
#include "keel/core/csv_writer.h"
#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/io/clo_marks_reader.h"

namespace keel::service {
namespace {

CloScenario scenario_of(const clo::Scenario& s, std::optional<std::string> name = std::nullopt) {
  CloScenario out;
  out.cdr = s.cdr;
  out.cpr = s.cpr;
  out.recovery = s.recovery;
  out.recovery_lag_months = s.recovery_lag_months;
  out.name = std::move(name);
  if (!s.cdr_path.empty()) out.cdr_path = s.cdr_path;
  if (!s.cpr_path.empty()) out.cpr_path = s.cpr_path;
  if (!s.recovery_path.empty()) out.recovery_path = s.recovery_path;
  return out;
}

std::vector<CloTest> tests_of(const std::vector<clo::TestResult>& tests) {
  std::vector<CloTest> out;
  for (const auto& t : tests) {
    out.push_back({t.name, t.value, t.threshold, t.pass, t.maximum ? "max" : "min",
                   t.maximum ? t.threshold - t.value : t.value - t.threshold,
                   t.subject.empty() ? std::nullopt : std::optional<std::string>(t.subject)});
  }
  return out;
}

// Counts of the loss fractions (each in [0, 1]) on `bins` equal bins of [0, 1], the last closed.
CloLossHistogram loss_histogram(const std::vector<double>& losses, std::size_t bins) {
  CloLossHistogram h;
  h.edges.resize(bins + 1);
  for (std::size_t i = 0; i <= bins; ++i) h.edges[i] = static_cast<double>(i) / static_cast<double>(bins);
  h.counts.assign(bins, 0);
  for (const double x : losses) {
    const double scaled = std::clamp(x, 0.0, 1.0) * static_cast<double>(bins);
    const auto i = std::min(bins - 1, static_cast<std::size_t>(scaled));
    ++h.counts[i];
  }
  h.total = static_cast<std::int64_t>(losses.size());
  return h;
}

// The JSON migration matrix as the CSV text its file reader reads (from,<ratings>... then a row per
// rating), so one reader checks both; its messages name "migration_annual".
std::optional<clo::MigrationMatrix> json_migration(const CloMigrationInput& r) {
  if (r.migration_ratings.empty() && r.migration_annual.empty()) return std::nullopt;
  if (r.migration_annual.size() != r.migration_ratings.size())
    throw Error::invalid_input(fmt::format("migration_annual: {} rows for {} migration_ratings (one row per rating)",
                                           r.migration_annual.size(), r.migration_ratings.size()));
  CsvWriter text;
  text.cell("from");
  for (const auto& rating : r.migration_ratings) text.cell(rating);
  for (std::size_t i = 0; i < r.migration_ratings.size(); ++i) {
    text.end_row().cell(r.migration_ratings[i]);
    for (const double p : r.migration_annual[i]) text.cell(fmt::format("{}", p));
  }
  return io::parse_clo_migration_matrix(text.end_row().take(), "migration_annual");
}

// The deal of a request with its marks applied and the migration matrix read.
struct MarkedDeal {
  io::CloDealFile file;
  std::optional<clo::MigrationMatrix> migration;
  std::optional<CloMarksApplied> applied;  // set when ratings, marks or a migration were given
  Date marks_as_of;                        // the determination date of the marks (when given)
};

MarkedDeal load_marked_deal(const Context& cx, const CloDealSource& source, const CloMarksRequest& request,
                            std::optional<Date> as_of) {
  MarkedDeal out{load_clo_deal(cx, source), request.migration, std::nullopt, Date()};
  std::vector<clo::RatingMark> ratings = request.ratings;
  std::vector<clo::PriceMark> marks = request.marks;
  // The files' warnings (a cut last line, ...) join the deal file's, which every result carries.
  std::vector<std::string>* warnings = &out.file.warnings;
  if (request.ratings_file) {
    ratings = io::read_clo_rating_marks(cx.env.files.open(*request.ratings_file, "ratings"), warnings);
  }
  if (request.marks_file) marks = io::read_clo_price_marks(cx.env.files.open(*request.marks_file, "marks"), warnings);
  if (request.migration_file) {
    out.migration = io::read_clo_migration_matrix(cx.env.files.open(*request.migration_file, "migration"), warnings);
  }
  if (auto m = json_migration(request.migration_json)) {
    if (request.migration_file) throw Error::invalid_input("give migration_file or migration_ratings, not both");
    out.migration = std::move(m);
  }
  if (ratings.empty() && marks.empty() && !out.migration) return out;
  CloMarksApplied applied;
  applied.migration = out.migration.has_value();
  if (!ratings.empty() || !marks.empty()) {
    Date latest;
    bool any = false;
    for (const auto& m : ratings) {
      if (!any || latest < m.as_of) latest = m.as_of;
      any = true;
    }
    for (const auto& m : marks) {
      if (!any || latest < m.as_of) latest = m.as_of;
      any = true;
    }
    out.marks_as_of = request.marks_as_of.value_or(as_of.value_or(latest));
    const clo::MarksApplied a = clo::apply_marks(out.file.deal.collateral, ratings, marks, out.marks_as_of);
    applied.as_of.emplace(out.marks_as_of.to_string());
    applied.loans_rated = a.loans_rated;
    applied.loans_priced = a.loans_priced;
    applied.unknown_obligors = a.unknown_obligors;
    if (!a.unknown_obligors.empty()) {
      out.file.warnings.push_back(fmt::format("{} obligor(s) of the ratings or marks are not in the pool (ignored): {}",
                                              a.unknown_obligors.size(), a.unknown_obligors.front()));
    }
  }
  out.applied = std::move(applied);
  return out;
}

// The expected rating path of a deal whose ratings migrate; nullopt without a matrix.
std::optional<clo::RatingPath> expected_path(const clo::CloModel& model, const MarkedDeal& d) {
  if (!d.migration) return std::nullopt;
  return clo::expected_rating_path(*d.migration, model.deal().collateral, model.period_months());
}

}  // namespace

const clo::Scenario& named_scenario(const io::CloDealFile& file, const std::string& name) {
  for (const auto& [n, s] : file.scenarios) {
    if (n == name) return s;
  }
  std::string names;
  for (const auto& [n, s] : file.scenarios) names += (names.empty() ? "" : ", ") + n;
  throw Error::invalid_input(
      "invalid CLO scenario",
      {fmt::format("scenario: the deal has no scenario named {} ({})", shown_with(name, 64, '\''),
                   names.empty() ? "its document has no \"scenarios\"" : "its scenarios: " + names)});
}

clo::Scenario resolve_scenario(const io::CloDealFile& file, const CloScenarioRequest& request) {
  clo::Scenario s = request.name ? named_scenario(file, *request.name) : file.scenario.value_or(clo::Scenario{});
  // A constant given in the request replaces the scenario's vector of that rate.
  if (request.cdr) {
    s.cdr = *request.cdr;
    s.cdr_path.clear();
  }
  if (request.cpr) {
    s.cpr = *request.cpr;
    s.cpr_path.clear();
  }
  if (request.recovery) {
    s.recovery = *request.recovery;
    s.recovery_path.clear();
  }
  if (request.recovery_lag_months) s.recovery_lag_months = *request.recovery_lag_months;
  return s;
}

std::optional<std::string> inline_deal_names_a_file(const nlohmann::json& deal) {
  if (!deal.is_object()) return std::nullopt;
  const auto ref = deal.find("reference_rate");
  if (ref == deal.end() || !ref->is_object()) return std::nullopt;
  const auto curve = ref->find("curve");
  if (curve != ref->end() && curve->is_string()) {
    return "reference_rate.curve: must be inline ([{\"date\", \"rate\"}, ...]): a deal sent to the server "
           "cannot name a file";
  }
  return std::nullopt;
}

io::CloDealFile load_clo_deal(const Context& cx, const CloDealSource& source) {
  if (source.parsed) return *source.parsed;
  if (source.deal) {
    if (!source.deal->is_object()) throw Error::invalid_input("invalid CLO request", {"deal: expected an object"});
    if (auto col = source.deal->find("collateral"); col != source.deal->end() && col->is_string()) {
      throw Error::invalid_input("invalid CLO request",
                                 {"deal.collateral: must be inline (an array): server files cannot be named over HTTP"});
    }
    if (const auto problem = inline_deal_names_a_file(*source.deal)) {
      throw Error::invalid_input("invalid CLO request", {"deal." + *problem});
    }
    return io::parse_clo_deal(source.deal->dump(), "deal", "/nonexistent");
  }
  if (!source.deal_file) throw Error::usage("deal is required: the deal JSON (docs/clo.md)");
  return io::read_clo_deal(cx.env.files, *source.deal_file);
}

CloRunResult clo_run(const Context& cx, const CloRunRequest& request) {
  authorize(cx, kCloRun, "clo");
  const MarkedDeal marked = load_marked_deal(cx, request.source, request.marks, std::nullopt);
  const io::CloDealFile& file = marked.file;
  const clo::CloModel model(file.deal);
  const clo::Scenario sc = resolve_scenario(file, request.scenario);
  const std::optional<clo::RatingPath> path = expected_path(model, marked);
  const clo::ProjectionResult r = model.project(sc, {}, {}, path ? &*path : nullptr);
  const auto& tranches = file.deal.tranches;
  CloRunResult out;
  out.marks = marked.applied;
  out.warnings = file.warnings;
  out.deal = file.deal.name;
  out.scenario = scenario_of(sc, request.scenario.name);
  out.defaulted_at_closing = r.defaulted_at_closing;
  out.total_defaults = r.total_defaults;
  out.total_recoveries = r.total_recoveries;
  for (const auto& p : r.periods) {
    CloPeriod o;
    for (std::size_t j = 0; j < p.tranches.size(); ++j) {
      const auto& tp = p.tranches[j];
      o.tranches.push_back({tranches[j].name, tp.interest_due, tp.interest_paid, tp.interest_deferred,
                            tp.interest_shortfall, tp.principal_paid, tp.balance, tp.deferred_balance});
    }
    o.date = p.date.to_string();
    o.accrual_days = p.accrual_days;
    o.reference_rate = p.reference_rate;
    o.beginning_par = p.beginning_par;
    o.interest_collections = p.interest_collections;
    o.principal_collections = p.principal_collections;
    o.defaults = p.defaults;
    o.scheduled_principal = p.scheduled_principal;
    o.prepayments = p.prepayments;
    o.recoveries = p.recoveries;
    o.sale_proceeds = p.sale_proceeds;
    o.taxes_admin_paid = p.taxes_admin_paid;
    o.senior_fee_paid = p.senior_fee_paid;
    o.sub_fee_paid = p.sub_fee_paid;
    o.incentive_fee_paid = p.incentive_fee_paid;
    o.interest_diverted = p.interest_diverted;
    o.reinvested = p.reinvested;
    o.cash_retained = p.cash_retained;
    o.ending_par = p.ending_par;
    o.adjusted_collateral_par = p.adjusted_collateral_par;
    o.defaulted_par = p.defaulted_par;
    o.defaulted_oc_value = p.defaulted_oc_value;
    o.ccc_haircut = p.ccc_haircut;
    o.warf = p.warf;
    o.ccc_share = p.ccc_share;
    o.unallocated = p.unallocated();
    o.tests = tests_of(p.tests);
    out.periods.push_back(std::move(o));
  }
  for (const auto& s : r.tranches) {
    CloTrancheMetrics t;
    t.name = s.name;
    t.original_balance = s.original_balance;
    t.irr = s.irr;
    t.wal = s.wal_years;
    // `loss` keeps its name in the interface; it is the principal-loss share.
    t.loss = s.loss_fraction;
    t.loss_pct = s.loss_fraction;
    t.principal_loss = s.loss;
    t.unpaid_interest = s.unpaid_interest;
    t.unpaid_interest_pct = s.unpaid_interest_fraction;
    t.deferred_interest = s.deferred_interest;
    t.pv_loss_pct = s.pv_loss_fraction;
    t.first_loss_period.emplace();
    t.first_loss_date.emplace();
    if (s.first_loss_period >= 0) {
      t.first_loss_period->emplace(s.first_loss_period);
      t.first_loss_date->emplace(model.payment_dates()[static_cast<std::size_t>(s.first_loss_period)].to_string());
    }
    t.interest_received = s.interest_received;
    t.principal_received = s.principal_received;
    out.tranches.push_back(std::move(t));
  }
  return out;
}

CloQualityMetrics quality_metrics_view(const clo::QualityMetrics& m, const clo::QualityLimits& limits) {
  CloQualityMetrics out;
  out.performing_par = m.performing_par;
  out.warf = m.warf;
  out.was = m.was;
  out.wal_years = m.wal_years;
  out.diversity_score = m.diversity_score;
  out.ccc_share = m.ccc_share;
  out.max_obligor = m.max_obligor;
  out.max_obligor_share = m.max_obligor_share;
  out.max_industry = m.max_industry;
  out.max_industry_share = m.max_industry_share;
  out.loans = m.loans;
  out.obligors = m.obligors.size();
  out.unfunded = m.unfunded;
  out.defaulted_par = m.defaulted_par;
  out.caa_par = m.caa_par;
  out.caa_excess_par = m.caa_excess_par;
  out.caa_haircut = m.caa_haircut;
  for (std::size_t k = 0; k < m.obligors.size() && k < kCloTopConcentrations; ++k) {
    out.top_obligors.push_back({m.obligors[k].name, m.obligors[k].par, m.obligors[k].share});
  }
  for (std::size_t k = 0; k < m.industries.size() && k < kCloTopConcentrations; ++k) {
    out.top_industries.push_back({m.industries[k].name, m.industries[k].par, m.industries[k].share});
  }
  for (const clo::BucketShare& b : m.buckets) {
    out.buckets.push_back({clo::bucket_key(b.bucket), b.par, b.share, b.loans, clo::bucket_limit(limits, b.bucket)});
  }
  return out;
}

CloTestsResult clo_tests(const Context& cx, const CloTestsRequest& request) {
  authorize(cx, kCloRun, "clo");
  const MarkedDeal marked = load_marked_deal(cx, request.source, request.marks, request.as_of);
  const io::CloDealFile& file = marked.file;
  const clo::CloModel model(file.deal);
  const bool marked_date = marked.applied && marked.applied->as_of.has_value();
  const Date date = request.as_of.value_or(marked_date ? marked.marks_as_of : file.deal.dates.closing);
  const clo::QualityMetrics m = clo::collateral_quality(file.deal.collateral, date, file.deal.limits);
  const clo::Scenario sc = resolve_scenario(file, request.scenario);
  const std::optional<clo::RatingPath> path = expected_path(model, marked);
  const clo::ProjectionResult r = model.project(sc, {}, {}, path ? &*path : nullptr);
  CloTestsResult out;
  out.marks = marked.applied;
  out.warnings = file.warnings;
  out.deal = file.deal.name;
  out.as_of = date.to_string();
  out.scenario = scenario_of(sc, request.scenario.name);
  out.metrics = quality_metrics_view(m, file.deal.limits);
  out.quality = tests_of(clo::quality_tests(m, file.deal.limits));
  out.coverage.date.emplace(date.to_string());
  out.coverage.tests = tests_of(clo::oc_tests_at(file.deal, m, date, sc.recovery_at(0)));
  if (!r.periods.empty()) {
    out.coverage.ic_date.emplace(r.periods.front().date.to_string());
    std::vector<clo::TestResult> ic;
    for (const auto& t : r.periods.front().tests) {
      if (t.name.ends_with(" IC")) ic.push_back(t);
    }
    for (CloTest& t : tests_of(ic)) out.coverage.tests.push_back(std::move(t));
  }
  return out;
}

ComputeCost clo_projection_cost(std::string operation, double projections, const clo::CloModel& model,
                                std::string formula, std::string parameter) {
  ComputeCost cost;
  cost.operation = std::move(operation);
  cost.engine = Engine::kCloProjection;
  const double periods = model.periods(), loans = model.loans();
  const double tranches = static_cast<double>(model.deal().tranches.size());
  // A period of a projection walks the loans, then the waterfall's steps and tests per tranche;
  // each projection also costs about 2,000 steps of its own (its schedule, results and IRRs: a
  // 3-loan, 4-period deal's grid point takes about 40 us).
  cost.steps = projections * (periods * (loans + 4.0 * tranches + 16.0) + 2000.0);
  cost.formula = fmt::format("{} x periods {} x (loans {} + tranches {})", formula, model.periods(), model.loans(),
                             model.deal().tranches.size());
  cost.parameter = std::move(parameter);
  return cost;
}

CloGridResult clo_grid(const Context& cx, const CloGridRequest& request) {
  authorize(cx, kCloRun, "clo");
  const MarkedDeal marked = load_marked_deal(cx, request.source, request.marks, std::nullopt);
  const io::CloDealFile& file = marked.file;
  const clo::CloModel model(file.deal);
  clo::GridSpec g;
  g.migration = marked.migration;
  if (!request.cdr.empty()) g.cdr = request.cdr;
  if (!request.cpr.empty()) g.cpr = request.cpr;
  if (!request.recovery.empty()) g.recovery = request.recovery;
  g.recovery_lag_months = request.recovery_lag_months.value_or(
      file.scenario ? file.scenario->recovery_lag_months : clo::Scenario{}.recovery_lag_months);
  if (!request.scenario_names.empty()) {
    if (!request.cdr.empty() || !request.cpr.empty() || !request.recovery.empty() || request.recovery_lag_months) {
      throw Error::invalid_input("invalid CLO grid",
                                 {"scenario_names: give named scenarios or the cdr, cpr, recovery axes, not both"});
    }
    for (const auto& name : request.scenario_names) g.scenarios.push_back(named_scenario(file, name));
  }
  // The cost before any point is built: every point's projection, and its row of the answer (the
  // result and its JSON, about 1 kB per tranche). The points are streamed into the answer.
  const double n_points = static_cast<double>(clo::grid_points(g));
  ComputeCost cost = clo_projection_cost(
      "CLO grid", n_points, model,
      g.scenarios.empty() ? fmt::format("points {} (cdr {} x cpr {} x recovery {})", n_points, g.cdr.size(),
                                        g.cpr.size(), g.recovery.size())
                          : fmt::format("points {} (named scenarios)", n_points),
      g.scenarios.empty() ? "cdr, cpr, recovery" : "scenario_names");
  cost.memory_bytes = n_points * (200.0 + 1000.0 * static_cast<double>(file.deal.tranches.size()));
  admit_now(cx, cost);
  CloGridResult out;
  out.marks = marked.applied;
  out.warnings = file.warnings;
  out.deal = file.deal.name;
  out.recovery_lag_months = g.recovery_lag_months;
  out.points = clo::grid_points(g);
  out.scenarios.reserve(out.points);
  clo::run_grid(model, g, [&](std::size_t k, clo::GridPoint&& p) {
    CloGridPoint o{p.scenario.cdr, p.scenario.cpr, p.scenario.recovery, {}, std::nullopt};
    if (!request.scenario_names.empty()) o.name = request.scenario_names[k];
    for (std::size_t j = 0; j < p.tranches.size(); ++j) {
      const auto& t = p.tranches[j];
      CloTrancheMetrics m;
      m.name = file.deal.tranches[j].name;
      m.irr = t.irr;
      m.wal = t.wal_years;
      m.loss = t.loss_fraction;
      m.loss_pct = t.loss_fraction;
      m.principal_loss = t.loss;
      m.unpaid_interest = t.unpaid_interest;
      m.unpaid_interest_pct = t.unpaid_interest_fraction;
      m.pv_loss_pct = t.pv_loss_fraction;
      o.tranches.push_back(std::move(m));
    }
    out.scenarios.push_back(std::move(o));
  });
  return out;
}

namespace {

// The engine's options of a request (the industry matrix read when named).
// The files' warnings (a cut last line, ...) go to `warnings`.
clo::MonteCarloOptions montecarlo_options(const Context& cx, const MarkedDeal& marked,
                                          const CloMonteCarloRequest& request, bool* industry_matrix,
                                          std::vector<std::string>* warnings) {
  const io::CloDealFile& file = marked.file;
  clo::MonteCarloOptions o;
  o.migration = marked.migration;
  o.pair_correlation = request.pair_correlation;
  if (request.pair_correlation_file) {
    o.pair_correlation =
        io::read_clo_pair_correlations(cx.env.files.open(*request.pair_correlation_file, "pair_correlation"), warnings);
  }
  if (!request.pair_correlations.empty()) {
    // As the file's rows, through its reader (the same checks; messages name pair_correlations).
    CsvWriter text;
    text.row({"obligor_a", "obligor_b", "correlation"});
    for (const auto& p : request.pair_correlations)
      text.cell(p.obligor_a).cell(p.obligor_b).cell(fmt::format("{}", p.correlation)).end_row();
    o.pair_correlation = io::parse_clo_pair_correlations(text.take(), "pair_correlations");
  }
  o.base = resolve_scenario(file, request.scenario);
  o.scenarios = request.scenarios;
  o.seed = request.seed;
  o.asset_correlation = request.correlation;
  o.confidence = request.confidence;
  std::optional<io::IndustryCorrelation> industry = request.industry_correlation;
  if (!industry && request.industry_correlation_file) {
    industry = io::read_industry_correlation(
        cx.env.files.open(*request.industry_correlation_file, "industry_correlation"), warnings);
  }
  // The deal's own correlations when the request brings none.
  if (!industry) industry = file.industry_correlation;
  if (o.pair_correlation.empty()) o.pair_correlation = file.pair_correlation;
  if (industry) {
    o.industries = industry->industries;
    o.industry_correlation = industry->matrix;
  }
  *industry_matrix = industry.has_value();
  return o;
}

CloMonteCarloResult montecarlo_result(const MarkedDeal& marked, const CloMonteCarloRequest& request,
                                      const clo::MonteCarloOptions& o, bool industry,
                                      const std::vector<std::string>& read_warnings, const clo::MonteCarloResult& r) {
  const io::CloDealFile& file = marked.file;
  CloMonteCarloResult out;
  out.marks = marked.applied;
  if (!o.pair_correlation.empty()) out.pair_overrides = static_cast<int>(o.pair_correlation.size());
  out.warnings = file.warnings;
  out.warnings.insert(out.warnings.end(), read_warnings.begin(), read_warnings.end());
  out.deal = file.deal.name;
  out.scenario = scenario_of(o.base, request.scenario.name);
  out.scenarios = r.scenarios;
  out.seed = request.seed;
  out.copula = industry ? "industry_matrix" : "one_factor";
  if (!industry) out.correlation.emplace(request.correlation);
  out.confidence = request.confidence;
  out.mean_default_pct = r.mean_default_fraction;
  for (const auto& t : r.tranches) {
    out.tranches.push_back({t.name, t.original_balance, t.expected_loss, t.expected_loss_fraction,
                            t.probability_of_loss, t.var_fraction, t.es_fraction, t.var_fraction * t.original_balance,
                            t.es_fraction * t.original_balance, t.p50_fraction, t.p90_fraction,
                            t.expected_unpaid_interest, t.expected_unpaid_interest_fraction,
                            t.expected_pv_loss_fraction, std::nullopt});
    if (request.histogram_bins > 0) out.tranches.back().histogram = loss_histogram(t.loss_fractions, request.histogram_bins);
  }
  out.equity_irr = {r.equity_irr_mean, r.equity_irr_p5, r.equity_irr_p50, r.equity_irr_p95};
  return out;
}

}  // namespace

ComputeCost clo_montecarlo_cost(const clo::CloModel& model, std::int64_t scenarios) {
  ComputeCost cost = clo_projection_cost("CLO Monte Carlo", static_cast<double>(scenarios), model,
                                         fmt::format("scenarios {}", scenarios), "scenarios");
  // Each scenario's default draws besides its projection; its values, and the sorted copies.
  cost.steps += static_cast<double>(scenarios) * model.periods() * model.loans();
  cost.memory_bytes = static_cast<double>(scenarios) * 16.0 * static_cast<double>(clo::scenario_value_count(model));
  cost.has_job = true;
  return cost;
}

CloMonteCarloResult clo_montecarlo(const Context& cx, const CloMonteCarloRequest& request) {
  authorize(cx, kCloRun, "clo");
  const MarkedDeal marked = load_marked_deal(cx, request.source, request.marks, std::nullopt);
  const clo::CloModel model(marked.file.deal);
  admit_now(cx, clo_montecarlo_cost(model, request.scenarios));  // the faces that can queue a job have decided
  bool industry = false;
  std::vector<std::string> read_warnings;
  const clo::MonteCarloOptions o = montecarlo_options(cx, marked, request, &industry, &read_warnings);
  return montecarlo_result(marked, request, o, industry, read_warnings, clo::run_monte_carlo(model, o));
}

ShardValues clo_montecarlo_scenarios(const Context& cx, const CloMonteCarloRequest& request, ShardRange range,
                                     const ShardProgress& progress) {
  const MarkedDeal marked = load_marked_deal(cx, request.source, request.marks, std::nullopt);
  const clo::CloModel model(marked.file.deal);
  bool industry = false;
  std::vector<std::string> read_warnings;
  const clo::MonteCarloOptions o = montecarlo_options(cx, marked, request, &industry, &read_warnings);
  ShardValues out;  // the deal travels with the request: no fingerprint needed
  // In pieces, so that a shard reports progress (and can be stopped) as it goes.
  constexpr std::int64_t kPieces = 8;
  const std::int64_t n = range.last - range.first;
  const std::int64_t piece = std::max<std::int64_t>(1, (n + kPieces - 1) / kPieces);
  for (std::int64_t a = range.first; a < range.last; a += piece) {
    const std::int64_t e = std::min(range.last, a + piece);
    const auto part = clo::simulate_scenarios(model, o, a, e);
    out.values.insert(out.values.end(), part.begin(), part.end());
    if (progress) progress(static_cast<double>(e - range.first) / static_cast<double>(n));
  }
  return out;
}

CloMonteCarloResult clo_montecarlo_reduce(const Context& cx, const CloMonteCarloRequest& request,
                                          const std::vector<double>& values) {
  const MarkedDeal marked = load_marked_deal(cx, request.source, request.marks, std::nullopt);
  const clo::CloModel model(marked.file.deal);
  bool industry = false;
  std::vector<std::string> read_warnings;
  const clo::MonteCarloOptions o = montecarlo_options(cx, marked, request, &industry, &read_warnings);
  return montecarlo_result(marked, request, o, industry, read_warnings, clo::reduce_scenarios(model, o, values));
}

// Above `shard_scenarios` (0: never), the run is split into shards of scenarios on its first claim
// and reduced from every scenario's values on the claim after the last shard (keel/service/job_steps.h).
nlohmann::json run_clo_montecarlo_job(const Context& cx, JobSteps& steps, const nlohmann::json& request,
                                      std::int64_t shard_scenarios) {
  const nlohmann::json body = request.value("options", nlohmann::json::object());
  CloMonteCarloRequest req;
  spec::read_json(body, req, "CLO Monte Carlo request");
  const bool sharded = (shard_scenarios > 0 && req.scenarios > shard_scenarios) || steps.shard_count() > 0;
  if (!sharded) {
    steps.progress(0.05, fmt::format("simulating {} scenarios", req.scenarios));
    return spec::to_json(clo_montecarlo(cx, req));
  }
  if (steps.shard_count() == 0) {
    steps.progress(0.02, fmt::format("splitting {} scenarios", req.scenarios));
    steps.split("clo.montecarlo.shard", shard_requests({{"options", body}}, req.scenarios, shard_scenarios, 0));
  }
  steps.progress(std::max(0.95, steps.progress_so_far()), fmt::format("reducing {} shards", steps.shard_count()));
  const clo::CloModel model(load_clo_deal(cx, req.source).deal);
  std::uint64_t fingerprint = 0;
  nlohmann::json first;
  const auto values = gather_shards(steps, req.scenarios, clo::scenario_value_count(model), &fingerprint, &first);
  return spec::to_json(clo_montecarlo_reduce(cx, req, values));
}

nlohmann::json run_clo_montecarlo_shard_job(const Context& cx, JobSteps& steps, const nlohmann::json& request) {
  const nlohmann::json body = request.value("options", nlohmann::json::object());
  CloMonteCarloRequest req;
  spec::read_json(body, req, "CLO Monte Carlo request");
  return run_shard(steps, request, [&](ShardRange range, const ShardProgress& progress) {
    return shard_bytes(clo_montecarlo_scenarios(cx, req, range, progress));
  });
}

}  // namespace keel::service
