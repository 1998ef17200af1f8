// Engines that do not need a stored portfolio: POST /api/v1/options/price, /api/v1/plan/retire
// and /api/v1/plan/sensitivity (Monte Carlo: always a job, 202). ALM is in alm_routes.cpp, CLO in
// clo_routes.cpp. Inputs that the CLI reads from files come inline in the body; a request can
// never name a file on the server.
#include "app.h"
#include "job_kinds.h"
#include "requests.h"
#include "keel/service/options.h"
#include "keel/service/plan.h"

namespace keel::server {
namespace {

void option_price(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  service::OptionPriceRequest r;
  if (auto t = f.text("type")) {
    if (auto right = parse_option_right(*t)) r.right = *right;
    else f.fail("type", "expected call or put");
  }
  const auto spot = f.number("spot");
  const auto strike = f.number("strike");
  if (!spot) f.fail("spot", "required number");
  if (!strike) f.fail("strike", "required number");
  r.years = f.number("years");
  r.expiry = f.date("expiry");
  r.as_of = f.date("as_of");
  r.vol = f.number("vol");
  if (auto v = f.number("rate")) r.rate = *v;
  if (auto v = f.number("div")) r.div = *v;
  if (auto e = f.text("exercise")) {
    if (auto s = parse_exercise_style(*e)) r.exercise = *s;
    else f.fail("exercise", "expected european or american");
  }
  r.american_engine = american_engine_from(f);
  if (auto v = f.boolean("implied_vol")) r.implied_vol = *v;
  r.price = f.number("price");
  f.throw_if_errors("option request");
  r.spot = *spot;
  r.strike = *strike;
  c.send(200, service::price_option(r));
}

void plan_retire(Call& c) { enqueue_job(c, "plan.retire", {{"options", c.json_body()}}); }
void plan_sensitivity(Call& c) { enqueue_job(c, "plan.sensitivity", {{"options", c.json_body()}}); }

}  // namespace

void add_engine_routes(App& app) {
  app.add_route({"POST", "/api/v1/options/price", "Black-Scholes-Merton price and Greeks, or implied vol", "options",
                 Permission::kCompute, option_price, "json"});
  // Always a job (202): the job's result is a PlanRetireResult / PlanSensitivityResult.
  app.add_route(RouteSpec{"POST", "/api/v1/plan/retire", "Retirement Monte Carlo (a job: 202)", "planning",
                          Permission::kCompute, plan_retire, "json"}
                    .takes<service::PlanRequest>()
                    .returns<JobView>(202));
  app.add_route(RouteSpec{"POST", "/api/v1/plan/sensitivity",
                          "Retirement success by one varied parameter {vary, values, ..plan/retire body..} (a job: 202)",
                          "planning", Permission::kCompute, plan_sensitivity, "json"}
                    .takes<service::PlanSensitivityRequest>()
                    .returns<JobView>(202));
}

}  // namespace keel::server
