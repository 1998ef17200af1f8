// The HTTP API against a real server on a loopback port: authentication, roles, tenants, errors,
// pagination, operations endpoints and the audit trail.
#include <gtest/gtest.h>

#include "../support/tenant_context.h"
#include "keel/server/auth.h"
#include "keel/service/risk.h"
#include "keel/service/risk_runs.h"
#include "keel/service/sign_in.h"
#include "keel/store/audit_repository.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

TEST_F(ServerFixture, HealthReadinessMetricsAndOpenApiAreAnonymous) {
  auto c = client();
  auto r = c->Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(body(r)["status"], "ok");
  r = c->Get("/readyz");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(body(r)["store"], "ok");
  r = c->Get("/api/v1/openapi.json");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(body(r)["openapi"], "3.1.0");
  // A request is counted by the logger, after its response is written: poll briefly.
  for (int i = 0; i < 100; ++i) {
    r = c->Get("/metrics");
    if (r->body.find("route=\"/readyz\"") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("keel_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"),
            std::string::npos)
      << r->body;
  EXPECT_NE(r->body.find("keel_http_request_duration_seconds_bucket{route=\"/readyz\""), std::string::npos);
  EXPECT_NE(r->body.find("keel_jobs{status=\"queued\"} 0"), std::string::npos);
}

TEST_F(ServerFixture, LargeJsonIsGzippedForClientsThatAcceptItAndEveryAnswerSaysItsProcessTime) {
  // The OpenAPI document is well above the 1 KiB threshold.
  auto plain = client()->Get("/api/v1/openapi.json", {{"Accept-Encoding", "identity"}});
  ASSERT_EQ(plain->status, 200);
  ASSERT_GT(plain->body.size(), 1024u);
  EXPECT_FALSE(plain->has_header("Content-Encoding"));
  EXPECT_EQ(plain->get_header_value("Vary"), "Accept-Encoding");
  auto zipped = client()->Get("/api/v1/openapi.json", {{"Accept-Encoding", "br, gzip;q=0.5"}});
  ASSERT_EQ(zipped->status, 200);
  EXPECT_EQ(zipped->get_header_value("Content-Encoding"), "gzip");
  // The client inflates it: the same document.
  EXPECT_EQ(json::parse(zipped->body), json::parse(plain->body));
  auto refused = client()->Get("/api/v1/openapi.json", {{"Accept-Encoding", "gzip;q=0, identity"}});
  EXPECT_FALSE(refused->has_header("Content-Encoding"));
  EXPECT_EQ(refused->body, plain->body);
  // A small answer (under 1 KiB) is never compressed.
  auto small = client()->Get("/readyz", {{"Accept-Encoding", "gzip"}});
  EXPECT_FALSE(small->has_header("Content-Encoding"));
  // X-Process-Time: seconds spent on the request, a small non-negative number.
  const std::string t = small->get_header_value("X-Process-Time");
  ASSERT_FALSE(t.empty());
  const double secs = std::stod(t);
  EXPECT_GE(secs, 0.0);
  EXPECT_LT(secs, 30.0);
  // The process's own gauges beside keel's.
  auto m = client()->Get("/metrics");
  for (const char* name : {"process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_open_fds ",
                           "process_max_fds ", "keel_store_disk_free_bytes "}) {
    EXPECT_NE(m->body.find(std::string("\n") + name), std::string::npos) << name;
  }
}

TEST_F(ServerFixture, SecurityHeadersAndRequestIds) {
  auto r = client()->Get("/healthz", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(r->get_header_value("X-Request-Id"), "abc-123");
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  r = client()->Get("/healthz", {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_EQ(r->get_header_value("X-Request-Id").size(), 16u);  // replaced by a generated id
}

TEST_F(ServerFixture, LoginMeAndWrongPassword) {
  const std::string token = login("ana");
  ASSERT_FALSE(token.empty());
  auto r = get(token, "/api/v1/auth/me");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["username"], "ana");
  EXPECT_EQ(body(r)["tenant"], "acme");
  EXPECT_EQ(body(r)["role"], "analyst");

  r = client()->Post("/api/v1/auth/login", json{{"username", "ana"}, {"password", "wrong password"}}.dump(),
                     "application/json");
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(body(r)["error"]["code"], "unauthorized");
  r = client()->Post("/api/v1/auth/login", json{{"username", "nobody"}, {"password", "wrong password"}}.dump(),
                     "application/json");
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(body(r)["error"]["message"], "invalid user name or password");  // same answer: no user oracle
}

// A user changes their own password: the current one must be right (a wrong one is 403 and counts
// as a failed login), the new one long enough and new; then every token of the user stops and the
// answer carries a fresh one; the new password signs in, the old one no longer does.
TEST_F(ServerFixture, AUserChangesTheirOwnPassword) {
  const std::string token = login("view");  // any role, a viewer too
  const std::string second = login("view");  // another browser of the same user
  auto r = post(token, "/api/v1/me/password", json{{"current_password", "wrong"}, {"new_password", "n3w-secret!"}}.dump());
  EXPECT_EQ(r->status, 403) << r->body;
  EXPECT_EQ(body(r)["error"]["message"], "the current password is not right");
  r = post(token, "/api/v1/me/password", json{{"current_password", kPassword}, {"new_password", "short"}}.dump());
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body(r)["error"]["details"][0], "new_password: expected at least 8 characters");
  r = post(token, "/api/v1/me/password", json{{"current_password", kPassword}, {"new_password", kPassword}}.dump());
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(get(token, "/api/v1/auth/me")->status, 200);  // nothing changed yet

  r = post(token, "/api/v1/me/password", json{{"current_password", kPassword}, {"new_password", "n3w-secret!"}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string fresh = body(r)["token"];
  EXPECT_EQ(body(r)["user"]["username"], "view");
  EXPECT_EQ(get(token, "/api/v1/auth/me")->status, 401);
  EXPECT_EQ(get(second, "/api/v1/auth/me")->status, 401);
  EXPECT_EQ(get(fresh, "/api/v1/auth/me")->status, 200);
  r = client()->Post("/api/v1/auth/login", json{{"username", "view"}, {"password", kPassword}}.dump(),
                     "application/json");
  EXPECT_EQ(r->status, 401);
  r = client()->Post("/api/v1/auth/login", json{{"username", "view"}, {"password", "n3w-secret!"}}.dump(),
                     "application/json");
  EXPECT_EQ(r->status, 200) << r->body;
  // The audit trail has the refusal and the change, never a password.
  r = get(login("root"), "/api/v1/audit?action=user.password.change");
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string text = r->body;
  EXPECT_NE(text.find("wrong current password"), std::string::npos) << text;
  EXPECT_EQ(text.find("n3w-secret!"), std::string::npos);
}

TEST_F(ServerFixture, MissingExpiredTamperedAndRevokedTokensAre401) {
  EXPECT_EQ(client()->Get("/api/v1/auth/me")->status, 401);
  EXPECT_EQ(get("garbage", "/api/v1/auth/me")->status, 401);

  auto store = open_store(db_);
  const auto ana = *service::sign_in_user(service::Context{store.get()}, "ana");
  TokenService tokens(config_.tokens);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string expired = tokens.issue(ana, now - 3600).token;  // expired 50 minutes ago (ttl 600 s)
  auto r = get(expired, "/api/v1/auth/me");
  EXPECT_EQ(r->status, 401);
  EXPECT_NE(r->get_header_value("WWW-Authenticate").find("invalid_token"), std::string::npos);

  std::string token = login("ana");
  std::string tampered = token;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'x' ? 'y' : 'x';
  EXPECT_EQ(get(tampered, "/api/v1/auth/me")->status, 401);
  TokenService wrong_key({std::string(64, 'w'), {}, config_.tokens.issuer, 600});
  EXPECT_EQ(get(wrong_key.issue(ana, now).token, "/api/v1/auth/me")->status, 401);

  EXPECT_EQ(get(token, "/api/v1/auth/me")->status, 200);
  store->users().set_password("ana", PasswordHasher(PasswordCost::minimum()).hash(kPassword));
  EXPECT_EQ(get(token, "/api/v1/auth/me")->status, 401);  // revoked by the password change
  token = login("ana");
  store->users().set_disabled("ana", true);
  EXPECT_EQ(get(token, "/api/v1/auth/me")->status, 401);
  auto lr = client()->Post("/api/v1/auth/login", json{{"username", "ana"}, {"password", kPassword}}.dump(),
                           "application/json");
  EXPECT_EQ(lr->status, 401);  // disabled users cannot log in
}

TEST_F(ServerFixture, FailedLoginsAreThrottledPerAccount) {
  auto c = client();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(c->Post("/api/v1/auth/login", json{{"username", "view"}, {"password", "nope nope"}}.dump(),
                      "application/json")->status,
              401);
  }
  auto r = c->Post("/api/v1/auth/login", json{{"username", "view"}, {"password", kPassword}}.dump(), "application/json");
  EXPECT_EQ(r->status, 429);  // even the right password waits out the delay
  EXPECT_EQ(r->get_header_value("Retry-After"), "1");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(c->Post("/api/v1/auth/login", json{{"username", "view"}, {"password", kPassword}}.dump(),
                    "application/json")->status,
            200);
}

// The permission matrix of docs/security.md, written out: route -> roles allowed.
struct MatrixRow {
  const char* method;
  const char* path;  // {p} is replaced by a portfolio id of the tenant
  const char* body;
  bool admin, manager, analyst, viewer;
};

TEST_F(ServerFixture, EachRoleAgainstEachPermission) {
  const std::string root = login("root");
  const auto pid = create_portfolio(root, "matrix");
  const MatrixRow rows[] = {
      {"GET", "/api/v1/portfolios", "", true, true, true, true},
      {"GET", "/api/v1/portfolios/{p}", "", true, true, true, true},
      {"GET", "/api/v1/jobs", "", true, true, true, true},
      {"GET", "/api/v1/auth/me", "", true, true, true, true},
      {"POST", "/api/v1/portfolios/{p}/positions", "symbol,quantity\nAAA,1\n", true, true, true, false},
      {"POST", "/api/v1/options/price", R"({"type":"call","spot":100,"strike":100,"years":1,"vol":0.2})", true, true, true, false},
      {"POST", "/api/v1/jobs", R"({"kind":"nope"})", true, true, true, false},
      {"POST", "/api/v1/portfolios", R"({"name":"x-{role}"})", true, true, false, false},
      {"GET", "/api/v1/users", "", true, true, false, false},
      {"POST", "/api/v1/prices", "date,symbol,close\n2020-01-01,ZZZ,1\n", true, false, false, false},
      {"POST", "/api/v1/fx", "date,base,quote,rate\n2020-01-02,EUR,USD,1.12\n", true, false, false, false},
      {"GET", "/api/v1/fx/pairs", "", true, true, true, true},
      {"GET", "/api/v1/audit", "", true, false, false, false},
  };
  const std::pair<const char*, int> roles[] = {{"root", 0}, {"mgr", 1}, {"ana", 2}, {"view", 3}};
  for (const auto& [user, index] : roles) {
    const std::string token = login(user);
    for (const auto& row : rows) {
      std::string path = row.path;
      if (auto at = path.find("{p}"); at != std::string::npos) path.replace(at, 3, std::to_string(pid));
      std::string b = row.body;
      if (auto at = b.find("{role}"); at != std::string::npos) b.replace(at, 6, user);
      const bool allowed[] = {row.admin, row.manager, row.analyst, row.viewer};
      auto r = std::string(row.method) == "GET" ? get(token, path)
                                                : post(token, path, b, b.rfind("{", 0) == 0 ? "application/json" : "text/csv");
      ASSERT_TRUE(r);
      if (allowed[index]) {
        EXPECT_NE(r->status, 403) << user << " " << row.method << " " << path << ": " << r->body;
        EXPECT_LT(r->status, 500) << r->body;
      } else {
        EXPECT_EQ(r->status, 403) << user << " " << row.method << " " << path << ": " << r->body;
        EXPECT_EQ(body(r)["error"]["code"], "forbidden");
      }
    }
  }
}

TEST_F(ServerFixture, AnotherTenantsResourcesAre404) {
  const std::string mgr = login("mgr");
  const auto pid = create_portfolio(mgr, "acme-book");
  ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(pid) + "/positions", "symbol,quantity\nAAA,10\n",
                 "text/csv")->status,
            200);
  auto job = post(mgr, "/api/v1/jobs", R"({"kind":"batch.var","request":{}})");
  ASSERT_EQ(job->status, 202) << job->body;
  const auto job_id = body(job)["id"].get<std::int64_t>();

  const std::string other = login("other");  // manager of globex
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  for (const auto& r : {get(other, p), get(other, p + "/positions"), get(other, "/api/v1/portfolios/acme-book"),
                        del(other, p), post(other, p + "/positions", "symbol,quantity\nAAA,1\n", "text/csv"),
                        post(other, p + "/risk/var", "{}"), get(other, p + "/risk/var"),
                        get(other, "/api/v1/jobs/" + std::to_string(job_id)),
                        post(other, "/api/v1/jobs/" + std::to_string(job_id) + "/cancel", "")}) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << r->body;
    EXPECT_EQ(body(r)["error"]["code"], "not_found");
  }
  EXPECT_EQ(body(get(other, "/api/v1/portfolios"))["items"].size(), 0u);
  EXPECT_EQ(body(get(other, "/api/v1/jobs"))["items"].size(), 0u);
  // The portfolio is intact for its own tenant.
  EXPECT_EQ(body(get(mgr, p + "/positions"))["items"].size(), 1u);
}

