// /api/v1/keys on a real server: admins of a tenant set, list and delete its API keys; every other
// role is refused; tenants never see each other's keys; the batch's market-data step reads its
// provider key from the vault; and no byte of a key appears in a response, an error, an audit entry,
// a log line or the database file.
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <sstream>

#include "../marketdata/loopback_server.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kValue = "sk-live-VaultRouteSecret-5150";

class KeyRoutes : public ServerFixture {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("keel_key_routes_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = temp_db_path();
    {
      auto store = open_store(db_);
      store->users().add("groot", "globex", store::Role::kAdmin,
                         PasswordHasher(PasswordCost::minimum()).hash(kPassword));
    }
    ServerConfig c = test_config(db_);
    c.master_key.source = vault::SourceKind::kFile;
    c.master_key.key_file = (dir_ / "master.key").string();
    c.log = &log_;
    c.batch_market_data.provider = "polygon";
    c.batch_market_data.options.base_url = provider_.url();
    c.batch_market_data.options.requests_per_second = 1000;
    c.batch_market_data.options.http.max_attempts = 1;
    provider_.on("/v2/aggs/ticker/.*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(seen_mutex_);
      keys_seen_.push_back(req.get_param_value("apiKey"));
      res.set_content(keel::testing::fixture("polygon_aggs_aapl_2017-11.json"), "application/json");
    });
    provider_.serve("/v3/reference/.*", "polygon_empty.json");
    start_server(c, true);
  }
  void TearDown() override {
    ServerFixture::TearDown();
    fs::remove_all(dir_);
  }

  HttpResult put_key(const std::string& token, const std::string& name, const std::string& body) {
    auto r = put(token, "/api/v1/keys/" + name, body);
    if (r) responses_ += r->body;
    return r;
  }
  HttpResult kept(HttpResult r) {
    if (r) responses_ += r->body;
    return r;
  }

  fs::path dir_;
  std::ostringstream log_;
  keel::testing::LoopbackServer provider_;
  std::mutex seen_mutex_;
  std::vector<std::string> keys_seen_;
  std::string responses_;  // every response body the test received
};

TEST_F(KeyRoutes, AdminsManageTheirTenantsKeysAndNoOtherRoleCan) {
  const std::string root = login("root");
  auto r = put_key(root, "openai", json{{"value", kValue}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  const json set = body(r);
  EXPECT_EQ(set["name"], "openai");
  EXPECT_EQ(set["replaced"], false);
  EXPECT_EQ(set["updated_by"], "root");
  r = kept(get(root, "/api/v1/keys"));
  ASSERT_EQ(r->status, 200);
  ASSERT_EQ(body(r)["items"].size(), 1u);
  EXPECT_EQ(body(r)["items"][0]["fingerprint"], set["fingerprint"]);

  // A manager, an analyst and a viewer of the same tenant: 403 on every key route.
  for (const char* user : {"mgr", "ana", "view"}) {
    const std::string t = login(user);
    for (const auto& res : {kept(get(t, "/api/v1/keys")), put_key(t, "openai", R"({"value":"sk-other"})"),
                            kept(del(t, "/api/v1/keys/openai"))}) {
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 403) << user << ": " << res->body;
      EXPECT_EQ(body(res)["error"]["code"], "forbidden");
    }
  }

  // Another tenant's admin sees none of acme's keys and has a key of the same name of its own.
  const std::string groot = login("groot");
  EXPECT_EQ(body(kept(get(groot, "/api/v1/keys")))["items"].size(), 0u);
  ASSERT_EQ(put_key(groot, "openai", R"({"value":"sk-globex-own"})")->status, 200);
  EXPECT_NE(body(kept(get(groot, "/api/v1/keys")))["items"][0]["fingerprint"], set["fingerprint"]);
  ASSERT_EQ(kept(del(groot, "/api/v1/keys/openai"))->status, 200);
  EXPECT_EQ(kept(del(groot, "/api/v1/keys/openai"))->status, 404);
  EXPECT_EQ(body(kept(get(root, "/api/v1/keys")))["items"].size(), 1u);  // acme's is untouched

  // Replacing and deleting, audited by name.
  r = put_key(root, "openai", json{{"value", std::string(kValue) + "-2"}}.dump());
  EXPECT_EQ(body(r)["replaced"], true);
  EXPECT_EQ(kept(del(root, "/api/v1/keys/openai"))->status, 200);
  // acme's audit entries of key routes, oldest first (groot's are globex's).
  std::vector<std::string> actions;
  const json page = body(kept(get(root, "/api/v1/audit?tenant=acme&limit=500")));  // kept alive: read below
  for (const auto& e : page["items"]) {
    const std::string a = e["action"];
    if (a.rfind("key.", 0) == 0) actions.insert(actions.begin(), a + ":" + e["resource"].get<std::string>());
    EXPECT_EQ(e["details"].dump().find("VaultRouteSecret"), std::string::npos);
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"key.set:key/openai", "key.set:key/openai", "key.delete:key/openai"}));
  EXPECT_GT(checked_responses_, 0);
}

