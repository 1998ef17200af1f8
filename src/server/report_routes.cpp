// Reports and the batch over HTTP (the use cases of keel/service/batch.h, report_build.h and report_cache.h):
// GET /api/v1/portfolios/{id}/report?as_of= (the report.json document, cached in cached_results
// until the portfolio's positions or the last price date change; ?refresh=true recomputes),
// GET /api/v1/portfolios/{id}/history?from=&to= (the stored snapshots), and POST /api/v1/batch
// {"portfolios":[ids or names] (absent: all), "as_of"} -> 202, job kind "batch.run" with progress
// per portfolio. Report files are written only when the server was started with --reports-dir,
// under <reports_dir>/<tenant>/. `keel serve --batch-daily HH:MM` enqueues batch.run for every
// tenant once a day (keel/server/scheduler.h).
#include <fmt/format.h>
#include <sodium.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>

#include "app.h"
#include "job_kinds.h"
#include "keel/io/xlsx_writer.h"
#include "keel/io/zip_writer.h"
#include "keel/server/jobs.h"
#include "keel/service/backfill.h"
#include "keel/service/batch.h"
#include "keel/service/jobs.h"
#include "keel/service/portfolio_history.h"
#include "keel/service/portfolio_performance.h"
#include "keel/service/report.h"
#include "keel/service/report_cache.h"
#include "keel/service/report_markdown.h"
#include "keel/service/report_writer.h"
#include "query.h"
#include "requests.h"

namespace keel::server {
// The tenant's folder under --reports-dir: its name with every byte but [A-Za-z0-9-] written as
// _XX (hex), so that the mapping is one-to-one (tenants "t.x" and "t_x" get "t_2Ex" and "t_5Fx")
// and no name can leave the directory.
std::string tenant_folder(const std::string& tenant) {
  std::string out;
  for (char ch : tenant) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) || ch == '-')
      out += ch;
    else
      out += fmt::format("_{:02X}", u);
  }
  return out.empty() ? "_" : out;
}

namespace {

// ?as_of= ?currency= ?refresh= of the report routes.
struct ReportQuery {
  std::optional<Date> as_of;
  std::optional<std::string> currency;
  bool refresh = false;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Report date (default: the latest price date)"}, s.as_of);
    v.field({.name = "currency",
             .help = "Report in this currency for this request, converting with the stored FX rates "
                     "(default: the portfolio's reporting currency)"},
            s.currency);
    v.field({.name = "refresh", .help = "Recompute even when a cached report is valid"}, s.refresh);
  }
};

// The download's format beside the report's parameters.
enum class DownloadFormat { kJson, kCsv, kXlsx, kZip, kMd };
inline constexpr std::array<spec::Choice<DownloadFormat>, 5> kDownloadFormats = {
    {{DownloadFormat::kJson, "json"},
     {DownloadFormat::kCsv, "csv"},
     {DownloadFormat::kXlsx, "xlsx"},
     {DownloadFormat::kZip, "zip"},
     {DownloadFormat::kMd, "md"}}};

struct ReportDownloadQuery {
  ReportQuery report;
  DownloadFormat format = DownloadFormat::kJson;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.report);
    v.choice(
        {.name = "format",
         .help = "json (report.json), csv (positions.csv), xlsx (report.xlsx), zip (report.md with its "
                 "chart SVGs and positions.csv in one folder) or md (report.md alone, its charts inline as "
                 "data: URIs)"},
        s.format, kDownloadFormats);
  }
};

// The report document of the path's portfolio (service::cached_report); sets X-Keel-Cache.
nlohmann::json report_document(Call& c, const PortfolioSummary& p, const ReportQuery& q) {
  auto out = service::cached_report(c.service(), p, q.as_of, q.refresh, q.currency);
  c.res.set_header("X-Keel-Cache", out.hit ? "hit" : "miss");
  return std::move(out.document);
}

void report(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  const auto q = c.query_as<ReportQuery>("report request");
  c.send(200, report_document(c, p, q));
}

