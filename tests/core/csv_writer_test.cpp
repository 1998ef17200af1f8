// keel/core/csv_writer.h: RFC 4180 quoting and the formula guard of every CSV keel writes.
#include "keel/core/csv_writer.h"

#include <gtest/gtest.h>

namespace keel {
namespace {

TEST(CsvWriter, QuotesOnlyWhenACellNeedsIt) {
  // RFC 4180: a cell with a comma, a quote or a line break is quoted, its quotes doubled.
  EXPECT_EQ(csv_cell("AAPL"), "AAPL");
  EXPECT_EQ(csv_cell("Smith, \"Jr\""), "\"Smith, \"\"Jr\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_cell("a\rb"), "\"a\rb\"");
  EXPECT_EQ(csv_cell(""), "");
}

TEST(CsvWriter, TextThatASpreadsheetWouldEvaluateGetsALeadingApostrophe) {
  // OWASP "CSV Injection": = + - @ tab CR at the start of a cell get an apostrophe, then quoting.
  EXPECT_EQ(csv_cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(csv_cell("=1+1 acct"), "'=1+1 acct");
  EXPECT_EQ(csv_cell("+1+1"), "'+1+1");  // a formula to Excel, not a number
  EXPECT_EQ(csv_cell("-1+1"), "'-1+1");
  EXPECT_EQ(csv_cell("-cmd|' /C calc'!A0"), "'-cmd|' /C calc'!A0");
  EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_cell("\tx"), "'\tx");
  EXPECT_EQ(csv_cell("\rx"), "\"'\rx\"");
  EXPECT_EQ(csv_cell("-"), "-");  // a lone "-" (a missing figure) is text to a spreadsheet
  EXPECT_EQ(csv_cell("--"), "'--");
  EXPECT_EQ(csv_cell("a=b"), "a=b");  // only the first character counts
  EXPECT_EQ(csv_cell("'plain"), "'plain");
  // Apostrophes already in front of a guarded start get one more, so reading undoes exactly one.
  EXPECT_EQ(csv_cell("'=x"), "''=x");
  EXPECT_EQ(csv_cell("''@x"), "'''@x");
}

TEST(CsvWriter, PlainNumbersStayNumbers) {
  for (const char* n : {"-12.5", "+3", "-5", "0", "12", "-0.000001", "1e-05", "-2.5E+10", "+.5", "5.", "-2.5%"}) {
    EXPECT_TRUE(csv_plain_number(n)) << n;
    EXPECT_EQ(csv_cell(n), n);
  }
  for (const char* t : {"-", "+", "-.", "-e5", "-1e", "-1+1", "- 1", "-1,000", "-inf", "-nan", "--1", "-1%%"}) {
    EXPECT_FALSE(csv_plain_number(t)) << t;
  }
  EXPECT_EQ(csv_cell("-1,000"), "\"'-1,000\"");
  EXPECT_EQ(csv_cell("'-12.5"), "'-12.5");  // not a formula after the apostrophe: left as it is
}

TEST(CsvWriter, TheReaderUndoesExactlyWhatTheWriterDid) {
  for (const char* text : {"=1+1 acct", "'=1+1", "''=1", "'", "''", "'abc", "-12.5", "'-12.5", "@x", "\tx", "plain", "",
                           "-"}) {
    std::string cell = csv_cell(text);
    // Strip the RFC 4180 quoting as a reader does.
    if (!cell.empty() && cell.front() == '"') {
      std::string inner;
      for (std::size_t i = 1; i + 1 < cell.size(); ++i) {
        inner += cell[i];
        if (cell[i] == '"') ++i;
      }
      cell = inner;
    }
    EXPECT_EQ(csv_unguarded(cell), text) << text;
  }
  // A hand-made cell: one apostrophe before a formula start is read as the text without it.
  EXPECT_EQ(csv_unguarded("'=SUM(A1)"), "=SUM(A1)");
  EXPECT_EQ(csv_unguarded("'5"), "'5");
}

TEST(CsvWriter, WritesRowsWithSeparatorsAndLineEnds) {
  CsvWriter w;
  w.row({"account", "note", "amount"});
  w.cell("=1+1 acct").cell("=HYPERLINK(\"http://evil\",\"x\")").cell("-12.5").end_row();
  w.empty().cell("a,b").cell("+3").end_row();
  EXPECT_EQ(w.take(),
            "account,note,amount\n"
            "'=1+1 acct,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",-12.5\n"
            ",\"a,b\",+3\n");
}

}  // namespace
}  // namespace keel
