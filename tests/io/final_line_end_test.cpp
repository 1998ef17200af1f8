// The final line-ending rule holds for every CSV reader, through the one CSV layer they share: a
// file whose last line has no line ending is read whole, with one warning naming that line; the
// same file ending in a line feed reads without it (docs/formats.md).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "keel/core/mem_files.h"
#include "keel/io/balance_sheet_reader.h"
#include "keel/io/clo_marks_reader.h"
#include "keel/io/option_quotes_reader.h"
#include "keel/io/plan_events_reader.h"
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

// The readers that return their rows whole (a CLO deal's ratings and marks, a plan's life events,
// a bootstrap return history) hand the CSV layer's warnings to their caller, so that the command,
// its JSON and the HTTP answer can show them: a ratings or marks upload, or a `keel plan retire
// --events` file, cut inside its last row is imported with the warning naming the file and line.
TEST(FinalLineEnd, TheWholeFileReadersHandTheWarningToTheirCaller) {
  const std::string cut = "the last line has no line ending: the file may be truncated";
  std::vector<std::string> w;
  // Cut inside the last rating: "Caa2" became "Ca", still a rating.
  auto ratings = parse_clo_rating_marks("as_of,obligor,rating\n2026-03-31,X,B2\n2026-03-31,Y,Ca", "body.csv", &w);
  EXPECT_EQ(ratings.size(), 2u);
  EXPECT_EQ(w, std::vector<std::string>{"body.csv:3: " + cut});
  w.clear();
  // Cut inside the last price: "98.25" became "98".
  auto marks = parse_clo_price_marks("as_of,obligor,price\n2026-03-31,X,62.5\n2026-03-31,Y,98", "body.csv", &w);
  EXPECT_EQ(marks.size(), 2u);
  EXPECT_EQ(w, std::vector<std::string>{"body.csv:3: " + cut});
  w.clear();
  MemFiles files;
  files.put("marks.csv", "as_of,obligor,price\n2026-03-31,X,62.5\n2026-03-31,Y,98");
  marks = read_clo_price_marks(files.open("marks.csv", "marks"), &w);
  EXPECT_EQ(w, std::vector<std::string>{"marks.csv:3: " + cut});
  w.clear();
  files.put("ratings.csv", "as_of,obligor,rating\n2026-03-31,X,B2\n2026-03-31,Y,Ca");
  ratings = read_clo_rating_marks(files.open("ratings.csv", "ratings"), &w);
  EXPECT_EQ(w, std::vector<std::string>{"ratings.csv:3: " + cut});
  w.clear();
  files.put("migration.csv", "from,B2,Caa1\nB2,0.9,0.1\nCaa1,0.2,0.8");
  read_clo_migration_matrix(files.open("migration.csv", "migration"), &w);
  EXPECT_EQ(w, std::vector<std::string>{"migration.csv:3: " + cut});
  w.clear();
  files.put("pairs.csv", "obligor_a,obligor_b,correlation\nX,Y,0.3");
  read_clo_pair_correlations(files.open("pairs.csv", "pairs"), &w);
  EXPECT_EQ(w, std::vector<std::string>{"pairs.csv:2: " + cut});
  w.clear();
  // A life event cut inside its amount: "40000" became "40".
  files.put("events.csv", "year,type,amount,label\n5,income_change,12000,pension\n12,expense,40");
  const auto events = read_plan_events_file(files, "events.csv", 30, &w);
  EXPECT_EQ(events.size(), 2u);
  EXPECT_EQ(w, std::vector<std::string>{"events.csv:3: " + cut});
  w.clear();
  files.put("history.csv", "date,return\n2019-01-01,0.1\n2020-01-01,0.0");
  read_return_series_file(files.open("history.csv", "returns"), ReturnFrequency::kAnnual, RateUnits::kDecimal, &w);
  EXPECT_EQ(w, std::vector<std::string>{"history.csv:3: " + cut});
  // Whole files: no warning.
  w.clear();
  parse_clo_rating_marks("as_of,obligor,rating\n2026-03-31,X,B2\n", "body.csv", &w);
  files.put("events.csv", "year,type,amount\n5,income_change,12000\n");
  read_plan_events_file(files, "events.csv", 30, &w);
  EXPECT_EQ(w, std::vector<std::string>{});
}

}  // namespace
}  // namespace keel::io