TEST_F(ServerFixture, ANameWithAnEscapedSlashIsOneParameter) {
  // The path is split at the slashes sent as slashes, then each segment decoded: %2F is part of
  // the name, so "desk/a" reaches its portfolio and never another route.
  const std::string mgr = login("mgr");
  const auto pid = create_portfolio(mgr, "desk/a");
  auto r = get(mgr, "/api/v1/portfolios/desk%2Fa");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["id"].get<std::int64_t>(), pid);
  EXPECT_EQ(body(r)["name"], "desk/a");
  EXPECT_EQ(get(mgr, "/api/v1/portfolios/desk%2Fa/positions")->status, 200);
  // A literal segment may be sent escaped too; an unescaped slash still separates segments.
  EXPECT_EQ(get(mgr, "/api/v1/%70ortfolios/" + std::to_string(pid))->status, 200);
  EXPECT_EQ(get(mgr, "/api/v1/portfolios/desk/a")->status, 404);
}

TEST_F(ServerFixture, PerUserRateLimitAnswers429ThenRecovers) {
  auto c = test_config(temp_db_path());
  c.rate_limit_per_minute = 60;  // one per second, after a burst of 80
  c.rate_limit_burst = 80;
  const std::string db = c.db_path;
  server_.reset();
  remove_db(db_);
  db_ = db;
  start_server(c, true);
  const std::string token = login("view");
  // The bucket refills one token per second while the burst runs, so a slow machine may get a few
  // more than 80 through: count until the first refusal.
  const auto t0 = std::chrono::steady_clock::now();
  int ok = 0;
  auto last = get(token, "/api/v1/auth/me");
  while (last->status == 200 && ok < 200) {
    ++ok;
    last = get(token, "/api/v1/auth/me");
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GE(ok, 80);
  EXPECT_LE(ok, 80 + static_cast<int>(elapsed) + 1);
  EXPECT_EQ(last->status, 429);
  EXPECT_EQ(body(last)["error"]["code"], "rate_limited");
  EXPECT_EQ(last->get_header_value("Retry-After"), "1");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(get(token, "/api/v1/auth/me")->status, 200);
  EXPECT_EQ(get(login("ana"), "/api/v1/auth/me")->status, 200);  // another user has its own bucket
}

// A path that exists with other methods answers 405 with Allow, not 404.
TEST_F(ServerFixture, AKnownPathWithAnotherMethodIs405WithTheMethodsItTakes) {
  const std::string token = login("mgr");
  const auto pid = create_portfolio(token, "p405");
  auto r = client()->Put(("/api/v1/portfolios/" + std::to_string(pid)).c_str(), {{"Authorization", "Bearer " + token}},
                         "{}", "application/json");
  ASSERT_EQ(r->status, 405) << r->body;
  EXPECT_EQ(r->get_header_value("Allow"), "GET, PATCH, DELETE");
  EXPECT_EQ(body(r)["error"]["code"], "method_not_allowed");
  EXPECT_EQ(get(token, "/api/v1/no/such/route")->status, 404);
}

TEST_F(ServerFixture, OversizedBodyIs413) {
  const std::string token = login("ana");
  const auto pid = create_portfolio(login("mgr"), "big");
  std::string huge = "symbol,quantity\n";
  while (huge.size() <= config_.max_body_bytes) huge += "AAA,1\n";
  auto r = post(token, "/api/v1/portfolios/" + std::to_string(pid) + "/positions", huge, "text/csv");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(body(r)["error"]["code"], "payload_too_large");
}

TEST_F(ServerFixture, MalformedJsonIs400NamingTheField) {
  const std::string mgr = login("mgr");
  const auto pid = create_portfolio(mgr, "bad-json");
  const std::string var = "/api/v1/portfolios/" + std::to_string(pid) + "/risk/var";
  auto r = post(mgr, var, R"({"confidence":"high","window":-3,"method":"magic"})");
  ASSERT_EQ(r->status, 400) << r->body;
  const auto details = body(r)["error"]["details"];
  ASSERT_EQ(details.size(), 3u) << details;
  EXPECT_EQ(details[0].get<std::string>().rfind("method: ", 0), 0u) << details;
  EXPECT_EQ(details[1], "window: expected an integer from 2 to 100000, got -3");
  EXPECT_EQ(details[2], "confidence: expected a number greater than 0 and less than 1");
  r = post(mgr, var, R"({"confidence": 0.99,)");
  ASSERT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["code"], "invalid_input");
  EXPECT_EQ(body(r)["error"]["details"][0].get<std::string>().rfind("body: byte ", 0), 0u);
  r = post(mgr, "/api/v1/portfolios", R"({"name": 12})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["details"][0], "name: expected a string");
  r = get(mgr, "/api/v1/no/such/route");
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(body(r)["error"]["code"], "not_found");
}

TEST_F(ServerFixture, VarBodyTakesTheDeltaGammaSwitchLikeTheCommand) {
  import_synthetic_prices();
  const std::string ana = login("ana");
  const auto pid = create_portfolio(login("mgr"), "dg-book");
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  ASSERT_EQ(post(ana, p + "/positions", "symbol,quantity\nAAA,100\n", "text/csv")->status, 200);
  auto r = post(ana, p + "/risk/var", R"({"method":"parametric","window":250,"delta_gamma":"yes"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body(r)["error"]["details"][0].get<std::string>().rfind("delta_gamma: ", 0), 0u) << r->body;
  // A book without options: delta-gamma is delta-normal (no gamma to add), same VaR.
  r = post(ana, p + "/risk/var", R"({"method":"parametric","window":250,"delta_gamma":true})");
  ASSERT_EQ(r->status, 200) << r->body;
  const auto dg = body(r);
  EXPECT_EQ(dg["parametric_model"], "delta-normal");
  const auto dn = body(post(ana, p + "/risk/var", R"({"method":"parametric","window":250})"));
  EXPECT_DOUBLE_EQ(dg["results"][0]["var"].get<double>(), dn["results"][0]["var"].get<double>());
}

TEST_F(ServerFixture, PositionUploadReportsEveryBadRowAndStoresNothing) {
  const std::string ana = login("ana");
  const auto pid = create_portfolio(login("mgr"), "upload");
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid) + "/positions";
  auto r = post(ana, p, "symbol,quantity\nAAA,10\nBBB,20\n", "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["rows"], 2);
  r = post(ana, p, "symbol,quantity\nAAA,ten\nBBB,20\n,5\n", "text/csv");
  ASSERT_EQ(r->status, 400) << r->body;
  const auto details = body(r)["error"]["details"];
  ASSERT_GE(details.size(), 2u) << details;
  EXPECT_EQ(details[0].get<std::string>().rfind("body.csv:2:", 0), 0u) << details;
  EXPECT_EQ(details[1].get<std::string>().rfind("body.csv:4:", 0), 0u) << details;
  auto stored = body(get(ana, p))["items"];
  ASSERT_EQ(stored.size(), 2u);  // the earlier upload is untouched
  EXPECT_EQ(stored[0]["symbol"], "AAA");
  // The same through a JSON array (row i is line i + 2 of the generated CSV).
  r = post(ana, p, R"([{"symbol":"AAA","quantity":5,"tags":["core","growth"]},{"symbol":"BBB","quantity":"x"}])");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body(r)["error"]["details"][0].get<std::string>().rfind("body.json:3:", 0), 0u) << r->body;
  r = post(ana, p, R"([{"symbol":"AAA","quantity":5,"tags":["core","growth"]}])");
  ASSERT_EQ(r->status, 200) << r->body;
  stored = body(get(ana, p))["items"];
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0]["quantity"], 5.0);
}

