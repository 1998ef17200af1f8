#include "keel/io/transaction_reader.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "keel/core/csv_writer.h"
#include "keel/core/error.h"
#include "keel/ledger/booking.h"

namespace keel::io {
namespace {

using ledger::Decimal;
using ledger::TxType;

std::vector<ledger::Transaction> read_text(const std::string& text, Diagnostics& diags,
                                           TransactionReadOptions options = {}) {
  auto csv = CsvReader::from_text("t.csv", text, diags);
  return read_transactions(csv, options, diags);
}

std::string all_errors(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d.errors()) s += e.to_string() + "\n";
  return s;
}

TEST(TransactionReader, ReadsCanonicalColumnsExactly) {
  Diagnostics d;
  const auto t = read_text(
      "date,type,symbol,quantity,price,fees,amount,lot_id,split_ratio,note\n"
      "2024-01-02,BUY,aapl,10.5,185.6401,1.00,,L1,,first\n"
      "2024-06-10,split,AAPL,,,,,,3:2,\n"
      "2024-07-01,WITHDRAWAL,,,,,-500,,,\n",
      d);
  ASSERT_FALSE(d.has_errors()) << all_errors(d);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].symbol, "AAPL");
  EXPECT_EQ(t[0].quantity, Decimal::parse("10.5").value());
  EXPECT_EQ(t[0].price.raw(), 18564010000);
  EXPECT_EQ(t[0].lot_id, "L1");
  EXPECT_EQ(t[0].line, 2u);
  EXPECT_EQ(t[1].type, TxType::kSplit);
  EXPECT_EQ(t[1].split_ratio->numerator, 3);
  EXPECT_EQ(*t[2].amount, Decimal::parse("500").value());  // sign of amount ignored
}

TEST(TransactionReader, TheRowsOfAFileShareOneCopyOfItsName) {
  Diagnostics d;
  const auto t = read_text("date,type,symbol,quantity,price\n2024-01-02,BUY,A,1,10\n2024-01-03,SELL,A,1,11\n", d);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].source, "t.csv");
  EXPECT_EQ(&t[0].source.str(), &t[1].source.str());
  ledger::Transaction copy = t[1];
  EXPECT_EQ(&copy.source.str(), &t[0].source.str());
  EXPECT_TRUE(ledger::SourceName().empty());
  EXPECT_EQ(ledger::SourceName("x.csv"), "x.csv");
}

TEST(TransactionReader, ReportsEveryBadRowWithLineAndColumn) {
  Diagnostics d;
  const auto t = read_text(
      "date,type,symbol,quantity,price\n"
      "2024-01-02,BUY,AAPL,10,185\n"
      "2024-01-03,BOUGHT,AAPL,10,185\n"     // unknown type
      "2024-01-04,BUY,AAPL,10,-1\n"         // negative price
      "2024-01-05,SPLIT,AAPL,,\n"           // split without ratio
      "01/06/2024,BUY,AAPL,1,1\n"           // unparseable date
      "2024-01-07,BUY,AAPL,abc,1\n",        // bad number
      d);
  EXPECT_EQ(d.error_count(), 5u) << all_errors(d);
  const std::string e = all_errors(d);
  EXPECT_NE(e.find("t.csv:3:2: type: unknown type 'BOUGHT'"), std::string::npos) << e;
  EXPECT_NE(e.find("t.csv:4:5: price: price is negative"), std::string::npos) << e;
  EXPECT_NE(e.find("t.csv:5"), std::string::npos) << e;
  EXPECT_NE(e.find("t.csv:6:1: date: '01/06/2024' is not a date"), std::string::npos) << e;
  EXPECT_NE(e.find("t.csv:7:4: quantity"), std::string::npos) << e;
  EXPECT_THROW(d.throw_if_errors("bad"), Error);
}

TEST(TransactionReader, SplitRatioZeroIsRejected) {
  Diagnostics d;
  read_text("date,type,symbol,quantity,price,split_ratio\n2024-01-05,SPLIT,AAPL,,,0:1\n", d);
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_NE(all_errors(d).find("not a split ratio"), std::string::npos);
}

TEST(TransactionReader, MissingRequiredColumnIsReportedAtTheHeader) {
  Diagnostics d;
  read_text("date,type,symbol,quantity\n2024-01-02,BUY,A,1\n", d);
  EXPECT_NE(all_errors(d).find("t.csv:1: missing required column \"price\""), std::string::npos) << all_errors(d);
}

