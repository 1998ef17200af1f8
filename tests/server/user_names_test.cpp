// User names are unique per tenant, and nothing a manager of one tenant sees depends on whether a
// user of some name exists in another tenant (issue 57; docs/security.md, "User names and
// tenants"): adding it, adding it again, listing, signing it in with or without its tenant, and
// managing it answer alike for a name taken in another tenant and for a name taken nowhere.
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

class UserNames : public ServerFixture {
 protected:
  // A login's status and body, with the tenant when given.
  HttpResult sign_in(const std::string& name, const std::string& password, const std::string& tenant = "") {
    json body = {{"username", name}, {"password", password}};
    if (!tenant.empty()) body["tenant"] = tenant;
    return client()->Post("/api/v1/auth/login", body.dump(), "application/json");
  }
  // `r`'s body without what differs between any two answers (ids, times, request ids, the name).
  static json shape(const HttpResult& r, const std::string& name) {
    json doc = json::parse(r->body, nullptr, false);
    std::string text = doc.dump();
    for (std::size_t at; (at = text.find(name)) != std::string::npos;) text.replace(at, name.size(), "NAME");
    doc = json::parse(text);
    for (const char* key : {"id", "created_at", "updated_at", "token", "expires_at", "expires_in", "refresh_token",
                            "refresh_expires_at", "session_expires_at"}) {
      doc.erase(key);
    }
    if (doc.contains("error")) doc["error"].erase("request_id");
    return doc;
  }
};

TEST_F(UserNames, AManagerOfTenantBCannotTellWhetherANameExistsInTenantA) {
  const std::string other = login("other");  // the manager of globex
  const std::string password = "a password of globex";
  // "mgr" is a user of acme; "qqx" exists nowhere (names no answer's text contains otherwise).
  std::vector<std::vector<std::string>> seen;
  for (const std::string name : {"mgr", "qqx"}) {
    std::vector<std::string> answers;
    const auto note = [&](const HttpResult& r) {
      ASSERT_TRUE(r);
      answers.push_back(std::to_string(r->status) + " " + shape(r, name).dump());
    };
    note(post(other, "/api/v1/users", json{{"username", name}, {"password", password}, {"role", "analyst"}}.dump()));
    note(post(other, "/api/v1/users", json{{"username", name}, {"password", password}, {"role", "viewer"}}.dump()));
    // A manager may not name another tenant: refused alike, whatever that tenant holds.
    note(post(other, "/api/v1/users",
              json{{"username", name}, {"password", password}, {"role", "viewer"}, {"tenant", "acme"}}.dump()));
    // Signing in without a tenant: a user a manager added needs its tenant, so 401 either way.
    note(sign_in(name, password));
    note(sign_in(name, password, "globex"));
    note(sign_in(name, password, "acme"));
    note(sign_in(name, "not the password", "globex"));
    // The list shows the manager's tenant only (the users this test added for other names aside).
    const json list = body(get(other, "/api/v1/users?limit=100"));
    std::vector<std::string> names;
    for (const auto& u : list["items"]) {
      const std::string n = u["username"];
      if (n == name || n == "other") names.push_back(u["tenant"].get<std::string>() + "/" + (n == name ? "NAME" : n));
      else EXPECT_EQ(u["tenant"], "globex");
    }
    answers.push_back(json(names).dump());
    seen.push_back(answers);
  }
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], seen[1]);
  // What those answers were: added (201, signing in with its tenant), then 409, 403; signing in
  // only with the tenant and the password.
  EXPECT_EQ(seen[0][0].substr(0, 3), "201");
  EXPECT_NE(seen[0][0].find("\"sign_in_by_name\":false"), std::string::npos) << seen[0][0];
  EXPECT_NE(seen[0][0].find("\"tenant\":\"globex\""), std::string::npos) << seen[0][0];
  EXPECT_EQ(seen[0][1].substr(0, 3), "409");
  EXPECT_EQ(seen[0][2].substr(0, 3), "403");
  EXPECT_EQ(seen[0][3].substr(0, 3), "401");
  EXPECT_EQ(seen[0][4].substr(0, 3), "200");
  EXPECT_EQ(seen[0][5].substr(0, 3), "401");
  EXPECT_EQ(seen[0][6].substr(0, 3), "401");
}

