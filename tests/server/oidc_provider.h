// tests/server/oidc_provider.h: an OpenID Connect provider on loopback, written from the
// specifications (OpenID Connect Core 1.0 and Discovery 1.0, RFC 6749, RFC 7636) for the tests of
// single sign-on: discovery, authorize (signs in the user its login_hint names at once, as a
// provider does for a user already signed in there, and redirects with the code), token (client
// authentication by HTTP Basic, single-use codes bound to the redirect URI, PKCE S256 checked)
// and the JWKS. A test may rotate the signing key, sign with a key it does not publish, or change
// the next ID token's claims (expired, another audience, another nonce).
#pragma once

#include <httplib.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "../support/jws_signer.h"
#include "keel/net/oidc.h"

namespace keel::testing {

class OidcTestProvider {
 public:
  static constexpr const char* kClientId = "keel-web";
  static constexpr const char* kClientSecret = "provider-issued secret";

  explicit OidcTestProvider(std::string redirect_uri) : redirect_uri_(std::move(redirect_uri)) {
    published_.push_back(JwsSigner::make("RSA", "key-1"));
    port_ = server_.bind_to_any_port("127.0.0.1");
    issuer_ = "http://127.0.0.1:" + std::to_string(port_) + "/realms/bank";
    server_.Get("/realms/bank/.well-known/openid-configuration", [this](const httplib::Request&, httplib::Response& res) {
      count("discovery");
      res.set_content(nlohmann::json{{"issuer", issuer_},
                                     {"authorization_endpoint", issuer_ + "/authorize"},
                                     {"token_endpoint", issuer_ + "/token"},
                                     {"jwks_uri", issuer_ + "/jwks"},
                                     {"response_types_supported", {"code"}},
                                     {"id_token_signing_alg_values_supported", {"RS256"}},
                                     {"code_challenge_methods_supported", {"S256"}},
                                     {"end_session_endpoint", issuer_ + "/logout"},
                                     {"backchannel_logout_supported", true}}
                          .dump(),
                      "application/json");
    });
    server_.Get("/realms/bank/jwks", [this](const httplib::Request&, httplib::Response& res) {
      count("jwks");
      std::lock_guard lock(mutex_);
      nlohmann::json keys = nlohmann::json::array();
      for (const auto& k : published_) keys.push_back(k.jwk());
      res.set_content(nlohmann::json{{"keys", keys}}.dump(), "application/json");
    });
    server_.Get("/realms/bank/authorize", [this](const httplib::Request& req, httplib::Response& res) {
      authorize(req, res);
    });
    server_.Post("/realms/bank/token", [this](const httplib::Request& req, httplib::Response& res) { token(req, res); });
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~OidcTestProvider() {
    server_.stop();
    thread_.join();
  }
  OidcTestProvider(const OidcTestProvider&) = delete;
  OidcTestProvider& operator=(const OidcTestProvider&) = delete;

  const std::string& issuer() const { return issuer_; }
  int port() const { return port_; }

  // The user signed in at the provider under `login_hint`: its claims (sub, preferred_username,
  // email, name, groups...).
  void add_user(const std::string& login_hint, nlohmann::json claims) {
    std::lock_guard lock(mutex_);
    users_[login_hint] = std::move(claims);
  }
  // A back-channel logout token for `sub` (Back-Channel Logout 1.0 §2.4: iss, aud, iat, jti, the
  // logout event, sub), signed by the current key; `edit` changes its claims before signing.
  std::string logout_token(const std::string& sub, const std::function<void(nlohmann::json&)>& edit = {}) {
    std::lock_guard lock(mutex_);
    nlohmann::json claims = {{"iss", issuer_},
                             {"aud", kClientId},
                             {"iat", static_cast<std::int64_t>(std::time(nullptr))},
                             {"jti", net::random_base64url(16)},
                             {"events", {{"http://schemas.openid.net/event/backchannel-logout", nlohmann::json::object()}}},
                             {"sub", sub}};
    if (edit) edit(claims);
    return published_.back().sign(claims, {{"typ", "logout+jwt"}});
  }
  // The sid of the provider session the last ID token was issued in.
  std::string last_session() {
    std::lock_guard lock(mutex_);
    return sessions_.empty() ? std::string() : sessions_.back();
  }
  // Key rotation: a new key signs from now on; the old one stays published when `keep_old`.
  void rotate(const std::string& kid, bool keep_old) {
    std::lock_guard lock(mutex_);
    auto fresh = JwsSigner::make("RSA", kid);
    if (!keep_old) published_.clear();
    published_.push_back(std::move(fresh));
  }
  // The next ID tokens are signed by a key that is not published (under a published kid).
  void sign_with_unpublished_key(bool on) {
    std::lock_guard lock(mutex_);
    if (on && !intruder_) intruder_ = JwsSigner::make("RSA", published_.back().kid());
    use_intruder_ = on;
  }
  // Changes each next ID token's claims before it is signed; `after_signing` changes them after
  // (the signature then covers other claims: a tampered token).
  void edit_claims(std::function<void(nlohmann::json&)> edit, bool after_signing = false) {
    std::lock_guard lock(mutex_);
    edit_ = std::move(edit);
    edit_after_signing_ = after_signing;
  }
  int requests(const std::string& endpoint) {
    std::lock_guard lock(mutex_);
    return counts_[endpoint];
  }

 private:
  void count(const std::string& endpoint) {
    std::lock_guard lock(mutex_);
    ++counts_[endpoint];
  }

  void authorize(const httplib::Request& req, httplib::Response& res) {
    count("authorize");
    const auto p = [&](const char* name) { return req.get_param_value(name); };
    std::lock_guard lock(mutex_);
    if (p("response_type") != "code" || p("client_id") != kClientId || p("redirect_uri") != redirect_uri_ ||
        p("code_challenge_method") != "S256" || p("code_challenge").size() != 43 ||
        p("scope").find("openid") == std::string::npos || p("state").empty() || p("nonce").empty()) {
      res.status = 400;
      res.set_content("bad authorization request", "text/plain");
      return;
    }
    const auto user = users_.find(p("login_hint"));
    if (user == users_.end()) {
      res.status = 302;
      res.set_header("Location", redirect_uri_ + "?error=access_denied&state=" + p("state"));
      return;
    }
    const std::string code = net::random_base64url(16);
    codes_[code] = {p("redirect_uri"), p("code_challenge"), p("nonce"), user->second};
    res.status = 302;
    res.set_header("Location", redirect_uri_ + "?code=" + code + "&state=" + p("state"));
  }

  void token(const httplib::Request& req, httplib::Response& res) {
    count("token");
    const auto fail = [&](int status, const char* error, const char* description) {
      res.status = status;
      res.set_content(nlohmann::json{{"error", error}, {"error_description", description}}.dump(), "application/json");
    };
    // client_secret_basic: base64 of "id:secret", both parts form-encoded first (RFC 6749 §2.3.1).
    const std::string basic = req.get_header_value("Authorization");
    const std::string pair = basic.starts_with("Basic ") ? base64_decode(basic.substr(6)) : "";
    const auto colon = pair.find(':');
    if (colon == std::string::npos ||
        httplib::detail::decode_url(pair.substr(0, colon), true) != kClientId ||
        httplib::detail::decode_url(pair.substr(colon + 1), true) != kClientSecret) {
      return fail(401, "invalid_client", "bad client credentials");
    }
    std::lock_guard lock(mutex_);
    const auto it = codes_.find(req.get_param_value("code"));
    if (req.get_param_value("grant_type") != "authorization_code" || it == codes_.end()) {
      return fail(400, "invalid_grant", "unknown or used code");
    }
    const Grant grant = it->second;
    codes_.erase(it);  // single use
    if (req.get_param_value("redirect_uri") != grant.redirect_uri) return fail(400, "invalid_grant", "redirect_uri");
    if (net::sha256_base64url(req.get_param_value("code_verifier")) != grant.challenge) {
      return fail(400, "invalid_grant", "PKCE verification failed");
    }
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    nlohmann::json claims = grant.claims;
    claims["iss"] = issuer_;
    claims["aud"] = kClientId;
    claims["nonce"] = grant.nonce;
    claims["iat"] = now;
    claims["exp"] = now + 300;
    // Each sign-in is a session at the provider, named by its sid (OpenID Connect Front- and
    // Back-Channel Logout); the last one is sessions_.back().
    sessions_.push_back("sid-" + net::random_base64url(12));
    claims["sid"] = sessions_.back();
    if (edit_ && !edit_after_signing_) edit_(claims);
    const JwsSigner& signer = use_intruder_ ? *intruder_ : published_.back();
    std::string id_token = signer.sign(claims);
    if (edit_ && edit_after_signing_) {
      edit_(claims);
      const auto dot1 = id_token.find('.');
      const auto dot2 = id_token.find('.', dot1 + 1);
      id_token = id_token.substr(0, dot1 + 1) + net::base64url_encode(claims.dump()) + id_token.substr(dot2);
    }
    res.set_content(nlohmann::json{{"access_token", net::random_base64url(16)},
                                   {"token_type", "Bearer"},
                                   {"expires_in", 300},
                                   {"id_token", id_token}}
                        .dump(),
                    "application/json");
  }

  // Standard base64 (RFC 4648 §4), padding ignored; "" for anything else.
  static std::string base64_decode(const std::string& text) {
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
      if (c == '=') break;
      const auto v = alphabet.find(c);
      if (v == std::string::npos) return "";
      acc = (acc << 6) | static_cast<std::uint32_t>(v);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += static_cast<char>((acc >> bits) & 0xff);
      }
    }
    return out;
  }

  struct Grant {
    std::string redirect_uri;
    std::string challenge;
    std::string nonce;
    nlohmann::json claims;
  };

  std::string redirect_uri_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::string issuer_;
  std::mutex mutex_;
  std::vector<JwsSigner> published_;
  std::optional<JwsSigner> intruder_;
  bool use_intruder_ = false;
  std::function<void(nlohmann::json&)> edit_;
  std::vector<std::string> sessions_;  // the sids of the ID tokens issued, in order
  bool edit_after_signing_ = false;
  std::map<std::string, nlohmann::json> users_;
  std::map<std::string, Grant> codes_;
  std::map<std::string, int> counts_;
};

}  // namespace keel::testing