TEST_F(ServerFixture, ParametricVarMatchesTheFormulaAndTheServiceAndIsCached) {
  import_synthetic_prices();
  const std::string ana = login("ana");
  const auto pid = create_portfolio(login("mgr"), "var-book");
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  ASSERT_EQ(post(ana, p + "/positions", "symbol,quantity\nAAA,100\n", "text/csv")->status, 200);
  EXPECT_EQ(get(ana, p + "/risk/var")->status, 404);  // nothing cached yet

  auto r = post(ana, p + "/risk/var", R"({"method":"parametric","confidence":0.99,"window":250})");
  ASSERT_EQ(r->status, 200) << r->body;
  const auto out = body(r);
  // Hand calculation: one asset, zero mean, sample sd (n - 1) of the last 250 simple returns;
  // VaR = z_0.99 x sd x value with z_0.99 = 2.326347874040841 (standard normal quantile).
  const int days = 300;
  double price = 100.0;
  for (int i = 1; i < days; ++i) price *= 1.0 + aaa_return(i);
  double sum = 0.0, sum2 = 0.0;
  for (int i = days - 250; i < days; ++i) sum += aaa_return(i);
  const double mean = sum / 250.0;
  for (int i = days - 250; i < days; ++i) sum2 += (aaa_return(i) - mean) * (aaa_return(i) - mean);
  const double sd = std::sqrt(sum2 / 249.0);
  const double value = 100.0 * price;
  EXPECT_NEAR(out["value"].get<double>(), value, 1e-6 * value);
  EXPECT_NEAR(out["results"][0]["var"].get<double>(), 2.326347874040841 * sd * value, 1e-6 * value);

  // The same JSON as the service (the CLI's code path) on the same store.
  auto store = open_store(db_);
  service::RiskVarRequest req;
  req.inputs.source.portfolio = "var-book";
  req.methods = {risk::VarMethod::kParametric};
  req.window = 250;
  auto direct = spec::to_json(*service::run_var(keel::testing::context_in(store.get(), "acme"), req).result);
  direct["portfolio_id"] = pid;
  EXPECT_EQ(out, direct);

  const std::string viewer = login("view");
  EXPECT_GE(checked_responses_, 1);  // the VaR result was checked against RiskVarResult
  r = get(viewer, p + "/risk/var");  // viewers read the cached result
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r), out);
  EXPECT_EQ(post(viewer, p + "/risk/var", "{}")->status, 403);  // but cannot compute
}

