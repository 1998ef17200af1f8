// keel/net/crypto.h: the encodings, digests and MACs of the web's security protocols, as single
// sign-on (keel/net/oidc.h: JWS, PKCE) and webhook signatures (keel/service/webhooks.h: Standard
// Webhooks) use them; OpenSSL computes.
//
// Thread-safety: pure functions (the random generator is OpenSSL's, safe from any thread).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace keel::net {

// base64url without padding (RFC 4648 §5), as JWS and PKCE write it.
std::string base64url_encode(std::string_view bytes);
// nullopt for a character outside the alphabet, padding, or a length no encoding has.
std::optional<std::string> base64url_decode(std::string_view text);

// Standard base64 with padding (RFC 4648 §4).
std::string base64_encode(std::string_view bytes);
// nullopt for anything but standard base64 with its padding.
std::optional<std::string> base64_decode(std::string_view text);

// `bytes` random bytes from the operating system's generator (OpenSSL's RAND_bytes).
std::string random_bytes(std::size_t bytes);
// The same as lower-case hex digits (2 per byte): token ids, request ids, refresh families.
std::string random_hex(std::size_t bytes);
// The same, base64url encoded.
std::string random_base64url(std::size_t bytes);
// base64url(SHA-256(text)): the PKCE S256 code challenge of a verifier, and the digest keel keeps
// of a state instead of the state itself.
std::string sha256_base64url(std::string_view text);
// HMAC-SHA256 of `message` under `key` (RFC 2104), the 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view message);

}  // namespace keel::net
