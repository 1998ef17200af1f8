// ALM (IRRBB) over HTTP: one-off runs POST /api/v1/alm/{eve,nii,gap} (balance sheet and curves
// inline, or "session"), and stored sessions: POST/GET /api/v1/alm/sessions, GET/DELETE
// /api/v1/alm/sessions/{id}, GET /api/v1/alm/sessions/{id}/{eve,nii,gap} (a run on the session's
// stored inputs and settings; the result is also kept in the session). {id} is the session's
// numeric id or its name; another tenant's session answers 404. GET /api/v1/alm/shocks?currency=
// is the `keel alm shocks` table, GET /api/v1/alm/sessions/{id}/shocks the same with the session's
// curve (base and shocked zero rates) and shock table; GET /api/v1/alm/curves lists the stored
// curves a request may name. POST /api/v1/alm/sessions/cleanup is `keel alm session cleanup`; the
// server also cleans by itself, at start and every --alm-cleanup-interval (add_alm_routes). An
// expired session is gone: reading it answers 404 and never renews it. The use cases
// (keel/service/alm_sessions.h) check the permission and write the audit row; the routes parse, call one
// and answer.
#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "app.h"
#include "query.h"
#include "requests.h"
#include "keel/service/alm_runs.h"
#include "keel/service/alm_sessions.h"
#include "keel/service/alm_shocks.h"

namespace keel::server {
namespace {

// ?tier1= ?nii_horizon_months=: a session run's overrides of its stored settings.
struct SessionRunQuery {
  std::optional<double> tier1;
  std::optional<int> nii_horizon_months;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "tier1", .help = "Tier 1 capital for the outlier tests (default: the session's)",
             .unit = "currency units", .min = 0, .min_exclusive = true},
            s.tier1);
    v.field({.name = "nii_horizon_months", .help = "NII horizon (default: the session's)", .unit = "months",
             .min = 1, .max = 600},
            s.nii_horizon_months);
  }
};

// ?currency= ?floor=: `keel alm shocks` over GET.
struct ShocksQuery {
  std::string currency = "USD";
  bool floor = true;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "currency", .help = "ISO currency of the shock table"}, s.currency);
    v.field({.name = "floor", .help = "Apply the post-shock rate floor"}, s.floor);
  }
};

// Reads a body into Req; `check` adds the problems the description cannot say (one of two fields
// required), reported with the reader's own in one 400.
template <class Req, class Check>
Req read_body(Call& c, std::string_view what, Check check) {
  const auto body = c.json_body();
  Req r;
  std::vector<std::string> problems;
  try {
    spec::read_json(body, r, what);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
    problems = e.details();
  }
  check(body, r, problems);
  if (!problems.empty()) throw Error::invalid_input("invalid " + std::string(what), problems);
  return r;
}

// A run needs a balance sheet and curves, unless it names a session.
void check_inputs(const nlohmann::json& body, const service::AlmRequest& r, std::vector<std::string>& problems) {
  if (r.session) return;
  if (!r.balance_sheet && !body.contains("balance_sheet") && !r.balance_sheet_zip &&
      !body.contains("balance_sheet_zip")) {
    problems.push_back(
        "balance_sheet: required: the balance-sheet CSV as a string (or \"balance_sheet_zip\", or \"session\")");
  }
  if (r.curves.empty() && !body.contains("curves")) {
    problems.push_back("curves: required: [{\"currency\":\"USD\",\"text\":\"tenor,rate\\n...\"}]");
  }
}

// The /alm/{eve,nii,gap} body.
service::AlmRequest alm_request(Call& c) {
  return read_body<service::AlmRequest>(c, "ALM request", check_inputs);
}

void alm_eve(Call& c) { c.send(200, spec::to_json(service::alm_eve(c.service(), alm_request(c)))); }
void alm_nii(Call& c) { c.send(200, spec::to_json(service::alm_nii(c.service(), alm_request(c)))); }
void alm_gap(Call& c) { c.send(200, spec::to_json(service::alm_gap(c.service(), alm_request(c)))); }

// The path's session, by id or name; an expired one is gone (404, not renewed).
service::AlmSessionInfo resolve_session(Call& c) { return service::alm_session_find(c.service(), c.param("id")); }

