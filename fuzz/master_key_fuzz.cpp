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
    // A refused text of 20 bytes or more (past any word of the message) must not be quoted whole.
    if (size >= 20 && std::string(e.what()).find(text) != std::string::npos) {
      std::fprintf(stderr, "the error quotes the key text\n");
      std::abort();
    }
  }
  return 0;
}
