// Beyond one machine, end to end: two `keel serve` and three `keel worker` processes on one
// PostgreSQL database (the throwaway server of pg_cluster.h, as the application role). Monte Carlo
// VaR jobs are submitted through either server and split into shards of paths; one worker is
// killed with SIGKILL while it holds a shard; its shard is claimed again when the lease (2 s here)
// expires, and the final VaR equals the single-process `keel risk var` bit for bit. The progress of
// the job submitted through one server is received as server-sent events through the other (the
// workers write it, PostgreSQL NOTIFYs, each server LISTENs).
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "pg_cluster.h"
#include "process.h"

namespace keel {
namespace {

using Clock = std::chrono::steady_clock;

struct SseEvent {
  std::string event;
  nlohmann::json data;
};

std::vector<SseEvent> parse_sse(const std::string& text) {
  std::vector<SseEvent> out;
  SseEvent cur;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) break;
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) {
      if (!cur.event.empty()) out.push_back(cur);
      cur = {};
    } else if (line.rfind("event: ", 0) == 0) {
      cur.event = line.substr(7);
    } else if (line.rfind("data: ", 0) == 0) {
      cur.data = nlohmann::json::parse(line.substr(6), nullptr, false);
    }
  }
  return out;
}

class WorkersOnPostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = testing::PgCluster::shared();
    KEEL_PG_REQUIRE_OR_SKIP(cluster_);
    database_ = cluster_->fresh_database();
    url_ = cluster_->url(database_, "keel_app");
    ::setenv("KEEL_JWT_SECRET", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 1);
    const std::string ex = std::string(KEEL_SOURCE_DIR) + "/examples/";
    for (const std::string& args :
         {"import prices " + ex + "market/prices.csv",
          "import positions " + ex + "portfolios/balanced.csv --portfolio demo",
          std::string("user add ann --role analyst --tenant default --password-stdin")}) {
      const auto r = testing::run_command(keel() + args, "correct horse battery\n");
      ASSERT_EQ(r.code, 0) << args << "\n" << r.err;
    }
    pqxx::connection c(cluster_->url(database_, "keel_owner"));
    pqxx::work tx(c);
    portfolio_ = tx.exec1("SELECT id FROM portfolios WHERE name = 'demo'")[0].as<std::int64_t>();
  }

  std::string keel() const { return std::string(KEEL_BIN) + " --db '" + url_ + "' "; }

  // The single-process result: `keel risk var` in this process's way (one run, every path here).
  nlohmann::json reference(std::size_t paths, int seed) const {
    const auto r =
        testing::run_command(keel() + "--format json risk var --portfolio demo --method montecarlo --paths " +
                             std::to_string(paths) + " --seed " + std::to_string(seed));
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }

  pid_t start_serve(testing::Processes& ps, int port) {
    return ps.start({KEEL_BIN, "--db", url_ + "&pool_size=4", "serve", "--port", std::to_string(port),
                     "--no-web", "--no-log", "--job-workers", "0", "--rate-limit", "100000"});
  }

  pid_t start_worker(testing::Processes& ps, const std::string& name) {
    // application_name lets the test see this worker's connections in pg_stat_activity.
    return ps.start({KEEL_BIN, "--db", url_ + "&pool_size=3&application_name=keel-" + name, "worker",
                     "--name", name, "--lease", "2", "--heartbeat", "0.5", "--poll", "0.1", "--shard-paths",
                     "400000", "--compute-threads", "1", "--no-log"});
  }

  testing::PgCluster* cluster_ = nullptr;
  std::string database_;
  std::string url_;
  std::int64_t portfolio_ = 0;
};

