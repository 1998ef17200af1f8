// Engines that do not need a stored portfolio: POST /api/v1/options/price, /api/v1/plan/retire
// (Monte Carlo: always a job, 202), /api/v1/alm/{eve,nii,gap} and /api/v1/clo/run. Inputs that
// the CLI reads from files come inline in the body (CSV text, deal JSON); a request can never name
// a file on the server.
#include "app.h"
#include "job_kinds.h"
#include "requests.h"
#include "keel/service/alm.h"
#include "keel/service/clo.h"
#include "keel/service/options.h"

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
  if (auto v = f.boolean("implied_vol")) r.implied_vol = *v;
  r.price = f.number("price");
  f.throw_if_errors("option request");
  r.spot = *spot;
  r.strike = *strike;
  c.send(200, service::price_option(r));
}

void plan_retire(Call& c) { enqueue_job(c, "plan.retire", {{"options", c.json_body()}}); }

service::AlmRequest alm_request(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  service::AlmRequest r;
  r.tenant = c.tenant();
  if (auto t = f.text("balance_sheet")) r.balance_sheet = service::InputFile{"balance_sheet", *t};
  r.session = f.text("session");
  if (!r.balance_sheet && !r.session) f.fail("balance_sheet", "required: the balance-sheet CSV as a string (or \"session\")");
  r.currency = f.text("currency");
  r.as_of = f.date("as_of");
  r.tier1 = f.number("tier1");
  if (auto v = f.integer("nii_horizon_months", 1, 600)) r.nii_horizon_months = static_cast<int>(*v);
  r.floor = f.boolean("floor");
  r.gain_weight = f.number("gain_weight");
  if (auto t = f.text("shock_table")) r.shock_table = service::InputFile{"shock_table", *t};
  if (auto it = body.find("fx"); it != body.end()) {
    if (!it->is_object()) f.fail("fx", "expected an object {\"EUR\": 1.08, ...}");
    else {
      for (const auto& [k, v] : it->items()) {
        if (v.is_number()) r.fx[k] = v.get<double>();
        else f.fail("fx." + k, "expected a number");
      }
    }
  }
  const auto curves = body.find("curves");
  if (curves != body.end() && curves->is_array()) {
    for (std::size_t i = 0; i < curves->size(); ++i) {
      const std::string at = "curves[" + std::to_string(i) + "]";
      const auto& cj = (*curves)[i];
      if (!cj.is_object()) {
        f.fail(at, "expected an object");
        continue;
      }
      Fields cf(cj);
      service::AlmCurveInput ci;
      if (auto v = cf.text("currency")) ci.currency = *v;
      if (auto v = cf.text("text")) ci.file = service::InputFile{at, *v};
      ci.stored = cf.text("stored");
      if (auto v = cf.text("kind")) {
        if (*v == "par") ci.kind = CurveKind::kPar;
        else if (*v != "zero") cf.fail("kind", "expected zero or par");
      }
      if (auto v = cf.text("units")) {
        if (*v == "percent") ci.units = io::RateUnits::kPercent;
        else if (*v != "decimal") cf.fail("units", "expected decimal or percent");
      }
      ci.date = cf.date("date");
      if (!ci.file && !ci.stored) cf.fail("text", "required: the curve CSV as a string (or \"stored\")");
      try {
        cf.throw_if_errors(at);
      } catch (const Error& e) {
        for (const auto& d : e.details()) f.fail(at, d);
      }
      r.curves.push_back(std::move(ci));
    }
  } else if (curves != body.end()) {
    f.fail("curves", "expected an array");
  } else if (!r.session) {
    f.fail("curves", "required: [{\"currency\":\"USD\",\"text\":\"tenor,rate\\n...\"}]");
  }
  f.throw_if_errors("ALM request");
  return r;
}

void alm_eve(Call& c) {
  const auto request = alm_request(c);
  const auto permit = c.app.compute_gate.enter();
  c.send(200, service::alm_eve(&c.store(), request));
}
void alm_nii(Call& c) {
  const auto request = alm_request(c);
  const auto permit = c.app.compute_gate.enter();
  c.send(200, service::alm_nii(&c.store(), request));
}
void alm_gap(Call& c) {
  const auto request = alm_request(c);
  const auto permit = c.app.compute_gate.enter();
  c.send(200, service::alm_gap(&c.store(), request));
}

void clo_run(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  const auto deal = body.find("deal");
  if (deal == body.end() || !deal->is_object()) f.fail("deal", "required: the deal JSON object");
  else if (auto col = deal->find("collateral"); col != deal->end() && col->is_string()) {
    f.fail("deal.collateral", "must be inline (an array): server files cannot be named over HTTP");
  }
  service::CloScenarioRequest s;
  s.cdr = f.number("cdr");
  s.cpr = f.number("cpr");
  s.recovery = f.number("recovery");
  if (auto v = f.integer("recovery_lag", 0, 600)) s.recovery_lag_months = static_cast<int>(*v);
  f.throw_if_errors("CLO request");
  const auto file = io::parse_clo_deal(deal->dump(), "deal", "/nonexistent");
  const auto permit = c.app.compute_gate.enter();
  c.send(200, service::clo_run(file, s));
}

}  // namespace

void add_engine_routes(App& app) {
  app.add_route({"POST", "/api/v1/options/price", "Black-Scholes-Merton price and Greeks, or implied vol", "options",
                 Permission::kCompute, option_price, "json"});
  app.add_route({"POST", "/api/v1/plan/retire", "Retirement Monte Carlo (a job: 202)", "planning",
                 Permission::kCompute, plan_retire, "json"});
  app.add_route({"POST", "/api/v1/alm/eve", "EVE under the six BCBS shocks (balance sheet and curves inline)", "alm",
                 Permission::kCompute, alm_eve, "json"});
  app.add_route({"POST", "/api/v1/alm/nii", "NII under the shocks", "alm", Permission::kCompute, alm_nii, "json"});
  app.add_route({"POST", "/api/v1/alm/gap", "Repricing gap", "alm", Permission::kCompute, alm_gap, "json"});
  app.add_route({"POST", "/api/v1/clo/run", "CLO cash-flow projection and waterfall {deal, cdr, cpr, recovery}",
                 "clo", Permission::kCompute, clo_run, "json"});
}

}  // namespace keel::server
