// Single sign-on end to end: keel serve as the relying party of an OpenID Connect provider on
// loopback (oidc_provider.h, written from the specifications): the authorization-code flow with
// PKCE, users provisioned with e-mail and name, roles from the groups claim at every sign-in, the
// key rotation, and each refused ID token (tampered, expired, signed by an unpublished key, for
// another client, with another nonce) with its reason in the answer and the audit log.
#include <gtest/gtest.h>

#include <httplib.h>

#include <string>

#include "oidc_provider.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using keel::testing::OidcTestProvider;
using nlohmann::json;

constexpr const char* kRedirect = "https://keel.bank.example/sign-in/oidc";

class SingleSignOnTest : public ServerFixture {
 protected:
  void SetUp() override {
    provider_.add_user("ana.sso", {{"sub", "u-1001"},
                                   {"preferred_username", "ana.sso"},
                                   {"email", "ana@bank.example"},
                                   {"name", "Ana Lytic"},
                                   {"groups", {"staff", "risk-analysts"}}});
    provider_.add_user("mia", {{"sub", "u-1002"},
                               {"preferred_username", "mia"},
                               {"email", "mia@bank.example"},
                               {"name", "Mia Manager"},
                               {"groups", {"risk-analysts", "alm-managers"}}});
    provider_.add_user("nogroup", {{"sub", "u-1003"}, {"preferred_username", "nogroup"}, {"groups", {"staff"}}});
    // A provider user whose name a password user of tenant acme already has.
    provider_.add_user("ana", {{"sub", "u-1004"}, {"preferred_username", "ana"}, {"groups", {"risk-analysts"}}});
    db_ = temp_db_path();
    ServerConfig c = test_config(db_);
    service::SingleSignOnSettings s;
    s.client.issuer = provider_.issuer();
    s.client.client_id = OidcTestProvider::kClientId;
    s.client.client_secret = OidcTestProvider::kClientSecret;
    s.client.redirect_uri = kRedirect;
    s.client.jwks_refetch_seconds = 0;
    s.display_name = "Bank SSO";
    s.roles_claim = "groups";
    s.role_map = {{"risk-analysts", Role::kAnalyst}, {"alm-managers", Role::kManager}};
    s.default_tenant = "acme";
    c.single_sign_on = s;
    start_server(c, true);
  }

  struct Back {
    std::string code;
    std::string state;
    std::string error;
  };
  // The browser at the provider: the authorization URL keel gave, signed in as `login_hint`; the
  // provider's redirect read back.
  Back at_provider(const std::string& authorization_url, const std::string& login_hint) {
    httplib::Client cli("127.0.0.1", provider_.port());
    const auto path = authorization_url.substr(authorization_url.find("/realms/"));
    auto r = cli.Get(path + "&login_hint=" + login_hint);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 302) << r->body;
    const std::string location = r->get_header_value("Location");
    EXPECT_TRUE(location.starts_with(std::string(kRedirect) + "?")) << location;
    httplib::Params params;
    httplib::detail::parse_query_text(location.substr(location.find('?') + 1), params);
    const auto param = [&](const char* name) {
      const auto it = params.find(name);
      return it == params.end() ? std::string() : it->second;
    };
    return {param("code"), param("state"), param("error")};
  }
  json start() {
    auto r = conform("POST", "/api/v1/auth/oidc/start", client()->Post("/api/v1/auth/oidc/start", "", "application/json"));
    EXPECT_EQ(r->status, 200) << r->body;
    return json::parse(r->body);
  }
  HttpResult callback(const std::string& code, const std::string& state) {
    return conform("POST", "/api/v1/auth/oidc/callback",
                   client()->Post("/api/v1/auth/oidc/callback", json{{"code", code}, {"state", state}}.dump(),
                                  "application/json"));
  }
  // A whole sign-in as `login_hint`: the callback's answer.
  HttpResult sign_in(const std::string& login_hint) {
    const json s = start();
    const Back back = at_provider(s["authorization_url"], login_hint);
    EXPECT_EQ(back.state, s["state"]);  // the client checks the state it gets back is its own
    return callback(back.code, back.state);
  }
  std::string refusal(const std::string& login_hint) {
    auto r = sign_in(login_hint);
    EXPECT_EQ(r->status, 401) << r->body;
    return json::parse(r->body)["error"]["message"];
  }

  OidcTestProvider provider_{kRedirect};
};

