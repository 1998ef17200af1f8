// The bounds of keel/service/storage.h as keel serve applies them: after a question the user's
// own older conversations past their tenant's budget go (a tenant's override, not the default,
// and nothing without limits: the keel command); the periodic sweep deletes the conversations
// untouched past the retention, in every tenant, and the batch snapshots' reports past theirs
// (the day's report then refused naming History, its figures still there); storage_usage is
// refused to an analyst.
#include "keel/service/storage.h"

#include <gtest/gtest.h>

#include <chrono>

#include "keel/core/error.h"
#include "keel/service/admission.h"
#include "keel/service/portfolio_history.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/storage_repository.h"
#include "keel/store/store.h"
#include "../support/store_cache.h"

namespace keel::service {
namespace {

// A conversation of `user` in `tenant` holding one message of `kib` KiB.
std::int64_t conversation(Store& s, const std::string& tenant, const std::string& user, std::size_t kib) {
  auto& repo = s.assistant();
  const auto c = repo.create_conversation(tenant, user, "t");
  store::MessageRow m;
  m.conversation_id = c.id;
  m.role = "user";
  m.content = std::string(kib * 1024, 'x');
  repo.append_message(tenant, m);
  return c.id;
}

Context as(Store& s, const std::string& tenant, const std::string& user, store::Role role,
           const LimitPolicy* limits) {
  Context cx{&s};
  cx.actor.tenant = tenant;
  cx.actor.user = user;
  cx.actor.role = role;
  cx.limits = limits;
  return cx;
}

TEST(StorageBounds, AQuestionHoldsTheTenantsUsersToTheirBudgetWithTheTenantsOverride) {
  keel::testing::TempDb db("storage_budget");
  auto s = open_store(db.path());
  // acme: 1 MiB per user (its override); globex: the default, none.
  LimitPolicy limits;
  limits.tenants.insert(parse_tenant_limit("acme:assistant_mb=1", limits.defaults));
  const auto a1 = conversation(*s, "acme", "ann", 600);
  const auto a2 = conversation(*s, "acme", "ann", 600);
  const auto a3 = conversation(*s, "acme", "ann", 300);
  const auto b1 = conversation(*s, "acme", "bob", 900);
  const auto g1 = conversation(*s, "globex", "ann", 600);
  const auto g2 = conversation(*s, "globex", "ann", 600);

  // The keel command (no limits) holds nothing.
  EXPECT_EQ(hold_assistant_budget(as(*s, "acme", "ann", store::Role::kAnalyst, nullptr)), 0u);
  // Newest first, ann's 300 + 600 KiB fit in 1,024 KiB; her first 600 does not.
  EXPECT_EQ(hold_assistant_budget(as(*s, "acme", "ann", store::Role::kAnalyst, &limits)), 1u);
  auto& repo = s->assistant();
  EXPECT_FALSE(repo.find_conversation("acme", "ann", a1));
  EXPECT_TRUE(repo.find_conversation("acme", "ann", a2));
  EXPECT_TRUE(repo.find_conversation("acme", "ann", a3));
  EXPECT_TRUE(repo.find_conversation("acme", "bob", b1));
  EXPECT_EQ(hold_assistant_budget(as(*s, "globex", "ann", store::Role::kAnalyst, &limits)), 0u);
  EXPECT_TRUE(repo.find_conversation("globex", "ann", g1));
  EXPECT_TRUE(repo.find_conversation("globex", "ann", g2));
}

TEST(StorageBounds, TheSweepDeletesConversationsUntouchedPastTheRetentionInEveryTenant) {
  keel::testing::TempDb db("storage_sweep");
  auto s = open_store(db.path());
  conversation(*s, "acme", "ann", 1);
  conversation(*s, "globex", "bob", 1);
  const LimitPolicy limits;
  const Context cx = as(*s, "default", "keel", store::Role::kAdmin, &limits);
  const double now = static_cast<double>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  StorageSettings settings;
  settings.job_retention_days = 0;
  settings.assistant_retention_days = 30;
  // Made just now: kept today and in 29 days, gone in 31.
  EXPECT_EQ(sweep_storage(cx, settings, now).conversations_expired, 0u);
  EXPECT_EQ(sweep_storage(cx, settings, now + 29 * 86400.0).conversations_expired, 0u);
  const auto swept = sweep_storage(cx, settings, now + 31 * 86400.0);
  EXPECT_EQ(swept.conversations_expired, 2u);
  EXPECT_EQ(swept.conversations_evicted, 0u);
  EXPECT_TRUE(s->storage().assistant_tenants().empty());
  // Without a retention nothing goes, whenever it runs.
  conversation(*s, "acme", "ann", 1);
  settings.assistant_retention_days = 0;
  EXPECT_EQ(sweep_storage(cx, settings, now + 3650 * 86400.0).conversations_expired, 0u);
}

TEST(StorageBounds, TheSweepDropsSnapshotReportsPastTheRetentionAndTheHistoryKeepsTheFigures) {
  keel::testing::TempDb db("storage_snapshots");
  auto s = open_store(db.path());
  s->save_portfolio("acme", "book", {}, "test");
  store::PortfolioSnapshot snap;
  snap.tenant = "acme";
  snap.portfolio = "book";
  snap.as_of = Date::from_ymd(2026, 3, 31);
  snap.net_value_amount = 1250.5;
  snap.report_json = R"({"schema":"keel.report/1","as_of":"2026-03-31"})";
  s->snapshots().save(snap);
  const Context reader = as(*s, "acme", "ann", store::Role::kViewer, nullptr);
  EXPECT_EQ(snapshot_report(reader, "book", snap.as_of), snap.report_json);
  try {
    snapshot_report(reader, "book", Date::from_ymd(2026, 3, 30));
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_EQ(std::string(e.what()), "no snapshot of book on 2026-03-30: History lists the days the batch stored");
  }

  const Context cx = as(*s, "default", "keel", store::Role::kAdmin, nullptr);
  const double now = static_cast<double>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  StorageSettings settings;
  settings.job_retention_days = 0;
  settings.snapshot_report_retention_days = 90;
  // Written just now: kept in 89 days, dropped in 91.
  EXPECT_EQ(sweep_storage(cx, settings, now + 89 * 86400.0).snapshot_reports_dropped, 0u);
  EXPECT_EQ(sweep_storage(cx, settings, now + 91 * 86400.0).snapshot_reports_dropped, 1u);
  try {
    snapshot_report(reader, "book", snap.as_of);
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("is no longer kept"), std::string::npos) << e.what();
  }
  PortfolioHistoryRequest hreq;
  hreq.portfolio = "book";
  const auto history = portfolio_history(reader, hreq);
  ASSERT_EQ(history.points.size(), 1u);
  EXPECT_FALSE(history.points[0].report_kept);
  EXPECT_EQ(*history.points[0].net_value_amount, 1250.5);
}

TEST(StorageBounds, OnlyAdministratorsAndManagersReadTheFigures) {
  keel::testing::TempDb db("storage_read");
  auto s = open_store(db.path());
  conversation(*s, "acme", "ann", 2);
  EXPECT_THROW(storage_usage(as(*s, "acme", "ann", store::Role::kAnalyst, nullptr), {}), Error);
  const auto usage = storage_usage(as(*s, "acme", "mgr", store::Role::kManager, nullptr), {});
  EXPECT_EQ(usage.tenant, "acme");
  ASSERT_FALSE(usage.areas.empty());
  EXPECT_EQ(usage.areas.front().area, "assistant");
  EXPECT_EQ(usage.areas.front().owner, "ann");
  EXPECT_EQ(usage.whatif_sessions_per_user, 0);  // no limits: no quota
}

}  // namespace
}  // namespace keel::service
