// GET /api/v1/events: a tenant's portfolio changes pushed to its open streams — positions imported
// (through the API), a VaR run as a background job and kept as the portfolio's last VaR — each as
// `event: portfolio.changed` with the portfolio's id and name and what changed; a user of another
// tenant, watching at the same time, gets none of them; an anonymous client gets 401.
#include <gtest/gtest.h>

#include <mutex>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

// One stream read on its own thread until stop() (the receiver stops at the next bytes: a
// heartbeat each second here).
class Watcher {
 public:
  Watcher(std::unique_ptr<HttpClient> client, std::string token)
      : client_(std::move(client)), token_(std::move(token)) {
    thread_ = std::thread([this] {
      // Stopped by the receiver, the request ends as cancelled: what it read is the result.
      (void)client_->Get("/api/v1/events", {{"Authorization", "Bearer " + token_}},
                         [this](const char* data, std::size_t n) {
                           std::lock_guard lock(mutex_);
                           text_.append(data, n);
                           return !stop_;
                         });
    });
  }
  ~Watcher() { stop(); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }
  std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }
  // The data of every portfolio.changed event so far.
  std::vector<json> changes() {
    std::vector<json> out;
    const std::string t = text();
    for (std::size_t at = 0; (at = t.find("event: portfolio.changed\ndata: ", at)) != std::string::npos;) {
      at += 31;
      const auto end = t.find('\n', at);
      if (end == std::string::npos) break;
      out.push_back(json::parse(t.substr(at, end - at)));
    }
    return out;
  }
  // Whether the stream opened (its first comment arrived) within 10 s.
  bool opened() {
    return wait_for([&] { return text().find(": portfolio changes") != std::string::npos; });
  }
  // Polls `done` for up to 10 s.
  bool wait_for(const std::function<bool()>& done) {
    for (int i = 0; i < 1000; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  std::unique_ptr<HttpClient> client_;
  std::string token_;
  std::mutex mutex_;
  std::string text_;   // guarded by mutex_
  bool stop_ = false;  // guarded by mutex_
  std::thread thread_;
};

class LiveUpdates : public ServerFixture {
 protected:
  void SetUp() override {
    auto c = test_config(db_ = temp_db_path());
    c.stream_heartbeat_seconds = 1;
    start_server(c, true);
  }
};

TEST_F(LiveUpdates, ATenantsStreamsGetItsPortfolioChangesAndNoOtherTenantsDo) {
  import_synthetic_prices();
  const std::string mgr = login("mgr");
  const std::string view = login("view");
  const std::string other = login("other");
  const auto id = create_portfolio(mgr, "book");
  create_portfolio(other, "book");  // the same name in tenant globex

  Watcher viewer(client(), view);
  Watcher outsider(client(), other);
  ASSERT_TRUE(viewer.opened());
  ASSERT_TRUE(outsider.opened());

  // Positions imported by the manager: the viewer's stream hears of it.
  ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(id) + "/positions", "symbol,quantity\nAAA,100\n",
                 "text/csv")
                ->status,
            200);
  ASSERT_TRUE(viewer.wait_for([&] { return viewer.changes().size() >= 1; })) << viewer.text();
  EXPECT_EQ(viewer.changes()[0], (json{{"type", "portfolio.changed"},
                                       {"portfolio_id", id},
                                       {"portfolio", "book"},
                                       {"what", "positions"}}));

  // A Monte Carlo VaR large enough to be a background job: its result, kept as the portfolio's
  // last VaR when the job ends, is announced too.
  auto r = post(mgr, "/api/v1/portfolios/" + std::to_string(id) + "/risk/var",
                R"({"method":"montecarlo","paths":60000,"seed":7})");
  ASSERT_EQ(r->status, 202) << r->body;
  const auto job = wait_job(mgr, body(r)["id"].get<std::int64_t>());
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  ASSERT_TRUE(viewer.wait_for([&] { return viewer.changes().size() >= 2; })) << viewer.text();
  EXPECT_EQ(
      viewer.changes()[1],
      (json{{"type", "portfolio.changed"}, {"portfolio_id", id}, {"portfolio", "book"}, {"what", "var"}}));

  // A heartbeat later, the other tenant's stream has had comments only.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  viewer.stop();
  outsider.stop();
  EXPECT_TRUE(outsider.changes().empty()) << outsider.text();
  EXPECT_NE(outsider.text().find(": keep-alive"), std::string::npos) << outsider.text();
}

