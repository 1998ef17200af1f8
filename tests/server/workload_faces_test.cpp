// The workloads' use cases from both faces: tags, what-if modelling sessions, the ledger and ALM
// sessions. The keel command (run as the machine's operator, in the default tenant) and keel
// serve's routes (as the signed-in user, in acme) call the same use cases, which check the
// permission and write the audit row themselves: the same action leaves the same row (action, kind
// of resource, details, outcome; the user, tenant, client and ids are each face's own), and a
// viewer is refused alike — by the route's gate over HTTP, and by the use case itself for any
// other face, each refusal audited as auth.forbidden naming the same permission.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../support/cli_runner.h"
#include "keel/core/error.h"
#include "keel/service/ledger_accounts.h"
#include "keel/service/tags.h"
#include "keel/service/whatif_sessions.h"
#include "keel/store/audit_repository.h"
#include "keel/store/tag_repository.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

class WorkloadFaces : public ServerFixture {
 protected:
  ::keel::testing::CliResult cli(const std::string& args) {
    return ::keel::testing::run_keel("--db " + db_ + " --quiet --format json " + args);
  }
  // The keel command's JSON answer to `args`; a failure names the command and its stderr.
  json cli_json(const std::string& args) {
    const auto r = cli(args);
    EXPECT_EQ(r.code, 0) << "keel " << args << ": " << r.err;
    return r.code == 0 ? json::parse(r.out) : json::object();
  }
  // A file of `text` beside the store, removed with it.
  std::string file(const std::string& suffix, const std::string& text) {
    const std::string path = db_ + suffix;
    std::ofstream(path) << text;
    files_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const auto& f : files_) std::filesystem::remove(f);
    ServerFixture::TearDown();
  }
  // The rows of `action` in `tenant`, oldest first.
  std::vector<store::AuditEntry> rows(const std::string& action, const std::string& tenant) {
    auto s = open_store(db_);
    store::AuditQuery q;
    q.action = action;
    q.tenant = tenant;
    auto out = s->audit().list(q);
    std::reverse(out.begin(), out.end());
    return out;
  }
  store::AuditEntry last(const std::string& action, const std::string& tenant) {
    const auto all = rows(action, tenant);
    if (all.empty()) ADD_FAILURE() << "no " << action << " row in tenant " << tenant;
    return all.empty() ? store::AuditEntry{} : all.back();
  }
  // What must agree between faces (keys listed in `own` are ids of each face's own rows, left out).
  static json comparable(const store::AuditEntry& e, std::initializer_list<const char*> own = {}) {
    json details = json::parse(e.details);
    for (const char* k : own) details.erase(k);
    return {{"action", e.action},
            {"resource", e.resource.substr(0, e.resource.find('/'))},
            {"details", details},
            {"outcome", e.outcome}};
  }
  // Both faces' newest row of `action`: the same, the server's by `http_user` from 127.0.0.1, the
  // command's by the operator from "local".
  void expect_same_row(const std::string& action, const std::string& http_user,
                       std::initializer_list<const char*> own = {}) {
    SCOPED_TRACE(action);
    const auto http = last(action, "acme");
    const auto local = last(action, "default");
    EXPECT_EQ(comparable(http, own), comparable(local, own));
    EXPECT_EQ(http.username, http_user);
    EXPECT_EQ(http.client, "127.0.0.1");
    EXPECT_EQ(local.username.rfind("cli:", 0), 0u) << local.username;
    EXPECT_EQ(local.client, "local");
  }
  // A viewer of acme acting on the server's store through any face but HTTP: the use case's own
  // refusal.
  service::Context viewer(Store& s) {
    service::Context cx{&s};
    cx.actor.user = "view";
    cx.actor.tenant = "acme";
    cx.actor.role = store::Role::kViewer;
    return cx;
  }
  // The HTTP refusal and the use case's: both forbidden with the same message (the route declares
  // its use case), and both audited as auth.forbidden with the permission.
  template <class Act>
  void expect_same_refusal(const HttpResult& http, const std::string& message, const std::string& permission,
                           Act act) {
    ASSERT_TRUE(http);
    EXPECT_EQ(http->status, 403) << http->body;
    EXPECT_EQ(body(http)["error"]["code"], "forbidden");
    EXPECT_EQ(body(http)["error"]["message"], message) << http->body;
    const std::size_t before = rows("auth.forbidden", "acme").size();
    auto s = open_store(db_);
    try {
      act(viewer(*s));
      ADD_FAILURE() << "a viewer was let through: " << message;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kForbidden);
      EXPECT_EQ(std::string(e.what()), message);
    }
    const auto denied = rows("auth.forbidden", "acme");
    ASSERT_EQ(denied.size(), before + 1);
    EXPECT_EQ(denied.back().username, "view");
    EXPECT_EQ(denied.back().outcome, "denied");
    EXPECT_EQ(json::parse(denied.back().details)["permission"], permission);
    EXPECT_EQ(json::parse(denied[denied.size() - 2].details)["permission"], permission);  // the route's
  }

  std::vector<std::string> files_;
};

