// The input and the CSV layer on damaged and hostile input (issue: bad bytes never become
// silent data). Every expectation is written out by hand from the input built in the test: the
// number of rows written, the line where a problem was put, the bytes a value holds.
#include "keel/io/input.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/core/mem_files.h"
#include "keel/io/csv.h"
#include "keel/io/json_input.h"
#include "keel/io/readers.h"

namespace keel::io {
namespace {

namespace fs = std::filesystem;

std::string gzip_bytes(const std::string& text) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, text.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

class TempFile {
 public:
  explicit TempFile(const std::string& name, const std::string& bytes = "")
      : path_((fs::temp_directory_path() / ("keel_input_" + std::to_string(::getpid()) + "_" + name)).string()) {
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempFile() { fs::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One file held in memory (most tests here need bytes, not a disk).
class MemFile {
 public:
  MemFile(std::string name, std::string bytes) : name_(std::move(name)) { files_.put(name_, std::move(bytes)); }
  const std::string& path() const { return name_; }
  const Files& files() const { return files_; }

 private:
  std::string name_;
  MemFiles files_;
};

// The files of `inner` handed out as a pipe would: no size known before reading (so gzip is
// streamed through zlib, never decompressed whole) and at most 4093 bytes per read.
class UnsizedFiles final : public Files {
 public:
  explicit UnsizedFiles(const Files& inner) : inner_(inner) {}
  bool allowed() const override { return true; }
  std::unique_ptr<ByteSource> open(const std::string& path, const std::string& what) const override {
    class Source final : public ByteSource {
     public:
      explicit Source(std::unique_ptr<ByteSource> in) : in_(std::move(in)) {}
      std::size_t read(char* out, std::size_t capacity) override { return in_->read(out, std::min<std::size_t>(capacity, 4093)); }
      const std::string& name() const override { return in_->name(); }
      std::optional<std::uint64_t> size() const override { return std::nullopt; }

     private:
      std::unique_ptr<ByteSource> in_;
    };
    return std::make_unique<Source>(inner_.open(path, what));
  }

 private:
  const Files& inner_;
};

struct Read {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;
  Diagnostics diags;
};

// Reads the whole file as CSV; throws what the reader throws.
Read read_csv_file(const Files& files, const std::string& path) {
  Read r;
  auto csv = CsvReader::open(files.open(path, "file"), r.diags);
  CsvRecord rec;
  while (csv.next(rec)) {
    r.rows.emplace_back(rec.fields.begin(), rec.fields.end());
    r.lines.push_back(rec.line);
  }
  return r;
}
Read read_csv_file(const std::string& path) { return read_csv_file(local_files(), path); }
Read read_csv_file(const MemFile& f) { return read_csv_file(f.files(), f.path()); }
Read read_csv_streamed(const MemFile& f) { return read_csv_file(UnsizedFiles(f.files()), f.path()); }

std::string price_rows(int n) {
  std::string s = "date,symbol,close\n";
  for (int i = 0; i < n; ++i) {
    s += "2020-01-" + std::string(i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1) + ",S" + std::to_string(i) +
         ",120.5\n";
  }
  return s;
}

// A gzip file cut anywhere must be refused: before, 12 of 36 cuts imported a quarter of the rows
// and some a half number ("1.0" for "120.5").
// Both ways a gzip file is read: decompressed whole (its size known) and streamed through zlib.
TEST(Input, TruncatedGzipIsRefusedAtEveryCut) {
  const std::string gz = gzip_bytes(price_rows(5000));
  for (const bool streamed : {false, true}) {
    for (int k = 1; k <= 36; ++k) {
      const std::size_t cut = gz.size() * static_cast<std::size_t>(k) / 37;
      MemFile f("trunc.csv.gz", gz.substr(0, cut));
      try {
        streamed ? read_csv_streamed(f) : read_csv_file(f);
        ADD_FAILURE() << "a gzip file cut at byte " << cut << " of " << gz.size() << " was read without error"
                      << (streamed ? " (streamed)" : "");
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kInvalidInput) << e.what();
        EXPECT_NE(std::string(e.what()).find(f.path()), std::string::npos) << e.what();
      }
    }
  }
}

TEST(Input, TruncatedGzipMessageSaysTruncated) {
  const std::string gz = gzip_bytes(price_rows(100));
  MemFile f("trunc2.csv.gz", gz.substr(0, gz.size() - 4));  // only the ISIZE trailer missing
  try {
    read_csv_file(f);
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("truncated gzip"), std::string::npos) << e.what();
  }
}

TEST(Input, CorruptCrcAndLengthAreRefused) {
  const std::string gz = gzip_bytes(price_rows(100));
  // The trailer is CRC-32 (4 bytes) then ISIZE (4 bytes), little-endian (RFC 1952).
  std::string bad_crc = gz;
  bad_crc[gz.size() - 8] = static_cast<char>(bad_crc[gz.size() - 8] ^ 0x01);
  std::string bad_len = gz;
  bad_len[gz.size() - 4] = static_cast<char>(bad_len[gz.size() - 4] ^ 0x01);
  for (const auto& [bytes, want] : {std::pair{bad_crc, "incorrect data check"}, std::pair{bad_len, "incorrect length check"}}) {
    MemFile f("crc.csv.gz", bytes);
    try {
      read_csv_file(f);
      FAIL() << "expected a refusal (" << want << ")";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
      EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
    }
  }
}

// The process's peak virtual memory in KiB (VmPeak of /proc/self/status).
std::size_t peak_virtual_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmPeak:", 0) == 0) return std::stoul(line.substr(7));
  }
  return 0;
}

// The gzip trailer's ISIZE is only a hint: a small file claiming 4 GiB once made keel allocate
// 4 GiB before decompressing a byte (found by gzip_fuzz; its input is in
// tests/fuzz_regressions/gzip_fuzz). Deflate expands at most 1032:1, so a 30-byte file can never
// need more than ~32 KiB; the lie is refused by the length check, without the allocation.
TEST(Input, AnIsizeThatCannotBeTrueIsNotAllocated) {
  std::string gz = gzip_bytes("a,b\n1,2\n");
  for (int i = 1; i <= 4; ++i) gz[gz.size() - i] = static_cast<char>(0xFF);  // ISIZE 4 GiB - 1
  MemFile f("isize.csv.gz", gz);
  const std::size_t before = peak_virtual_kib();
  ASSERT_GT(before, 0u);
  try {
    read_csv_file(f);
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("incorrect length check"), std::string::npos) << e.what();
  }
  EXPECT_LT(peak_virtual_kib() - before, 256u * 1024u) << "the peak grew by more than 256 MiB";
}