TEST(TransactionMapping, FidelityStyleLayout) {
  const auto m = parse_mapping(nlohmann::json::parse(R"js({
    "name": "fidelity",
    "columns": {"Run Date": "date", "Action": "type", "Symbol": "symbol", "Quantity": "quantity",
                "Price ($)": "price", "Commission ($)": "fees", "Fees ($)": "fees", "Amount ($)": "amount"},
    "date_format": "%m/%d/%Y", "type_match": "prefix",
    "types": {"YOU BOUGHT": "BUY", "YOU SOLD": "SELL", "DIVIDEND RECEIVED": "DIVIDEND", "JOURNALED": "IGNORE"},
    "absolute": ["quantity", "amount", "fees"]})js"),
                               "m.json");
  TransactionReadOptions o;
  o.mapping = m;
  Diagnostics d;
  const auto t = read_text(
      "Run Date,Action,Symbol,Quantity,Price ($),Commission ($),Fees ($),Amount ($)\n"
      "03/01/2017,YOU SOLD APPLE INC (AAPL) (Cash),AAPL,-40,139.79,4.95,0.02,\"$5,586.63\"\n"
      "01/04/2016,YOU BOUGHT APPLE INC (AAPL) (Cash),AAPL,50,105.35,4.95,,-5272.45\n"
      "01/05/2016,JOURNALED SPP,,,,,,1\n",
      d, o);
  ASSERT_FALSE(d.has_errors()) << all_errors(d);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].type, TxType::kSell);
  EXPECT_EQ(t[0].date, Date::parse("2017-03-01").value());
  EXPECT_EQ(t[0].quantity, Decimal::parse("40").value());
  EXPECT_EQ(t[0].fees, Decimal::parse("4.97").value());  // commission + fees
  EXPECT_EQ(*t[0].amount, Decimal::parse("5586.63").value());
  EXPECT_EQ(*t[1].amount, Decimal::parse("5272.45").value());
}

TEST(TransactionMapping, TypeBySignAndCompactDates) {
  const auto m = parse_mapping(nlohmann::json::parse(R"js({
    "columns": {"TradeDate": "date", "Symbol": "symbol", "Quantity": "quantity", "TradePrice": "price"},
    "date_formats": ["%Y%m%d", "%Y%m%d;%H%M%S"], "absolute": ["quantity"],
    "type_by_sign": {"field": "quantity", "positive": "BUY", "negative": "SELL"}})js"),
                               "ib.json");
  TransactionReadOptions o;
  o.mapping = m;
  Diagnostics d;
  const auto t = read_text("TradeDate,Symbol,Quantity,TradePrice\n20240105;093000,MSFT,-5,370.1\n20240102,MSFT,10,368\n",
                           d, o);
  ASSERT_FALSE(d.has_errors()) << all_errors(d);
  EXPECT_EQ(t[0].type, TxType::kSell);
  EXPECT_EQ(t[0].date, Date::parse("2024-01-05").value());
  EXPECT_EQ(t[0].quantity, Decimal::parse("5").value());
  EXPECT_EQ(t[1].type, TxType::kBuy);
}

TEST(TransactionMapping, BadMappingListsEveryProblemByPath) {
  try {
    parse_mapping(nlohmann::json::parse(R"js({"columns": {"X": "amt"}, "types": {"B": "PURCHASE"}, "oops": 1})js"), "m.json");
    FAIL();
  } catch (const Error& e) {
    ASSERT_EQ(e.details().size(), 3u);
    std::string all;
    for (const auto& s : e.details()) all += s + "\n";
    EXPECT_NE(all.find("columns.X"), std::string::npos) << all;
    EXPECT_NE(all.find("types.B"), std::string::npos) << all;
    EXPECT_NE(all.find("oops"), std::string::npos) << all;
  }
}

TEST(TransactionReader, CanonicalCsvRoundTripReproducesLotsAndGains) {
  Diagnostics d;
  const auto t = read_text(
      "date,type,symbol,quantity,price,fees,lot_id,split_ratio,method,amount\n"
      "2023-01-03,BUY,W,100,50.125,1.5,A,,,\n"
      "2023-02-03,BUY,W,50,40,0,B,,,\n"
      "2023-03-01,SPLIT,W,,,,,3:2,,\n"
      "2023-06-01,SELL,W,100,30.3333,2,,,lifo,\n"
      "2023-06-10,BUY,W,10,29,0,,,,\n"
      "2023-07-01,DIVIDEND,W,,,,,,,12.34\n",
      d);
  ASSERT_FALSE(d.has_errors()) << all_errors(d);
  const std::string csv = write_transactions_csv(t);
  Diagnostics d2;
  const auto back = read_text(csv, d2);
  ASSERT_FALSE(d2.has_errors()) << all_errors(d2);
  ASSERT_EQ(back.size(), t.size());
  const auto a = ledger::book(t, {});
  const auto b = ledger::book(back, {});
  ASSERT_EQ(a.realized.size(), b.realized.size());
  for (std::size_t i = 0; i < a.realized.size(); ++i) {
    EXPECT_EQ(a.realized[i].gain(), b.realized[i].gain());
    EXPECT_EQ(a.realized[i].cost, b.realized[i].cost);
  }
  ASSERT_EQ(a.open_lots.size(), b.open_lots.size());
  for (std::size_t i = 0; i < a.open_lots.size(); ++i) {
    EXPECT_EQ(a.open_lots[i].basis, b.open_lots[i].basis);
    EXPECT_EQ(a.open_lots[i].quantity, b.open_lots[i].quantity);
    EXPECT_EQ(a.open_lots[i].acquired, b.open_lots[i].acquired);
  }
  EXPECT_EQ(write_transactions_csv(back), csv);
}

