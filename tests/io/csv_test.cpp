#include "keel/io/csv.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "keel/core/error.h"
#include "keel/core/mem_files.h"

namespace keel::io {
namespace {

struct Parsed {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;
  Diagnostics diags;
};

Parsed parse(const std::string& text) {
  Parsed p;
  auto csv = CsvReader::from_text("t.csv", text, p.diags);
  p.header = csv.header();
  CsvRecord r;
  while (csv.next(r)) {
    p.rows.emplace_back(r.fields.begin(), r.fields.end());
    p.lines.push_back(r.line);
  }
  return p;
}

TEST(CsvReader, PlainRows) {
  auto p = parse("a,b,c\n1,2,3\n4,5,6\n");
  EXPECT_EQ(p.header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[1], (std::vector<std::string>{"4", "5", "6"}));
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{2, 3}));
  EXPECT_FALSE(p.diags.has_errors());
}

TEST(CsvReader, FieldsEndWhereverTheyFallInTheSixteenByteScan) {
  // A field's end is found sixteen bytes at a time: fields of 0 to 40 bytes put the separator, the
  // carriage return and the line feed at every offset of a block, and each row is split by hand.
  for (const char sep : {',', ';'}) {
    std::string text = std::string("a") + sep + "b" + sep + "c\n";
    std::vector<std::vector<std::string>> expected;
    for (std::size_t n = 0; n <= 40; ++n) {
      const std::string x(n, 'x'), z(40 - n, 'z');
      text += x + sep + "y" + sep + z + (n % 2 == 0 ? "\r\n" : "\n");
      expected.push_back({x, "y", z});
    }
    text += std::string(17, 'q') + sep + sep;  // the last line: no line end, an empty middle field
    expected.push_back({std::string(17, 'q'), "", ""});
    Parsed p;
    auto csv = CsvReader::from_text("t.csv", text, p.diags, sep);
    CsvRecord r;
    while (csv.next(r)) p.rows.emplace_back(r.fields.begin(), r.fields.end());
    EXPECT_EQ(p.rows, expected) << "separator " << sep;
  }
}

TEST(CsvReader, EstimatesRecordsFromTheMeanLineLength) {
  // A 2-byte header and 100 lines of 10 bytes: 1,002 bytes; the mean line past the header is
  // 1,000 / 100 = 10 bytes, so 1,002 / 10 = 100 records, plus a tenth (10), plus 1: 111.
  std::string text = "h\n";
  for (int i = 0; i < 100; ++i) text += "123456789\n";
  Diagnostics d;
  auto csv = CsvReader::from_text("t.csv", text, d);
  EXPECT_EQ(csv.estimated_bytes(), 1002u);
  EXPECT_EQ(csv.estimated_records(), 111u);
}

TEST(DateParser, ARepeatedDateIsTheSameDateAndAnyOtherTextIsParsedAgain) {
  DateParser parse;
  EXPECT_EQ(parse("2024-02-29"), Date::from_ymd(2024, 2, 29));
  EXPECT_EQ(parse("2024-02-29"), Date::from_ymd(2024, 2, 29));
  EXPECT_EQ(parse("2024-03-01"), Date::from_ymd(2024, 3, 1));  // same length, other text
  EXPECT_EQ(parse("2024-02-30"), std::nullopt);                // not a day, after a good one
  EXPECT_EQ(parse("2024-03-0"), std::nullopt);
  EXPECT_EQ(parse("2024-03-01"), Date::from_ymd(2024, 3, 1));
  EXPECT_EQ(parse("2023-02-29"), std::nullopt);  // 2023 is not a leap year
}

TEST(CsvReader, QuotedFieldsWithSeparatorsQuotesAndNewlines) {
  // RFC 4180 section 2, rules 5-7.
  auto p = parse("name,note\n\"Tesla, Inc.\",\"said \"\"hi\"\"\"\n\"multi\nline\",x\nlast,y\n");
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0][0], "Tesla, Inc.");
  EXPECT_EQ(p.rows[0][1], "said \"hi\"");
  EXPECT_EQ(p.rows[1][0], "multi\nline");
  // The record after an embedded newline starts on line 5, not 4.
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{2, 3, 5}));
}

TEST(CsvReader, CrlfBomBlankLinesAndNoFinalNewline) {
  auto p = parse("\xEF\xBB\xBF" "date,close\r\n\r\n2017-01-03,1.5\r\n   \r\n2017-01-04,2.5");
  EXPECT_EQ(p.header, (std::vector<std::string>{"date", "close"}));
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0][1], "1.5");  // no stray \r
  EXPECT_EQ(p.rows[1][1], "2.5");
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{3, 5}));
  // Read whole, with a warning at the last line (line 5): it has no line ending.
  EXPECT_FALSE(p.diags.has_errors());
  ASSERT_EQ(p.diags.warnings().size(), 1u);
  EXPECT_EQ(p.diags.warnings()[0].to_string(),
            "t.csv:5: the last line has no line ending: the file may be truncated");
}

