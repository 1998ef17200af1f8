// Sign-ins that last: refresh tokens rotate at each use, a reused one ends its whole sign-in
// (RFC 9700 §4.14.2, "refresh token rotation"), sign-out ends the sign-in, and the idle and
// absolute timeouts hold on the server's clock.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

class RefreshTokenTest : public ServerFixture {
 protected:
  // The whole login answer (ServerFixture::login keeps the token only).
  json sign_in(const std::string& user) {
    auto r = client()->Post("/api/v1/auth/login", json{{"username", user}, {"password", kPassword}}.dump(),
                            "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    return r && r->status == 200 ? json::parse(r->body) : json::object();
  }
  HttpResult refresh(const std::string& refresh_token) {
    return conform("POST", "/api/v1/auth/refresh",
                   client()->Post("/api/v1/auth/refresh", json{{"refresh_token", refresh_token}}.dump(),
                                  "application/json"));
  }
  int me(const std::string& token) { return get(token, "/api/v1/auth/me")->status; }

  // A clock for the server that outlives the test body (the server's threads read it until TearDown).
  SteppedClock& stepped_clock() {
    clock_ = std::make_unique<SteppedClock>(std::chrono::system_clock::now());
    return *clock_;
  }

 private:
  std::unique_ptr<SteppedClock> clock_;
};

TEST_F(RefreshTokenTest, ARefreshTokenIsGoodOnceAndItsReuseEndsTheSignIn) {
  const json first = sign_in("ana");
  ASSERT_TRUE(first.contains("refresh_token")) << first.dump();
  const std::string a1 = first["token"], r1 = first["refresh_token"];
  const json other = sign_in("ana");  // the same user in another browser: a sign-in of its own

  auto r = refresh(r1);
  ASSERT_EQ(r->status, 200) << r->body;
  const json second = body(r);
  const std::string a2 = second["token"], r2 = second["refresh_token"];
  EXPECT_NE(r2, r1);
  EXPECT_NE(a2, a1);
  EXPECT_EQ(second["user"]["username"], "ana");
  EXPECT_EQ(second["session_expires_at"], first["session_expires_at"]);  // one sign-in, one absolute end
  EXPECT_EQ(me(a2), 200);
  EXPECT_EQ(me(a1), 200);  // rotation alone revokes nothing

  // r1 again: someone holds a copy. The whole sign-in ends: every refresh and access token of it.
  r = refresh(r1);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(body(r)["error"]["message"], "refresh token used twice: the sign-in is ended");
  EXPECT_EQ(me(a2), 401);
  EXPECT_EQ(me(a1), 401);
  r = refresh(r2);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(body(r)["error"]["message"], "unknown or ended refresh token");
  // The other sign-in of the same user stands.
  EXPECT_EQ(me(other["token"]), 200);
  EXPECT_EQ(refresh(other["refresh_token"])->status, 200);

  // The audit trail has each refresh and the refusal, never a token.
  r = get(login("root"), "/api/v1/audit?action=auth.refresh");
  ASSERT_EQ(r->status, 200) << r->body;
  int ok = 0, denied = 0;
  const json audit = body(r);
  for (const auto& e : audit["items"]) {
    (e["outcome"] == "ok" ? ok : denied) += 1;
    if (e["outcome"] == "denied" && e["details"]["reason"] == "refresh token used twice: the sign-in is ended") {
      EXPECT_EQ(e["user"], "ana");
    }
  }
  EXPECT_EQ(ok, 2) << r->body;
  EXPECT_EQ(denied, 2);
  EXPECT_EQ(r->body.find(r1.substr(r1.rfind('.') + 1)), std::string::npos);
}

TEST_F(RefreshTokenTest, SigningOutEndsTheSignInAndPasswordChangesEndThemAll) {
  const json first = sign_in("view");
  auto r = refresh(first["refresh_token"]);
  ASSERT_EQ(r->status, 200) << r->body;
  const json second = body(r);
  EXPECT_EQ(post(second["token"], "/api/v1/auth/logout", "{}")->status, 200);
  EXPECT_EQ(refresh(second["refresh_token"])->status, 401);
  EXPECT_EQ(me(first["token"]), 401);  // the sign-in's earlier access token went with it

  const json a = sign_in("view");
  const json b = sign_in("view");
  r = post(a["token"], "/api/v1/me/password",
           json{{"current_password", kPassword}, {"new_password", "n3w-secret!"}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(refresh(a["refresh_token"])->status, 401);
  EXPECT_EQ(refresh(b["refresh_token"])->status, 401);
  // The password change's answer is a new sign-in, and it refreshes.
  EXPECT_EQ(refresh(body(r)["refresh_token"])->status, 200);

  // A disabled user's sign-ins end too.
  const json c = sign_in("ana");
  auto store = open_store(db_);
  store->users().set_disabled("ana", true);
  EXPECT_EQ(refresh(c["refresh_token"])->status, 401);
}

TEST_F(RefreshTokenTest, IdleAndAbsoluteTimeoutsHoldOnTheServersClock) {
  SteppedClock& clock = stepped_clock();
  ServerConfig config = test_config(db_);
  config.clock = &clock;
  config.tokens.ttl_seconds = 600;
  config.sessions = {3600, 7200};  // idle 1 h, absolute 2 h
  restart(config);

  // Idle: a refresh token unused for an hour is expired.
  json s = sign_in("ana");
  clock.advance(seconds(3000));
  auto r = refresh(s["refresh_token"]);
  ASSERT_EQ(r->status, 200) << r->body;
  s = body(r);
  clock.advance(seconds(3601));
  r = refresh(s["refresh_token"]);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(body(r)["error"]["message"], "the sign-in has expired; sign in again");

  // Absolute: used every 50 minutes, a sign-in still ends 2 h after its login.
  s = sign_in("ana");
  const std::string session_end = s["session_expires_at"];
  for (int i = 0; i < 2; ++i) {  // t = 3000 s, 6000 s
    clock.advance(seconds(3000));
    r = refresh(s["refresh_token"]);
    ASSERT_EQ(r->status, 200) << r->body;
    s = body(r);
  }
  // At 6,000 s the idle end (9,600 s) is capped by the absolute end (7,200 s).
  EXPECT_EQ(s["refresh_expires_at"], session_end);
  clock.advance(seconds(1300));  // t = 7,300 s: idle would allow it, the absolute end does not
  EXPECT_EQ(refresh(s["refresh_token"])->status, 401);
}

TEST_F(RefreshTokenTest, MalformedTokensAreRefusedAndTheServerMayIssueNone) {
  // Empty, not three parts, short parts, an unknown user, upper-case hex.
  const std::vector<std::string> bad_tokens = {"", "garbage", "1.abc.def",
                                               "99999." + std::string(32, 'a') + "." + std::string(64, 'b'),
                                               "1." + std::string(32, 'A') + "." + std::string(64, 'b')};
  for (const std::string& bad : bad_tokens) {
    auto r = client()->Post("/api/v1/auth/refresh", json{{"refresh_token", bad}}.dump(), "application/json");
    EXPECT_EQ(r->status, 401) << bad << " " << r->body;
  }
  auto r = client()->Post("/api/v1/auth/refresh", "{}", "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["details"][0], "refresh_token: required");

  ServerConfig config = test_config(db_);
  config.sessions.idle_seconds = 0;  // --refresh-idle 0: a sign-in lasts one access token
  restart(config);
  const json s = sign_in("ana");
  EXPECT_FALSE(s.contains("refresh_token")) << s.dump();
  EXPECT_EQ(me(s["token"]), 200);
  EXPECT_EQ(post(s["token"], "/api/v1/auth/logout", "{}")->status, 200);
}

}  // namespace
}  // namespace keel::server::testing
