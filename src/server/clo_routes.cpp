// CLO analytics over HTTP (the `keel clo` commands) on a deal sent inline as JSON (its collateral
// inline too: a request can never name a server file): POST /api/v1/clo/run, /api/v1/clo/tests,
// /api/v1/clo/grid and /api/v1/clo/montecarlo — a background job (202, kind "clo.montecarlo")
// when more than kInlineScenarios scenarios are asked for or {"async": true}.
// Deals stored in the tenant (keel/service/clo_deals.h): /api/v1/clo/deals (list, create),
// /api/v1/clo/deals/{id} (show ?version=, PUT a new version, DELETE), .../versions,
// .../assumptions (POST: a new version), .../collateral (?version=, ?format=csv), and the same four
// runs on a stored version, .../run (job kind "clo.deal.run" for a large pool or {"async": true}),
// /tests, /grid, /montecarlo (job kind "clo.deal.montecarlo"),
// and the deal's dated ratings and prices, .../ratings and .../marks (POST a CSV body or JSON rows,
// GET the stored ones), which those runs apply.
// {id} is the deal's numeric id or its name; another tenant's deal answers 404.
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <algorithm>
#include <limits>

#include "app.h"
#include "job_kinds.h"
#include "requests.h"
#include "keel/core/csv_writer.h"
#include "keel/core/strings.h"
#include "keel/server/jobs.h"
#include "keel/clo/simulation.h"
#include "keel/service/clo.h"
#include "keel/service/clo_deals.h"
#include "keel/service/clo_determinations.h"
#include "keel/service/clo_trades.h"
#include "query.h"
#include "keel/service/sharding.h"

namespace keel::server {
namespace {

constexpr std::int64_t kInlineScenarios = 1000;

// The body as a Req; a deal naming a collateral file is refused with the other problems.
template <class Req>
Req read_request(const nlohmann::json& body, std::string_view what) {
  std::vector<std::string> problems;
  if (body.is_object()) {
    const auto deal = body.find("deal");
    if (deal != body.end() && deal->is_object()) {
      if (auto col = deal->find("collateral"); col != deal->end() && col->is_string()) {
        problems.push_back("deal.collateral: must be inline (an array): server files cannot be named over HTTP");
      }
    }
  }
  Req r;
  try {
    spec::read_json(body, r, what);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
    std::vector<std::string> all = e.details();
    all.insert(all.end(), problems.begin(), problems.end());
    throw Error::invalid_input(e.what(), all);
  }
  if (!problems.empty()) throw Error::invalid_input("invalid " + std::string(what), problems);
  return r;
}

void clo_run(Call& c) {
  const auto req = read_request<service::CloRunRequest>(c.json_body(), "CLO request");
  c.send(200, spec::to_json(service::clo_run(c.service(), req)));
}

void clo_tests(Call& c) {
  const auto req = read_request<service::CloTestsRequest>(c.json_body(), "CLO tests request");
  c.send(200, spec::to_json(service::clo_tests(c.service(), req)));
}

void clo_grid(Call& c) {
  const auto req = read_request<service::CloGridRequest>(c.json_body(), "CLO grid request");
  c.send(200, spec::to_json(service::clo_grid(c.service(), req)));
}

void clo_montecarlo(Call& c) {
  const auto body = c.json_body();
  const auto req = read_request<service::CloMonteCarloRequest>(body, "CLO Monte Carlo request");
  service::load_clo_deal(c.service(), req.source);  // a bad deal is a 400 now, not a failed job
  if (req.async || req.scenarios > kInlineScenarios) {
    nlohmann::json options = body;
    options.erase("async");
    enqueue_job(c, "clo.montecarlo", {{"options", options}});
    return;
  }
  c.send(200, spec::to_json(service::clo_montecarlo(c.service(), req)));
}

// ---- stored deals ----

std::int64_t deal_id(Call& c) { return service::clo_deal_id(c.service(), c.param("id")); }
// ?version= of a stored deal's reads.
struct VersionQuery {
  std::optional<std::int64_t> version;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "version", .help = "The version (default: the latest)", .min = 1}, s.version);
  }
};

enum class PoolFormat { kJson, kCsv };
inline constexpr std::array<spec::Choice<PoolFormat>, 2> kPoolFormats = {
    {{PoolFormat::kJson, "json"}, {PoolFormat::kCsv, "csv"}}};

