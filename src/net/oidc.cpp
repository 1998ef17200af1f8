// keel/net/oidc.h: the relying party's protocol — base64url, PKCE, JWKS, the ID token's checks
// (OpenSSL 3 verifies the signatures) and the requests to the provider (libcurl).
#include "keel/net/oidc.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <array>

#include "keel/core/date.h"
#include "keel/core/error.h"
#include "keel/net/http_client.h"

namespace keel::net {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;

// A member of a key that must be base64url text.
std::string key_bytes(const nlohmann::json& key, const char* member, const std::string& where) {
  const auto it = key.find(member);
  if (it == key.end() || !it->is_string()) {
    throw Error::invalid_input(fmt::format("{}: {}: expected a base64url string", where, member));
  }
  auto bytes = base64url_decode(it->get<std::string>());
  if (!bytes || bytes->empty()) throw Error::invalid_input(fmt::format("{}: {}: not base64url", where, member));
  return *bytes;
}

BnPtr bignum(const std::string& bytes) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

// An EVP_PKEY made from OSSL parameters of key type `type` ("RSA", "EC").
std::shared_ptr<void> public_key(const char* type, const OSSL_PARAM* params, const std::string& where) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) <= 0 || !pkey) {
    throw Error::invalid_input(fmt::format("{}: not a valid {} public key", where, type));
  }
  return std::shared_ptr<void>(pkey, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
}

std::shared_ptr<void> rsa_key(const nlohmann::json& key, const std::string& where) {
  const auto n = bignum(key_bytes(key, "n", where));
  const auto e = bignum(key_bytes(key, "e", where));
  if (BN_num_bits(n.get()) < 2048) throw Error::invalid_input(fmt::format("{}: n: an RSA key under 2048 bits", where));
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get())) {
    throw Error::internal("cannot build an RSA key");
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  return public_key("RSA", params.get(), where);
}

std::shared_ptr<void> ec_key(const nlohmann::json& key, const std::string& where) {
  const auto crv = key.value("crv", std::string());
  if (crv != "P-256") throw Error::invalid_input(fmt::format("{}: crv: expected P-256, got '{}'", where, crv));
  const std::string x = key_bytes(key, "x", where);
  const std::string y = key_bytes(key, "y", where);
  if (x.size() != 32 || y.size() != 32) {
    throw Error::invalid_input(fmt::format("{}: x, y: expected 32 bytes each for P-256", where));
  }
  std::string point = "\x04" + x + y;  // an uncompressed point (SEC 1 §2.3.3)
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size())) {
    throw Error::internal("cannot build an EC key");
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  return public_key("EC", params.get(), where);
}

// The digest and key type of a JWS algorithm keel verifies; nullptr digest for any other.
struct Algorithm {
  const EVP_MD* digest = nullptr;
  const char* kty = "";
};
Algorithm algorithm(std::string_view alg) {
  if (alg == "RS256") return {EVP_sha256(), "RSA"};
  if (alg == "RS384") return {EVP_sha384(), "RSA"};
  if (alg == "RS512") return {EVP_sha512(), "RSA"};
  if (alg == "ES256") return {EVP_sha256(), "EC"};
  return {};
}