TEST_F(SingleSignOnTest, TheServerSaysWhichProviderSignsIn) {
  auto r = conform("GET", "/api/v1/auth/oidc", client()->Get("/api/v1/auth/oidc"));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(body(r), (json{{"enabled", true}, {"display_name", "Bank SSO"}}));
  // The authorization request: code flow, the client, the redirect, PKCE S256, state and nonce.
  const json s = start();
  const std::string url = s["authorization_url"];
  EXPECT_TRUE(url.starts_with(provider_.issuer() + "/authorize?response_type=code&client_id=keel-web&redirect_uri="))
      << url;
  for (const char* part : {"&scope=openid%20email%20profile&", "&code_challenge_method=S256"}) {
    EXPECT_NE(url.find(part), std::string::npos) << part << " in " << url;
  }
  EXPECT_NE(url.find("&state=" + s["state"].get<std::string>()), std::string::npos);
  EXPECT_EQ(s["state"].get<std::string>().size(), 43u);
}

TEST_F(SingleSignOnTest, AFirstSignInProvisionsTheUserWithItsEmailNameAndMappedRole) {
  auto r = sign_in("ana.sso");
  ASSERT_EQ(r->status, 200) << r->body;
  const json answer = body(r);
  EXPECT_EQ(answer["user"], (json{{"username", "ana.sso"}, {"tenant", "acme"}, {"role", "analyst"}}));
  EXPECT_TRUE(answer.contains("refresh_token"));  // a sign-in as any other: refreshable
  const json me = body(get(answer["token"], "/api/v1/auth/me"));
  EXPECT_EQ(me["sign_in"], "single_sign_on");  // the web app offers no password form
  EXPECT_EQ(me["email"], "ana@bank.example");
  EXPECT_EQ(me["full_name"], "Ana Lytic");
  EXPECT_EQ(body(get(login("ana"), "/api/v1/auth/me"))["sign_in"], "password");

  // The most powerful mapped group wins: mia is an analyst and an ALM manager.
  r = sign_in("mia");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["user"]["role"], "manager");

  const std::string root = login("root");
  const json users = body(get(root, "/api/v1/users?tenant=acme"));
  json ana;
  for (const auto& u : users["items"]) {
    if (u["username"] == "ana.sso") ana = u;
  }
  ASSERT_FALSE(ana.is_null()) << users.dump();
  EXPECT_EQ(ana["email"], "ana@bank.example");
  EXPECT_EQ(ana["full_name"], "Ana Lytic");
  EXPECT_EQ(ana["sign_in"], "single_sign_on");
  EXPECT_FALSE(ana["sign_in_by_name"]);

  // Audited: provisioned once, then an ordinary sign-in.
  EXPECT_EQ(sign_in("ana.sso")->status, 200);
  const json audit = body(get(root, "/api/v1/audit?action=auth.login&tenant=acme"));
  int provisioned = 0, ok = 0;
  for (const auto& row : audit["items"]) {
    if (row["resource"] != "user/ana.sso") continue;
    EXPECT_EQ(row["outcome"], "ok") << row.dump();
    EXPECT_EQ(row["details"]["method"], "single_sign_on");
    ++ok;
    if (row["details"].value("provisioned", false)) ++provisioned;
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(provisioned, 1);

  // No password opens the account of a user of the provider, and it has none to change.
  auto pw = client()->Post("/api/v1/auth/login",
                      json{{"username", "ana.sso"}, {"tenant", "acme"}, {"password", kPassword}}.dump(),
                      "application/json");
  EXPECT_EQ(pw->status, 401);
  const std::string token = body(sign_in("ana.sso"))["token"];
  auto change = post(token, "/api/v1/me/password",
                     json{{"current_password", "x"}, {"new_password", "a brand new passphrase"}}.dump());
  EXPECT_EQ(change->status, 400);
  EXPECT_NE(change->body.find("single sign-on"), std::string::npos) << change->body;
}

