// The single sign-on settings file (keel serve --oidc-config) and the rule mapping a provider's
// claims to a role (keel/service/single_sign_on.h).
#include "keel/service/single_sign_on.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "keel/core/error.h"

namespace keel::service {
namespace {

constexpr const char* kFile = "sso.json";

std::string error_of(const std::string& json) {
  try {
    parse_single_sign_on_settings(kFile, json);
  } catch (const Error& e) {
    return e.what();
  }
  return "accepted";
}

TEST(SingleSignOnSettings, ReadsTheFileTheDocsShow) {
  ::setenv("KEEL_TEST_OIDC_SECRET", "s3cret", 1);
  const auto s = parse_single_sign_on_settings(kFile, R"({
    "issuer": "https://login.bank.example/realms/bank",
    "client_id": "keel",
    "client_secret_env": "KEEL_TEST_OIDC_SECRET",
    "redirect_uri": "https://keel.bank.example/sign-in/oidc",
    "display_name": "Bank SSO",
    "roles_claim": "realm_access.roles",
    "role_map": {"keel-admins": "admin", "alm-managers": "manager", "risk-analysts": "analyst"},
    "default_role": "viewer",
    "tenant_claim": "keel_tenant",
    "clock_skew_seconds": 30
  })");
  EXPECT_EQ(s.client.issuer, "https://login.bank.example/realms/bank");
  EXPECT_EQ(s.client.client_secret, "s3cret");
  EXPECT_EQ(s.client.clock_skew_seconds, 30);
  EXPECT_EQ(s.client.scopes, (std::vector<std::string>{"openid", "email", "profile"}));
  EXPECT_EQ(s.display_name, "Bank SSO");
  EXPECT_EQ(s.default_tenant, "default");
  ASSERT_EQ(s.role_map.size(), 3u);

  // The most powerful mapped value wins; a nested claim is reached by its dotted path; a string
  // claim counts as one value; nothing mapped: the default role.
  const nlohmann::json both = {{"realm_access", {{"roles", {"risk-analysts", "alm-managers", "offline_access"}}}}};
  EXPECT_EQ(mapped_role(both, s), Role::kManager);
  EXPECT_EQ(mapped_role({{"realm_access", {{"roles", "keel-admins"}}}}, s), Role::kAdmin);
  EXPECT_EQ(mapped_role({{"realm_access", {{"roles", {"staff"}}}}}, s), Role::kViewer);
  EXPECT_EQ(mapped_role({{"groups", {"keel-admins"}}}, s), Role::kViewer);  // another claim than configured
  auto strict = s;
  strict.default_role.reset();
  EXPECT_EQ(mapped_role({{"realm_access", {{"roles", {"staff"}}}}}, strict), std::nullopt);
}

TEST(SingleSignOnSettings, NamesTheFileAndTheMemberThatIsWrong) {
  const std::string base = R"("issuer": "https://idp.example.com", "client_id": "keel", "redirect_uri": "https://keel.example.com/sign-in/oidc")";
  EXPECT_EQ(error_of("{" + base + R"(, "default_role": "viewer"})"), "accepted");
  EXPECT_EQ(error_of("[1]"), "sso.json: expected a JSON object");
  EXPECT_EQ(error_of(R"({"client_id": "keel"})"), "sso.json: issuer: expected a string, and it is required");
  EXPECT_EQ(error_of("{" + base + R"(, "default_role": "viewer", "isuser": "x"})"),
            "sso.json: isuser: not a member of the single sign-on settings");
  EXPECT_EQ(error_of("{" + base + "}"),
            "sso.json: default_role: without roles_claim every user takes default_role; set one");
  EXPECT_EQ(error_of("{" + base + R"(, "roles_claim": "groups"})"),
            "sso.json: role_map: roles_claim is set, so role_map must map at least one value");
  EXPECT_EQ(error_of("{" + base + R"(, "roles_claim": "groups", "role_map": {"ops": "root"}})"),
            "sso.json: role_map.ops: expected admin, manager, analyst or viewer");
  EXPECT_EQ(error_of("{" + base + R"(, "default_role": "viewer", "algorithms": ["HS256"]})"),
            "sso.json: algorithms: HS256 is not one of RS256, RS384, RS512, ES256");
  EXPECT_EQ(error_of("{" + base + R"(, "default_role": "viewer", "scopes": ["email"]})"),
            "sso.json: scopes: must include openid");
  EXPECT_EQ(error_of("{" + base + R"(, "default_role": "viewer", "client_secret_env": "KEEL_TEST_NO_SUCH_VAR"})"),
            "sso.json: client_secret_env: the environment has no KEEL_TEST_NO_SUCH_VAR");
  EXPECT_EQ(error_of("{" + base + R"(, "default_role": "viewer", "clock_skew_seconds": 3601})"),
            "sso.json: clock_skew_seconds: expected whole seconds from 0 to 600");
  EXPECT_EQ(error_of(R"({"issuer": "idp.example.com", "client_id": "keel", "redirect_uri": "https://k/", "default_role": "viewer"})"),
            "sso.json: issuer: expected an http(s) URL");
}

}  // namespace
}  // namespace keel::service