// A JWS ES256 signature is r || s (32 bytes each); OpenSSL verifies the DER form.
std::optional<std::string> ecdsa_der(const std::string& raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (!sig || !r || !s || !ECDSA_SIG_set0(sig, r, s)) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

bool signature_verifies(const Jwk& key, const Algorithm& alg, std::string_view signed_part, std::string signature) {
  if (alg.kty == std::string_view("EC")) {
    auto der = ecdsa_der(signature);
    if (!der) return false;
    signature = std::move(*der);
  }
  MdCtxPtr md(EVP_MD_CTX_new());
  if (!md || EVP_DigestVerifyInit(md.get(), nullptr, alg.digest, nullptr, static_cast<EVP_PKEY*>(key.key.get())) <= 0) {
    return false;
  }
  return EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

std::optional<nlohmann::json> json_part(std::string_view part) {
  const auto bytes = base64url_decode(part);
  if (!bytes) return std::nullopt;
  auto json = nlohmann::json::parse(*bytes, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  return json;
}

// A NumericDate claim (seconds; JSON numbers, fractions allowed) or nullopt when absent or not a number.
std::optional<std::int64_t> numeric_date(const nlohmann::json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  if (!(v > -1e12 && v < 1e12)) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

IdTokenCheck refuse(std::string reason, bool unknown_key = false) {
  return {std::nullopt, {std::move(reason), unknown_key}};
}

// `text` percent-encoded as a form value (every byte but A-Z a-z 0-9 - . _ ~).
std::string form_escape(std::string_view text) {
  char* e = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  std::string out = e ? e : "";
  curl_free(e);
  return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& form) {
  std::string out;
  for (const auto& [k, v] : form) {
    if (!out.empty()) out += '&';
    out += form_escape(k) + "=" + form_escape(v);
  }
  return out;
}

// "the provider's token endpoint answered 400: invalid_grant (code expired)", from an OAuth error body.
std::string oauth_error(long status, const std::string& body, const char* what) {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  std::string detail;
  if (j.is_object() && j.contains("error") && j["error"].is_string()) {
    detail = ": " + j["error"].get<std::string>();
    if (j.contains("error_description") && j["error_description"].is_string()) {
      detail += " (" + j["error_description"].get<std::string>().substr(0, 200) + ")";
    }
  }
  return fmt::format("the provider's {} answered {}{}", what, status, detail);
}

}  // namespace

std::vector<Jwk> parse_jwks(const nlohmann::json& jwks) {
  if (!jwks.is_object() || !jwks.contains("keys") || !jwks["keys"].is_array()) {
    throw Error::invalid_input("JWKS: keys: expected an array of keys");
  }
  std::vector<Jwk> out;
  const auto& keys = jwks["keys"];
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto& k = keys[i];
    if (!k.is_object()) throw Error::invalid_input(fmt::format("JWKS: keys[{}]: expected an object", i));
    Jwk key;
    key.kid = k.contains("kid") && k["kid"].is_string() ? k["kid"].get<std::string>() : "";
    key.kty = k.contains("kty") && k["kty"].is_string() ? k["kty"].get<std::string>() : "";
    key.alg = k.contains("alg") && k["alg"].is_string() ? k["alg"].get<std::string>() : "";
    if (k.contains("use") && k["use"] != "sig") continue;  // an encryption key
    const std::string where = fmt::format("JWKS: keys[{}]{}", i, key.kid.empty() ? "" : " (kid " + key.kid + ")");
    if (key.kty == "RSA") {
      key.key = rsa_key(k, where);
    } else if (key.kty == "EC") {
      key.key = ec_key(k, where);
    } else {
      continue;  // oct, OKP: no algorithm keel accepts uses them
    }
    out.push_back(std::move(key));
  }
  return out;
}

IdTokenCheck check_id_token(std::string_view token, const std::vector<Jwk>& keys, const IdTokenExpectations& expect) {
  // Every reason names the token checked: "the ID token ..." or "the logout token ...".
  const std::string the = expect.logout ? "the logout token" : "the ID token";
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return refuse(the + " is not a signed JWT (expected three parts)");
  }
  const auto header = json_part(token.substr(0, dot1));
  if (!header) return refuse(the + "'s header is not base64url JSON");
  const auto claims = json_part(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!claims) return refuse(the + "'s claims are not base64url JSON");
  const auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!signature) return refuse(the + "'s signature is not base64url");

  const std::string alg = header->contains("alg") && (*header)["alg"].is_string() ? (*header)["alg"].get<std::string>() : "";
  if (std::find(expect.algorithms.begin(), expect.algorithms.end(), alg) == expect.algorithms.end() ||
      algorithm(alg).digest == nullptr) {
    return refuse(fmt::format("{}'s algorithm '{}' is not accepted", the, alg.substr(0, 20)));
  }
  const Algorithm a = algorithm(alg);
  const std::string kid = header->contains("kid") && (*header)["kid"].is_string() ? (*header)["kid"].get<std::string>() : "";
  const Jwk* key = nullptr;
  for (const auto& k : keys) {
    if (k.kty != a.kty || (!k.alg.empty() && k.alg != alg)) continue;
    if (kid.empty() ? key == nullptr : k.kid == kid) key = &k;
  }
  if (key == nullptr) {
    return refuse(kid.empty() ? "no key of the provider verifies " + alg
                              : fmt::format("{} is signed by key '{}', which the provider does not publish", the,
                                            kid.substr(0, 64)),
                  !kid.empty());
  }
  if (!signature_verifies(*key, a, token.substr(0, dot2), *signature)) {
    return refuse(the + "'s signature does not verify");
  }

  const auto& c = *claims;
  const auto text = [&](const char* name) {
    return c.contains(name) && c[name].is_string() ? c[name].get<std::string>() : std::string();
  };
  if (text("iss") != expect.issuer) {
    return refuse(fmt::format("{}'s issuer '{}' is not '{}'", the, text("iss").substr(0, 200), expect.issuer));
  }
  bool audience = false;
  bool others = false;
  if (c.contains("aud") && c["aud"].is_string()) {
    audience = c["aud"] == expect.client_id;
  } else if (c.contains("aud") && c["aud"].is_array()) {
    for (const auto& a2 : c["aud"]) {
      if (a2 == expect.client_id) audience = true;
      else others = true;
    }
  }
  if (!audience) return refuse(fmt::format("{} is not for client '{}' (aud)", the, expect.client_id));
  if (others && text("azp") != expect.client_id) {
    return refuse(fmt::format("{} has other audiences and its azp is not '{}'", the, expect.client_id));
  }
  const auto exp = numeric_date(c, "exp");
  if (!exp && !expect.logout) return refuse(the + " has no expiry (exp)");
  if (exp && *exp + expect.clock_skew_seconds <= expect.now) return refuse(the + " expired at " + iso_utc(*exp));
  const auto iat = numeric_date(c, "iat");
  if (!iat) return refuse(the + " has no issue time (iat)");
  if (*iat - expect.clock_skew_seconds > expect.now) return refuse(the + " is issued in the future, at " + iso_utc(*iat));
  if (const auto nbf = numeric_date(c, "nbf"); nbf && *nbf - expect.clock_skew_seconds > expect.now) {
    return refuse(the + " is not valid before " + iso_utc(*nbf));
  }
  if (expect.logout) {
    if (c.contains("nonce")) return refuse("the logout token carries a nonce, which a logout token must not");
    const auto events = c.find("events");
    if (events == c.end() || !events->is_object() ||
        !events->contains("http://schemas.openid.net/event/backchannel-logout")) {
      return refuse("the logout token has no back-channel logout event (events)");
    }
  } else if (text("nonce").empty() || text("nonce") != expect.nonce) {
    return refuse(the + "'s nonce is not the one of this sign-in");
  }
  if (expect.logout) {
    // Back-Channel Logout 1.0 §2.4: a subject, a session, or both.
    if (text("sub").empty() && text("sid").empty()) return refuse(the + " names neither a subject (sub) nor a session (sid)");
  } else if (text("sub").empty()) {
    return refuse(the + " names no subject (sub)");  // keel knows the user by it
  }
  return {IdToken{c, key->kid}, {}};
}

