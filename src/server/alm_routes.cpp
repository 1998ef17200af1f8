// ALM (IRRBB) over HTTP: one-off runs POST /api/v1/alm/{eve,nii,gap} (balance sheet and curves
// inline, or "session"), and stored sessions: POST/GET /api/v1/alm/sessions, GET/DELETE
// /api/v1/alm/sessions/{id}, GET /api/v1/alm/sessions/{id}/{eve,nii,gap} (a run on the session's
// stored inputs and settings; the result is also kept in the session). {id} is the session's
// numeric id or its name; another tenant's session answers 404. GET /api/v1/alm/shocks?currency=
// is the `keel alm shocks` table; POST /api/v1/alm/sessions/cleanup is `keel alm session cleanup`.
#include <chrono>

#include "app.h"
#include "query.h"
#include "requests.h"
#include "keel/service/alm.h"
#include "keel/store/alm_repository.h"

namespace keel::server {
namespace {

// The /alm/eve body (also the body of a new session); problems go to `f`, the caller throws.
service::AlmRequest alm_request_from(const nlohmann::json& body, const std::string& tenant, Fields& f) {
  service::AlmRequest r;
  r.tenant = tenant;
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
  return r;
}

service::AlmRequest alm_request(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  auto r = alm_request_from(body, c.tenant(), f);
  f.throw_if_errors("ALM request");
  return r;
}

using AlmRun = nlohmann::json (*)(Store*, const service::AlmRequest&);

void run_inline(Call& c, AlmRun run) {
  const auto request = alm_request(c);
  c.send(200, run(&c.store(), request));
}

void alm_eve(Call& c) { run_inline(c, service::alm_eve); }
void alm_nii(Call& c) { run_inline(c, service::alm_nii); }
void alm_gap(Call& c) { run_inline(c, service::alm_gap); }

store::AlmSessionInfo resolve_session(Call& c) {
  const std::string text = c.param("id");
  for (auto& s : c.store().alm_sessions().list(c.tenant())) {
    if (s.name == text || std::to_string(s.id) == text) return s;
  }
  throw Error::not_found("no ALM session " + text);
}

std::string session_resource(const store::AlmSessionInfo& s) { return "alm_session/" + std::to_string(s.id); }

// The /alm/eve body plus {"name", "ttl_seconds"} -> 201 {"session","eve","nii","gap","warnings"}.
void create_session(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  service::AlmSessionCreate req;
  if (auto n = f.text("name")) req.name = *n;
  if (req.name.empty()) f.fail("name", "required");
  else if (req.name.size() > 200) f.fail("name", "at most 200 characters");
  if (auto t = f.integer("ttl_seconds", 60, 365LL * 24 * 3600)) req.ttl_seconds = *t;
  req.inputs = alm_request_from(body, c.tenant(), f);
  if (req.inputs.session) f.fail("session", "a new session takes a balance sheet and curves, not a session");
  f.throw_if_errors("ALM session");
  if (c.store().alm_sessions().find(c.tenant(), req.name)) {
    throw Error::conflict("ALM session '" + req.name + "' already exists");
  }
  auto out = service::alm_session_create(c.store(), req, c.app.now_epoch());
  const auto id = c.store().alm_sessions().find(c.tenant(), req.name)->id;
  out["session"]["id"] = id;
  c.audit("alm_session.create", "alm_session/" + std::to_string(id),
          {{"name", req.name}, {"positions", out["session"]["positions"]}});
  c.send(201, out);
}

void list_sessions(Call& c) {
  auto all = service::alm_session_list(c.store(), c.tenant());
  const auto infos = c.store().alm_sessions().list(c.tenant());
  for (auto& item : all["items"]) {
    for (const auto& s : infos) {
      if (s.name == item["name"]) item["id"] = s.id;
    }
  }
  c.send(200, paginate(c, all["items"], "s"));
}

void show_session(Call& c) {
  const auto s = resolve_session(c);
  auto out = service::alm_session_show(c.store(), c.tenant(), s.name, c.app.now_epoch());
  out["session"]["id"] = s.id;
  c.send(200, out);
}

void delete_session(Call& c) {
  const auto s = resolve_session(c);
  auto out = service::alm_session_delete(c.store(), c.tenant(), s.name);
  c.audit("alm_session.delete", session_resource(s), {{"name", s.name}});
  out["id"] = s.id;
  c.send(200, out);
}

// A run on the session's inputs; ?tier1= ?nii_horizon_months= override the stored settings.
void run_session(Call& c, AlmRun run) {
  const auto s = resolve_session(c);
  QueryFields q(c);
  service::AlmRequest r;
  r.tenant = c.tenant();
  r.session = s.name;
  r.tier1 = q.number("tier1");
  if (auto v = q.integer("nii_horizon_months", 1, 600)) r.nii_horizon_months = static_cast<int>(*v);
  q.throw_if_errors("ALM session run");
  auto out = run(&c.store(), r);
  out["session_id"] = s.id;
  c.send(200, out);
}

void session_eve(Call& c) { run_session(c, service::alm_eve); }
void session_nii(Call& c) { run_session(c, service::alm_nii); }
void session_gap(Call& c) { run_session(c, service::alm_gap); }

// `keel alm shocks --currency CCY [--no-floor]`: ?currency= (default USD) ?floor=true|false.
void shocks(Call& c) {
  QueryFields q(c);
  service::AlmShocksRequest r;
  if (auto v = q.text("currency")) {
    if (v->size() != 3) q.fail("currency", "expected an ISO currency code such as USD");
    r.currency = *v;
  }
  if (auto v = q.boolean("floor")) r.floor = *v;
  q.throw_if_errors("ALM shocks request");
  try {
    c.send(200, service::alm_shocks(nullptr, r));
  } catch (const Error& e) {
    // A currency missing from the table is a problem with that parameter.
    if (e.code() != ErrorCode::kInvalidInput) throw;
    throw Error::invalid_input("invalid ALM shocks request", {std::string("currency: ") + e.what()});
  }
}

// `keel alm session cleanup`: deletes expired sessions, then evicts the least recently used until
// the sessions fit the disk budget. The budget spans every tenant's sessions, so only an admin may
// set it ({"disk_budget_mb": n}); others get the CLI's default of 1024 MB.
constexpr std::int64_t kDefaultDiskBudgetMb = 1024;

void cleanup_sessions(Call& c) {
  const auto body = c.req.body.empty() ? nlohmann::json::object() : c.json_body();  // every field is optional
  Fields f(body);
  const auto budget = f.integer("disk_budget_mb", 0, 1LL << 30);
  f.throw_if_errors("ALM session cleanup");
  if (budget && *budget != kDefaultDiskBudgetMb && c.principal().role != store::Role::kAdmin) {
    throw Error(ErrorCode::kForbidden, "only an admin may set the sessions' disk budget",
                {"disk_budget_mb: the budget spans every tenant's sessions"});
  }
  const std::int64_t mb = budget.value_or(kDefaultDiskBudgetMb);
  const auto out = service::alm_session_cleanup(c.store(), c.app.now_epoch(), mb * 1024 * 1024);
  c.audit("alm_session.cleanup", "alm_sessions",
          {{"disk_budget_mb", mb}, {"expired", out["expired"]}, {"evicted", out["evicted"]}});
  c.send(200, out);
}

}  // namespace

void add_alm_routes(App& app) {
  app.add_route({"POST", "/api/v1/alm/eve", "EVE under the six BCBS shocks (balance sheet and curves inline, or session)",
                 "alm", Permission::kCompute, alm_eve, "json"});
  app.add_route({"POST", "/api/v1/alm/nii", "NII under the shocks", "alm", Permission::kCompute, alm_nii, "json"});
  app.add_route({"POST", "/api/v1/alm/gap", "Repricing gap", "alm", Permission::kCompute, alm_gap, "json"});
  app.add_route({"POST", "/api/v1/alm/sessions",
                 "Store an ALM session {name, balance_sheet, curves, currency, as_of, ttl_seconds}; runs EVE/NII/gap",
                 "alm", Permission::kImportPositions, create_session, "json"});
  RouteSpec list{"GET", "/api/v1/alm/sessions", "ALM sessions of the tenant (?limit= ?cursor=)", "alm",
                 Permission::kRead, list_sessions};
  list.paginated = true;
  app.add_route(std::move(list));
  app.add_route({"GET", "/api/v1/alm/sessions/{id}", "A session's inputs summary and latest results", "alm",
                 Permission::kRead, show_session});
  app.add_route({"DELETE", "/api/v1/alm/sessions/{id}", "Delete an ALM session", "alm", Permission::kImportPositions,
                 delete_session});
  app.add_route({"GET", "/api/v1/alm/sessions/{id}/eve", "EVE on the session's inputs (?tier1=)", "alm",
                 Permission::kCompute, session_eve});
  app.add_route({"GET", "/api/v1/alm/sessions/{id}/nii", "NII on the session's inputs (?nii_horizon_months=)", "alm",
                 Permission::kCompute, session_nii});
  app.add_route({"GET", "/api/v1/alm/sessions/{id}/gap", "Repricing gap of the session", "alm", Permission::kCompute,
                 session_gap});
  app.add_route({"GET", "/api/v1/alm/shocks",
                 "Supervisory shock sizes (bp) at the 19 bucket midpoints (?currency= ?floor=)", "alm",
                 Permission::kRead, shocks});
  app.add_route({"POST", "/api/v1/alm/sessions/cleanup",
                 "Delete expired ALM sessions and enforce the disk budget {disk_budget_mb (admin only)}", "alm",
                 Permission::kManagePortfolios, cleanup_sessions, "json"});
}

}  // namespace keel::server
