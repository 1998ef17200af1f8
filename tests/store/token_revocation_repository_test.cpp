// The token revocation journal (keel/store/user_repository.h, migration 70) on every backend:
// account changes append a row for the user, sign-outs a row for one token id, rows come back in
// id order after a given id, every tenant's rows are read, and pruning removes expired rows but
// never the newest, so ids never restart below what a reader has seen.
#include <gtest/gtest.h>

#include <chrono>

#include "backends.h"
#include "keel/core/error.h"
#include "keel/store/store.h"
#include "keel/store/user_repository.h"

namespace keel::store {
namespace {

using namespace std::chrono;

// 2021-03-04 00:00:00 UTC = 1614816000 s since 1970 (18,690 days × 86,400 s).
constexpr std::int64_t kMarch4 = 1614816000;

class FixedAt final : public Clock {
 public:
  system_clock::time_point now() const override { return sys_days{year{2021} / March / 4}; }
};

class TokenRevocationContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, TokenRevocationContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

TEST_P(TokenRevocationContract, AccountChangesAndSignOutsAreJournaledInOrder) {
  FixedAt clock;
  auto s = open_store_under_test(clock);
  UserRepository& users = s->users();
  const auto ann = users.add("ann", "acme", Role::kAnalyst, "h");
  const auto bob = users.add("bob", "globex", Role::kViewer, "h");
  EXPECT_TRUE(users.revocations_since(0, 100).empty());  // adding a user revokes nothing

  users.set_password("ann", "h2");
  users.revoke_token("globex", bob.id, "00112233445566778899aabbccddeeff", kMarch4 + 600);
  users.set_role("bob", Role::kAnalyst);
  users.set_disabled("ann", true);

  const auto rows = users.revocations_since(0, 100);
  ASSERT_EQ(rows.size(), 4u);
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_GT(rows[i].id, rows[i - 1].id);
  EXPECT_EQ(rows[0].user_id, ann.id);
  EXPECT_FALSE(rows[0].jti);
  EXPECT_EQ(rows[0].expires_at, kMarch4 + kAccountChangeRetentionSeconds);
  EXPECT_EQ(rows[1].user_id, bob.id);
  EXPECT_EQ(rows[1].jti, std::optional<std::string>("00112233445566778899aabbccddeeff"));
  EXPECT_EQ(rows[1].expires_at, kMarch4 + 600);
  EXPECT_EQ(rows[2].user_id, bob.id);
  EXPECT_FALSE(rows[2].jti);
  EXPECT_EQ(rows[3].user_id, ann.id);

  const auto after = users.revocations_since(rows[1].id, 100);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].id, rows[2].id);
  EXPECT_EQ(users.revocations_since(rows[0].id, 1).size(), 1u);  // the limit holds
  EXPECT_TRUE(users.revocations_since(rows[3].id, 100).empty());

  // An unknown user changes nothing and journals nothing.
  EXPECT_THROW(users.set_disabled("nobody", true), Error);
  EXPECT_EQ(users.revocations_since(0, 100).size(), 4u);
  EXPECT_THROW(users.revoke_token("acme", ann.id, "", kMarch4 + 600), Error);
}

TEST_P(TokenRevocationContract, PruningDeletesExpiredRowsButNeverTheNewest) {
  FixedAt clock;
  auto s = open_store_under_test(clock);
  UserRepository& users = s->users();
  const auto ann = users.add("ann", "acme", Role::kAnalyst, "h");
  users.revoke_token("acme", ann.id, "00000000000000000000000000000001", kMarch4 + 10);
  users.revoke_token("acme", ann.id, "00000000000000000000000000000002", kMarch4 + 20);
  users.revoke_token("acme", ann.id, "00000000000000000000000000000003", kMarch4 + 30);
  const auto before = users.revocations_since(0, 100);
  ASSERT_EQ(before.size(), 3u);

  EXPECT_EQ(users.prune_revocations(kMarch4 + 25), 2u);  // the first two expired
  auto left = users.revocations_since(0, 100);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, before[2].id);
  EXPECT_EQ(users.prune_revocations(kMarch4 + 1000), 0u);  // expired, but the newest stays
  users.revoke_token("acme", ann.id, "00000000000000000000000000000004", kMarch4 + 40);
  left = users.revocations_since(before[2].id, 100);
  ASSERT_EQ(left.size(), 1u);  // numbered after everything a reader has seen
  EXPECT_GT(left[0].id, before[2].id);
}


