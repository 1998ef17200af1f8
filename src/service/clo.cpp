// CLO use cases: deal file -> engine -> JSON of INTERFACES.md (keel/service/clo.h).
#include "keel/service/clo.h"

#include <cmath>

#include "keel/clo/quality.h"

namespace keel::service {
namespace {

using nlohmann::json;

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json scenario_json(const clo::Scenario& s) {
  return {{"cdr", s.cdr}, {"cpr", s.cpr}, {"recovery", s.recovery}, {"recovery_lag_months", s.recovery_lag_months}};
}

json tests_json(const std::vector<clo::TestResult>& tests) {
  json out = json::array();
  for (const auto& t : tests) {
    out.push_back({{"name", t.name}, {"value", num(t.value)}, {"threshold", t.threshold}, {"pass", t.pass}});
  }
  return out;
}

}  // namespace

clo::Scenario resolve_scenario(const io::CloDealFile& file, const CloScenarioRequest& request) {
  clo::Scenario s = file.scenario.value_or(clo::Scenario{});
  if (request.cdr) s.cdr = *request.cdr;
  if (request.cpr) s.cpr = *request.cpr;
  if (request.recovery) s.recovery = *request.recovery;
  if (request.recovery_lag_months) s.recovery_lag_months = *request.recovery_lag_months;
  return s;
}

json clo_run(const io::CloDealFile& file, const CloScenarioRequest& request) {
  const clo::CloModel model(file.deal);
  const clo::Scenario sc = resolve_scenario(file, request);
  const clo::ProjectionResult r = model.project(sc);
  const auto& tranches = file.deal.tranches;
  json periods = json::array();
  for (const auto& p : r.periods) {
    json tr = json::array();
    for (std::size_t j = 0; j < p.tranches.size(); ++j) {
      const auto& tp = p.tranches[j];
      tr.push_back({{"name", tranches[j].name},
                    {"interest_due", tp.interest_due},
                    {"interest_paid", tp.interest_paid},
                    {"interest_deferred", tp.interest_deferred},
                    {"interest_shortfall", tp.interest_shortfall},
                    {"principal_paid", tp.principal_paid},
                    {"balance", tp.balance},
                    {"deferred_balance", tp.deferred_balance}});
    }
    periods.push_back({{"date", p.date.to_string()},
                       {"accrual_days", p.accrual_days},
                       {"reference_rate", p.reference_rate},
                       {"beginning_par", p.beginning_par},
                       {"interest_collections", p.interest_collections},
                       {"principal_collections", p.principal_collections},
                       {"defaults", p.defaults},
                       {"scheduled_principal", p.scheduled_principal},
                       {"prepayments", p.prepayments},
                       {"recoveries", p.recoveries},
                       {"sale_proceeds", p.sale_proceeds},
                       {"taxes_admin_paid", p.taxes_admin_paid},
                       {"senior_fee_paid", p.senior_fee_paid},
                       {"sub_fee_paid", p.sub_fee_paid},
                       {"incentive_fee_paid", p.incentive_fee_paid},
                       {"interest_diverted", p.interest_diverted},
                       {"reinvested", p.reinvested},
                       {"cash_retained", p.cash_retained},
                       {"ending_par", p.ending_par},
                       {"adjusted_collateral_par", p.adjusted_collateral_par},
                       {"defaulted_par", p.defaulted_par},
                       {"defaulted_oc_value", p.defaulted_oc_value},
                       {"ccc_haircut", p.ccc_haircut},
                       {"unallocated", p.unallocated()},
                       {"tranches", tr},
                       {"tests", tests_json(p.tests)}});
  }
  json summary = json::array();
  for (const auto& s : r.tranches) {
    summary.push_back({{"name", s.name},
                       {"original_balance", s.original_balance},
                       {"irr", num(s.irr)},
                       {"wal", num(s.wal_years)},
                       // `loss` keeps its name in the interface; it is the principal-loss share.
                       {"loss", s.loss_fraction},
                       {"loss_pct", s.loss_fraction},
                       {"principal_loss", s.loss},
                       {"unpaid_interest", s.unpaid_interest},
                       {"unpaid_interest_pct", s.unpaid_interest_fraction},
                       {"deferred_interest", s.deferred_interest},
                       {"pv_loss_pct", num(s.pv_loss_fraction)},
                       {"first_loss_period", s.first_loss_period >= 0 ? json(s.first_loss_period) : json(nullptr)},
                       {"first_loss_date", s.first_loss_period >= 0
                                               ? json(model.payment_dates()[static_cast<std::size_t>(s.first_loss_period)].to_string())
                                               : json(nullptr)},
                       {"interest_received", s.interest_received},
                       {"principal_received", s.principal_received}});
  }
  return {{"deal", file.deal.name},
          {"scenario", scenario_json(sc)},
          {"defaulted_at_closing", r.defaulted_at_closing},
          {"total_defaults", r.total_defaults},
          {"total_recoveries", r.total_recoveries},
          {"periods", periods},
          {"tranches", summary}};
}

json clo_tests(const io::CloDealFile& file, const CloScenarioRequest& request, std::optional<Date> as_of) {
  const clo::CloModel model(file.deal);
  const Date date = as_of.value_or(file.deal.dates.closing);
  const clo::QualityMetrics m = clo::collateral_quality(file.deal.collateral, date);
  const clo::Scenario sc = resolve_scenario(file, request);
  const clo::ProjectionResult r = model.project(sc);
  json coverage = {{"date", r.periods.empty() ? json(nullptr) : json(r.periods.front().date.to_string())},
                   {"tests", r.periods.empty() ? json::array() : tests_json(r.periods.front().tests)}};
  return {{"deal", file.deal.name},
          {"as_of", date.to_string()},
          {"scenario", scenario_json(sc)},
          {"metrics",
           {{"performing_par", m.performing_par},
            {"warf", m.warf},
            {"was", m.was},
            {"wal_years", m.wal_years},
            {"diversity_score", m.diversity_score},
            {"ccc_share", m.ccc_share},
            {"max_obligor", m.max_obligor},
            {"max_obligor_share", m.max_obligor_share},
            {"max_industry", m.max_industry},
            {"max_industry_share", m.max_industry_share}}},
          {"quality", tests_json(clo::quality_tests(m, file.deal.limits))},
          {"coverage", coverage}};
}

json clo_grid(const io::CloDealFile& file, const CloGridRequest& request) {
  const clo::CloModel model(file.deal);
  clo::GridSpec g;
  if (!request.cdr.empty()) g.cdr = request.cdr;
  if (!request.cpr.empty()) g.cpr = request.cpr;
  if (!request.recovery.empty()) g.recovery = request.recovery;
  g.recovery_lag_months = request.recovery_lag_months.value_or(
      file.scenario ? file.scenario->recovery_lag_months : clo::Scenario{}.recovery_lag_months);
  const auto points = clo::run_grid(model, g);
  json out = json::array();
  for (const auto& p : points) {
    json tr = json::array();
    for (std::size_t j = 0; j < p.tranches.size(); ++j) {
      const auto& t = p.tranches[j];
      tr.push_back({{"name", file.deal.tranches[j].name},
                    {"irr", num(t.irr)},
                    {"wal", num(t.wal_years)},
                    {"loss", t.loss_fraction},
                    {"loss_pct", t.loss_fraction},
                    {"principal_loss", t.loss},
                    {"unpaid_interest", t.unpaid_interest},
                    {"unpaid_interest_pct", t.unpaid_interest_fraction},
                    {"pv_loss_pct", num(t.pv_loss_fraction)}});
    }
    out.push_back({{"cdr", p.scenario.cdr}, {"cpr", p.scenario.cpr}, {"recovery", p.scenario.recovery}, {"tranches", tr}});
  }
  return {{"deal", file.deal.name},
          {"recovery_lag_months", g.recovery_lag_months},
          {"points", points.size()},
          {"scenarios", out}};
}

json clo_montecarlo(const io::CloDealFile& file, const CloMonteCarloRequest& request) {
  const clo::CloModel model(file.deal);
  clo::MonteCarloOptions o;
  o.base = resolve_scenario(file, request.scenario);
  o.scenarios = request.scenarios;
  o.seed = request.seed;
  o.asset_correlation = request.correlation;
  o.confidence = request.confidence;
  if (request.industry_correlation) {
    o.industries = request.industry_correlation->industries;
    o.industry_correlation = request.industry_correlation->matrix;
  }
  const clo::MonteCarloResult r = clo::run_monte_carlo(model, o);
  json tr = json::array();
  for (const auto& t : r.tranches) {
    tr.push_back({{"name", t.name},
                  {"original_balance", t.original_balance},
                  {"expected_loss", t.expected_loss},
                  {"expected_loss_pct", t.expected_loss_fraction},
                  {"pd", t.probability_of_loss},
                  {"var_pct", t.var_fraction},
                  {"es_pct", t.es_fraction},
                  {"var", t.var_fraction * t.original_balance},
                  {"es", t.es_fraction * t.original_balance},
                  {"p50_pct", t.p50_fraction},
                  {"p90_pct", t.p90_fraction},
                  {"expected_unpaid_interest", t.expected_unpaid_interest},
                  {"expected_unpaid_interest_pct", t.expected_unpaid_interest_fraction},
                  {"expected_pv_loss_pct", t.expected_pv_loss_fraction}});
  }
  return {{"deal", file.deal.name},
          {"scenario", scenario_json(o.base)},
          {"scenarios", r.scenarios},
          {"seed", request.seed},
          {"copula", request.industry_correlation ? "industry_matrix" : "one_factor"},
          {"correlation", request.industry_correlation ? json(nullptr) : json(request.correlation)},
          {"confidence", request.confidence},
          {"mean_default_pct", r.mean_default_fraction},
          {"tranches", tr},
          {"equity_irr",
           {{"mean", num(r.equity_irr_mean)}, {"p5", num(r.equity_irr_p5)}, {"p50", num(r.equity_irr_p50)},
            {"p95", num(r.equity_irr_p95)}}}};
}

}  // namespace keel::service
