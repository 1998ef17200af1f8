// Background jobs over HTTP: 202, server-sent progress events, cancellation, and jobs that
// survive a server restart.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "keel/store/job_repository.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

struct SseEvent {
  std::string event;
  json data;
};

std::vector<SseEvent> parse_sse(const std::string& text) {
  std::vector<SseEvent> out;
  std::size_t pos = 0;
  while (true) {
    const auto end = text.find("\n\n", pos);
    if (end == std::string::npos) break;
    const std::string block = text.substr(pos, end - pos);
    pos = end + 2;
    SseEvent e;
    std::size_t lp = 0;
    while (lp < block.size()) {
      auto le = block.find('\n', lp);
      if (le == std::string::npos) le = block.size();
      const std::string line = block.substr(lp, le - lp);
      if (line.rfind("event: ", 0) == 0) e.event = line.substr(7);
      if (line.rfind("data: ", 0) == 0) e.data = json::parse(line.substr(6));
      lp = le + 1;
    }
    if (!e.event.empty()) out.push_back(e);
  }
  return out;
}

class JobApiTest : public ServerFixture {
 protected:
  json wait_job(const std::string& token, std::int64_t id) {
    for (int i = 0; i < 1000; ++i) {
      auto j = body(get(token, "/api/v1/jobs/" + std::to_string(id)));
      const std::string s = j["status"];
      if (s == "succeeded" || s == "failed" || s == "cancelled") return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "job " << id << " did not finish";
    return {};
  }
  void seed_portfolios(const std::string& mgr, int n) {
    import_synthetic_prices();
    for (int i = 0; i < n; ++i) {
      const auto pid = create_portfolio(mgr, "book" + std::to_string(i));
      ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(pid) + "/positions",
                     "symbol,quantity\nAAA," + std::to_string(10 * (i + 1)) + "\nBBB,5\n", "text/csv")->status,
                200);
    }
  }
};

TEST_F(JobApiTest, BatchJobGoesFrom202ToDoneWithProgressEvents) {
  const std::string mgr = login("mgr");
  seed_portfolios(mgr, 4);
  auto r = post(mgr, "/api/v1/jobs", R"({"kind":"batch.var","request":{"options":{"method":"parametric"}}})");
  ASSERT_EQ(r->status, 202) << r->body;
  const auto id = body(r)["id"].get<std::int64_t>();
  EXPECT_EQ(r->get_header_value("Location"), "/api/v1/jobs/" + std::to_string(id));

  std::string stream;
  auto res = client()->Get(("/api/v1/jobs/" + std::to_string(id) + "/events").c_str(), bearer(mgr),
                           [&](const char* data, std::size_t n) {
                             stream.append(data, n);
                             return true;
                           });
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/event-stream"), std::string::npos);
  const auto events = parse_sse(stream);
  ASSERT_FALSE(events.empty()) << stream;
  EXPECT_EQ(events.back().event, "succeeded") << stream;
  EXPECT_EQ(events.back().data["progress"], 1.0);
  EXPECT_EQ(events.back().data["result"]["succeeded"], 4);
  double last = -1.0;
  for (const auto& e : events) {  // progress never goes backwards
    EXPECT_GE(e.data["progress"].get<double>(), last);
    last = e.data["progress"].get<double>();
  }
  const auto j = wait_job(mgr, id);
  EXPECT_EQ(j["status"], "succeeded");
  EXPECT_EQ(j["result"]["portfolios"].size(), 4u);
  // The batch refreshed the cached VaR of every portfolio.
  const auto first = j["result"]["portfolios"][0]["id"].get<std::int64_t>();
  EXPECT_EQ(get(mgr, "/api/v1/portfolios/" + std::to_string(first) + "/risk/var")->status, 200);
}

TEST_F(JobApiTest, EventsOfAFinishedJobEndAtOnce) {
  const std::string mgr = login("mgr");
  auto r = post(mgr, "/api/v1/jobs", R"({"kind":"batch.var","request":{}})");
  const auto id = body(r)["id"].get<std::int64_t>();
  wait_job(mgr, id);
  auto res = get(mgr, "/api/v1/jobs/" + std::to_string(id) + "/events");
  const auto events = parse_sse(res->body);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "succeeded");
}

