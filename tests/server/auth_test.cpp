// Passwords (argon2id via libsodium) and tokens (HS256 JWT via libjwt).
#include "keel/server/auth.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include "keel/core/error.h"
#include "keel/server/server.h"
#include "keel/store/store.h"

namespace keel::server {
namespace {

constexpr const char* kKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

service::SignInUser alice() {
  service::SignInUser u;
  u.id = 7;
  u.username = "alice";
  u.tenant = "acme";
  u.role = store::Role::kAnalyst;
  u.token_version = 3;
  return u;
}

std::string b64url(const unsigned char* data, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string b64url(const std::string& s) {
  return b64url(reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

// HMAC-SHA256 through libsodium (independent of libjwt), base64url without padding (RFC 7515 §2).
std::string hs256(const std::string& key, const std::string& signing_input) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return b64url(mac, sizeof mac);
}

TEST(PasswordHasher, Argon2idRoundTripAndRejectsWrongPassword) {
  PasswordHasher h(PasswordCost::minimum());
  const std::string phc = h.hash("correct horse battery");
  EXPECT_EQ(phc.rfind("$argon2id$v=19$", 0), 0u) << phc;  // PHC string of argon2id, version 0x13
  EXPECT_TRUE(h.verify(phc, "correct horse battery"));
  EXPECT_FALSE(h.verify(phc, "correct horse batterY"));
  EXPECT_FALSE(h.verify(phc, ""));
  EXPECT_NE(phc, h.hash("correct horse battery"));  // a fresh salt every time
}

TEST(PasswordHasher, RejectsShortPasswords) {
  PasswordHasher h(PasswordCost::minimum());
  EXPECT_THROW(h.hash("short"), Error);
}

TEST(PasswordHasher, InteractiveCostIsRecordedInTheHash) {
  PasswordHasher h;  // libsodium INTERACTIVE: 64 MiB = 65536 KiB, 2 passes
  const std::string phc = h.hash("correct horse battery");
  EXPECT_NE(phc.find("m=65536,t=2,p=1"), std::string::npos) << phc;
}

TEST(TokenService, IssuedTokenVerifiesWithItsClaims) {
  TokenService t({kKey, {}, "keel-test", 600});
  const auto issued = t.issue(alice(), 1'700'000'000);
  EXPECT_EQ(issued.expires_at, 1'700'000'600);
  const auto c = t.verify(issued.token, 1'700'000'100);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "alice");
  EXPECT_EQ(c->user_id, 7);
  EXPECT_EQ(c->tenant, "acme");
  EXPECT_EQ(c->role, store::Role::kAnalyst);
  EXPECT_EQ(c->token_version, 3);
  EXPECT_EQ(c->issued_at, 1'700'000'000);
}

TEST(TokenService, SignatureIsHmacSha256OfHeaderAndPayload) {
  TokenService t({kKey, {}, "keel", 600});
  const std::string token = t.issue(alice(), 1'700'000'000).token;
  const auto dot2 = token.rfind('.');
  ASSERT_NE(dot2, std::string::npos);
  EXPECT_EQ(token.substr(dot2 + 1), hs256(kKey, token.substr(0, dot2)));
}

TEST(TokenService, RejectsExpiredTamperedWrongIssuerAndWrongKey) {
  TokenService t({kKey, {}, "keel", 600});
  const std::string token = t.issue(alice(), 1'700'000'000).token;
  EXPECT_FALSE(t.verify(token, 1'700'000'600));  // exp <= now
  std::string tampered = token;
  const auto dot1 = tampered.find('.');
  tampered[dot1 + 5] = tampered[dot1 + 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(t.verify(tampered, 1'700'000'001));
  TokenService other_issuer({kKey, {}, "someone-else", 600});
  EXPECT_FALSE(other_issuer.verify(token, 1'700'000'001));
  TokenService other_key({std::string(64, 'z'), {}, "keel", 600});
  EXPECT_FALSE(other_key.verify(token, 1'700'000'001));
  EXPECT_FALSE(t.verify("not.a.token", 1'700'000'001));
  EXPECT_FALSE(t.verify("", 1'700'000'001));
}

TEST(TokenService, ARememberedTokenStillExpiresAndItsTamperedTwinStillFails) {
  TokenService t({kKey, {}, "keel", 600});
  const std::string token = t.issue(alice(), 1'700'000'000).token;
  ASSERT_TRUE(t.verify(token, 1'700'000'001));  // verified, now remembered
  const auto again = t.verify(token, 1'700'000'002);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->username, "alice");
  EXPECT_EQ(again->expires_at, 1'700'000'600);
  // A token one byte away from the remembered one is checked in full, and fails.
  std::string tampered = token;
  char& c = tampered[tampered.size() - 10];  // inside the signature (its last character has spare bits)
  c = c == 'A' ? 'B' : 'A';
  EXPECT_FALSE(t.verify(tampered, 1'700'000'003));
  // exp <= now: refused although it verified before.
  EXPECT_FALSE(t.verify(token, 1'700'000'600));
  // Another service (another key) never sees this one's memory.
  TokenService other_key({std::string(64, 'z'), {}, "keel", 600});
  EXPECT_FALSE(other_key.verify(token, 1'700'000'004));
}

TEST(TokenService, RejectsAlgNoneAndForgedRoleClaims) {
  TokenService t({kKey, {}, "keel", 600});
  const std::string payload =
      R"({"iss":"keel","sub":"alice","uid":7,"tenant":"acme","role":"admin","ver":3,)"
      R"("jti":"00112233445566778899aabbccddeeff","iat":1700000000,"exp":1800000000})";
  const std::string none = b64url(R"({"alg":"none","typ":"JWT"})") + "." + b64url(payload) + ".";
  EXPECT_FALSE(t.verify(none, 1'700'000'001));
  // Correctly formed HS256 but signed with another key: rejected.
  const std::string input = b64url(R"({"alg":"HS256","typ":"JWT"})") + "." + b64url(payload);
  EXPECT_FALSE(t.verify(input + "." + hs256(std::string(64, 'q'), input), 1'700'000'001));
  // Signed with the right key (built without libjwt): accepted, which shows the check is the signature.
  EXPECT_TRUE(t.verify(input + "." + hs256(kKey, input), 1'700'000'001));
}

TEST(TokenService, EveryTokenCarriesItsOwnId) {
  TokenService t({kKey, {}, "keel", 600});
  const auto a = t.issue(alice(), 1'700'000'000);
  const auto b = t.issue(alice(), 1'700'000'000);  // same user, same second
  EXPECT_EQ(a.jti.size(), 32u);  // 128 bits in hex
  EXPECT_EQ(a.jti.find_first_not_of("0123456789abcdef"), std::string::npos) << a.jti;
  EXPECT_NE(a.jti, b.jti);
  EXPECT_NE(a.token, b.token);
  // The id is in the signed payload (decoded here without libjwt).
  const auto dot1 = a.token.find('.'), dot2 = a.token.rfind('.');
  const std::string p64 = a.token.substr(dot1 + 1, dot2 - dot1 - 1);
  std::string payload(p64.size(), '\0');
  std::size_t n = 0;
  ASSERT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(payload.data()), payload.size(), p64.c_str(), p64.size(),
                              nullptr, &n, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
            0);
  payload.resize(n);
  EXPECT_NE(payload.find("\"jti\":\"" + a.jti + "\""), std::string::npos) << payload;
  const auto c = t.verify(a.token, 1'700'000'001);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->jti, a.jti);
  EXPECT_EQ(c->expires_at, 1'700'000'600);
}

TEST(TokenService, RefusesATokenWithoutAWellFormedId) {
  TokenService t({kKey, {}, "keel", 600});
  const std::string header = b64url(R"({"alg":"HS256","typ":"JWT"})");
  for (const std::string& jti : {std::string(""), std::string(R"(,"jti":"")"), std::string(R"(,"jti":"0011")"),
                                std::string(R"(,"jti":"00112233445566778899AABBCCDDEEFF")")}) {
    const std::string input = header + "." +
                              b64url(R"({"iss":"keel","sub":"alice","uid":7,"tenant":"acme","role":"admin","ver":3)" +
                                     jti + R"(,"iat":1700000000,"exp":1800000000})");
    EXPECT_FALSE(t.verify(input + "." + hs256(kKey, input), 1'700'000'001)) << jti;
  }
}

TEST(PasswordHasher, ReadsTheCostRecordedInAHash) {
  PasswordHasher h(PasswordCost{3, 1u << 20});
  const auto cost = phc_cost(h.hash("correct horse battery"));
  ASSERT_TRUE(cost);
  EXPECT_EQ(cost->ops_limit, 3u);
  EXPECT_EQ(cost->mem_limit_bytes, 1u << 20);
  EXPECT_EQ(phc_cost("$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"), PasswordCost::interactive());
  EXPECT_FALSE(phc_cost("$argon2i$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"));
  EXPECT_FALSE(phc_cost("$argon2id$v=19$t=2,p=1$c2FsdA$aGFzaA"));
  EXPECT_FALSE(phc_cost("plain text"));
}

// A login of an unknown user is checked against the dummy hash: it must cost what a real user's
// check costs, so its parameters are the hasher's, which are those `keel user add` uses (the
// default hasher) when keel serve runs with its default cost.
TEST(PasswordHasher, TheDummyHashHasTheCostOfRealHashes) {
  for (const PasswordCost& cost : {PasswordCost::minimum(), PasswordCost{2, 1u << 20}}) {
    PasswordHasher h(cost);
    EXPECT_EQ(phc_cost(h.dummy_hash()), cost);
    EXPECT_EQ(phc_cost(h.dummy_hash()), phc_cost(h.hash("correct horse battery")));
    EXPECT_FALSE(h.verify(h.dummy_hash(), "no user has this password!"));
  }
  EXPECT_EQ(ServerConfig{}.password_cost, PasswordHasher().cost());
  EXPECT_EQ(PasswordHasher().cost(), PasswordCost::interactive());
}

TEST(PasswordHasher, ConcurrencyIsTheBudgetOverOneHashsMemory) {
  EXPECT_EQ(PasswordHasher().concurrency(), 3u);  // 192 MiB / 64 MiB
  EXPECT_EQ(ServerConfig{}.hash_budget.memory_bytes, 192u << 20);
  EXPECT_EQ(PasswordHasher(PasswordCost::interactive(), HashBudget{256u << 20}).concurrency(), 4u);
  EXPECT_EQ(PasswordHasher(PasswordCost::interactive(), HashBudget{100u << 20}).concurrency(), 1u);
  EXPECT_EQ(PasswordHasher(PasswordCost::minimum(), HashBudget{8192 * 10}).concurrency(), 10u);
}

TEST(PasswordHasher, WaitsForTheBudgetThenGivesUp) {
  // A budget below one computation: nothing fits, so every hash and check waits its whole wait.
  const std::chrono::milliseconds wait(150);
  PasswordHasher h(PasswordCost::minimum(), HashBudget{4096, wait});
  const std::string phc = PasswordHasher(PasswordCost::minimum()).hash("correct horse battery");
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(h.verify(phc, "correct horse battery"), PasswordHashBusy);
  EXPECT_GE(std::chrono::steady_clock::now() - start, wait);
  start = std::chrono::steady_clock::now();
  EXPECT_THROW(h.hash("correct horse battery"), PasswordHashBusy);
  EXPECT_GE(std::chrono::steady_clock::now() - start, wait);
  // A deadline already passed: refused at once.
  EXPECT_THROW(h.verify(phc, "correct horse battery", std::chrono::steady_clock::now()), PasswordHashBusy);
  // With room, the same check runs, and gives its memory back: many in a row all pass.
  PasswordHasher roomy(PasswordCost::minimum(), HashBudget{8192, wait});
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(roomy.verify(phc, "correct horse battery")) << i;
}

// AuthCache over a real (in-memory SQLite) store, counting what it reads.
class AuthCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_store(":memory:");
    ann_ = store_->users().add("ann", "acme", store::Role::kAnalyst, "h");
  }
  AuthCache cache(std::chrono::milliseconds poll) {
    AuthCacheOptions o;
    o.poll_interval = poll;
    return AuthCache(
        [this](const std::function<void(Store&)>& fn) {
          if (fail_) throw Error::internal("the store is down");
          fn(*store_);
        },
        o);
  }
  TokenClaims claims(const std::string& jti, std::int64_t version) const {
    TokenClaims c;
    c.username = "ann";
    c.user_id = ann_.id;
    c.tenant = "acme";
    c.token_version = version;
    c.jti = jti;
    c.expires_at = kNow + 600;
    return c;
  }
  static constexpr std::int64_t kNow = 1'700'000'000;
  static constexpr const char* kJti1 = "00000000000000000000000000000001";
  static constexpr const char* kJti2 = "00000000000000000000000000000002";
  std::unique_ptr<Store> store_;
  store::UserRecord ann_;
  bool fail_ = false;
};

TEST_F(AuthCacheTest, ReadsTheStoreOncePerUserAndOncePerPollIntervalNotPerRequest) {
  AuthCache c = cache(std::chrono::hours(1));
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(c.admit(claims(kJti1, ann_.token_version), kNow)) << i;
  const auto stats = c.stats();
  EXPECT_EQ(stats.user_reads, 1u);
  EXPECT_EQ(stats.polls, 1u);
  EXPECT_EQ(stats.users, 1u);
  // The row held carries no password hash.
  EXPECT_TRUE(c.admit(claims(kJti1, ann_.token_version), kNow)->password_hash.empty());
}

TEST_F(AuthCacheTest, JournalRowsRefuseTheTokenOrTheUsersEarlierTokens) {
  AuthCache c = cache(std::chrono::milliseconds(0));  // every admit reads the journal
  ASSERT_TRUE(c.admit(claims(kJti1, ann_.token_version), kNow));
  ASSERT_TRUE(c.admit(claims(kJti2, ann_.token_version), kNow));
  store_->users().revoke_token("acme", ann_.id, kJti1, kNow + 600);  // another server's sign-out
  EXPECT_FALSE(c.admit(claims(kJti1, ann_.token_version), kNow));
  EXPECT_TRUE(c.admit(claims(kJti2, ann_.token_version), kNow));
  store_->users().set_role("ann", store::Role::kViewer);  // the keel command or another server
  EXPECT_FALSE(c.admit(claims(kJti2, ann_.token_version), kNow));
  const auto fresh = c.admit(claims(kJti2, ann_.token_version + 1), kNow);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->role, store::Role::kViewer);
  EXPECT_EQ(c.stats().user_reads, 2u);  // read again once, after the change
}

TEST_F(AuthCacheTest, WithinThePollIntervalOnlyItsOwnChangesAreSeen) {
  AuthCache c = cache(std::chrono::hours(1));
  ASSERT_TRUE(c.admit(claims(kJti1, ann_.token_version), kNow));
  store_->users().revoke_token("acme", ann_.id, kJti1, kNow + 600);
  EXPECT_TRUE(c.admit(claims(kJti1, ann_.token_version), kNow));  // not read yet: the bound is the interval
  c.revoked(kJti1, kNow + 600);                                    // this server's own sign-out
  EXPECT_FALSE(c.admit(claims(kJti1, ann_.token_version), kNow));
  store_->users().set_disabled("ann", true);
  c.user_changed(ann_.id);  // this server's own change
  EXPECT_FALSE(c.admit(claims(kJti2, ann_.token_version), kNow));
  EXPECT_FALSE(c.admit(claims(kJti2, ann_.token_version + 1), kNow));  // disabled
}

TEST_F(AuthCacheTest, ATokenNewerThanTheRowHeldReadsTheRowAgain) {
  AuthCache c = cache(std::chrono::hours(1));
  ASSERT_TRUE(c.admit(claims(kJti1, ann_.token_version), kNow));
  // Disabled and enabled again elsewhere, then signed in elsewhere: the new token's version is
  // above the row held, which is therefore out of date (versions only grow).
  store_->users().set_disabled("ann", true);
  store_->users().set_disabled("ann", false);
  const auto now_version = store_->users().find("ann")->token_version;
  ASSERT_EQ(now_version, ann_.token_version + 2);
  EXPECT_TRUE(c.admit(claims(kJti2, now_version), kNow));
  EXPECT_FALSE(c.admit(claims(kJti2, now_version + 1), kNow));  // never issued: no such version
}

TEST_F(AuthCacheTest, AStoreThatCannotBeReadRefusesRatherThanAccepts) {
  AuthCache c = cache(std::chrono::milliseconds(0));
  ASSERT_TRUE(c.admit(claims(kJti1, ann_.token_version), kNow));
  fail_ = true;
  EXPECT_THROW(c.admit(claims(kJti1, ann_.token_version), kNow), Error);
  fail_ = false;
  EXPECT_TRUE(c.admit(claims(kJti1, ann_.token_version), kNow));
}

TEST(TokenService, PreviousKeysStillVerifyAfterRotation) {
  const std::string old_key(48, 'o');
  TokenService before({old_key, {}, "keel", 600});
  const std::string token = before.issue(alice(), 1'700'000'000).token;
  TokenService after({kKey, {old_key}, "keel", 600});
  EXPECT_TRUE(after.verify(token, 1'700'000'001));
  TokenService dropped({kKey, {}, "keel", 600});
  EXPECT_FALSE(dropped.verify(token, 1'700'000'001));
}

TEST(TokenService, RefusesShortKeys) { EXPECT_THROW(TokenService({"short", {}, "keel", 600}), Error); }

TEST(SigningKeys, FromEnvironmentWithPreviousKeys) {
  ::setenv("KEEL_TEST_JWT", "k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1", 1);
  ::setenv("KEEL_TEST_JWT_PREVIOUS", "a,b", 1);
  const auto keys = load_signing_keys(std::nullopt, "KEEL_TEST_JWT");
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->key, "k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1");
  EXPECT_EQ(keys->previous, (std::vector<std::string>{"a", "b"}));
  ::unsetenv("KEEL_TEST_JWT");
  ::unsetenv("KEEL_TEST_JWT_PREVIOUS");
  EXPECT_FALSE(load_signing_keys(std::nullopt, "KEEL_TEST_JWT"));
  EXPECT_THROW(load_signing_keys(std::string("/nonexistent/key")), Error);
}

}  // namespace
}  // namespace keel::server