struct CollateralQuery {
  std::optional<std::int64_t> version;
  PoolFormat format = PoolFormat::kJson;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "version", .help = "The version (default: the latest)", .min = 1}, s.version);
    v.choice({.name = "format", .help = "json, or csv: the pool as the collateral CSV of docs/clo.md (attachment)"},
             s.format, kPoolFormats);
  }
};

// A body read into Req, every problem at once under its field path.
template <class Req>
Req deal_body(Call& c, std::string_view what) {
  Req r;
  spec::read_json(c.json_body(), r, what);
  return r;
}

void list_deals(Call& c) {
  const auto q = c.query_as<PageQuery>("CLO deal list parameters");
  c.send(200, spec::to_json(page_of(q, service::clo_deal_list(c.service()), "d")));
}

void create_deal(Call& c) {
  const auto req = deal_body<service::CloDealCreateRequest>(c, "CLO deal");
  const auto out = service::clo_deal_create(c.service(), req);
  c.res.set_header("Location", fmt::format("/api/v1/clo/deals/{}", out.deal.id));
  c.send(201, spec::to_json(out));
}

void show_deal(Call& c) {
  const auto q = c.query_as<VersionQuery>("CLO deal parameters");
  c.send(200, spec::to_json(service::clo_deal_show(c.service(), deal_id(c), q.version)));
}

void update_deal(Call& c) {
  auto req = deal_body<service::CloDealUpdateRequest>(c, "CLO deal update");
  req.id = deal_id(c);
  c.send(200, spec::to_json(service::clo_deal_update(c.service(), req)));
}

void set_assumptions(Call& c) {
  auto req = deal_body<service::CloDealAssumptionsRequest>(c, "CLO deal assumptions");
  req.id = deal_id(c);
  c.send(201, spec::to_json(service::clo_deal_set_assumptions(c.service(), req)));
}

void deal_versions(Call& c) { c.send(200, spec::to_json(service::clo_deal_versions(c.service(), deal_id(c)))); }

// The file name of a stored deal's pool: <name>_v<version>_collateral.csv, the name's bytes other
// than [A-Za-z0-9._-] written as '_'.
std::string pool_file_name(const std::string& name, std::int64_t version) {
  std::string slug;
  for (const char ch : name) {
    const auto u = static_cast<unsigned char>(ch);
    slug += std::isalnum(u) || ch == '-' || ch == '.' || ch == '_' ? ch : '_';
  }
  return fmt::format("{}_v{}_collateral.csv", slug.empty() ? "deal" : slug, version);
}

void deal_collateral(Call& c) {
  const auto q = c.query_as<CollateralQuery>("CLO deal collateral parameters");
  const std::int64_t id = deal_id(c);
  const auto pool = service::clo_deal_collateral(c.service(), id, q.version);
  if (q.format == PoolFormat::kJson) {
    c.send(200, spec::to_json(pool));
    return;
  }
  // The one CSV writer (keel/core/csv_writer.h): quoting and the formula guard on every cell.
  CsvWriter csv;
  csv.row({"obligor", "industry", "par", "price", "spread", "floor", "coupon_type", "coupon", "maturity", "rating", "lien",
           "defaulted", "asset_id", "facility_id", "unfunded", "country", "cov_lite", "dip", "moodys_rating",
           "sp_rating"});
  const auto text = [](const auto& v) { return fmt::format("{}", v); };
  const auto flag = [](bool b) { return b ? "true" : "false"; };
  for (const auto& l : pool.items) {
    csv.cell(l.obligor).cell(l.industry).cell(text(l.par)).cell(text(l.price)).cell(text(l.spread)).cell(text(l.floor));
    csv.cell(text(l.coupon_type)).cell(text(l.coupon)).cell(text(l.maturity)).cell(text(l.rating)).cell(l.lien);
    csv.cell(flag(l.defaulted)).cell(l.asset_id).cell(l.facility_id).cell(text(l.unfunded)).cell(l.country);
    csv.cell(flag(l.cov_lite)).cell(flag(l.dip)).cell(l.moodys_rating.value_or("")).cell(l.sp_rating.value_or(""));
    csv.end_row();
  }
  const auto shown = service::clo_deal_show(c.service(), id, pool.version);
  c.res.status = 200;
  c.res.set_header("Content-Disposition",
                   "attachment; filename=\"" + pool_file_name(shown.deal.name, pool.version) + "\"");
  c.res.set_content(csv.take(), "text/csv; charset=utf-8");
}

