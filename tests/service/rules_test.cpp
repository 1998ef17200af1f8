// The rules the use cases apply themselves (keel/service/rules.h): the role matrix of
// docs/security.md, a refusal before anything changes (audited), and the audit row each change
// writes for whoever acts — the same whatever face called.
#include "keel/service/rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>

#include "keel/core/error.h"
#include "keel/service/clo_deals.h"
#include "keel/service/imports.h"
#include "keel/service/jobs.h"
#include "keel/service/keys.h"
#include "keel/service/portfolio_view.h"
#include "keel/store/audit_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using store::Role;

Actor actor(const std::string& user, Role role, const std::string& tenant = "default") {
  Actor a;
  a.user = user;
  a.tenant = tenant;
  a.role = role;
  a.client = "203.0.113.7";
  a.request_id = "req-" + user;
  return a;
}

Context as(Store& s, const Actor& a) {
  Context cx{&s};
  cx.actor = a;
  return cx;
}

std::vector<store::AuditEntry> audit_log(Store& s) {
  store::AuditQuery q;
  auto rows = s.audit().list(q);
  std::reverse(rows.begin(), rows.end());  // oldest first
  return rows;
}

// docs/security.md, "Roles and permissions", written out: ✓ per role.
TEST(Rules, TheRoleMatrixOfTheSecurityDocs) {
  struct Row {
    Permission p;
    bool admin, manager, analyst, viewer;
  };
  const Row rows[] = {
      {Permission::kRead, true, true, true, true},
      {Permission::kCompute, true, true, true, false},
      {Permission::kImportPositions, true, true, true, false},
      {Permission::kManagePortfolios, true, true, false, false},
      {Permission::kManageUsers, true, true, false, false},
      {Permission::kImportMarketData, true, false, false, false},
      {Permission::kReadAudit, true, false, false, false},
      {Permission::kManageKeys, true, false, false, false},
  };
  ASSERT_EQ(std::size(rows), kAllPermissions.size());
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(permission_name(r.p)));
    EXPECT_EQ(role_allows(Role::kAdmin, r.p), r.admin);
    EXPECT_EQ(role_allows(Role::kManager, r.p), r.manager);
    EXPECT_EQ(role_allows(Role::kAnalyst, r.p), r.analyst);
    EXPECT_EQ(role_allows(Role::kViewer, r.p), r.viewer);
  }
}

TEST(Rules, AUseCaseWritesItsAuditRowForItsActor) {
  auto s = open_store(":memory:");
  const Actor alice = actor("alice", Role::kManager, "acme");
  const PortfolioRecord p = create_portfolio(as(*s, alice), {"desk a"});
  EXPECT_EQ(p.tenant, "acme");
  import_positions(as(*s, alice), {{"p.csv", std::string("symbol,quantity\nAAA,10\nBBB,-5\n")}, "desk a", std::nullopt, std::nullopt});
  const PortfolioDeleted d = delete_portfolio(as(*s, alice), "desk a");
  EXPECT_EQ(d.id, p.id);

  const auto rows = audit_log(*s);
  ASSERT_EQ(rows.size(), 3u);
  const std::string resource = "portfolio/" + std::to_string(p.id);
  EXPECT_EQ(rows[0].action, "portfolio.create");
  EXPECT_EQ(nlohmann::json::parse(rows[0].details), (nlohmann::json{{"name", "desk a"}}));
  EXPECT_EQ(rows[1].action, "positions.import");
  EXPECT_EQ(nlohmann::json::parse(rows[1].details), (nlohmann::json{{"rows", 2}, {"name", "desk a"}}));
  EXPECT_EQ(rows[2].action, "portfolio.delete");
  EXPECT_EQ(nlohmann::json::parse(rows[2].details), (nlohmann::json{{"name", "desk a"}, {"positions", 2}}));
  for (const auto& r : rows) {
    EXPECT_EQ(r.resource, resource);
    EXPECT_EQ(r.username, "alice");
    EXPECT_EQ(r.tenant, "acme");
    EXPECT_EQ(r.outcome, "ok");
    EXPECT_EQ(r.client, "203.0.113.7");
    EXPECT_EQ(r.request_id, "req-alice");
  }
}

