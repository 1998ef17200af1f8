// A read replica end to end: the throwaway PostgreSQL server (pg_cluster.h) as the primary and a
// hot standby of it made with pg_basebackup -R, streaming its WAL over Unix sockets; `keel serve
// --store-read-replica` on both. With the standby's replay paused, a portfolio created through the
// server (a write: the primary) is missing from another user's list (a read: the replica, which
// has not replayed it), while its creator's own list, read within the sticky window, shows it (the
// primary); once replay resumes, the other user sees it too. With the standby stopped, reads fall
// back to the primary and /metrics counts them; /readyz says the replica is unavailable and stays
// 200.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "pg_cluster.h"
#include "process.h"

namespace keel {
namespace {

std::vector<std::string> names(const httplib::Result& r) {
  std::vector<std::string> out;
  if (!r || r->status != 200) return out;
  // The document outlives the loop (a range over a member of a temporary would dangle).
  const nlohmann::json doc = nlohmann::json::parse(r->body);
  for (const auto& p : doc.at("items")) out.push_back(p.at("name").get<std::string>());
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& name) {
  return std::find(v.begin(), v.end(), name) != v.end();
}

TEST(ReplicaOnPostgres, ReadsFromTheStandbyWritesToThePrimaryAndFallBackWhenItIsDown) {
  testing::PgCluster* cluster = testing::PgCluster::shared();
  KEEL_PG_REQUIRE_OR_SKIP(cluster);
  const std::string database = cluster->fresh_database();
  const std::string primary = cluster->url(database, "keel_app");
  ::setenv("KEEL_JWT_SECRET", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 1);
  for (const std::string user : {"mgr", "viewer"}) {
    const auto r = testing::run_command(std::string(KEEL_BIN) + " --db '" + primary + "' user add " + user +
                                            " --role " + (user == "mgr" ? "manager" : "viewer") +
                                            " --tenant default --password-stdin",
                                        "correct horse battery\n");
    ASSERT_EQ(r.code, 0) << r.err;
  }
  std::unique_ptr<testing::PgStandby> standby;
  try {
    standby = cluster->start_standby();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  const std::string replica = standby->url(database, "keel_app");

  testing::Processes serve;
  const int port = testing::free_port();
  const pid_t pid =
      serve.start({KEEL_BIN, "--db", primary + "&pool_size=4", "serve", "--port",
                            std::to_string(port), "--no-web", "--no-log", "--rate-limit", "100000",
                            "--store-read-replica", replica + "&pool_size=4", "--read-replica-sticky", "30"});
  ASSERT_GT(pid, 0);
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(30, 0);
  bool ready = false;
  for (int i = 0; i < 300 && !ready; ++i) {
    if (auto r = c.Get("/readyz"); r && r->status == 200)
      ready = true;
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(ready);
  EXPECT_EQ(nlohmann::json::parse(c.Get("/readyz")->body)["read_replica"], "ok");
  const auto login = [&](const std::string& user) {
    const auto r = c.Post("/api/v1/auth/login",
                          nlohmann::json{{"username", user}, {"password", "correct horse battery"}}.dump(),
                          "application/json");
    EXPECT_TRUE(r && r->status == 200);
    return httplib::Headers{
        {"Authorization", "Bearer " + nlohmann::json::parse(r->body)["token"].get<std::string>()}};
  };
  const auto mgr = login("mgr");
  const auto viewer = login("viewer");

  // Replay paused: the standby keeps what it has now.
  standby->admin_exec(database, "SELECT pg_wal_replay_pause()");
  auto created = c.Post("/api/v1/portfolios", mgr, R"({"name":"fresh"})", "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body
                                  << " (a write goes to the primary: the standby refuses writes)";
  EXPECT_FALSE(has(names(c.Get("/api/v1/portfolios", viewer)), "fresh"))
      << "the viewer reads the paused standby";
  const auto own = c.Get("/api/v1/portfolios", mgr);
  EXPECT_TRUE(has(names(own), "fresh")) << "its creator reads the primary: " << (own ? std::to_string(own->status) + " " + own->body : "no answer");

  // Replay resumed: the standby catches up, and the viewer sees it.
  standby->admin_exec(database, "SELECT pg_wal_replay_resume()");
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    seen = has(names(c.Get("/api/v1/portfolios", viewer)), "fresh");
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(seen);

  // The standby down: the viewer's reads come from the primary, and /metrics counts them.
  standby->stop();
  const auto list = c.Get("/api/v1/portfolios", viewer);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200) << list->body;
  EXPECT_TRUE(has(names(list), "fresh"));
  const auto ready_body = nlohmann::json::parse(c.Get("/readyz")->body);
  EXPECT_EQ(ready_body["status"], "ready");
  EXPECT_EQ(ready_body["read_replica"], "unavailable");
  const std::string metrics = c.Get("/metrics")->body;
  const auto at = metrics.find("\nkeel_store_replica_fallbacks_total ");
  ASSERT_NE(at, std::string::npos) << metrics;
  EXPECT_GE(std::stod(metrics.substr(at + 36)), 1.0) << metrics;
  EXPECT_NE(metrics.find(R"(keel_store_pool_connections{store="replica",state="idle"})"), std::string::npos);
}

}  // namespace
}  // namespace keel
