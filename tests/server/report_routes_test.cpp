// Reports, history and the batch over HTTP: GET .../report (cached until positions or prices
// change), GET .../history, POST /api/v1/batch (a batch.run job, 202 -> done with progress per
// portfolio), permissions, tenant isolation, and the daily schedule with an injected clock.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "../support/process.h"
#include "../support/tenant_context.h"
#include "keel/marketdata/zip.h"
#include "keel/service/report_markdown.h"
#include "keel/server/scheduler.h"
#include "keel/service/batch.h"
#include "keel/service/portfolio_history.h"
#include "keel/service/report.h"
#include "keel/service/report_build.h"
#include "keel/service/report_writer.h"
#include "keel/store/job_repository.h"
#include "raw_client.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

// The last of the fixture's 300 synthetic closes, compounded by hand.
double last_close(double start, double (*ret)(int), int days = 300) {
  double p = start;
  for (int i = 1; i < days; ++i) p *= 1.0 + ret(i);
  return p;
}

class ReportRoutesTest : public ServerFixture {
 protected:
  // The Content-Disposition header of GET `path` as the server sent it, read off the socket
  // (cpp-httplib's client percent-decodes header values, the very bytes under test here).
  std::string sent_disposition(const std::string& token, const std::string& path) {
    RawClient raw(port_);
    raw.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
             "\r\nConnection: close\r\n\r\n");
    const std::string answer = raw.read_until("\r\n\r\n");
    std::string lower = answer.substr(0, answer.find("\r\n\r\n"));
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const auto at = lower.find("\r\ncontent-disposition: ");
    if (at == std::string::npos) return "(no Content-Disposition in: " + answer.substr(0, 400) + ")";
    const auto start = at + std::string("\r\ncontent-disposition: ").size();
    return answer.substr(start, lower.find("\r\n", start) - start);
  }

  std::int64_t book(const std::string& token, const std::string& name, int aaa) {
    const auto pid = create_portfolio(token, name);
    EXPECT_EQ(post(token, "/api/v1/portfolios/" + std::to_string(pid) + "/positions",
                   "symbol,quantity\nAAA," + std::to_string(aaa) + "\nBBB,5\n", "text/csv")->status,
              200);
    return pid;
  }
};

TEST_F(ReportRoutesTest, ReportMatchesTheServiceAndIsCachedUntilPositionsChange) {
  import_synthetic_prices();
  const std::string view = login("view");
  const std::string mgr = login("mgr");
  const auto pid = book(mgr, "reported", 10);
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);

  auto r = get(view, p + "/report");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("X-Keel-Cache"), "miss");
  const json report = body(r);
  EXPECT_EQ(report["schema"], "keel.report/2");  // docs/reports.md
  // Gross exposure by hand: 10 AAA + 5 BBB at their last closes.
  const double gross = 10 * last_close(100.0, aaa_return) + 5 * last_close(50.0, bbb_return);
  EXPECT_NEAR(report["exposures"]["gross"].get<double>(), gross, 1e-6 * gross);
  // The service's document for the same book (what `keel report --portfolio` writes as report.json).
  auto store = open_store(db_);
  service::ReportRequest req;
  req.source.portfolio = "reported";
  const json direct = spec::to_json(service::build_report(keel::testing::context_in(store.get(), "acme"), req));
  for (const char* section : {"as_of", "portfolio", "exposures", "var", "data_quality"}) {
    EXPECT_EQ(report[section], direct[section]) << section;
  }

  r = get(view, p + "/report");
  EXPECT_EQ(r->get_header_value("X-Keel-Cache"), "hit");
  EXPECT_EQ(body(r), report);
  // A document cached by a keel that wrote keel.report/1 (its key had no schema) is built again,
  // not served in the old format.
  {
    auto s = open_store(db_);
    const auto hit = s->results().get("acme", pid, "report:latest");
    ASSERT_TRUE(hit.has_value());
    json entry = json::parse(hit->result);
    entry["key"].erase("schema");
    entry["report"]["schema"] = "keel.report/1";
    s->results().put("acme", pid, "report:latest", entry.dump());
  }
  r = get(view, p + "/report");
  EXPECT_EQ(r->get_header_value("X-Keel-Cache"), "miss");
  EXPECT_EQ(body(r)["schema"], "keel.report/2");
  // New positions: the cached report is stale and recomputed.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // updated_at has one-second resolution
  ASSERT_EQ(post(mgr, p + "/positions", "symbol,quantity\nAAA,20\nBBB,5\n", "text/csv")->status, 200);
  r = get(view, p + "/report");
  EXPECT_EQ(r->get_header_value("X-Keel-Cache"), "miss");
  EXPECT_GT(body(r)["exposures"]["gross"].get<double>(), gross);
  EXPECT_EQ(get(view, p + "/report?refresh=true")->get_header_value("X-Keel-Cache"), "miss");
  r = get(view, p + "/report?as_of=2020-13-01");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("as_of: expected a date"), std::string::npos);
}

