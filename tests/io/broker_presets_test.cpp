// The broker CSV presets shipped in examples/ledger (*.mapping.json) on their sample files, written
// from each broker's published export columns: every row as keel reads it, and the stable ids that
// make a re-downloaded overlapping file add nothing twice.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "keel/core/error.h"
#include "keel/io/transaction_reader.h"

namespace keel::io {
namespace {

std::string example(const std::string& name) {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/examples/ledger/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Read {
  std::vector<ledger::Transaction> rows;
  std::vector<std::string> errors;
};

Read read_with(const std::string& mapping, const std::string& text) {
  const TransactionMapping m = parse_mapping(nlohmann::json::parse(example(mapping)), mapping);
  Diagnostics d;
  auto csv = CsvReader::from_text("history.csv", text, d, m.delimiter);
  TransactionReadOptions o;
  o.mapping = m;
  o.default_account = "main";
  Read r;
  r.rows = read_transactions(csv, o, d);
  for (const auto& e : d.errors()) r.errors.push_back(e.to_string());
  return r;
}

std::vector<std::string> lines(const std::vector<ledger::Transaction>& rows) {
  std::vector<std::string> out;
  for (const auto& t : rows) {
    out.push_back(fmt::format("{} {} {} q={} p={} f={} a={}", t.date.to_string(), ledger::tx_type_name(t.type),
                              t.symbol.empty() ? "-" : t.symbol, t.quantity.to_string(), t.price.to_string(),
                              t.fees.to_string(), t.amount ? t.amount->to_string() : "-"));
  }
  return out;
}

void expect_stable_ids(const std::vector<ledger::Transaction>& rows) {
  std::set<std::string> ids;
  for (const auto& t : rows) {
    EXPECT_EQ(t.external_id.rfind("csv:", 0), 0U) << t.external_id;
    EXPECT_EQ(t.external_id.size(), 20U) << t.external_id;  // "csv:" + 16 hex digits
    ids.insert(t.external_id);
  }
  EXPECT_EQ(ids.size(), rows.size());
}

TEST(BrokerPresets, Schwab) {
  const Read r = read_with("schwab.mapping.json", example("schwab_history.csv"));
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  EXPECT_EQ(lines(r.rows), (std::vector<std::string>{
                               "2024-09-03 WITHDRAWAL - q=0 p=0 f=0 a=1000",
                               "2024-08-15 DIVIDEND AAPL q=0 p=0 f=0 a=15",
                               "2024-06-20 SELL AAPL q=40 p=210 f=0.05 a=8399.95",
                               "2024-06-13 WITHHOLDING NVS q=0 p=0 f=0 a=4.21",
                               "2024-06-13 DIVIDEND NVS q=0 p=0 f=0 a=28.05",
                               "2024-05-15 BUY SCHD q=0.1234 p=78.5 f=0 a=9.69",
                               "2024-05-15 DIVIDEND SCHD q=0 p=0 f=0 a=9.69",
                               "2024-04-30 INTEREST - q=0 p=0 f=0 a=1.27",
                               "2024-03-01 BUY NVS q=15 p=101.2 f=0 a=1518",
                               "2024-02-01 BUY SCHD q=100 p=75.9 f=0 a=7590",
                               "2024-01-03 BUY AAPL q=100 p=185 f=0 a=18500",
                               "2024-01-02 DEPOSIT - q=0 p=0 f=0 a=30000",
                           }));
  expect_stable_ids(r.rows);
  EXPECT_EQ(r.rows[2].note, "APPLE INC");
}

// Vanguard's download as it comes: its holdings section, blank lines, then the transactions.
TEST(BrokerPresets, Vanguard) {
  const Read r = read_with("vanguard.mapping.json", example("vanguard_transactions.csv"));
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  // The settlement fund's sweeps are cash moving into and out of the money market: skipped.
  EXPECT_EQ(lines(r.rows), (std::vector<std::string>{
                               "2024-09-03 WITHDRAWAL VMFXX q=0 p=1 f=0 a=1000",
                               "2024-07-15 DISTRIBUTION VTSAX q=0 p=0 f=0 a=40",
                               "2024-06-25 SELL VTSAX q=10 p=125 f=0 a=1250",
                               "2024-03-28 BUY VTSAX q=0.5 p=110 f=0 a=55",
                               "2024-03-28 DIVIDEND VTSAX q=0 p=0 f=0 a=55",
                               "2024-01-31 INTEREST VMFXX q=0 p=0 f=0 a=3.12",
                               "2024-01-05 BUY BND q=20 p=72.1 f=1 a=1443",
                               "2024-01-04 BUY VTSAX q=50 p=110 f=0 a=5500",
                               "2024-01-02 DEPOSIT VMFXX q=0 p=1 f=0 a=20000",
                           }));
  expect_stable_ids(r.rows);
}

TEST(BrokerPresets, Robinhood) {
  const Read r = read_with("robinhood.mapping.json", example("robinhood_activity.csv"));
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  EXPECT_EQ(lines(r.rows), (std::vector<std::string>{
                               "2024-09-03 WITHDRAWAL - q=0 p=0 f=0 a=500",
                               "2024-08-15 DIVIDEND AAPL q=0 p=0 f=0 a=2.5",
                               "2024-07-01 FEE - q=0 p=0 f=0 a=5",
                               "2024-06-20 SELL AAPL q=5 p=210 f=0 a=1050",
                               "2024-06-13 WITHHOLDING TSM q=0 p=0 f=0 a=0.72",
                               "2024-06-13 DIVIDEND TSM q=0 p=0 f=0 a=3.2",
                               "2024-05-31 INTEREST - q=0 p=0 f=0 a=0.87",
                               "2024-02-01 BUY TSM q=8 p=112.5 f=0 a=900",
                               "2024-01-03 BUY AAPL q=15 p=185 f=0 a=2775",
                               "2024-01-02 DEPOSIT - q=0 p=0 f=0 a=5000",
                           }));
  expect_stable_ids(r.rows);
  EXPECT_EQ(r.rows[3].note, "Apple\nCUSIP: 037833100");
}

// A broker's closing lines end its rows: the first record whose first non-empty cell begins with
// a `footer` text (any case) is not read, nor any record after it, and a warning names its line; a
// record of empty cells ("","","") is a blank line. Robinhood's sample above ends that way.
TEST(BrokerPresets, ClosingLinesEndTheRows) {
  const std::string header = "\"Date\",\"Action\",\"Symbol\",\"Description\",\"Quantity\",\"Price\",\"Fees & Comm\",\"Amount\"\n";
  const std::string buy = "\"01/03/2024\",\"Buy\",\"AAPL\",\"APPLE INC\",\"1\",\"$185.00\",\"\",\"-$185.00\"\n";
  const TransactionMapping m = parse_mapping(nlohmann::json::parse(example("schwab.mapping.json")), "schwab");
  Diagnostics d;
  auto csv = CsvReader::from_text("history.csv", header + buy + "\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\n" + buy +
                                                     "\"transactions total\",\"\",\"\",\"\",\"\",\"\",\"\",\"-$370.00\"\n" + buy,
                                  d, m.delimiter);
  TransactionReadOptions o;
  o.mapping = m;
  o.default_account = "main";
  const auto rows = read_transactions(csv, o, d);
  EXPECT_TRUE(d.errors().empty());
  EXPECT_EQ(rows.size(), 2U);  // lines 2 and 4; line 6, after the total, is not read
  ASSERT_EQ(d.warnings().size(), 1U);
  EXPECT_EQ(d.warnings()[0].line, 5U);
  EXPECT_NE(d.warnings()[0].message.find("closing lines"), std::string::npos) << d.warnings()[0].message;

  // Without a footer the total is a row like any other: refused with its place.
  nlohmann::json doc = nlohmann::json::parse(example("schwab.mapping.json"));
  doc.erase("footer");
  o.mapping = parse_mapping(doc, "schwab");
  Diagnostics d2;
  auto csv2 = CsvReader::from_text("history.csv", header + buy + "\"Transactions Total\",\"\",\"\",\"\",\"\",\"\",\"\",\"-$185.00\"\n",
                                   d2, m.delimiter);
  read_transactions(csv2, o, d2);
  ASSERT_FALSE(d2.errors().empty());
  EXPECT_EQ(d2.errors()[0].line, 3U);

  for (const char* bad : {R"({"footer": "Date downloaded"})", R"({"footer": ["  "]})", R"({"footer": [1]})"}) {
    try {
      parse_mapping(nlohmann::json::parse(bad), "m.json");
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      ASSERT_EQ(e.details().size(), 1U) << bad;
      EXPECT_EQ(e.details()[0].rfind("m.json: footer: must be a list", 0), 0U) << e.details()[0];
    }
  }
}

// A download with lines before its transactions' header: Schwab's older exports open with a title
// line; the preset's `header` names the columns the header holds, so the title is not read. Vanguard's
// sample opens with its holdings section (read by BrokerPresets.Vanguard). A file without such a
// line is refused at line 0 with the columns it lacks.
TEST(BrokerPresets, HeaderAfterAPreamble) {
  const std::string title = "\"Transactions  for account Individual ...123 as of 01/05/2024 09:50:56 ET\"\n";
  const std::string header = "\"Date\",\"Action\",\"Symbol\",\"Description\",\"Quantity\",\"Price\",\"Fees & Comm\",\"Amount\"\n";
  const std::string buy = "\"01/03/2024\",\"Buy\",\"AAPL\",\"APPLE INC\",\"1\",\"$185.00\",\"\",\"-$185.00\"\n";
  const Read r = read_with("schwab.mapping.json", title + header + buy);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  EXPECT_EQ(lines(r.rows), (std::vector<std::string>{"2024-01-03 BUY AAPL q=1 p=185 f=0 a=185"}));
  EXPECT_EQ(r.rows[0].line, 3U);

  const Read none = read_with("schwab.mapping.json", title + buy);
  ASSERT_EQ(none.errors.size(), 1U);
  EXPECT_EQ(none.errors[0], "history.csv: no line is the transactions' header: expected one with the columns Date, "
                            "Action (mapping 'schwab')");
  EXPECT_TRUE(none.rows.empty());
}

// The id is the row's cells: the same row in a later download has the same id, and a row
// repeated inside one file is told apart by its occurrence.
TEST(BrokerPresets, StableIdsFollowTheRowNotItsPlace) {
  const std::string header = "\"Date\",\"Action\",\"Symbol\",\"Description\",\"Quantity\",\"Price\",\"Fees & Comm\",\"Amount\"\n";
  const std::string buy = "\"01/03/2024\",\"Buy\",\"AAPL\",\"APPLE INC\",\"1\",\"$185.00\",\"\",\"-$185.00\"\n";
  const std::string sell = "\"02/03/2024\",\"Sell\",\"AAPL\",\"APPLE INC\",\"1\",\"$190.00\",\"\",\"$190.00\"\n";
  const Read first = read_with("schwab.mapping.json", header + buy + buy);
  const Read later = read_with("schwab.mapping.json", header + sell + buy);
  ASSERT_EQ(first.rows.size(), 2U);
  ASSERT_EQ(later.rows.size(), 2U);
  EXPECT_EQ(first.rows[1].external_id, first.rows[0].external_id + "#2");
  EXPECT_EQ(later.rows[1].external_id, first.rows[0].external_id);
  EXPECT_NE(later.rows[0].external_id, first.rows[0].external_id);
}

TEST(BrokerPresets, BySignNeedsASignRule) {
  try {
    parse_mapping(nlohmann::json{{"types", {{"Transfer", "BY_SIGN"}}}, {"stable_ids", "yes"}}, "m.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.details(), (std::vector<std::string>{"m.json: stable_ids: must be true or false",
                                                     "m.json: types.TRANSFER: BY_SIGN needs a type_by_sign rule"}));
  }
}

}  // namespace
}  // namespace keel::io