// Refresh tokens (migration 95): a row is good once; its reuse deletes the family and journals
// the family's unexpired access tokens; the idle end is capped by the family's end; an account
// change deletes the user's rows. The user names its tenant (a refresh comes with no other).
TEST_P(TokenRevocationContract, RefreshTokensRotateOnceAndAReuseEndsTheFamily) {
  FixedAt clock;
  auto s = open_store_under_test(clock);
  UserRepository& users = s->users();
  const auto bob = users.add("bob", "globex", Role::kViewer, "h");
  const std::string family(32, 'f');
  RefreshTokenRow first;
  first.user_id = bob.id;
  first.family = family;
  first.token_hash = std::string(64, '1');
  first.access_jti = std::string(32, 'a');
  first.access_expires_at = kMarch4 + 900;
  first.issued_at = kMarch4;
  first.expires_at = kMarch4 + 3600;
  first.family_expires_at = kMarch4 + 5000;
  users.add_refresh_token("globex", first);
  EXPECT_EQ(users.live_refresh_families("globex", bob.id, kMarch4), 1u);

  RefreshTokenRow next;
  next.token_hash = std::string(64, '2');
  next.access_jti = std::string(32, 'b');
  next.access_expires_at = kMarch4 + 1800;
  // At +1,800 s with an idle timeout of 1 h: the idle end, 5,400 s, is capped at the family's 5,000 s.
  auto used = users.use_refresh_token(bob.id, first.token_hash, kMarch4 + 1800, 3600, next);
  ASSERT_EQ(used.outcome, RefreshOutcome::kRotated);
  EXPECT_EQ(used.tenant, "globex");
  EXPECT_EQ(used.next.family, family);
  EXPECT_EQ(used.next.expires_at, kMarch4 + 5000);
  EXPECT_EQ(used.next.family_expires_at, kMarch4 + 5000);
  EXPECT_EQ(users.use_refresh_token(bob.id, std::string(64, '9'), kMarch4 + 1800, 3600, next).outcome,
            RefreshOutcome::kUnknown);
  EXPECT_EQ(users.use_refresh_token(bob.id + 1000, first.token_hash, kMarch4 + 1800, 3600, next).outcome,
            RefreshOutcome::kUnknown);  // no such user

  // The first token again, at +1,000 s past the first access token's end: only b (unexpired) is revoked.
  const auto before = users.revocations_since(0, 100).size();
  next.token_hash = std::string(64, '3');
  used = users.use_refresh_token(bob.id, first.token_hash, kMarch4 + 1000, 3600, next);
  ASSERT_EQ(used.outcome, RefreshOutcome::kReused);
  ASSERT_EQ(used.revoked.size(), 1u);
  EXPECT_EQ(used.revoked[0], std::pair(std::string(32, 'b'), kMarch4 + 1800));
  const auto journal = users.revocations_since(0, 100);
  ASSERT_EQ(journal.size(), before + 1);
  EXPECT_EQ(journal.back().jti, std::optional<std::string>(std::string(32, 'b')));
  EXPECT_EQ(users.use_refresh_token(bob.id, std::string(64, '2'), kMarch4 + 1000, 3600, next).outcome,
            RefreshOutcome::kUnknown);  // the family is gone
  EXPECT_EQ(users.live_refresh_families("globex", bob.id, kMarch4), 0u);

  // Past the idle end: expired, and the family deleted.
  first.token_hash = std::string(64, '4');
  users.add_refresh_token("globex", first);
  EXPECT_EQ(users.use_refresh_token(bob.id, first.token_hash, kMarch4 + 3600, 3600, next).outcome,
            RefreshOutcome::kExpired);
  EXPECT_EQ(users.use_refresh_token(bob.id, first.token_hash, kMarch4 + 10, 3600, next).outcome,
            RefreshOutcome::kUnknown);

  // An account change ends every sign-in of the user; sign-out ends one family.
  first.token_hash = std::string(64, '5');
  users.add_refresh_token("globex", first);
  users.set_role("bob", Role::kAnalyst);
  EXPECT_EQ(users.live_refresh_families("globex", bob.id, kMarch4), 0u);
  first.token_hash = std::string(64, '6');
  users.add_refresh_token("globex", first);
  const auto ended = users.end_refresh_family("globex", bob.id, family, kMarch4);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].first, std::string(32, 'a'));
  EXPECT_EQ(users.live_refresh_families("globex", bob.id, kMarch4), 0u);
}