TEST_F(ReportRoutesTest, ReportDownloadsAreTheCommandsFiles) {
  import_synthetic_prices();
  const std::string view = login("view");
  const auto pid = book(login("mgr"), "Downloaded Book", 10);
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  const json report = body(get(view, p + "/report"));
  const std::string as_of = report["as_of"].get<std::string>();
  const std::string base = "downloaded-book_" + as_of;

  // positions.csv: the same text the report folder gets (service::positions_csv of the document).
  auto r = get(view, p + "/report/download?format=csv");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(sent_disposition(view, p + "/report/download?format=csv"),
            "attachment; filename=\"" + base + ".csv\"; filename*=UTF-8''Downloaded%20Book_" + as_of + ".csv");
  EXPECT_EQ(r->body, service::positions_csv(service::report_from_json(report)));
  EXPECT_EQ(std::count(r->body.begin(), r->body.end(), '\n'), 3);  // header + AAA + BBB

  // report.json: the document itself.
  r = get(view, p + "/report/download");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body), report);

  // report.xlsx: a zip (OOXML) whose first entry is the workbook's content types.
  r = get(view, p + "/report/download?format=xlsx");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  ASSERT_GT(r->body.size(), 1000u);
  EXPECT_EQ(r->body.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(r->body.find("xl/worksheets/sheet1.xml"), std::string::npos);

  // report.md alone: the markdown `keel report` writes, each chart it links to inline as a data: URI.
  r = get(view, p + "/report/download?format=md");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/markdown; charset=utf-8");
  EXPECT_EQ(sent_disposition(view, p + "/report/download?format=md"),
            "attachment; filename=\"" + base + ".md\"; filename*=UTF-8''Downloaded%20Book_" + as_of + ".md");
  const auto files = service::render_markdown_report(service::report_from_json(report));
  std::size_t charts = 0;
  for (const auto& [name, svg] : files) {
    if (name == "report.md") continue;
    ++charts;
    EXPECT_EQ(r->body.find("](" + name + ")"), std::string::npos) << name << " is still a link to a file";
  }
  ASSERT_GT(charts, 0u);
  EXPECT_EQ(r->body.substr(0, r->body.find('\n')), files.at("report.md").substr(0, files.at("report.md").find('\n')));
  // The first chart's URI decodes (python3's base64, an independent decoder) to its SVG.
  const auto uri = r->body.find("](data:image/svg+xml;base64,");
  ASSERT_NE(uri, std::string::npos);
  const auto start = uri + std::string("](data:image/svg+xml;base64,").size();
  const std::string b64 = r->body.substr(start, r->body.find(')', start) - start);
  const std::string decoded = keel::testing::command_output("python3 -c 'import base64,sys; sys.stdout.write(base64.b64decode(sys.argv[1]).decode())' " + b64);
  EXPECT_EQ(decoded.rfind("<svg", 0), 0u) << decoded.substr(0, 80);
  bool matches_a_chart = false;
  for (const auto& [name, svg] : files) matches_a_chart = matches_a_chart || (name != "report.md" && svg == decoded);
  EXPECT_TRUE(matches_a_chart);

  r = get(view, p + "/report/download?format=pdf");
  ASSERT_EQ(r->status, 400);
  EXPECT_NE(r->body.find(R"(format: expected json, csv, xlsx, zip or md, got \"pdf\")"), std::string::npos) << r->body;
  EXPECT_EQ(get(login("other"), p + "/report/download?format=csv")->status, 404);
}