TEST_F(JobApiTest, LargeMonteCarloVarIsAJob) {
  const std::string mgr = login("mgr");
  seed_portfolios(mgr, 1);
  auto r = post(mgr, "/api/v1/portfolios/book0/risk/var", R"({"method":"montecarlo","paths":60000,"seed":7})");
  ASSERT_EQ(r->status, 202) << r->body;
  const auto j = wait_job(mgr, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(j["status"], "succeeded") << j.dump();
  EXPECT_EQ(j["result"]["results"][0]["method"], "montecarlo");
  EXPECT_GT(j["result"]["results"][0]["var"].get<double>(), 0.0);
}

// A risk.var job over the shard size splits into shards of paths that the job runners compute,
// and its reduce gives the whole run's result bit for bit (service::run_var_job): 60,000 paths in
// shards of 25,000 (three shards, the last one shorter), then the same request on a server that
// never splits. Either way the result is kept as the portfolio's last VaR.
TEST_F(JobApiTest, AShardedVarJobGivesTheWholeRunsResultBitForBit) {
  std::size_t shards = 0;
  const auto run = [&](std::size_t shard_paths) {
    auto c = config_;
    c.shard_paths = shard_paths;
    restart(c);
    const std::string mgr = login("mgr");
    auto r = post(mgr, "/api/v1/portfolios/book0/risk/var", R"({"method":"montecarlo","paths":60000,"seed":11})");
    EXPECT_EQ(r->status, 202) << r->body;
    const auto j = wait_job(mgr, body(r)["id"].get<std::int64_t>());
    EXPECT_EQ(j["status"], "succeeded") << j.dump();
    const auto last = get(mgr, "/api/v1/portfolios/book0/risk/var");
    EXPECT_EQ(last->status, 200) << last->body;
    EXPECT_EQ(body(last)["results"], j["result"]["results"]);
    // The shards the run was split into, kept with their outputs under the job.
    shards = open_store(config_.db_path)->jobs().shard_outputs(j["id"].get<std::int64_t>()).size();
    return j;
  };
  seed_portfolios(login("mgr"), 1);
  const auto sharded = run(25'000);
  EXPECT_EQ(shards, 3u);
  const auto whole = run(0);
  EXPECT_EQ(shards, 0u);
  EXPECT_EQ(sharded["result"]["results"], whole["result"]["results"]);
  EXPECT_GT(sharded["result"]["results"][0]["var"].get<double>(), 0.0);
}

TEST_F(JobApiTest, BadJobRequestsAre400BeforeQueueing) {
  const std::string mgr = login("mgr");
  auto r = post(mgr, "/api/v1/jobs", R"({"kind":"risk.var","request":{"portfolio":"missing"}})");
  EXPECT_EQ(r->status, 404);
  r = post(mgr, "/api/v1/jobs", R"({"kind":"batch.var","request":{"options":{"confidence":"x"}}})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["details"][0], "confidence: expected a number greater than 0 and less than 1");
  r = post(mgr, "/api/v1/plan/retire", R"({"balance":1000000,"returns":"bootstrap:/etc/passwd"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body(get(mgr, "/api/v1/jobs"))["items"].size(), 0u);
}

TEST_F(JobApiTest, QueuedJobSurvivesARestartAndCanBeCancelled) {
  auto c = test_config(temp_db_path());
  c.job_workers = 0;  // queue only: nothing runs
  server_.reset();
  remove_db(db_);
  db_ = c.db_path;
  start_server(c, true);
  std::string mgr = login("mgr");
  seed_portfolios(mgr, 2);
  const auto id = body(post(mgr, "/api/v1/jobs", R"({"kind":"batch.var","request":{}})"))["id"].get<std::int64_t>();
  const auto doomed =
      body(post(mgr, "/api/v1/jobs", R"({"kind":"batch.var","request":{"options":{"window":100}}})"))["id"]
          .get<std::int64_t>();
  EXPECT_EQ(body(get(mgr, "/api/v1/jobs/" + std::to_string(id)))["status"], "queued");
  auto r = post(mgr, "/api/v1/jobs/" + std::to_string(doomed) + "/cancel", "");
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(body(r)["status"], "cancelled");
  EXPECT_EQ(post(mgr, "/api/v1/jobs/" + std::to_string(doomed) + "/cancel", "")->status, 409);

  c.job_workers = 1;
  restart(c);
  mgr = login("mgr");
  const auto j = wait_job(mgr, id);
  EXPECT_EQ(j["status"], "succeeded");
  EXPECT_EQ(j["result"]["succeeded"], 2);
  EXPECT_EQ(body(get(mgr, "/api/v1/jobs/" + std::to_string(doomed)))["status"], "cancelled");
}

// A VaR job carries the request it was given as the typed request written by its description:
// every HTTP field (defaults too), the portfolio by id, never the raw body. The worker reads that
// form once; a second server reading it gets the same request.
TEST_F(JobApiTest, AVarJobKeepsTheTypedRequestWithThePortfolioById) {
  auto c = test_config(temp_db_path());
  c.job_workers = 0;  // queue only: the stored request is what a worker would read
  server_.reset();
  remove_db(db_);
  db_ = c.db_path;
  start_server(c, true);
  const std::string mgr = login("mgr");
  seed_portfolios(mgr, 1);
  auto r = post(mgr, "/api/v1/portfolios/book0/risk/var",
                R"({"method":["montecarlo"],"paths":60000,"seed":7,"confidence":0.975})");
  ASSERT_EQ(r->status, 202) << r->body;
  const auto inline_job = body(r)["id"].get<std::int64_t>();
  r = post(mgr, "/api/v1/jobs", R"({"kind":"risk.var","request":{"portfolio":"book0","options":{"window":60}}})");
  ASSERT_EQ(r->status, 202) << r->body;
  const auto api_job = body(r)["id"].get<std::int64_t>();
  server_.reset();
  auto store = open_store(db_);
  const auto portfolio_id = store->find_portfolio("acme", "book0")->id;
  const auto first = nlohmann::json::parse(store->jobs().find(inline_job)->request);
  EXPECT_EQ(first["portfolio"], portfolio_id);
  const auto& o = first["options"];
  EXPECT_EQ(o["method"], nlohmann::json::array({"montecarlo"}));
  EXPECT_EQ(o["paths"], 60000);
  EXPECT_EQ(o["seed"], 7);
  EXPECT_EQ(o["confidence"], 0.975);
  EXPECT_EQ(o["window"], 252);    // the default, written
  EXPECT_EQ(o["horizon"], 1);     // the default, written
  EXPECT_EQ(o["async"], false);   // the job is the background run
  EXPECT_FALSE(o.contains("portfolio"));  // a CLI-only field: the path names the portfolio
  const auto second = nlohmann::json::parse(store->jobs().find(api_job)->request);
  EXPECT_EQ(second["portfolio"], portfolio_id);  // the name resolved when queued
  EXPECT_EQ(second["options"]["window"], 60);
  EXPECT_EQ(second["options"]["method"], nlohmann::json::array({"historical"}));
}

TEST_F(JobApiTest, JobLeftRunningByACrashedServerIsReRun) {
  const std::string mgr = login("mgr");
  seed_portfolios(mgr, 1);
  server_.reset();
  std::int64_t id = 0;
  {
    // What a server killed mid-job leaves behind: a claimed job in "running", whose lease (taken at
    // the epoch, for 1 ms) nobody renews any more.
    auto store = open_store(db_);
    store::JobRepository& repo = store->jobs();
    id = repo.enqueue("acme", "mgr", "batch.var", R"({"options":{"method":"parametric"}})", 3, 0);
    ASSERT_TRUE(repo.claim_next({"crashed:1:0", 0, 0, 1}));
    ASSERT_EQ(repo.find(id)->status, store::JobStatus::kRunning);
  }
  start_server(config_, false);
  const std::string again = login("mgr");
  const auto j = wait_job(again, id);
  EXPECT_EQ(j["status"], "succeeded");
  EXPECT_EQ(j["attempts"], 2);  // the interrupted attempt and the re-run, claimed when its lease expired
  EXPECT_EQ(j["result"]["succeeded"], 1);
}

TEST_F(JobApiTest, GracefulShutdownEndsOpenEventStreamsCleanly) {
  auto c = test_config(temp_db_path());
  c.job_workers = 0;  // the job stays queued, so its event stream stays open
  server_.reset();
  remove_db(db_);
  db_ = c.db_path;
  start_server(c, true);
  const std::string mgr = login("mgr");
  const auto id = body(post(mgr, "/api/v1/jobs", R"({"kind":"batch.var","request":{}})"))["id"].get<std::int64_t>();
  std::string stream;
  int status = 0;
  std::thread reader([&] {
    auto res = client()->Get(("/api/v1/jobs/" + std::to_string(id) + "/events").c_str(), bearer(mgr),
                             [&](const char* data, std::size_t n) {
                               stream.append(data, n);
                               return true;
                             });
    if (res) status = res->status;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server_.reset();  // SIGTERM path: Server::stop()
  reader.join();
  EXPECT_EQ(status, 200);  // the in-flight response was completed, not cut
  const auto events = parse_sse(stream);
  ASSERT_EQ(events.size(), 2u) << stream;
  EXPECT_EQ(events[0].event, "progress");
  EXPECT_EQ(events[0].data["status"], "queued");
  EXPECT_EQ(events[1].event, "shutdown");
}

TEST_F(JobApiTest, JobsListIsPaginatedNewestFirst) {
  const std::string mgr = login("mgr");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    const std::string job = R"({"kind":"batch.var","request":{"options":{"window":)" + std::to_string(100 + i) + "}}}";
    ids.push_back(body(post(mgr, "/api/v1/jobs", job))["id"].get<std::int64_t>());
  }
  std::vector<std::int64_t> seen;
  std::string url = "/api/v1/jobs?limit=2";
  while (true) {
    const auto b = body(get(mgr, url));
    for (const auto& it : b["items"]) seen.push_back(it["id"]);
    if (b["next_cursor"].is_null()) break;
    url = "/api/v1/jobs?limit=2&cursor=" + b["next_cursor"].get<std::string>();
  }
  std::reverse(ids.begin(), ids.end());
  EXPECT_EQ(seen, ids);
}

// A client that repeats itself (a screen's query re-run, a second tab) cannot multiply the work:
// the very same request of a job kind, while the user's first is queued or running, answers with
// that job; another request, another user's, or one after the first ended, makes a new one.
TEST_F(JobApiTest, AnIdenticalRequestJoinsTheJobAlreadyQueued) {
  auto c = test_config(temp_db_path());
  c.job_workers = 0;  // queue only: nothing runs
  server_.reset();
  remove_db(db_);
  db_ = c.db_path;
  start_server(c, true);
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  const std::string same = R"({"kind":"batch.var","request":{"options":{"window":120}}})";
  const auto first = body(post(mgr, "/api/v1/jobs", same))["id"].get<std::int64_t>();
  const auto again = post(mgr, "/api/v1/jobs", same);
  ASSERT_EQ(again->status, 202) << again->body;
  EXPECT_EQ(body(again)["id"], first);
  EXPECT_EQ(body(again)["status"], "queued");
  const auto other = body(post(mgr, "/api/v1/jobs", R"({"kind":"batch.var","request":{"options":{"window":121}}})"))["id"];
  const auto anas = body(post(ana, "/api/v1/jobs", same))["id"];
  EXPECT_NE(other, first);
  EXPECT_NE(anas, first);
  EXPECT_EQ(body(get(mgr, "/api/v1/jobs"))["items"].size(), 3u);
  // Both asks are audited; the second says it joined.
  const auto audit = body(get(login("root"), "/api/v1/audit?action=job.create&limit=10"))["items"];
  std::size_t joined = 0;
  for (const auto& e : audit) {
    const json details = e["details"].is_string() ? json::parse(e["details"].get<std::string>()) : e["details"];
    if (e["resource"] == "job/" + std::to_string(first)) joined += details.value("joined", false) ? 1 : 0;
  }
  EXPECT_EQ(joined, 1u) << audit.dump();
  // Once it is cancelled, the same request is a new job.
  ASSERT_EQ(post(mgr, "/api/v1/jobs/" + std::to_string(first) + "/cancel", "")->status, 202);
  EXPECT_NE(body(post(mgr, "/api/v1/jobs", same))["id"], first);
}

}  // namespace
}  // namespace keel::server::testing
