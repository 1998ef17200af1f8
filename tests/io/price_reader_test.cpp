#include <gtest/gtest.h>

#include "read_text.h"

#include "keel/io/readers.h"

namespace keel::io {
namespace {

using Result = testing::ReadResult<PriceRows>;

Result read(const std::string& text) {
  return testing::read_text("p.csv", text, [](CsvReader& csv, Diagnostics& d) { return read_prices(csv, d); });
}

TEST(ReadPrices, LongFormatWithOptionalColumns) {
  auto r = read("date,symbol,open,close,adj_close,volume\n2017-01-03,AAPL,115.8,116.15,111.7,28781900\n"
                "2017-01-03,MSFT,62.79,62.58,60.3,20694100\n2017-01-04,AAPL,115.85,116.02,,21118100\n");
  ASSERT_FALSE(r.diags.has_errors()) << r.errors()[0];
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows.symbols, (std::vector<std::string>{"AAPL", "MSFT"}));
  EXPECT_EQ(r.rows.symbol_index, (std::vector<std::uint32_t>{0, 1, 0}));
  EXPECT_DOUBLE_EQ(r.rows.close[0], 116.15);
  EXPECT_DOUBLE_EQ(r.rows.adj_close[0], 111.7);
  EXPECT_TRUE(is_missing(r.rows.adj_close[2]));
  EXPECT_TRUE(is_missing(r.rows.high[0]));
  EXPECT_DOUBLE_EQ(r.rows.volume[1], 20694100);
}

TEST(ReadPrices, SymbolsAreNumberedRightWhenADaysOrderChanges) {
  // By date, then symbol: day 2 lacks BBB (the symbol that followed AAA on day 1), day 3 brings
  // DDD between AAA and BBB. Numbered by first appearance: AAA 0, BBB 1, CCC 2, DDD 3.
  auto r = read("date,symbol,close\n"
                "2024-01-02,AAA,1\n2024-01-02,BBB,2\n2024-01-02,CCC,3\n"
                "2024-01-03,AAA,4\n2024-01-03,CCC,5\n"
                "2024-01-04,AAA,6\n2024-01-04,DDD,7\n2024-01-04,BBB,8\n2024-01-04,CCC,9\n");
  ASSERT_FALSE(r.diags.has_errors()) << r.errors()[0];
  EXPECT_EQ(r.rows.symbols, (std::vector<std::string>{"AAA", "BBB", "CCC", "DDD"}));
  EXPECT_EQ(r.rows.symbol_index, (std::vector<std::uint32_t>{0, 1, 2, 0, 2, 0, 3, 1, 2}));
  EXPECT_EQ(r.rows.close, (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(ReadPrices, WideFormatSkipsEmptyCells) {
  auto r = read("date,AAPL,MSFT\n2017-01-03,116.15,62.58\n2017-01-04,,62.30\n");
  ASSERT_FALSE(r.diags.has_errors());
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows.symbols, (std::vector<std::string>{"AAPL", "MSFT"}));
  EXPECT_DOUBLE_EQ(r.rows.close[2], 62.30);
  EXPECT_EQ(r.rows.date[2].to_string(), "2017-01-04");
}

TEST(ReadPrices, ReportsEveryBadCellTogether) {
  auto r = read(
      "date,symbol,close,volume\n"
      "2017-02-30,AAPL,1,1\n"      // impossible date
      "2017-01-03,aapl!,1,1\n"     // bad symbol
      "2017-01-03,MSFT,-5,1\n"     // negative price
      "2017-01-03,KO,abc,1\n"      // not a number
      "2017-01-03,PG,0,-3\n"       // zero price and negative volume
      "2017-01-03,XOM,,1\n");      // missing close
  EXPECT_EQ(r.errors(), (std::vector<std::string>{
                            "p.csv:2:1: date: expected a date as YYYY-MM-DD, got \"2017-02-30\"",
                            "p.csv:3:2: symbol: \"aapl!\" is not a ticker (1-12 of A-Z 0-9 . - ^ / =, upper case) or an OCC option symbol",
                            "p.csv:4:3: close: close must be positive, got -5",
                            "p.csv:5:3: close: expected a number, got \"abc\"",
                            "p.csv:6:3: close: close must be positive, got 0",
                            "p.csv:6:4: volume: volume must not be negative",
                            "p.csv:7:3: close: missing value: expected a number",
                        }));
}

TEST(ReadPrices, SymbolsAreCheckedInEveryRowAfterGoodRowsToo) {
  // AA and BB are read (and interned) first; the rows after them that name a bad symbol, or a
  // good one with a bad close, are each refused; columns the file lacks are missing in every row.
  auto r = read("date,symbol,close\n2017-01-03,AA,1\n2017-01-03,BB,2\n2017-01-04,AA,3\n2017-01-04,bb,4\n"
                "2017-01-05,AA,x\n2017-01-05,BB,5\n");
  EXPECT_EQ(r.errors(), (std::vector<std::string>{
                            "p.csv:5:2: symbol: \"bb\" is not a ticker (1-12 of A-Z 0-9 . - ^ / =, upper case) or an OCC option symbol",
                            "p.csv:6:3: close: expected a number, got \"x\"",
                        }));
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows.symbols[r.rows.symbol_index[3]], "BB");
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    EXPECT_TRUE(is_missing(r.rows.adj_close[i]) && is_missing(r.rows.open[i]) && is_missing(r.rows.high[i]) &&
                is_missing(r.rows.low[i]) && is_missing(r.rows.volume[i]));
  }
}

TEST(ReadPrices, DuplicateWithDifferentPricesIsAnErrorNamingBothLines) {
  auto r = read("date,symbol,close\n2017-01-03,AAPL,116.15\n2017-01-04,AAPL,116.02\n2017-01-03,AAPL,117\n");
  EXPECT_EQ(r.errors(), (std::vector<std::string>{
                            "p.csv:4: duplicate price for AAPL on 2017-01-03 with different values (first given on line 2)"}));
}

TEST(ReadPrices, RepeatsFoundWhereEachSymbolsDatesRiseUntilTheRepeat) {
  // A file by date whose every symbol rises until one row repeats a day (line 6 repeats line 4's
  // BB 2017-01-04, line 7 goes back to AA's 2017-01-03 with another close): both found, as in a
  // file in no order.
  auto r = read("date,symbol,close\n2017-01-03,AA,1\n2017-01-03,BB,2\n2017-01-04,BB,3\n2017-01-05,AA,4\n"
                "2017-01-04,BB,3\n2017-01-03,AA,9\n");
  EXPECT_EQ(r.errors(), (std::vector<std::string>{
                            "p.csv:7: duplicate price for AA on 2017-01-03 with different values (first given on line 2)"}));
  ASSERT_EQ(r.diags.warnings().size(), 1u);
  EXPECT_EQ(r.diags.warnings()[0].line, 6u);
}

TEST(ReadPrices, RowsOfEachSymbolOnRisingDatesInAnyInterleavingHaveNoRepeat) {
  // By symbol, then by date in the other order of symbols: nothing repeats, every row is kept.
  auto r = read("date,symbol,close\n2017-01-03,BB,1\n2017-01-04,BB,2\n2017-01-03,AA,3\n2017-01-05,BB,4\n"
                "2017-01-04,AA,5\n");
  EXPECT_FALSE(r.diags.has_errors());
  EXPECT_TRUE(r.diags.warnings().empty());
  EXPECT_EQ(r.rows.size(), 5u);
}

TEST(ReadPrices, RepeatedIdenticalRowKeepsTheLaterOneWithAWarning) {
  // As in the S&P 500 data set: COH 2017-10-30 appears twice with the same prices, other volume.
  auto r = read("date,symbol,close,volume\n2017-10-30,COH,39.900002,2972000\n2017-10-30,COH,39.900002,2971978\n");
  EXPECT_FALSE(r.diags.has_errors());
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(r.rows.volume[0], 2971978);  // the later row, as an upsert of the stream would leave
  ASSERT_EQ(r.diags.warnings().size(), 1u);
  EXPECT_EQ(r.diags.warnings()[0].line, 3u);
}

TEST(ReadPrices, ChunksCoverEveryValidRowInFileOrder) {
  Diagnostics d;
  auto csv = CsvReader::from_text("p.csv",
                                  "date,symbol,close\n2017-01-03,A,1\n2017-01-03,B,2\n2017-01-04,A,-1\n"
                                  "2017-01-04,B,3\n2017-01-05,C,4\n",
                                  d);
  std::vector<PriceRows> chunks;
  auto all = read_prices(csv, d, [&](PriceRows c) { chunks.push_back(std::move(c)); }, 2);
  ASSERT_EQ(chunks.size(), 2u);  // 4 valid rows in chunks of 2; the bad row is reported, not emitted
  EXPECT_EQ(chunks[0].size(), 2u);
  EXPECT_EQ(chunks[1].size(), 2u);
  EXPECT_EQ(chunks[1].symbols[chunks[1].symbol_index[1]], "C");
  EXPECT_DOUBLE_EQ(chunks[1].close[0], 3.0);
  EXPECT_EQ(all.size(), 4u);
  EXPECT_EQ(d.error_count(), 1u);
}

TEST(ReadPrices, MissingRequiredColumnsAreNamed) {
  auto r = read("date,symbol,price\n2017-01-03,AAPL,1\n");
  ASSERT_EQ(r.diags.error_count(), 1u);
  EXPECT_EQ(r.errors()[0], "p.csv:1: missing required column \"close\" (header has: date,symbol,price)");
  // A long header is cut: the message stays short whatever the line's length.
  std::string wide = "date,symbol";
  for (int i = 0; i < 500; ++i) wide += ",c" + std::to_string(i);
  auto w = read(wide + "\n");
  ASSERT_FALSE(w.errors().empty());
  EXPECT_LT(w.errors()[0].size(), 320u);
  EXPECT_NE(w.errors()[0].find("... (502 columns))"), std::string::npos) << w.errors()[0];
}

TEST(ReadPrices, WideFormatDuplicateDateAndBadSymbolColumn) {
  auto r = read("date,AAPL,not a symbol\n2017-01-03,1,2\n2017-01-03,1,2\n");
  ASSERT_TRUE(r.diags.has_errors());
  EXPECT_NE(r.errors()[0].find("column \"not a symbol\" is not a ticker"), std::string::npos);
}

TEST(ReadPrices, AcceptsTickersWithClassAndIndexSymbols) {
  EXPECT_TRUE(is_valid_ticker("BRK.B"));
  EXPECT_TRUE(is_valid_ticker("BF-B"));
  EXPECT_TRUE(is_valid_ticker("^GSPC"));
  EXPECT_FALSE(is_valid_ticker("aapl"));
  EXPECT_FALSE(is_valid_ticker("AA PL"));
  EXPECT_FALSE(is_valid_ticker(""));
  EXPECT_FALSE(is_valid_ticker("ABCDEFGHIJKLM"));
}

TEST(ReadPrices, AFileCutInsideItsLastNumberIsReadWithAWarningNamingTheLine) {
  // A download cut short after "8" of "8.25": the row reads as a price of 8, so the cut is named.
  auto r = testing::read_text("prices.csv", "date,symbol,close\n2017-01-03,AAA,10\n2017-01-04,AAA,11\n2017-01-05,AAA,8",
                              [](CsvReader& csv, Diagnostics& d) { return read_prices(csv, d); });
  ASSERT_FALSE(r.diags.has_errors()) << r.errors()[0];
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_DOUBLE_EQ(r.rows.close[2], 8);
  ASSERT_EQ(r.diags.warnings().size(), 1u);
  EXPECT_EQ(r.diags.warnings()[0].to_string(),
            "prices.csv:4: the last line has no line ending: the file may be truncated");
  // Wide layout, the same rule.
  auto w = read("date,AAPL,MSFT\n2017-01-03,116.15,62.58\n2017-01-04,116.02,6");
  ASSERT_EQ(w.diags.warnings().size(), 1u);
  EXPECT_EQ(w.diags.warnings()[0].to_string(), "p.csv:3: the last line has no line ending: the file may be truncated");
  // The whole file: no warning.
  EXPECT_TRUE(read("date,symbol,close\n2017-01-05,AAA,8.25\n").diags.warnings().empty());
}

TEST(ReadPrices, TheCutWarningIsKeptWhenTheRowsRaiseMoreWarningsThanAreRecorded) {
  // 249 repeated identical rows raise 249 warnings, past the 200 recorded: the cut is still named.
  std::string text = "date,symbol,close\n";
  for (int i = 0; i < 250; ++i) text += "2017-01-03,AAA,10\n";
  text += "2017-01-04,AAA,8";
  auto r = read(text);
  ASSERT_FALSE(r.diags.has_errors()) << r.errors()[0];
  ASSERT_EQ(r.diags.warnings().size(), Diagnostics::kMaxRecorded);
  std::vector<std::string> cut;
  for (const auto& w : r.diags.warnings())
    if (w.message.find("no line ending") != std::string::npos) cut.push_back(w.to_string());
  EXPECT_EQ(cut, (std::vector<std::string>{"p.csv:252: the last line has no line ending: the file may be truncated"}));
}

}  // namespace
}  // namespace keel::io
