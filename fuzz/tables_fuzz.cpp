// Fuzz target: the small table readers: sectors (security master), factor returns (decimal and
// percent), curves (tenor,rate and the dated par file) and return series.
#include "fuzz_common.h"
#include "keel/io/readers.h"
#include "keel/io/return_series_reader.h"
#include "keel/portfolio/symbol_info.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keel;
  const std::string text = fuzz::text(data, size);
  auto with = [&](auto&& read) {
    fuzz::run([&] {
      Diagnostics d;
      auto csv = io::CsvReader::from_text("table.csv", text, d);
      read(csv, d);
      fuzz::check(d);
    });
  };
  with([](io::CsvReader& c, Diagnostics& d) { io::read_symbol_info(c, d); });
  with([](io::CsvReader& c, Diagnostics& d) { io::read_factors(c, io::RateUnits::kDecimal, d); });
  with([](io::CsvReader& c, Diagnostics& d) { io::read_factors(c, io::RateUnits::kPercent, d); });
  with([](io::CsvReader& c, Diagnostics& d) { io::read_curve(c, {}, d); });
  with([](io::CsvReader& c, Diagnostics& d) {
    io::CurveReadOptions o;
    o.kind = CurveKind::kPar;
    o.units = io::RateUnits::kPercent;
    o.date = Date::parse("2020-01-02");
    io::read_curve(c, o, d);
  });
  with([](io::CsvReader& c, Diagnostics& d) { io::read_return_series(c, d); });
  return 0;
}
