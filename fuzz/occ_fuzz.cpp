// Fuzz target: the OCC option symbol parser. Whatever parses must print back (compact form) to a
// symbol that parses to the same contract.
#include "fuzz_common.h"
#include "keel/portfolio/occ_symbol.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = keel::fuzz::text(data, size);
  const auto s = keel::OccSymbol::parse(text);
  if (!s) return 0;
  const std::string compact = s->compact();
  const auto again = keel::OccSymbol::parse(compact);
  if (!again || again->compact() != compact) {
    std::fprintf(stderr, "OCC round trip failed: %s -> %s\n", keel::io::shown(text).c_str(), compact.c_str());
    std::abort();
  }
  keel::fuzz::check_message(compact);
  return 0;
}
