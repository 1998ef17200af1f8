// keel/vault/master_key.h: the key vault's master key — 32 random bytes that seal every stored API
// key (keel/vault/sealed_value.h) — and its text form.
//
// The bytes live in memory from libsodium's sodium_malloc: guard pages around them, locked out of
// swap where the system allows, wiped when the key is destroyed. A key is named by its id, 16 hex
// digits of a keyed hash (BLAKE2b keyed with the master key over a fixed label): the same key always
// has the same id, different keys have different ids, and the id reveals nothing about the key, so
// it may be stored beside the sealed values and printed in messages. The text form (the key file's
// contents, KEEL_MASTER_KEY, the OS keyring's item) is standard base64 of the 32 bytes, with hex
// accepted when reading.
//
// Thread-safety: a MasterKey is immutable after construction; its methods may be called from any
// thread. Ownership: move-only; the moved-from key is empty (valid() is false).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace keel::vault {

inline constexpr std::size_t kMasterKeyBytes = 32;

class MasterKey {
 public:
  // 32 bytes from the operating system's random source (libsodium's randombytes_buf).
  static MasterKey generate();
  // A copy of exactly kMasterKeyBytes bytes.
  static MasterKey from_bytes(const unsigned char* bytes);

  MasterKey(MasterKey&& other) noexcept;
  MasterKey& operator=(MasterKey&& other) noexcept;
  MasterKey(const MasterKey&) = delete;
  MasterKey& operator=(const MasterKey&) = delete;
  ~MasterKey();

  bool valid() const { return bytes_ != nullptr; }
  // The kMasterKeyBytes bytes (valid() keys only).
  const unsigned char* data() const { return bytes_; }
  // 16 lowercase hex digits naming the key (see the file comment).
  const std::string& id() const { return id_; }
  // Standard base64 with padding (44 characters): the form written to key files and the keyring.
  // The caller must wipe the returned string's buffer when done (sodium_memzero), as the sources do.
  std::string to_text() const;
  MasterKey copy() const;

 private:
  MasterKey();
  unsigned char* bytes_ = nullptr;  // sodium_malloc'd, kMasterKeyBytes
  std::string id_;
};

// Reads a master key written as base64 (44 characters with '=' padding, or 43 without; the
// standard alphabet or the URL-safe one) or as 64 hex digits, with surrounding whitespace (a
// trailing newline) ignored. Throws keel::Error(invalid_input) "<where>:<line>:<column>: ..."
// saying what was expected; the message never quotes the text, which may be most of a key.
MasterKey parse_master_key(std::string_view text, std::string_view where);

}  // namespace keel::vault
