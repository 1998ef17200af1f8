// tests/support/jws_signer.h: an identity provider's signing key, for the tests of single sign-on
// (keel/net/oidc.h): a fresh RSA-2048 or P-256 key made with OpenSSL, its public JWK (RFC 7517)
// written from the key's own parameters, and compact JWS signatures (RFC 7515) made the way a
// provider makes them — ES256 as r || s, 32 bytes each (RFC 7518 §3.4), not OpenSSL's DER.
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "keel/net/oidc.h"

namespace keel::testing {

class JwsSigner {
 public:
  // kty "RSA" (RS256) or "EC" (ES256, P-256).
  static JwsSigner make(const std::string& kty, std::string kid) {
    JwsSigner s;
    s.kid_ = std::move(kid);
    s.alg_ = kty == "EC" ? "ES256" : "RS256";
    EVP_PKEY* key = kty == "EC" ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
    if (key == nullptr) throw std::runtime_error("cannot generate a test key");
    s.key_.reset(key, EVP_PKEY_free);
    return s;
  }

  const std::string& kid() const { return kid_; }
  const std::string& alg() const { return alg_; }

  // The public key as a JWK, with its kid, use sig and alg.
  nlohmann::json jwk() const {
    nlohmann::json j = {{"kid", kid_}, {"use", "sig"}, {"alg", alg_}};
    if (alg_ == "RS256") {
      j["kty"] = "RSA";
      j["n"] = bn_param(OSSL_PKEY_PARAM_RSA_N, 0);
      j["e"] = bn_param(OSSL_PKEY_PARAM_RSA_E, 0);
    } else {
      j["kty"] = "EC";
      j["crv"] = "P-256";
      j["x"] = bn_param(OSSL_PKEY_PARAM_EC_PUB_X, 32);
      j["y"] = bn_param(OSSL_PKEY_PARAM_EC_PUB_Y, 32);
    }
    return j;
  }

  // header.claims.signature; the header gets alg and kid unless `header` sets them.
  std::string sign(const nlohmann::json& claims, nlohmann::json header = nlohmann::json::object()) const {
    if (!header.contains("alg")) header["alg"] = alg_;
    if (!header.contains("kid")) header["kid"] = kid_;
    if (!header.contains("typ")) header["typ"] = "JWT";
    const std::string input = net::base64url_encode(header.dump()) + "." + net::base64url_encode(claims.dump());
    return input + "." + net::base64url_encode(signature(input));
  }

 private:
  std::string bn_param(const char* name, int pad_to) const {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key_.get(), name, &bn) != 1) throw std::runtime_error("cannot read a key parameter");
    const int len = pad_to > 0 ? pad_to : BN_num_bytes(bn);
    std::string out(static_cast<std::size_t>(len), '\0');
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), len);
    BN_free(bn);
    return net::base64url_encode(out);
  }

  std::string signature(const std::string& input) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::size_t len = 0;
    if (EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
        EVP_DigestSign(md.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
      throw std::runtime_error("cannot sign");
    }
    std::string sig(len, '\0');
    if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
      throw std::runtime_error("cannot sign");
    }
    sig.resize(len);
    if (alg_ != "ES256") return sig;
    // DER (SEQUENCE of two INTEGERs) to r || s.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return raw;
  }

  std::string kid_;
  std::string alg_;
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace keel::testing