TEST_F(SingleSignOnTest, TheRoleFollowsTheProvidersGroupsAtEverySignIn) {
  ASSERT_EQ(sign_in("ana.sso")->status, 200);
  // The provider moves ana to the ALM managers' group.
  provider_.add_user("ana.sso", {{"sub", "u-1001"},
                                 {"preferred_username", "ana.sso"},
                                 {"email", "ana.lytic@bank.example"},
                                 {"name", "Ana Lytic"},
                                 {"groups", {"alm-managers"}}});
  auto r = sign_in("ana.sso");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["user"]["role"], "manager");
  const json users = body(get(login("root"), "/api/v1/users?tenant=acme"));
  bool seen = false;
  for (const auto& u : users["items"]) {
    if (u["username"] != "ana.sso") continue;
    seen = true;
    EXPECT_EQ(u["role"], "manager");
    EXPECT_EQ(u["email"], "ana.lytic@bank.example");  // the new e-mail kept
  }
  EXPECT_TRUE(seen);
  // Out of every mapped group, with no default role: refused.
  provider_.add_user("ana.sso", {{"sub", "u-1001"}, {"preferred_username", "ana.sso"}, {"groups", {"staff"}}});
  EXPECT_EQ(refusal("ana.sso"),
            "single sign-on refused: the provider's claims map to no role of keel and there is no default role");
  EXPECT_EQ(refusal("nogroup"),
            "single sign-on refused: the provider's claims map to no role of keel and there is no default role");
}

TEST_F(SingleSignOnTest, AnIdentityNeverTakesOverAnAccountItDidNotCreate) {
  EXPECT_EQ(refusal("ana"),
            "single sign-on refused: the user name 'ana' is taken in tenant 'acme' by a user who does not sign in "
            "through this provider; an administrator must rename one of them");
  EXPECT_EQ(login("ana").empty(), false);  // the password user is untouched
}

TEST_F(SingleSignOnTest, EachBadIdTokenIsRefusedWithItsReason) {
  // Tampered: the provider's signature over other claims (a new e-mail put in after signing).
  provider_.edit_claims([](json& c) { c["email"] = "root@bank.example"; }, /*after_signing=*/true);
  EXPECT_EQ(refusal("ana.sso"), "single sign-on refused: the ID token's signature does not verify");
  // Expired an hour ago.
  provider_.edit_claims([](json& c) { c["exp"] = c["iat"].get<std::int64_t>() - 3600; });
  EXPECT_NE(refusal("ana.sso").find("single sign-on refused: the ID token expired at "), std::string::npos);
  // For another client.
  provider_.edit_claims([](json& c) { c["aud"] = "another-app"; });
  EXPECT_EQ(refusal("ana.sso"), "single sign-on refused: the ID token is not for client 'keel-web' (aud)");
  // Another sign-in's nonce (a replayed ID token).
  provider_.edit_claims([](json& c) { c["nonce"] = "from another sign-in"; });
  EXPECT_EQ(refusal("ana.sso"), "single sign-on refused: the ID token's nonce is not the one of this sign-in");
  // Another issuer.
  provider_.edit_claims([](json& c) { c["iss"] = "https://evil.example.com"; });
  EXPECT_NE(refusal("ana.sso").find("the ID token's issuer 'https://evil.example.com' is not"), std::string::npos);
  provider_.edit_claims({});
  // Signed by a key the provider does not publish.
  provider_.sign_with_unpublished_key(true);
  EXPECT_EQ(refusal("ana.sso"), "single sign-on refused: the ID token's signature does not verify");
  provider_.sign_with_unpublished_key(false);
  ASSERT_EQ(sign_in("ana.sso")->status, 200);

  // Every refusal is in the audit log with its reason, none with a token or a code.
  const json audit = body(get(login("root"), "/api/v1/audit?action=auth.login"));
  int refused = 0;
  for (const auto& row : audit["items"]) {
    if (row["details"].value("method", "") != "single_sign_on" || row["outcome"] != "failed") continue;
    ++refused;
    EXPECT_FALSE(row["details"].value("reason", "").empty()) << row.dump();
    EXPECT_EQ(row["details"].dump().find("eyJ"), std::string::npos) << row.dump();  // no JWT
  }
  EXPECT_EQ(refused, 6);
  EXPECT_EQ(provider_.requests("token"), 7);  // each code redeemed once
}