// A download's file name carries the portfolio's name only as data: `filename` is the ASCII slug
// (as the report folder), `filename*` the name itself percent-encoded as UTF-8 (RFC 6266, RFC
// 8187), its quotes, CR and LF removed and '/' made '_', so that no name can end the header, add
// a parameter or a header line.
TEST_F(ReportRoutesTest, DownloadFileNamesOfAHostileNameAreEncoded) {
  import_synthetic_prices();
  const std::string name = "Q4 \"Book\" <img src=x onerror=alert(1)>;\r\nSet-Cookie: a=1/B\xC3\xBC" "cher";
  std::int64_t pid = 0;
  {
    // Straight into the store: the name need not pass any face's checks to reach the header.
    auto store = open_store(db_);
    pid = store->save_portfolio("acme", name, {}, "test").id;
  }
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  ASSERT_EQ(post(login("mgr"), p + "/positions", "symbol,quantity\nAAA,10\n", "text/csv")->status, 200);
  const std::string view = login("view");
  const std::string as_of = body(get(view, p + "/report"))["as_of"].get<std::string>();
  for (const char* ext : {"csv", "md", "json"}) {
    auto r = get(view, p + "/report/download?format=" + ext);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(sent_disposition(view, p + "/report/download?format=" + ext),
              "attachment; filename=\"q4-book-img-src-x-onerror-alert-1-set-cookie-a-1-b-cher_" + as_of + "." + ext +
                  "\"; filename*=UTF-8''Q4%20Book%20%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%3BSet-Cookie%3A%20a%3D1_"
                  "B%C3%BCcher_" + as_of + "." + ext);
    EXPECT_EQ(r->get_header_value("Set-Cookie"), "");
  }
}