TEST(Input, TrailingGarbageIsRefused) {
  MemFile f("garbage.csv.gz", gzip_bytes(price_rows(10)) + "hello");
  for (const bool streamed : {false, true}) {
    try {
      streamed ? read_csv_streamed(f) : read_csv_file(f);
      FAIL() << "expected a refusal";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("after the end of the gzip stream"), std::string::npos) << e.what();
    }
  }
}

// On disk (the keel command's files) and streamed from memory.
TEST(Input, ConcatenatedMembersAreOneStream) {
  // `cat a.gz b.gz` is a valid gzip file holding a then b (RFC 1952 section 2.2).
  const std::string bytes = gzip_bytes("a,b\n1,2\n") + gzip_bytes("3,4\n") + gzip_bytes("5,6\n");
  TempFile f("multi.csv.gz", bytes);
  for (const Read& r : {read_csv_file(f.path()), read_csv_streamed(MemFile("multi.csv.gz", bytes))}) {
    EXPECT_FALSE(r.diags.has_errors());
    ASSERT_EQ(r.rows.size(), 3u);
    EXPECT_EQ(r.rows[2], (std::vector<std::string>{"5", "6"}));
  }
}

// The local files (keel/core/env.h) vet what they open.
TEST(LocalFiles, NonRegularFilesAreRefusedWithoutReading) {
  const Files& files = local_files();
  try {
    std::unique_ptr<ByteSource> s = files.open("/dev/zero", "file");
    FAIL() << "/dev/zero was opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
  }
  // A FIFO with no writer: opening it for reading would block forever.
  const std::string fifo = (fs::temp_directory_path() / ("keel_fifo_" + std::to_string(::getpid()))).string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_THROW(files.open(fifo, "file"), Error);
  fs::remove(fifo);
  EXPECT_THROW(files.open(fs::temp_directory_path().string(), "file"), Error);
  try {
    files.open("/nonexistent/keel/file.csv", "file");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST(Input, SizeBoundOnDiskAndDecompressed) {
  TempFile plain("big.csv", std::string(5000, 'x'));
  EXPECT_THROW(Input::open(local_files().open(plain.path(), "file"), 4096), Error);
  // 1 MB of zeros compresses to about 1 KB: the bound applies to what comes out.
  const MemFile bomb("bomb.csv.gz", gzip_bytes(std::string(1 << 20, '0')));
  auto src = Input::open(bomb.files().open(bomb.path(), "file"), 100000);
  std::string buf(1 << 16, '\0');
  try {
    while (src->read(buf.data(), buf.size()) > 0) {
    }
    FAIL() << "1 MiB decompressed past a 100000-byte bound";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("input limit"), std::string::npos) << e.what();
  }
  ::setenv("KEEL_MAX_INPUT_BYTES", "2K", 1);
  EXPECT_EQ(max_input_bytes(), 2048u);
  EXPECT_THROW(read_csv_file(plain.path()), Error);
  ::unsetenv("KEEL_MAX_INPUT_BYTES");
  EXPECT_EQ(max_input_bytes(), kDefaultMaxInputBytes);
}

// Before: header, one row, ~3 MB of spaces, three rows -> 1 row, exit 0 (plain and gzip).
TEST(CsvLayer, LongWhitespaceLineDoesNotEndTheFile) {
  const std::string text = "date,symbol,close\n2020-01-02,AAA,1\n" + std::string(3'000'000, ' ') +
                           "\n2020-01-03,AAA,2\n2020-01-06,AAA,3\n2020-01-07,AAA,4\n";
  for (bool gz : {false, true}) {
    const MemFile f(gz ? "ws.csv.gz" : "ws.csv", gz ? gzip_bytes(text) : text);
    const Read r = read_csv_file(f);
    EXPECT_FALSE(r.diags.has_errors());
    ASSERT_EQ(r.rows.size(), 4u) << (gz ? "gzip" : "plain");
    EXPECT_EQ(r.rows[3][2], "4");
    EXPECT_EQ(r.lines, (std::vector<std::size_t>{2, 4, 5, 6}));
  }
}

TEST(CsvLayer, RecordOverTheBoundIsAnErrorAtItsLineAndReadingGoesOn) {
  const std::string text = "a,b\n1,2\n3," + std::string(CsvReader::kMaxRecordBytes + 10, 'x') + "\n5,6\n";
  for (bool gz : {false, true}) {
    const MemFile f(gz ? "long.csv.gz" : "long.csv", gz ? gzip_bytes(text) : text);
    const Read r = read_csv_file(f);
    ASSERT_EQ(r.diags.error_count(), 1u);
    EXPECT_EQ(r.diags.errors()[0].line, 3u);
    EXPECT_NE(r.diags.errors()[0].message.find("longer than the limit"), std::string::npos);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[1], (std::vector<std::string>{"5", "6"}));
    EXPECT_EQ(r.lines[1], 4u);
  }
}