void delete_deal(Call& c) {
  c.send(200, spec::to_json(service::clo_deal_delete(c.service(), deal_id(c))));
}

// The use case decides: now, or a clo.deal.run job (async, or a large pool).
void deal_run(Call& c) {
  const auto req = deal_body<service::CloDealRunRequest>(c, "CLO request");
  const auto run = service::run_clo_deal(c.service(), deal_id(c), req);
  if (run.job) return send_job(c, *run.job);
  c.send(200, spec::to_json(*run.result));
}

void deal_tests(Call& c) {
  const auto req = deal_body<service::CloDealTestsRequest>(c, "CLO tests request");
  c.send(200, spec::to_json(service::clo_deal_tests(c.service(), deal_id(c), req)));
}

void deal_determine(Call& c) {
  service::CloDetermineRequest req;
  spec::read_json(c.json_body(), req, "CLO determination");
  req.deal = c.param("id");
  c.send(201, spec::to_json(service::clo_determine(c.service(), req)));
}

// POST .../trades/preview and POST .../trades: the ticket tested, or applied as a new version.
void deal_trade(Call& c, bool apply) {
  service::CloTradeRequest req;
  spec::read_json(c.json_body(), req, "CLO trade");
  req.deal = c.param("id");
  if (apply) {
    c.send(201, spec::to_json(service::clo_trade(c.service(), req)));
  } else {
    c.send(200, spec::to_json(service::clo_trade_preview(c.service(), req)));
  }
}

void deal_backfill(Call& c) {
  service::CloBackfillRequest req;
  spec::read_json(c.json_body(), req, "CLO backfill");
  req.deal = c.param("id");
  c.send(201, spec::to_json(service::clo_backfill(c.service(), req)));
}

void deal_determinations(Call& c) {
  auto req = c.query_as<service::CloDeterminationsRequest>("CLO determinations parameters");
  req.deal = c.param("id");
  c.send(200, spec::to_json(service::clo_determinations(c.service(), req)));
}

void deal_grid(Call& c) {
  const auto req = deal_body<service::CloDealGridRequest>(c, "CLO grid request");
  c.send(200, spec::to_json(service::clo_deal_grid(c.service(), deal_id(c), req)));
}

// {"deal": id, "options": {the stored deal's Monte Carlo body, version pinned}}.
std::pair<std::int64_t, service::CloDealMonteCarloRequest> deal_montecarlo_job(const nlohmann::json& request) {
  const auto deal = request.find("deal");
  const auto options = request.find("options");
  std::vector<std::string> problems;
  if (deal == request.end() || !deal->is_number_integer()) problems.push_back("request.deal: required: the deal's id");
  if (options == request.end() || !options->is_object()) {
    problems.push_back("request.options: required: the clo/deals/{id}/montecarlo body");
  }
  if (!problems.empty()) throw Error::invalid_input("invalid job request", problems);
  service::CloDealMonteCarloRequest req;
  spec::read_json(*options, req, "CLO Monte Carlo request");
  return {deal->get<std::int64_t>(), req};
}

void deal_montecarlo(Call& c) {
  const auto body = c.json_body();
  const auto req = deal_body<service::CloDealMonteCarloRequest>(c, "CLO Monte Carlo request");
  const std::int64_t id = deal_id(c);
  if (req.async || req.scenarios > kInlineScenarios) {
    // The version is pinned now: a later edit does not change what the job runs.
    const auto shown = service::clo_deal_show(c.service(), id, req.at.version);
    nlohmann::json options = body;
    options.erase("async");
    options["version"] = shown.version.version;
    enqueue_job(c, "clo.deal.montecarlo", {{"deal", id}, {"options", options}});
    return;
  }
  c.send(200, spec::to_json(service::clo_deal_montecarlo(c.service(), id, req)));
}

// ---- the deal's ratings and marks ----

