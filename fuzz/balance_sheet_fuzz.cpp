// Fuzz target: the ALM balance-sheet, shock-table and user-scenario (name,tenor,shift_bp) readers.
#include "fuzz_common.h"
#include "keel/io/balance_sheet_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keel;
  const std::string text = fuzz::text(data, size);
  fuzz::run([&] {
    Diagnostics d;
    auto csv = io::CsvReader::from_text("balance.csv", text, d);
    io::read_balance_sheet(csv, {}, d);
    fuzz::check(d);
  });
  fuzz::run([&] {
    Diagnostics d;
    auto csv = io::CsvReader::from_text("shocks.csv", text, d);
    io::read_shock_table(csv, d);
    fuzz::check(d);
  });
  fuzz::run([&] {
    Diagnostics d;
    auto csv = io::CsvReader::from_text("scenarios.csv", text, d);
    io::read_scenarios(csv, d);
    fuzz::check(d);
  });
  return 0;
}