TEST_F(SingleSignOnTest, AStateIsGoodOnceAndOnlyForItsSignIn) {
  const json s = start();
  const Back back = at_provider(s["authorization_url"], "ana.sso");
  ASSERT_EQ(callback(back.code, back.state)->status, 200);
  // The same redirect again (a replay, or the browser's back button).
  auto r = callback(back.code, back.state);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(json::parse(r->body)["error"]["message"],
            "single sign-on refused: this sign-in is unknown, was used already or took too long: start again");
  // A state keel never issued (a forged redirect, login CSRF).
  r = callback(back.code, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  EXPECT_EQ(r->status, 401);
  // A code redeemed at the provider already, under a fresh state: the provider refuses it.
  const json again = start();
  r = callback(back.code, again["state"]);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(json::parse(r->body)["error"]["message"],
            "single sign-on refused: the provider's token endpoint answered 400: invalid_grant (unknown or used code)");
}

TEST_F(SingleSignOnTest, ARotatedKeyIsFetchedOnceWhenATokenNamesIt) {
  ASSERT_EQ(sign_in("ana.sso")->status, 200);
  EXPECT_EQ(provider_.requests("jwks"), 1);
  EXPECT_EQ(provider_.requests("discovery"), 1);
  ASSERT_EQ(sign_in("ana.sso")->status, 200);
  EXPECT_EQ(provider_.requests("jwks"), 1);  // kept
  provider_.rotate("key-2", /*keep_old=*/false);
  auto r = sign_in("ana.sso");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(provider_.requests("jwks"), 2);  // the unknown kid made keel fetch the keys again
  EXPECT_EQ(provider_.requests("discovery"), 1);
}

TEST_F(SingleSignOnTest, TheProviderSignsAUserOutOfKeelAndKeelSendsTheBrowserToSignOutThere) {
  const json answer = body(sign_in("ana.sso"));
  const std::string token = answer["token"];
  const std::string refresh = answer["refresh_token"];
  ASSERT_EQ(get(token, "/api/v1/auth/me")->status, 200);
  const auto back_channel = [&](const std::string& form) {
    return conform("POST", "/api/v1/auth/oidc/backchannel-logout",
                   client()->Post("/api/v1/auth/oidc/backchannel-logout", form, "application/x-www-form-urlencoded"));
  };
  const auto refused = [&](const std::string& logout_token) {
    auto r = back_channel("logout_token=" + logout_token);
    EXPECT_EQ(r->status, 400) << r->body;
    return json::parse(r->body)["error"]["message"].get<std::string>();
  };

  // Each bad logout token is refused with its reason, and the user stays signed in.
  EXPECT_EQ(refused(provider_.logout_token("u-1001", [](json& c) { c["nonce"] = "n"; })),
            "back-channel logout refused: the logout token carries a nonce, which a logout token must not");
  EXPECT_EQ(refused(provider_.logout_token("u-1001", [](json& c) { c.erase("events"); })),
            "back-channel logout refused: the logout token has no back-channel logout event (events)");
  EXPECT_EQ(refused(provider_.logout_token("u-1001", [](json& c) { c["aud"] = "another-client"; })),
            "back-channel logout refused: the logout token is not for client 'keel-web' (aud)");
  EXPECT_EQ(refused(provider_.logout_token("u-1001", [](json& c) { c.erase("sub"); })),
            "back-channel logout refused: the logout token names neither a subject (sub) nor a session (sid)");
  std::string tampered = provider_.logout_token("u-1002");
  tampered.replace(tampered.find('.') + 1, tampered.rfind('.') - tampered.find('.') - 1,
                   net::base64url_encode(json{{"iss", provider_.issuer()}, {"aud", "keel-web"}, {"sub", "u-1001"},
                                              {"iat", std::time(nullptr)},
                                              {"events", {{"http://schemas.openid.net/event/backchannel-logout",
                                                           json::object()}}}}
                                             .dump()));
  EXPECT_EQ(refused(tampered), "back-channel logout refused: the logout token's signature does not verify");
  auto r = back_channel("token=x");
  EXPECT_EQ(r->status, 400) << r->body;
  // The form is read as a query string is: a malformed escape is refused naming the form.
  r = back_channel("logout_token=%ZZ");
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(json::parse(r->body)["error"]["message"], "back-channel logout: malformed percent-escape in the form");
  EXPECT_EQ(get(token, "/api/v1/auth/me")->status, 200);

  // An identity keel never provisioned: nothing to end, and no error.
  r = back_channel("logout_token=" + provider_.logout_token("u-9999"));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r), (json{{"signed_out", false}}));

  // The user's own: every sign-in ends at once, the access token and the refresh token alike.
  r = back_channel("logout_token=" + provider_.logout_token("u-1001"));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r), (json{{"signed_out", true}}));
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(get(token, "/api/v1/auth/me")->status, 401);
  auto again = client()->Post("/api/v1/auth/refresh", json{{"refresh_token", refresh}}.dump(), "application/json");
  EXPECT_EQ(again->status, 401) << again->body;
  const json audit = body(get(login("root"), "/api/v1/audit?action=auth.logout&tenant=acme"));
  ASSERT_FALSE(audit["items"].empty());
  EXPECT_EQ(audit["items"][0]["resource"], "user/ana.sso");
  EXPECT_EQ(audit["items"][0]["details"]["method"], "back_channel");

  // Signing out of keel sends a provider's user on to the provider's end_session_endpoint; a
  // password user signs out of keel alone.
  const std::string again_token = body(sign_in("ana.sso"))["token"];
  r = post(again_token, "/api/v1/auth/logout", "");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["end_session_url"], provider_.issuer() + "/logout?client_id=keel-web");
  r = post(login("ana"), "/api/v1/auth/logout", "");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["end_session_url"], "");
}