TEST_F(KeyRoutes, NoKeyValueInAnyResponseErrorAuditEntryLogLineOrTheDatabase) {
  const std::string root = login("root");
  // Bound to the loopback stand-in for api.polygon.io, where the batch sends it.
  ASSERT_EQ(put_key(root, "polygon", json{{"value", kValue}, {"origins", {provider_.url()}}}.dump())->status, 200);
  // Refused bodies that hold the key: the error never repeats it.
  const std::string v = kValue;
  for (const std::string& bad : {R"({"value":")" + v,         // unterminated: the parser quotes bytes
                                 R"({")" + v + R"(": "x"})",  // the key as a field name
                                 R"({"value": ")" + v + R"(", "extra": 1})",  // a field too many
                                 R"({"value": ")" + v + R"(\n"})",            // a control character in it
                                 R"([")" + v + R"("])"}) {
    auto r = put_key(root, "polygon", bad);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << r->body;
    EXPECT_EQ(r->body.find("VaultRouteSecret"), std::string::npos) << r->body;
  }
  EXPECT_EQ(put_key(root, "bad%20name", json{{"value", kValue}}.dump())->status, 400);

  // The batch's market-data step gets the key from the vault: the provider saw it, the job's
  // result does not carry it.
  const auto pid = create_portfolio(root, "b1");
  ASSERT_EQ(kept(post(root, "/api/v1/portfolios/" + std::to_string(pid) + "/positions",
                      "symbol,quantity\nAAPL,10\n", "text/csv"))
                ->status,
            200);
  auto job = kept(post(root, "/api/v1/batch", "{}"));
  ASSERT_EQ(job->status, 202) << job->body;
  const json done = wait_job(root, body(job)["id"].get<std::int64_t>());
  responses_ += done.dump();
  {
    std::lock_guard lock(seen_mutex_);
    ASSERT_FALSE(keys_seen_.empty()) << done.dump();
    for (const auto& k : keys_seen_) EXPECT_EQ(k, kValue);
  }
  responses_ += kept(get(root, "/api/v1/keys"))->body;
  responses_ += kept(get(root, "/api/v1/audit?limit=500"))->body;
  server_.reset();  // flushes and stops every thread writing the log

  EXPECT_EQ(responses_.find("VaultRouteSecret"), std::string::npos);
  EXPECT_NE(log_.str().find("/api/v1/keys/polygon"), std::string::npos);  // the log saw the requests...
  EXPECT_EQ(log_.str().find("VaultRouteSecret"), std::string::npos);      // ...and not the key
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(db_ + suffix, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    EXPECT_EQ(bytes.str().find("VaultRouteSecret"), std::string::npos) << suffix;
  }
}

}  // namespace
}  // namespace keel::server::testing
