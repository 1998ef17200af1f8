// The master key's text form and id (keel/vault/master_key.h). Expected ids come from Python's
// hashlib (an independent BLAKE2b): hashlib.blake2b(b"keel vault master key id v1", key=k,
// digest_size=8).hexdigest() with k = bytes(range(32)).
#include "keel/vault/master_key.h"

#include <gtest/gtest.h>

#include <string>

#include "keel/core/error.h"

namespace keel::vault {
namespace {

constexpr const char* kBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";  // bytes 0..31
constexpr const char* kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kId = "becc6a7295d6c449";

// The message of the Error `fn` throws ("" when it throws none).
template <class F>
std::string message_of(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(MasterKey, ParsesBase64AndHexOfTheSameBytes) {
  const MasterKey a = parse_master_key(std::string(kBase64) + "\n", "master.key");
  const MasterKey b = parse_master_key(kHex, "KEEL_MASTER_KEY");
  const MasterKey c = parse_master_key("  AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\r\n", "x");  // unpadded
  for (const MasterKey* k : {&a, &b, &c}) {
    ASSERT_TRUE(k->valid());
    for (int i = 0; i < 32; ++i) EXPECT_EQ(k->data()[i], i);
    EXPECT_EQ(k->id(), kId);
  }
  EXPECT_EQ(a.to_text(), kBase64);
  // The URL-safe alphabet: 0xfb 0xff -> "-_" where standard base64 has "+/".
  const MasterKey url = parse_master_key("-_8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "x");
  EXPECT_EQ(url.data()[0], 0xfb);
  EXPECT_EQ(url.data()[1], 0xff);
  EXPECT_EQ(url.to_text(), "+/8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
}

TEST(MasterKey, GeneratedKeysDifferAndRoundTripThroughText) {
  const MasterKey a = MasterKey::generate();
  const MasterKey b = MasterKey::generate();
  EXPECT_NE(a.id(), b.id());
  EXPECT_EQ(a.id().size(), 16u);
  const MasterKey again = parse_master_key(a.to_text(), "x");
  EXPECT_EQ(again.id(), a.id());
  MasterKey moved = a.copy();
  MasterKey target = std::move(moved);
  EXPECT_FALSE(moved.valid());  // NOLINT(bugprone-use-after-move): the moved-from state is documented
  EXPECT_EQ(target.id(), a.id());
}

TEST(MasterKey, BadTextIsRefusedWithItsPlaceAndNeverQuoted) {
  EXPECT_EQ(message_of([] { parse_master_key("", "/k/master.key"); }),
            "/k/master.key:1:1: no key: expected a 32-byte key as 44 base64 characters or 64 hex digits");
  EXPECT_EQ(message_of([] { parse_master_key("abc", "KEEL_MASTER_KEY"); }),
            "KEEL_MASTER_KEY:1:1: expected a 32-byte key as 44 base64 characters or 64 hex digits, found 3 "
            "characters");
  // A '*' at byte 11 of the second line (after a blank first line).
  const std::string bad = std::string("\nAAECAwQFBg*") + std::string(kBase64).substr(11);
  const std::string m = message_of([&] { parse_master_key(bad, "f"); });
  EXPECT_EQ(m, "f:2:11: expected a base64 character (A-Z, a-z, 0-9, + and /, or - and _)");
  EXPECT_EQ(message_of([] { parse_master_key(std::string(kHex).substr(0, 63) + "g", "f"); }),
            "f:1:64: expected a hex digit (0-9, a-f)");
  EXPECT_EQ(message_of([] { parse_master_key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\nAAAA", "f"); }),
            "f:1:45: whitespace inside the key: expected a 32-byte key as 44 base64 characters or 64 hex "
            "digits on one "
            "line");
  EXPECT_EQ(message_of([] { parse_master_key("+AECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh-=", "f"); }),
            "f:1:43: base64 of two alphabets: expected + and / or - and _, not both");
  // 43 characters carry 258 bits; "...Hh9" sets the 2 spare bits (canonical is "...Hh8").
  EXPECT_EQ(message_of([] { parse_master_key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9", "f"); }),
            "f:1:43: not canonical base64 (the last character's spare bits are set)");
  // No message quotes the text it refused.
  for (const std::string& text : {std::string(kBase64).substr(0, 40) + "!!!!", std::string(kHex) + "00"}) {
    const std::string msg = message_of([&] { parse_master_key(text, "f"); });
    EXPECT_EQ(msg.find(text.substr(0, 12)), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace keel::vault