// format=zip: report.md, every chart SVG it links to and positions.csv under one folder, read back
// with minizip (an independent reader); the members are the files `keel report --format md,csv`
// writes for the same document.
TEST_F(ReportRoutesTest, ReportZipHoldsTheMarkdownItsChartsAndThePositions) {
  import_synthetic_prices();
  const std::string view = login("view");
  const auto pid = book(login("mgr"), "Zipped Book", 10);
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  const json report = body(get(view, p + "/report"));
  const std::string base = "zipped-book_" + report["as_of"].get<std::string>();

  auto r = get(view, p + "/report/download?format=zip");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/zip");
  EXPECT_EQ(sent_disposition(view, p + "/report/download?format=zip"),
            "attachment; filename=\"" + base + ".zip\"; filename*=UTF-8''Zipped%20Book_" +
                report["as_of"].get<std::string>() + ".zip");
  const std::vector<std::string> names = marketdata::zip_entry_names(r->body, "report.zip");
  const std::set<std::string> members(names.begin(), names.end());
  EXPECT_EQ(members.size(), names.size());
  ASSERT_TRUE(members.count(base + "/report.md")) << ::testing::PrintToString(names);
  ASSERT_TRUE(members.count(base + "/positions.csv")) << ::testing::PrintToString(names);

  const std::string md = marketdata::zip_find_entry(r->body, base + "/report.md", "report.zip").data;
  EXPECT_EQ(marketdata::zip_find_entry(r->body, base + "/positions.csv", "report.zip").data,
            service::positions_csv(service::report_from_json(report)));
  // Every image the markdown links to is in the archive, as an SVG document.
  std::size_t images = 0;
  for (std::size_t at = md.find("]("); at != std::string::npos; at = md.find("](", at + 2)) {
    const std::size_t end = md.find(')', at);
    const std::string link = md.substr(at + 2, end - at - 2);
    if (link.size() < 4 || link.substr(link.size() - 4) != ".svg") continue;
    ++images;
    ASSERT_TRUE(members.count(base + "/" + link)) << link;
    const std::string svg = marketdata::zip_find_entry(r->body, base + "/" + link, "report.zip").data;
    EXPECT_NE(svg.find("<svg"), std::string::npos) << link;
  }
  EXPECT_GT(images, 0u) << md.substr(0, 400);
  EXPECT_EQ(names.size(), images + 2) << ::testing::PrintToString(names);

  // The same files as the command writes for this document.
  const auto dir = std::filesystem::temp_directory_path() / ("keel-zip-test-" + std::to_string(::getpid()));
  for (const std::string& f : service::write_report_files(report, dir.string(), {"md", "csv"})) {
    const std::string rel = std::filesystem::path(f).lexically_relative(dir).generic_string();
    std::ifstream in(f, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(marketdata::zip_find_entry(r->body, base + "/" + rel, "report.zip").data, data) << rel;
  }
  std::filesystem::remove_all(dir);
  // Same report, same bytes.
  EXPECT_EQ(get(view, p + "/report/download?format=zip")->body, r->body);
}

TEST_F(ReportRoutesTest, BatchJobRunsEveryPortfolioWithProgressAndFillsTheHistory) {
  import_synthetic_prices();
  const std::string root = login("root");
  const std::string ana = login("ana");
  const std::string view = login("view");
  const std::string mgr = login("mgr");
  const auto p1 = book(mgr, "b1", 10);
  book(mgr, "b2", 20);
  EXPECT_EQ(post(view, "/api/v1/batch", "{}")->status, 403);
  auto r = get(view, "/api/v1/portfolios");
  ASSERT_EQ(r->status, 200) << r->body;
  for (const auto& item : body(r)["items"]) EXPECT_TRUE(item["last_snapshot"].is_null()) << item.dump();
  r = post(ana, "/api/v1/batch", R"({"portfolios": [99999], "as_of": "2020-10-26"})");
  EXPECT_EQ(r->status, 404) << r->body;
  // The body is read by BatchRequest's description: every problem names its field path.
  r = post(ana, "/api/v1/batch", R"({"portfolios": [true], "as_of": "26/10/2020", "window": 1, "confidence": 2,
                                     "missing": "skip", "out": "/tmp", "colour": "red"})");
  ASSERT_EQ(r->status, 400);
  for (const char* problem : {"portfolios[0]: expected", "as_of: expected a date", "window: expected an integer from 2",
                              "confidence: expected", "missing: expected error, carry-forward",
                              "not a field of this request", "colour"}) {
    EXPECT_NE(r->body.find(problem), std::string::npos) << problem << " in " << r->body;
  }
  // An unknown step is refused before anything is queued.
  r = post(ana, "/api/v1/batch", R"({"as_of": "2020-10-26", "steps": ["var", "risk"]})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("steps[1]: expected one of market-data"), std::string::npos) << r->body;

  r = post(ana, "/api/v1/batch", R"({"as_of": "2020-10-26"})");
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "batch.run");
  const auto id = body(r)["id"].get<std::int64_t>();
  // Follow the job's events from the start: progress goes portfolio by portfolio, never backwards.
  auto events = client()->Get(("/api/v1/jobs/" + std::to_string(id) + "/events").c_str(), bearer(ana));
  ASSERT_TRUE(events);
  std::vector<std::string> messages;
  double last = -1.0;
  for (std::size_t at = events->body.find("data: "); at != std::string::npos; at = events->body.find("data: ", at + 1)) {
    const json data = json::parse(events->body.substr(at + 6, events->body.find('\n', at) - at - 6));
    EXPECT_GE(data["progress"].get<double>(), last);
    last = data["progress"].get<double>();
    messages.push_back(data["message"]);
  }
  // (A fast batch finishes between two polls of the stream, so the per-portfolio messages
  // "portfolio 1 of 2: b1" ... may be coalesced into the final event: only the order is checked.)
  ASSERT_FALSE(messages.empty()) << events->body;
  EXPECT_EQ(messages.back(), "done");
  const json done = wait_job(ana, id);
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  const json& result = done["result"];
  EXPECT_EQ(result["as_of"], "2020-10-26");
  ASSERT_EQ(result["portfolios"].size(), 2u);
  EXPECT_EQ(result["failed"], 0);
  for (const auto& item : result["portfolios"]) EXPECT_TRUE(item["report_dir"].is_null());  // no --reports-dir

  // The run stored a snapshot per portfolio: the history answers with it.
  r = get(view, "/api/v1/portfolios/" + std::to_string(p1) + "/history?from=2020-01-01");
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_EQ(body(r)["points"].size(), 1u);
  EXPECT_EQ(body(r)["points"][0]["as_of"], "2020-10-26");
  auto store = open_store(db_);
  service::PortfolioHistoryRequest hreq;
  hreq.portfolio = "b1";
  hreq.from = Date::from_ymd(2020, 1, 1);
  EXPECT_EQ(body(r)["points"],
            spec::to_json(service::portfolio_history(keel::testing::context_in(store.get(), "acme"), hreq).points));
  EXPECT_EQ(get(view, "/api/v1/portfolios/" + std::to_string(p1) + "/history?to=never")->status, 400);

  // Another tenant sees none of it.
  const std::string other = login("other");
  EXPECT_EQ(get(other, "/api/v1/portfolios/" + std::to_string(p1) + "/report")->status, 404);
  EXPECT_EQ(get(other, "/api/v1/portfolios/" + std::to_string(p1) + "/history")->status, 404);
  EXPECT_EQ(post(other, "/api/v1/batch", json{{"portfolios", {p1}}}.dump())->status, 404);
  EXPECT_EQ(get(other, "/api/v1/jobs/" + std::to_string(id))->status, 404);
  const auto jobs = audit_actions(root, "job.create");
  EXPECT_EQ(jobs, (std::vector<std::string>{"job.create:job/" + std::to_string(id)}));

  // An earlier date run afterwards: the list still shows each portfolio's newest snapshot, the
  // last point of its history.
  r = post(ana, "/api/v1/batch", R"({"as_of": "2020-10-23", "portfolios": ["b1"]})");
  ASSERT_EQ(r->status, 202) << r->body;
  ASSERT_EQ(wait_job(ana, body(r)["id"].get<std::int64_t>())["status"], "succeeded");
  const json hist = body(get(view, "/api/v1/portfolios/" + std::to_string(p1) + "/history"));
  ASSERT_EQ(hist["points"].size(), 2u);
  r = get(view, "/api/v1/portfolios?sort=name");
  ASSERT_EQ(r->status, 200) << r->body;
  const json listed = body(r)["items"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["name"], "b1");
  EXPECT_EQ(listed[0]["last_snapshot"], hist["points"][1]);
  EXPECT_EQ(listed[0]["last_snapshot"]["as_of"], "2020-10-26");
  EXPECT_EQ(listed[1]["last_snapshot"]["as_of"], "2020-10-26");
}

