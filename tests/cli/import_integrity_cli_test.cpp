// Regression tests for every defect of the "bad bytes never become silent data" issue, with the
// exact inputs it gives, through the real keel binary: the exit code and what the store holds
// afterwards must agree (0 = everything stored, 1 = nothing stored, never 4 after a commit).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

namespace fs = std::filesystem;

std::string tmp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("keel_integrity_" + std::to_string(::getpid()) + "_" + name)).string();
}

void write_file(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// gzip of `text`, by the gzip command (the CLI tests link no compression library).
std::string gzip_bytes(const std::string& text) {
  const std::string in = tmp_path("gzip_in");
  write_file(in, text);
  const std::string out = command_output("gzip -n -c " + in);
  fs::remove(in);
  return out;
}

std::string sql(const TempDb& db, const std::string& query) { return sqlite_query(db.path(), query); }

// 2,000 rows whose closes all have the form 120.5: a cut inside a number used to store "1.0".
std::string price_file(int rows) {
  std::string s = "date,symbol,close\n";
  for (int i = 0; i < rows; ++i) {
    const int day = i % 250;
    s += "2019-" + std::string(day / 28 + 1 < 10 ? "0" : "") + std::to_string(day / 28 + 1) + "-" +
         std::string(day % 28 + 1 < 10 ? "0" : "") + std::to_string(day % 28 + 1) + ",S" + std::to_string(i / 250) +
         ",120.5\n";
  }
  return s;
}

TEST(ImportIntegrity, TruncatedGzipIsRefusedAndStoresNothing) {
  const std::string gz = gzip_bytes(price_file(2000));
  const std::string path = tmp_path("t.csv.gz");
  TempDb db("trunc");
  for (int k = 1; k <= 12; ++k) {
    write_file(path, gz.substr(0, gz.size() * static_cast<std::size_t>(k) / 13));
    const auto r = run_keel("--db " + db.path() + " -q import prices " + path);
    EXPECT_EQ(r.code, 1) << "cut " << k << ": " << r.err;
    EXPECT_NE(r.err.find("gzip"), std::string::npos) << r.err;
  }
  EXPECT_EQ(sql(db, "SELECT COUNT(*) FROM prices"), "0");
  // The whole file imports every row, each close 120.5.
  write_file(path, gz);
  ASSERT_EQ(run_keel("--db " + db.path() + " -q import prices " + path).code, 0);
  EXPECT_EQ(sql(db, "SELECT COUNT(*), MIN(close), MAX(close) FROM prices"), "2000|120.5|120.5");
  fs::remove(path);
}

TEST(ImportIntegrity, LongWhitespaceLineDoesNotEndTheFile) {
  const std::string text = "date,symbol,close\n2020-01-02,AAA,1\n" + std::string(3'000'000, ' ') +
                           "\n2020-01-03,AAA,2\n2020-01-06,AAA,3\n2020-01-07,AAA,4\n";
  for (bool gz : {false, true}) {
    const std::string path = tmp_path(gz ? "ws.csv.gz" : "ws.csv");
    write_file(path, gz ? gzip_bytes(text) : text);
    TempDb db(gz ? "wsgz" : "ws");
    const auto r = run_keel("--db " + db.path() + " -q import prices " + path);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(sql(db, "SELECT COUNT(*), SUM(close) FROM prices"), "4|10.0");
    fs::remove(path);
  }
}

// A header cell with invalid UTF-8 used to be committed, then the command exited 4.
TEST(ImportIntegrity, InvalidUtf8HeaderIsRefusedBeforeAnyWrite) {
  TempDb db("utf8");
  const std::string prices = tmp_path("p.csv"), positions = tmp_path("pos.csv"), txs = tmp_path("tx.csv");
  write_file(prices, "date,symbol,close,note\xff\n2020-01-02,AAA,10,x\n");
  write_file(positions, "symbol,quantity,note\xff\nAAA,10,x\n");
  write_file(txs, "date,type,symbol,quantity,price,note\xff\n2020-01-02,BUY,AAA,10,5,x\n");
  const auto p = run_keel("--db " + db.path() + " -q import prices " + prices);
  EXPECT_EQ(p.code, 1) << p.err;
  EXPECT_NE(p.err.find(prices + ":1:4: invalid UTF-8"), std::string::npos) << p.err;
  const auto q = run_keel("--db " + db.path() + " -q import positions " + positions + " --portfolio main");
  EXPECT_EQ(q.code, 1) << q.err;
  const auto t = run_keel("--db " + db.path() + " -q import transactions " + txs + " --account main");
  EXPECT_EQ(t.code, 1) << t.err;
  EXPECT_EQ(sql(db, "SELECT (SELECT COUNT(*) FROM prices) + (SELECT COUNT(*) FROM positions) + "
                    "(SELECT COUNT(*) FROM ledger_transactions)"),
            "0");
  for (const auto& f : {prices, positions, txs}) fs::remove(f);
}

// A file name that is not UTF-8 must not turn a committed import into exit 4 either.
TEST(ImportIntegrity, NonUtf8FileNameStillReportsTheImport) {
  TempDb db("name");
  const std::string path = tmp_path("na\xffme.csv");
  write_file(path, "date,symbol,close\n2020-01-02,AAA,10\n");
  const auto r = run_keel("--db " + db.path() + " --format json import prices '" + path + "'");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["rows"], 1);
  fs::remove(path);
}

