// keel/net/oidc.h: keel serve as an OpenID Connect relying party (OpenID Connect Core 1.0, the
// authorization-code flow with PKCE, RFC 7636) — what is protocol and nothing else: the provider's
// discovery document and keys, the authorization URL, the code exchange and the ID token's checks.
// Who signs in, with which role and tenant, and what is kept is keel/service/single_sign_on.h's.
//
// The checks of an ID token (Core 3.1.3.7), each refusal naming the one that failed:
//   - a JWS in compact form, three base64url parts, header and claims JSON objects;
//   - `alg` one of the allowed algorithms (RS256 by default; "none" and the HMAC algorithms are
//     never accepted: the client secret is not a verification key here);
//   - the signature, by the provider's key named by `kid` (or its only RSA signing key when the
//     header names none); a `kid` not among the keys fetched makes the client fetch the JWKS again
//     once (the provider rotated its keys) — at most once per `jwks_refetch_seconds`, so a stream of
//     tokens with made-up kids cannot make keel hammer the provider;
//   - `iss` equal to the configured issuer, `aud` the client id (or a list holding it, with `azp`
//     the client id when the list has others);
//   - `exp` after now and `iat` not after now, `nbf` (if present) not after now, each with the
//     clock skew allowed;
//   - `nonce` equal to the one sent with the authorization request; `sub` present.
//
// Thread-safety: the free functions are pure. An OidcClient may be used by many threads: its
// cached discovery document and keys are guarded by a mutex; requests run outside it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "keel/net/crypto.h"

namespace keel::net {

// One verification key of the provider's JWKS (RFC 7517): RSA (kty RSA, n and e) or EC P-256
// (kty EC, crv P-256, x and y); keys for encryption (`use` enc) are left out.
struct Jwk {
  std::string kid;  // "" when the key has none
  std::string kty;  // "RSA" or "EC"
  std::string alg;  // "" when the key does not say
  std::shared_ptr<void> key;  // the OpenSSL EVP_PKEY
};

// The keys of a JWKS document. Throws keel::Error(invalid_input) naming the key (its position and
// kid) and the member that is wrong; keys of other types (oct, OKP) are skipped.
std::vector<Jwk> parse_jwks(const nlohmann::json& jwks);

// What a check of an ID token expects.
struct IdTokenExpectations {
  std::string issuer;
  std::string client_id;
  std::string nonce;
  std::int64_t now = 0;  // epoch seconds
  std::int64_t clock_skew_seconds = 60;
  std::vector<std::string> algorithms = {"RS256"};
  // A back-channel logout token (Back-Channel Logout 1.0 §2.4) rather than an ID token: no nonce
  // allowed, the logout event required, exp checked only when present; a subject is still required.
  bool logout = false;
};

// An ID token that passed every check: its claims, and the key that signed it.
struct IdToken {
  nlohmann::json claims;
  std::string kid;
};

// Why an ID token was refused.
struct IdTokenRefusal {
  std::string reason;     // "signature does not verify", "expired at 2026-11-29T10:00:00Z", ...
  bool unknown_key = false;  // the token names a kid that is not among `keys`
};

// Checks `token` against `keys` and `expect` (the list above). Either the token or the refusal.
struct IdTokenCheck {
  std::optional<IdToken> token;
  IdTokenRefusal refusal;
};
IdTokenCheck check_id_token(std::string_view token, const std::vector<Jwk>& keys, const IdTokenExpectations& expect);

// A relying party's settings, as the operator writes them (docs/security.md, "Single sign-on").
struct OidcClientSettings {
  std::string issuer;         // the provider's issuer URL, exactly as its tokens carry it
  std::string client_id;
  std::string client_secret;  // "" for a public client (PKCE alone)
  std::string redirect_uri;   // where the provider sends the browser back: the web app's /sign-in/oidc
  std::vector<std::string> scopes = {"openid", "email", "profile"};
  std::vector<std::string> algorithms = {"RS256"};
  std::int64_t clock_skew_seconds = 60;
  std::int64_t jwks_refetch_seconds = 60;  // the least time between two fetches of the keys
  long timeout_ms = 10'000;                // each request to the provider
  std::string post_logout_redirect_uri;    // where the provider sends the browser after signing out ("": none)
};

// The parts of the provider's discovery document (/.well-known/openid-configuration) keel uses.
struct OidcProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::vector<std::string> code_challenge_methods;  // empty when the document does not say
  std::string end_session_endpoint;  // RP-Initiated Logout 1.0; "" when the provider has none
};

