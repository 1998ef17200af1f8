// Sealing and opening API keys (keel/vault/sealed_value.h).
#include "keel/vault/sealed_value.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "sodium_init.h"

namespace keel::vault {
namespace {

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "keelvlt1";
constexpr std::uint64_t kValueSubkey = 1;
constexpr std::uint64_t kFingerprintSubkey = 2;
constexpr std::string_view kRowLabel = "keel sealed value v1";

// A 32-byte key on the stack, wiped when it goes out of scope.
struct Key32 {
  std::array<unsigned char, 32> b{};
  Key32() = default;
  Key32(const Key32&) = delete;
  Key32& operator=(const Key32&) = delete;
  ~Key32() { sodium_memzero(b.data(), b.size()); }
};

void subkey(Key32& out, const MasterKey& master, std::uint64_t id) {
  static_assert(crypto_kdf_KEYBYTES == kMasterKeyBytes);
  crypto_kdf_derive_from_key(out.b.data(), out.b.size(), id, kKdfContext, master.data());
}

void update_with_length(crypto_generichash_state& st, std::string_view s) {
  unsigned char len[8];
  std::uint64_t n = s.size();
  for (unsigned char& byte : len) {
    byte = static_cast<unsigned char>(n & 0xff);
    n >>= 8;
  }
  crypto_generichash_update(&st, len, sizeof len);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

// The secretbox key of one (tenant, name).
void row_key(Key32& out, const MasterKey& master, std::string_view tenant, std::string_view name) {
  Key32 enc;
  subkey(enc, master, kValueSubkey);
  crypto_generichash_state st;
  crypto_generichash_init(&st, enc.b.data(), enc.b.size(), out.b.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(kRowLabel.data()), kRowLabel.size());
  update_with_length(st, tenant);
  update_with_length(st, name);
  crypto_generichash_final(&st, out.b.data(), out.b.size());
  sodium_memzero(&st, sizeof st);
}

std::string to_base64(const unsigned char* bytes, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Decodes base64 text of a stored column; nullopt when it is not canonical base64.
std::optional<std::vector<unsigned char>> from_base64(const std::string& text) {
  std::vector<unsigned char> out(text.size() / 4 * 3 + 3);
  std::size_t n = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &n, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(n);
  return out;
}

std::string who(std::string_view tenant, std::string_view name) {
  return "key " + shown_with(name, 64, '\'') + " of tenant " + shown_with(tenant, 64, '\'');
}

}  // namespace

SealedValue seal(const MasterKey& master, std::string_view tenant, std::string_view name,
                 std::string_view value) {
  ensure_sodium();
  Key32 k;
  row_key(k, master, tenant, name);
  unsigned char nonce[crypto_secretbox_NONCEBYTES];
  randombytes_buf(nonce, sizeof nonce);
  std::vector<unsigned char> box(crypto_secretbox_MACBYTES + value.size());
  crypto_secretbox_easy(box.data(), reinterpret_cast<const unsigned char*>(value.data()), value.size(), nonce,
                        k.b.data());
  SealedValue out;
  out.version = kSealedFormatVersion;
  out.key_id = master.id();
  out.nonce = to_base64(nonce, sizeof nonce);
  out.ciphertext = to_base64(box.data(), box.size());
  return out;
}

std::string open(const MasterKey& master, std::string_view tenant, std::string_view name,
                 const SealedValue& sealed) {
  ensure_sodium();
  if (sealed.version != kSealedFormatVersion) {
    throw Error::internal(fmt::format(
        "{} is sealed in format version {}, which this keel does not know (a newer keel wrote it?)",
        who(tenant, name), sealed.version));
  }
  if (sealed.key_id != master.id()) {
    throw Error::internal(who(tenant, name) + " was sealed under master key " + sealed.key_id +
                          ", not under the master key in use (" + master.id() + ")");
  }
  const auto nonce = from_base64(sealed.nonce);
  const auto box = from_base64(sealed.ciphertext);
  if (!nonce || nonce->size() != crypto_secretbox_NONCEBYTES || !box ||
      box->size() < crypto_secretbox_MACBYTES) {
    throw Error::internal(who(tenant, name) + " cannot be opened: its stored row is damaged (" +
                          (!nonce || nonce->size() != crypto_secretbox_NONCEBYTES ? "nonce" : "ciphertext") +
                          " is not what keel writes)");
  }
  Key32 k;
  row_key(k, master, tenant, name);
  std::string value(box->size() - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(value.data()), box->data(), box->size(),
                                 nonce->data(), k.b.data()) != 0) {
    throw Error::internal(who(tenant, name) +
                          " cannot be opened: its ciphertext was altered, or the row was moved from another "
                          "name or tenant (the MAC does not verify)");
  }
  return value;
}

std::string fingerprint(const MasterKey& master, std::string_view tenant, std::string_view value) {
  ensure_sodium();
  Key32 k;
  subkey(k, master, kFingerprintSubkey);
  crypto_generichash_state st;
  crypto_generichash_init(&st, k.b.data(), k.b.size(), 8);
  update_with_length(st, tenant);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(value.data()), value.size());
  unsigned char fp[8];
  crypto_generichash_final(&st, fp, sizeof fp);
  sodium_memzero(&st, sizeof st);
  char hex[2 * sizeof fp + 1];
  sodium_bin2hex(hex, sizeof hex, fp, sizeof fp);
  return hex;
}

}  // namespace keel::vault
