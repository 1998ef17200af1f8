// Fuzz target: the prices reader (long and wide layouts, duplicate detection).
#include "fuzz_common.h"
#include "keel/io/readers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  keel::fuzz::run([&] {
    keel::Diagnostics d;
    auto csv = keel::io::CsvReader::from_text("prices.csv", keel::fuzz::text(data, size), d);
    const auto rows = keel::io::read_prices(csv, d, [](keel::PriceRows) {}, 7);
    keel::fuzz::check(d);
    if (!d.has_errors()) {
      for (std::size_t i = 0; i < rows.size(); ++i) {
        // Accepted rows hold finite, positive closes within the documented bound.
        if (!(rows.close[i] > 0 && rows.close[i] <= keel::io::kMaxPrice)) std::abort();
      }
    }
  });
  return 0;
}