TEST_F(WorkloadFaces, TagsLeaveTheSameAuditRowsFromTheCommandAndTheServerAndAViewerIsRefusedAlike) {
  const std::string mgr = login("mgr");
  const auto id = create_portfolio(mgr, "book");
  const std::string p = "/api/v1/portfolios/" + std::to_string(id);
  ASSERT_EQ(post(mgr, p + "/positions", "symbol,quantity\nAAA,1\nBBB,2\n", "text/csv")->status, 200);
  ASSERT_EQ(post(mgr, "/api/v1/tags", R"({"name":"hedge","description":"puts"})")->status, 201);
  ASSERT_EQ(post(mgr, p + "/positions/tags", R"({"symbols":["AAA","BBB"],"tag":"hedge"})")->status, 200);
  ASSERT_EQ(del(mgr, p + "/positions/tags", R"({"symbols":["BBB"],"tag":"hedge"})")->status, 200);
  ASSERT_EQ(put(mgr, p + "/positions/strategy", R"({"symbols":["AAA"],"strategy":"carry"})")->status, 200);
  ASSERT_EQ(del(mgr, "/api/v1/tags/hedge")->status, 200);

  cli_json("portfolio create book");
  cli_json("import positions " + file(".positions.csv", "symbol,quantity\nAAA,1\nBBB,2\n") + " --portfolio book");
  cli_json("tag add hedge --description puts");
  EXPECT_EQ(cli_json("tag attach hedge -p book --symbols AAA,BBB")["positions_changed"], 2);
  cli_json("tag attach hedge -p book --symbols BBB --detach");
  EXPECT_EQ(cli_json("tag delete hedge")["positions_changed"], 1);

  for (const char* action : {"tag.create", "tag.attach", "tag.detach", "tag.delete"}) expect_same_row(action, "mgr");
  EXPECT_EQ(last("tag.attach", "acme").resource, "portfolio/" + std::to_string(id));
  EXPECT_EQ(last("tag.create", "default").resource, "tag/hedge");
  EXPECT_EQ(json::parse(last("tag.delete", "default").details), (json{{"name", "hedge"}, {"positions", 1}}));
  // No strategy command: the use case is the route's alone, and writes its row.
  EXPECT_EQ(json::parse(last("strategy.set", "acme").details),
            (json{{"strategy", "carry"}, {"symbols", {"AAA"}}, {"positions", 1}}));

  // A viewer may read the registry but not change it.
  const std::string view = login("view");
  EXPECT_EQ(get(view, "/api/v1/tags")->status, 200);
  expect_same_refusal(post(view, "/api/v1/tags", R"({"name":"x"})"),
                      "role viewer may not register tags: it needs the permission manage_portfolios",
                      "manage_portfolios", [](const service::Context& cx) { service::create_tag(cx, {"x", ""}); });
  expect_same_refusal(post(view, p + "/positions/tags", R"({"symbols":["AAA"],"tag":"x"})"),
                      "role viewer may not attach tags to positions: it needs the permission import_positions",
                      "import_positions", [](const service::Context& cx) {
                        service::TagPositionsRequest req;
                        req.portfolio = "book";
                        req.symbols = {"AAA"};
                        req.tag = "x";
                        service::tag_positions(cx, req);
                      });
  auto s = open_store(db_);
  EXPECT_TRUE(s->tags().list("acme").empty());
}