TEST_F(ServerFixture, ListsArePaginatedSortedAndFiltered) {
  const std::string mgr = login("mgr");
  for (const char* n : {"delta", "alpha", "echo", "charlie", "bravo"}) create_portfolio(mgr, n);
  std::vector<std::string> names;
  std::string url = "/api/v1/portfolios?limit=2&sort=name";
  for (int page = 0; page < 5; ++page) {
    auto r = get(mgr, url);
    ASSERT_EQ(r->status, 200) << r->body;
    const auto b = body(r);
    EXPECT_LE(b["items"].size(), 2u);
    for (const auto& it : b["items"]) names.push_back(it["name"]);
    if (b["next_cursor"].is_null()) break;
    url = "/api/v1/portfolios?limit=2&sort=name&cursor=" + b["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"alpha", "bravo", "charlie", "delta", "echo"}));
  auto r = get(mgr, "/api/v1/portfolios?q=ha&sort=-name");
  const auto items = body(r)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["name"], "charlie");
  EXPECT_EQ(items[1]["name"], "alpha");
  EXPECT_EQ(get(mgr, "/api/v1/portfolios?limit=0")->status, 400);
  EXPECT_EQ(get(mgr, "/api/v1/portfolios?cursor=***")->status, 400);
}

TEST_F(ServerFixture, EveryMutationAndLoginIsAuditedWithoutSecrets) {
  const std::string root = login("root");
  const std::string mgr = login("mgr");
  const auto pid = create_portfolio(mgr, "audited");
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  ASSERT_EQ(post(mgr, p + "/positions", "symbol,quantity\nAAA,1\n", "text/csv")->status, 200);
  ASSERT_EQ(post(mgr, "/api/v1/users", R"({"username":"newbie","password":"s3cret-passw0rd","role":"viewer"})")->status, 201);
  auto job = post(mgr, "/api/v1/jobs", R"({"kind":"batch.var","request":{}})");
  ASSERT_EQ(job->status, 202);
  ASSERT_EQ(del(mgr, p)->status, 200);
  client()->Post("/api/v1/auth/login", json{{"username", "mgr"}, {"password", "bad guess!"}}.dump(), "application/json");

  auto r = get(root, "/api/v1/audit?limit=100");
  ASSERT_EQ(r->status, 200) << r->body;
  const auto items = body(r)["items"];
  std::vector<std::string> actions;
  for (const auto& e : items) actions.push_back(e["action"].get<std::string>() + ":" + e["outcome"].get<std::string>());
  std::reverse(actions.begin(), actions.end());
  EXPECT_EQ(actions, (std::vector<std::string>{"auth.login:ok", "auth.login:ok", "portfolio.create:ok",
                                               "positions.import:ok", "user.create:ok", "job.create:ok",
                                               "portfolio.delete:ok", "auth.login:failed"}));
  EXPECT_EQ(items[1]["resource"], "portfolio/" + std::to_string(pid));
  EXPECT_EQ(items[1]["user"], "mgr");
  EXPECT_EQ(items[1]["tenant"], "acme");
  EXPECT_EQ(items[1]["client"], "127.0.0.1");
  EXPECT_FALSE(items[1]["request_id"].get<std::string>().empty());
  const std::string dump = items.dump();
  EXPECT_EQ(dump.find("s3cret-passw0rd"), std::string::npos);
  EXPECT_EQ(dump.find("bad guess!"), std::string::npos);
  EXPECT_EQ(dump.find("argon2id"), std::string::npos);
  EXPECT_EQ(dump.find(mgr), std::string::npos);
  EXPECT_EQ(get(mgr, "/api/v1/audit")->status, 403);
  // Filters and the cursor.
  r = get(root, "/api/v1/audit?action=auth.login&limit=2");
  EXPECT_EQ(body(r)["items"].size(), 2u);
  ASSERT_FALSE(body(r)["next_cursor"].is_null());
  r = get(root, "/api/v1/audit?action=auth.login&cursor=" + body(r)["next_cursor"].get<std::string>());
  EXPECT_EQ(body(r)["items"].size(), 1u);
}

TEST_F(ServerFixture, AuditTimeRangeAndQueryParametersAreChecked) {
  const std::string root = login("root");
  const std::string mgr = login("mgr");
  for (const char* n : {"one", "two", "three"}) create_portfolio(mgr, n);
  const auto all = body(get(root, "/api/v1/audit?limit=500"))["items"];
  ASSERT_GE(all.size(), 5u);
  // The bound: the second of the third-newest entry, as a client would type it.
  const std::string at = all[2]["at"];
  const std::string from = at.substr(0, 19) + "Z";
  std::size_t expected_from = 0;
  std::size_t expected_to = 0;
  for (const auto& e : all) {
    const std::string a = e["at"];
    (a.substr(0, 19) >= from.substr(0, 19) ? expected_from : expected_to) += 1;
  }
  auto r = get(root, "/api/v1/audit?limit=500&from=" + from);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["items"].size(), expected_from);
  r = get(root, "/api/v1/audit?limit=500&to=" + from);
  EXPECT_EQ(body(r)["items"].size(), expected_to);
  // A date is the start of that day (UTC).
  r = get(root, "/api/v1/audit?limit=500&from=" + at.substr(0, 10));
  EXPECT_EQ(body(r)["items"].size(), all.size());
  r = get(root, "/api/v1/audit?limit=500&to=" + at.substr(0, 10));
  EXPECT_EQ(body(r)["items"].size(), 0u);

  r = get(root, "/api/v1/audit?from=yesterday&limit=0&sort=at");
  ASSERT_EQ(r->status, 400);
  const std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("limit: expected an integer from 1 to 500, got 0"), std::string::npos) << details;
  EXPECT_NE(details.find("sort\\\": not a query parameter of this route"), std::string::npos) << details;
  r = get(root, "/api/v1/audit?from=yesterday");
  ASSERT_EQ(r->status, 400);
  EXPECT_NE(body(r)["error"]["details"].dump().find("from: expected an ISO-8601 UTC date"), std::string::npos);
  r = get(mgr, "/api/v1/jobs?status=done");
  ASSERT_EQ(r->status, 400);
  EXPECT_NE(body(r)["error"]["details"].dump().find("status: expected queued, running, succeeded, failed or cancelled"),
            std::string::npos)
      << r->body;
}

