// Sealing API keys (keel/vault/sealed_value.h). The fixed expectations come from an independent
// implementation, Python's hashlib (BLAKE2b with salt and personalisation, which is what libsodium's
// crypto_kdf_derive_from_key is) and PyNaCl (Debian's python3-nacl) for XSalsa20-Poly1305:
//   k = bytes(range(32))
//   kdf = lambda i: hashlib.blake2b(b"", digest_size=32, key=k, salt=i.to_bytes(8, "little") + bytes(8),
//                                   person=b"keelvlt1" + bytes(8)).digest()
//   lp = lambda s: len(s).to_bytes(8, "little") + s
//   k_row = hashlib.blake2b(b"keel sealed value v1" + lp(b"acme") + lp(b"polygon"), key=kdf(1),
//   digest_size=32) box = nacl.bindings.crypto_secretbox(b"pk_test_123", bytes(24), k_row.digest())
//   fingerprint = hashlib.blake2b(lp(b"acme") + b"pk_test_123", key=kdf(2), digest_size=8).hexdigest()
#include "keel/vault/sealed_value.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "keel/core/error.h"

namespace keel::vault {
namespace {

MasterKey key_0_to_31() {
  return parse_master_key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "test");
}

// The box PyNaCl made for "pk_test_123" of (acme, polygon) under key_0_to_31(), with a zero nonce.
SealedValue python_sealed() {
  SealedValue s;
  s.key_id = "becc6a7295d6c449";
  s.nonce = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  s.ciphertext = "TDxWNo7TRPvhMl6Ai+Gku85aJanMeZ266Xao";
  return s;
}

std::string open_error(const MasterKey& k, std::string_view tenant, std::string_view name,
                       const SealedValue& s) {
  try {
    (void)open(k, tenant, name, s);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    return e.what();
  }
  ADD_FAILURE() << "opened";
  return "";
}

TEST(SealedValue, OpensWhatAnIndependentImplementationSealed) {
  EXPECT_EQ(open(key_0_to_31(), "acme", "polygon", python_sealed()), "pk_test_123");
  EXPECT_EQ(fingerprint(key_0_to_31(), "acme", "pk_test_123"), "9c2286237c1fba52");
}

TEST(SealedValue, RoundTripsWithAFreshNonceEachTime) {
  const MasterKey k = MasterKey::generate();
  std::set<std::string> nonces, boxes;
  for (int i = 0; i < 20; ++i) {
    const SealedValue s = seal(k, "acme", "openai", "sk-live-0123456789");
    EXPECT_EQ(s.version, 1);
    EXPECT_EQ(s.key_id, k.id());
    EXPECT_EQ(open(k, "acme", "openai", s), "sk-live-0123456789");
    nonces.insert(s.nonce);
    boxes.insert(s.ciphertext);
    EXPECT_EQ(s.ciphertext.find("sk-live"), std::string::npos);
  }
  EXPECT_EQ(nonces.size(), 20u);
  EXPECT_EQ(boxes.size(), 20u);
}

TEST(SealedValue, AWrongMasterKeyIsToldApartFromGarbage) {
  const MasterKey right = key_0_to_31();
  const MasterKey wrong = MasterKey::generate();
  const SealedValue s = seal(right, "acme", "polygon", "pk_test_123");
  EXPECT_EQ(open_error(wrong, "acme", "polygon", s),
            "key 'polygon' of tenant 'acme' was sealed under master key becc6a7295d6c449, not under the "
            "master key in "
            "use (" +
                wrong.id() + ")");
  // Even with the id forged to match, the MAC refuses: no garbage comes out.
  SealedValue forged = s;
  forged.key_id = wrong.id();
  EXPECT_NE(open_error(wrong, "acme", "polygon", forged).find("the MAC does not verify"), std::string::npos);
}

TEST(SealedValue, ATamperedOrMovedRowIsRefused) {
  const MasterKey k = key_0_to_31();
  const SealedValue s = python_sealed();
  const std::string moved =
      "cannot be opened: its ciphertext was altered, or the row was moved from another name or "
      "tenant (the MAC does not verify)";
  EXPECT_EQ(open_error(k, "globex", "polygon", s), "key 'polygon' of tenant 'globex' " + moved);
  EXPECT_EQ(open_error(k, "acme", "fred", s), "key 'fred' of tenant 'acme' " + moved);
  // Tenant and name are length-prefixed: moving a character across the boundary changes the key.
  EXPECT_EQ(open_error(k, "acmep", "olygon", s), "key 'olygon' of tenant 'acmep' " + moved);
  SealedValue flipped = s;
  flipped.ciphertext[20] = flipped.ciphertext[20] == 'A' ? 'B' : 'A';
  EXPECT_EQ(open_error(k, "acme", "polygon", flipped), "key 'polygon' of tenant 'acme' " + moved);
  SealedValue other_nonce = s;
  other_nonce.nonce = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  EXPECT_EQ(open_error(k, "acme", "polygon", other_nonce), "key 'polygon' of tenant 'acme' " + moved);
  SealedValue short_nonce = s;
  short_nonce.nonce = "AAAA";
  EXPECT_EQ(open_error(k, "acme", "polygon", short_nonce),
            "key 'polygon' of tenant 'acme' cannot be opened: its stored row is damaged (nonce is not what "
            "keel writes)");
  SealedValue future = s;
  future.version = 2;
  EXPECT_NE(open_error(k, "acme", "polygon", future).find("format version 2"), std::string::npos);
}

TEST(SealedValue, FingerprintsAreKeyedAndPerTenant) {
  const MasterKey k = key_0_to_31();
  const std::string fp = fingerprint(k, "acme", "pk_test_123");
  EXPECT_EQ(fp.size(), 16u);
  EXPECT_NE(fingerprint(k, "globex", "pk_test_123"), fp);                    // another tenant cannot compare
  EXPECT_NE(fingerprint(MasterKey::generate(), "acme", "pk_test_123"), fp);  // keyed by the master key
  EXPECT_NE(fingerprint(k, "acme", "pk_test_124"), fp);
  EXPECT_EQ(fp.find("pk_"), std::string::npos);
}

}  // namespace
}  // namespace keel::vault