TEST_F(WorkloadFaces, ModellingSessionsLeaveTheSameAuditRowsFromTheCommandAndTheServer) {
  import_synthetic_prices();
  const std::string ana = login("ana");
  const std::string mgr = login("mgr");
  const auto pid = create_portfolio(mgr, "book");
  ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(pid) + "/positions", "symbol,quantity\nAAA,100\nBBB,50\n",
                 "text/csv")
                ->status,
            200);
  auto r = post(ana, "/api/v1/portfolios/" + std::to_string(pid) + "/sessions", R"({"name":"trim"})");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string s = "/api/v1/sessions/" + std::to_string(body(r)["id"].get<std::int64_t>());
  EXPECT_EQ(body(r)["owner"], "ana");
  ASSERT_EQ(post(ana, s + "/trades", "symbol,quantity\nAAA,-10\nBBB,5\n", "text/csv")->status, 201);
  ASSERT_EQ(del(ana, s + "/trades/2")->status, 200);
  r = post(ana, s + "/calculate", "{}");
  ASSERT_EQ(r->status, 200) << r->body;
  const json http_change = body(r)["change"];
  ASSERT_EQ(post(mgr, s + "/save", R"({"name":"trimmed"})")->status, 201);
  ASSERT_EQ(del(ana, s)->status, 200);

  cli_json("portfolio create book");
  cli_json("import positions " + file(".positions.csv", "symbol,quantity\nAAA,100\nBBB,50\n") + " --portfolio book");
  const json created = cli_json("session create book trim");
  const std::string sid = std::to_string(created.value("id", 0));
  EXPECT_EQ(created["owner"].get<std::string>().rfind("cli:", 0), 0u);
  EXPECT_EQ(cli_json("session add-trades " + sid + " " + file(".trades.csv", "symbol,quantity\nAAA,-10\nBBB,5\n"))
                ["added"]
                .size(),
            2u);
  cli_json("session delete-trade " + sid + " 2");
  EXPECT_EQ(cli_json("session show " + sid)["trade_count"], 1);
  // The same trades on the same book and prices: the same figures.
  EXPECT_EQ(cli_json("session calculate " + sid)["change"], http_change);
  EXPECT_EQ(cli_json("session save " + sid + " trimmed")["positions"], 2);
  cli_json("session delete " + sid);
  EXPECT_EQ(cli_json("session list")["items"].size(), 0u);

  expect_same_row("session.create", "ana", {"portfolio_id"});
  expect_same_row("session.trades.add", "ana");
  expect_same_row("session.trade.delete", "ana");
  expect_same_row("session.save", "mgr", {"portfolio_id"});
  expect_same_row("session.delete", "ana");
  EXPECT_EQ(json::parse(last("session.create", "acme").details)["portfolio_id"], pid);
  EXPECT_EQ(json::parse(last("session.create", "default").details)["portfolio_id"], created["portfolio_id"]);
  EXPECT_EQ(last("session.delete", "default").resource, "session/" + sid);
  EXPECT_EQ(json::parse(last("session.save", "default").details)["trades"], 1);

  // A viewer reads sessions but opens none.
  const std::string view = login("view");
  EXPECT_EQ(get(view, "/api/v1/sessions")->status, 200);
  expect_same_refusal(post(view, "/api/v1/portfolios/" + std::to_string(pid) + "/sessions", R"({"name":"v"})"),
                      "role viewer may not open modelling sessions: it needs the permission compute", "compute",
                      [](const service::Context& cx) { service::create_modelling_session(cx, "book", {"v"}); });
}

TEST_F(WorkloadFaces, LedgerChangesLeaveTheSameAuditRowsFromTheCommandAndTheServer) {
  const std::string mgr = login("mgr");
  const std::string csv = "date,type,symbol,quantity,price,fees,amount\n2020-01-02,DEPOSIT,,,,,1000.00\n"
                          "2020-01-03,BUY,AAA,5,100,0,\n";
  auto r = post(mgr, "/api/v1/accounts", R"({"name":"brokerage","method":"fifo"})");
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string a = "/api/v1/accounts/" + std::to_string(body(r)["id"].get<std::int64_t>());
  r = post(mgr, a + "/transactions", csv, "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  // A dry run stores nothing and writes no row.
  ASSERT_EQ(post(mgr, a + "/transactions?dry_run=true", csv, "text/csv")->status, 200);
  ASSERT_EQ(del(mgr, a)->status, 200);

  cli_json("account create brokerage");
  const std::string tx = file(".tx.csv", csv);
  EXPECT_EQ(cli_json("import transactions " + tx + " --account brokerage")["rows"], 2);
  EXPECT_EQ(cli_json("import transactions " + tx + " --account brokerage --dry-run")["rows"], 0);
  EXPECT_EQ(cli_json("account delete brokerage")["transactions"], 2);

  expect_same_row("account.create", "mgr");
  expect_same_row("transactions.import", "mgr");
  expect_same_row("account.delete", "mgr");
  EXPECT_EQ(rows("transactions.import", "acme").size(), 1u);
  EXPECT_EQ(rows("transactions.import", "default").size(), 1u);
  EXPECT_EQ(json::parse(last("transactions.import", "default").details),
            (json{{"name", "brokerage"}, {"rows", 2}, {"duplicates", 0}, {"replaced", false}}));

  const std::string view = login("view");
  EXPECT_EQ(get(view, "/api/v1/accounts")->status, 200);
  expect_same_refusal(post(view, "/api/v1/accounts", R"({"name":"v"})"),
                      "role viewer may not create accounts: it needs the permission manage_portfolios",
                      "manage_portfolios", [](const service::Context& cx) {
                        service::AccountCreateRequest req;
                        req.name = "v";
                        service::create_account(cx, req);
                      });
}

}  // namespace
}  // namespace keel::server::testing
