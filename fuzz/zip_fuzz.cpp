// Fuzz target: zip archives as a balance sheet arrives in one (keel alm --balance-sheet BOOK.zip,
// balance_sheet_zip over HTTP): every .csv entry inflated within its bound, or invalid_input; each
// entry then read as a balance sheet. Never a crash, a hang or more bytes than the bound.
#include "fuzz_common.h"
#include "keel/io/balance_sheet_reader.h"
#include "keel/marketdata/zip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keel;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  fuzz::run([&] {
    constexpr std::size_t kBound = 1 << 22;
    const auto entries = marketdata::zip_read_entries(bytes, ".csv", "fuzz.zip", kBound);
    std::size_t total = 0;
    for (const auto& e : entries) total += e.data.size();
    if (total > kBound) std::abort();
    for (const auto& e : entries) {
      Diagnostics d;
      auto csv = io::CsvReader::from_text("fuzz.zip/" + e.name, e.data, d);
      io::read_balance_sheet(csv, {}, d);
      fuzz::check(d);
    }
  });
  return 0;
}
