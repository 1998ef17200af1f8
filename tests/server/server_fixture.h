// tests/server/server_fixture.h: a real keel server in-process on a loopback port (port 0), a
// temporary SQLite file, users of two tenants and an HTTP client. With KEEL_TEST_BACKEND=postgresql
// (ctest server_postgresql) the store is instead a fresh database of the throwaway PostgreSQL
// server of tests/store/pg_cluster.h, reached as the application role.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "keel/core/date.h"
#include "keel/server/auth.h"
#include "keel/server/server.h"
#include "keel/service/imports.h"
#include "keel/store/store.h"
#include "keel/store/user_repository.h"
#include "../support/http_client.h"
#include "schema_check.h"
#ifdef KEEL_TEST_POSTGRESQL
#include "pg_cluster.h"
#endif

namespace keel::server::testing {

using keel::testing::HttpClient;
using keel::testing::HttpHeaders;
using keel::testing::HttpResult;

inline constexpr const char* kTestKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
inline constexpr const char* kPassword = "correct horse battery";

inline std::string temp_db_path() {
#ifdef KEEL_TEST_POSTGRESQL
  if (const char* backend = std::getenv("KEEL_TEST_BACKEND");
      backend && std::string(backend) == "postgresql") {
    auto* cluster = keel::testing::PgCluster::shared();
    if (!cluster) throw std::runtime_error(keel::testing::PgCluster::unavailable_reason());
    return cluster->url(cluster->fresh_database(), "keel_app");
  }
#endif
  static std::atomic<int> counter{0};
  return (std::filesystem::temp_directory_path() /
          ("keel_server_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".db"))
      .string();
}

inline void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

inline ServerConfig test_config(const std::string& db) {
  ServerConfig c;
  c.host = "127.0.0.1";
  c.port = 0;
  c.db_path = db;
  c.threads = 8;
  c.job_workers = 1;
  c.tokens.key = kTestKey;
  c.tokens.ttl_seconds = 600;
  c.password_cost = PasswordCost::minimum();
  // Tests change users in the store behind the server's back and expect the next request to see
  // it: read the revocation journal on every request (keel serve: every 250 ms).
  c.auth_cache.poll_interval = std::chrono::milliseconds(0);
  c.rate_limit_per_minute = 100000;
  c.rate_limit_burst = 0;  // a minute's worth
  c.anonymous_rate_limit_per_minute = 100000;
  c.job_poll_seconds = 0.05;
  c.job_retry_base_seconds = 0.0;
  c.max_body_bytes = 1u << 20;
  return c;
}

// 300 daily closes of AAA and BBB: AAA has returns 1% x sin(i), BBB 0.5% x cos(i); wide CSV.
inline double aaa_return(int i) { return 0.01 * std::sin(static_cast<double>(i)); }
inline double bbb_return(int i) { return 0.005 * std::cos(static_cast<double>(i)); }
inline std::string synthetic_prices_csv(int days = 300) {
  std::ostringstream out;
  out.precision(12);
  out << "date,AAA,BBB\n";
  double a = 100.0, b = 50.0;
  Date d = Date::from_ymd(2020, 1, 1);
  for (int i = 0; i < days; ++i) {
    if (i > 0) {
      a *= 1.0 + aaa_return(i);
      b *= 1.0 + bbb_return(i);
    }
    out << d.add_days(i).to_string() << "," << a << "," << b << "\n";
  }
  return out.str();
}

// A wall clock a test moves forward (the server reads it from several threads).
class SteppedClock final : public Clock {
 public:
  explicit SteppedClock(std::chrono::system_clock::time_point at) : at_(at.time_since_epoch().count()) {}
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(at_.load()));
  }
  void advance(std::chrono::seconds by) {
    at_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(by).count();
  }

 private:
  std::atomic<std::chrono::system_clock::duration::rep> at_;
};

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override { start_server(test_config(db_ = temp_db_path()), true); }
  void TearDown() override {
    server_.reset();
    remove_db(db_);
  }

  void start_server(ServerConfig config, bool seed_users) {
    if (seed_users) {
      auto store = open_store(config.db_path);
      store::UserRepository& users = store->users();
      PasswordHasher hasher(PasswordCost::minimum());
      const std::string h = hasher.hash(kPassword);
      users.add("root", "acme", store::Role::kAdmin, h);
      users.add("mgr", "acme", store::Role::kManager, h);
      users.add("ana", "acme", store::Role::kAnalyst, h);
      users.add("view", "acme", store::Role::kViewer, h);
      users.add("other", "globex", store::Role::kManager, h);
    }
    config_ = config;
    server_ = std::make_unique<Server>(config);
    port_ = server_->start();
  }

  void restart(ServerConfig config) {
    server_.reset();
    start_server(std::move(config), false);
  }

  std::unique_ptr<HttpClient> client() const {
    auto c = std::make_unique<HttpClient>("127.0.0.1", port_);
    c->set_read_timeout(30, 0);
    return c;
  }

  std::string login(const std::string& user) {
    auto c = client();
    auto res = c->Post("/api/v1/auth/login", nlohmann::json{{"username", user}, {"password", kPassword}}.dump(),
                       "application/json");
    EXPECT_TRUE(res);
    if (!res) return "";
    EXPECT_EQ(res->status, 200) << res->body;
    return nlohmann::json::parse(res->body).value("token", "");
  }