// The rows of a JSON upload, as the OpenAPI document describes them (the text of each cell goes
// through the CSV reader: a price that is not a number is refused at its line and column).
struct CloRatingRowInput {
  std::string as_of, obligor, rating;
  static constexpr const char* kSchemaName = "CloRatingRowInput";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "YYYY-MM-DD", .required = true}, s.as_of);
    v.field({.name = "obligor", .required = true}, s.obligor);
    v.field({.name = "rating", .help = "Moody's (Aaa .. C) or S&P (AAA .. C)", .required = true}, s.rating);
  }
};
struct CloRatingsUpload {
  std::vector<CloRatingRowInput> ratings;
  static constexpr const char* kSchemaName = "CloRatingsUpload";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "ratings", .help = "Rows of the ratings file (or send the bare array, or the CSV as text/csv)",
             .required = true},
            s.ratings);
  }
};
struct CloPriceRowInput {
  std::string as_of, obligor;
  double price = 0.0;
  static constexpr const char* kSchemaName = "CloPriceRowInput";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "YYYY-MM-DD", .required = true}, s.as_of);
    v.field({.name = "obligor", .required = true}, s.obligor);
    v.field({.name = "price", .unit = "percent of par", .required = true}, s.price);
  }
};
struct CloPricesUpload {
  std::vector<CloPriceRowInput> marks;
  static constexpr const char* kSchemaName = "CloPricesUpload";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "marks", .help = "Rows of the marks file (or send the bare array, or the CSV as text/csv)",
             .required = true},
            s.marks);
  }
};

// The uploaded file: the CSV body, or JSON rows (the bare array or {member: [...]}) as that CSV.
service::CloDealMarksImportRequest marks_upload(Call& c, const char* member) {
  service::CloDealMarksImportRequest req;
  if (c.body_is_json()) {
    const auto body = c.json_body(true);
    const nlohmann::json rows = body.is_array() ? body : body.value(member, nlohmann::json::array());
    if (!rows.is_array()) throw Error::invalid_input(std::string("invalid ") + member, {std::string(member) + ": expected an array"});
    req.input = {"body.json", rows.empty() ? std::string() : positions_json_to_csv(rows, std::string(member) + " array")};
  } else {
    req.input = {"body.csv", c.req.body};
  }
  if (req.input.text->empty()) {
    throw Error::invalid_input(std::string("empty ") + member + " upload", {"body: expected CSV or a JSON array"});
  }
  req.id = deal_id(c);
  return req;
}

void import_ratings(Call& c) {
  c.send(200, spec::to_json(service::clo_deal_import_ratings(c.service(), marks_upload(c, "ratings"))));
}

void import_marks(Call& c) {
  c.send(200, spec::to_json(service::clo_deal_import_marks(c.service(), marks_upload(c, "marks"))));
}

void list_ratings(Call& c) { c.send(200, spec::to_json(service::clo_deal_ratings(c.service(), deal_id(c)))); }
void list_marks(Call& c) { c.send(200, spec::to_json(service::clo_deal_marks(c.service(), deal_id(c)))); }

}  // namespace

void check_clo_deal_montecarlo_job_request(Call& call, const nlohmann::json& request) {
  const auto [id, req] = deal_montecarlo_job(request);
  service::clo_deal_show(call.service(), id, req.at.version);  // 404 for no such deal or version
}

void check_clo_deal_run_job_request(Call& call, const nlohmann::json& request) {
  const auto [id, req] = service::read_clo_deal_run_job(request);
  service::clo_deal_show(call.service(), id, req.at.version);  // 404 for no such deal or version
}

void check_clo_montecarlo_job_request(Call& call, const nlohmann::json& request) {
  const auto it = request.find("options");
  if (it == request.end() || !it->is_object()) {
    throw Error::invalid_input("invalid job request", {"request.options: required: the clo/montecarlo body (deal, ...)"});
  }
  const auto req = read_request<service::CloMonteCarloRequest>(*it, "CLO Monte Carlo request");
  const io::CloDealFile file = service::load_clo_deal({nullptr, server_env()}, req.source);
  // Admitted as a job before it is queued (docs/server.md "Limits"): over the job limits, 413.
  service::admit(call.service(), service::clo_montecarlo_cost(clo::CloModel(file.deal), req.scenarios));
}

