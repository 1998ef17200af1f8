// Brokers' positions downloads (keel/io/broker_positions.h), in the shapes the downloads have: the
// Fidelity and Schwab samples are written by hand in the form of the OpenAlloc FINporter test suites
// (FINporterFido's FidoPositionsTests, FINporterChuck's ChuckPositionsIndivTests: the byte-order
// mark, CRLF, the quoted "$45,900.35", the "n/a" basis, Schwab's title line and totals row) and of
// Schwab's newer column names ("Qty (Quantity)", "Mkt Val (Market Value)", "Positions Total").
// Expected figures are the files' own, worked by hand below.
#include "keel/io/broker_positions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "keel/core/error.h"
#include "keel/io/ibkr_flex_reader.h"
#include "keel/io/ofx_reader.h"
#include "keel/io/readers.h"
#include "read_text.h"

namespace keel::io {
namespace {

using ledger::Decimal;
using testing::read_text;

Decimal dec(const char* s) {
  return *Decimal::parse(s);
}

auto read_download(const std::string& name, const std::string& text) {
  return read_text(name, text, [](CsvReader& c, Diagnostics& d) { return read_broker_positions(c, d); });
}

std::vector<std::string> warnings(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& w : d.warnings()) out.push_back(w.to_string());
  return out;
}

const std::string kFidelityHeader =
    "Account Number,Account Name,Symbol,Description,Quantity,Last Price,Last Price Change,Current Value,"
    "Today's Gain/Loss Dollar,Today's Gain/Loss Percent,Total Gain/Loss Dollar,Total Gain/Loss Percent,"
    "Percent Of Account,Cost Basis Total,Average Cost Basis,Type";

TEST(BrokerPositions, FidelityDownloadWithItsByteOrderMarkCrlfQuotedDollarsAndClosingLines) {
  const std::string text =
      "\xEF\xBB\xBF" + kFidelityHeader +
      "\r\n"
      "Z00000000,AAAA,VWO,VANGUARD INTL EQUITY INDEX FDS FTSE EMR MKT ETF,900,$50.922,+$0.160,\"$45,900.35\","
      "+$150.25,+0.32%,\"+$11,945.20\",+31.10%,15.05%,\"$38,362.05\",$28.96,Cash,\r\n"
      "Z00000001,BBBB,VOO,VANGUARD S&P 500 ETF,800,$40.922,+$0.160,\"$45,900.35\",+$150.25,+0.32%,"
      "\"+$11,945.20\",+31.10%,15.05%,\"$38,362.05\",$18.96,Cash,\r\n"
      "\r\n"
      "\"The data and information in this spreadsheet is provided to you solely for your use\"\r\n"
      "\"Date downloaded 07/30/2021 2:26 PM ET\"\r\n";
  auto r = read_download("Portfolio_Positions_Jul-30-2021.csv", text);
  ASSERT_TRUE(r.rows);
  EXPECT_TRUE(r.errors().empty()) << r.errors().front();
  EXPECT_EQ(r.rows->format, BrokerPositionsFormat::kFidelity);
  ASSERT_EQ(r.rows->rows.size(), 2U);
  const auto& vwo = r.rows->rows[0];
  EXPECT_EQ(vwo.line, 2U);
  EXPECT_EQ(vwo.account, "Z00000000");
  EXPECT_EQ(vwo.symbol, "VWO");
  EXPECT_EQ(vwo.type, InstrumentType::kStock);
  EXPECT_EQ(vwo.quantity, dec("900"));
  EXPECT_EQ(vwo.cost_basis, dec("38362.05"));  // "$38,362.05", exactly
  EXPECT_EQ(vwo.market_value, dec("45900.35"));
  EXPECT_EQ(r.rows->rows[1].account, "Z00000001");
  EXPECT_EQ(r.rows->accounts, (std::vector<std::string>{"Z00000000", "Z00000001"}));
  // Reading stops at the disclaimer (line 5, after the blank line 4), said once.
  EXPECT_EQ(warnings(r.diags),
            (std::vector<std::string>{
                "Portfolio_Positions_Jul-30-2021.csv:5: the download's closing lines (\"The "
                "data and information in this spreadsheet is ... (83 bytes)\") are not read"}));
}

TEST(BrokerPositions, FidelityCashOptionsAndABasisGivenOnlyAsItsTotalOrItsAverage) {
  const std::string text =
      kFidelityHeader + "\n" +
      // The core money market: no quantity, its value in Current Value.
      "Z1,IND,SPAXX**,HELD IN MONEY MARKET,,,,\"$1,250.37\",,,,,5.52%,,,Cash,\n"
      // No average: the total is the basis (FINporterFido: 48323.69 / 3333.821 = 14.49).
      "Z1,IND,ABCXY,A FUND,3333.821,$16.5587,,,,,,,,$48323.69,n/a,Cash,\n"
      // No total: 50 x 54.8494 = 2,742.47 to the cent.
      "Z1,IND,MSFT,MICROSOFT CORP,50,$82.78,,\"$4,139.00\",,,,,,n/a,$54.8494,Cash,\n"
      // Options: a dash, the root, YYMMDD, C/P, the strike as written; a short put.
      "Z1,IND, -AAPL250117C150,AAPL JAN 17 2025 $150 CALL,2,$4.10,,$820.00,,,,,,$700.00,$3.50,Cash,\n"
      "Z1,IND,-SPY240621P420.5,SPY JUN 21 2024 $420.50 PUT,-1,$2.00,,-$200.00,,,,,,-$350.00,$3.50,"
      "Margin,\n"
      "Z1,IND,Pending Activity,,,,,-$25.00,,,,,,,,,\n";
  auto r = read_download("p.csv", text);
  ASSERT_TRUE(r.rows);
  EXPECT_TRUE(r.errors().empty()) << r.errors().front();
  ASSERT_EQ(r.rows->rows.size(), 5U);
  const auto& cash = r.rows->rows[0];
  EXPECT_EQ(cash.type, InstrumentType::kCash);
  EXPECT_EQ(cash.symbol, "SPAXX");
  EXPECT_EQ(cash.quantity, dec("1250.37"));
  EXPECT_EQ(r.rows->rows[1].cost_basis, dec("48323.69"));
  EXPECT_EQ(r.rows->rows[2].cost_basis, dec("2742.47"));
  const auto& call = r.rows->rows[3];
  EXPECT_EQ(call.type, InstrumentType::kOption);
  EXPECT_EQ(call.symbol, "AAPL250117C00150000");
  const auto& put = r.rows->rows[4];
  EXPECT_EQ(put.symbol, "SPY240621P00420500");
  EXPECT_EQ(put.quantity, dec("-1"));
  ASSERT_TRUE(put.option);
  EXPECT_EQ(put.option->right, OptionRight::kPut);
  EXPECT_DOUBLE_EQ(put.option->strike, 420.5);
  EXPECT_EQ(
      warnings(r.diags),
      (std::vector<std::string>{"p.csv:7: Pending Activity (-25.00) is cash in settlement, not a position"}));

  // As positions: the entry price is the basis over the shares, per share for an option.
  auto p = read_text("p.csv", text, [](CsvReader& c, Diagnostics& d) { return read_positions(c, d); });
  ASSERT_EQ(p.rows.size(), 5U);
  EXPECT_EQ(p.rows[0].type, InstrumentType::kCash);
  EXPECT_DOUBLE_EQ(p.rows[0].quantity, 1250.37);
  EXPECT_FALSE(p.rows[0].entry_price);
  EXPECT_NEAR(*p.rows[1].entry_price, 48323.69 / 3333.821, 1e-12);
  EXPECT_NEAR(*p.rows[1].entry_price, 14.49, 0.01);
  EXPECT_NEAR(*p.rows[3].entry_price, 700.0 / (2 * 100), 1e-12);  // 3.50 a share
  EXPECT_EQ(p.rows[3].multiplier, 100.0);
  EXPECT_EQ(p.rows[3].underlying, "AAPL");
  EXPECT_EQ(p.rows[3].exercise, ExerciseStyle::kAmerican);
  EXPECT_NEAR(*p.rows[4].entry_price, 350.0 / 100, 1e-12);
  EXPECT_EQ(p.diags.warnings().back().to_string(),
            "p.csv: read as a Fidelity positions download: 5 positions of the account Z1");
}

TEST(BrokerPositions, SchwabIndividualDownloadWithItsTitleCashAndTotals) {
  const std::string text =
      "\"Positions for account Individual ...234 as of 12:52 PM ET, "
      "2023/04/23\",\"\",\"\",\"\",\"\",\"\",\"\",\"\","
      "\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\n"
      "\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\n"
      "\"Symbol\",\"Description\",\"Quantity\",\"Price\",\"Price Change %\",\"Price Change $\",\"Market "
      "Value\","
      "\"Day Change %\",\"Day Change $\",\"Cost Basis\",\"Gain/Loss %\",\"Gain/Loss "
      "$\",\"Ratings\",\"Reinvest "
      "Dividends?\",\"Capital Gains?\",\"% Of Account\",\"Security Type\"\n"
      "\"SCHB\",\"SCHWAB US BROAD MARKET ETF\",\"500\",\"$48.08\",\"0.1%\",\"$0.05\",\"$24,040.00\",\"0.1%\","
      "\"$25.00\",\"$22,951.97\",\"4.74%\",\"$1,088.03\",\"--\",\"No\",\"--\",\"28.06%\",\"ETFs & Closed End "
      "Funds\"\n"
      "\"Cash & Cash "
      "Investments\",\"--\",\"--\",\"--\",\"--\",\"--\",\"$650.37\",\"0%\",\"$0.00\",\"--\",\"--\",\"--\","
      "\"--\",\"--\",\"--\",\"0.76%\",\"Cash and Money Market\"\n"
      "\"Account "
      "Total\",\"--\",\"--\",\"--\",\"--\",\"--\",\"$85,661.87\",\"0.09%\",\"$75.40\",\"$79,275.80\","
      "\"7.24%\",\"$5,735.70\",\"--\",\"--\",\"--\",\"--\",\"--\"\n\n\n";
  auto r = read_download("Individual-Positions-2023-04-23.csv", text);
  ASSERT_TRUE(r.rows);
  EXPECT_TRUE(r.errors().empty()) << r.errors().front();
  EXPECT_EQ(r.rows->format, BrokerPositionsFormat::kSchwab);
  ASSERT_EQ(r.rows->rows.size(), 2U);
  const auto& schb = r.rows->rows[0];
  EXPECT_EQ(schb.account, "Individual ...234");
  EXPECT_EQ(schb.type, InstrumentType::kEtf);
  EXPECT_EQ(schb.quantity, dec("500"));
  EXPECT_EQ(schb.cost_basis, dec("22951.97"));
  const auto& cash = r.rows->rows[1];
  EXPECT_EQ(cash.symbol, "CASH");
  EXPECT_EQ(cash.type, InstrumentType::kCash);
  EXPECT_EQ(cash.quantity, dec("650.37"));
  EXPECT_EQ(warnings(r.diags),
            (std::vector<std::string>{"Individual-Positions-2023-04-23.csv:6: the totals row "
                                      "\"Account Total\" is not a position"}));
  // FINporterChuck's share basis: 22,951.97 / 500 = 45.90394.
  auto p = read_text("i.csv", text, [](CsvReader& c, Diagnostics& d) { return read_positions(c, d); });
  ASSERT_EQ(p.rows.size(), 2U);
  EXPECT_NEAR(*p.rows[0].entry_price, 45.90394, 1e-12);
}

TEST(BrokerPositions, SchwabNewerColumnNamesShortsShareClassesAndOptions) {
  const std::string text =
      "\"Positions for account Individual ...456 as of 08:00 PM ET, 2024/12/20\"\n"
      "\n"
      "\"Symbol\",\"Description\",\"Qty (Quantity)\",\"Price\",\"Mkt Val (Market Value)\",\"Cost Basis\","
      "\"Asset Type\",\n"
      "\"NVDA\",\"NVIDIA CORP\",\"200\",\"180\",\"$36,000.00\",\"$20,000.00\",\"Equity\",\n"
      "\"TSLA\",\"TESLA INC\",\"-50\",\"250\",\"-$12,500.00\",\"--\",\"Equity\",\n"
      "\"BRK/B\",\"BERKSHIRE HATHAWAY\",\"10\",\"400\",\"$4,000.00\",\"$3,000.00\",\"Equity\",\n"
      "\"AAPL 12/20/2024 150.00 C\",\"CALL APPLE INC $150 EXP "
      "12/20/24\",\"5\",\"2\",\"$1,000.00\",\"$750.00\","
      "\"Option\",\n"
      "\"Cash & Cash Investments\",\"\",\"\",\"\",\"$1,234.00\",\"\",\"Cash and Money Market\",\n"
      "\"Positions Total\",\"\",\"\",\"\",\"$29,734.00\",\"\",\"\",\n";
  auto r = read_download("s.csv", text);
  ASSERT_TRUE(r.rows);
  EXPECT_TRUE(r.errors().empty()) << r.errors().front();
  ASSERT_EQ(r.rows->rows.size(), 5U);
  EXPECT_EQ(r.rows->rows[0].account, "Individual ...456");
  EXPECT_EQ(r.rows->rows[1].quantity, dec("-50"));
  EXPECT_FALSE(r.rows->rows[1].cost_basis);  // "--": the broker has none
  EXPECT_EQ(r.rows->rows[2].symbol, "BRK/B");
  const auto& call = r.rows->rows[3];
  EXPECT_EQ(call.symbol, "AAPL241220C00150000");
  EXPECT_EQ(call.type, InstrumentType::kOption);
  EXPECT_EQ(r.rows->rows[4].quantity, dec("1234"));
  EXPECT_EQ(warnings(r.diags).size(), 1U);
  auto p = read_text("s.csv", text, [](CsvReader& c, Diagnostics& d) { return read_positions(c, d); });
  ASSERT_EQ(p.rows.size(), 5U);
  EXPECT_NEAR(*p.rows[3].entry_price, 750.0 / (5 * 100), 1e-12);  // 1.50 a share
  EXPECT_DOUBLE_EQ(*p.rows[3].strike, 150.0);
  EXPECT_EQ(*p.rows[3].expiry, Date::from_ymd(2024, 12, 20));
}

const std::string kSchwabAllAccounts =
    "\"Positions for All-Accounts as of 09:59 PM ET, 2021/09/26\"\n"
    "\n"
    "\"Individual ...234\"\n"
    "\"Symbol\",\"Description\",\"Quantity\",\"Price\",\"Market Value\",\"Cost Basis\",\"Security Type\"\n"
    "\"SCHB\",\"SCHWAB US BROAD MARKET ETF\",\"500\",\"$48.08\",\"$24,040.00\",\"$22,951.97\",\"ETFs & "
    "Closed End "
    "Funds\"\n"
    "\"Account Total\",\"--\",\"--\",\"--\",\"$24,040.00\",\"$22,951.97\",\"--\"\n"
    "\n"
    "\"Roth IRA ...567\"\n"
    "\"Symbol\",\"Description\",\"Quantity\",\"Price\",\"Market Value\",\"Cost Basis\",\"Security Type\"\n"
    "\"SCHB\",\"SCHWAB US BROAD MARKET ETF\",\"100\",\"$48.08\",\"$4,808.00\",\"$4,000.00\",\"ETFs & Closed "
    "End "
    "Funds\"\n"
    "\"SWTSX\",\"SCHWAB TOTAL STOCK MKT "
    "INDEX\",\"1,000.5\",\"$70.00\",\"$70,035.00\",\"$60,000.00\",\"Mutual "
    "Funds\"\n"
    "\"Account Total\",\"--\",\"--\",\"--\",\"$74,843.00\",\"$64,000.00\",\"--\"\n";

TEST(BrokerPositions, SchwabAllAccountsDownloadNamesEachRowsAccountAndOneAccountCanBeChosen) {
  auto r = read_download("All-Accounts-Positions-2021-09-26.csv", kSchwabAllAccounts);
  ASSERT_TRUE(r.rows);
  EXPECT_TRUE(r.errors().empty()) << r.errors().front();
  ASSERT_EQ(r.rows->rows.size(), 3U);
  EXPECT_EQ(r.rows->accounts, (std::vector<std::string>{"Individual ...234", "Roth IRA ...567"}));
  EXPECT_EQ(r.rows->rows[1].account, "Roth IRA ...567");
  EXPECT_EQ(r.rows->rows[2].quantity, dec("1000.5"));
  EXPECT_EQ(r.rows->rows[2].type, InstrumentType::kEtf);  // a fund, as keel stores funds

  auto roth = *r.rows;
  select_broker_account(roth, "...567", "a.csv");
  ASSERT_EQ(roth.rows.size(), 2U);
  EXPECT_EQ(roth.accounts, (std::vector<std::string>{"Roth IRA ...567"}));
  auto by_title = *r.rows;
  select_broker_account(by_title, "individual ...234", "a.csv");
  EXPECT_EQ(by_title.rows.size(), 1U);
  auto none = *r.rows;
  try {
    select_broker_account(none, "Z999", "a.csv");
    ADD_FAILURE() << "an account the download does not hold was taken";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "a.csv: no account \"Z999\" in this Schwab positions download (it holds \"Individual "
                 "...234\", \"Roth IRA ...567\")");
  }
  // Through read_positions, the same choice.
  auto p = read_text("a.csv", kSchwabAllAccounts,
                     [](CsvReader& c, Diagnostics& d) { return read_positions(c, d, "...567"); });
  ASSERT_EQ(p.rows.size(), 2U);
  EXPECT_DOUBLE_EQ(p.rows[1].quantity, 1000.5);
}

