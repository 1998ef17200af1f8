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
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

class UseCaseFaces : public ServerFixture {
 protected:
  ::keel::testing::CliResult cli(const std::string& args) {
    return ::keel::testing::run_keel("--db " + db_ + " --quiet --format json " + args);
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

  // The analyst may store deals but not delete them (manage_portfolios): refused by the route;
  // the operator deletes its own.
  const auto id = json::parse(r->body)["deal"]["id"].get<std::int64_t>();
  EXPECT_EQ(del(ana, "/api/v1/clo/deals/" + std::to_string(id))->status, 403);
  const auto gone = cli("clo deal delete \"Small worked deal\"");
  ASSERT_EQ(gone.code, 0) << gone.err;
  EXPECT_EQ(json::parse(gone.out)["deleted"], "Small worked deal");
  EXPECT_EQ(json::parse(last("clo_deal.delete", "default").details)["versions"], 1);
}

}  // namespace
}  // namespace keel::server::testing
