// Market-data providers read their API key from the key vault (keel/service/key_vault.h) before the
// environment: the real vault (a key file in a temporary folder, an SQLite store) and the real
// polygon client against a loopback server that records the apiKey each request carried.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "keel/core/error.h"
#include "keel/service/key_vault.h"
#include "keel/service/keys.h"
#include "keel/store/audit_repository.h"
#include "keel/service/market_data.h"
#include "keel/store/store.h"
#include "keel/vault/master_key_chain.h"
#include "loopback_server.h"

namespace keel::service {
namespace {

using keel::testing::LoopbackServer;
namespace fs = std::filesystem;

class VaultKeyFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("keel_md_vault_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = open_store((dir_ / "keel.db").string());
    vault::MasterKeyOptions o;
    o.source = vault::SourceKind::kFile;
    o.key_file = (dir_ / "master.key").string();
    vault_ = std::make_unique<KeyVault>([this](const std::function<void(Store*)>& fn) { fn(store_.get()); },
                                        master_key_chain_of(o));
    ::unsetenv("KEEL_POLYGON_API_KEY");
    server_.on(
        "/v2/aggs/ticker/AAPL/range/1/day/.*", [this](const httplib::Request& req, httplib::Response& res) {
          keys_seen_.push_back(req.get_param_value("apiKey"));
          res.set_content(keel::testing::fixture("polygon_aggs_aapl_2017-11.json"), "application/json");
        });
    server_.serve("/v3/reference/.*", "polygon_empty.json");
  }
  void TearDown() override {
    ::unsetenv("KEEL_POLYGON_API_KEY");
    vault_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  // Fetches AAPL from the loopback polygon with no key in the request's options.
  FetchPricesResult fetch(const std::string& tenant = kDefaultTenant) {
    FetchPricesRequest req;
    req.source.provider = "polygon";
    req.source.options.base_url = server_.url();
    req.source.options.requests_per_second = 1000;
    req.source.options.http.max_attempts = 1;
    req.symbols = {"AAPL"};
    req.from = Date::parse_or_throw("2017-11-08");
    req.to = Date::parse_or_throw("2017-11-14");
    req.today = Date::parse_or_throw("2026-11-23");
    req.full = true;
    Context cx{store_.get(), system_env(), vault_.get()};
    cx.actor.tenant = tenant;
    return fetch_prices(cx, req);
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<KeyVault> vault_;
  LoopbackServer server_;
  std::vector<std::string> keys_seen_;
};

TEST_F(VaultKeyFixture, PolygonSendsTheVaultsKeyBeforeTheEnvironments) {
  ::setenv("KEEL_POLYGON_API_KEY", "pk_from_environment", 1);
  vault_->put("", "polygon", "pk_from_vault_7", "test", {server_.url()});
  const auto report = fetch();
  EXPECT_EQ(report.fetched_bars, 5u);
  ASSERT_FALSE(keys_seen_.empty());
  for (const auto& k : keys_seen_) EXPECT_EQ(k, "pk_from_vault_7");
  // The report (what `keel fetch` prints and the batch stores) does not carry it.
  EXPECT_EQ(spec::to_json(report).dump().find("pk_from_vault_7"), std::string::npos);
}

TEST_F(VaultKeyFixture, TheEnvironmentVariableIsTheFallback) {
  ::setenv("KEEL_POLYGON_API_KEY", "pk_from_environment", 1);
  vault_->put("globex", "polygon", "pk_of_globex", "test", {server_.url()});  // another tenant's key is not this one's
  fetch();
  ASSERT_FALSE(keys_seen_.empty());
  for (const auto& k : keys_seen_) EXPECT_EQ(k, "pk_from_environment");
}

TEST_F(VaultKeyFixture, ATenantsOwnKeyIsUsedForThatTenant) {
  vault_->put("globex", "polygon", "pk_of_globex", "test", {server_.url()});
  fetch("globex");
  ASSERT_FALSE(keys_seen_.empty());
  for (const auto& k : keys_seen_) EXPECT_EQ(k, "pk_of_globex");
}

TEST_F(VaultKeyFixture, AKeyWithNoOriginGoesOnlyToItsVendorsApi) {
  // Stored without --origin (as every key was before origins existed): polygon's key may go to
  // https://api.polygon.io only, so the loopback stand-in is refused and sees no request.
  vault_->put("", "polygon", "pk_unbound_9", "cli:ann");
  EXPECT_EQ(list_keys(Context{store_.get(), system_env(), vault_.get()}).items.at(0).origins,
            std::vector<std::string>{"https://api.polygon.io"});
  try {
    fetch();
    FAIL() << "fetched with a key bound elsewhere";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    const std::string m = e.what();
    EXPECT_NE(m.find("key 'polygon' is bound to https://api.polygon.io, not to " + server_.url()), std::string::npos) << m;
    EXPECT_NE(m.find("keel keys bind polygon --origin " + server_.url()), std::string::npos) << m;
    EXPECT_EQ(m.find("pk_unbound_9"), std::string::npos);
  }
  EXPECT_TRUE(keys_seen_.empty());
  store::AuditQuery q;
  q.action = "outbound.refused";
  const auto audited = store_->audit().list(q);
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0].resource, "key/polygon");
  // An administrator binds it (the value stays): then it is sent there.
  KeyBindRequest bind;
  bind.name = "polygon";
  bind.origins = {server_.url() + "/"};
  Context admin{store_.get(), system_env(), vault_.get()};
  admin.actor.user = "cli:ann";
  EXPECT_EQ(bind_key(admin, bind).origins,
            std::vector<std::string>{server_.url()});
  fetch();
  ASSERT_FALSE(keys_seen_.empty());
  for (const auto& k : keys_seen_) EXPECT_EQ(k, "pk_unbound_9");
}

TEST_F(VaultKeyFixture, NoKeyAnywhereSaysWhereToPutOne) {
  try {
    fetch();
    FAIL() << "fetched without a key";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnauthorized);
    EXPECT_STREQ(e.what(),
                 "polygon needs an API key: store it in the key vault (keel keys set polygon) or set "
                 "KEEL_POLYGON_API_KEY");
  }
  EXPECT_TRUE(keys_seen_.empty());
}

}  // namespace
}  // namespace keel::service