TEST(BrokerPositions, VanguardDownloadReadsItsHoldingsSectionAndStopsAtItsTransactions) {
  // The download keel's vanguard transactions preset reads (examples/ledger), whole: the holdings
  // section first, blank lines, then the wider transactions section.
  const std::string text =
      "Account Number,Investment Name,Symbol,Shares,Share Price,Total Value,\n"
      "12345678,VANGUARD FEDERAL MONEY MARKET FUND,VMFXX,13350.12,1.0,13350.12,\n"
      "12345678,VANGUARD TOTAL BOND MARKET ETF,BND,20.00000,72.50,1450.00,\n"
      "12345678,VANGUARD TOTAL STOCK MKT IDX ADM,VTSAX,40.50000,128.00,5184.00,\n"
      "\n\n\n"
      "Account Number,Trade Date,Settlement Date,Transaction Type,Transaction Description,Investment "
      "Name,Symbol,"
      "Shares,Share Price,Principal Amount,Commissions and Fees,Net Amount,Accrued Interest,Account Type,\n"
      "12345678,06/25/2024,06/26/2024,Sell,Sell,VANGUARD TOTAL STOCK MKT IDX "
      "ADM,VTSAX,-10.00000,125.00,1250.00,"
      "0.0,1250.00,0.0,CASH,\n";
  auto r = read_download("OfxDownload.csv", text);
  ASSERT_TRUE(r.rows);
  EXPECT_TRUE(r.errors().empty()) << r.errors().front();
  EXPECT_EQ(r.rows->format, BrokerPositionsFormat::kVanguard);
  ASSERT_EQ(r.rows->rows.size(), 3U);
  EXPECT_EQ(r.rows->rows[0].symbol, "VMFXX");
  EXPECT_EQ(r.rows->rows[0].type, InstrumentType::kCash);
  EXPECT_EQ(r.rows->rows[0].quantity, dec("13350.12"));  // the settlement fund: its value
  EXPECT_EQ(r.rows->rows[1].type, InstrumentType::kEtf);
  EXPECT_EQ(r.rows->rows[2].symbol, "VTSAX");
  EXPECT_EQ(r.rows->rows[2].quantity, dec("40.5"));
  EXPECT_FALSE(r.rows->rows[2].cost_basis);  // the download has none
  EXPECT_EQ(r.rows->accounts, (std::vector<std::string>{"12345678"}));
  EXPECT_EQ(
      warnings(r.diags),
      (std::vector<std::string>{"OfxDownload.csv:8: the transactions section is not positions and is not "
                                "read here (keel import transactions reads it with the Vanguard mapping)"}));
  // A holdings row wider than its header is still refused at its place.
  auto wide = read_download("w.csv",
                            "Account Number,Investment Name,Symbol,Shares,Share Price,Total Value\n"
                            "1,X FUND,X,1,1,1,extra\n");
  ASSERT_TRUE(wide.rows);
  EXPECT_EQ(wide.errors(), (std::vector<std::string>{"w.csv:2:7: row has 7 fields but the header has 6"}));
}