// A job's end reaches its owner wherever they are in the web app: `event: job.finished` on the
// owner's streams only (not a colleague's of the same tenant, nor another tenant's), journaled by
// the store whoever ran the job.
TEST_F(LiveUpdates, AJobsEndReachesItsOwnersStreamsOnly) {
  import_synthetic_prices();
  const std::string mgr = login("mgr");
  const std::string view = login("view");
  const auto id = create_portfolio(mgr, "book");
  ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(id) + "/positions", "symbol,quantity\nAAA,100\n",
                 "text/csv")
                ->status,
            200);
  Watcher owner(client(), mgr);
  Watcher colleague(client(), view);
  ASSERT_TRUE(owner.opened());
  ASSERT_TRUE(colleague.opened());
  auto r = post(mgr, "/api/v1/portfolios/" + std::to_string(id) + "/risk/var",
                R"({"method":"montecarlo","paths":60000,"seed":7})");
  ASSERT_EQ(r->status, 202) << r->body;
  const auto job_id = body(r)["id"].get<std::int64_t>();
  ASSERT_EQ(wait_job(mgr, job_id)["status"], "succeeded");
  const std::string event = "event: job.finished\ndata: ";
  ASSERT_TRUE(owner.wait_for([&] { return owner.text().find(event) != std::string::npos; })) << owner.text();
  const std::string t = owner.text();
  const auto at = t.find(event) + event.size();
  EXPECT_EQ(json::parse(t.substr(at, t.find('\n', at) - at)),
            (json{{"type", "job.finished"}, {"job_id", job_id}, {"kind", "risk.var"}, {"status", "succeeded"}}));
  // The colleague hears the portfolio's new VaR, not the manager's job.
  ASSERT_TRUE(colleague.wait_for([&] { return colleague.changes().size() >= 1; })) << colleague.text();
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  owner.stop();
  colleague.stop();
  EXPECT_EQ(colleague.text().find("job.finished"), std::string::npos) << colleague.text();
}

// An import stored with warnings is told to the one who imported, wherever their pages are:
// `event: import.warnings` with what was imported into, the warnings and their count; a colleague
// hears that the positions changed, not the importer's warnings.
TEST_F(LiveUpdates, AnImportsWarningsReachTheImportersStreamsOnly) {
  import_synthetic_prices();
  const std::string mgr = login("mgr");
  const std::string view = login("view");
  const auto id = create_portfolio(mgr, "book");
  Watcher importer(client(), mgr);
  Watcher colleague(client(), view);
  ASSERT_TRUE(importer.opened());
  ASSERT_TRUE(colleague.opened());
  ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(id) + "/positions", "symbol,quantity\nAAA,100",
                 "text/csv")
                ->status,
            200);
  const std::string event = "event: import.warnings\ndata: ";
  ASSERT_TRUE(importer.wait_for([&] { return importer.text().find(event) != std::string::npos; })) << importer.text();
  const std::string t = importer.text();
  const auto at = t.find(event) + event.size();
  const json data = json::parse(t.substr(at, t.find('\n', at) - at));
  EXPECT_EQ(data["type"], "import.warnings");
  EXPECT_EQ(data["import"], "positions");
  EXPECT_EQ(data["id"], id);
  EXPECT_EQ(data["name"], "book");
  EXPECT_EQ(data["count"], 1);
  ASSERT_EQ(data["warnings"].size(), 1u);
  ASSERT_TRUE(colleague.wait_for([&] { return colleague.changes().size() >= 1; })) << colleague.text();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  importer.stop();
  colleague.stop();
  EXPECT_EQ(colleague.text().find("import.warnings"), std::string::npos) << colleague.text();
}