TEST(TransactionReader, AFileWithoutAFinalLineEndIsReadWithAWarningNamingTheLine) {
  Diagnostics d;
  const auto t = read_text("date,type,symbol,quantity,price\n2024-01-02,BUY,AAPL,10,185\n2024-01-03,BUY,AAPL,1,18", d);
  ASSERT_FALSE(d.has_errors()) << all_errors(d);
  ASSERT_EQ(t.size(), 2u);
  ASSERT_EQ(d.warnings().size(), 1u);
  EXPECT_EQ(d.warnings()[0].to_string(), "t.csv:3: the last line has no line ending: the file may be truncated");
  Diagnostics whole;
  read_text("date,type,symbol,quantity,price\n2024-01-02,BUY,AAPL,10,185\n", whole);
  EXPECT_TRUE(whole.warnings().empty());
}

// The cells of RFC 4180 text as a spreadsheet would take them (quotes removed, nothing else undone:
// not keel's reader, which undoes the formula guard).
std::vector<std::vector<std::string>> spreadsheet_cells(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += text[++i];
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n') {
      rows.back().push_back(std::move(cell));
      cell.clear();
      rows.emplace_back();
    } else {
      cell += c;
    }
  }
  rows.pop_back();  // after the last line feed
  return rows;
}

// The hostile tenant's names (issue 57): an account "=1+1 acct", notes =HYPERLINK(...), a lot id
// @SUM(...). The export carries no cell a spreadsheet would evaluate — each such text begins with
// the guard's apostrophe — while numbers stay numbers; and keel
// reads the file back to the very names (the round trip of docs/ledger.md).
TEST(TransactionReader, TheExportCarriesNoFormulaCellAndReadsBackExactly) {
  Diagnostics d;
  const auto t = read_text(
      "date,type,symbol,quantity,price,account,fees,amount,lot_id,note\n"
      "2024-01-02,DEPOSIT,,,,=1+1 acct,,1000,,\"=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\"\n"
      "2024-01-03,BUY,AAPL,10,50.5,=1+1 acct,1,,@SUM(A1),+cmd|' /C calc'!A0\n"
      "2024-01-04,FEE,,,,=1+1 acct,,12.5,,-2+3\n",
      d);
  ASSERT_FALSE(d.has_errors()) << all_errors(d);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].account, "=1+1 acct");
  const std::string csv = write_transactions_csv(t);
  const auto rows = spreadsheet_cells(csv);
  ASSERT_EQ(rows.size(), 4u);
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 14u) << csv;
    for (const auto& cell : row) {
      if (cell.empty()) continue;
      const bool formula_start = std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
      EXPECT_TRUE(!formula_start || csv_plain_number(cell)) << "a formula cell: " << cell;
    }
  }
  EXPECT_EQ(rows[1][5], "'=1+1 acct");
  EXPECT_EQ(rows[1][11], "'=HYPERLINK(\"http://evil.example/\",\"x\")");
  EXPECT_EQ(rows[2][8], "'@SUM(A1)");
  EXPECT_EQ(rows[2][11], "'+cmd|' /C calc'!A0");
  EXPECT_EQ(rows[3][11], "'-2+3");
  EXPECT_EQ(rows[2][3], "10");  // numbers stay numbers
  EXPECT_EQ(rows[3][7], "12.5");
  // keel reads its export back to the same text.
  Diagnostics d2;
  const auto back = read_text(csv, d2);
  ASSERT_FALSE(d2.has_errors()) << all_errors(d2);
  ASSERT_EQ(back.size(), t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_EQ(back[i].account, t[i].account);
    EXPECT_EQ(back[i].note, t[i].note);
    EXPECT_EQ(back[i].lot_id, t[i].lot_id);
  }
  EXPECT_EQ(write_transactions_csv(back), csv);
}

}  // namespace
}  // namespace keel::io
