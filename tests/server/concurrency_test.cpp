// Many clients importing and reading at once: nothing lost, nothing duplicated.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "keel/store/audit_repository.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

TEST_F(ServerFixture, ConcurrentImportsAndReadsLoseAndDuplicateNothing) {
  constexpr int kClients = 8;
  constexpr int kRounds = 12;
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  std::vector<std::int64_t> pids;
  for (int c = 0; c < kClients; ++c) pids.push_back(create_portfolio(mgr, "c" + std::to_string(c)));

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  std::mutex jobs_mutex;
  std::vector<std::int64_t> job_ids;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      auto cl = client();
      const HttpHeaders h = bearer(ana);
      const std::string base = "/api/v1/portfolios/" + std::to_string(pids[c]);
      for (int round = 1; round <= kRounds; ++round) {
        // Round k stores k rows with quantities c*1000 + k*10 + i: every row is recognisable.
        std::string csv = "symbol,quantity\n";
        for (int i = 0; i < round; ++i) csv += "S" + std::to_string(i) + "," + std::to_string(c * 1000 + round * 10 + i) + "\n";
        auto r = cl->Post((base + "/positions").c_str(), h, csv, "text/csv");
        if (!r || r->status != 200) {
          ++failures;
          continue;
        }
        r = cl->Get((base + "/positions").c_str(), h);
        if (!r || r->status != 200) {
          ++failures;
          continue;
        }
        const auto items = json::parse(r->body)["items"];
        if (items.size() != static_cast<std::size_t>(round)) ++failures;
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (items[i]["quantity"].get<double>() != c * 1000 + round * 10 + static_cast<double>(i)) ++failures;
        }
        r = cl->Get("/api/v1/portfolios?limit=500", h);
        if (!r || r->status != 200 || json::parse(r->body)["items"].size() != kClients) ++failures;
        if (round % 4 == 0) {
          // A request of its own per client and round (identical ones would join one job).
          const std::string job = R"({"kind":"batch.var","request":{"options":{"window":)" +
                                  std::to_string(100 + c * 100 + round) + "}}}";
          r = cl->Post("/api/v1/jobs", h, job, "application/json");
          if (!r || r->status != 202) {
            ++failures;
          } else {
            std::lock_guard lock(jobs_mutex);
            job_ids.push_back(json::parse(r->body)["id"]);
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  // Final state: each portfolio holds exactly its last upload.
  for (int c = 0; c < kClients; ++c) {
    const auto items = body(get(ana, "/api/v1/portfolios/" + std::to_string(pids[c]) + "/positions"))["items"];
    ASSERT_EQ(items.size(), static_cast<std::size_t>(kRounds));
  }
  // Job ids are unique and every job is listed once.
  const std::set<std::int64_t> unique(job_ids.begin(), job_ids.end());
  EXPECT_EQ(unique.size(), job_ids.size());
  EXPECT_EQ(job_ids.size(), static_cast<std::size_t>(kClients * (kRounds / 4)));
  const auto listed = body(get(ana, "/api/v1/jobs?limit=500"))["items"];
  EXPECT_EQ(listed.size(), job_ids.size());
  // One audit entry per import and per job, none lost.
  auto store = open_store(db_);
  store::AuditQuery q;
  q.limit = 10000;
  q.action = "positions.import";
  EXPECT_EQ(store->audit().list(q).size(), static_cast<std::size_t>(kClients * kRounds));
  q.action = "job.create";
  EXPECT_EQ(store->audit().list(q).size(), job_ids.size());
}

}  // namespace
}  // namespace keel::server::testing