// report.md with its chart SVGs and positions.csv, written by write_report_files into a private
// temporary folder, zipped under one folder named `base` and removed.
std::string report_zip(const nlohmann::json& doc, const std::string& base, const std::string& request_id) {
  namespace fs = std::filesystem;
  const fs::path tmp = fs::temp_directory_path() / fmt::format("keel-report-{}-{}", ::getpid(), request_id);
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  } cleanup{tmp};
  const std::vector<std::string> files = service::write_report_files(doc, tmp.string(), {"md", "csv"});
  io::ZipWriter zip;
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) throw Error::internal("report archive: cannot read " + fs::path(f).filename().string());
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    zip.add(base + "/" + fs::path(f).lexically_relative(tmp).generic_string(), data);
  }
  return zip.finish();
}

// Standard base64 with padding (RFC 4648 section 4), as data: URIs take it.
std::string base64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the terminating NUL the encoded length counts
  return out;
}

// report.md as one file: the markdown `keel report` writes, each chart it links to inline as a
// data: URI (the zip keeps them as files).
std::string report_markdown_alone(const nlohmann::json& doc) {
  auto files = service::render_markdown_report(service::report_from_json(doc));
  std::string md = files.at("report.md");
  for (const auto& [name, svg] : files) {
    if (name == "report.md") continue;
    const std::string link = "](" + name + ")";
    const std::string inline_link = "](data:image/svg+xml;base64," + base64(svg) + ")";
    for (auto at = md.find(link); at != std::string::npos; at = md.find(link, at + inline_link.size())) {
      md.replace(at, link.size(), inline_link);
    }
  }
  return md;
}

// The Content-Disposition of a download named `name` (RFC 6266): `filename` holds an ASCII
// stand-in, `fallback` with every byte but printable ASCII and with " \ ; replaced by '_', and
// `filename*` holds `name` itself as UTF-8, percent-encoded (RFC 8187: every byte but the
// attr-chars A-Z a-z 0-9 ! # $ & + - . ^ _ ` | ~), its control characters (CR and LF included)
// and double quotes removed and its path separators / \ made '_'. Nothing of a name can end the
// header, add a parameter or a header line.
std::string attachment_disposition(const std::string& name, const std::string& fallback) {
  std::string ascii;
  for (const char c : fallback) {
    const auto u = static_cast<unsigned char>(c);
    ascii += (u < 0x20 || u >= 0x7F || c == '"' || c == '\\' || c == ';') ? '_' : c;
  }
  std::string encoded;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '"') continue;
    if (c == '/' || c == '\\') {
      encoded += '_';
      continue;
    }
    const bool attr_char = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                           std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
    encoded += attr_char ? std::string(1, c) : fmt::format("%{:02X}", u);
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

// The report as a file to save: report.json, positions.csv, report.xlsx (the renderings `keel
// report` writes) or a zip of report.md, its charts and positions.csv, named <portfolio>_<as_of>.<ext>
// (filename*; filename: the portfolio's slug, as the report folder).
void report_download(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  const auto q = c.query_as<ReportDownloadQuery>("report download");
  const auto doc = report_document(c, p, q.report);
  const std::string as_of = doc.value("as_of", std::string("latest"));
  const std::string base = service::report_dir_name(p.name, as_of);
  std::string body;
  std::string type;
  if (q.format == DownloadFormat::kJson) {
    body = doc.dump(2) + "\n";
    type = "application/json";
  } else if (q.format == DownloadFormat::kCsv) {
    body = service::positions_csv(service::report_from_json(doc));
    type = "text/csv; charset=utf-8";
  } else if (q.format == DownloadFormat::kMd) {
    body = report_markdown_alone(doc);
    type = "text/markdown; charset=utf-8";
  } else if (q.format == DownloadFormat::kZip) {
    body = report_zip(doc, base, c.request_id());
    type = "application/zip";
  } else {
    // libxlsxwriter writes to a file: a private temporary one, read back and removed.
    namespace fs = std::filesystem;
    const fs::path tmp =
        fs::temp_directory_path() / fmt::format("keel-report-{}-{}.xlsx", ::getpid(), c.request_id());
    try {
      io::write_xlsx(tmp.string(), service::report_workbook(service::report_from_json(doc)));
      std::ifstream in(tmp, std::ios::binary);
      body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } catch (...) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw;
    }
    std::error_code ec;
    fs::remove(tmp, ec);
    type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  c.res.status = 200;
  const std::string ext = "." + std::string(spec::choice_name(kDownloadFormats, q.format));
  c.res.set_header("Content-Disposition", attachment_disposition(p.name + "_" + as_of + ext, base + ext));
  c.res.set_content(std::move(body), type);
}

