// One use case, two faces: the keel command and keel serve's routes call the same use cases
// (keel/service/rules.h), which check the permission and write the audit row themselves — so the
// same action leaves the same row whichever face asked, and a role that may not act is refused
// alike. The command runs on the server's own store.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../support/cli_runner.h"
#include "keel/service/clo_deals.h"
#include "keel/service/portfolio_view.h"
#include "keel/store/audit_repository.h"
#include "keel/store/job_repository.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

class UseCaseFaces : public ServerFixture {
 protected:
  // `env`: NAME=VALUE words set for the command (the master key's source, for keel keys).
  ::keel::testing::CliResult cli(const std::string& args, const std::string& input = "", const std::string& env = "") {
    return ::keel::testing::run_command(
        "env " + env + " " + std::string(KEEL_BIN) + " --db " + db_ + " --quiet --format json " + args, input);
  }
  // The newest audit row of `action` in `tenant`, read from the store.
  store::AuditEntry last(const std::string& action, const std::string& tenant) {
    auto s = open_store(db_);
    store::AuditQuery q;
    q.action = action;
    q.tenant = tenant;
    q.limit = 1;
    const auto rows = s->audit().list(q);
    if (rows.empty()) ADD_FAILURE() << "no " << action << " row in tenant " << tenant;
    return rows.empty() ? store::AuditEntry{} : rows.front();
  }
  // What must agree between faces: the action, the kind of resource, the details and the outcome
  // (the id, user, tenant, client and request id are each face's own).
  static json comparable(const store::AuditEntry& e) {
    return {{"action", e.action},
            {"resource", e.resource.substr(0, e.resource.find('/'))},
            {"details", json::parse(e.details)},
            {"outcome", e.outcome}};
  }
  // Every audit row of `action` in `tenant`, newest first.
  std::vector<store::AuditEntry> rows(const std::string& action, const std::string& tenant) {
    auto s = open_store(db_);
    store::AuditQuery q;
    q.action = action;
    q.tenant = tenant;
    return s->audit().list(q);
  }
  // Restarts the server on a fresh store with the key vault's master key in a file (the command
  // reads the same file: master_env()) and no job worker, so that jobs stay queued.
  void restart_with_vault_and_queued_jobs() {
    auto c = test_config(temp_db_path());
    key_file_ = c.db_path + ".master.key";
    c.master_key.source = vault::SourceKind::kFile;
    c.master_key.key_file = key_file_;
    c.job_workers = 0;
    server_.reset();
    remove_db(db_);
    db_ = c.db_path;
    start_server(c, true);
  }
  void TearDown() override {
    ServerFixture::TearDown();
    if (!key_file_.empty()) std::filesystem::remove(key_file_);
  }
  std::string master_env() const { return "KEEL_MASTER_KEY_SOURCE=file KEEL_MASTER_KEY_FILE=" + key_file_; }
  // A queued job of the tenant acme, started by its manager.
  // A new job each call (an identical request would join the one queued): a window of its own.
  std::int64_t queued_job(const std::string& token) {
    const auto r = post(token, "/api/v1/jobs",
                        R"({"kind":"batch.var","request":{"options":{"window":)" + std::to_string(100 + jobs_++) + "}}}");
    EXPECT_EQ(r->status, 202) << r->body;
    return json::parse(r->body)["id"].get<std::int64_t>();
  }

  std::string key_file_;
  int jobs_ = 0;
};

TEST_F(UseCaseFaces, DeletingAPortfolioLeavesTheSameAuditRowFromTheCommandAndTheServer) {
  const std::string mgr = login("mgr");
  const auto id = create_portfolio(mgr, "book");
  ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(id) + "/positions", "symbol,quantity\nAAA,1\nBBB,2\n",
                 "text/csv")
                ->status,
            200);
  ASSERT_EQ(del(mgr, "/api/v1/portfolios/" + std::to_string(id))->status, 200);
  const store::AuditEntry http = last("portfolio.delete", "acme");
  EXPECT_EQ(http.username, "mgr");
  EXPECT_EQ(http.resource, "portfolio/" + std::to_string(id));
  EXPECT_EQ(http.client, "127.0.0.1");
  EXPECT_FALSE(http.request_id.empty());

  // The same through the keel command, in its own (default) tenant.
  ASSERT_EQ(cli("portfolio create book").code, 0);
  const std::string csv = db_ + ".positions.csv";
  std::ofstream(csv) << "symbol,quantity\nAAA,1\nBBB,2\n";
  const auto imported = cli("import positions " + csv + " --portfolio book");
  std::filesystem::remove(csv);
  ASSERT_EQ(imported.code, 0) << imported.err;
  const auto out = cli("portfolio delete book");
  ASSERT_EQ(out.code, 0) << out.err;
  const store::AuditEntry cli = last("portfolio.delete", "default");
  EXPECT_EQ(cli.username.rfind("cli:", 0), 0u) << cli.username;
  EXPECT_EQ(cli.client, "local");
  EXPECT_EQ(cli.resource, "portfolio/" + std::to_string(json::parse(out.out)["id"].get<std::int64_t>()));

  EXPECT_EQ(comparable(http), comparable(cli));
  EXPECT_EQ(comparable(last("positions.import", "acme")), comparable(last("positions.import", "default")));
  EXPECT_EQ(comparable(last("portfolio.create", "acme")), comparable(last("portfolio.create", "default")));
}

