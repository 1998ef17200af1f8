// The OFX/QFX and IBKR Flex Query statement readers: every transaction kind they book, written
// out row by row, and the places of their refusals.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "keel/io/ibkr_flex_reader.h"
#include "keel/io/ofx_reader.h"
#include "keel/io/readers.h"
#include "keel/io/statement.h"
#include "../../src/io/statement_common.h"

namespace keel::io {
namespace {

using ledger::Transaction;

std::string example(const std::string& name) {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/examples/ledger/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One line per transaction: every field a reader sets.
std::string row(const Transaction& t) {
  return fmt::format("{} {} {} q={} p={} f={} a={} r={} id={} note={}{}", t.date.to_string(), ledger::tx_type_name(t.type),
                     t.symbol.empty() ? "-" : t.symbol, t.quantity.to_string(), t.price.to_string(), t.fees.to_string(),
                     t.amount ? t.amount->to_string() : "-",
                     t.split_ratio ? fmt::format("{}:{}", t.split_ratio->numerator, t.split_ratio->denominator) : "-",
                     t.external_id, t.note, t.currency.empty() ? "" : " cur=" + t.currency);
}

std::vector<std::string> rows(const Statement& s) {
  std::vector<std::string> out;
  for (const auto& t : s.transactions) out.push_back(row(t));
  return out;
}

std::vector<std::string> positions(const Statement& s) {
  std::vector<std::string> out;
  for (const auto& p : s.positions) out.push_back(p.symbol + " " + p.quantity.to_string());
  return out;
}

std::vector<std::string> messages(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(d.to_string());
  return out;
}

Statement ofx(const std::string& text, Diagnostics& d) { return read_ofx(text, "s.ofx", {"main", ""}, d); }
Statement flex(const std::string& text, Diagnostics& d) { return read_ibkr_flex(text, "f.xml", {"main", ""}, d); }

TEST(StatementFormat, IsToldFromTheContent) {
  EXPECT_EQ(detect_statement_format("OFXHEADER:100\nDATA:OFXSGML\n"), StatementFormat::kOfx);
  EXPECT_EQ(detect_statement_format("\xEF\xBB\xBF\r\n<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\"?><OFX>"),
            StatementFormat::kOfx);
  EXPECT_EQ(detect_statement_format("<OFX><SIGNONMSGSRSV1>"), StatementFormat::kOfx);
  EXPECT_EQ(detect_statement_format("<?xml version=\"1.0\"?>\n<FlexQueryResponse queryName=\"q\">"),
            StatementFormat::kIbkrFlex);
  EXPECT_EQ(detect_statement_format("date,type,symbol,quantity,price\n"), StatementFormat::kCsv);
  EXPECT_EQ(detect_statement_format(""), StatementFormat::kCsv);
  EXPECT_EQ(statement_format_name(StatementFormat::kIbkrFlex), "ibkr_flex");
}

TEST(OfxDate, ReadsTheDatePartOfEveryForm) {
  EXPECT_EQ(parse_ofx_date("20240105")->to_string(), "2024-01-05");
  EXPECT_EQ(parse_ofx_date("20240105093000")->to_string(), "2024-01-05");
  EXPECT_EQ(parse_ofx_date("20240105093000.123")->to_string(), "2024-01-05");
  EXPECT_EQ(parse_ofx_date("20240105093000.123[-5:EST]")->to_string(), "2024-01-05");
  EXPECT_EQ(parse_ofx_date("20240229120000[+5.30:IST]")->to_string(), "2024-02-29");
  EXPECT_FALSE(parse_ofx_date("2024-01-05"));
  EXPECT_FALSE(parse_ofx_date("20240230"));
  EXPECT_FALSE(parse_ofx_date("20241301"));
  EXPECT_FALSE(parse_ofx_date("20240105[-5:EST"));
  EXPECT_FALSE(parse_ofx_date("2024010"));
}

// examples/ledger/statement.ofx: an OFX 1.x (SGML) investment statement with every kind of
// investment transaction, the SECLIST naming CUSIPs by ticker, and INVPOSLIST.
TEST(OfxReader, ReadsEveryInvestmentTransactionOfTheExample) {
  Diagnostics d;
  const Statement s = read_ofx(example("statement.ofx"), "statement.ofx", {"main", ""}, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  EXPECT_EQ(s.broker_account, "X1234567");
  EXPECT_EQ(s.start->to_string(), "2024-01-01");
  EXPECT_EQ(s.end->to_string(), "2024-09-30");
  EXPECT_EQ(s.positions_as_of->to_string(), "2024-09-30");
  const std::vector<std::string> expected = {
      "2024-01-02 DEPOSIT - q=0 p=0 f=0 a=50000 r=- id=ofx:1001 note=ACH DEPOSIT",
      "2024-01-03 BUY AAPL q=100 p=185 f=1 a=18501 r=- id=ofx:1002 note=",
      "2024-01-04 BUY VTSAX q=50 p=110 f=0 a=5500 r=- id=ofx:1003 note=",
      "2024-01-05 BUY GLD q=20 p=190 f=1 a=3801 r=- id=ofx:1004 note=",
      "2024-01-10 TRANSFER_IN KO q=30 p=55 f=0 a=- r=- id=ofx:1005 note=TRANSFER FROM ANOTHER BROKER",
      "2024-02-15 DIVIDEND AAPL q=0 p=0 f=0 a=24 r=- id=ofx:1006 note=",
      "2024-03-01 BUY MSFT q=10 p=400 f=1 a=4001 r=- id=ofx:1007 note=",
      "2024-03-14 DIVIDEND MSFT q=0 p=0 f=0 a=7.5 r=- id=ofx:1008 note=",
      "2024-03-14 WITHHOLDING MSFT q=0 p=0 f=0 a=1.13 r=- id=ofx:1008/WITHHOLDING note=",
      "2024-03-28 DIVIDEND VTSAX q=0 p=0 f=0 a=55 r=- id=ofx:1009 note=DIVIDEND REINVESTMENT",
      "2024-03-28 BUY VTSAX q=0.5 p=110 f=0 a=55 r=- id=ofx:1009/REINVEST note=DIVIDEND REINVESTMENT",
      "2024-04-01 INTEREST - q=0 p=0 f=0 a=12.34 r=- id=ofx:1010 note=INTEREST ON CASH",
      "2024-04-01 INTEREST VTSAX q=0 p=0 f=0 a=3.21 r=- id=ofx:1011 note=",
      "2024-05-01 BUY NVDA q=5 p=850 f=1 a=4251 r=- id=ofx:1012 note=",
      "2024-06-10 SPLIT NVDA q=0 p=0 f=0 a=- r=10:1 id=ofx:1013 note=10 FOR 1 SPLIT",
      "2024-06-20 SELL AAPL q=40 p=210 f=1 a=8399 r=- id=ofx:1014 note=",
      "2024-06-25 SELL VTSAX q=10 p=125 f=0 a=1250 r=- id=ofx:1015 note=",
      "2024-07-01 SELL GLD q=5 p=215 f=1 a=1074 r=- id=ofx:1016 note=",
      "2024-07-15 DISTRIBUTION VTSAX q=0 p=0 f=0 a=40 r=- id=ofx:1017 note=CGLONG",
      "2024-07-15 DISTRIBUTION VTSAX q=0 p=0 f=0 a=12 r=- id=ofx:1018 note=CGSHORT",
      "2024-07-15 DISTRIBUTION GLD q=0 p=0 f=0 a=5 r=- id=ofx:1019 note=MISC",
      "2024-08-01 DISTRIBUTION KO q=0 p=0 f=0 a=3 r=- id=ofx:1020 note=return of capital",
      "2024-09-01 WITHDRAWAL - q=0 p=0 f=0 a=1000 r=- id=ofx:1021 note=WITHDRAWAL TO BANK",
      "2024-09-15 FEE - q=0 p=0 f=0 a=25 r=- id=ofx:1022 note=ACCOUNT FEE",
  };
  EXPECT_EQ(rows(s), expected);
  EXPECT_EQ(positions(s), (std::vector<std::string>{"AAPL 60", "VTSAX 40.5", "GLD 15", "KO 30", "MSFT 10", "NVDA 50"}));
  ASSERT_EQ(d.warnings().size(), 1U);
  EXPECT_NE(d.warnings()[0].message.find("return of capital"), std::string::npos);
  for (const auto& t : s.transactions) {
    EXPECT_EQ(t.account, "main");
    EXPECT_EQ(t.source, "statement.ofx");
    EXPECT_GT(t.line, 10U);
  }
}

// examples/ledger/bank_statement.qfx: an OFX 2.x (XML) bank statement: TRNTYPE and the sign.
TEST(OfxReader, ReadsABankStatementInXml) {
  Diagnostics d;
  const Statement s = read_ofx(example("bank_statement.qfx"), "bank.qfx", {"main", ""}, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  EXPECT_TRUE(d.warnings().empty());
  EXPECT_FALSE(s.has_positions);
  EXPECT_EQ(s.broker_account, "000123456789");
  const std::vector<std::string> expected = {
      "2024-03-01 DEPOSIT - q=0 p=0 f=0 a=4200 r=- id=ofx:B202403010001 note=PAYROLL ACME CORP",
      "2024-03-02 DEPOSIT - q=0 p=0 f=0 a=150 r=- id=ofx:B202403020001 note=ZELLE FROM J SMITH",
      "2024-03-03 DEPOSIT - q=0 p=0 f=0 a=75.25 r=- id=ofx:B202403030001 note=MOBILE DEPOSIT",
      "2024-03-05 WITHDRAWAL - q=0 p=0 f=0 a=200 r=- id=ofx:B202403050001 note=ATM WITHDRAWAL - MAIN ST & 3RD",
      "2024-03-07 WITHDRAWAL - q=0 p=0 f=0 a=64.1 r=- id=ofx:B202403070001 note=GROCERY STORE",
      "2024-03-08 WITHDRAWAL - q=0 p=0 f=0 a=12.99 r=- id=ofx:B202403080001 note=STREAMING SERVICE",
      "2024-03-10 WITHDRAWAL - q=0 p=0 f=0 a=1500 r=- id=ofx:B202403100001 note=CHECK 1042",
      "2024-03-15 WITHDRAWAL - q=0 p=0 f=0 a=1000 r=- id=ofx:B202403150001 note=TRANSFER TO SAVINGS",
      "2024-03-20 FEE - q=0 p=0 f=0 a=3 r=- id=ofx:B202403200001 note=OUT OF NETWORK ATM FEE",
      "2024-03-29 FEE - q=0 p=0 f=0 a=12 r=- id=ofx:B202403290001 note=MONTHLY SERVICE FEE",
      "2024-03-31 DIVIDEND - q=0 p=0 f=0 a=1.87 r=- id=ofx:B202403310001 note=DIVIDEND",
      "2024-03-31 INTEREST - q=0 p=0 f=0 a=2.43 r=- id=ofx:B202403310002 note=INTEREST PAID",
  };
  EXPECT_EQ(rows(s), expected);
}

// The SGML and XML spellings of one statement read the same; leaves may or may not be closed.
TEST(OfxReader, SgmlAndXmlSpellingsAgree) {
  const std::string sgml =
      "OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><INVTRANLIST>\n"
      "<BUYSTOCK><INVBUY><INVTRAN><FITID>7<DTTRADE>20240103</INVTRAN><SECID><UNIQUEID>X<UNIQUEIDTYPE>CUSIP</SECID>\n"
      "<UNITS>3<UNITPRICE>10.5<COMMISSION>0.25<TOTAL>-31.75<CURRENCY><CURRATE>1.1<CURSYM>EUR</CURRENCY></INVBUY>"
      "<BUYTYPE>BUY</BUYSTOCK>\n</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1>\n"
      "<SECLISTMSGSRSV1><SECLIST><STOCKINFO><SECINFO><SECID><UNIQUEID>X<UNIQUEIDTYPE>CUSIP</SECID>"
      "<SECNAME>X &amp; Co<TICKER>xco</SECINFO></STOCKINFO></SECLIST></SECLISTMSGSRSV1></OFX>\n";
  const std::string xml =
      "<?xml version=\"1.0\"?><?OFX OFXHEADER=\"200\"?>\n<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><INVTRANLIST>\n"
      "<BUYSTOCK><INVBUY><INVTRAN><FITID>7</FITID><DTTRADE>20240103</DTTRADE></INVTRAN><SECID><UNIQUEID>X</UNIQUEID>"
      "<UNIQUEIDTYPE>CUSIP</UNIQUEIDTYPE></SECID>\n<UNITS>3</UNITS><UNITPRICE>10.5</UNITPRICE><COMMISSION>0.25</COMMISSION>"
      "<TOTAL>-31.75</TOTAL><CURRENCY><CURRATE>1.1</CURRATE><CURSYM>EUR</CURSYM></CURRENCY></INVBUY>"
      "<BUYTYPE>BUY</BUYTYPE></BUYSTOCK>\n</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1>\n"
      "<SECLISTMSGSRSV1><SECLIST><STOCKINFO><SECINFO><SECID><UNIQUEID>X</UNIQUEID><UNIQUEIDTYPE>CUSIP</UNIQUEIDTYPE>"
      "</SECID><SECNAME>X &amp; Co</SECNAME><TICKER>xco</TICKER></SECINFO></STOCKINFO></SECLIST></SECLISTMSGSRSV1></OFX>\n";
  for (const auto& text : {sgml, xml}) {
    Diagnostics d;
    const Statement s = ofx(text, d);
    EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
    EXPECT_EQ(rows(s), (std::vector<std::string>{"2024-01-03 BUY XCO q=3 p=10.5 f=0.25 a=31.75 r=- id=ofx:7 note= cur=EUR"}));
    // CURRATE 1.1: the statement's currency per EUR, the rate the row converts at.
    ASSERT_EQ(s.transactions.size(), 1u);
    EXPECT_EQ(s.transactions[0].fx_rate, ledger::Decimal::parse("1.1"));
  }
}

TEST(OfxReader, NamesASecurityWithoutTickerByItsIdAndWarns) {
  const std::string text =
      "<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><INVTRANLIST>\n"
      "<INCOME><INVTRAN><FITID>9<DTTRADE>20240103</INVTRAN><SECID><UNIQUEID>US0378331005<UNIQUEIDTYPE>ISIN</SECID>"
      "<INCOMETYPE>DIV<TOTAL>1,50</INCOME>\n"
      "<INCOME><INVTRAN><FITID>9<DTTRADE>20240103</INVTRAN><SECID><UNIQUEID>US0378331005<UNIQUEIDTYPE>ISIN</SECID>"
      "<INCOMETYPE>DIV<TOTAL>1,50</INCOME>\n"
      "<MARGININTEREST><INVTRAN><FITID>10<DTTRADE>20240131</INVTRAN><TOTAL>-4.20<SUBACCTFUND>MARGIN</MARGININTEREST>\n"
      "<JRNLFUND><INVTRAN><FITID>11<DTTRADE>20240131</INVTRAN><TOTAL>5</JRNLFUND>\n"
      "</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>";
  Diagnostics d;
  const Statement s = ofx(text, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  EXPECT_EQ(rows(s), (std::vector<std::string>{
                         "2024-01-03 DIVIDEND US0378331005 q=0 p=0 f=0 a=1.5 r=- id=ofx:9 note=",
                         "2024-01-31 FEE - q=0 p=0 f=0 a=4.2 r=- id=ofx:10 note=margin interest",
                     }));
  EXPECT_EQ(messages(d.warnings()),
            (std::vector<std::string>{
                "s.ofx:2:53: SECID: ISIN 'US0378331005' has no TICKER in the SECLIST: the id is the symbol",
                "s.ofx:3:1: INCOME: FITID '9' appears again: the repeat is skipped",
                "s.ofx:5:1: JRNLFUND: <JRNLFUND> is not booked by keel: skipped",
            }));
}

TEST(OfxReader, NamesTheFileLineColumnAndElementOfEachProblem) {
  const std::string text =
      "OFXHEADER:100\n\n<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><INVTRANLIST>\n"
      "<BUYSTOCK><INVBUY><INVTRAN><FITID>1\n"
      "   <DTTRADE>2024-01-03</INVTRAN>\n"
      "<SECID><UNIQUEID>X</SECID><UNITS>ten<UNITPRICE>1</INVBUY></BUYSTOCK>\n"
      "<INCOME><INVTRAN><FITID>2<DTTRADE>20240103</INVTRAN><SECID><UNIQUEID>X</SECID><INCOMETYPE>BONUS<TOTAL>1</INCOME>\n"
      "<SPLIT><INVTRAN><FITID>3<DTTRADE>20240103</INVTRAN><SECID><UNIQUEID>X</SECID><NUMERATOR>1.5<DENOMINATOR>1</SPLIT>\n"
      "<SELLSTOCK><INVSELL><INVTRAN><FITID>4<DTTRADE>20240103</INVTRAN><SECID><UNIQUEID>X</SECID><UNITPRICE>1</INVSELL>"
      "</SELLSTOCK>\n"
      "</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>";
  Diagnostics d;
  const Statement s = ofx(text, d);
  EXPECT_TRUE(s.transactions.empty());
  EXPECT_EQ(messages(d.errors()),
            (std::vector<std::string>{
                "s.ofx:5:13: INVTRAN/DTTRADE: expected a date YYYYMMDD[HHMMSS[.XXX]][[-5:EST]], got '2024-01-03'",
                "s.ofx:6:34: INVBUY/UNITS: expected a decimal number, got 'ten'",
                "s.ofx:7:91: INCOME/INCOMETYPE: unknown income type 'BONUS' (expected DIV, INTEREST, CGLONG, CGSHORT or "
                "MISC)",
                "s.ofx:8:89: SPLIT/NUMERATOR: a split ratio needs two positive whole numbers, got 1.5:1",
                "s.ofx:9:12: INVSELL: missing <UNITS>",
            }));
}

TEST(OfxReader, RefusesBrokenMarkupWithItsPlaceAndNeverLoops) {
  struct Case {
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS>\n<INVSTMTRS><INVTRANLIST><BUYSTOCK><INVBUY>",
       "s.ofx:2:35: <INVBUY> is not closed: the document ends inside it (cut short?)"},
      {"<OFX>\n  <INVSTMTMSGSRSV1 <", "s.ofx:2:20: in <INVSTMTMSGSRSV1>: expected an attribute name, got \"<\""},
      {"<OFX><SIGNON", "s.ofx:1:6: the tag <SIGNON> is not terminated by >"},
      {"<OFX><!-- a comment", "s.ofx:1:6: a comment is not terminated by -->"},
      {"<?xml version=\"1.0\"?>\n<DOC></DOC>", "s.ofx: no <OFX> element: not an OFX statement"},
      {std::string(100, '<') + "A>", "s.ofx:1:100: <A> is not closed: the document ends inside it (cut short?)"},
  };
  for (const auto& c : cases) {
    Diagnostics d;
    ofx(c.text, d);
    ASSERT_FALSE(d.errors().empty()) << c.text;
    EXPECT_EQ(d.errors()[0].to_string(), c.error) << c.text;
  }
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<A>";
  Diagnostics d;
  ofx(deep, d);
  ASSERT_EQ(d.errors().size(), 1U);
  EXPECT_EQ(d.errors()[0].to_string(), "s.ofx:1:193: elements are nested more than 64 deep");
}

// examples/ledger/ibkr_flex_statement.xml: trades (a cancelled one, a currency conversion),
// every kind of cash transaction, a forward split and the open positions.
TEST(IbkrFlexReader, ReadsEveryTransactionKindOfTheExample) {
  Diagnostics d;
  const Statement s = read_ibkr_flex(example("ibkr_flex_statement.xml"), "flex.xml", {"main", ""}, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  EXPECT_EQ(s.broker_account, "U1234567");
  EXPECT_EQ(s.start->to_string(), "2024-01-01");
  EXPECT_EQ(s.end->to_string(), "2024-09-30");
  EXPECT_EQ(s.positions_as_of->to_string(), "2024-09-30");
  const std::vector<std::string> expected = {
      "2024-01-03 BUY AAPL q=100 p=185 f=1 a=18501 r=- id=ibkr:1000001 note=APPLE INC cur=USD",
      "2024-05-01 BUY NVDA q=5 p=850 f=1 a=4251 r=- id=ibkr:1000004 note=NVIDIA CORP cur=USD",
      "2024-06-20 SELL AAPL q=40 p=210 f=1.05 a=8398.95 r=- id=ibkr:1000005 note=APPLE INC cur=USD",
      "2024-01-02 DEPOSIT - q=0 p=0 f=0 a=50000 r=- id=ibkr:2000001 note=CASH RECEIPTS / ELECTRONIC FUND TRANSFERS "
      "cur=USD",
      "2024-02-15 DIVIDEND AAPL q=0 p=0 f=0 a=24 r=- id=ibkr:2000002 note=AAPL(US0378331005) CASH DIVIDEND USD 0.24 PER "
      "SHARE (Ordinary Dividend) cur=USD",
      "2024-02-15 WITHHOLDING AAPL q=0 p=0 f=0 a=3.6 r=- id=ibkr:2000003 note=AAPL(US0378331005) CASH DIVIDEND USD 0.24 "
      "PER SHARE - US TAX cur=USD",
      "2024-03-05 INTEREST - q=0 p=0 f=0 a=12.34 r=- id=ibkr:2000004 note=USD CREDIT INT FOR FEB-2024 cur=USD",
      "2024-03-05 FEE - q=0 p=0 f=0 a=10 r=- id=ibkr:2000005 note=BALANCE OF MONTHLY MINIMUM FEE FOR FEB 2024 cur=USD",
      "2024-06-28 DIVIDEND NVDA q=0 p=0 f=0 a=0.2 r=- id=ibkr:2000006 note=NVDA(US67066G1040) PAYMENT IN LIEU OF "
      "DIVIDEND (Ordinary Dividend) cur=USD",
      "2024-09-01 WITHDRAWAL - q=0 p=0 f=0 a=1000 r=- id=ibkr:2000007 note=DISBURSEMENT INITIATED BY JOHN DOE cur=USD",
      "2024-06-07 SPLIT NVDA q=0 p=0 f=0 a=- r=10:1 id=ibkr:action:140001 note=NVDA(US67066G1040) SPLIT 10 FOR 1 (NVDA, "
      "NVIDIA CORP, US67066G1040)",
  };
  EXPECT_EQ(rows(s), expected);
  EXPECT_EQ(positions(s), (std::vector<std::string>{"AAPL 60", "NVDA 50"}));
  EXPECT_EQ(messages(d.warnings()),
            (std::vector<std::string>{
                "flex.xml:11:1: Trades/Trade: a currency conversion (EUR.USD) is not booked: skipped",
                "flex.xml:8:1: Trades/Trade: the BUY of 10 MSFT on 2024-03-01 is cancelled: neither row is booked",
            }));
}

TEST(IbkrFlexReader, PairsReversalsAndReadsAReverseSplitFromItsQuantities) {
  const std::string text =
      "<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"U1\" toDate=\"2024-12-31\">\n"
      "<CashTransactions>\n"
      "<CashTransaction type=\"Dividends\" symbol=\"KO\" amount=\"10\" dateTime=\"2024-04-01, 00:00:00\" transactionID=\"1\"/>\n"
      "<CashTransaction type=\"Dividends\" symbol=\"KO\" amount=\"-10\" dateTime=\"2024-04-03\" transactionID=\"2\"/>\n"
      "<CashTransaction type=\"Dividends\" symbol=\"KO\" amount=\"11\" dateTime=\"2024-04-03\" transactionID=\"3\"/>\n"
      "<CashTransaction type=\"Withholding Tax\" symbol=\"KO\" amount=\"2\" dateTime=\"2024-05-01\" transactionID=\"4\"/>\n"
      "<CashTransaction type=\"Broker Interest Paid\" amount=\"-0.5\" dateTime=\"20240501\" transactionID=\"5\"/>\n"
      "<CashTransaction type=\"Dividends\" symbol=\"KO\" amount=\"11\" dateTime=\"20240603\" levelOfDetail=\"SUMMARY\"/>\n"
      "</CashTransactions>\n"
      "<CorporateActions>\n"
      "<CorporateAction type=\"RS\" symbol=\"XYZ.OLD\" quantity=\"-100\" dateTime=\"20240701;000000\" actionID=\"9\" "
      "transactionID=\"6\" description=\"XYZ REVERSE\"/>\n"
      "<CorporateAction type=\"RS\" symbol=\"XYZ\" quantity=\"10\" dateTime=\"20240701;000000\" actionID=\"9\" "
      "transactionID=\"7\" description=\"XYZ REVERSE\"/>\n"
      "<CorporateAction type=\"SO\" symbol=\"ABC\" quantity=\"5\" dateTime=\"20240801\" description=\"ABC SPINOFF\"/>\n"
      "</CorporateActions>\n"
      "<OpenPositions><OpenPosition symbol=\"XYZ\" position=\"4\" levelOfDetail=\"LOT\"/>"
      "<OpenPosition symbol=\"XYZ\" position=\"6\" levelOfDetail=\"LOT\"/></OpenPositions>\n"
      "</FlexStatement></FlexStatements></FlexQueryResponse>";
  Diagnostics d;
  const Statement s = flex(text, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  EXPECT_EQ(rows(s), (std::vector<std::string>{
                         "2024-04-03 DIVIDEND KO q=0 p=0 f=0 a=11 r=- id=ibkr:3 note=",
                         "2024-05-01 DEPOSIT KO q=0 p=0 f=0 a=2 r=- id=ibkr:4 note=",
                         "2024-05-01 FEE - q=0 p=0 f=0 a=0.5 r=- id=ibkr:5 note=",
                         "2024-07-01 SPLIT XYZ q=0 p=0 f=0 a=- r=1:10 id=ibkr:action:9 note=XYZ REVERSE",
                     }));
  EXPECT_EQ(positions(s), (std::vector<std::string>{"XYZ 10"}));
  EXPECT_EQ(s.positions_as_of->to_string(), "2024-12-31");
  EXPECT_EQ(messages(d.warnings()),
            (std::vector<std::string>{
                "f.xml:4:1: CashTransactions/CashTransaction: reverses the DIVIDEND of KO 10 on 2024-04-01: neither row "
                "is booked",
                "f.xml:6:1: CashTransactions/CashTransaction: a refunded WITHHOLDING of 2 with no charge in the "
                "statement: booked as a DEPOSIT",
                "f.xml:13:1: CorporateActions/CorporateAction: corporate action SO (ABC SPINOFF) is not booked: enter "
                "its effect by hand",
            }));
}

// A forward split written as the shares added alone (no "SPLIT N FOR M" in its description, no
// old line): the ratio comes from OpenPositions. NVDA: 52 held at the end, 2 bought after the
// split and 45 added by it, so 5 were held before: (5 + 45):5 = 10:1. KO: 30 held, 10 added by a
// split and 5 more by a later one, so 15 before the first: 25:15 = 5:3, then 30:25 = 6:5. The
// shares added to a position that the statement does not list, or that give no plausible ratio,
// are refused.
TEST(IbkrFlexReader, ReadsAForwardSplitWithoutItsRatioFromThePosition) {
  const std::string text =
      "<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"U1\" toDate=\"20241231\">\n"
      "<Trades>\n"
      "<Trade symbol=\"NVDA\" buySell=\"BUY\" quantity=\"5\" tradePrice=\"850\" tradeDate=\"20240501\" "
      "transactionID=\"1\"/>\n"
      "<Trade symbol=\"NVDA\" buySell=\"BUY\" quantity=\"2\" tradePrice=\"120\" tradeDate=\"20240701\" "
      "transactionID=\"2\"/>\n"
      "</Trades>\n"
      "<CorporateActions>\n"
      "<CorporateAction type=\"FS\" symbol=\"NVDA\" quantity=\"45\" dateTime=\"20240607;202500\" actionID=\"7\" "
      "description=\"NVDA(US67066G1040) STOCK DISTRIBUTION\"/>\n"
      "<CorporateAction type=\"FS\" symbol=\"KO\" quantity=\"10\" dateTime=\"20240301\" actionID=\"8\"/>\n"
      "<CorporateAction type=\"FS\" symbol=\"KO\" quantity=\"5\" dateTime=\"20240901\" actionID=\"9\"/>\n"
      "</CorporateActions>\n"
      "<OpenPositions><OpenPosition symbol=\"NVDA\" position=\"52\"/><OpenPosition symbol=\"KO\" position=\"30\"/>"
      "</OpenPositions>\n"
      "</FlexStatement></FlexStatements></FlexQueryResponse>";
  Diagnostics d;
  const Statement s = flex(text, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  EXPECT_EQ(rows(s), (std::vector<std::string>{
                         "2024-05-01 BUY NVDA q=5 p=850 f=0 a=- r=- id=ibkr:1 note=",
                         "2024-07-01 BUY NVDA q=2 p=120 f=0 a=- r=- id=ibkr:2 note=",
                         "2024-06-07 SPLIT NVDA q=0 p=0 f=0 a=- r=10:1 id=ibkr:action:7 note=NVDA(US67066G1040) STOCK "
                         "DISTRIBUTION",
                         "2024-03-01 SPLIT KO q=0 p=0 f=0 a=- r=5:3 id=ibkr:action:8 note=",
                         "2024-09-01 SPLIT KO q=0 p=0 f=0 a=- r=6:5 id=ibkr:action:9 note=",
                     }));

  Diagnostics e;
  flex("<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"U1\">\n"
       "<CorporateActions><CorporateAction type=\"FS\" symbol=\"KO\" quantity=\"7\" dateTime=\"20240105\"/>"
       "</CorporateActions>\n"
       "<OpenPositions><OpenPosition symbol=\"KO\" position=\"7\"/></OpenPositions>\n"
       "</FlexStatement></FlexStatements></FlexQueryResponse>",
       e);
  EXPECT_EQ(messages(e.errors()),
            (std::vector<std::string>{
                "f.xml:2:19: CorporateActions/CorporateAction@quantity: no split ratio: expected \"SPLIT N FOR M\" in "
                "the description, or the old and new quantities: 7 shares added to 0 held before (the "
                "OpenPosition's 7 less the later trades) give no split ratio"}));
}

// A trade in another currency keeps IBKR's rate into the account's base currency.
TEST(IbkrFlexReader, ATradeInAnotherCurrencyKeepsItsRateToBase) {
  const std::string text =
      "<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"U1\"><Trades>\n"
      "<Trade currency=\"EUR\" fxRateToBase=\"1.0954\" assetCategory=\"STK\" symbol=\"ASML\" tradeDate=\"20240115\" "
      "quantity=\"2\" tradePrice=\"620\" ibCommission=\"-4\" buySell=\"BUY\" transactionID=\"41\"/>\n"
      "</Trades></FlexStatement></FlexStatements></FlexQueryResponse>";
  Diagnostics d;
  const Statement s = flex(text, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  ASSERT_EQ(s.transactions.size(), 1u);
  EXPECT_EQ(s.transactions[0].currency, "EUR");
  EXPECT_EQ(s.transactions[0].fx_rate, ledger::Decimal::parse("1.0954"));
}

TEST(IbkrFlexReader, NamesTheElementAndAttributeOfEachProblem) {
  const std::string text =
      "<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"U1\">\n"
      "<Trades>\n"
      "  <Trade symbol=\"AAPL\" buySell=\"BUY\" quantity=\"1\" tradePrice=\"1\" tradeDate=\"01/05/2024\" />\n"
      "  <Trade symbol=\"AAPL\" buySell=\"HOLD\" quantity=\"1\" tradePrice=\"x\" tradeDate=\"20240105\" />\n"
      "  <Trade symbol=\"AAPL\" buySell=\"SELL (Ca.)\" quantity=\"-3\" tradePrice=\"2\" tradeDate=\"20240105\" />\n"
      "</Trades>\n"
      "<CashTransactions><CashTransaction type=\"Price Adjustments\" amount=\"1\" dateTime=\"20240105\"/>"
      "<CashTransaction type=\"Dividends\" symbol=\"KO\" amount=\"-1\" dateTime=\"20240105\"/></CashTransactions>\n"
      "<CorporateActions><CorporateAction type=\"FS\" symbol=\"KO\" quantity=\"5\" dateTime=\"20240105\" "
      "description=\"KO SPLIT\"/></CorporateActions>\n"
      "</FlexStatement></FlexStatements></FlexQueryResponse>";
  Diagnostics d;
  flex(text, d);
  EXPECT_EQ(
      messages(d.errors()),
      (std::vector<std::string>{
          "f.xml:3:3: Trades/Trade@tradeDate: expected a date yyyyMMdd or yyyy-MM-dd, got '01/05/2024'",
          "f.xml:4:3: Trades/Trade@tradePrice: expected a decimal number, got 'x'",
          "f.xml:5:3: Trades/Trade@buySell: a cancellation of a SELL of 3 AAPL at 2 the statement does not hold",
          "f.xml:7:19: CashTransactions/CashTransaction@type: unknown cash transaction type 'Price Adjustments' "
          "(expected Dividends, Payment In Lieu Of Dividends, Withholding Tax, Broker Interest Received, Broker "
          "Interest Paid, Bond Interest Received, Bond Interest Paid, Other Fees, Commission Adjustments or "
          "Deposits/Withdrawals)",
          "f.xml:7:93: CashTransactions/CashTransaction@amount: a reversed DIVIDEND of KO 1 with no row it reverses in "
          "the statement cannot be booked",
          "f.xml:8:19: CorporateActions/CorporateAction@description: no split ratio: expected \"SPLIT N FOR M\" in the "
          "description, or the old and new quantities",
      }));
  Diagnostics e;
  flex("<FlexQueryResponse><Other/></FlexQueryResponse>", e);
  EXPECT_EQ(messages(e.errors()),
            (std::vector<std::string>{
                "f.xml: no <FlexQueryResponse><FlexStatements>: not an IBKR Flex Query statement"}));
}

// A symbol must look like one in a broker statement as in a positions file (the one rule of
// keel/io/readers.h): a Flex statement's `=1+1` (a formula to a spreadsheet that later opens an
// export) is refused at its file, line, column and attribute, and nothing of the statement is
// booked.
TEST(IbkrFlexReader, ASymbolThatIsNoSymbolIsRefusedWithItsPlace) {
  const std::string text =
      "<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"U1\">\n"
      "<Trades>\n"
      "  <Trade symbol=\"=1+1\" buySell=\"BUY\" quantity=\"1\" tradePrice=\"1\" tradeDate=\"20240105\" />\n"
      "  <Trade symbol=\"AAPL  250117C00150000\" buySell=\"BUY\" quantity=\"1\" tradePrice=\"1\" tradeDate=\"20240105\" />\n"
      "</Trades>\n"
      "<CashTransactions><CashTransaction type=\"Dividends\" symbol=\"@SUM(A1)\" amount=\"1\" dateTime=\"20240105\"/>"
      "</CashTransactions>\n"
      "<OpenPositions><OpenPosition symbol=\"-X\" position=\"1\"/></OpenPositions>\n"
      "</FlexStatement></FlexStatements></FlexQueryResponse>";
  Diagnostics d;
  flex(text, d);
  EXPECT_EQ(messages(d.errors()),
            (std::vector<std::string>{
                "f.xml:3:3: Trades/Trade@symbol: \"=1+1\" is not a ticker (1-12 of A-Z 0-9 . - ^ / =, upper case) or "
                "an OCC option symbol",
                "f.xml:6:19: CashTransactions/CashTransaction@symbol: \"@SUM(A1)\" is not a ticker (1-12 of A-Z 0-9 . "
                "- ^ / =, upper case) or an OCC option symbol",
                "f.xml:7:16: OpenPositions/OpenPosition@symbol: \"-X\" is not a ticker (1-12 of A-Z 0-9 . - ^ / =, "
                "upper case) or an OCC option symbol",
            }));
}

// IBKR writes a share class with a space ("BRK B" in its Flex statements): a symbol, read as is;
// a space at either end, or two, is not one.
TEST(IbkrFlexReader, AShareClassWithASpaceIsASymbol) {
  EXPECT_EQ(symbol_problem("BRK B"), std::nullopt);
  EXPECT_EQ(symbol_problem("BF B"), std::nullopt);
  EXPECT_NE(symbol_problem(" BRK"), std::nullopt);
  EXPECT_NE(symbol_problem("BRK "), std::nullopt);
  EXPECT_NE(symbol_problem("BRK  B"), std::nullopt);
  EXPECT_NE(symbol_problem("=1 +1"), std::nullopt);
  const std::string text =
      "<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"U1\">\n"
      "<Trades>\n"
      "  <Trade symbol=\"BRK B\" buySell=\"BUY\" quantity=\"2\" tradePrice=\"410\" tradeDate=\"20240105\" />\n"
      "</Trades>\n"
      "</FlexStatement></FlexStatements></FlexQueryResponse>";
  Diagnostics d;
  flex(text, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors()).front();
}

// The same rule for an OFX statement's TICKER (or the UNIQUEID standing for it), at the row.
TEST(OfxReader, ASymbolThatIsNoSymbolIsRefusedWithItsPlace) {
  const std::string text =
      "<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><INVTRANLIST>\n"
      "<INCOME><INVTRAN><FITID>9<DTTRADE>20240103</INVTRAN><SECID><UNIQUEID>037833100<UNIQUEIDTYPE>CUSIP</SECID>"
      "<INCOMETYPE>DIV<TOTAL>1.50</INCOME>\n"
      "<INCOME><INVTRAN><FITID>10<DTTRADE>20240103</INVTRAN><SECID><UNIQUEID>=HYPERLINK(1)<UNIQUEIDTYPE>CUSIP</SECID>"
      "<INCOMETYPE>DIV<TOTAL>1.50</INCOME>\n"
      "</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1>\n"
      "<SECLISTMSGSRSV1><SECLIST><STOCKINFO><SECINFO><SECID><UNIQUEID>037833100<UNIQUEIDTYPE>CUSIP</SECID>"
      "<TICKER>=1+1</SECINFO></STOCKINFO></SECLIST></SECLISTMSGSRSV1></OFX>";
  Diagnostics d;
  const Statement s = ofx(text, d);
  const auto errors = messages(d.errors());
  ASSERT_EQ(errors.size(), 2u) << errors[0];
  EXPECT_NE(errors[0].find("s.ofx:2:"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("SECID/UNIQUEID: the security's <TICKER> in the SECLIST: \"=1+1\" is not a ticker"),
            std::string::npos)
      << errors[0];
  EXPECT_NE(errors[1].find("s.ofx:3:"), std::string::npos) << errors[1];
  EXPECT_NE(errors[1].find("SECID/UNIQUEID: \"=HYPERLINK(1)\" is not a ticker"), std::string::npos) << errors[1];
}

// Shapes of real statements from public OFX libraries' suites, written out by hand.

// A Brazilian bank's statement: <CURDEF>BRL and no <CURRENCY> on its rows. The rows are in BRL (the
// Statement's currency, applied by the importer, which knows the account's); a second statement of
// the file in CAD carries its currency on each row.
TEST(OfxReader, TheStatementCurrencyIsTheRowsCurrency) {
  const std::string text =
      "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>BRL<BANKACCTFROM><BANKID>0341<ACCTID>7037300576"
      "</BANKACCTFROM><BANKTRANLIST><DTSTART>20120201<DTEND>20120229\n"
      "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20120203<TRNAMT>-100.00<FITID>20120203001<MEMO>SAQUE</STMTTRN>\n"
      "</BANKTRANLIST></STMTRS></STMTTRNRS>\n"
      "<STMTTRNRS><STMTRS><CURDEF>CAD<BANKACCTFROM><ACCTID>7037300576</BANKACCTFROM><BANKTRANLIST>\n"
      "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20120210<TRNAMT>250<FITID>20120210001</STMTTRN>\n"
      "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
  Diagnostics d;
  const Statement s = ofx(text, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  EXPECT_EQ(s.currency, "BRL");
  EXPECT_EQ(rows(s), (std::vector<std::string>{
                         "2012-02-03 WITHDRAWAL - q=0 p=0 f=0 a=100 r=- id=ofx:20120203001 note=SAQUE",
                         "2012-02-10 DEPOSIT - q=0 p=0 f=0 a=250 r=- id=ofx:20120210001 note= cur=CAD",
                     }));
}

// Fidelity's cash in lieu of a fractional share: UNITPRICE 137.142857143 (9 places) beside a TOTAL
// of 4.80. The price is read rounded half to even to 8 places, with a warning; the cash is TOTAL's.
TEST(OfxReader, APriceOfMoreThanEightPlacesIsRoundedAndSaysSo) {
  const std::string text =
      "<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>USD<INVTRANLIST>\n"
      "<SELLSTOCK><INVSELL><INVTRAN><FITID>0123456789021401420120801<DTTRADE>20120801000000.000[-4:EDT]"
      "<MEMO>IN LIEU OF FRX SHARE</INVTRAN><SECID><UNIQUEID>78462F103<UNIQUEIDTYPE>CUSIP</SECID>"
      "<UNITS>-0000000000000.03500<UNITPRICE>000000137.142857143<COMMISSION>+00000000000000.0000"
      "<TOTAL>+00000000000004.8000</INVSELL><SELLTYPE>SELL</SELLSTOCK>\n"
      "<BUYSTOCK><INVBUY><INVTRAN><FITID>2<DTTRADE>20120802</INVTRAN><SECID><UNIQUEID>78462F103</SECID>"
      "<UNITS>1<UNITPRICE>2.000000005<TOTAL>-2</INVBUY></BUYSTOCK>\n"
      "</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1>\n"
      "<SECLISTMSGSRSV1><SECLIST><STOCKINFO><SECINFO><SECID><UNIQUEID>78462F103<UNIQUEIDTYPE>CUSIP</SECID>"
      "<TICKER>SPY</SECINFO></STOCKINFO></SECLIST></SECLISTMSGSRSV1></OFX>";
  Diagnostics d;
  const Statement s = ofx(text, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  // 137.142857143 -> 137.14285714 (the 9th place 3 rounds down); 2.000000005 -> 2.00000000 (a
  // tie, to the even 0).
  EXPECT_EQ(rows(s), (std::vector<std::string>{
                         "2012-08-01 SELL SPY q=0.035 p=137.14285714 f=0 a=4.8 r=- id=ofx:0123456789021401420120801 "
                         "note=IN LIEU OF FRX SHARE",
                         "2012-08-02 BUY SPY q=1 p=2 f=0 a=2 r=- id=ofx:2 note=",
                     }));
  EXPECT_EQ(messages(d.warnings()),
            (std::vector<std::string>{
                "s.ofx:2:224: INVSELL/UNITPRICE: 000000137.142857143 has more than 8 decimal places: read as 137.14285714",
                "s.ofx:3:116: INVBUY/UNITPRICE: 2.000000005 has more than 8 decimal places: read as 2",
            }));
}

TEST(StatementNumber, RoundsHalfToEvenPastEightPlaces) {
  auto value = [](std::string_view t) {
    const auto n = detail::statement_number(t);
    return n ? n->value.to_string() + (n->rounded ? " rounded" : "") : std::string("none");
  };
  EXPECT_EQ(value("1.123456785"), "1.12345678 rounded");    // a tie, 8 even: kept
  EXPECT_EQ(value("1.123456775"), "1.12345678 rounded");    // a tie, 7 odd: up
  EXPECT_EQ(value("1.1234567850001"), "1.12345679 rounded");  // past the tie: up
  EXPECT_EQ(value("-1.123456789"), "-1.12345679 rounded");  // away from zero for a negative
  EXPECT_EQ(value("2,0000000049"), "2 rounded");            // a comma as the decimal mark
  EXPECT_EQ(value("1.10000000000"), "1.1");                 // trailing zeros lose nothing
  EXPECT_EQ(value("1.12345678x"), "none");
  EXPECT_EQ(value("1.123456789x"), "none");
}

// TIAA's "Balance Update": a TRANSFER of 0 units. It moves nothing: skipped, with a warning.
TEST(OfxReader, ATransferOfNoUnitsIsSkippedWithAWarning) {
  const std::string text =
      "<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>USD<INVTRANLIST>\n"
      "<TRANSFER><INVTRAN><FITID>TIAA#20170307160000.000[-4:EDT]160000.000[-4:EDT]<DTTRADE>20170307150000.000[-5:EST]"
      "<MEMO>TIAA Traditional Balance Update</INVTRAN><SECID><UNIQUEID>111111111<UNIQUEIDTYPE>CUSIP</SECID>"
      "<SUBACCTSEC>CASH<UNITS>0<TFERACTION>IN<POSTYPE>LONG<UNITPRICE>1</TRANSFER>\n"
      "</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1>\n"
      "<SECLISTMSGSRSV1><SECLIST><OTHERINFO><SECINFO><SECID><UNIQUEID>111111111<UNIQUEIDTYPE>CUSIP</SECID>"
      "<SECNAME>TIAA Traditional<TICKER>TIAAtrad</SECINFO></OTHERINFO></SECLIST></SECLISTMSGSRSV1></OFX>";
  Diagnostics d;
  const Statement s = ofx(text, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  EXPECT_TRUE(s.transactions.empty());
  EXPECT_EQ(messages(d.warnings()),
            (std::vector<std::string>{"s.ofx:2:1: TRANSFER: a transfer of 0 units of TIAATRAD moves nothing: skipped"}));
}

// American Express's refused sign-on (status 15500) and a bank's "General Server Error" (2000) in
// place of the statement: each is an error that names the status, not "no transactions".
TEST(OfxReader, AServersRefusalIsNamed) {
  const std::string signon =
      "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n"
      "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>15500<SEVERITY>ERROR<MESSAGE>Your request could not be processed "
      "because you supplied an invalid identification code or your password was incorrect</STATUS>"
      "<DTSERVER>20130325211209.350[-7:MST]<LANGUAGE>ENG<FI><ORG>AMEX<FID>3101</FI></SONRS></SIGNONMSGSRSV1></OFX>";
  Diagnostics d;
  EXPECT_TRUE(ofx(signon, d).transactions.empty());
  EXPECT_EQ(messages(d.errors()),
            (std::vector<std::string>{
                "s.ofx:5:29: SONRS/STATUS: the sign-on failed (status 15500 (sign-on invalid: the user id or password "
                "was refused): Your request could not be processed because you supplied an invalid identification "
                "code or your password was incorrect): the file holds no statement"}));

  const std::string server =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
      "<?OFX OFXHEADER=\"200\" VERSION=\"211\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>\n"
      "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY><MESSAGE>SUCCESS</MESSAGE>"
      "</STATUS></SONRS></SIGNONMSGSRSV1>\n"
      "<BANKMSGSRSV1><STMTTRNRS><TRNUID>ae91f50f</TRNUID><STATUS><CODE>2000</CODE><SEVERITY>ERROR</SEVERITY>"
      "<MESSAGE>General Server Error</MESSAGE></STATUS></STMTTRNRS></BANKMSGSRSV1></OFX>";
  Diagnostics e;
  EXPECT_TRUE(ofx(server, e).transactions.empty());
  EXPECT_EQ(messages(e.errors()),
            (std::vector<std::string>{"s.ofx: the file holds no statement: the server answered status 2000 (general "
                                      "error): General Server Error"}));
  EXPECT_EQ(messages(e.warnings()),
            (std::vector<std::string>{"s.ofx:4:15: STMTTRNRS: a response without a statement (status 2000 (general "
                                      "error): General Server Error): skipped"}));
}

// Flex sections beyond trades and cash, in the shapes of a Flex parser's tests: an orders-only
// Trades section, an ACATS transfer in (no cost: the market value, warned) and a cash transfer, a
// trade made at another broker and moved in, a French transaction tax and a VAT charge. A section
// keel does not book is named; a view is read for nothing. Date-times without a separator read.
TEST(IbkrFlexReader, BooksOrdersTransfersTradeTransfersAndTaxesAndNamesWhatItSkips) {
  const std::string text =
      "<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"U123456\" fromDate=\"20110701\" "
      "toDate=\"20150131\">\n"
      "<Trades>\n"
      "<Order currency=\"USD\" assetCategory=\"STK\" symbol=\"AAPL\" tradeDate=\"20160229143529\" buySell=\"BUY\" "
      "quantity=\"10\" tradePrice=\"96.5\" ibCommission=\"-1\" netCash=\"-966\" levelOfDetail=\"ORDER\" />\n"
      "<Order currency=\"USD\" assetCategory=\"STK\" symbol=\"AAPL\" tradeDate=\"2016-03-01093000\" buySell=\"SELL\" "
      "quantity=\"-4\" tradePrice=\"100\" ibCommission=\"-1\" netCash=\"399\" levelOfDetail=\"ORDER\" />\n"
      "</Trades>\n"
      "<Transfers>\n"
      "<Transfer currency=\"USD\" fxRateToBase=\"1\" assetCategory=\"STK\" symbol=\"FMTIF\" date=\"2011-07-18\" "
      "type=\"ACATS\" direction=\"IN\" company=\"--\" quantity=\"226702\" transferPrice=\"0\" positionAmount=\"11.51\" "
      "cashTransfer=\"0\" />\n"
      "<Transfer currency=\"USD\" assetCategory=\"CASH\" symbol=\"--\" date=\"2011-07-19\" type=\"INTERNAL\" "
      "direction=\"OUT\" quantity=\"0\" cashTransfer=\"-2500\" />\n"
      "</Transfers>\n"
      "<TradeTransfers>\n"
      "<TradeTransfer currency=\"USD\" fxRateToBase=\"1\" assetCategory=\"STK\" symbol=\"ADGI\" tradeID=\"599063639\" "
      "reportDate=\"2011-08-22\" tradeDate=\"2011-08-19\" tradeTime=\"202000\" quantity=\"10000\" tradePrice=\"3.1\" "
      "taxes=\"0\" ibCommission=\"-1\" netCash=\"-31011\" openCloseIndicator=\"O\" transactionID=\"\" direction=\"From\" "
      "buySell=\"BUY\" />\n"
      "</TradeTransfers>\n"
      "<TransactionTaxes>\n"
      "<TransactionTax currency=\"USD\" assetCategory=\"STK\" symbol=\"SNY\" date=\"2013-11-02\" taxDescription=\"French "
      "Transaction Tax\" quantity=\"0\" taxAmount=\"-0.347098\" levelOfDetail=\"SUMMARY\" />\n"
      "</TransactionTaxes>\n"
      "<SalesTaxes>\n"
      "<SalesTax currency=\"USD\" symbol=\"\" date=\"2015-01-03\" country=\"Finland\" taxType=\"VAT\" "
      "taxableAmount=\"0.2\" taxRate=\"0.21\" salesTax=\"-0.042\" transactionID=\"12913221785\" />\n"
      "</SalesTaxes>\n"
      "<OptionEAE><OptionEAE symbol=\"AAPL  160318C00100000\" transactionType=\"Assignment\" /></OptionEAE>\n"
      "<ChangeInNAV startingValue=\"1\" endingValue=\"2\" />\n"
      "<SecuritiesInfo><SecurityInfo symbol=\"AAPL\" /></SecuritiesInfo>\n"
      "</FlexStatement></FlexStatements></FlexQueryResponse>";
  Diagnostics d;
  const Statement s = flex(text, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  std::vector<std::string> got;
  for (const auto& t : s.transactions) {
    got.push_back(fmt::format("{} {} {} q={} p={} f={} a={} note={}", t.date.to_string(), ledger::tx_type_name(t.type),
                              t.symbol.empty() ? "-" : t.symbol, t.quantity.to_string(), t.price.to_string(),
                              t.fees.to_string(), t.amount ? t.amount->to_string() : "-", t.note));
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "2016-02-29 BUY AAPL q=10 p=96.5 f=1 a=966 note=",
                     "2016-03-01 SELL AAPL q=4 p=100 f=1 a=399 note=",
                     // 11.51 / 226,702 = 0.0000507715... a share, to 8 places.
                     "2011-07-18 TRANSFER_IN FMTIF q=226702 p=0.00005077 f=0 a=- note=ACATS",
                     "2011-07-19 WITHDRAWAL - q=0 p=0 f=0 a=2500 note=INTERNAL",
                     "2011-08-19 BUY ADGI q=10000 p=3.1 f=1 a=31011 note=",
                     "2013-11-02 FEE SNY q=0 p=0 f=0 a=0.347098 note=French Transaction Tax",
                     "2015-01-03 FEE - q=0 p=0 f=0 a=0.042 note=sales tax",
                 }));
  const auto warnings = messages(d.warnings());
  ASSERT_EQ(warnings.size(), 2u) << warnings[0];
  EXPECT_NE(warnings[0].find("Transfers/Transfer: the transfer in of 226702 FMTIF gives no cost: its lot is opened at "
                             "the market value moved, 0.00005077 a share"),
            std::string::npos)
      << warnings[0];
  EXPECT_NE(warnings[1].find("the section <OptionEAE> (1 row(s)) is not booked by keel: skipped"), std::string::npos)
      << warnings[1];
}

// openCloseIndicator in the shapes of IBKR's option assignments: a put written before the statement
// and assigned in it closes with a BUY at 0 marked "C" beside the stock bought at the strike. That
// BUY is not booked (it would open a long put at no cost); a call written and bought back inside the
// statement books as it reads; a closing BUY larger than the short the statement holds covers that.
TEST(IbkrFlexReader, AClosingBuyOfAShortOpenedBeforeTheStatementIsNotALongLot) {
  const std::string text =
      "<FlexQueryResponse><FlexStatements><FlexStatement accountId=\"U1\" fromDate=\"20160301\" toDate=\"20160331\">\n"
      "<Trades>\n"
      "<Trade currency=\"USD\" assetCategory=\"OPT\" symbol=\"AAPL  160318P00100000\" tradeDate=\"20160318\" "
      "buySell=\"BUY\" quantity=\"1\" tradePrice=\"0\" ibCommission=\"0\" netCash=\"0\" openCloseIndicator=\"C\" "
      "notes=\"A\" transactionID=\"1\" />\n"
      "<Trade currency=\"USD\" assetCategory=\"STK\" symbol=\"AAPL\" tradeDate=\"20160318\" buySell=\"BUY\" "
      "quantity=\"100\" tradePrice=\"100\" ibCommission=\"0\" netCash=\"-10000\" openCloseIndicator=\"O\" "
      "notes=\"A\" transactionID=\"2\" />\n"
      "<Trade currency=\"USD\" assetCategory=\"OPT\" symbol=\"MSFT  160415C00055000\" tradeDate=\"20160302\" "
      "buySell=\"SELL\" quantity=\"-2\" tradePrice=\"1.5\" ibCommission=\"-2\" netCash=\"298\" "
      "openCloseIndicator=\"O\" transactionID=\"3\" />\n"
      "<Trade currency=\"USD\" assetCategory=\"OPT\" symbol=\"MSFT  160415C00055000\" tradeDate=\"20160310\" "
      "buySell=\"BUY\" quantity=\"2\" tradePrice=\"0.5\" ibCommission=\"-2\" netCash=\"-102\" "
      "openCloseIndicator=\"C\" transactionID=\"4\" />\n"
      "<Trade currency=\"USD\" assetCategory=\"OPT\" symbol=\"IBM   160415C00150000\" tradeDate=\"20160303\" "
      "buySell=\"SELL\" quantity=\"-1\" tradePrice=\"2\" ibCommission=\"-1\" netCash=\"199\" "
      "openCloseIndicator=\"O\" transactionID=\"5\" />\n"
      "<Trade currency=\"USD\" assetCategory=\"OPT\" symbol=\"IBM   160415C00150000\" tradeDate=\"20160311\" "
      "buySell=\"BUY\" quantity=\"3\" tradePrice=\"1\" ibCommission=\"-3\" netCash=\"-303\" "
      "openCloseIndicator=\"C\" transactionID=\"6\" />\n"
      "</Trades>\n"
      "</FlexStatement></FlexStatements></FlexQueryResponse>";
  Diagnostics d;
  const Statement s = flex(text, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  std::vector<std::string> got;
  for (const auto& t : s.transactions) {
    got.push_back(fmt::format("{} {} {} q={} p={} f={} a={}", t.date.to_string(), ledger::tx_type_name(t.type), t.symbol,
                              t.quantity.to_string(), t.price.to_string(), t.fees.to_string(),
                              t.amount ? t.amount->to_string() : "-"));
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "2016-03-18 BUY AAPL q=100 p=100 f=0 a=10000",
                     "2016-03-02 SELL MSFT  160415C00055000 q=2 p=1.5 f=2 a=298",
                     "2016-03-10 BUY MSFT  160415C00055000 q=2 p=0.5 f=2 a=102",
                     "2016-03-03 SELL IBM   160415C00150000 q=1 p=2 f=1 a=199",
                     // 1 of the 3 covers the short the statement holds; its fees 3 x 1/3 = 1.
                     "2016-03-11 BUY IBM   160415C00150000 q=1 p=1 f=1 a=-",
                 }));
  const auto warnings = messages(d.warnings());
  ASSERT_EQ(warnings.size(), 2u) << warnings[0];
  EXPECT_EQ(warnings[0], "f.xml:3:1: Trades/Trade: the BUY of 1 AAPL  160318P00100000 on 2016-03-18 closes a short "
                         "position (openCloseIndicator C) opened before the statement: not booked, so no long lot is "
                         "opened; enter the opening sale by hand");
  EXPECT_NE(warnings[1].find("the BUY of 3 IBM   160415C00150000 on 2016-03-11 closes a short position "
                             "(openCloseIndicator C), of which the statement holds 1 short: 1 booked as the cover"),
            std::string::npos)
      << warnings[1];
}

// A file with the statements of several broker accounts (a bank's download of every account, in
// the shape of ofxparse's multiple_accounts.ofx; a Flex Query over two accounts): broker_account
// reads that account's statement alone; an id the file does not hold is refused with the ids it
// does; without one, every statement is read and a warning says how to choose.
TEST(StatementReaders, BrokerAccountChoosesOneStatementOfSeveral) {
  const std::string ofx =
      "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
      "<DTSERVER>20240829<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1>\n"
      "<STMTTRNRS><TRNUID>0<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>18206"
      "<ACCTID>111<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20240725<DTEND>20240810\n"
      "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240809<TRNAMT>219.33<FITID>A1<NAME>salary</STMTTRN>\n"
      "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240728<TRNAMT>-123.00<FITID>A2<NAME>to 222</STMTTRN>\n"
      "</BANKTRANLIST></STMTRS></STMTTRNRS>\n"
      "<STMTTRNRS><TRNUID>0<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>18206"
      "<ACCTID>222<ACCTTYPE>SAVINGS</BANKACCTFROM><BANKTRANLIST><DTSTART>20240701<DTEND>20240810\n"
      "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240728<TRNAMT>123.00<FITID>B1<NAME>from 111</STMTTRN>\n"
      "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
  {
    Diagnostics d;
    const Statement s = read_ofx(ofx, "multi.ofx", {"main", "222"}, d);
    EXPECT_TRUE(d.errors().empty());
    EXPECT_TRUE(d.warnings().empty());
    ASSERT_EQ(s.transactions.size(), 1u);
    EXPECT_EQ(s.transactions[0].external_id.find("B1") != std::string::npos, true) << s.transactions[0].external_id;
    EXPECT_EQ(s.broker_account, "222");
    EXPECT_EQ(s.start, Date::parse_or_throw("2024-07-01"));  // that statement's period
  }
  {
    Diagnostics d;
    read_ofx(ofx, "multi.ofx", {"main", "333"}, d);
    ASSERT_EQ(d.errors().size(), 1u);
    EXPECT_EQ(d.errors()[0].to_string(), "multi.ofx: the file holds no statement of broker account 333 (it holds: 111, 222)");
  }
  {
    Diagnostics d;
    const Statement s = read_ofx(ofx, "multi.ofx", {"main", ""}, d);
    EXPECT_EQ(s.transactions.size(), 3u);
    ASSERT_EQ(d.warnings().size(), 1u);
    EXPECT_NE(d.warnings()[0].message.find("statements of 2 accounts (111, 222)"), std::string::npos);
  }
  const std::string flex_text =
      "<FlexQueryResponse><FlexStatements>"
      "<FlexStatement accountId=\"U1\"><Trades>\n"
      "<Trade currency=\"USD\" assetCategory=\"STK\" symbol=\"AAPL\" tradeDate=\"20240115\" quantity=\"2\" "
      "tradePrice=\"180\" ibCommission=\"-1\" buySell=\"BUY\" transactionID=\"1\"/>\n"
      "</Trades></FlexStatement><FlexStatement accountId=\"U2\"><Trades>\n"
      "<Trade currency=\"USD\" assetCategory=\"STK\" symbol=\"MSFT\" tradeDate=\"20240116\" quantity=\"3\" "
      "tradePrice=\"390\" ibCommission=\"-1\" buySell=\"BUY\" transactionID=\"2\"/>\n"
      "</Trades></FlexStatement></FlexStatements></FlexQueryResponse>";
  Diagnostics d;
  const Statement s = read_ibkr_flex(flex_text, "f.xml", {"main", "U2"}, d);
  EXPECT_TRUE(d.errors().empty()) << messages(d.errors())[0];
  ASSERT_EQ(s.transactions.size(), 1u);
  EXPECT_EQ(s.transactions[0].symbol, "MSFT");
  Diagnostics none;
  read_ibkr_flex(flex_text, "f.xml", {"main", "U3"}, none);
  ASSERT_EQ(none.errors().size(), 1u);
  EXPECT_EQ(none.errors()[0].message, "the file holds no statement of broker account U3 (it holds: U1, U2)");
}

}  // namespace
}  // namespace keel::io
