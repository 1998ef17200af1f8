// MasterKey and its text form (keel/vault/master_key.h).
#include "keel/vault/master_key.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cstring>
#include <new>
#include <utility>

#include "keel/core/error.h"
#include "sodium_init.h"

namespace keel::vault {
namespace {

// The label hashed under the key to name it; a new label would give every key a new id.
constexpr std::string_view kIdLabel = "keel vault master key id v1";

std::string hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

MasterKey::MasterKey() {
  ensure_sodium();
  bytes_ = static_cast<unsigned char*>(sodium_malloc(kMasterKeyBytes));
  if (bytes_ == nullptr) throw std::bad_alloc();
}

MasterKey::MasterKey(MasterKey&& other) noexcept
    : bytes_(std::exchange(other.bytes_, nullptr)), id_(std::move(other.id_)) {}

MasterKey& MasterKey::operator=(MasterKey&& other) noexcept {
  if (this != &other) {
    if (bytes_ != nullptr) sodium_free(bytes_);
    bytes_ = std::exchange(other.bytes_, nullptr);
    id_ = std::move(other.id_);
  }
  return *this;
}

MasterKey::~MasterKey() {
  if (bytes_ != nullptr) sodium_free(bytes_);  // wipes the bytes before freeing them
}

MasterKey MasterKey::generate() {
  MasterKey k;
  randombytes_buf(k.bytes_, kMasterKeyBytes);
  unsigned char id[8];
  crypto_generichash(id, sizeof id, reinterpret_cast<const unsigned char*>(kIdLabel.data()), kIdLabel.size(),
                     k.bytes_, kMasterKeyBytes);
  k.id_ = hex(id, sizeof id);
  return k;
}

MasterKey MasterKey::from_bytes(const unsigned char* bytes) {
  MasterKey k;
  std::memcpy(k.bytes_, bytes, kMasterKeyBytes);
  unsigned char id[8];
  crypto_generichash(id, sizeof id, reinterpret_cast<const unsigned char*>(kIdLabel.data()), kIdLabel.size(),
                     k.bytes_, kMasterKeyBytes);
  k.id_ = hex(id, sizeof id);
  return k;
}

MasterKey MasterKey::copy() const {
  return from_bytes(bytes_);
}

std::string MasterKey::to_text() const {
  constexpr std::size_t n = sodium_base64_ENCODED_LEN(kMasterKeyBytes, sodium_base64_VARIANT_ORIGINAL);
  std::string out(n, '\0');
  sodium_bin2base64(out.data(), n, bytes_, kMasterKeyBytes, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

MasterKey parse_master_key(std::string_view text, std::string_view where) {
  // Position of byte `i` as line:column (1-based), for messages that point without quoting.
  auto at = [&](std::size_t i) {
    std::size_t line = 1, col = 1;
    for (std::size_t k = 0; k < i && k < text.size(); ++k) {
      if (text[k] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return fmt::format("{}:{}:{}: ", where, line, col);
  };
  constexpr const char* kExpected = "a 32-byte key as 44 base64 characters or 64 hex digits";
  std::size_t begin = 0, end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  if (begin == end) throw Error::invalid_input(at(begin) + "no key: expected " + kExpected);
  const std::string_view body = text.substr(begin, end - begin);
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (is_space(body[i])) {
      throw Error::invalid_input(at(begin + i) + "whitespace inside the key: expected " + kExpected +
                                 " on one line");
    }
  }

  unsigned char bytes[kMasterKeyBytes];
  struct Wipe {
    unsigned char* p;
    ~Wipe() { sodium_memzero(p, kMasterKeyBytes); }
  } wipe{bytes};
  std::size_t decoded = 0;

  if (body.size() == 64) {
    for (std::size_t i = 0; i < body.size(); ++i) {
      if (!is_hex(body[i])) throw Error::invalid_input(at(begin + i) + "expected a hex digit (0-9, a-f)");
    }
    if (sodium_hex2bin(bytes, sizeof bytes, body.data(), body.size(), nullptr, &decoded, nullptr) != 0 ||
        decoded != kMasterKeyBytes) {
      throw Error::invalid_input(at(begin) + "expected " + kExpected);
    }
    return MasterKey::from_bytes(bytes);
  }
  if (body.size() != 43 && body.size() != 44) {
    throw Error::invalid_input(
        fmt::format("{}expected {}, found {} characters", at(begin), kExpected, body.size()));
  }
  // One alphabet per key: standard (+ /) or URL-safe (- _).
  bool standard = false, url_safe = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (i == 43) {
      if (c != '=') throw Error::invalid_input(at(begin + i) + "expected '=' (base64 padding) at the end");
      continue;
    }
    if (c == '+' || c == '/') {
      standard = true;
    } else if (c == '-' || c == '_') {
      url_safe = true;
    } else if (!is_alnum(c)) {
      throw Error::invalid_input(at(begin + i) +
                                 "expected a base64 character (A-Z, a-z, 0-9, + and /, or - and _)");
    }
    if (standard && url_safe) {
      throw Error::invalid_input(at(begin + i) +
                                 "base64 of two alphabets: expected + and / or - and _, not both");
    }
  }
  const int variant =
      url_safe
          ? (body.size() == 44 ? sodium_base64_VARIANT_URLSAFE : sodium_base64_VARIANT_URLSAFE_NO_PADDING)
          : (body.size() == 44 ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  if (sodium_base642bin(bytes, sizeof bytes, body.data(), body.size(), nullptr, &decoded, nullptr, variant) !=
          0 ||
      decoded != kMasterKeyBytes) {
    // 43 characters carry 258 bits: the last one's 2 spare bits must be zero in canonical base64.
    throw Error::invalid_input(at(begin + 42) +
                               "not canonical base64 (the last character's spare bits are set)");
  }
  return MasterKey::from_bytes(bytes);
}

}  // namespace keel::vault
