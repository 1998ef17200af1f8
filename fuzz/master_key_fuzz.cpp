// Fuzz target: the master key's text form (keel/vault/master_key.h), the contents of a key file
// and of KEEL_MASTER_KEY. Whatever parses must be a 32-byte key that prints back (base64) to text
// parsing to the same key; whatever is refused must be refused with a keel::Error whose message
// is bounded UTF-8 and never repeats the text (which may be most of a key).
#include "fuzz_common.h"
#include "keel/vault/master_key.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = keel::fuzz::text(data, size);
  try {
    const keel::vault::MasterKey key = keel::vault::parse_master_key(text, "master.key");
    const std::string printed = key.to_text();
    const keel::vault::MasterKey again = keel::vault::parse_master_key(printed, "master.key");
    if (printed.size() != 44 || again.id() != key.id()) {
      std::fprintf(stderr, "master key round trip failed\n");
      std::abort();
    }
  } catch (const keel::Error& e) {
    keel::fuzz::check(e);
    // A refused key of 20 bytes or more must not be quoted. The key is the text without its
    // surrounding whitespace, and only a key with no whitespace inside is checked: the messages'
    // own words are separated by spaces, so a text copied from a message ("a 32-byte key as 44
    // base64 characters") is found in it without having been quoted. No run of 20 or more
    // non-space bytes occurs in any message (the longest, "master.key:LINE:COLUMN:", stays under
    // 20 within libFuzzer's -max_len).
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    const std::size_t last = text.find_last_not_of(" \t\r\n");
    if (first != std::string::npos) {
      const std::string key = text.substr(first, last - first + 1);
      if (key.size() >= 20 && key.find_first_of(" \t\r\n") == std::string::npos &&
          std::string(e.what()).find(key) != std::string::npos) {
        std::fprintf(stderr, "the error quotes the key text\n");
        std::abort();
      }
    }
  }
  return 0;
}
