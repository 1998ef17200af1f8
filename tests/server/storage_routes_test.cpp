// What a tenant keeps and its per-user quotas over HTTP (keel/service/storage.h): GET
// /api/v1/storage for administrators and managers only, area by area and by owner within the
// caller's tenant; the what-if session quota refuses a user's one too many with 409, and only
// that user's, with a tenant's own quota from --tenant-limit.
#include <gtest/gtest.h>

#include <algorithm>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

class StorageRoutes : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    ServerConfig c = config_;
    c.limits.defaults.whatif_sessions_per_user = 2;
    c.limits.defaults.assistant_user_mb = 64;
    c.assistant_retention_days = 90;
    c.limits.tenants.insert(service::parse_tenant_limit("globex:whatif_sessions=1", c.limits.defaults));
    restart(c);
    import_synthetic_prices();
    mgr_ = login("mgr");
    ana_ = login("ana");
    pid_ = create_two_stock_book(mgr_, "book");
  }

  HttpResult create_session(const std::string& token, std::int64_t portfolio, const std::string& name) {
    return post(token, "/api/v1/portfolios/" + std::to_string(portfolio) + "/sessions", json{{"name", name}}.dump());
  }

  std::string mgr_, ana_;
  std::int64_t pid_ = 0;
};

// The row of `area` and `owner` in a GET /storage answer, or null.
json area_of(const json& usage, const std::string& area, const std::string& owner) {
  for (const auto& a : usage["areas"]) {
    if (a["area"] == area && a["owner"] == owner) return a;
  }
  return nullptr;
}

TEST_F(StorageRoutes, AUsersWhatIfSessionsAreHeldToTheTenantsQuotaAndOnlyTheirs) {
  ASSERT_EQ(create_session(ana_, pid_, "one")->status, 201);
  const auto second = create_session(ana_, pid_, "two");
  ASSERT_EQ(second->status, 201) << second->body;
  auto r = create_session(ana_, pid_, "three");
  ASSERT_EQ(r->status, 409) << r->body;
  const std::string message = body(r)["error"]["message"];
  EXPECT_NE(message.find("you keep 2 what-if sessions"), std::string::npos) << message;
  EXPECT_NE(message.find("Delete"), std::string::npos) << message;  // names the button that frees one
  // Another user of the tenant has a quota of their own.
  EXPECT_EQ(create_session(mgr_, pid_, "three")->status, 201);
  // Deleting one frees a place.
  ASSERT_EQ(del(ana_, "/api/v1/sessions/" + std::to_string(body(second)["id"].get<std::int64_t>()))->status, 200);
  EXPECT_EQ(create_session(ana_, pid_, "three b")->status, 201);

  // globex's own quota is one session.
  const std::string other = login("other");
  const auto gid = create_portfolio(other, "gbook");
  ASSERT_EQ(post(other, "/api/v1/portfolios/" + std::to_string(gid) + "/positions", "symbol,quantity\nAAA,1\n",
                 "text/csv")
                ->status,
            200);
  EXPECT_EQ(create_session(other, gid, "g1")->status, 201);
  EXPECT_EQ(create_session(other, gid, "g2")->status, 409);
}

TEST_F(StorageRoutes, AdministratorsSeeTheirTenantsAreasByOwnerWithTheBounds) {
  ASSERT_EQ(create_session(ana_, pid_, "one")->status, 201);
  ASSERT_EQ(create_session(mgr_, pid_, "two")->status, 201);

  // Analysts and viewers may not; managers and administrators may.
  EXPECT_EQ(get(ana_, "/api/v1/storage")->status, 403);
  EXPECT_EQ(get(login("view"), "/api/v1/storage")->status, 403);
  auto r = get(mgr_, "/api/v1/storage");
  ASSERT_EQ(r->status, 200) << r->body;
  const json usage = body(r);
  EXPECT_EQ(usage["tenant"], "acme");
  EXPECT_EQ(usage["whatif_sessions_per_user"], 2);
  EXPECT_EQ(usage["assistant_user_mb"], 64);
  EXPECT_EQ(usage["assistant_retention_days"], 90.0);
  EXPECT_EQ(usage["job_retention_days"], config_.job_retention_days);
  const json ana = area_of(usage, "whatif", "ana");
  ASSERT_FALSE(ana.is_null()) << usage.dump();
  EXPECT_EQ(ana["items"], 1);
  ASSERT_FALSE(area_of(usage, "whatif", "mgr").is_null());
  const json positions = area_of(usage, "portfolios", "");
  ASSERT_FALSE(positions.is_null());
  EXPECT_EQ(positions["items"], 2);
  // The tenant's bytes are its areas', the shared market data left out.
  std::int64_t total = 0;
  for (const auto& a : usage["areas"]) {
    if (!a["shared"].get<bool>()) total += a["bytes"].get<std::int64_t>();
  }
  EXPECT_EQ(usage["bytes"], total);
  const json market = usage["areas"].back();
  EXPECT_EQ(market["area"], "market_data");
  EXPECT_TRUE(market["shared"].get<bool>());
  EXPECT_GE(market["items"].get<std::int64_t>(), 600);  // the synthetic prices: 2 symbols x 300 days

  // Another tenant's manager sees none of acme's.
  r = get(login("other"), "/api/v1/storage");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(area_of(body(r), "whatif", "ana").is_null());
  EXPECT_TRUE(area_of(body(r), "portfolios", "").is_null());
  EXPECT_EQ(body(r)["tenant"], "globex");
}

}  // namespace
}  // namespace keel::server::testing