void history(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  auto req = c.query_as<service::PortfolioHistoryRequest>("history request");
  req.portfolio = p.name;
  auto out = service::portfolio_history(c.service(), req);
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

// The report.json a snapshot kept, as it was written.
void history_report(Call& c) {
  const auto as_of = Date::parse_or_throw(c.param("as_of"), "as_of");
  c.res.status = 200;
  c.res.set_content(service::snapshot_report(c.service(), c.param("id"), as_of), "application/json");
}

void performance(Call& c) {
  const auto p = service::resolve_portfolio(c.service(), c.param("id"));
  auto req = c.query_as<service::PortfolioPerformanceRequest>("performance request");
  req.portfolio = p.name;
  auto out = service::portfolio_performance(c.service(), req);
  out.portfolio_id = p.id;
  c.send(200, spec::to_json(out));
}

// {"portfolios": [id or name, ...] (absent or null: every portfolio of the tenant), "as_of"}: the
// A batch's body with its "portfolios" read as the description's list of strings: ids or names,
// an integer id as its decimal text (resolve_portfolio takes either); null as absent (every one).
nlohmann::json portfolios_as_text(const nlohmann::json& body) {
  nlohmann::json normalised = body;
  if (normalised.is_object()) {
    if (auto it = normalised.find("portfolios"); it != normalised.end()) {
      if (it->is_null()) {
        normalised.erase(it);
      } else if (it->is_array()) {
        for (auto& v : *it) {
          if (v.is_number_integer()) v = fmt::format("{}", v.get<std::int64_t>());
        }
      }
    }
  }
  return normalised;
}

// checks and the stored request are batch_run_job_request's (also used by POST /api/v1/jobs).
void batch(Call& c) {
  enqueue_job(c, "batch.run", c.json_body());
}

// POST /api/v1/batch/backfill: the checks and the stored request are batch_backfill_job_request's.
void batch_backfill(Call& c) {
  enqueue_job(c, "batch.backfill", c.json_body());
}

void batch_schedule(Call& c) {
  const App& app = c.app;
  BatchSchedule out;
  if (const auto minute = app.config.batch_daily_minute) {
    out.daily_at_utc.emplace(fmt::format("{:02}:{:02}", *minute / 60, *minute % 60));
    // The scheduler's own clock (a test's fake one, when given).
    const std::int64_t now = app.config.scheduler_clock ? app.config.scheduler_clock() : app.now_epoch();
    out.next_run.emplace(iso_utc(next_daily_run(now, *minute)));
    if (app.scheduler) out.runs_since_start = app.scheduler->runs();
  }
  if (!app.config.batch_market_data.provider.empty()) {
    out.market_data_provider.emplace(app.config.batch_market_data.provider);
  }
  for (const char* step : service::kBatchStepNames) {
    if (std::string_view(step) == "reports" && !app.config.reports_dir) continue;
    out.steps.push_back(step);
  }
  c.send(200, spec::to_json(out));
}

// The stored request of a batch.run job (batch_run_job_request, or the scheduler's) as the
// BatchRequest it describes: the fields of BatchRequest's description, the portfolios resolved
// to names (null or absent: every portfolio), and the scheduler's note of when it fired.
service::BatchRequest batch_request_of(const nlohmann::json& stored) {
  nlohmann::json body = stored.is_object() ? stored : nlohmann::json::object();
  body.erase("scheduled_at_epoch");
  if (auto it = body.find("portfolios"); it != body.end() && it->is_null()) body.erase(it);
  service::BatchRequest req;
  spec::read_json(body, req, "batch job");
  return req;
}

nlohmann::json run_batch_job(const App& app, JobContext& ctx, const nlohmann::json& request) {
  service::BatchRequest req = batch_request_of(request);
  req.reports = app.config.reports_dir.has_value();
  if (app.config.reports_dir) {
    req.out_dir = (std::filesystem::path(*app.config.reports_dir) / tenant_folder(ctx.job().tenant)).string();
  }
  req.market_data = app.config.batch_market_data;
  req.progress = [&ctx](const std::string& portfolio, std::size_t done, std::size_t total) {
    // Called before each portfolio (done = portfolios finished) and once at the end (portfolio "").
    ctx.progress(total ? static_cast<double>(done) / static_cast<double>(total) : 1.0,
                 portfolio.empty() ? fmt::format("finished {} portfolios", total)
                                   : fmt::format("portfolio {} of {}: {}", done + 1, total, portfolio));
  };
  ctx.progress(0.0, "starting the batch");
  return spec::to_json(service::run_batch(job_service(app, ctx), req));
}

// Enqueues batch.run for every tenant that has users and portfolios (the scheduler's `fire`), as
// user "scheduler" (service::enqueue_scheduled_batches).
void enqueue_daily_batches(App& app, std::int64_t scheduled_epoch) {
  try {
    auto lease = app.stores.acquire();
    service::Context cx = app.service_context(*lease);
    cx.actor.user = "scheduler";
    cx.actor.client = "";
    const auto out = service::enqueue_scheduled_batches(cx, scheduled_epoch);
    app.jobs->notify();
    app.log_line(
        {{"event", "batch_scheduled"}, {"tenants", out.tenants}, {"scheduled_at_epoch", scheduled_epoch}});
  } catch (const std::exception& e) {
    app.log_line({{"level", "error"}, {"event", "batch_schedule_failed"}, {"error", e.what()}});
  }
}

}  // namespace

