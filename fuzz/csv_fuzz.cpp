// Fuzz target: the CSV layer (records, quoting, line ends, UTF-8 and control-character checks),
// with ',' and ';' separators.
#include "fuzz_common.h"
#include "keel/io/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (char delim : {',', ';'}) {
    keel::Diagnostics d;
    auto csv = keel::io::CsvReader::from_text("fuzz.csv", keel::fuzz::text(data, size), d, delim);
    keel::io::CsvRecord r;
    std::size_t last_line = 0;
    while (csv.next(r)) {
      // Records come in file order, each within the bound.
      if (r.line < last_line) std::abort();
      last_line = r.line;
      std::size_t bytes = 0;
      for (auto f : r.fields) bytes += f.size();
      if (bytes > keel::io::CsvReader::kMaxRecordBytes) std::abort();
      keel::io::CsvCells cells(csv, d);
      for (int c = 0; c < static_cast<int>(r.fields.size()); ++c) {
        cells.number(r, c, false);
        cells.date(r, c, false);
      }
    }
    keel::fuzz::check(d);
  }
  return 0;
}
