// keel/vault/sealed_value.h: one API key sealed under the master key, bound to its tenant and name.
//
// Sealing (format version 1), with libsodium only:
//   k_enc = crypto_kdf_derive_from_key(32, 1, "keelvlt1", master)        subkey for values
//   k_fp  = crypto_kdf_derive_from_key(32, 2, "keelvlt1", master)        subkey for fingerprints
//   k_row = BLAKE2b-256 keyed with k_enc over "keel sealed value v1" || len(tenant) || tenant
//           || len(name) || name                                         (lengths: 8 bytes, little-endian)
//   nonce = 24 random bytes (randombytes_buf), new for every value sealed
//   box   = crypto_secretbox_easy(value, nonce, k_row)                    XSalsa20-Poly1305: MAC ||
//   ciphertext
// The tenant and name enter the key itself, so a row copied to another name or tenant is opened
// with another key and its MAC fails: refused, never decrypted into garbage. The master key's id is
// stored beside the box, so a wrong master key is told apart from a damaged row before any
// decryption is tried.
//
// The fingerprint of a value is BLAKE2b keyed with k_fp over len(tenant) || tenant || value, cut to
// 8 bytes (16 hex digits): it tells two values apart and shows that a value changed, and since it
// is keyed it cannot be used to test guesses of the value without the master key (a prefix or a
// plain hash of the secret could). It includes the tenant, so two tenants holding the same key
// cannot tell. A new master key gives every value a new fingerprint.
//
// Thread-safety: pure functions (randombytes_buf is thread-safe).
#pragma once

#include <string>
#include <string_view>

#include "keel/vault/master_key.h"

namespace keel::vault {

inline constexpr int kSealedFormatVersion = 1;

// A sealed value as the store keeps it: text columns.
struct SealedValue {
  int version = kSealedFormatVersion;
  std::string key_id;      // id of the master key that sealed it (MasterKey::id)
  std::string nonce;       // base64 of the 24-byte nonce
  std::string ciphertext;  // base64 of the secretbox (16-byte MAC, then the encrypted value)
};

// Seals `value` for (tenant, name) under `master`.
SealedValue seal(const MasterKey& master, std::string_view tenant, std::string_view name,
                 std::string_view value);

// The value sealed in `sealed` for (tenant, name). Throws keel::Error(internal) naming the key and
// tenant (never a value) when `master` is not the key that sealed it (ids differ), when the row is
// damaged (bad base64, wrong lengths, an unknown format version), or when the MAC fails (the
// ciphertext was altered, or the row was moved from another name or tenant).
std::string open(const MasterKey& master, std::string_view tenant, std::string_view name,
                 const SealedValue& sealed);

// 16 hex digits (see the file comment).
std::string fingerprint(const MasterKey& master, std::string_view tenant, std::string_view value);

}  // namespace keel::vault