// GET /api/v1/alm/limits: what a session may ask for on this server, for a form's choices.
struct AlmLimits {
  std::int64_t max_ttl_seconds = 0;
  std::int64_t disk_budget_mb = 0;
  std::int64_t user_budget_mb = 0;
  static constexpr const char* kSchemaName = "AlmLimits";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "max_ttl_seconds",
             .help = "The longest time to live a session may ask for, and the default (--alm-session-ttl)",
             .unit = "seconds"},
            s.max_ttl_seconds);
    v.field({.name = "disk_budget_mb", .help = "Each tenant's sessions' disk budget (0: none)", .unit = "MB"},
            s.disk_budget_mb);
    v.field({.name = "user_budget_mb", .help = "Each user's own sessions' disk budget (0: none)", .unit = "MB"},
            s.user_budget_mb);
  }
};

void alm_limits(Call& c) {
  c.send(200, spec::to_json(AlmLimits{c.app.config.alm_session_ttl_seconds, c.app.config.alm_disk_budget_mb,
                                      c.app.config.alm_user_budget_mb}));
}

void alm_usage(Call& c) {
  c.send(200, spec::to_json(
                  service::alm_usage(c.service(), c.app.config.alm_disk_budget_mb, c.app.config.alm_user_budget_mb)));
}

// The /alm/eve body plus {"name", "ttl_seconds"} -> 201 {"session","eve","nii","gap","warnings"}.
void create_session(Call& c) {
  auto req = read_body<service::AlmSessionCreateRequest>(
      c, "ALM session", [](const nlohmann::json& body, const auto& r, std::vector<std::string>& problems) {
        if (r.inputs.session) {
          problems.push_back("session: a new session takes a balance sheet and curves, not a session");
        } else {
          check_inputs(body, r.inputs, problems);
        }
      });
  if (req.name.empty()) throw Error::invalid_input("invalid ALM session", {"name: required"});
  // The server's time to live: the default, and the longest a session may ask for.
  const std::int64_t max_ttl = c.app.config.alm_session_ttl_seconds;
  if (!c.json_body().contains("ttl_seconds")) {
    req.ttl_seconds = max_ttl;
  } else if (req.ttl_seconds > max_ttl) {
    throw Error::invalid_input("invalid ALM session",
                               {fmt::format("ttl_seconds: at most {} (the server's --alm-session-ttl), got {}", max_ttl,
                                            req.ttl_seconds)});
  }
  c.send(201, spec::to_json(service::alm_session_create(c.service(), req)));
}

void list_sessions(Call& c) {
  const auto q = c.query_as<PageQuery>("ALM session list parameters");
  auto all = service::alm_session_list(c.service());
  c.send(200, spec::to_json(page_of(q, std::move(all.items), "s")));
}

void show_session(Call& c) {
  const auto s = resolve_session(c);
  c.send(200, spec::to_json(service::alm_session_show(c.service(), s.name)));
}

void delete_session(Call& c) {
  const auto s = resolve_session(c);
  c.send(200, spec::to_json(service::alm_session_delete(c.service(), s.name)));
}

// {"shared": bool} (default true): the owner or an administrator shares the session with the
// tenant or makes it private.
void share_session(Call& c) {
  service::AlmSessionShareRequest req;
  if (!c.req.body.empty()) spec::read_json(c.json_body(), req, "ALM session sharing");
  req.session = c.param("id");
  c.send(200, spec::to_json(service::alm_session_share(c.service(), req)));
}

// A run on the session's inputs; ?tier1= ?nii_horizon_months= override the stored settings.
service::AlmRequest session_request(Call& c, const service::AlmSessionInfo& s) {
  const auto q = c.query_as<SessionRunQuery>("ALM session run");
  service::AlmRequest r;
  r.session = s.name;
  r.tier1 = q.tier1;
  if (q.nii_horizon_months) r.nii_horizon_months = *q.nii_horizon_months;
  return r;
}

template <class Run>
void run_session(Call& c, Run run) {
  const auto s = resolve_session(c);
  auto out = run(c.service(), session_request(c, s));
  out.session_id = s.id;
  c.send(200, spec::to_json(out));
}

void session_eve(Call& c) { run_session(c, service::alm_eve); }
void session_nii(Call& c) { run_session(c, service::alm_nii); }
void session_gap(Call& c) { run_session(c, service::alm_gap); }

