// Fuzz target: IBKR Flex Query XML statements through the markup tokenizer, the reader, the
// currency conversion and the booking (statement_fuzz.h).
#include "keel/io/ibkr_flex_reader.h"
#include "statement_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  keel::fuzz::statement(data, size, keel::io::read_ibkr_flex);
  return 0;
}