TEST_F(UseCaseFaces, StoringACloDealLeavesTheSameAuditRowFromTheCommandAndTheServer) {
  const std::string ana = login("ana");
  const std::string deal = ::keel::testing::source_path("examples/clo/small_deal.json");
  const std::string pool = ::keel::testing::source_path("examples/clo/small_pool.csv");
  std::ifstream df(deal), pf(pool);
  std::stringstream dtext, ptext;
  dtext << df.rdbuf();
  ptext << pf.rdbuf();
  json doc = json::parse(dtext.str());
  doc.erase("collateral");
  const auto r = post(ana, "/api/v1/clo/deals", json{{"deal", doc}, {"collateral_csv", ptext.str()}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const auto out = cli("clo deal create " + deal);
  ASSERT_EQ(out.code, 0) << out.err;
  EXPECT_EQ(json::parse(out.out)["deal"]["latest"]["loans"], 3);
  EXPECT_EQ(comparable(last("clo_deal.create", "acme")), comparable(last("clo_deal.create", "default")));
  EXPECT_EQ(last("clo_deal.create", "acme").username, "ana");

  // The command lists the deals of the tenant it acts in: the operator's (default) has its own
  // one; acting as ana it sees acme's, the one stored over HTTP.
  const auto mine = cli("clo deal list");
  ASSERT_EQ(mine.code, 0) << mine.err;
  ASSERT_EQ(json::parse(mine.out)["items"].size(), 1u);
  const auto hers = cli("--as ana clo deal list");
  ASSERT_EQ(hers.code, 0) << hers.err;
  const auto items = json::parse(hers.out)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["id"], json::parse(r->body)["deal"]["id"]);

  // The analyst may store deals but not delete them (manage_portfolios): refused by the route;
  // the operator deletes its own.
  const auto id = json::parse(r->body)["deal"]["id"].get<std::int64_t>();
  EXPECT_EQ(del(ana, "/api/v1/clo/deals/" + std::to_string(id))->status, 403);
  const auto gone = cli("clo deal delete \"Small worked deal\"");
  ASSERT_EQ(gone.code, 0) << gone.err;
  EXPECT_EQ(json::parse(gone.out)["deleted"], "Small worked deal");
  EXPECT_EQ(json::parse(last("clo_deal.delete", "default").details)["versions"], 1);
}

// `keel --as ana` acts as ana: what the command makes is hers, as if she made it over HTTP (her
// HTTP list shows it, owner "ana", and she runs it), and the audit
// row names both the operator and her.
TEST_F(UseCaseFaces, WhatTheCommandMakesAsAUserIsThatUsersOverHttp) {
  const std::string ana = login("ana");
  const std::string examples = std::string(KEEL_SOURCE_DIR) + "/examples/alm/";
  const auto out = cli("--as ana alm session create q4 --balance-sheet " + examples + "balance_sheet.csv --curve " +
                       examples + "ust_par_2020-12-31.csv --curve-type par --rate-units percent --as-of 2020-12-31");
  ASSERT_EQ(out.code, 0) << out.err;
  const auto r = get(ana, "/api/v1/alm/sessions");
  ASSERT_EQ(r->status, 200) << r->body;
  const json items = body(r)["items"];
  ASSERT_EQ(items.size(), 1u) << r->body;
  EXPECT_EQ(items[0]["name"], "q4");
  EXPECT_EQ(items[0]["owner"], "ana");
  EXPECT_EQ(get(ana, "/api/v1/alm/sessions/q4/gap")->status, 200);
  const std::string user = last("alm_session.create", "acme").username;
  EXPECT_EQ(user.substr(0, 4), "cli:") << user;
  EXPECT_EQ(user.substr(user.size() - 7), " as ana") << user;
}

// `keel risk var --portfolio` is the route's use case: the VaR it computes is the portfolio's last
// VaR, which GET .../risk/var shows, and the portfolio may be named by its id as the routes take it.
TEST_F(UseCaseFaces, TheCommandsVarIsThePortfoliosLastVarOverHttp) {
  const std::string mgr = login("mgr");
  import_synthetic_prices();
  const auto pid = create_portfolio(mgr, "book");
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  ASSERT_EQ(post(mgr, p + "/positions", "symbol,quantity\nAAA,10\nBBB,5\n", "text/csv")->status, 200);
  EXPECT_EQ(get(mgr, p + "/risk/var")->status, 404);  // none computed yet
  const auto out = cli("--as mgr risk var --portfolio " + std::to_string(pid) + " --method parametric");
  ASSERT_EQ(out.code, 0) << out.err;
  const json computed = json::parse(out.out);
  EXPECT_EQ(computed["portfolio"], "book");
  const auto r = get(mgr, p + "/risk/var");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["results"], computed["results"]);
  EXPECT_EQ(body(r)["portfolio_id"], pid);
}