// POST /api/v1/batch/backfill: checked before it is queued (fields, portfolios, steps, cost), then
// a batch.backfill job that stores a snapshot per price date, which the history answers with.
TEST_F(ReportRoutesTest, BackfillJobStoresEveryPriceDateAndIsCheckedFirst) {
  import_synthetic_prices();
  const std::string ana = login("ana");
  const std::string view = login("view");
  const std::string mgr = login("mgr");
  const auto p1 = book(mgr, "b1", 10);
  EXPECT_EQ(post(view, "/api/v1/batch/backfill", R"({"from": "2020-10-19", "to": "2020-10-23"})")->status, 403);
  auto r = post(ana, "/api/v1/batch/backfill", R"({"from": "2020-10-23", "to": "2020-10-19"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("to: 2020-10-19 is before from 2020-10-23"), std::string::npos) << r->body;
  r = post(ana, "/api/v1/batch/backfill", R"({"to": "2020-10-23", "threads": 4, "steps": ["reports"]})");
  ASSERT_EQ(r->status, 400) << r->body;
  for (const char* problem : {"from: ", "threads"}) {
    EXPECT_NE(r->body.find(problem), std::string::npos) << problem << " in " << r->body;
  }
  r = post(ana, "/api/v1/batch/backfill", R"({"from": "2020-10-19", "to": "2020-10-23", "steps": ["reports"]})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("steps[0]: reports is a step of the daily batch"), std::string::npos) << r->body;
  r = post(ana, "/api/v1/batch/backfill", R"({"portfolios": [99999], "from": "2020-10-19", "to": "2020-10-23"})");
  EXPECT_EQ(r->status, 404) << r->body;

  // The synthetic closes are every calendar day: Monday 2020-10-19 to Sunday 2020-10-25 is seven
  // price dates, each stored.
  r = post(ana, "/api/v1/batch/backfill",
           json{{"portfolios", {p1}}, {"from", "2020-10-19"}, {"to", "2020-10-25"}, {"steps", {"exposures"}}}.dump());
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["kind"], "batch.backfill");
  const json done = wait_job(ana, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  const json& result = done["result"];
  EXPECT_EQ(result["portfolios"], json::array({"b1"}));
  EXPECT_EQ(result["stored"], 7);
  EXPECT_EQ(result["threads"], 1);  // the server's job: one worker
  ASSERT_EQ(result["days"].size(), 7u);
  EXPECT_EQ(result["days"][0]["as_of"], "2020-10-19");
  r = get(view, "/api/v1/portfolios/" + std::to_string(p1) + "/history?from=2020-10-01");
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_EQ(body(r)["points"].size(), 7u);
  EXPECT_EQ(body(r)["points"][6]["net_value_amount"], result["days"][6]["net_value_amount"]);
  // Another tenant cannot backfill the portfolio.
  EXPECT_EQ(post(login("other"), "/api/v1/batch/backfill",
                 json{{"portfolios", {p1}}, {"from", "2020-10-19"}, {"to", "2020-10-25"}}.dump())
                ->status,
            404);
}

TEST_F(ReportRoutesTest, ReportsDirGetsTheFilesPerTenant) {
  import_synthetic_prices();
  const std::string dir = db_ + "-reports";
  auto config = test_config(db_);
  config.reports_dir = dir;
  restart(config);
  const std::string mgr = login("mgr");
  book(mgr, "filed", 10);
  auto r = post(mgr, "/api/v1/batch", R"({"portfolios": ["filed"]})");
  ASSERT_EQ(r->status, 202) << r->body;
  const json done = wait_job(mgr, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  const std::string report_dir = done["result"]["portfolios"][0]["report_dir"];
  EXPECT_EQ(report_dir.rfind((std::filesystem::path(dir) / "acme").string(), 0), 0u) << report_dir;
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(report_dir) / "report.json"));
  std::filesystem::remove_all(dir);
}

TEST(DailySchedule, NextRunIsTheNextOccurrenceOfTheMinuteInUtc) {
  // 2021-03-04T05:06:07Z = 1614834367 s (date -u -d @1614834367).
  const std::int64_t now = 1614834367;
  const std::int64_t midnight = 1614816000;  // 2021-03-04T00:00:00Z
  EXPECT_EQ(next_daily_run(now, 6 * 60), midnight + 6 * 3600);                // later today
  EXPECT_EQ(next_daily_run(now, 5 * 60), midnight + 86400 + 5 * 3600);        // 05:00 has passed
  EXPECT_EQ(next_daily_run(midnight + 6 * 3600, 6 * 60), midnight + 86400 + 6 * 3600);  // strictly after
  EXPECT_EQ(next_daily_run(-1, 0), 0);  // before the epoch
  EXPECT_EQ(parse_time_of_day("06:30"), 390);
  EXPECT_EQ(parse_time_of_day("23:59"), 1439);
  EXPECT_FALSE(parse_time_of_day("24:00"));
  EXPECT_FALSE(parse_time_of_day("6:30"));
}

TEST_F(ReportRoutesTest, DailyScheduleEnqueuesABatchPerTenantWhenTheClockPassesTheTime) {
  import_synthetic_prices();
  const std::string mgr = login("mgr");
  book(mgr, "nightly", 10);
  std::atomic<std::int64_t> fake{1614834367};  // 05:06:07 UTC
  auto config = test_config(db_);
  config.batch_daily_minute = 6 * 60;  // 06:00 UTC
  config.scheduler_clock = [&fake] { return fake.load(); };
  config.scheduler_poll_seconds = 0.01;
  config.job_workers = 0;  // keep the queued job visible
  restart(config);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto count_batches = [&] {
    auto store = open_store(db_);
    std::size_t n = 0;
    for (const auto& j : store->jobs().list("acme", std::nullopt, 100, std::nullopt)) n += j.kind == "batch.run";
    return n;
  };
  EXPECT_EQ(count_batches(), 0u);
  // GET /api/v1/batch/schedule tells any role when the next run is: today 06:00 UTC (it is 05:06:07).
  const std::string view = login("view");
  json schedule = body(get(view, "/api/v1/batch/schedule"));
  EXPECT_EQ(schedule["daily_at_utc"], "06:00");
  EXPECT_EQ(schedule["next_run"], "2021-03-04T06:00:00Z");
  EXPECT_EQ(schedule["runs_since_start"], 0);
  EXPECT_TRUE(schedule["market_data_provider"].is_null());
  fake = 1614816000 + 6 * 3600 + 1;  // 06:00:01
  for (int i = 0; i < 200 && count_batches() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(count_batches(), 1u);
  // After the run the next one is tomorrow's.
  schedule = body(get(view, "/api/v1/batch/schedule"));
  EXPECT_EQ(schedule["next_run"], "2021-03-05T06:00:00Z");
  EXPECT_EQ(schedule["runs_since_start"], 1);
  // Only acme has portfolios: globex gets nothing. The next run is tomorrow.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(count_batches(), 1u);
  auto store = open_store(db_);
  EXPECT_TRUE(store->jobs().list("globex", std::nullopt, 100, std::nullopt).empty());
}

// POST /api/v1/jobs {"kind":"batch.run"} is checked like POST /api/v1/batch before anything is
// queued, and the queued request names the portfolios (ids are resolved), so the job runs them.
// The server's clock (ServerConfig::clock) dates what it writes: the report's generated_at, the
// job's created_at (the store's clock), and the uptime of /metrics, which stays 0 on a stopped clock.
TEST_F(ReportRoutesTest, TheServersClockDatesReportsJobsAndUptime) {
  import_synthetic_prices();
  using namespace std::chrono;
  static const FixedClock fixed(sys_days{year{2031} / 3 / 4} + hours{5} + minutes{6} + seconds{7});
  auto config = test_config(db_);
  config.clock = &fixed;
  config.job_workers = 0;  // keep the queued job as it was written
  restart(config);
  const std::string mgr = login("mgr");
  const auto pid = book(mgr, "dated", 10);
  auto r = get(mgr, "/api/v1/portfolios/" + std::to_string(pid) + "/report");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["generated_at"], "2031-03-04T05:06:07Z");
  r = post(mgr, "/api/v1/batch", R"({"as_of": "2020-10-26"})");
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["created_at"], "2031-03-04T05:06:07Z");
  auto m = client()->Get("/metrics", bearer(mgr));
  ASSERT_TRUE(m);
  EXPECT_NE(m->body.find("keel_uptime_seconds 0\n"), std::string::npos) << m->body.substr(0, 2000);
}