TEST_F(ServerFixture, OpenApiDocumentAndRouterAgree) {
  std::string root = login("root");
  const auto pid = create_portfolio(root, "openapi");
  auto doc = body(client()->Get("/api/v1/openapi.json"));
  std::size_t operations = 0;
  for (const auto& [path, methods] : doc["paths"].items()) {
    for (const auto& [method, op] : methods.items()) {
      ++operations;
      std::string url = path;
      for (auto at = url.find('{'); at != std::string::npos; at = url.find('{')) {
        url.replace(at, url.find('}') - at + 1, std::to_string(pid));
      }
      if (url.find("/events") != std::string::npos) continue;  // a stream; checked in the job tests
      HttpResult r = method == "get"    ? get(root, url)
                          : method == "post" ? post(root, url, "{}")
                          : method == "put"  ? put(root, url, "{}")
                                             : del(root, url);
      ASSERT_TRUE(r) << method << " " << url;
      // Whatever the answer, it must come from the route, not from "no route".
      EXPECT_EQ(r->body.find("\"no route "), std::string::npos) << method << " " << url << ": " << r->body;
      EXPECT_LT(r->status, 500) << method << " " << url << ": " << r->body;
      if (path == "/api/v1/auth/logout") root = login("root");  // signing out revoked the token: a new one
    }
  }
  EXPECT_GE(operations, 30u);
  // The contract's fixed points are documented.
  for (const char* path : {"/api/v1/auth/login", "/api/v1/auth/me", "/api/v1/portfolios", "/api/v1/portfolios/{id}",
                           "/api/v1/portfolios/{id}/positions", "/api/v1/portfolios/{id}/risk/var",
                           "/api/v1/jobs/{id}", "/api/v1/jobs/{id}/events", "/api/v1/audit", "/healthz", "/metrics",
                           "/api/v1/openapi.json"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
  // And an undocumented path is not routed.
  EXPECT_EQ(get(root, "/api/v1/portfolios/1/risk/undocumented")->status, 404);
}

// OpenAPI 3.1: typed routes carry their request and result schemas, defined once under components.
TEST_F(ServerFixture, OpenApiDeclaresRequestAndResultSchemas) {
  auto r = client()->Get("/api/v1/openapi.json");
  ASSERT_EQ(r->status, 200);
  const json doc = json::parse(r->body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  const json& var = doc["paths"]["/api/v1/portfolios/{id}/risk/var"]["post"];
  EXPECT_EQ(var["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/RiskVarRequest");
  EXPECT_EQ(var["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/RiskVarResult");
  const json& req = doc["components"]["schemas"]["RiskVarRequest"];
  // Defaults come from the request struct's initializers; ranges from its description.
  EXPECT_EQ(req["properties"]["window"]["default"], 252);
  EXPECT_EQ(req["properties"]["window"]["minimum"], 2);
  EXPECT_EQ(req["properties"]["confidence"]["exclusiveMaximum"], 1);
  EXPECT_EQ(req["properties"]["cov"]["enum"], json({"sample", "ewma", "ledoit-wolf"}));
  EXPECT_EQ(req["additionalProperties"], false);
  // Fields of the command line only (files) are not part of the HTTP body.
  EXPECT_FALSE(req["properties"].contains("positions"));
  EXPECT_FALSE(req["properties"].contains("portfolio"));
  const json& res = doc["components"]["schemas"]["RiskVarResult"];
  EXPECT_EQ(res["properties"]["results"]["items"]["$ref"], "#/components/schemas/VarMethodResult");
  EXPECT_NE(std::find(res["required"].begin(), res["required"].end(), "contributions"), res["required"].end());
  EXPECT_EQ(std::find(res["required"].begin(), res["required"].end(), "lambda"), res["required"].end());

  // The checker the fixture applies to every response can fail: a renamed key, a missing key and a
  // wrong type are each reported.
  const json schema = {{"$ref", "#/components/schemas/VarMethodResult"}};
  json ok = {{"method", "parametric"}, {"confidence", 0.99}, {"horizon_days", 1}, {"var", 1.0}, {"es", 1.2},
             {"var_pct", 0.01}, {"volatility", 0.5}, {"scenarios", 0}};
  EXPECT_TRUE(schemas().check(ok, schema).empty()) << schemas().check(ok, schema).front();
  json renamed = ok;
  renamed.erase("var");
  renamed["var_amount"] = 1.0;
  EXPECT_EQ(schemas().check(renamed, schema).size(), 2u);  // var missing, var_amount undeclared
  json wrong = ok;
  wrong["horizon_days"] = "1";
  EXPECT_EQ(schemas().check(wrong, schema).size(), 1u);
}

TEST_F(ServerFixture, CorsPreflightOnlyForConfiguredOrigins) {
  auto c = test_config(temp_db_path());
  c.cors_origins = {"https://dash.example.com"};
  server_.reset();
  remove_db(db_);
  db_ = c.db_path;
  start_server(c, true);
  auto cl = client();
  auto r = cl->Options("/api/v1/portfolios", {{"Origin", "https://dash.example.com"},
                                              {"Access-Control-Request-Method", "GET"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "https://dash.example.com");
  r = cl->Options("/api/v1/portfolios", {{"Origin", "https://evil.example.com"}});
  EXPECT_EQ(r->status, 403);
  EXPECT_FALSE(r->has_header("Access-Control-Allow-Origin"));
}

TEST_F(ServerFixture, ManagersManageUsersOfTheirTenantOnly) {
  const std::string mgr = login("mgr");
  auto r = post(mgr, "/api/v1/users", R"({"username":"boss","password":"longenough","role":"admin"})");
  EXPECT_EQ(r->status, 403);
  r = post(mgr, "/api/v1/users", R"({"username":"spy","password":"longenough","role":"viewer","tenant":"globex"})");
  EXPECT_EQ(r->status, 403);
  r = post(mgr, "/api/v1/users", R"({"username":"intern","password":"longenough","role":"viewer"})");
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["tenant"], "acme");
  const auto intern_id = body(r)["id"].get<std::int64_t>();
  // A user a manager adds signs in with its tenant (user names are unique per tenant).
  EXPECT_EQ(body(r)["sign_in_by_name"], false);
  EXPECT_EQ(client()->Post("/api/v1/auth/login",
                           json{{"username", "intern"}, {"password", "longenough"}, {"tenant", "acme"}}.dump(),
                           "application/json")->status,
            200);
  EXPECT_EQ(client()->Post("/api/v1/auth/login", json{{"username", "intern"}, {"password", "longenough"}}.dump(),
                           "application/json")->status,
            401);
  auto users = body(get(mgr, "/api/v1/users"))["items"];
  for (const auto& u : users) EXPECT_EQ(u["tenant"], "acme");
  const std::string other = login("other");
  EXPECT_EQ(post(other, "/api/v1/users/" + std::to_string(intern_id) + "/disable", "")->status, 404);
  EXPECT_EQ(post(mgr, "/api/v1/users/" + std::to_string(intern_id) + "/disable", "")->status, 200);
  r = client()->Post("/api/v1/auth/login",
                     json{{"username", "intern"}, {"password", "longenough"}, {"tenant", "acme"}}.dump(),
                     "application/json");
  EXPECT_EQ(r->status, 401);
}

TEST_F(ServerFixture, RolesChangeAndUsersComeBackWithinTheManagersTenant) {
  auto login_as = [&](const std::string& user, const std::string& password) {
    // A user the manager adds signs in with its tenant (user names are unique per tenant).
    auto res = client()->Post("/api/v1/auth/login",
                              json{{"username", user}, {"password", password}, {"tenant", "acme"}}.dump(),
                              "application/json");
    EXPECT_EQ(res->status, 200) << res->body;
    return json::parse(res->body).value("token", "");
  };
  const std::string mgr = login("mgr");
  auto r = post(mgr, "/api/v1/users", R"({"username":"temp","password":"longenough","role":"viewer"})");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string temp = "/api/v1/users/" + std::to_string(body(r)["id"].get<std::int64_t>());
  const std::string temp_token = login_as("temp", "longenough");
  ASSERT_EQ(get(temp_token, "/api/v1/auth/me")->status, 200);

  r = post(mgr, temp + "/role", R"({"role":"analyst"})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["role"], "analyst");
  // A role change revokes the tokens issued before it.
  EXPECT_EQ(get(temp_token, "/api/v1/auth/me")->status, 401);
  EXPECT_EQ(body(get(login_as("temp", "longenough"), "/api/v1/auth/me"))["role"], "analyst");

  r = post(mgr, temp + "/role", R"({"role":"admin"})");
  EXPECT_EQ(r->status, 403) << r->body;
  r = post(mgr, temp + "/role", R"({"role":"boss"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(body(r)["error"]["details"][0].get<std::string>().find("role"), std::string::npos);
  // Admins are out of a manager's reach; nobody changes their own role; another tenant sees no user.
  const auto users = body(get(mgr, "/api/v1/users"))["items"];
  std::int64_t root_id = 0, mgr_id = 0;
  for (const auto& u : users) {
    if (u["username"] == "root") root_id = u["id"].get<std::int64_t>();
    if (u["username"] == "mgr") mgr_id = u["id"].get<std::int64_t>();
  }
  EXPECT_EQ(post(mgr, "/api/v1/users/" + std::to_string(root_id) + "/role", R"({"role":"viewer"})")->status,
            403);
  EXPECT_EQ(post(mgr, "/api/v1/users/" + std::to_string(mgr_id) + "/role", R"({"role":"viewer"})")->status,
            409);
  EXPECT_EQ(post(mgr, "/api/v1/users/" + std::to_string(mgr_id) + "/disable", "")->status, 409);
  const std::string other = login("other");
  EXPECT_EQ(post(other, temp + "/role", R"({"role":"viewer"})")->status, 404);
  EXPECT_EQ(post(other, temp + "/enable", "")->status, 404);
  EXPECT_EQ(post(login("ana"), temp + "/role", R"({"role":"viewer"})")->status, 403);

  // Disabled, then enabled: the user signs in again.
  ASSERT_EQ(post(mgr, temp + "/disable", "")->status, 200);
  EXPECT_EQ(client()
                ->Post("/api/v1/auth/login",
                       json{{"username", "temp"}, {"password", "longenough"}, {"tenant", "acme"}}.dump(),
                       "application/json")
                ->status,
            401);
  r = post(mgr, temp + "/enable", "");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["disabled"], false);
  EXPECT_EQ(get(login_as("temp", "longenough"), "/api/v1/auth/me")->status, 200);

  const auto audit = body(get(login("root"), "/api/v1/audit?action=user.role"))["items"];
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["user"], "mgr");
  EXPECT_EQ(audit[0]["details"]["from"], "viewer");
  EXPECT_EQ(audit[0]["details"]["to"], "analyst");
  EXPECT_EQ(body(get(login("root"), "/api/v1/audit?action=user.enable"))["items"].size(), 1u);
}

TEST_F(ServerFixture, OptionPriceGoesThroughTheOptionsService) {
  const std::string ana = login("ana");
  // Hull, Options, Futures and Other Derivatives, Example 15.6: S=42, K=40, r=10%, sigma=20%,
  // T=0.5: call 4.76.
  auto r = post(ana, "/api/v1/options/price",
                R"({"type":"call","spot":42,"strike":40,"rate":0.1,"vol":0.2,"years":0.5})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NEAR(body(r)["price"].get<double>(), 4.76, 0.005);
  r = post(ana, "/api/v1/options/price", R"({"type":"call","strike":40})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["details"][0], "spot: required");
}

}  // namespace
}  // namespace keel::server::testing