TEST(Rules, ARoleThatMayNotActIsRefusedBeforeAnythingChangesAndTheRefusalIsAudited) {
  auto s = open_store(":memory:");
  create_portfolio(as(*s, actor("mgr", Role::kManager)), {"book"});
  const Actor viewer = actor("vic", Role::kViewer);
  try {
    delete_portfolio(as(*s, viewer), "book");
    FAIL() << "a viewer deleted a portfolio";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_STREQ(e.what(), "role viewer may not delete portfolios: it needs the permission manage_portfolios");
  }
  EXPECT_TRUE(s->find_portfolio("default", "book").has_value());
  // An analyst imports positions but may not import prices (market data is an administrator's).
  const Actor analyst = actor("ann", Role::kAnalyst);
  EXPECT_NO_THROW(import_positions(as(*s, analyst), {{"p.csv", std::string("symbol,quantity\nAAA,1\n")}, "book", std::nullopt, std::nullopt}));
  EXPECT_THROW(import_prices(as(*s, analyst), {{"p.csv", std::string("date,symbol,close\n2017-01-03,AAA,1\n")}}),
               Error);
  EXPECT_FALSE(s->last_price_date().has_value());

  const auto rows = audit_log(*s);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].action, "auth.forbidden");
  EXPECT_EQ(rows[1].username, "vic");
  EXPECT_EQ(rows[1].outcome, "denied");
  EXPECT_EQ(rows[1].resource, "portfolio/book");
  EXPECT_EQ(nlohmann::json::parse(rows[1].details),
            (nlohmann::json{{"permission", "manage_portfolios"}, {"use_case", "portfolio.delete"}, {"role", "viewer"}}));
  EXPECT_EQ(rows[2].action, "positions.import");
  EXPECT_EQ(rows[3].action, "auth.forbidden");
  EXPECT_EQ(nlohmann::json::parse(rows[3].details)["permission"], "import_market_data");
}

TEST(Rules, AnActorActsInItsOwnTenantOnly) {
  auto s = open_store(":memory:");
  create_portfolio(as(*s, actor("a", Role::kManager, "acme")), {"book"});
  // Another tenant's manager finds no such portfolio, and creating one of the same name is its own.
  EXPECT_THROW(delete_portfolio(as(*s, actor("g", Role::kManager, "globex")), "book"), Error);
  EXPECT_NO_THROW(create_portfolio(as(*s, actor("g", Role::kManager, "globex")), {"book"}));
  EXPECT_TRUE(s->find_portfolio("acme", "book").has_value());
  EXPECT_TRUE(s->find_portfolio("globex", "book").has_value());
}

TEST(Rules, AJobIsCancelledByItsTenantsAnalystsAndAudited) {
  auto s = open_store(":memory:");
  const auto id = s->jobs().enqueue("acme", "ann", "batch.var", "{}", 3, 0);
  // A viewer may not; another tenant's analyst finds no such job.
  EXPECT_THROW(cancel_job(as(*s, actor("vic", Role::kViewer, "acme")), id), Error);
  try {
    cancel_job(as(*s, actor("gil", Role::kAnalyst, "globex")), id);
    FAIL() << "cancelled another tenant's job";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  EXPECT_EQ(s->jobs().find(id)->status, store::JobStatus::kQueued);
  const JobView job = cancel_job(as(*s, actor("ann", Role::kAnalyst, "acme")), id);
  EXPECT_EQ(job.status, store::JobStatus::kCancelled);
  EXPECT_EQ(list_jobs(as(*s, actor("vic", Role::kViewer, "acme")), {}).size(), 1u);
  EXPECT_TRUE(list_jobs(as(*s, actor("gil", Role::kAnalyst, "globex")), {}).empty());

  const auto rows = audit_log(*s);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].action, "auth.forbidden");
  EXPECT_EQ(nlohmann::json::parse(rows[0].details)["use_case"], "job.cancel");
  EXPECT_EQ(rows[1].action, "job.cancel");
  EXPECT_EQ(rows[1].resource, "job/" + std::to_string(id));
  EXPECT_EQ(rows[1].username, "ann");
  EXPECT_EQ(nlohmann::json::parse(rows[1].details), (nlohmann::json{{"kind", "batch.var"}}));
}

TEST(Rules, OnlyAnAdministratorManagesKeysAndTheRefusalComesFirst) {
  auto s = open_store(":memory:");
  // No vault in the Context: a role that may not act is refused before the vault is needed.
  for (const Role role : {Role::kManager, Role::kAnalyst, Role::kViewer}) {
    const Context cx = as(*s, actor("m", role, "acme"));
    KeySetRequest set;
    set.name = "openai";
    set.value = "sk-0001";
    for (const auto& call : std::vector<std::function<void()>>{[&] { set_key(cx, set); },
                                                               [&] { delete_key(cx, "openai"); },
                                                               [&] { list_keys(cx); }}) {
      try {
        call();
        FAIL() << "a " << store::role_name(role) << " managed keys";
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kForbidden);
      }
    }
  }
  const auto rows = audit_log(*s);
  ASSERT_EQ(rows.size(), 9u);
  for (const auto& r : rows) EXPECT_EQ(nlohmann::json::parse(r.details)["permission"], "manage_keys");
  // An admin gets as far as the vault.
  try {
    list_keys(as(*s, actor("root", Role::kAdmin, "acme")));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
  }
}

TEST(Rules, TheOperatorIsAnAdminNamedAfterTheMachinesUser) {
  const Actor op = operator_actor("default");
  EXPECT_EQ(op.role, Role::kAdmin);
  EXPECT_EQ(op.user.rfind("cli:", 0), 0u);
  EXPECT_EQ(op.client, "local");
}

}  // namespace
}  // namespace keel::service
