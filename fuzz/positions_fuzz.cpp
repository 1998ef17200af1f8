// Fuzz target: the positions reader (tickers, OCC symbols, option columns) and the trades reader
// (the same rows with a signed quantity and a price).
#include <cmath>

#include "fuzz_common.h"
#include "keel/io/readers.h"
#include "keel/io/trades_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = keel::fuzz::text(data, size);
  keel::fuzz::run([&] {
    keel::Diagnostics d;
    auto csv = keel::io::CsvReader::from_text("positions.csv", text, d);
    const auto positions = keel::io::read_positions(csv, d);
    keel::fuzz::check(d);
    if (!d.has_errors()) {
      for (const auto& p : positions) {
        if (!std::isfinite(p.quantity) || std::abs(p.quantity) > keel::io::kMaxQuantity) std::abort();
      }
    }
  });
  keel::fuzz::run([&] {
    keel::Diagnostics d;
    auto csv = keel::io::CsvReader::from_text("trades.csv", text, d);
    keel::io::read_trades(csv, d);
    keel::fuzz::check(d);
  });
  return 0;
}