OidcProviderMetadata parse_discovery(const nlohmann::json& document, const std::string& expected_issuer) {
  if (!document.is_object()) throw Error::invalid_input("discovery document: expected a JSON object");
  const auto url = [&](const char* name) {
    if (!document.contains(name) || !document[name].is_string() || document[name].get<std::string>().empty()) {
      throw Error::invalid_input(fmt::format("discovery document: {}: expected a URL", name));
    }
    return document[name].get<std::string>();
  };
  OidcProviderMetadata m;
  m.issuer = url("issuer");
  if (m.issuer != expected_issuer) {
    throw Error::invalid_input(
        fmt::format("discovery document: issuer: '{}' is not the configured '{}'", m.issuer.substr(0, 200), expected_issuer));
  }
  m.authorization_endpoint = url("authorization_endpoint");
  m.token_endpoint = url("token_endpoint");
  m.jwks_uri = url("jwks_uri");
  if (const auto it = document.find("end_session_endpoint"); it != document.end() && it->is_string()) {
    m.end_session_endpoint = it->get<std::string>();
  }
  if (document.contains("code_challenge_methods_supported") && document["code_challenge_methods_supported"].is_array()) {
    for (const auto& v : document["code_challenge_methods_supported"]) {
      if (v.is_string()) m.code_challenge_methods.push_back(v.get<std::string>());
    }
  }
  return m;
}

