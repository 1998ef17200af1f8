// Engines that do not need a stored portfolio: POST /api/v1/options/price, /api/v1/plan/retire,
// /api/v1/plan/sensitivity and /api/v1/plan/compare (Monte Carlo: always a job, 202). ALM is in
// alm_routes.cpp, CLO in clo_routes.cpp. Inputs that the CLI reads from files come inline in the body; a
// request can never name a file on the server.
#include "app.h"
#include "job_kinds.h"
#include "requests.h"
#include "keel/service/options.h"
#include "keel/service/plan.h"

namespace keel::server {
namespace {

void option_price(Call& c) {
  service::OptionPriceRequest req;
  spec::read_json(c.json_body(), req, "option request");
  c.send(200, spec::to_json(service::price_option(c.service(), req)));
}
void plan_compare(Call& c) {
  enqueue_job(c, "plan.compare", {{"options", c.json_body()}});
}

void plan_retire(Call& c) { enqueue_job(c, "plan.retire", {{"options", c.json_body()}}); }
void plan_sensitivity(Call& c) { enqueue_job(c, "plan.sensitivity", {{"options", c.json_body()}}); }

}  // namespace

void add_engine_routes(App& app) {
  app.add_route(RouteSpec{"POST", "/api/v1/options/price", "Black-Scholes-Merton price and Greeks, or implied vol",
                          "options", Permission::kCompute, option_price, "json"}
                    .takes<service::OptionPriceRequest>()
                    .returns<service::OptionPriceResult>());
  // Always a job (202): the job's result is a PlanRetireResult / PlanSensitivityResult.
  app.add_route(RouteSpec{"POST", "/api/v1/plan/retire", "Retirement Monte Carlo (a job: 202)", "planning",
                          service::kPlanRun, plan_retire, "json"}
                    .takes<service::PlanRequest>()
                    .returns<JobView>(202)
                    .job_returns<service::PlanRetireResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/plan/sensitivity",
                          "Retirement success by one varied parameter {vary, values, ..plan/retire body..} (a job: 202)",
                          "planning", service::kPlanRun, plan_sensitivity, "json"}
                    .takes<service::PlanSensitivityRequest>()
                    .returns<JobView>(202)
                    .job_returns<service::PlanSensitivityResult>());
  app.add_route(RouteSpec{
      "POST", "/api/v1/plan/compare",
      "The plan under each withdrawal strategy, same seed {strategies, ..plan/retire body..} (a job: "
      "202)",
      "planning", service::kPlanRun, plan_compare, "json"}
                    .takes<service::PlanCompareRequest>()
                    .returns<JobView>(202)
                    .job_returns<service::PlanCompareResult>());
}

}  // namespace keel::server