nlohmann::json batch_run_job_request(Call& c, const nlohmann::json& body) {
  const nlohmann::json normalised = portfolios_as_text(body);
  service::BatchRequest req;
  spec::read_json(normalised, req, "batch request");
  service::check_batch_steps(req.steps);
  const std::vector<std::string> names = service::portfolio_names(c.service(), req.portfolios);
  // The stored request: the body as read, with names for ids (the job runs it as a BatchRequest).
  nlohmann::json stored = normalised.is_object() ? normalised : nlohmann::json::object();
  stored["portfolios"] = names.empty() ? nlohmann::json(nullptr) : nlohmann::json(names);
  return stored;
}

// The stored request of a batch.backfill job: every field written, the portfolios as names (the
// job resolves nothing again); admitted on its cost, so a backfill over the limits is a 413 now.
nlohmann::json batch_backfill_job_request(Call& c, const nlohmann::json& body) {
  service::BackfillRequest req;
  spec::read_json(portfolios_as_text(body), req, "backfill request");
  const service::Context cx = c.service();
  const service::ComputeCost cost = service::backfill_cost(cx, req);
  service::admit(cx, cost);
  req.portfolios = service::portfolio_names(cx, req.portfolios);
  return spec::to_request_json(req);
}

namespace {

// A batch.backfill job: one worker (the server's other jobs and requests keep theirs), progress
// per day.
nlohmann::json run_backfill_job(const App& app, JobContext& ctx, const nlohmann::json& request) {
  service::BackfillRequest req;
  spec::read_json(request, req, "backfill job");
  req.threads = 1;
  req.progress = [&ctx](std::size_t done, std::size_t total) {
    if (done % 10 == 0 || done == total) {
      ctx.progress(total ? static_cast<double>(done) / static_cast<double>(total) : 1.0,
                   fmt::format("{} of {} days", done, total));
    }
  };
  ctx.progress(0.0, "starting the backfill");
  return spec::to_json(service::backfill_history(job_service(app, ctx), req));
}

}  // namespace