// Single sign-on (migration 98): a user is found by its provider identity whatever its tenant
// (under row-level security through keel_identity_user), one user per identity, and a pending
// sign-in is taken once and only before it expires.
TEST_P(TokenRevocationContract, IdentitiesNameOneUserAndPendingSignInsAreTakenOnce) {
  FixedAt clock;
  auto s = open_store_under_test(clock);
  UserRepository& users = s->users();
  users.add("carol", "acme", Role::kAdmin, "h");
  EXPECT_FALSE(users.find_identity("https://idp.example.com", "u-1"));
  const auto dan = users.add_identity_user(
      {"dan", "globex", Role::kAnalyst, "dan@globex.example", "Dan D.", "https://idp.example.com", "u-1"});
  EXPECT_EQ(dan.identity_issuer, "https://idp.example.com");
  EXPECT_EQ(dan.password_hash, "");
  EXPECT_FALSE(dan.sign_in_by_name);
  const auto found = users.find_identity("https://idp.example.com", "u-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, dan.id);
  EXPECT_EQ(found->tenant, "globex");
  EXPECT_EQ(found->email, "dan@globex.example");
  EXPECT_FALSE(users.find_identity("https://other.example.com", "u-1"));  // another provider's u-1
  // The same identity twice, or the name taken in the tenant: conflicts.
  EXPECT_THROW(users.add_identity_user({"dan2", "globex", Role::kViewer, "", "", "https://idp.example.com", "u-1"}),
               Error);
  EXPECT_THROW(users.add_identity_user({"dan", "globex", Role::kViewer, "", "", "https://idp.example.com", "u-2"}),
               Error);
  users.set_profile(dan.id, "dan@new.example", "Dan Dee");
  EXPECT_EQ(users.find_identity("https://idp.example.com", "u-1")->full_name, "Dan Dee");
  EXPECT_EQ(users.find_id(dan.id)->token_version, dan.token_version);  // a profile grants nothing

  users.add_sign_in_request({"digest-a", "nonce-a", "verifier-a", kMarch4, kMarch4 + 600});
  users.add_sign_in_request({"digest-b", "nonce-b", "verifier-b", kMarch4, kMarch4 + 600});
  const auto a = users.take_sign_in_request("digest-a", kMarch4 + 10);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->nonce, "nonce-a");
  EXPECT_EQ(a->code_verifier, "verifier-a");
  EXPECT_FALSE(users.take_sign_in_request("digest-a", kMarch4 + 10));  // good once
  EXPECT_FALSE(users.take_sign_in_request("digest-b", kMarch4 + 600));  // expired
  EXPECT_FALSE(users.take_sign_in_request("digest-b", kMarch4 + 10));   // and gone
}

}  // namespace
}  // namespace keel::store
