// Revoked tokens are refused by every server of a PostgreSQL deployment within one second: two
// `keel serve` processes on one database (the throwaway server of pg_cluster.h, as the
// application role), one signing key. A token signed out through one server, a role changed
// through one server and a password changed with the keel command are each refused by the other
// server (or both) within 1 s; the same user's other tokens survive a single sign-out. Each server
// reads the revocation journal at most every 250 ms (docs/security.md, "Tokens").
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "pg_cluster.h"
#include "process.h"

namespace keel {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kPassword = "correct horse battery";

class RevocationOnPostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = testing::PgCluster::shared();
    KEEL_PG_REQUIRE_OR_SKIP(cluster_);
    url_ = cluster_->url(cluster_->fresh_database(), "keel_app");
    ::setenv("KEEL_JWT_SECRET", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 1);
    for (const std::string& args : {std::string("user add ann --role analyst --tenant acme --password-stdin"),
                                    std::string("user add boss --role admin --tenant acme --password-stdin")}) {
      const auto r = testing::run_command(keel() + args, std::string(kPassword) + "\n");
      ASSERT_EQ(r.code, 0) << args << "\n" << r.err;
    }
    for (int* port : {&port_a_, &port_b_}) {
      *port = testing::free_port();
      ASSERT_GT(ps_.start({KEEL_BIN, "--db", url_ + "&pool_size=4", "serve", "--port", std::to_string(*port),
                           "--no-web", "--no-log", "--job-workers", "0", "--rate-limit", "100000"}),
                0);
    }
    a_ = std::make_unique<httplib::Client>("127.0.0.1", port_a_);
    b_ = std::make_unique<httplib::Client>("127.0.0.1", port_b_);
    for (auto* c : {a_.get(), b_.get()}) {
      c->set_read_timeout(30, 0);
      ASSERT_TRUE(wait_ready(*c));
    }
  }

  std::string keel() const { return std::string(KEEL_BIN) + " --db '" + url_ + "' "; }

  static bool wait_ready(httplib::Client& c) {
    for (int i = 0; i < 300; ++i) {
      if (auto r = c.Get("/readyz"); r && r->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  static std::string login(httplib::Client& c, const std::string& user, const std::string& password = kPassword) {
    const auto r = c.Post("/api/v1/auth/login", nlohmann::json{{"username", user}, {"password", password}}.dump(),
                          "application/json");
    if (!r || r->status != 200) return "";
    return nlohmann::json::parse(r->body)["token"].get<std::string>();
  }
  static int me(httplib::Client& c, const std::string& token) {
    const auto r = c.Get("/api/v1/auth/me", {{"Authorization", "Bearer " + token}});
    return r ? r->status : -1;
  }
  // Milliseconds from `since` until `c` refuses `token` (asked every 10 ms), or -1 after 3 s.
  static long long refused_after(httplib::Client& c, const std::string& token, Clock::time_point since) {
    while (Clock::now() - since < std::chrono::seconds(3)) {
      if (me(c, token) == 401) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

  testing::PgCluster* cluster_ = nullptr;
  std::string url_;
  testing::Processes ps_;
  int port_a_ = 0, port_b_ = 0;
  std::unique_ptr<httplib::Client> a_, b_;
};

TEST_F(RevocationOnPostgres, ATokenSignedOutOnOneServerIsRefusedByTheOtherWithinOneSecond) {
  const std::string first = login(*a_, "ann");
  const std::string second = login(*a_, "ann");
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  // Both servers know the user and both tokens before the sign-out.
  for (auto* c : {a_.get(), b_.get()}) {
    ASSERT_EQ(me(*c, first), 200);
    ASSERT_EQ(me(*c, second), 200);
  }
  const auto out = b_->Post("/api/v1/auth/logout", {{"Authorization", "Bearer " + first}}, "", "application/json");
  ASSERT_TRUE(out);
  ASSERT_EQ(out->status, 200) << out->body;
  const auto signed_out = Clock::now();  // the journal row is committed before the answer
  EXPECT_EQ(me(*b_, first), 401);        // the server that signed it out: at once
  const auto on_a = refused_after(*a_, first, signed_out);
  ASSERT_GE(on_a, 0) << "server A still accepted the signed-out token 3 s later";
  EXPECT_LT(on_a, 1000) << "server A accepted the signed-out token for " << on_a << " ms";
  EXPECT_EQ(me(*a_, second), 200);
  EXPECT_EQ(me(*b_, second), 200);
  std::cout << "[ figures  ] sign-out on B refused by A after " << on_a << " ms\n";
}

TEST_F(RevocationOnPostgres, ARoleChangeOnOneServerRevokesOnTheOtherWithinOneSecond) {
  const std::string boss = login(*a_, "boss");
  const std::string ann = login(*b_, "ann");
  ASSERT_EQ(me(*b_, ann), 200);
  ASSERT_EQ(me(*a_, ann), 200);
  // An admin names the tenant: on PostgreSQL the application role sees one tenant at a time.
  const auto users = a_->Get("/api/v1/users?tenant=acme", {{"Authorization", "Bearer " + boss}});
  ASSERT_TRUE(users && users->status == 200);
  std::int64_t ann_id = 0;
  const auto list = nlohmann::json::parse(users->body);  // kept alive: the loop reads into it
  for (const auto& u : list["items"]) {
    if (u["username"] == "ann") ann_id = u["id"].get<std::int64_t>();
  }
  const auto changed = a_->Post("/api/v1/users/" + std::to_string(ann_id) + "/role",
                                {{"Authorization", "Bearer " + boss}}, R"({"role":"viewer"})", "application/json");
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->status, 200) << changed->body;
  const auto at = Clock::now();
  EXPECT_EQ(me(*a_, ann), 401);
  const auto on_b = refused_after(*b_, ann, at);
  ASSERT_GE(on_b, 0);
  EXPECT_LT(on_b, 1000) << "server B accepted the token for " << on_b << " ms after the role change";
  std::cout << "[ figures  ] role change on A refused by B after " << on_b << " ms\n";
  // A new token carries the new role on both servers.
  const std::string again = login(*b_, "ann");
  const auto me_a = a_->Get("/api/v1/auth/me", {{"Authorization", "Bearer " + again}});
  ASSERT_TRUE(me_a && me_a->status == 200);
  EXPECT_EQ(nlohmann::json::parse(me_a->body)["role"], "viewer");
  EXPECT_EQ(me(*a_, boss), 200);
}

TEST_F(RevocationOnPostgres, APasswordChangedWithTheKeelCommandRevokesOnBothServersWithinOneSecond) {
  const std::string ann = login(*a_, "ann");
  ASSERT_EQ(me(*a_, ann), 200);
  ASSERT_EQ(me(*b_, ann), 200);
  const auto r = testing::run_command(keel() + "user passwd ann --password-stdin", "another long passphrase\n");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto at = Clock::now();
  const auto on_a = refused_after(*a_, ann, at);
  const auto on_b = refused_after(*b_, ann, at);
  ASSERT_GE(on_a, 0);
  ASSERT_GE(on_b, 0);
  EXPECT_LT(on_a, 1000);
  EXPECT_LT(on_b, 1000);
  std::cout << "[ figures  ] keel user passwd refused by A after " << on_a << " ms, by B after " << on_b << " ms\n";
  EXPECT_TRUE(login(*a_, "ann").empty());  // the old password no longer signs in
  EXPECT_FALSE(login(*b_, "ann", "another long passphrase").empty());
}

}  // namespace
}  // namespace keel