// Lines of every length up to the bound parse whole wherever they fall across the reader's
// buffer refills.
TEST(CsvLayer, LinesOfManyLengthsAcrossBufferBoundaries) {
  std::mt19937 rng(17);
  std::uniform_int_distribution<std::size_t> len(0, 300'000);
  std::string text = "id,payload,quoted\n";
  std::vector<std::string> payloads;
  for (int i = 0; i < 120; ++i) {
    std::string p(len(rng), static_cast<char>('a' + i % 26));
    if (i % 7 == 0 && !p.empty()) p[p.size() / 2] = ' ';
    payloads.push_back(p);
    text += std::to_string(i) + "," + p + ",\"q\"\"" + std::to_string(i) + "\nline2\"\r\n";
  }
  const MemFile f("lengths.csv.gz", gzip_bytes(text));
  for (const Read& r : {read_csv_file(f), read_csv_streamed(f)}) {
    EXPECT_FALSE(r.diags.has_errors());
    ASSERT_EQ(r.rows.size(), payloads.size());
    for (std::size_t i = 0; i < payloads.size(); ++i) {
      ASSERT_EQ(r.rows[i][1], payloads[i]) << "row " << i;
      ASSERT_EQ(r.rows[i][2], "q\"" + std::to_string(i) + "\nline2");
      ASSERT_EQ(r.lines[i], 2 + 2 * i);
    }
  }
}

TEST(CsvLayer, InvalidUtf8AndControlCharactersAreErrorsAtTheirCell) {
  Diagnostics d;
  auto csv = CsvReader::from_text("t.csv", "\xEF\xBB\xBFsymbol,quantity,note\xFF\nAAA,1,caf\xC3\xA9\nBBB,2,a\x01z\n", d);
  EXPECT_EQ(csv.header()[0], "symbol");  // the byte-order mark is not part of the name
  EXPECT_EQ(csv.header()[2], "note?");  // the bad byte replaced: messages stay printable
  CsvRecord r;
  while (csv.next(r)) {
  }
  ASSERT_EQ(d.error_count(), 2u);
  EXPECT_EQ(d.errors()[0].to_string(), "t.csv:1:3: invalid UTF-8 (byte \"\\xFF\" at byte 5 of the cell): keel reads UTF-8 text");
  EXPECT_EQ(d.errors()[1].line, 3u);
  EXPECT_EQ(d.errors()[1].column, 3u);
  EXPECT_NE(d.errors()[1].message.find("control character"), std::string::npos);
}

TEST(CsvLayer, NulInAFactorsHeaderIsRefused) {
  Diagnostics d;
  auto csv = CsvReader::from_text("f.csv", std::string("date,mkt\0x,smb\n2020-01-02,0.01,0.02\n", 36), d);
  read_factors(csv, RateUnits::kDecimal, d);
  ASSERT_TRUE(d.has_errors());
  EXPECT_EQ(d.errors()[0].to_string(),
            "f.csv:1:2: control character \"\\x00\" (NUL) at byte 4 of the cell: not allowed in text");
}

TEST(CsvLayer, NumbersOutOfRange) {
  Diagnostics d;
  auto csv = CsvReader::from_text("p.csv", "symbol,quantity\nAAA,1e400\nBBB,1e308\nCCC,2e15\n", d);
  const auto positions = read_positions(csv, d);
  EXPECT_TRUE(positions.empty());
  ASSERT_EQ(d.error_count(), 3u);
  EXPECT_NE(d.errors()[0].message.find("number out of range"), std::string::npos) << d.errors()[0].message;
  EXPECT_NE(d.errors()[1].message.find("number too large"), std::string::npos) << d.errors()[1].message;
  EXPECT_EQ(d.errors()[2].line, 4u);
}

TEST(CsvLayer, QuantityBoundAndPriceBound) {
  Diagnostics d;
  auto csv = CsvReader::from_text("p.csv", "symbol,quantity\nAAA,1000000000001\nBBB,999999999999\n", d);
  const auto positions = read_positions(csv, d);
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_EQ(d.errors()[0].line, 2u);
  Diagnostics d2;
  auto prices = CsvReader::from_text("x.csv", "date,symbol,close\n2020-01-02,AAA,1000000001\n", d2);
  read_prices(prices, d2);
  ASSERT_EQ(d2.error_count(), 1u);
  EXPECT_NE(d2.errors()[0].message.find("out of range"), std::string::npos);
}

TEST(Shown, LongValuesAreCutWithTheirLength) {
  const std::string big(2'000'000, '7');
  const std::string s = shown(big);
  EXPECT_EQ(s, "\"" + std::string(64, '7') + "\"... (2000000 bytes)");
  EXPECT_EQ(shown("a\xFF" "b"), "\"a\\xFFb\"");
  EXPECT_EQ(shown("\xC3\xA9"), "\"\xC3\xA9\"");
  // Never cuts a character in half.
  EXPECT_EQ(shown("ab\xC3\xA9z", 3), "\"ab\xC3\xA9\"... (5 bytes)");
}

TEST(Shown, TwoMegabyteCellInAnErrorMessage) {
  Diagnostics d;
  const std::string cell(1'000'000, '9');
  auto csv = CsvReader::from_text("p.csv", "date,symbol,close\n2020-01-02,AAA,x" + cell + "\n", d);
  read_prices(csv, d);
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_LT(d.errors()[0].to_string().size(), 200u);
  EXPECT_NE(d.errors()[0].message.find("(1000001 bytes)"), std::string::npos);
}

// A quoted symbol cell may hold whole lines of the file. Found by prices_fuzz (its input is in
// tests/fuzz_regressions/prices_fuzz): the ticker error quoted the cell whole, a 5,602-byte message.
// Every reader quotes a cell through shown(); the positions and price readers are checked here.
TEST(Shown, ACellOfManyLinesInATickerError) {
  std::string cell;
  for (int i = 0; i < 100; ++i) cell += "2013-10-21,AAPL,73.110001,74.900002\n";
  for (const bool positions : {false, true}) {
    Diagnostics d;
    if (positions) {
      auto csv = CsvReader::from_text("pos.csv", "symbol,quantity\n\"" + cell + "\",1\n", d);
      read_positions(csv, d);
    } else {
      auto csv = CsvReader::from_text("p.csv", "date,symbol,close\n2020-01-02,\"" + cell + "\",1\n", d);
      read_prices(csv, d);
    }
    ASSERT_EQ(d.error_count(), 1u);
    const std::string m = d.errors()[0].to_string();
    EXPECT_LT(m.size(), 300u) << m;
    EXPECT_NE(m.find("(" + std::to_string(cell.size()) + " bytes) is not a ticker"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

// Whatever a reader passes to CsvCells::error, the message kept is short, printable UTF-8.
TEST(Shown, CellErrorsAreBoundedWhateverTheCaller) {
  Diagnostics d;
  auto csv = CsvReader::from_text("t.csv", "a\n1\n", d);
  CsvRecord rec;
  ASSERT_TRUE(csv.next(rec));
  const CsvCells cells(csv, d);
  cells.error(rec, 0, "value " + std::string(100'000, 'x') + " is wrong");
  cells.error(rec, 0, "value \xFF\xFE is wrong");
  cells.error(rec, 0, "value 7 is wrong");
  ASSERT_EQ(d.errors().size(), 3u);
  EXPECT_LT(d.errors()[0].message.size(), 2100u);
  EXPECT_NE(d.errors()[0].message.find("(100015 bytes)"), std::string::npos);
  EXPECT_EQ(d.errors()[1].message, "value \\xFF\\xFE is wrong");
  EXPECT_EQ(d.errors()[2].message, "value 7 is wrong");
}

TEST(Utf8, Validator) {
  EXPECT_EQ(utf8_error_offset("plain"), std::string_view::npos);
  EXPECT_EQ(utf8_error_offset("\xE2\x82\xAC \xF0\x9F\x98\x80"), std::string_view::npos);  // euro, emoji
  EXPECT_EQ(utf8_error_offset("ab\xC0\xAF"), 2u);        // overlong '/'
  EXPECT_EQ(utf8_error_offset("\xED\xA0\x80"), 0u);      // surrogate U+D800
  EXPECT_EQ(utf8_error_offset("x\xF4\x90\x80\x80"), 1u);  // past U+10FFFF
  EXPECT_EQ(utf8_error_offset("x\xE2\x82"), 1u);         // cut sequence
}

TEST(JsonInput, NumberOutOfRangeNamesThePath) {
  const auto p = check_json_text("{\n  \"tranches\": [{\"balance\": 1}, {\"balance\": 1e400}]\n}", "deal.json");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->field, "tranches[1].balance");
  EXPECT_EQ(p->line, 2u);
  EXPECT_NE(p->message.find("number out of range"), std::string::npos) << p->message;
  EXPECT_FALSE(check_json_text("{\"a\": [1, 2, {\"b\": \"c\"}]}", "x").has_value());
}

TEST(JsonInput, ControlCharactersAndBadUtf8) {
  const auto nul = check_json_text("{\"events\": [{\"name\": \"a\\u0000b\"}]}", "e.json");
  ASSERT_TRUE(nul.has_value());
  EXPECT_EQ(nul->field, "events[0].name");
  const auto bad = check_json_text("{\"name\": \"\xFF\"}", "e.json");
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(utf8_error_offset(bad->to_string()), std::string_view::npos) << "the message must be UTF-8";
}

TEST(JsonInput, StringsAreBoundedLikeCsvRecords) {
  const std::string doc = "{\"events\": [{\"label\": \"" + std::string((1 << 20) + 1, 'x') + "\"}]}";
  const auto p = check_json_text(doc, "e.json");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->field, "events[0].label");
  EXPECT_LT(p->to_string().size(), 300u);
  EXPECT_FALSE(check_json_text("{\"label\": \"" + std::string(1 << 20, 'x') + "\"}", "e.json").has_value());
}

TEST(JsonRows, BecomeCsvWithTheKeysInFirstSeenOrder) {
  // By hand: the header is the union of the keys as met, each row's in its object's order (nlohmann
  // keeps an object's keys sorted): quantity, symbol, tags from the first row, then note; a cell with
  // a comma or a quote is quoted with its quotes doubled; a missing or null cell is empty; a
  // number is written as JSON writes it; the list column's items are joined with ';'.
  const auto rows = nlohmann::json::parse(
      R"([{"symbol": "AAPL", "quantity": 10, "tags": ["core", "us"]},
          {"symbol": "M,SFT", "quantity": 2.5, "note": "say \"hi\"", "tags": null},
          {"quantity": -1}])");
  EXPECT_EQ(csv_of_json_rows(rows, "positions array", "", {"tags"}),
            "quantity,symbol,tags,note\n"
            "10,AAPL,core;us,\n"
            "2.5,\"M,SFT\",,\"say \"\"hi\"\"\"\n"
            "-1,,,\n");
}

TEST(JsonRows, NamesEveryPlaceThatIsNotACell) {
  const auto rows = nlohmann::json::parse(R"([{"symbol": {"x": 1}}, 7, {"symbol": "A", "tags": ["t"]}])");
  try {
    csv_of_json_rows(rows, "what-if arguments", "trades");
    FAIL() << "nested values were accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "invalid what-if arguments");
    EXPECT_EQ(e.details(), (std::vector<std::string>{"trades[0].symbol: expected a string or a number",
                                                     "trades[1]: expected an object",
                                                     "trades[2].tags: expected a string or a number"}));
  }
}

TEST(ReadTextFile, RefusesDevicesAndBadText) {
  EXPECT_THROW(read_text_file(local_files(), "/dev/zero", "deal", "CLO deal file"), Error);
  const MemFile bad("bad.json", "{\"a\": \"\xFF\"}");
  try {
    read_text_file(bad.files(), bad.path(), "deal", "CLO deal file");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(":1:8: invalid UTF-8"), std::string::npos) << e.what();
  }
  const MemFile gz("doc.json.gz", gzip_bytes("\xEF\xBB\xBF{\"a\": 1}"));
  EXPECT_EQ(read_text_file(gz.files(), gz.path(), "doc", "doc"), "{\"a\": 1}");
}

// A missing file is "WHAT not found: PATH" on disk and in memory alike; the server's files refuse
// the path by the request field that named it, before anything is opened.
TEST(ReadTextFile, MissingAndRefusedFiles) {
  const MemFiles none;
  for (const Files* files : {&local_files(), static_cast<const Files*>(&none)}) {
    try {
      read_text_file(*files, "/nonexistent/deal.json", "deal", "CLO deal file");
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kNotFound);
      EXPECT_EQ(std::string(e.what()), "CLO deal file not found: /nonexistent/deal.json");
    }
  }
  try {
    read_text_file(no_files(), "/etc/passwd", "deal", "CLO deal file");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_EQ(std::string(e.what()), "deal: files cannot be named in this request (upload the content instead)");
  }
}

}  // namespace
}  // namespace keel::io