TEST_F(UserNames, TwoUsersOfOneNameInTwoTenantsAreTwoAccounts) {
  const std::string other = login("other");
  ASSERT_EQ(post(other, "/api/v1/users", json{{"username", "ana"}, {"password", "globex's ana"}, {"role", "analyst"}}.dump())
                ->status,
            201);
  // acme's ana signs in by her name alone, as before; globex's with her tenant.
  const std::string acme_ana = login("ana");
  auto r = sign_in("ana", "globex's ana", "globex");
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string globex_ana = body(r)["token"];
  EXPECT_EQ(body(r)["user"]["tenant"], "globex");
  EXPECT_EQ(sign_in("ana", kPassword, "acme")->status, 200);  // naming the tenant works for every user
  EXPECT_EQ(body(get(acme_ana, "/api/v1/auth/me"))["tenant"], "acme");
  EXPECT_EQ(body(get(globex_ana, "/api/v1/auth/me"))["tenant"], "globex");
  // Each sees its own tenant's portfolios.
  create_portfolio(login("mgr"), "acme book");
  EXPECT_EQ(body(get(acme_ana, "/api/v1/portfolios"))["items"].size(), 1u);
  EXPECT_EQ(body(get(globex_ana, "/api/v1/portfolios"))["items"].size(), 0u);

  // Disabling globex's ana (by id, as its manager) leaves acme's alone.
  std::int64_t id = 0;
  const json users = body(get(other, "/api/v1/users"));  // kept alive: the loop reads into it
  for (const auto& u : users["items"]) {
    if (u["username"] == "ana") id = u["id"];
  }
  ASSERT_GT(id, 0);
  ASSERT_EQ(post(other, "/api/v1/users/" + std::to_string(id) + "/disable", "")->status, 200);
  EXPECT_EQ(get(globex_ana, "/api/v1/auth/me")->status, 401);
  EXPECT_EQ(get(acme_ana, "/api/v1/auth/me")->status, 200);
  EXPECT_EQ(sign_in("ana", kPassword)->status, 200);

  // The audit log tells the two apart by tenant.
  const std::string root = login("root");
  bool created_in_globex = false;
  const json audit = body(get(root, "/api/v1/audit?limit=500&tenant=globex"));
  for (const auto& e : audit["items"]) {
    if (e["action"] == "user.create" && e["tenant"] == "globex") created_in_globex = true;
  }
  EXPECT_TRUE(created_in_globex);
}

// An admin sees every tenant: a user it adds signs in by its name alone, so that name must be free
// of other such users across tenants (a conflict naming the tenant); a name only a manager's user
// has elsewhere is free.
TEST_F(UserNames, AnAdminsUserSignsInByNameAloneWhichIsThenUniqueAcrossTenants) {
  const std::string root = login("root");
  const std::string other = login("other");
  ASSERT_EQ(post(other, "/api/v1/users", json{{"username", "kim"}, {"password", "kim of globex"}, {"role", "viewer"}}.dump())
                ->status,
            201);
  auto r = post(root, "/api/v1/users",
                json{{"username", "kim"}, {"password", "kim of initech"}, {"role", "viewer"}, {"tenant", "initech"}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["sign_in_by_name"], true);
  EXPECT_EQ(sign_in("kim", "kim of initech")->status, 200);
  EXPECT_EQ(sign_in("kim", "kim of globex")->status, 401);
  EXPECT_EQ(sign_in("kim", "kim of globex", "globex")->status, 200);

  r = post(root, "/api/v1/users",
           json{{"username", "ana"}, {"password", "another ana here"}, {"role", "viewer"}, {"tenant", "initech"}}.dump());
  EXPECT_EQ(r->status, 409) << r->body;
  EXPECT_NE(r->body.find("already exists in tenant 'acme'"), std::string::npos) << r->body;
}

}  // namespace
}  // namespace keel::server::testing
