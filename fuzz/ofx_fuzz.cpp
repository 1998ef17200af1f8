// Fuzz target: OFX/QFX statements (SGML 1.x and XML 2.x) through the markup tokenizer, the reader,
// the currency conversion and the booking (statement_fuzz.h).
#include "keel/io/ofx_reader.h"
#include "statement_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  keel::fuzz::statement(data, size, keel::io::read_ofx);
  return 0;
}