TEST_F(UseCaseFaces, SettingAndDeletingAKeyLeaveTheSameAuditRowsFromTheCommandAndTheServer) {
  restart_with_vault_and_queued_jobs();
  const std::string root = login("root");
  auto r = put(root, "/api/v1/keys/openai", json{{"value", "sk-faces-0001"}, {"origins", {"https://api.openai.com"}}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_EQ(del(root, "/api/v1/keys/openai")->status, 200);
  const store::AuditEntry http_set = last("key.set", "acme");
  const store::AuditEntry http_delete = last("key.delete", "acme");
  EXPECT_EQ(http_set.username, "root");
  EXPECT_EQ(http_set.resource, "key/openai");
  EXPECT_EQ(http_set.client, "127.0.0.1");
  EXPECT_FALSE(http_set.request_id.empty());
  EXPECT_EQ(json::parse(http_set.details),
            (json{{"name", "openai"}, {"replaced", false}, {"origins", {"https://api.openai.com"}}}));
  EXPECT_EQ(json::parse(http_delete.details), (json{{"name", "openai"}}));

  // The operator, on the same tenant's keys with the same store and master key.
  auto out = cli("keys set openai --stdin --origin https://api.openai.com --tenant acme", "sk-faces-0002\n",
                 master_env());
  ASSERT_EQ(out.code, 0) << out.err;
  out = cli("keys delete openai --tenant acme", "", master_env());
  ASSERT_EQ(out.code, 0) << out.err;
  const store::AuditEntry cli_set = last("key.set", "acme");
  const store::AuditEntry cli_delete = last("key.delete", "acme");
  EXPECT_EQ(cli_set.username.rfind("cli:", 0), 0u) << cli_set.username;
  EXPECT_EQ(cli_set.client, "local");
  EXPECT_EQ(cli_set.request_id, "");
  // The rows agree field by field but for who wrote them.
  for (const auto& [http, command] : {std::pair{http_set, cli_set}, std::pair{http_delete, cli_delete}}) {
    EXPECT_EQ(command.action, http.action);
    EXPECT_EQ(command.resource, http.resource);
    EXPECT_EQ(command.tenant, http.tenant);
    EXPECT_EQ(command.details, http.details);
    EXPECT_EQ(command.outcome, http.outcome);
  }
  EXPECT_EQ(rows("key.set", "acme").size(), 2u);
  EXPECT_EQ(rows("key.delete", "acme").size(), 2u);
}

TEST_F(UseCaseFaces, AnAnalystOrViewerIsRefusedKeysAlikeByTheCommandAndTheServer) {
  restart_with_vault_and_queued_jobs();
  for (const std::string user : {"ana", "view"}) {
    SCOPED_TRACE(user);
    const std::string token = login(user);
    auto r = put(token, "/api/v1/keys/openai", json{{"value", "sk-faces-0003"}}.dump());
    EXPECT_EQ(r->status, 403) << r->body;
    EXPECT_EQ(json::parse(r->body)["error"]["code"], "forbidden");
    EXPECT_EQ(del(token, "/api/v1/keys/openai")->status, 403);
    // The command acting as the same user: refused (keel's exit code of forbidden), naming the
    // role and the permission as the server does, and nothing stored.
    auto out = cli("--as " + user + " keys set openai --stdin", "sk-faces-0003\n", master_env());
    EXPECT_EQ(out.code, 4) << out.out;
    EXPECT_NE(out.err.find("role " + std::string(user == "ana" ? "analyst" : "viewer") + " may not"),
              std::string::npos)
        << out.err;
    EXPECT_NE(out.err.find("manage_keys"), std::string::npos) << out.err;
    out = cli("--as " + user + " keys delete openai", "", master_env());
    EXPECT_EQ(out.code, 4) << out.err;
  }
  EXPECT_TRUE(rows("key.set", "acme").empty());
  EXPECT_TRUE(rows("key.delete", "acme").empty());
  // Every refusal is audited as auth.forbidden in the user's tenant, naming the permission.
  const auto refusals = rows("auth.forbidden", "acme");
  ASSERT_EQ(refusals.size(), 8u);
  for (const auto& e : refusals) {
    EXPECT_EQ(e.outcome, "denied");
    EXPECT_EQ(json::parse(e.details)["permission"], "manage_keys") << e.details;
  }
}

TEST_F(UseCaseFaces, CancellingAJobLeavesTheSameAuditRowFromTheCommandAndTheServer) {
  restart_with_vault_and_queued_jobs();
  const std::string mgr = login("mgr");
  const auto by_http = queued_job(mgr);
  const auto by_command = queued_job(mgr);
  auto r = post(mgr, "/api/v1/jobs/" + std::to_string(by_http) + "/cancel", "");
  ASSERT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(json::parse(r->body)["status"], "cancelled");
  const store::AuditEntry http = last("job.cancel", "acme");
  EXPECT_EQ(http.username, "mgr");
  EXPECT_EQ(http.resource, "job/" + std::to_string(by_http));
  EXPECT_EQ(json::parse(http.details), (json{{"kind", "batch.var"}}));

  // The command lists and cancels the tenant's jobs.
  auto out = cli("job list --tenant acme");
  ASSERT_EQ(out.code, 0) << out.err;
  EXPECT_EQ(json::parse(out.out)["items"].size(), 2u);
  out = cli("job cancel " + std::to_string(by_command) + " --tenant acme");
  ASSERT_EQ(out.code, 0) << out.err;
  EXPECT_EQ(json::parse(out.out)["status"], "cancelled");
  const store::AuditEntry command = last("job.cancel", "acme");
  EXPECT_EQ(command.username.rfind("cli:", 0), 0u) << command.username;
  EXPECT_EQ(command.client, "local");
  EXPECT_EQ(command.resource, "job/" + std::to_string(by_command));
  EXPECT_EQ(command.tenant, http.tenant);
  EXPECT_EQ(comparable(command), comparable(http));

  // Both faces: a finished job is a conflict, another tenant's job is not found.
  EXPECT_EQ(post(mgr, "/api/v1/jobs/" + std::to_string(by_command) + "/cancel", "")->status, 409);
  EXPECT_EQ(cli("job cancel " + std::to_string(by_http) + " --tenant acme").code, 1);
  EXPECT_EQ(cli("job cancel " + std::to_string(by_http)).code, 3);  // the operator's own tenant has none
  EXPECT_EQ(rows("job.cancel", "acme").size(), 2u);
}

TEST_F(UseCaseFaces, AViewerIsRefusedACancelAlikeByTheCommandAndTheServer) {
  restart_with_vault_and_queued_jobs();
  const auto id = queued_job(login("mgr"));
  const std::string path = "/api/v1/jobs/" + std::to_string(id) + "/cancel";
  auto r = post(login("view"), path, "");
  EXPECT_EQ(r->status, 403) << r->body;
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "forbidden");
  EXPECT_NE(json::parse(r->body)["error"]["message"].get<std::string>().find("role viewer may not"), std::string::npos);
  const auto out = cli("--as view job cancel " + std::to_string(id));
  EXPECT_EQ(out.code, 4) << out.out;
  EXPECT_NE(out.err.find("role viewer may not cancel jobs: it needs the permission compute"), std::string::npos)
      << out.err;
  // Nothing was cancelled; both refusals are audited in the viewer's tenant, naming the permission.
  EXPECT_EQ(open_store(db_)->jobs().find(id)->status, store::JobStatus::kQueued);
  EXPECT_TRUE(rows("job.cancel", "acme").empty());
  const auto refusals = rows("auth.forbidden", "acme");
  ASSERT_EQ(refusals.size(), 2u);
  for (const auto& e : refusals) {
    EXPECT_EQ(e.outcome, "denied");
    EXPECT_EQ(json::parse(e.details)["permission"], "compute") << e.details;
  }
  EXPECT_EQ(refusals[0].username.rfind("cli:", 0), 0u);
  EXPECT_NE(refusals[0].username.find(" as view"), std::string::npos) << refusals[0].username;
  EXPECT_EQ(refusals[1].username, "view");
}

}  // namespace
}  // namespace keel::server::testing