// A logout token naming a provider session (sid) ends the sign-ins of keel made in that session
// and no other: the user's second sign-in, in another provider session, goes on; a sid alone is
// enough; a sid keel did not keep for that sub ends every sign-in of the sub.
TEST_F(SingleSignOnTest, TheProviderSignsOneSessionOutAndTheUsersOtherSignInsGoOn) {
  const auto signed_in = [&] {
    const json a = body(sign_in("ana.sso"));
    return std::tuple{a["token"].get<std::string>(), a["refresh_token"].get<std::string>(), provider_.last_session()};
  };
  const auto [laptop, laptop_refresh, laptop_sid] = signed_in();
  const auto [phone, phone_refresh, phone_sid] = signed_in();
  ASSERT_NE(laptop_sid, phone_sid);
  const auto back_channel = [&](const std::string& logout_token) {
    return conform("POST", "/api/v1/auth/oidc/backchannel-logout",
                   client()->Post("/api/v1/auth/oidc/backchannel-logout", "logout_token=" + logout_token,
                                  "application/x-www-form-urlencoded"));
  };
  const auto refreshes = [&](const std::string& refresh) {
    return client()->Post("/api/v1/auth/refresh", json{{"refresh_token", refresh}}.dump(), "application/json")->status;
  };

  // The laptop's session, by sub and sid: its tokens end, the phone's stand (and refresh).
  auto r = back_channel(provider_.logout_token("u-1001", [&](json& c) { c["sid"] = laptop_sid; }));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r), (json{{"signed_out", true}}));
  EXPECT_EQ(get(laptop, "/api/v1/auth/me")->status, 401);
  EXPECT_EQ(refreshes(laptop_refresh), 401);
  EXPECT_EQ(get(phone, "/api/v1/auth/me")->status, 200);
  const json rotated = body(client()->Post("/api/v1/auth/refresh", json{{"refresh_token", phone_refresh}}.dump(),
                                           "application/json"));
  ASSERT_TRUE(rotated.contains("refresh_token")) << rotated.dump();
  const json audit = body(get(login("root"), "/api/v1/audit?action=auth.logout&tenant=acme"));
  ASSERT_FALSE(audit["items"].empty());
  EXPECT_EQ(audit["items"][0]["details"]["scope"], "session");

  // The phone's session by its sid alone: the rotated sign-in keeps the provider session.
  r = back_channel(provider_.logout_token("u-1001", [&](json& c) {
    c.erase("sub");
    c["sid"] = phone_sid;
  }));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r), (json{{"signed_out", true}}));
  EXPECT_EQ(get(rotated["token"].get<std::string>(), "/api/v1/auth/me")->status, 401);
  EXPECT_EQ(refreshes(rotated["refresh_token"].get<std::string>()), 401);
  // A session keel never saw, alone: nothing to end.
  r = back_channel(provider_.logout_token("u-1001", [](json& c) {
    c.erase("sub");
    c["sid"] = "sid-unknown";
  }));
  EXPECT_EQ(body(r), (json{{"signed_out", false}}));

  // A sid keel did not keep, with the sub: every sign-in of the user ends.
  const auto [desk, desk_refresh, desk_sid] = signed_in();
  r = back_channel(provider_.logout_token("u-1001", [](json& c) { c["sid"] = "sid-before-keel-kept-them"; }));
  EXPECT_EQ(body(r), (json{{"signed_out", true}}));
  EXPECT_EQ(get(desk, "/api/v1/auth/me")->status, 401);
  EXPECT_EQ(refreshes(desk_refresh), 401);
}

TEST_F(ServerFixture, WithoutAProviderSingleSignOnIsOff) {
  auto r = conform("GET", "/api/v1/auth/oidc", client()->Get("/api/v1/auth/oidc"));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(body(r), (json{{"enabled", false}, {"display_name", ""}}));
  r = client()->Post("/api/v1/auth/oidc/start", "", "application/json");
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("keel serve --oidc-config"), std::string::npos);
}

}  // namespace
}  // namespace keel::server::testing
