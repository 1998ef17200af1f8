// Signing out and account changes revoke tokens (docs/security.md, "Tokens"): POST
// /api/v1/auth/logout revokes the one token it was sent with, a role change, a disable and a
// password change revoke every earlier token of the user, on this server at once and, when the
// change was made elsewhere (the keel command, another server), within the revocation poll
// interval. On SQLite here; tests/store/postgres/token_revocation_test.cpp runs two servers on one
// PostgreSQL database.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "keel/service/users.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using Clock = std::chrono::steady_clock;

class TokenRevocation : public ServerFixture {
 protected:
  int me_status(const std::string& token) {
    auto r = get(token, "/api/v1/auth/me");
    return r ? r->status : -1;
  }
  // Milliseconds until /auth/me refuses `token` (polled every 10 ms), or -1 after `limit_ms`.
  long long ms_until_refused(const std::string& token, int limit_ms) {
    const auto start = Clock::now();
    while (Clock::now() - start < std::chrono::milliseconds(limit_ms)) {
      if (me_status(token) == 401) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }
};

TEST_F(TokenRevocation, LogoutRevokesThatTokenAndNoOther) {
  const std::string first = login("ana");
  const std::string second = login("ana");
  ASSERT_NE(first, second);
  ASSERT_EQ(me_status(first), 200);
  ASSERT_EQ(me_status(second), 200);

  auto out = post(first, "/api/v1/auth/logout", "");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200) << out->body;
  EXPECT_EQ(body(out), (nlohmann::json{{"end_session_url", ""}}));  // a password user: no provider to sign out at

  auto me = get(first, "/api/v1/auth/me");
  EXPECT_EQ(me->status, 401);
  EXPECT_EQ(me->get_header_value("WWW-Authenticate"), "Bearer realm=\"keel\", error=\"invalid_token\"");
  EXPECT_EQ(post(first, "/api/v1/auth/logout", "")->status, 401);  // a revoked token cannot sign out again
  EXPECT_EQ(get(first, "/api/v1/portfolios")->status, 401);
  EXPECT_EQ(me_status(second), 200);  // the same user's other token stands

  const std::string root = login("root");
  const auto actions = audit_actions(root, "auth.logout");
  EXPECT_EQ(actions, std::vector<std::string>{"auth.logout:user/ana"});
}

TEST_F(TokenRevocation, EveryRoleMaySignOut) {
  for (const char* user : {"root", "mgr", "ana", "view"}) {
    const std::string token = login(user);
    EXPECT_EQ(post(token, "/api/v1/auth/logout", "")->status, 200) << user;
    EXPECT_EQ(me_status(token), 401) << user;
  }
}

TEST_F(TokenRevocation, LogoutSurvivesARestartOfTheServer) {
  const std::string token = login("ana");
  ASSERT_EQ(post(token, "/api/v1/auth/logout", "")->status, 200);
  restart(config_);  // a new process knows only what the store holds
  EXPECT_EQ(me_status(token), 401);
}

TEST_F(TokenRevocation, RoleChangeAndDisableRevokeEveryEarlierToken) {
  const std::string root = login("root");
  const std::string ana1 = login("ana"), ana2 = login("ana");
  const std::string view = login("view");
  const auto id_of = [&](const std::string& name) {
    const nlohmann::json users = body(get(root, "/api/v1/users"));  // kept alive: the loop reads into it
    for (const auto& u : users["items"]) {
      if (u["username"] == name) return u["id"].get<std::int64_t>();
    }
    return std::int64_t{0};
  };

  ASSERT_EQ(post(root, "/api/v1/users/" + std::to_string(id_of("ana")) + "/role", R"({"role":"viewer"})")->status, 200);
  EXPECT_EQ(me_status(ana1), 401);
  EXPECT_EQ(me_status(ana2), 401);
  const std::string ana3 = login("ana");
  auto me = get(ana3, "/api/v1/auth/me");
  ASSERT_EQ(me->status, 200);
  EXPECT_EQ(body(me)["role"], "viewer");

  const std::string view_id = std::to_string(id_of("view"));
  ASSERT_EQ(post(root, "/api/v1/users/" + view_id + "/disable", "")->status, 200);
  EXPECT_EQ(me_status(view), 401);
  ASSERT_EQ(post(root, "/api/v1/users/" + view_id + "/enable", "")->status, 200);
  EXPECT_EQ(me_status(view), 401);  // enabling again does not bring old tokens back
  EXPECT_EQ(me_status(login("view")), 200);
  EXPECT_EQ(me_status(root), 200);  // the admin's own token is untouched
}

// The keel command changes the store directly (service::set_user_password and
// set_user_disabled are what `keel user passwd` and `keel user disable` call): the running server
// learns of it from the revocation journal, within its poll interval (250 ms, keel serve's).
TEST_F(TokenRevocation, ChangesMadeOutsideTheServerRevokeWithinThePollInterval) {
  ServerConfig c = config_;
  c.auth_cache.poll_interval = AuthCacheOptions{}.poll_interval;
  ASSERT_EQ(c.auth_cache.poll_interval, std::chrono::milliseconds(250));
  restart(c);
  const std::string ana = login("ana");
  const std::string mgr = login("mgr");
  ASSERT_EQ(me_status(ana), 200);  // cached by the server now
  ASSERT_EQ(me_status(mgr), 200);
  {
    auto store = open_store(db_);
    PasswordHasher hasher(PasswordCost::minimum());
    service::set_user_password({store.get()}, {std::nullopt, "ana", std::nullopt}, "a brand new password",
                               [&](const std::string& pw) { return hasher.hash(pw); });
  }
  const auto ana_ms = ms_until_refused(ana, 1000);
  EXPECT_GE(ana_ms, 0) << "the old token still worked 1 s after the password changed";
  EXPECT_EQ(me_status(mgr), 200);
  {
    auto store = open_store(db_);
    service::set_user_disabled({store.get()}, {std::nullopt, "mgr", std::nullopt}, true);
  }
  const auto mgr_ms = ms_until_refused(mgr, 1000);
  EXPECT_GE(mgr_ms, 0) << "the token still worked 1 s after its user was disabled";
}

}  // namespace
}  // namespace keel::server::testing