// A determination that finds a breach is heard at once by the deal's tenant: `event: clo.changed`
// with the deal's id and name; another tenant's stream hears nothing.
TEST_F(LiveUpdates, ACloBreachReachesTheTenantsStreams) {
  const std::string mgr = login("mgr");
  const std::string view = login("view");
  const std::string other = login("other");
  // Two B2 loans (rating factor 2720) against a maximum WARF of 2000: the WARF test fails.
  const json deal = json::parse(R"({"name": "tiny", "dates": {"closing": "2025-01-15",
    "first_payment": "2025-04-15", "payment_frequency_months": 3, "reinvestment_end": "2025-01-15",
    "legal_maturity": "2026-01-15"}, "reference_rate": {"flat": 0.05},
    "collateral": [{"obligor": "L1", "par": 50000000, "spread": 0.04, "maturity": "2030-01-15", "rating": "B2"},
                   {"obligor": "L2", "par": 50000000, "spread": 0.04, "maturity": "2030-01-15", "rating": "B2"}],
    "tranches": [{"class": "A", "balance": 80000000, "spread": 0.015},
                 {"class": "Sub", "type": "equity", "balance": 20000000}],
    "tests": {"max_warf": 2000}})");
  auto r = post(mgr, "/api/v1/clo/deals", json{{"name", "tiny"}, {"deal", deal}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const auto id = body(r)["deal"]["id"].get<std::int64_t>();
  Watcher viewer(client(), view);
  Watcher outsider(client(), other);
  ASSERT_TRUE(viewer.opened());
  ASSERT_TRUE(outsider.opened());
  r = post(mgr, "/api/v1/clo/deals/" + std::to_string(id) + "/determinations", R"({"as_of": "2025-03-31"})");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["breaches"], 1);
  const std::string event = "event: clo.changed\ndata: ";
  ASSERT_TRUE(viewer.wait_for([&] { return viewer.text().find(event) != std::string::npos; })) << viewer.text();
  const std::string t = viewer.text();
  const auto at = t.find(event) + event.size();
  EXPECT_EQ(json::parse(t.substr(at, t.find('\n', at) - at)),
            (json{{"type", "clo.changed"}, {"deal_id", id}, {"deal", "tiny"}, {"what", "breach"}}));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  viewer.stop();
  outsider.stop();
  EXPECT_EQ(outsider.text().find("clo.changed"), std::string::npos) << outsider.text();
  EXPECT_TRUE(viewer.changes().empty()) << viewer.text();  // no portfolio.changed for a deal
}

// A change made outside this server reaches its streams through the store: here a Context of its
// own on a second connection to the same database, with no feed, as the keel command (or a worker,
// or another server) makes one. The stream hears it on the next poll; another tenant's does not.
TEST_F(LiveUpdates, AChangeMadeByAnotherProcessOnTheStoreIsHeard) {
  import_synthetic_prices();
  const std::string mgr = login("mgr");
  const std::string view = login("view");
  const std::string other = login("other");
  const auto id = create_portfolio(mgr, "book");
  Watcher viewer(client(), view);
  Watcher outsider(client(), other);
  ASSERT_TRUE(viewer.opened());
  ASSERT_TRUE(outsider.opened());

  auto store = open_store(db_);
  service::Context cx{store.get()};
  cx.actor = service::operator_actor("acme");
  service::import_positions(cx, {service::InputFile{"book.csv", "symbol,quantity\nAAA,50\nBBB,20\n"}, "book", {}, {}});
  ASSERT_TRUE(viewer.wait_for([&] { return !viewer.changes().empty(); })) << viewer.text();
  EXPECT_EQ(viewer.changes()[0], (json{{"type", "portfolio.changed"},
                                       {"portfolio_id", id},
                                       {"portfolio", "book"},
                                       {"what", "positions"}}));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  viewer.stop();
  outsider.stop();
  EXPECT_EQ(viewer.changes().size(), 1u) << viewer.text();  // heard once
  EXPECT_TRUE(outsider.changes().empty()) << outsider.text();
}

TEST_F(LiveUpdates, TheStreamNeedsASignedInUser) {
  auto r = client()->Get("/api/v1/events");
  EXPECT_EQ(r->status, 401);
}

}  // namespace
}  // namespace keel::server::testing