TEST(ImportIntegrity, HugeQuantityIsRefused) {
  TempDb db("qty");
  const std::string path = tmp_path("q.csv");
  write_file(path, "symbol,quantity\nAAA,1e308\nBBB,10\n");
  const auto r = run_keel("--db " + db.path() + " -q import positions " + path + " --portfolio main");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(path + ":2:2: quantity:"), std::string::npos) << r.err;
  EXPECT_EQ(sql(db, "SELECT COUNT(*) FROM positions"), "0");
  fs::remove(path);
}

TEST(ImportIntegrity, NulInFactorsHeaderIsRefused) {
  TempDb db("nul");
  const std::string path = tmp_path("f.csv");
  write_file(path, std::string("date,mkt\0x\n2020-01-02,0.01\n", 27));
  const auto r = run_keel("--db " + db.path() + " -q import factors " + path);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(path + ":1:2: control character"), std::string::npos) << r.err;
  fs::remove(path);
}

TEST(ImportIntegrity, TwoMegabyteCellIsCutInTheMessage) {
  TempDb db("cell");
  const std::string path = tmp_path("c.csv");
  write_file(path, "symbol,quantity\nAAA," + std::string(2'000'000, '7') + "x\n");
  const auto r = run_keel("--db " + db.path() + " -q import positions " + path + " --portfolio main");
  EXPECT_EQ(r.code, 1);
  EXPECT_LT(r.err.size(), 2000u) << "the message echoes the cell";
  fs::remove(path);
}