  static HttpHeaders bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  // Every request below checks a successful JSON response against the schema its route declares
  // in the OpenAPI document (schema_check.h): a key the result struct does not declare, a missing
  // one or a wrong type fails the test that received it.
  HttpResult get(const std::string& token, const std::string& path) {
    return conform("GET", path, client()->Get(path, bearer(token)));
  }
  HttpResult post(const std::string& token, const std::string& path, const std::string& body,
                       const std::string& type = "application/json") {
    return conform("POST", path, client()->Post(path, bearer(token), body, type));
  }
  HttpResult del(const std::string& token, const std::string& path) {
    return conform("DELETE", path, client()->Delete(path, bearer(token)));
  }
  HttpResult put(const std::string& token, const std::string& path, const std::string& body,
                      const std::string& type = "application/json") {
    return conform("PUT", path, client()->Put(path, bearer(token), body, type));
  }
  HttpResult patch(const std::string& token, const std::string& path, const std::string& body,
                   const std::string& type = "application/json") {
    return conform("PATCH", path, client()->Patch(path, bearer(token), body, type));
  }
  HttpResult del(const std::string& token, const std::string& path, const std::string& body) {
    return conform("DELETE", path, client()->Delete(path, bearer(token), body, "application/json"));
  }

  const SchemaCheck& schemas() {
    if (!schemas_) {
      auto r = client()->Get("/api/v1/openapi.json");
      EXPECT_TRUE(r && r->status == 200);
      schemas_ = std::make_unique<SchemaCheck>(r && r->status == 200 ? nlohmann::json::parse(r->body)
                                                                     : nlohmann::json::object());
    }
    return *schemas_;
  }
  HttpResult conform(const std::string& method, const std::string& path, HttpResult r) {
    // A conflict is part of the contract a client codes against: the route must declare it.
    if (r && r->status == 409 && !schemas().declares(method, path, 409)) {
      ADD_FAILURE() << method << " " << path << " answered 409, which its route does not declare";
    }
    if (!r || r->status < 200 || r->status >= 300) return r;
    const std::string content_type = r->get_header_value("Content-Type");
    if (schemas().typed(method, path) &&
        !SchemaCheck::media_type_declared(content_type, schemas().media_types(method, path, r->status))) {
      ADD_FAILURE() << method << " " << path << " answered " << r->status << " with Content-Type '" << content_type
                    << "', which its route does not declare for that status";
    }
    if (content_type.find("json") == std::string::npos) return r;
    const auto schema = schemas().response_schema(method, path, r->status);
    if (schema.is_null()) {
      if (schemas().typed(method, path)) {
        ADD_FAILURE() << method << " " << path << " answered " << r->status
                      << " but its route declares no schema for that status";
      }
      return r;
    }
    const auto doc = nlohmann::json::parse(r->body, nullptr, false);
    for (const auto& problem : schemas().check(doc, schema)) {
      ADD_FAILURE() << method << " " << path << " (" << r->status << "): response does not match its schema: " << problem;
    }
    ++checked_responses_;
    return r;
  }
  static nlohmann::json body(const HttpResult& r) { return nlohmann::json::parse(r->body); }
  // Polls a job until it ends (succeeded, failed, cancelled); a test failure after ~`tries` x 10 ms.
  nlohmann::json wait_job(const std::string& token, std::int64_t id, int tries = 6000) {
    for (int i = 0; i < tries; ++i) {
      auto j = body(get(token, "/api/v1/jobs/" + std::to_string(id)));
      const std::string s = j["status"];
      if (s == "succeeded" || s == "failed" || s == "cancelled") return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "job " << id << " did not finish";
    return {};
  }
  // The audit actions (oldest first) as "action:resource" of the tenant's entries, read as `root`.
  // With `tenant`, that tenant's rows only (?tenant=), which the PostgreSQL application role reads too.
  std::vector<std::string> audit_actions(const std::string& root_token, const std::string& prefix,
                                         const std::string& tenant = {}) {
    std::vector<std::string> out;
    auto r = get(root_token, "/api/v1/audit?limit=500" + (tenant.empty() ? std::string() : "&tenant=" + tenant));
    if (!r || r->status != 200) return out;
    const nlohmann::json page = body(r);  // kept alive: the loop reads into it
    for (const auto& e : page["items"]) {
      const std::string a = e["action"];
      if (a.rfind(prefix, 0) == 0) out.insert(out.begin(), a + ":" + e["resource"].get<std::string>());
    }
    return out;
  }

  // Creates a portfolio (as `token`) and returns its id.
  std::int64_t create_portfolio(const std::string& token, const std::string& name) {
    auto r = post(token, "/api/v1/portfolios", nlohmann::json{{"name", name}}.dump());
    EXPECT_EQ(r->status, 201) << r->body;
    return body(r)["id"].get<std::int64_t>();
  }

  // A portfolio `name` created by `owner` holding 100 AAA and 200 BBB (two of the synthetic prices'
  // stocks), its positions uploaded by `uploader` (the owner when empty); returns its id.
  std::int64_t create_two_stock_book(const std::string& owner, const std::string& name,
                                     const std::string& uploader = "") {
    const auto id = create_portfolio(owner, name);
    const auto r = post(uploader.empty() ? owner : uploader, "/api/v1/portfolios/" + std::to_string(id) + "/positions",
                        "symbol,quantity\nAAA,100\nBBB,200\n", "text/csv");
    EXPECT_EQ(r->status, 200) << r->body;
    return id;
  }

  void import_synthetic_prices() {
    auto store = open_store(db_);
    service::import_prices({store.get()}, {service::InputFile{"prices.csv", synthetic_prices_csv()}});
  }

  std::string db_;
  std::unique_ptr<SchemaCheck> schemas_;
  int checked_responses_ = 0;  // responses checked against a declared schema
  ServerConfig config_;
  std::unique_ptr<Server> server_;
  int port_ = 0;
};

}  // namespace keel::server::testing
