// Fuzz target: the input layer on arbitrary file contents (gzip or not): it either returns bytes
// or refuses with invalid_input, never crashes, hangs or returns more than its bound. The input
// is handed over in memory (keel/core/byte_source.h), as a Files hands a file to the readers.
#include "fuzz_common.h"
#include "keel/io/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  keel::fuzz::run([&] {
    auto src = keel::io::Input::open(keel::memory_source("fuzz.gz", bytes), 1 << 22);
    std::string buf(1 << 16, '\0');
    std::size_t total = 0;
    while (const std::size_t n = src->read(buf.data(), buf.size())) total += n;
    if (total > (1u << 22)) std::abort();
  });
  keel::fuzz::run([&] {
    keel::Diagnostics d;
    auto csv = keel::io::CsvReader::open(keel::memory_source("fuzz.csv", bytes), d);
    keel::io::CsvRecord r;
    while (csv.next(r)) {
    }
    keel::fuzz::check(d);
  });
  return 0;
}
