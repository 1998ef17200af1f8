// Users, jobs and the audit log in the SQLite store (migration 5).
#include <gtest/gtest.h>

#include "keel/core/error.h"
#include "keel/store/audit_repository.h"
#include "keel/store/job_repository.h"
#include "keel/store/store.h"
#include "keel/store/user_repository.h"

namespace keel::store {
namespace {

TEST(UserRepository, AddFindListAndConflicts) {
  auto s = open_store(":memory:");
  UserRepository& users = s->users();
  const auto a = users.add("alice", "acme", Role::kAnalyst, "$argon2id$fake");
  EXPECT_EQ(a.username, "alice");
  EXPECT_EQ(a.tenant, "acme");
  EXPECT_EQ(a.role, Role::kAnalyst);
  EXPECT_FALSE(a.disabled);
  users.add("bob", "globex", Role::kViewer, "$argon2id$fake");
  EXPECT_THROW(users.add("alice", "globex", Role::kAdmin, "x"), Error);
  EXPECT_EQ(users.list(std::nullopt).size(), 2u);
  ASSERT_EQ(users.list(std::string("acme")).size(), 1u);
  EXPECT_EQ(users.find_id(a.id)->username, "alice");
  EXPECT_FALSE(users.find("carol"));
  EXPECT_EQ(users.count(), 2u);
}

// Names are unique per tenant; a name signed in by alone is unique among such users across
// tenants (migration 87).
TEST(UserRepository, NamesAreUniquePerTenantAndANameSignedInByAloneAcrossTenants) {
  auto s = open_store(":memory:");
  UserRepository& users = s->users();
  const auto a = users.add("alice", "acme", Role::kAnalyst, "h");
  EXPECT_TRUE(a.sign_in_by_name);
  const auto g = users.add("alice", "globex", Role::kViewer, "h", /*sign_in_by_name=*/false);
  EXPECT_FALSE(g.sign_in_by_name);
  EXPECT_NE(a.id, g.id);
  EXPECT_THROW(users.add("alice", "globex", Role::kViewer, "h", false), Error);  // the same tenant
  EXPECT_EQ(users.find("alice")->id, a.id);  // the one signing in by the name
  EXPECT_EQ(users.find("alice", "globex")->id, g.id);
  EXPECT_FALSE(users.find("alice", "initech"));
  EXPECT_EQ(users.find_signed_in_by_name("alice")->id, a.id);

  users.add("carl", "acme", Role::kViewer, "h", false);
  const auto c2 = users.add("carl", "globex", Role::kViewer, "h", false);
  EXPECT_FALSE(users.find_signed_in_by_name("carl"));
  EXPECT_THROW((void)users.find("carl"), Error);  // two tenants have one, none signs in by it: name the tenant
  users.set_disabled(c2.id, true);
  EXPECT_TRUE(users.find("carl", "globex")->disabled);
  EXPECT_FALSE(users.find("carl", "acme")->disabled);
  // A name only users signing in with their tenant have is free for one signing in by it.
  EXPECT_TRUE(users.add("carl", "initech", Role::kViewer, "h").sign_in_by_name);
  EXPECT_EQ(users.find("carl")->tenant, "initech");
}

TEST(UserRepository, ChangesBumpTheTokenVersion) {
  auto s = open_store(":memory:");
  UserRepository& users = s->users();
  const auto a = users.add("alice", "acme", Role::kAnalyst, "h1");
  users.set_password("alice", "h2");
  EXPECT_EQ(users.find("alice")->token_version, a.token_version + 1);
  EXPECT_EQ(users.find("alice")->password_hash, "h2");
  users.set_disabled("alice", true);
  EXPECT_TRUE(users.find("alice")->disabled);
  users.set_role("alice", Role::kManager);
  EXPECT_EQ(users.find("alice")->role, Role::kManager);
  EXPECT_EQ(users.find("alice")->token_version, a.token_version + 3);
  EXPECT_THROW(users.set_disabled("nobody", true), Error);
}

TEST(Roles, NamesRoundTrip) {
  for (auto r : {Role::kAdmin, Role::kManager, Role::kAnalyst, Role::kViewer}) {
    EXPECT_EQ(parse_role(role_name(r)), r);
  }
  EXPECT_FALSE(parse_role("root"));
}

TEST(AuditRepository, AppendOnlyNewestFirstAndFiltered) {
  auto s = open_store(":memory:");
  AuditRepository& audit = s->audit();
  AuditEntry e;
  e.username = "alice";
  e.tenant = "acme";
  e.action = "portfolio.create";
  e.resource = "portfolio/1";
  const auto id1 = audit.append(e);
  e.action = "portfolio.delete";
  e.tenant = "globex";
  const auto id2 = audit.append(e);
  EXPECT_LT(id1, id2);
  const auto all = audit.list({});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, id2);
  EXPECT_FALSE(all[0].at.empty());
  AuditQuery q;
  q.tenant = "acme";
  EXPECT_EQ(audit.list(q).size(), 1u);
  q = {};
  q.before_id = id2;
  ASSERT_EQ(audit.list(q).size(), 1u);
  EXPECT_EQ(audit.list(q)[0].id, id1);
  // The triggers that refuse to rewrite history are tested in tests/store (repositories_test.cpp).
  EXPECT_EQ(audit.list({}).size(), 2u);
}

// The job queue's contract (leases, fencing, retries, shards, cancellation) is tested on both
// backends in tests/store/job_queue_test.cpp.

}  // namespace
}  // namespace keel::store