void add_report_routes(App& app) {
  app.jobs->register_kind("batch.backfill", [&app](JobContext& ctx, const nlohmann::json& request) {
    return run_backfill_job(app, ctx, request);
  });
  app.jobs->register_kind("batch.run", [&app](JobContext& ctx, const nlohmann::json& request) {
    return run_batch_job(app, ctx, request);
  });
  if (app.config.batch_daily_minute) {
    std::function<std::int64_t()> clock = app.config.scheduler_clock;
    if (!clock) clock = [&app] { return app.now_epoch(); };
    app.scheduler = std::make_unique<DailyScheduler>(
        *app.config.batch_daily_minute, clock, [&app](std::int64_t t) { enqueue_daily_batches(app, t); },
        app.config.scheduler_poll_seconds);
  }
  app.add_compute_route(RouteSpec{"GET", "/api/v1/portfolios/{id}/report",
                                  "The portfolio report (report.json, docs/reports.md); cached", "reports",
                                  Permission::kRead, report}
                            .query<ReportQuery>()
                            .returns<service::Report>()
                            .on_primary());
  app.add_compute_route(
      RouteSpec{"GET", "/api/v1/portfolios/{id}/report/download",
                "The report as a file: report.json, positions.csv, report.xlsx, report.md (charts inline) or a "
                "zip of report.md, its chart SVGs and positions.csv (attachment)",
                "reports", Permission::kRead, report_download}
          .query<ReportDownloadQuery>()
          .on_primary()
          .returns<service::Report>()
          .returns_media("text/csv")
          .returns_media("text/markdown")
          .returns_media("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 200, true)
          .returns_media("application/zip", 200, true));
  app.add_route(RouteSpec{"GET", "/api/v1/portfolios/{id}/history", "Stored daily snapshots (?from= ?to=)",
                          "reports", Permission::kRead, history}
                    .query<service::PortfolioHistoryRequest>()
                    .returns<service::PortfolioHistoryResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/portfolios/{id}/history/{as_of}/report",
                          "The report the batch kept with the day's snapshot (404 once the server's retention has "
                          "dropped it; the day's figures stay in the history)",
                          "reports", Permission::kRead, history_report}
                    .returns<service::Report>());
  app.add_route(RouteSpec{"GET", "/api/v1/portfolios/{id}/performance",
                          "Time-weighted return, volatility, Sharpe, Sortino, drawdown and a benchmark's comparison over "
                          "the stored snapshots (?from= ?to= ?benchmark= ?risk_free= ?series=)",
                          "reports", Permission::kRead, performance}
                    .query<service::PortfolioPerformanceRequest>()
                    .returns<service::PortfolioPerformanceResult>());
  app.add_route(
      RouteSpec{"POST", "/api/v1/batch",
                "Run the batch {portfolios: [ids or names] (absent: all), as_of, report settings} (a job "
                "batch.run: 202; its result is a BatchResult)",
                "reports", Permission::kCompute, batch, "json"}
          .takes<service::BatchRequest>()
          .returns<JobView>(202));
  app.add_route(
      RouteSpec{"POST", "/api/v1/batch/backfill",
                "Store the snapshots of past days {portfolios, from, to, steps, report settings}: each day valued "
                "with the positions held that day (a job batch.backfill: 202; its result is a BackfillResult)",
                "reports", Permission::kCompute, batch_backfill, "json"}
          .takes<service::BackfillRequest>()
          .returns<JobView>(202));
  app.add_route(RouteSpec{"GET", "/api/v1/batch/schedule",
                          "When this server next enqueues the daily batch (--batch-daily), and what it runs",
                          "reports", Permission::kRead, batch_schedule}
                    .returns<BatchSchedule>());
}

}  // namespace keel::server