ProviderHttp curl_provider_http() {
  return {[](const std::string& url, const std::vector<std::pair<std::string, std::string>>& form,
             const std::string& basic_auth, long timeout_ms) {
    const std::string fields = form_encode(form);
    PlainRequest request{.url = url, .user_agent = "keel", .timeout_ms = timeout_ms,
                         .headers = {{"Accept", "application/json"}}, .body = std::nullopt,
                         .basic_auth = basic_auth, .max_body_bytes = 1 << 20};
    if (!form.empty()) {
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
      request.body = fields;
    }
    PlainAnswer answer = send_plain(request);
    if (!answer.failure.empty()) {
      throw Error::unavailable(fmt::format("single sign-on: cannot reach the identity provider at {}: {}", url_host(url),
                                           answer.failure));
    }
    return std::pair<long, std::string>(answer.status, std::move(answer.body));
  }};
}

OidcClient::OidcClient(OidcClientSettings settings, ProviderHttp http, std::function<std::int64_t()> now_epoch)
    : settings_(std::move(settings)), http_(std::move(http)), now_(std::move(now_epoch)) {}

nlohmann::json OidcClient::get_json(const std::string& url, const char* what) {
  const auto [status, body] = http_.send(url, {}, "", settings_.timeout_ms);
  if (status != 200) {
    throw Error::unavailable(fmt::format("single sign-on: the provider's {} ({}) answered {}", what, url_host(url), status));
  }
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded()) throw Error::invalid_input(fmt::format("single sign-on: the provider's {} is not JSON", what));
  return json;
}

OidcProviderMetadata OidcClient::metadata() {
  {
    std::lock_guard lock(mutex_);
    if (metadata_) return *metadata_;
  }
  std::string base = settings_.issuer;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto m = parse_discovery(get_json(base + "/.well-known/openid-configuration", "discovery document"), settings_.issuer);
  if (!m.code_challenge_methods.empty() &&
      std::find(m.code_challenge_methods.begin(), m.code_challenge_methods.end(), "S256") == m.code_challenge_methods.end()) {
    throw Error::invalid_input("single sign-on: the provider does not support PKCE with S256");
  }
  std::lock_guard lock(mutex_);
  metadata_ = m;
  return m;
}

std::vector<Jwk> OidcClient::keys(bool refresh) {
  const std::int64_t now = now_();
  {
    std::lock_guard lock(mutex_);
    const bool fetched = jwks_fetches_ > 0;
    if (fetched && (!refresh || now - keys_fetched_at_ < settings_.jwks_refetch_seconds)) return keys_;
  }
  const auto m = metadata();
  auto fresh = parse_jwks(get_json(m.jwks_uri, "key set (JWKS)"));
  std::lock_guard lock(mutex_);
  keys_ = std::move(fresh);
  keys_fetched_at_ = now;
  ++jwks_fetches_;
  return keys_;
}

int OidcClient::jwks_fetches() const {
  std::lock_guard lock(mutex_);
  return jwks_fetches_;
}