std::string ledger_example(const std::string& name) {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/examples/ledger/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(BrokerPositions, AStatementsPositionListAsADownloadsRows) {
  // The Flex statement's OpenPositions with their costBasisMoney; the OFX INVPOSLIST without a basis.
  Diagnostics d;
  const auto flex =
      broker_positions_of(read_ibkr_flex(ledger_example("ibkr_flex_statement.xml"), "f.xml", {}, d));
  const auto ofx = broker_positions_of(read_ofx(ledger_example("statement.ofx"), "s.ofx", {}, d));
  ASSERT_FALSE(d.has_errors()) << d.errors().front().to_string();
  EXPECT_EQ(flex.format, BrokerPositionsFormat::kIbkrFlexStatement);
  EXPECT_EQ(flex.accounts, (std::vector<std::string>{"U1234567"}));
  ASSERT_TRUE(flex.as_of);
  EXPECT_EQ(*flex.as_of, Date::from_ymd(2024, 9, 30));
  ASSERT_EQ(flex.rows.size(), 2U);
  EXPECT_EQ(flex.rows[0].symbol, "AAPL");
  EXPECT_EQ(flex.rows[0].quantity, dec("60"));
  EXPECT_EQ(flex.rows[0].cost_basis, dec("11100.6"));
  EXPECT_EQ(flex.rows[1].cost_basis, dec("4251"));
  EXPECT_EQ(ofx.format, BrokerPositionsFormat::kOfxStatement);
  ASSERT_EQ(ofx.rows.size(), 6U);
  EXPECT_FALSE(ofx.rows[0].cost_basis);
  Diagnostics p;
  const auto positions = positions_from_broker(flex, "f.xml", p);
  ASSERT_EQ(positions.size(), 2U);
  EXPECT_DOUBLE_EQ(*positions[0].entry_price, 11100.6 / 60);  // 185.01 a share
  EXPECT_EQ(p.warnings().back().to_string(),
            "f.xml: read as the IBKR Flex statement's positions on 2024-09-30: 2 positions of the account "
            "U1234567");
}

TEST(BrokerPositions, BadCellsAreReportedAtTheirPlaceAndTheRowIsLeftOut) {
  const std::string text = kFidelityHeader + "\n" +
                           "Z1,IND,AAPL,APPLE INC,ten,$1,,$1,,,,,,$1,$1,Cash,\n"
                           "Z1,IND,-AAPL2501C150,AAPL CALL,1,$1,,$1,,,,,,$1,$1,Cash,\n"
                           "Z1,IND,=1+1,FORMULA,1,$1,,$1,,,,,,$1,$1,Cash,\n"
                           "Z1,IND,MSFT,MICROSOFT CORP,,$1,,$1,,,,,,$1,$1,Cash,\n"
                           "Z1,IND,KO,COCA-COLA,10,$60,,$600.00,,,,,,$5x,$1,Cash,\n"
                           "Z1,IND,XOM,EXXON,10,$80,,$800.00,,,,,,$700.00,$70,Cash,\n";
  auto r = read_download("bad.csv", text);
  ASSERT_TRUE(r.rows);
  EXPECT_EQ(
      r.errors(),
      (std::vector<std::string>{
          "bad.csv:2:5: Quantity: expected a number such as 1,234.56 or $-12.00 (at most 8 decimal places, "
          "below 92 billion), got \"ten\"",
          "bad.csv:3:3: Symbol: expected a Fidelity option symbol: a dash, the root, YYMMDD, C or P and the "
          "strike (-AAPL250117C150), got \"-AAPL2501C150\"",
          "bad.csv:4:3: Symbol: \"=1+1\" is not a ticker (1-12 of A-Z 0-9 . - ^ / =, upper case) or an OCC "
          "option symbol",
          "bad.csv:5:5: Quantity: missing value: expected the number of shares or contracts held",
          "bad.csv:6:14: Cost Basis Total: expected a number such as 1,234.56 or $-12.00 (at most 8 decimal "
          "places, below 92 billion), got \"$5x\""}));
  ASSERT_EQ(r.rows->rows.size(), 1U);
  EXPECT_EQ(r.rows->rows[0].symbol, "XOM");
}

TEST(BrokerPositions, OtherFilesAreNotTakenForADownload) {
  for (const std::string text : {"symbol,quantity\nAAPL,10\n", "Symbol,Description,Quantity\nAAPL,APPLE,10\n",
                                 "date,symbol,close\n2024-01-02,AAPL,185\n"}) {
    auto r = read_download("f.csv", text);
    EXPECT_FALSE(r.rows) << text;
  }
  // keel's own columns with a broker account asked for: refused, naming the field.
  try {
    read_text("k.csv", "symbol,quantity\nAAPL,10\n",
              [](CsvReader& c, Diagnostics& d) { return read_positions(c, d, "Z1"); });
    ADD_FAILURE() << "a broker account was taken for keel's columns";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "k.csv has keel's positions columns, not a broker's positions download");
    EXPECT_EQ(e.details(),
              (std::vector<std::string>{
                  "broker_account: k.csv has keel's positions columns, not a broker's positions download"}));
  }
  // A Schwab title with no column header after it.
  auto r = read_download(
      "t.csv", "\"Positions for account Individual ...234 as of 12:52 PM ET, 2023/04/23\"\n\"x\"\n");
  ASSERT_TRUE(r.rows);
  ASSERT_EQ(r.errors().size(), 1U);
  EXPECT_NE(r.errors()[0].find("without its column header"), std::string::npos) << r.errors()[0];
}

}  // namespace
}  // namespace keel::io