std::vector<std::string> warning_lines(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& w : d.warnings()) out.push_back(w.to_string());
  return out;
}

TEST(CsvReader, ALastLineWithoutLineEndIsReadWithAWarningNamingIt) {
  const std::string kWarning = "the last line has no line ending: the file may be truncated";
  // A file cut inside its last number: the row is read (as 8), and the cut is visible.
  auto cut = parse("date,symbol,close\n2017-01-03,AAA,10\n2017-01-04,AAA,11\n2017-01-05,AAA,8");
  EXPECT_FALSE(cut.diags.has_errors());
  ASSERT_EQ(cut.rows.size(), 3u);
  EXPECT_EQ(cut.rows[2][2], "8");
  EXPECT_EQ(warning_lines(cut.diags), (std::vector<std::string>{"t.csv:4: " + kWarning}));
  // The same file with its line ending, with CRLF, or with blank lines after it: no warning.
  for (const char* whole : {"date,symbol,close\n2017-01-05,AAA,8\n", "date,symbol,close\r\n2017-01-05,AAA,8\r\n",
                            "date,symbol,close\n2017-01-05,AAA,8\n\n  \n"}) {
    EXPECT_EQ(warning_lines(parse(whole).diags), std::vector<std::string>{}) << whole;
  }
  // Only a header, no line end: the warning names line 1.
  EXPECT_EQ(warning_lines(parse("date,symbol,close").diags), (std::vector<std::string>{"t.csv:1: " + kWarning}));
  // A last line of blanks without a line end, and a CRLF file cut between CR and LF: named too.
  EXPECT_EQ(warning_lines(parse("a,b\n1,2\n  ").diags), (std::vector<std::string>{"t.csv:3: " + kWarning}));
  EXPECT_EQ(warning_lines(parse("a,b\r\n1,2\r").diags), (std::vector<std::string>{"t.csv:2: " + kWarning}));
  // A quoted field spanning lines in the last record: the warning names the file's last line.
  EXPECT_EQ(warning_lines(parse("a,b\n1,\"x\ny\"").diags), (std::vector<std::string>{"t.csv:3: " + kWarning}));
  // An empty file is an error, with no warning beside it.
  EXPECT_EQ(warning_lines(parse("").diags), std::vector<std::string>{});
}

TEST(CsvReader, ALastLineWithoutLineEndIsNamedInPlainAndGzipFilesAlike) {
  // The check is on the decompressed text, read through the streaming buffer.
  const std::string plain = "cut.csv";
  const std::string gz = "cut.csv.gz";
  std::string text = "date,symbol,close\n";
  for (int i = 0; i < 200000; ++i) text += "2017-01-03,AAA,116.15\n";  // 4.4 MB: several buffer fills
  text += "2017-01-05,AAA,8";
  MemFiles files;
  files.put(plain, text);
  std::string packed(compressBound(static_cast<uLong>(text.size())) + 64, '\0');
  z_stream zs{};
  ASSERT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(text.data());
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(packed.data());
  zs.avail_out = static_cast<uInt>(packed.size());
  ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  packed.resize(zs.total_out);
  deflateEnd(&zs);
  files.put(gz, packed);
  for (const auto& path : {plain, gz}) {
    Diagnostics d;
    auto csv = CsvReader::open(files.open(path, "file"), d);
    CsvRecord r;
    std::size_t rows = 0;
    while (csv.next(r)) ++rows;
    EXPECT_EQ(rows, 200001u) << path;
    EXPECT_EQ(warning_lines(d), (std::vector<std::string>{
                                    path + ":200002: the last line has no line ending: the file may be truncated"}));
  }
}

TEST(CsvReader, TextChecksFindBadBytesInAnyCellAndAcceptLineEnds) {
  // Records are checked whole when plain ASCII, cell by cell otherwise: a bad byte is reported in
  // the cell that holds it, and CRLF line ends, UTF-8 text and quoted line breaks are accepted.
  auto p = parse("a,b,c\r\n"
                 "1,2,3\r\n"                  // line 2: clean
                 "4,x\x01y,6\r\n"            // line 3: control character in cell 2
                 "Zo\xC3\xAB,\"p\nq\",9\n"   // lines 4-5: UTF-8 and a quoted line break: clean
                 "7,8,z\xFFz\n"                // line 6: invalid UTF-8 in cell 3
                 "5,6\r7,8\n");                // line 7: a carriage return inside cell 2
  ASSERT_EQ(p.rows.size(), 5u);
  EXPECT_EQ(p.rows[0][2], "3");
  EXPECT_EQ(p.rows[2][1], "p\nq");
  const auto& e = p.diags.errors();
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].line, 3u);
  EXPECT_EQ(e[0].column, 2u);
  EXPECT_NE(e[0].message.find("control character"), std::string::npos) << e[0].message;
  EXPECT_EQ(e[1].line, 6u);
  EXPECT_EQ(e[1].column, 3u);
  EXPECT_NE(e[1].message.find("invalid UTF-8"), std::string::npos) << e[1].message;
  EXPECT_EQ(e[2].line, 7u);
  EXPECT_EQ(e[2].column, 2u);
  EXPECT_NE(e[2].message.find("carriage return"), std::string::npos) << e[2].message;
}