AuthorizationRequest OidcClient::authorization_request() {
  const auto m = metadata();
  AuthorizationRequest r;
  r.state = random_base64url(32);
  r.nonce = random_base64url(32);
  r.code_verifier = random_base64url(32);
  std::string scope;
  for (const auto& s : settings_.scopes) scope += (scope.empty() ? "" : " ") + s;
  const std::string query = form_encode({{"response_type", "code"},
                                         {"client_id", settings_.client_id},
                                         {"redirect_uri", settings_.redirect_uri},
                                         {"scope", scope},
                                         {"state", r.state},
                                         {"nonce", r.nonce},
                                         {"code_challenge", sha256_base64url(r.code_verifier)},
                                         {"code_challenge_method", "S256"}});
  r.url = m.authorization_endpoint + (m.authorization_endpoint.find('?') == std::string::npos ? "?" : "&") + query;
  return r;
}

IdToken OidcClient::verify(const std::string& id_token, const std::string& nonce) {
  IdTokenExpectations expect{settings_.issuer, settings_.client_id, nonce, now_(), settings_.clock_skew_seconds,
                             settings_.algorithms, false};
  auto check = check_id_token(id_token, keys(false), expect);
  if (!check.token && check.refusal.unknown_key) {
    check = check_id_token(id_token, keys(true), expect);  // the provider may have rotated its keys
  }
  if (!check.token) throw Error(ErrorCode::kUnauthorized, "single sign-on refused: " + check.refusal.reason);
  return *check.token;
}

IdToken OidcClient::verify_logout(const std::string& logout_token) {
  IdTokenExpectations expect{settings_.issuer, settings_.client_id, "", now_(), settings_.clock_skew_seconds,
                             settings_.algorithms, true};
  auto check = check_id_token(logout_token, keys(false), expect);
  if (!check.token && check.refusal.unknown_key) check = check_id_token(logout_token, keys(true), expect);
  if (!check.token) throw Error::invalid_input("back-channel logout refused: " + check.refusal.reason);
  return *check.token;
}

std::string OidcClient::end_session_url() {
  const auto m = metadata();
  if (m.end_session_endpoint.empty()) return {};
  std::vector<std::pair<std::string, std::string>> query = {{"client_id", settings_.client_id}};
  if (!settings_.post_logout_redirect_uri.empty())
    query.emplace_back("post_logout_redirect_uri", settings_.post_logout_redirect_uri);
  return m.end_session_endpoint + (m.end_session_endpoint.find('?') == std::string::npos ? "?" : "&") +
         form_encode(query);
}

IdToken OidcClient::redeem(const std::string& code, const std::string& code_verifier, const std::string& nonce) {
  const auto m = metadata();
  std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "authorization_code"},
                                                           {"code", code},
                                                           {"redirect_uri", settings_.redirect_uri},
                                                           {"code_verifier", code_verifier}};
  std::string basic;
  if (settings_.client_secret.empty()) {
    form.emplace_back("client_id", settings_.client_id);
  } else {
    // client_secret_basic (RFC 6749 §2.3.1): both parts form-encoded before they are joined.
    basic = form_escape(settings_.client_id) + ":" + form_escape(settings_.client_secret);
  }
  const auto [status, body] = http_.send(m.token_endpoint, form, basic, settings_.timeout_ms);
  if (status != 200) {
    const std::string why = oauth_error(status, body, "token endpoint");
    if (status >= 500) throw Error::unavailable("single sign-on: " + why);
    throw Error(ErrorCode::kUnauthorized, "single sign-on refused: " + why);
  }
  const auto answer = nlohmann::json::parse(body, nullptr, false);
  if (!answer.is_object() || !answer.contains("id_token") || !answer["id_token"].is_string()) {
    throw Error(ErrorCode::kUnauthorized, "single sign-on refused: the token endpoint's answer has no id_token");
  }
  return verify(answer["id_token"].get<std::string>(), nonce);
}

}  // namespace keel::net
