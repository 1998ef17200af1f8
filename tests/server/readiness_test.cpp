// /readyz reports the outside services' reachability as counts, and /metrics the store's pool.
//
// Loopback listeners stand in for the providers: one socket listening (a TCP connection opens: the
// kernel completes the handshake from the backlog) and one port bound then closed (the connection
// is refused). Tenant acme's policy lists both hosts, so keel serve may reach them; tenant globex
// registers a provider on the listening port without listing it, so the outbound guard counts it
// not allowed although the port answers. (The default tenant, which holds the LM Studio provider a
// fresh store offers, has no user here, and the probe looks at the tenants users belong to.) The
// market-data provider is the operator's configured base URL on the listening port. Expected
// counts (reachable / unreachable / not allowed) follow from that setup, by hand:
//   llm: acme up (reachable), acme down (refused), globex up-but-unlisted (guard) -> 1 / 1 / 1
//   market data: the listening port -> 1 / 0 / 0
// and, once the listener closes and the cache has expired: llm 0 / 2 / 1, market data 0 / 1 / 0.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "keel/store/assistant_repository.h"
#include "keel/store/postgresql.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

// A socket bound to 127.0.0.1 on a free port; listening when `listen_now`, else closed at once (its
// port then refuses connections).
struct Loopback {
  int fd = -1;
  int port = 0;
  explicit Loopback(bool listen_now) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    if (listen_now) {
      EXPECT_EQ(::listen(fd, 16), 0);
    } else {
      close();
    }
  }
  ~Loopback() { close(); }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/v1"; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port); }
};

class ProviderReadiness : public ServerFixture {
 protected:
  void SetUp() override {}  // the server starts in the test, with the providers configured
};

void add_provider(Store& store, const std::string& tenant, const std::string& name, const std::string& url) {
  store::AssistantProviderRow row;
  row.tenant = tenant;
  row.name = name;
  row.format = "openai";
  row.base_url = url;
  row.model = "m";
  ASSERT_FALSE(store.assistant().put_provider(row)) << "a new provider, not a replaced one";
}

TEST_F(ProviderReadiness, CountsReachableProvidersWithoutFailingTheProbeOrNamingThem) {
  Loopback up(true);
  Loopback down(false);
  db_ = temp_db_path();
  auto config = test_config(db_);
  config.batch_market_data.provider = "yahoo";
  config.batch_market_data.options.base_url = "http://" + up.host();
  config.provider_check_seconds = 2.0;
  start_server(config, true);
  {
    auto store = open_store(db_);
    store::AssistantPolicyRow policy;
    policy.tenant = "acme";
    policy.allowed_hosts = {up.host(), down.host()};
    policy.updated_by = "root";
    store->assistant().put_policy(policy);
    add_provider(*store, "acme", "up", up.url());
    add_provider(*store, "acme", "down", down.url());
    add_provider(*store, "globex", "unlisted", up.url());
  }
  const auto readyz = [&] {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = client()->Get("/readyz");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(seconds, 1.0) << "the probe never waits for the providers past its bound";
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->body.find("127.0.0.1"), std::string::npos) << "no host in the anonymous answer: " << r->body;
    return body(r);
  };
  json r = readyz();
  EXPECT_EQ(r["status"], "ready");
  EXPECT_EQ(r["llm_providers"], (json{{"reachable", 1}, {"unreachable", 1}, {"not_allowed", 1}})) << r.dump();
  EXPECT_EQ(r["market_data"], (json{{"reachable", 1}, {"unreachable", 0}, {"not_allowed", 0}})) << r.dump();

  // Within the check interval the counts are the cached ones, although the listener is gone.
  up.close();
  r = readyz();
  EXPECT_EQ(r["llm_providers"]["reachable"], 1) << r.dump();
  EXPECT_LT(r["providers_checked_seconds_ago"].get<double>(), 2.0);

  // After it, a new check: nothing answers, and the server is still ready.
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  r = readyz();
  EXPECT_EQ(r["status"], "ready");
  EXPECT_EQ(r["llm_providers"], (json{{"reachable", 0}, {"unreachable", 2}, {"not_allowed", 1}})) << r.dump();
  EXPECT_EQ(r["market_data"], (json{{"reachable", 0}, {"unreachable", 1}, {"not_allowed", 0}})) << r.dump();
}

// A fresh store without users: no market-data provider configured, and no tenant a user belongs to.
// (tests/cases/http/portfolios.test has users in the default tenant: its LM Studio offer counts as
// not allowed there.)
TEST_F(ProviderReadiness, NoProvidersConfiguredCountsNothing) {
  start_server(test_config(db_ = temp_db_path()), true);
  const json r = body(client()->Get("/readyz"));
  EXPECT_EQ(r["status"], "ready");
  EXPECT_EQ(r["llm_providers"], (json{{"reachable", 0}, {"unreachable", 0}, {"not_allowed", 0}}));
  EXPECT_EQ(r["market_data"], (json{{"reachable", 0}, {"unreachable", 0}, {"not_allowed", 0}}));
}

// The value of one gauge series in a Prometheus text, or NaN.
double gauge(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return std::nan("");
  return std::stod(text.substr(at + series.size() + 2));
}

TEST_F(ServerFixture, MetricsReportTheStorePool) {
  // On SQLite every leased Store is one connection of the pool. The event hub holds one for its
  // whole life, and the /metrics request holds its own while it answers: so in use = 2 once the
  // requests before it (and the server's start-up tasks) have returned theirs, which go to the idle
  // list (>= 1 after a sign-in and a list). A store is returned just after its response is written,
  // so the series is read until it settles. PostgreSQL counts the connections of its own pool (a
  // Store holds one only inside a statement or transaction): there only the waiting is exact.
  const std::string mgr = login("mgr");
  ASSERT_EQ(get(mgr, "/api/v1/portfolios")->status, 200);
  std::string text;
  double in_use = 0, idle = 0;
  for (int i = 0; i < 200; ++i) {
    text = client()->Get("/metrics")->body;
    in_use = gauge(text, R"(keel_store_pool_connections{store="primary",state="in_use"})");
    idle = gauge(text, R"(keel_store_pool_connections{store="primary",state="idle"})");
    if (in_use == 2.0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(gauge(text, R"(keel_store_pool_waiting{store="primary"})"), 0.0) << text;
  ASSERT_FALSE(std::isnan(in_use)) << text;
  ASSERT_FALSE(std::isnan(idle)) << text;
  EXPECT_NE(text.find("# TYPE keel_store_pool_connections gauge"), std::string::npos);
  EXPECT_EQ(text.find(R"(store="replica")"), std::string::npos) << "no replica configured";
  EXPECT_EQ(gauge(text, "keel_store_replica_fallbacks_total"), 0.0);
  if (store::pg::is_url(db_)) {
    EXPECT_GE(in_use + idle, 1.0) << text;
  } else {
    EXPECT_EQ(in_use, 2.0) << text;
    EXPECT_GE(idle, 1.0) << text;
  }
}

}  // namespace
}  // namespace keel::server::testing