void add_clo_routes(App& app) {
  using namespace service;
  app.jobs->register_kind("clo.montecarlo", [&app](JobContext& ctx, const nlohmann::json& request) {
    return service::run_clo_montecarlo_job(service::Context{nullptr, app.env()}, ctx, request,
                                           app.config.shard_scenarios);
  });
  app.jobs->register_kind("clo.montecarlo.shard", [&app](JobContext& ctx, const nlohmann::json& request) {
    return service::run_clo_montecarlo_shard_job(service::Context{nullptr, app.env()}, ctx, request);
  });
  app.jobs->register_kind("clo.deal.montecarlo", [&app](JobContext& ctx, const nlohmann::json& request) {
    const auto [id, req] = deal_montecarlo_job(request);
    ctx.progress(0.05, fmt::format("simulating {} scenarios", req.scenarios));
    return spec::to_json(
        service::clo_deal_montecarlo(job_service(app, ctx), id, req));
  });
  app.jobs->register_kind("clo.deal.run", [&app](JobContext& ctx, const nlohmann::json& request) {
    const auto [id, req] = service::read_clo_deal_run_job(request);
    ctx.progress(0.05, "projecting the deal");
    return spec::to_json(service::clo_deal_run(job_service(app, ctx), id, req));
  });
  app.add_route(RouteSpec{"GET", "/api/v1/clo/deals", "CLO deals stored in the tenant", "clo", Permission::kRead,
                          list_deals}
                    .query<PageQuery>()
                    .returns<PageOf<CloDealInfo>>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals",
                          "Store a CLO deal {name, deal, collateral_csv, cdr, cpr, recovery, recovery_lag} (version 1)",
                          "clo", service::kCloDealCreate, create_deal, "json"}
                    .takes<CloDealCreateRequest>()
                    .returns<CloDealCreated>(201));
  app.add_route(RouteSpec{"GET", "/api/v1/clo/deals/{id}", "A stored deal's version (?version=, default the latest)",
                          "clo", Permission::kRead, show_deal}
                    .query<VersionQuery>()
                    .returns<CloDealShown>());
  app.add_route(RouteSpec{"PUT", "/api/v1/clo/deals/{id}",
                          "A new version with another deal document and/or pool {deal, collateral_csv, assumptions}",
                          "clo", service::kCloDealUpdate, update_deal, "json"}
                    .takes<CloDealUpdateRequest>()
                    .returns<CloDealShown>());
  app.add_route(RouteSpec{"DELETE", "/api/v1/clo/deals/{id}", "Delete a stored deal with every version", "clo",
                          service::kCloDealDelete, delete_deal}
                    .returns<CloDealDeleted>());
  app.add_route(RouteSpec{"GET", "/api/v1/clo/deals/{id}/versions", "The deal's versions, oldest first", "clo",
                          Permission::kRead, deal_versions}
                    .returns<CloDealVersions>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals/{id}/assumptions",
                          "A new version with other assumptions {cdr, cpr, recovery, recovery_lag, comment}", "clo",
                          service::kCloDealAssumptions, set_assumptions, "json"}
                    .takes<CloDealAssumptionsRequest>()
                    .returns<CloDealVersionInfo>(201));
  app.add_route(RouteSpec{"GET", "/api/v1/clo/deals/{id}/collateral",
                          "A version's pool (?version=; ?format=csv: the collateral CSV as an attachment)", "clo",
                          Permission::kRead, deal_collateral}
                    .query<CollateralQuery>()
                    .returns<CloDealCollateral>()
                    .returns_media("text/csv"));
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals/{id}/ratings",
                          "Import dated ratings of the deal's obligors (CSV body as_of,obligor,rating or JSON rows); "
                          "all rows validated, nothing stored on error",
                          "clo", service::kCloDealRatingsImport, import_ratings, "json|csv"}
                    .takes<CloRatingsUpload>()
                    .returns<CloDealMarksImported>());
  app.add_route(RouteSpec{"GET", "/api/v1/clo/deals/{id}/ratings", "The deal's stored ratings by date and obligor",
                          "clo", Permission::kRead, list_ratings}
                    .returns<CloDealMarks>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals/{id}/marks",
                          "Import dated prices of the deal's obligors (CSV body as_of,obligor,price in percent of par, "
                          "or JSON rows); all rows validated, nothing stored on error",
                          "clo", service::kCloDealMarksImport, import_marks, "json|csv"}
                    .takes<CloPricesUpload>()
                    .returns<CloDealMarksImported>());
  app.add_route(RouteSpec{"GET", "/api/v1/clo/deals/{id}/marks", "The deal's stored prices by date and obligor", "clo",
                          Permission::kRead, list_marks}
                    .returns<CloDealMarks>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals/{id}/run",
                          "Projection and waterfall of a stored version {version, marks_as_of, cdr, cpr, recovery, "
                          "recovery_lag, async} (a pool of more than 1000 loans, or async: a job, 202)",
                          "clo", service::kCloDealRun, deal_run, "json"}
                    .takes<CloDealRunRequest>()
                    .returns<CloRunResult>()
                    .returns<JobView>(202));
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals/{id}/tests",
                          "Collateral quality and coverage tests of a stored version {version, as_of, ...}", "clo",
                          service::kCloRun, deal_tests, "json"}
                    .takes<CloDealTestsRequest>()
                    .returns<CloTestsResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals/{id}/determinations",
                          "Run the deal's tests for a determination date and keep them {as_of, version, alert_below}: "
                          "each test with its cushion, breaches and alerts (audited clo.determine)",
                          "clo", service::kCloDetermine, deal_determine, "json"}
                    .takes<service::CloDetermineRequest>()
                    .returns<service::CloDetermination>(201));
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals/{id}/trades/preview",
                          "Test a trade ticket {trade_date, trades_csv, version} on the pool: every test before and "
                          "after with its effect, and whether the ticket maintains or improves them; nothing kept",
                          "clo", service::kCloTradePreview, [](Call& c) { deal_trade(c, false); }, "json"}
                    .takes<service::CloTradeRequest>()
                    .returns<service::CloTradeResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals/{id}/trades",
                          "Apply a trade ticket {trade_date, trades_csv, comment} to the latest pool: a new version "
                          "(change trade), the net cash in the principal account (audited clo_deal.trade)",
                          "clo", service::kCloTrade, [](Call& c) { deal_trade(c, true); }, "json"}
                    .takes<service::CloTradeRequest>()
                    .returns<service::CloTradeResult>(201));
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals/{id}/determinations/backfill",
                          "Keep the deal's determinations on every month-end of {from, to} (each as POST "
                          ".../determinations keeps it; month-ends before closing skipped)",
                          "clo", service::kCloDetermine, deal_backfill, "json"}
                    .takes<service::CloBackfillRequest>()
                    .returns<service::CloDeterminations>(201));
  app.add_route(RouteSpec{"GET", "/api/v1/clo/deals/{id}/determinations",
                          "The tests kept per determination date, oldest first (?from= ?to=): each test's cushion "
                          "over time",
                          "clo", Permission::kRead, deal_determinations}
                    .query<service::CloDeterminationsRequest>()
                    .returns<service::CloDeterminations>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals/{id}/grid",
                          "Tranche IRR/WAL/loss of a stored version over a CDR x CPR x recovery grid", "clo",
                          Permission::kCompute, deal_grid, "json"}
                    .takes<CloDealGridRequest>()
                    .returns<CloGridResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/deals/{id}/montecarlo",
                          "Correlated-default Monte Carlo of a stored version (> 1000 scenarios: a job, 202)", "clo",
                          service::kCloRun, deal_montecarlo, "json"}
                    .takes<CloDealMonteCarloRequest>()
                    .returns<CloMonteCarloResult>()
                    .returns<JobView>(202));
  app.add_route(RouteSpec{"POST", "/api/v1/clo/run", "CLO cash-flow projection and waterfall {deal, cdr, cpr, recovery}",
                          "clo", service::kCloRun, clo_run, "json"}
                    .takes<CloRunRequest>()
                    .returns<CloRunResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/tests",
                          "Collateral quality and coverage tests {deal, as_of, cdr, cpr, recovery}", "clo",
                          service::kCloRun, clo_tests, "json"}
                    .takes<CloTestsRequest>()
                    .returns<CloTestsResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/grid", "Tranche IRR/WAL/loss over a CDR x CPR x recovery grid", "clo",
                          service::kCloRun, clo_grid, "json"}
                    .takes<CloGridRequest>()
                    .returns<CloGridResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/clo/montecarlo",
                          "Correlated-default Monte Carlo {deal, scenarios, seed, correlation} (> 1000 scenarios: a "
                          "job, 202)",
                          "clo", service::kCloRun, clo_montecarlo, "json"}
                    .takes<CloMonteCarloRequest>()
                    .returns<CloMonteCarloResult>()
                    .returns<JobView>(202));
}

}  // namespace keel::server