// `keel alm shocks --currency CCY [--no-floor]`: ?currency= (default USD) ?floor=true|false.
void shocks(Call& c) {
  const auto q = c.query_as<ShocksQuery>("ALM shocks request");
  if (q.currency.size() != 3) {
    throw Error::invalid_input("invalid ALM shocks request", {"currency: expected an ISO currency code such as USD"});
  }
  service::AlmShocksRequest r;
  r.currency = q.currency;
  r.floor = q.floor;
  try {
    c.send(200, spec::to_json(service::alm_shocks(c.service(), r)));
  } catch (const Error& e) {
    // A currency missing from the table is a problem with that parameter.
    if (e.code() != ErrorCode::kInvalidInput) throw;
    throw Error::invalid_input("invalid ALM shocks request", {std::string("currency: ") + e.what()});
  }
}

// `keel alm session cleanup`: deletes expired sessions, then evicts the least recently used until
// the sessions fit the disk budget. The budget spans every tenant's sessions, so only an admin may
// set it ({"disk_budget_mb": n}); others get the server's (--alm-disk-budget-mb, default 1024 MB).
void cleanup_sessions(Call& c) {
  service::AlmSessionCleanupRequest req;
  req.disk_budget_mb = c.app.config.alm_disk_budget_mb;
  req.user_budget_mb = c.app.config.alm_user_budget_mb;
  if (!c.req.body.empty()) spec::read_json(c.json_body(), req, "ALM session cleanup");  // every field is optional
  // Each budget holds for every tenant: another value than the server's is an admin's to give.
  const auto server_budget = [&](const char* field, std::int64_t given, std::int64_t server) {
    if (given != server && c.principal().role != Role::kAdmin) {
      throw Error(ErrorCode::kForbidden, fmt::format("only an admin may set {}", field),
                  {fmt::format("{}: the budget holds for every tenant's sessions", field)});
    }
  };
  server_budget("disk_budget_mb", req.disk_budget_mb, c.app.config.alm_disk_budget_mb);
  server_budget("user_budget_mb", req.user_budget_mb, c.app.config.alm_user_budget_mb);
  c.send(200, spec::to_json(service::clean_up_alm_sessions(c.service(), req)));
}

// ?currency= ?floor= of a session's shocks (defaults: the session's currency and floor setting).
struct SessionShocksQuery {
  std::optional<std::string> currency;
  std::optional<bool> floor;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "currency", .help = "A currency the session has a curve in (default: its reporting currency)"},
            s.currency);
    v.field({.name = "floor", .help = "Apply the post-shock floor (default: the session's setting)"}, s.floor);
  }
};

void session_shocks(Call& c) {
  const auto s = resolve_session(c);
  const auto q = c.query_as<SessionShocksQuery>("ALM session shocks");
  c.send(200, spec::to_json(service::alm_session_shocks(c.service(), s.name, q.currency, q.floor)));
}

void stored_curves(Call& c) { c.send(200, spec::to_json(service::alm_stored_curves(c.service()))); }

// The server's own cleanup (expired sessions, then the disk budget), at start and periodically:
// logged when it removed anything; a failure is logged and the next run goes on.
void cleanup_now(App& app) {
  auto store = app.stores.acquire();
  service::AlmSessionCleanupRequest req;
  req.disk_budget_mb = app.config.alm_disk_budget_mb;
  req.user_budget_mb = app.config.alm_user_budget_mb;
  const auto out = service::alm_session_cleanup(app.service_context(*store), req);
  if (out.expired > 0 || out.evicted > 0) {
    app.log_line({{"event", "alm_cleanup"},
                  {"expired", out.expired},
                  {"evicted", out.evicted},
                  {"bytes_after", out.bytes_after}});
  }
}

}  // namespace