TEST(CsvReader, TrailingSeparatorsAreDropped) {
  auto p = parse("a,b,\n1,2,\n3,4,,\n");
  EXPECT_EQ(p.header.size(), 2u);
  EXPECT_EQ(p.rows[0].size(), 2u);
  EXPECT_EQ(p.rows[1].size(), 2u);
  EXPECT_FALSE(p.diags.has_errors());
}

TEST(CsvReader, EmptyFieldsAreKept) {
  auto p = parse("a,b,c\n,,3\n\"\",x,\n");
  EXPECT_EQ(p.rows[0], (std::vector<std::string>{"", "", "3"}));
  EXPECT_EQ(p.rows[1][0], "");
}

TEST(CsvReader, ReportsUnterminatedQuoteWithItsLine) {
  auto p = parse("a,b\n1,\"open\n2,3\n");
  ASSERT_TRUE(p.diags.has_errors());
  EXPECT_EQ(p.diags.errors()[0].to_string(), "t.csv:2:2: unterminated quoted field: expected a closing \"");
}

TEST(CsvReader, ReportsTextAfterClosingQuote) {
  auto p = parse("a,b\n\"x\"y,2\n");
  ASSERT_TRUE(p.diags.has_errors());
  EXPECT_EQ(p.diags.errors()[0].line, 2u);
  EXPECT_EQ(p.diags.errors()[0].column, 1u);
}

TEST(CsvReader, ReportsRowsWiderThanHeader) {
  auto p = parse("a,b\n1,2,3\n");
  ASSERT_EQ(p.diags.error_count(), 1u);
  EXPECT_EQ(p.diags.errors()[0].to_string(), "t.csv:2:3: row has 3 fields but the header has 2");
}

TEST(CsvReader, EmptyFileIsAnError) {
  for (const char* text : {"", "\n\n", "\xEF\xBB\xBF"}) {
    auto p = parse(text);
    ASSERT_TRUE(p.diags.has_errors()) << text;
    EXPECT_NE(p.diags.errors()[0].message.find("empty"), std::string::npos);
  }
}

TEST(CsvReader, ReadsGzipAndPlainFilesAlike) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string plain = (dir / "keel_csv_test.csv").string();
  const std::string gz = (dir / "keel_csv_test.csv.gz").string();
  const std::string text = "date,symbol,close\n2017-01-03,AAPL,116.15\n";
  std::ofstream(plain) << text;
  gzFile f = gzopen(gz.c_str(), "wb");
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
  for (const auto& path : {plain, gz}) {
    Diagnostics d;
    auto csv = CsvReader::open(local_files().open(path, "file"), d);
    CsvRecord r;
    ASSERT_TRUE(csv.next(r)) << path;
    EXPECT_EQ(r[2], "116.15");
    EXPECT_FALSE(csv.next(r));
  }
  std::filesystem::remove(plain);
  std::filesystem::remove(gz);
}