TEST_F(ReportRoutesTest, BatchRunJobsAreCheckedUpFrontThroughTheJobsApi) {
  import_synthetic_prices();
  const std::string mgr = login("mgr");
  const std::string other = login("other");
  const auto p1 = book(mgr, "b1", 10);
  book(mgr, "b2", 20);
  auto r = post(mgr, "/api/v1/jobs", R"({"kind":"batch.run","request":{"portfolios":"b1","as_of":"26/10/2020"}})");
  ASSERT_EQ(r->status, 400) << r->body;
  std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("as_of: expected a date"), std::string::npos) << details;
  r = post(mgr, "/api/v1/jobs", R"({"kind":"batch.run","request":{"portfolios":[true]}})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("portfolios[0]: expected a string"), std::string::npos) << r->body;
  r = post(mgr, "/api/v1/jobs", R"({"kind":"batch.run","request":{"portfolios":[99999]}})");
  ASSERT_EQ(r->status, 404) << r->body;
  EXPECT_NE(r->body.find("portfolios[0]: no portfolio 99999"), std::string::npos) << r->body;
  // Another tenant's portfolio is unknown to the caller.
  EXPECT_EQ(post(other, "/api/v1/jobs", json{{"kind", "batch.run"}, {"request", {{"portfolios", {p1}}}}}.dump())->status,
            404);
  EXPECT_EQ(body(get(mgr, "/api/v1/jobs"))["items"].size(), 0u);  // nothing queued

  r = post(mgr, "/api/v1/jobs",
           json{{"kind", "batch.run"}, {"request", {{"portfolios", {p1}}, {"as_of", "2020-10-26"}}}}.dump());
  ASSERT_EQ(r->status, 202) << r->body;
  const json done = wait_job(mgr, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  ASSERT_EQ(done["result"]["portfolios"].size(), 1u);  // b1 only
  EXPECT_EQ(done["result"]["as_of"], "2020-10-26");
  EXPECT_EQ(done["result"]["failed"], 0);
}

}  // namespace
}  // namespace keel::server::testing