// Reads a discovery document. Throws keel::Error(invalid_input) naming the member that is missing
// or wrong, or the issuer when it differs from `expected_issuer` (Discovery 1.0 §4.3).
OidcProviderMetadata parse_discovery(const nlohmann::json& document, const std::string& expected_issuer);

// An HTTP exchange with the provider: GET when `form` is empty, else a POST of the form
// (application/x-www-form-urlencoded); `basic_auth` "id:secret" or "". Returns (status, body).
// Throws keel::Error(unavailable) when the provider cannot be reached.
struct ProviderHttp {
  std::function<std::pair<long, std::string>(const std::string& url,
                                             const std::vector<std::pair<std::string, std::string>>& form,
                                             const std::string& basic_auth, long timeout_ms)>
      send;
};
// libcurl, no redirects followed, no proxy; the answer's body at most 1 MiB.
ProviderHttp curl_provider_http();

// An authorization request: what goes to the provider in the browser's URL, and what keel keeps
// until the browser comes back (the verifier and the nonce, under the state).
struct AuthorizationRequest {
  std::string url;
  std::string state;          // 32 random bytes, base64url
  std::string nonce;          // 32 random bytes, base64url
  std::string code_verifier;  // 32 random bytes, base64url (RFC 7636 §4.1: 43 characters)
};

class OidcClient {
 public:
  OidcClient(OidcClientSettings settings, ProviderHttp http,
             std::function<std::int64_t()> now_epoch);

  const OidcClientSettings& settings() const { return settings_; }

  // The provider's metadata, fetched at the first use and kept. Throws keel::Error(unavailable)
  // when the document cannot be fetched, invalid_input when it is wrong.
  OidcProviderMetadata metadata();

  // A new authorization request (response_type code, S256 challenge, the scopes, state, nonce).
  AuthorizationRequest authorization_request();

  // Exchanges `code` at the token endpoint (with the verifier; the client secret by HTTP Basic
  // when there is one) and checks the ID token of the answer against `nonce`. Throws
  // keel::Error(unauthorized) with the reason for a refused exchange or ID token, unavailable when
  // the provider cannot be reached.
  IdToken redeem(const std::string& code, const std::string& code_verifier, const std::string& nonce);

  // Checks an ID token as redeem does (fetching the keys again once for an unknown kid).
  IdToken verify(const std::string& id_token, const std::string& nonce);

  // Checks a back-channel logout token the provider posted (the keys as verify). Throws
  // keel::Error(invalid_input) with the reason when it is refused.
  IdToken verify_logout(const std::string& logout_token);

  // Where the browser goes to sign out at the provider too (RP-Initiated Logout 1.0): the
  // provider's end_session_endpoint with client_id and post_logout_redirect_uri; "" when the
  // provider has none. Fetches the metadata when not yet kept.
  std::string end_session_url();

  // How many times the keys were fetched (the first fetch included).
  int jwks_fetches() const;

 private:
  std::vector<Jwk> keys(bool refresh);
  nlohmann::json get_json(const std::string& url, const char* what);

  OidcClientSettings settings_;
  ProviderHttp http_;
  std::function<std::int64_t()> now_;
  mutable std::mutex mutex_;
  std::optional<OidcProviderMetadata> metadata_;
  std::vector<Jwk> keys_;
  std::int64_t keys_fetched_at_ = 0;
  int jwks_fetches_ = 0;
};

}  // namespace keel::net