TEST(CsvReader, MissingFileIsNotFound) {
  Diagnostics d;
  try {
    CsvReader::open(local_files().open("/no/such/file.csv", "file"), d);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST(CsvColumns, CaseInsensitiveLookupMissingAndUnknownColumns) {
  Diagnostics d;
  auto csv = CsvReader::from_text("p.csv", " Symbol ,QUANTITY,colour\nAAPL,1,red\n", d);
  CsvColumns cols(csv, {"symbol", "quantity", "date"}, {"sector"}, d);
  EXPECT_EQ(cols.index("symbol"), 0);
  EXPECT_EQ(cols.index("quantity"), 1);
  EXPECT_EQ(cols.index("sector"), -1);
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_NE(d.errors()[0].message.find("missing required column \"date\""), std::string::npos);
  ASSERT_EQ(d.warnings().size(), 1u);
  EXPECT_EQ(d.warnings()[0].to_string(), "p.csv:1:3: unknown column \"colour\" ignored");
}

// A 5,000-byte header cell (found by csv_fuzz) is named by its first 64 bytes and its size, in
// the unknown-column warning and in every diagnostic of its column, not copied whole.
TEST(CsvColumns, AHugeHeaderCellIsCutInMessages) {
  Diagnostics d;
  const std::string huge = "price" + std::string(4995, 'x');
  auto csv = CsvReader::from_text("p.csv", "symbol," + huge + "\nAAPL,abc\n", d);
  CsvColumns cols(csv, {"symbol"}, {}, d);
  ASSERT_EQ(d.warnings().size(), 1u);
  EXPECT_EQ(d.warnings()[0].to_string(),
            "p.csv:1:2: unknown column \"price" + std::string(59, 'x') + "\"... (5000 bytes) ignored");
  CsvRecord r;
  ASSERT_TRUE(csv.next(r));
  CsvCells cells(csv, d);
  EXPECT_FALSE(cells.number(r, 1, true));
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_EQ(d.errors()[0].field, "price" + std::string(59, 'x') + "... (5000 bytes)");
  EXPECT_LT(d.errors()[0].to_string().size(), 200u);
}

TEST(CsvCells, TypedAccessNamesFileLineColumnAndHeader) {
  Diagnostics d;
  auto csv = CsvReader::from_text("q.csv", "date,qty\n2017-02-30,12x\n,\n", d);
  CsvCells cells(csv, d);
  CsvRecord r;
  ASSERT_TRUE(csv.next(r));
  EXPECT_FALSE(cells.date(r, 0, true));
  EXPECT_FALSE(cells.number(r, 1, true));
  ASSERT_TRUE(csv.next(r));
  EXPECT_FALSE(cells.number(r, 1, false));  // empty and optional: no error
  EXPECT_FALSE(cells.date(r, 0, true));     // empty and required: error
  ASSERT_EQ(d.error_count(), 3u);
  EXPECT_EQ(d.errors()[0].to_string(), "q.csv:2:1: date: expected a date as YYYY-MM-DD, got \"2017-02-30\"");
  EXPECT_EQ(d.errors()[1].to_string(), "q.csv:2:2: qty: expected a number, got \"12x\"");
  EXPECT_EQ(d.errors()[2].to_string(), "q.csv:3:1: date: missing value: expected a date as YYYY-MM-DD");
}

TEST(CsvCells, NumbersAreTheDoublesStrtodGives) {
  // Plain decimals take a fast path; every cell must still read as the correctly rounded double,
  // which C's strtod gives. Cells: edge cases, then pseudo-random decimals of 1-18 digits with
  // 0-17 after the point (both sides of the 15-digit fast path), either sign.
  std::vector<std::string> texts = {"0", "-0", "0.1", "0.3", "1.5", "-2.25", "007.50", "12.", ".5", "-.5",
                                    "1e3", "2.5E-3", "+4.5", "999999999999999", "999999999999999.9",
                                    "0.000000000000001", "123456789012345", "1234567890123456",
                                    "0.1000000000000000055511151231257827", "9007199254740993",
                                    "45.230000000000004", "179.769313486231570"};
  std::uint64_t x = 88172645463325252ULL;  // xorshift64
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int k = 0; k < 20000; ++k) {
    const int int_digits = 1 + static_cast<int>(next() % 9);
    const int frac_digits = static_cast<int>(next() % 18);
    std::string t = next() % 4 == 0 ? "-" : "";
    for (int i = 0; i < int_digits; ++i) t += static_cast<char>('0' + next() % 10);
    if (frac_digits > 0) t += '.';
    for (int i = 0; i < frac_digits; ++i) t += static_cast<char>('0' + next() % 10);
    texts.push_back(t);
  }
  std::string text = "v\n";
  for (const auto& t : texts) text += t + "\n";
  Diagnostics d;
  auto csv = CsvReader::from_text("n.csv", text, d);
  CsvCells cells(csv, d);
  CsvRecord r;
  for (const auto& t : texts) {
    ASSERT_TRUE(csv.next(r));
    const auto v = cells.number(r, 0, true);
    const std::string plain = t[0] == '+' ? t.substr(1) : t;
    const double want = std::strtod(plain.c_str(), nullptr);
    if (std::abs(want) > 1e15) {
      EXPECT_FALSE(v) << t;  // beyond the input bound
      continue;
    }
    ASSERT_TRUE(v) << t;
    EXPECT_EQ(std::bit_cast<std::uint64_t>(*v), std::bit_cast<std::uint64_t>(want)) << t;
  }
}

TEST(Diagnostics, ThrowsOneErrorListingEveryProblem) {
  Diagnostics d;
  d.error({"f.csv", 2, 1, "", "bad"});
  d.error({"f.csv", 9, 3, "close", "worse"});
  try {
    d.throw_if_errors("cannot import prices from f.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_STREQ(e.what(), "cannot import prices from f.csv: 2 problems");
    EXPECT_EQ(e.details(), (std::vector<std::string>{"f.csv:2:1: bad", "f.csv:9:3: close: worse"}));
  }
}

}  // namespace
}  // namespace keel::io