// `1e400` in a JSON input was exit 4 (nlohmann's out_of_range 406); it is bad input with its path.
TEST(ImportIntegrity, JsonNumberOutOfRangeIsBadInputWithItsPath) {
  const std::string deal = tmp_path("deal.json");
  std::ifstream in(source_path("examples/clo/small_deal.json"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find("\"target_par\"");
  ASSERT_NE(at, std::string::npos);
  const auto colon = text.find(':', at);
  const auto end = text.find_first_of(",}\n", colon);
  text.replace(colon + 1, end - colon - 1, " 1e400");
  write_file(deal, text);
  const auto r = run_keel("clo run --deal " + deal);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("target_par: number out of range"), std::string::npos) << r.err;

  const std::string events = tmp_path("events.json");
  write_file(events, "{\"events\": [{\"year\": 2, \"type\": \"income\", \"amount\": 1e400}]}");
  const auto e = run_keel("plan retire --balance 100000 --withdrawal 4000 --trials 100 --events " + events);
  EXPECT_EQ(e.code, 1) << e.err;
  EXPECT_NE(e.err.find("events[0].amount: number out of range"), std::string::npos) << e.err;

  const std::string mapping = tmp_path("m.json");
  write_file(mapping, "{\"name\": \"x\", \"columns\": {\"Qty\": \"quantity\"}, \"scale\": 1e400}");
  const std::string txs = tmp_path("tx2.csv");
  write_file(txs, "date,type,symbol,Qty,price\n2020-01-02,BUY,AAA,1,1\n");
  TempDb db("map");
  const auto m = run_keel("--db " + db.path() + " import transactions " + txs + " --account a --mapping " + mapping);
  EXPECT_EQ(m.code, 1) << m.err;
  EXPECT_NE(m.err.find("scale: number out of range"), std::string::npos) << m.err;
  for (const auto& f : {deal, events, mapping, txs}) fs::remove(f);
}

TEST(ImportIntegrity, DevZeroCollateralIsRefusedAtOnce) {
  const std::string deal = tmp_path("zero.json");
  std::ifstream in(source_path("examples/clo/small_deal.json"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find("\"small_pool.csv\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("\"small_pool.csv\"").size(), "\"/dev/zero\"");
  write_file(deal, text);
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_keel("clo run --deal " + deal);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
  EXPECT_LT(seconds, 10.0);
  fs::remove(deal);
}

// Two CLI processes each selling 40 of the 50 shares held, at the same moment: exactly one wins,
// and the ledger stays consistent (every later operation works).
TEST(ImportIntegrity, ConcurrentLedgerSellsCannotBothPass) {
  TempDb db("sells");
  const std::string buy = tmp_path("buy.csv"), sell = tmp_path("sell.csv");
  write_file(buy, "date,type,symbol,quantity,price\n2020-01-02,BUY,AAA,50,10\n");
  write_file(sell, "date,type,symbol,quantity,price\n2020-02-03,SELL,AAA,40,12\n");
  ASSERT_EQ(run_keel("--db " + db.path() + " -q import transactions " + buy + " --account main").code, 0);
  for (int round = 0; round < 3; ++round) {
    if (round > 0) {
      ASSERT_EQ(run_keel("--db " + db.path() + " -q import transactions " + buy + " --account main --replace").code, 0);
    }
    // Two distinct sales of the same row (--keep-duplicates: else the second is a re-import, skipped).
    CliResult a, b;
    const std::string cmd = "--db " + db.path() + " -q import transactions " + sell + " --account main --keep-duplicates";
    std::thread ta([&] { a = run_keel(cmd); });
    std::thread tb([&] { b = run_keel(cmd); });
    ta.join();
    tb.join();
    EXPECT_EQ((a.code == 0) + (b.code == 0), 1) << a.err << b.err;
    EXPECT_EQ(a.code + b.code, 1) << a.err << b.err;
    const CliResult& loser = a.code != 0 ? a : b;
    EXPECT_NE(loser.err.find("only 10 held"), std::string::npos) << loser.err;
    EXPECT_EQ(sql(db, "SELECT COUNT(*) FROM ledger_transactions WHERE type = 'SELL'"), "1");
    EXPECT_EQ(run_keel("--db " + db.path() + " -q ledger lots --account main").code, 0);
  }
  fs::remove(buy);
  fs::remove(sell);
}

// A ledger that is already inconsistent (written by hand here, as by an older keel) is reported
// with the offending transaction and can still be read and repaired.
TEST(ImportIntegrity, InconsistentLedgerCanBeReadAndRepaired) {
  TempDb db("broken");
  const std::string buy = tmp_path("b.csv"), other = tmp_path("o.csv");
  write_file(buy, "date,type,symbol,quantity,price\n2020-01-02,BUY,AAA,50,10\n");
  write_file(other, "date,type,symbol,quantity,price\n2020-01-02,BUY,BBB,5,10\n");
  ASSERT_EQ(run_keel("--db " + db.path() + " -q import transactions " + buy + " --account main").code, 0);
  ASSERT_EQ(sql(db,
                "INSERT INTO ledger_transactions (account_id, ordinal, date, type, symbol, quantity, price, fees, "
                "lot_id, currency, note, source, source_line) SELECT account_id, 2, '2020-02-03', 'SELL', 'AAA', "
                "'80', '12', '0', '', '', '', 'old.csv', 7 FROM ledger_transactions LIMIT 1"),
            "");
  const auto lots = run_keel("--db " + db.path() + " -q ledger lots --account main");
  EXPECT_EQ(lots.code, 1);
  EXPECT_NE(lots.err.find("old.csv:7"), std::string::npos) << lots.err;
  const auto show = run_keel("--db " + db.path() + " --format json account show main");
  EXPECT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("old.csv:7"), std::string::npos) << show.out;
  // Another account can still be added to (the old problem comes back as a warning) ...
  const auto add = run_keel("--db " + db.path() + " import transactions " + other + " --account second");
  EXPECT_EQ(add.code, 0) << add.err;
  EXPECT_NE(add.err.find("inconsistent"), std::string::npos) << add.err;
  // ... and the broken account repaired by replacing its rows.
  EXPECT_EQ(run_keel("--db " + db.path() + " -q import transactions " + buy + " --account main --replace").code, 0);
  EXPECT_EQ(run_keel("--db " + db.path() + " -q ledger lots --account main").code, 0);
  fs::remove(buy);
  fs::remove(other);
}

// A file cut inside its last number ("8" of "8.25", no final line ending) is imported, and the
// cut is named: a warning on stderr and in the JSON summary's warnings, the exit code 0. The same
// for its gzip (the check is on the decompressed text); the whole file imports without it.
TEST(ImportIntegrity, AFileWithoutAFinalLineEndImportsWithAWarningNamingTheLine) {
  const std::string cut = "date,symbol,close\n2017-01-03,AAA,10\n2017-01-04,AAA,11\n2017-01-05,AAA,8";
  const std::string warning = ":4: the last line has no line ending: the file may be truncated";
  for (bool gz : {false, true}) {
    const std::string path = tmp_path(gz ? "cut.csv.gz" : "cut.csv");
    write_file(path, gz ? gzip_bytes(cut) : cut);
    TempDb db(gz ? "cutgz" : "cut");
    const auto r = run_keel("--db " + db.path() + " import prices " + path);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: " + path + warning + "\n"), std::string::npos) << r.err;
    EXPECT_EQ(sql(db, "SELECT COUNT(*), MIN(close) FROM prices"), "3|8.0");  // the cut row is stored as 8
    const auto j = run_keel("--db " + db.path() + " -q --format json import prices " + path);
    ASSERT_EQ(j.code, 0) << j.err;
    EXPECT_EQ(nlohmann::json::parse(j.out)["warnings"], nlohmann::json::array({path + warning})) << j.out;
    fs::remove(path);
  }
  const std::string whole = tmp_path("whole.csv");
  write_file(whole, cut + "\n");
  TempDb db("whole");
  const auto r = run_keel("--db " + db.path() + " import prices " + whole);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("line ending"), std::string::npos) << r.err;
  fs::remove(whole);
}

}  // namespace
}  // namespace keel::testing
