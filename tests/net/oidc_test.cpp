// The relying party's pure parts (keel/net/oidc.h): base64url against RFC 4648's vectors, the PKCE
// challenge against RFC 7636's worked example, and every check of an ID token (OpenID Connect Core
// 3.1.3.7) on tokens signed here by fresh RSA and P-256 keys (tests/support/jws_signer.h).
#include "keel/net/oidc.h"

#include <gtest/gtest.h>

#include "../support/jws_signer.h"
#include "keel/core/error.h"

namespace keel::net {
namespace {

using keel::testing::JwsSigner;

TEST(Base64Url, Rfc4648Vectors) {
  // RFC 4648 §10, without the padding base64url leaves out (§5).
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64url_encode(plain), encoded);
    EXPECT_EQ(base64url_decode(encoded), plain);
  }
  // The two characters base64url has instead of + and /: 0xfb 0xff -> "-_8".
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff"));
  EXPECT_FALSE(base64url_decode("Zm9v+A"));   // standard base64's alphabet
  EXPECT_FALSE(base64url_decode("Zg=="));     // padding
  EXPECT_FALSE(base64url_decode("Zm9vY"));    // a length no encoding has
  EXPECT_FALSE(base64url_decode("Zh"));       // non-zero bits after the last byte
}

TEST(Pkce, Rfc7636AppendixB) {
  EXPECT_EQ(sha256_base64url("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  // A verifier of 32 random bytes is 43 characters, the least RFC 7636 §4.1 allows.
  const std::string v = random_base64url(32);
  EXPECT_EQ(v.size(), 43u);
  EXPECT_NE(v, random_base64url(32));
}

class IdTokenCheckTest : public ::testing::Test {
 protected:
  static constexpr std::int64_t kNow = 1'800'000'000;

  IdTokenCheckTest() : rsa_(JwsSigner::make("RSA", "rsa-1")), ec_(JwsSigner::make("EC", "ec-1")) {
    keys_ = parse_jwks({{"keys", {rsa_.jwk(), ec_.jwk()}}});
  }

  nlohmann::json claims() const {
    return {{"iss", "https://idp.example.com/realms/bank"},
            {"aud", "keel"},
            {"sub", "248289761001"},
            {"nonce", "n-0S6_WzA2Mj"},
            {"iat", kNow - 10},
            {"exp", kNow + 300},
            {"email", "ana@bank.example"}};
  }
  IdTokenExpectations expect(std::vector<std::string> algs = {"RS256", "ES256"}) const {
    return {"https://idp.example.com/realms/bank", "keel", "n-0S6_WzA2Mj", kNow, 60, std::move(algs), false};
  }
  std::string refusal(const std::string& token) const {
    const auto r = check_id_token(token, keys_, expect());
    EXPECT_FALSE(r.token) << "accepted: " << token;
    return r.refusal.reason;
  }

  JwsSigner rsa_;
  JwsSigner ec_;
  std::vector<Jwk> keys_;
};

TEST_F(IdTokenCheckTest, AcceptsRs256AndEs256SignedByThePublishedKeys) {
  for (const JwsSigner* s : {&rsa_, &ec_}) {
    const auto r = check_id_token(s->sign(claims()), keys_, expect());
    ASSERT_TRUE(r.token) << s->alg() << ": " << r.refusal.reason;
    EXPECT_EQ(r.token->kid, s->kid());
    EXPECT_EQ(r.token->claims["email"], "ana@bank.example");
  }
  // The clock skew: expired 30 s ago is still good with 60 s allowed, and so is issued 30 s ahead.
  auto c = claims();
  c["exp"] = kNow - 30;
  c["iat"] = kNow + 30;
  EXPECT_TRUE(check_id_token(rsa_.sign(c), keys_, expect()).token);
  // An audience list holding the client with azp naming it.
  c = claims();
  c["aud"] = {"keel", "reports"};
  c["azp"] = "keel";
  EXPECT_TRUE(check_id_token(rsa_.sign(c), keys_, expect()).token);
}

// A back-channel logout token (Back-Channel Logout 1.0 §2.4, the example of §2.4 in its claims):
// no nonce, the logout event, exp optional; the same signature, issuer and audience checks.
TEST_F(IdTokenCheckTest, ALogoutTokenIsCheckedAsTheSpecificationSays) {
  nlohmann::json c = {{"iss", "https://idp.example.com/realms/bank"},
                      {"sub", "248289761001"},
                      {"aud", "keel"},
                      {"iat", kNow - 5},
                      {"jti", "bWJq"},
                      {"sid", "08a5019c-17e1-4977-8f42-65a12843ea02"},
                      {"events", {{"http://schemas.openid.net/event/backchannel-logout", nlohmann::json::object()}}}};
  auto e = expect();
  e.logout = true;
  const auto check = [&](const nlohmann::json& claims) { return check_id_token(rsa_.sign(claims), keys_, e); };
  const auto accepted = check(c);
  ASSERT_TRUE(accepted.token) << accepted.refusal.reason;
  EXPECT_EQ(accepted.token->claims["sub"], "248289761001");
  auto bad = c;
  bad["nonce"] = "n-0S6_WzA2Mj";
  EXPECT_EQ(check(bad).refusal.reason, "the logout token carries a nonce, which a logout token must not");
  bad = c;
  bad["events"] = {{"http://schemas.openid.net/event/other", nlohmann::json::object()}};
  EXPECT_EQ(check(bad).refusal.reason, "the logout token has no back-channel logout event (events)");
  bad = c;
  bad["exp"] = kNow - 61;
  EXPECT_EQ(check(bad).refusal.reason, "the logout token expired at 2027-01-15T07:58:59Z");
  bad = c;
  bad.erase("sub");  // a session alone is enough (§2.4)
  EXPECT_TRUE(check(bad).token);
  bad.erase("sid");
  EXPECT_EQ(check(bad).refusal.reason, "the logout token names neither a subject (sub) nor a session (sid)");
  bad = c;
  bad["iss"] = "https://evil.example.com";
  EXPECT_EQ(check(bad).refusal.reason,
            "the logout token's issuer 'https://evil.example.com' is not 'https://idp.example.com/realms/bank'");
  // An ID token is not a logout token, and a logout token is not an ID token.
  EXPECT_FALSE(check(claims()).token);
  EXPECT_EQ(refusal(rsa_.sign(c)), "the ID token has no expiry (exp)");
}

TEST_F(IdTokenCheckTest, RefusesEachBrokenClaimWithItsReason) {
  auto with = [&](const char* name, const nlohmann::json& value) {
    auto c = claims();
    if (value.is_null()) c.erase(name);
    else c[name] = value;
    return rsa_.sign(c);
  };
  EXPECT_EQ(refusal(with("exp", kNow - 61)), "the ID token expired at 2027-01-15T07:58:59Z");
  EXPECT_EQ(refusal(with("exp", nullptr)), "the ID token has no expiry (exp)");
  EXPECT_EQ(refusal(with("iat", kNow + 61)), "the ID token is issued in the future, at 2027-01-15T08:01:01Z");
  EXPECT_EQ(refusal(with("nbf", kNow + 120)), "the ID token is not valid before 2027-01-15T08:02:00Z");
  EXPECT_EQ(refusal(with("iss", "https://evil.example.com")),
            "the ID token's issuer 'https://evil.example.com' is not 'https://idp.example.com/realms/bank'");
  EXPECT_EQ(refusal(with("aud", "another-app")), "the ID token is not for client 'keel' (aud)");
  EXPECT_EQ(refusal(with("aud", nlohmann::json::array({"keel", "reports"}))),
            "the ID token has other audiences and its azp is not 'keel'");
  EXPECT_EQ(refusal(with("nonce", "replayed")), "the ID token's nonce is not the one of this sign-in");
  EXPECT_EQ(refusal(with("nonce", nullptr)), "the ID token's nonce is not the one of this sign-in");
  EXPECT_EQ(refusal(with("sub", "")), "the ID token names no subject (sub)");
}

TEST_F(IdTokenCheckTest, RefusesTamperedForgedAndUnsignedTokens) {
  const std::string good = rsa_.sign(claims());
  // Tampered: the claims changed after signing (a different e-mail), the signature kept.
  auto c = claims();
  c["email"] = "root@bank.example";
  const auto dot1 = good.find('.');
  const auto dot2 = good.find('.', dot1 + 1);
  const std::string tampered = good.substr(0, dot1 + 1) + base64url_encode(c.dump()) + good.substr(dot2);
  EXPECT_EQ(refusal(tampered), "the ID token's signature does not verify");
  // Signed by a key the provider does not publish, under a kid it does publish.
  const JwsSigner intruder = JwsSigner::make("RSA", "rsa-1");
  EXPECT_EQ(refusal(intruder.sign(claims())), "the ID token's signature does not verify");
  // Under a kid it does not publish: the client may fetch the keys again.
  const JwsSigner rotated = JwsSigner::make("RSA", "rsa-2");
  const auto r = check_id_token(rotated.sign(claims()), keys_, expect());
  EXPECT_FALSE(r.token);
  EXPECT_TRUE(r.refusal.unknown_key);
  EXPECT_EQ(r.refusal.reason, "the ID token is signed by key 'rsa-2', which the provider does not publish");
  // alg none, and HS256 "signed" with a public key's bytes (the algorithm confusion attack).
  EXPECT_EQ(refusal(base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(claims().dump()) + "."),
            "the ID token's algorithm 'none' is not accepted");
  EXPECT_EQ(refusal(rsa_.sign(claims(), {{"alg", "HS256"}})), "the ID token's algorithm 'HS256' is not accepted");
  // An algorithm the operator did not allow.
  EXPECT_FALSE(check_id_token(ec_.sign(claims()), keys_, expect({"RS256"})).token);
  // A key of one type under the other's algorithm: an RSA kid in an ES256 header finds no key.
  EXPECT_TRUE(check_id_token(rsa_.sign(claims(), {{"alg", "ES256"}}), keys_, expect()).refusal.unknown_key);
  // Not a JWS at all.
  EXPECT_EQ(refusal("abc"), "the ID token is not a signed JWT (expected three parts)");
  EXPECT_EQ(refusal("a.b.c.d"), "the ID token is not a signed JWT (expected three parts)");
  EXPECT_EQ(refusal("!!.e30.AA"), "the ID token's header is not base64url JSON");
}

TEST(Jwks, NamesTheKeyAndMemberThatIsWrong) {
  const JwsSigner rsa = JwsSigner::make("RSA", "k1");
  auto bad = rsa.jwk();
  bad["n"] = "not base64url!";
  try {
    parse_jwks({{"keys", {rsa.jwk(), bad}}});
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "JWKS: keys[1] (kid k1): n: not base64url");
  }
  auto small = rsa.jwk();
  small["n"] = base64url_encode(std::string(128, '\x7f'));  // 1,024 bits
  EXPECT_THROW(parse_jwks({{"keys", {small}}}), Error);
  EXPECT_THROW(parse_jwks({{"kys", nlohmann::json::array()}}), Error);
  // An encryption key and a symmetric key are left out, not refused.
  auto enc = rsa.jwk();
  enc["use"] = "enc";
  const auto keys = parse_jwks({{"keys", {enc, {{"kty", "oct"}, {"k", "AAAA"}}, rsa.jwk()}}});
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].kid, "k1");
}

TEST(Discovery, ChecksTheIssuerAndTheEndpoints) {
  const nlohmann::json doc = {{"issuer", "https://idp.example.com"},
                              {"authorization_endpoint", "https://idp.example.com/authorize"},
                              {"token_endpoint", "https://idp.example.com/token"},
                              {"jwks_uri", "https://idp.example.com/jwks"},
                              {"code_challenge_methods_supported", {"plain", "S256"}}};
  const auto m = parse_discovery(doc, "https://idp.example.com");
  EXPECT_EQ(m.token_endpoint, "https://idp.example.com/token");
  EXPECT_EQ(m.code_challenge_methods, (std::vector<std::string>{"plain", "S256"}));
  try {
    parse_discovery(doc, "https://idp.example.com/");
    FAIL() << "accepted another issuer";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "discovery document: issuer: 'https://idp.example.com' is not the configured 'https://idp.example.com/'");
  }
  auto missing = doc;
  missing.erase("jwks_uri");
  try {
    parse_discovery(missing, "https://idp.example.com");
    FAIL() << "accepted a document without jwks_uri";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "discovery document: jwks_uri: expected a URL");
  }
}

}  // namespace
}  // namespace keel::net