void add_alm_routes(App& app) {
  using namespace service;
  app.alm_cleaner = std::make_unique<PeriodicTask>(
      app.config.alm_cleanup_interval_seconds, [&app] { cleanup_now(app); },
      [&app](const std::exception& e) {
        app.log_line({{"level", "error"}, {"event", "alm_cleanup"}, {"error", e.what()}});
      });
  app.add_route(RouteSpec{"POST", "/api/v1/alm/eve",
                          "EVE under the six BCBS shocks (balance sheet and curves inline, or session)", "alm",
                          Permission::kCompute, alm_eve, "json"}
                    .takes<AlmRequest>()
                    .returns<AlmEveResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/alm/nii", "NII under the shocks", "alm", Permission::kCompute, alm_nii,
                          "json"}
                    .takes<AlmRequest>()
                    .returns<AlmNiiResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/alm/gap", "Repricing gap", "alm", Permission::kCompute, alm_gap, "json"}
                    .takes<AlmRequest>()
                    .returns<AlmGapResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/alm/limits",
                          "The server's limits for ALM sessions: the longest time to live (the default too) and the "
                          "disk budget",
                          "alm", Permission::kRead, alm_limits}
                    .returns<AlmLimits>());
  app.add_route(RouteSpec{"GET", "/api/v1/alm/usage",
                          "What the tenant's ALM sessions hold, by owner (sessions, bytes), with the tenant's and each "
                          "user's disk budgets",
                          "alm", service::kAlmSessionCleanup, alm_usage}
                    .returns<service::AlmUsage>());
  app.add_route(RouteSpec{"POST", "/api/v1/alm/sessions",
                          "Store an ALM session {name, balance_sheet, curves, currency, as_of, ttl_seconds}; runs "
                          "EVE/NII/gap",
                          "alm", service::kAlmSessionCreate, create_session, "json"}
                    .takes<AlmSessionCreateRequest>()
                    .returns<AlmSessionCreated>(201));
  app.add_route(RouteSpec{"GET", "/api/v1/alm/sessions", "ALM sessions the caller may see: their own, those shared with the tenant (an admin: all)", "alm", Permission::kRead,
                          list_sessions}
                    .query<PageQuery>()
                    .returns<PageOf<AlmSessionInfo>>());
  app.add_route(RouteSpec{"GET", "/api/v1/alm/sessions/{id}", "A session's inputs summary and latest results",
                          "alm", Permission::kRead, show_session}
                    .returns<AlmSessionShown>()
                    .on_primary());
  app.add_route(RouteSpec{"PUT", "/api/v1/alm/sessions/{id}/sharing",
                          "Share the session with the tenant's users, or make it private {shared} (owner or admin)",
                          "alm", service::kAlmSessionShare, share_session, "json"}
                    .takes<AlmSessionShareRequest>()
                    .returns<AlmSessionInfo>());
  app.add_route(RouteSpec{"DELETE", "/api/v1/alm/sessions/{id}", "Delete an ALM session", "alm",
                          service::kAlmSessionDelete, delete_session}
                    .returns<AlmSessionDeleted>());
  app.add_route(RouteSpec{"GET", "/api/v1/alm/sessions/{id}/eve", "EVE on the session's inputs", "alm",
                          Permission::kCompute, session_eve}
                    .query<SessionRunQuery>()
                    .returns<AlmEveResult>()
                    .on_primary());
  app.add_route(RouteSpec{"GET", "/api/v1/alm/sessions/{id}/nii",
                          "NII on the session's inputs", "alm", Permission::kCompute,
                          session_nii}
                    .query<SessionRunQuery>()
                    .returns<AlmNiiResult>()
                    .on_primary());
  app.add_route(RouteSpec{"GET", "/api/v1/alm/sessions/{id}/gap", "Repricing gap of the session", "alm",
                          Permission::kCompute, session_gap}
                    .query<SessionRunQuery>()
                    .returns<AlmGapResult>()
                    .on_primary());
  app.add_route(RouteSpec{"GET", "/api/v1/alm/sessions/{id}/shocks",
                          "Shock sizes at the 19 bucket midpoints with the session's base and shocked zero rates",
                          "alm", Permission::kRead, session_shocks}
                    .query<SessionShocksQuery>()
                    .returns<AlmShocksResult>()
                    .on_primary());
  app.add_route(RouteSpec{"GET", "/api/v1/alm/curves", "Curves stored with `keel import curve` (curves[].stored)",
                          "alm", Permission::kRead, stored_curves}
                    .returns<AlmStoredCurves>());
  app.add_route(RouteSpec{"GET", "/api/v1/alm/shocks",
                          "Supervisory shock sizes (bp) at the 19 bucket midpoints", "alm",
                          Permission::kRead, shocks}
                    .query<ShocksQuery>()
                    .returns<AlmShocksResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/alm/sessions/cleanup",
                          "Delete expired ALM sessions and enforce the disk budget {disk_budget_mb (admin only)}",
                          "alm", service::kAlmSessionCleanup, cleanup_sessions, "json"}
                    .takes<AlmSessionCleanupRequest>()
                    .returns<AlmSessionCleanup>());
}

}  // namespace keel::server