bool wait_ready(httplib::Client& c) {
  for (int i = 0; i < 300; ++i) {
    if (auto r = c.Get("/readyz"); r && r->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string login(httplib::Client& c) {
  const auto r = c.Post("/api/v1/auth/login", R"({"username":"ann","password":"correct horse battery"})",
                        "application/json");
  if (!r || r->status != 200) return "";
  return nlohmann::json::parse(r->body)["token"].get<std::string>();
}

TEST_F(WorkersOnPostgres, TwoServersThreeWorkersAKilledWorkerAndTheSameVarBitForBit) {
  // 5 shards of 400,000 paths: each lasts long enough to be caught running on a loaded machine
  // (with shards of 100,000 a loaded run could see all 40 finish between two looks).
  constexpr std::size_t kPaths = 2000000;
  const auto want1 = reference(kPaths, 7);
  const auto want2 = reference(kPaths, 8);

  testing::Processes ps;
  const int port_a = testing::free_port(), port_b = testing::free_port();
  ASSERT_GT(start_serve(ps, port_a), 0);
  ASSERT_GT(start_serve(ps, port_b), 0);
  std::map<std::string, pid_t> workers;
  for (const char* name : {"w1", "w2", "w3"}) {
    workers[name] = start_worker(ps, name);
    ASSERT_GT(workers[name], 0);
  }
  httplib::Client a("127.0.0.1", port_a), b("127.0.0.1", port_b);
  a.set_read_timeout(60, 0);
  b.set_read_timeout(60, 0);
  ASSERT_TRUE(wait_ready(a));
  ASSERT_TRUE(wait_ready(b));
  const std::string token = login(a);  // issued by A, accepted by B (one signing key)
  ASSERT_FALSE(token.empty());
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};

  // Job 1 through server A; its events through server B.
  const std::string path = "/api/v1/portfolios/" + std::to_string(portfolio_) + "/risk/var";
  auto r1 =
      a.Post(path.c_str(), auth,
             R"({"method":"montecarlo","paths":)" + std::to_string(kPaths) + R"(,"seed":7,"async":true})",
             "application/json");
  ASSERT_TRUE(r1);
  ASSERT_EQ(r1->status, 202) << r1->body;
  const auto job1 = nlohmann::json::parse(r1->body)["id"].get<std::int64_t>();
  std::string stream;
  std::thread reader([&] {
    httplib::Client sse("127.0.0.1", port_b);
    sse.set_read_timeout(60, 0);
    sse.Get(("/api/v1/jobs/" + std::to_string(job1) + "/events").c_str(), auth,
            [&](const char* data, std::size_t n) {
              stream.append(data, n);
              return true;
            });
  });
  // Job 2 through server B.
  auto r2 =
      b.Post(path.c_str(), auth,
             R"({"method":"montecarlo","paths":)" + std::to_string(kPaths) + R"(,"seed":8,"async":true})",
             "application/json");
  ASSERT_TRUE(r2);
  ASSERT_EQ(r2->status, 202) << r2->body;
  const auto job2 = nlohmann::json::parse(r2->body)["id"].get<std::int64_t>();

  // Catch a worker holding a shard: stop it (SIGSTOP: it can no longer finish anything), check in
  // the database that the shard is still running under its lease, then kill it with SIGKILL.
  pqxx::connection owner(cluster_->url(database_, "keel_owner"));
  pqxx::connection admin(cluster_->url(database_, "keel_admin"));
  std::string killed;
  std::int64_t killed_shard = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (killed.empty() && Clock::now() < deadline) {
    pqxx::work tx(owner);
    const auto rows = tx.exec("SELECT id, lease_owner, attempts FROM jobs WHERE parent_id IN (" +
                              std::to_string(job1) + ", " + std::to_string(job2) +
                              ") AND status = 'running' AND lease_owner IS NOT NULL ORDER BY id LIMIT 1");
    tx.commit();
    if (rows.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    const std::string lease_owner = rows[0][1].as<std::string>();
    const std::string name = lease_owner.substr(0, lease_owner.find(':'));
    const pid_t pid = workers.at(name);
    ::kill(pid, SIGSTOP);
    // A statement the worker sent before it stopped (its COMMIT marking the shard done) still runs.
    // Wait until none of its connections is active, twice 50 ms apart, so such a statement has
    // landed before the shard's state is read (the superuser sees every session's state).
    for (int quiet = 0; quiet < 2 && Clock::now() < deadline;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      pqxx::work busy(admin);
      const auto row = busy.exec1(
          "SELECT count(*), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity WHERE "
          "application_name = " +
          busy.quote("keel-" + name));
      busy.commit();
      ASSERT_GT(row[0].as<int>(), 0) << "the worker's connections are not seen by their application_name";
      quiet = row[1].as<int>() == 0 ? quiet + 1 : 0;
    }
    pqxx::work check(owner);
    const auto again = check.exec("SELECT status, lease_owner, attempts FROM jobs WHERE id = " +
                                  rows[0][0].as<std::string>());
    check.commit();
    if (again[0][0].as<std::string>() == "running" && again[0][1].as<std::string>() == lease_owner &&
        again[0][2].as<int>() == rows[0][2].as<int>()) {
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      killed = name;
      killed_shard = rows[0][0].as<std::int64_t>();
    } else {
      ::kill(pid, SIGCONT);  // it finished the shard in between: try another
    }
  }
  ASSERT_FALSE(killed.empty()) << "no worker was caught holding a shard";

  // Both jobs end; the killed worker's shard was claimed again after its lease expired.
  auto wait_job = [&](httplib::Client& c, std::int64_t id) {
    nlohmann::json j;
    const auto end = Clock::now() + std::chrono::seconds(120);
    while (Clock::now() < end) {
      auto r = c.Get(("/api/v1/jobs/" + std::to_string(id)).c_str(), auth);
      if (r && r->status == 200) {
        j = nlohmann::json::parse(r->body);
        const std::string s = j["status"];
        if (s == "succeeded" || s == "failed" || s == "cancelled") return j;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return j;
  };
  const auto got1 = wait_job(b, job1);  // each job read through the other server
  const auto got2 = wait_job(a, job2);
  reader.join();
  ASSERT_EQ(got1["status"], "succeeded") << got1.dump();
  ASSERT_EQ(got2["status"], "succeeded") << got2.dump();
  {
    pqxx::work tx(owner);
    const auto shard =
        tx.exec1("SELECT status, attempts, lease_owner FROM jobs WHERE id = " + std::to_string(killed_shard));
    EXPECT_EQ(shard[0].as<std::string>(), "succeeded");
    EXPECT_EQ(shard[1].as<int>(), 2) << "claimed again after the lease of the killed worker expired";
    EXPECT_EQ(tx.exec1("SELECT count(*) FROM jobs WHERE parent_id = " + std::to_string(job1))[0].as<int>(),
              5);
  }

  // Bit for bit: the job's results equal the single-process ones (JSON numbers are written with
  // the shortest text that reads back to the same double, so equal values are equal bits).
  for (const auto& [got, want] : {std::pair{got1, want1}, std::pair{got2, want2}}) {
    const auto& g = got["result"]["results"][0];
    const auto& w = want["results"][0];
    const double gv = g["var"].get<double>(), wv = w["var"].get<double>();
    EXPECT_EQ(std::memcmp(&gv, &wv, sizeof gv), 0) << g.dump() << "\n" << w.dump();
    EXPECT_EQ(g, w);
  }

  // Progress of job 1 (submitted through A) reached B's event stream, as it happened, then the end.
  const auto events = parse_sse(stream);
  ASSERT_GE(events.size(), 3u) << stream;
  std::size_t progress = 0;
  double last = 0.0;
  for (const auto& e : events) {
    if (e.event != "progress") continue;
    const double p = e.data["progress"].get<double>();
    if (p > 0.05 && p < 0.95) ++progress;
    last = p;
  }
  EXPECT_GE(progress, 2u) << stream;
  EXPECT_LE(last, 1.0);
  EXPECT_EQ(events.back().event, "succeeded") << stream;
  EXPECT_EQ(events.back().data["result"]["results"][0]["var"], want1["results"][0]["var"]);
}

}  // namespace
}  // namespace keel
