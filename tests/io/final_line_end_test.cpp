// The final line-ending rule holds for every CSV reader, through the one CSV layer they share: a
// file whose last line has no line ending is read whole, with one warning naming that line; the
// same file ending in a line feed reads without it (docs/formats.md).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "keel/io/balance_sheet_reader.h"
#include "keel/io/option_quotes_reader.h"
#include "keel/io/readers.h"
#include "keel/io/return_series_reader.h"
#include "keel/io/trades_reader.h"
#include "keel/portfolio/symbol_info.h"

namespace keel::io {
namespace {

struct Case {
  const char* reader;
  std::string text;  // a valid file, its last line without a line ending
  std::size_t last_line;
  std::function<void(CsvReader&, Diagnostics&)> read;
};

std::vector<std::string> warnings_of(const Case& c, const std::string& text) {
  Diagnostics d;
  auto csv = CsvReader::from_text("in.csv", text, d);
  c.read(csv, d);
  EXPECT_FALSE(d.has_errors()) << c.reader << ": " << (d.errors().empty() ? "" : d.errors()[0].to_string());
  std::vector<std::string> out;
  for (const auto& w : d.warnings()) out.push_back(w.to_string());
  return out;
}

TEST(FinalLineEnd, EveryCsvReaderNamesAMissingLastLineEnding) {
  const std::vector<Case> cases = {
      {"factors", "date,mkt_rf,smb\n2017-01-03,0.83,-0.17\n2017-01-04,0.78,0.3", 3,
       [](CsvReader& c, Diagnostics& d) { read_factors(c, RateUnits::kPercent, d); }},
      {"curve", "tenor,rate\n3M,0.012\n1Y,0.016\n10Y,0.02", 4,
       [](CsvReader& c, Diagnostics& d) { read_curve(c, CurveReadOptions{}, d); }},
      {"sectors", "symbol,sector\nAAPL,Information Technology\nXOM,Ener", 3,
       [](CsvReader& c, Diagnostics& d) { read_symbol_info(c, d); }},
      {"trades", "symbol,quantity,price\nAAPL,-500,170\nJPM,-1000,10", 3,
       [](CsvReader& c, Diagnostics& d) { read_trades(c, d); }},
      {"alm scenarios", "name,tenor,shift_bp\ntwist,10Y,-50\ntwist,1Y,100\nup,1Y,2", 4,
       [](CsvReader& c, Diagnostics& d) { read_scenarios(c, d); }},
      {"return series", "date,return\n2019-01-01,0.1\n2020-01-01,0.0", 3,
       [](CsvReader& c, Diagnostics& d) { read_return_series(c, d); }},
      {"option quotes", "symbol,option_type,strike,years,spot,price\nXYZ,call,120,2,100,16.7", 2,
       [](CsvReader& c, Diagnostics& d) { read_option_quotes(c, d); }},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(warnings_of(c, c.text),
              (std::vector<std::string>{"in.csv:" + std::to_string(c.last_line) +
                                        ": the last line has no line ending: the file may be truncated"}))
        << c.reader;
    EXPECT_EQ(warnings_of(c, c.text + "\n"), std::vector<std::string>{}) << c.reader;
  }
}

}  // namespace
}  // namespace keel::io
