// The ALM balance-sheet reader: every bad row named, nothing returned when any row is bad.
#include "keel/io/balance_sheet_reader.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"

namespace keel::io {
namespace {

alm::BalanceSheet read(const std::string& text, Diagnostics& diags) {
  CsvReader csv = CsvReader::from_text("bs.csv", text, diags);
  return read_balance_sheet(csv, BalanceSheetReadOptions{}, diags);
}

std::string all_errors(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d.errors()) s += e.to_string() + "\n";
  return s;
}

TEST(BalanceSheetReader, ReadsEveryColumn) {
  Diagnostics diags;
  const auto book = read(
      "id,side,type,currency,notional,start_date,maturity_date,rate_type,rate,spread,index,reset_frequency,"
      "payment_frequency,amortization,day_count,first_reset_date,floor,cap,behavioural_maturity\n"
      "L1,asset,loan,eur,1000000,2020-01-15,2025-01-15,floating,0.012,0.01,EURIBOR,3M,6M,linear,act/360,2020-04-15,0.0,0.08,\n"
      "D1,liability,nmd,USD,500000,2015-01-01,,fixed,0.001,,,,1M,linear,act/365,,,,4Y\n"
      "B1,asset,bond,USD,250000,2020-06-30,2030-06-30,fixed,0.02,,,,0,bullet,30/360,,,,\n",
      diags);
  ASSERT_FALSE(diags.has_errors()) << all_errors(diags);
  ASSERT_EQ(book.size(), 3u);
  const auto& l = book.terms[0];
  EXPECT_EQ(book.currencies[l.currency], "EUR");
  EXPECT_EQ(l.rate_type, alm::RateType::kFloating);
  EXPECT_EQ(l.reset_months, 3);
  EXPECT_EQ(l.payment_months, 6);
  EXPECT_EQ(l.amortization, alm::Amortization::kLinear);
  EXPECT_EQ(l.day_count, alm::DayCount::kAct360);
  EXPECT_EQ(l.first_reset_date, Date::parse_or_throw("2020-04-15"));
  EXPECT_DOUBLE_EQ(l.floor, 0.0);
  EXPECT_DOUBLE_EQ(l.cap, 0.08);
  EXPECT_EQ(book.calendars[l.calendar], "EUR");
  EXPECT_EQ(book.line[0], 2u);
  EXPECT_DOUBLE_EQ(book.terms[1].behavioural_years, 4.0);
  EXPECT_EQ(book.terms[1].side, alm::Side::kLiability);
  EXPECT_EQ(book.terms[2].payment_months, 0);
  EXPECT_EQ(book.index[0], "EURIBOR");
}

TEST(BalanceSheetReader, NamesEveryBadRowAndReturnsNothing) {
  Diagnostics diags;
  const auto book = read(
      "id,side,type,notional,start_date,maturity_date,rate_type,rate\n"
      "OK1,asset,loan,100,2020-01-01,2025-01-01,fixed,0.03\n"
      "BAD1,asset,loan,100,2022-01-01,2021-01-01,fixed,0.03\n"
      "BAD2,asset,loan,-5,2020-01-01,2025-01-01,fixed,0.03\n"
      "BAD3,middle,loan,100,2020-01-01,2025-01-01,fixed,0.03\n"
      "BAD4,asset,loan,100,2020-01-01,2025-01-01,fixed,3.5\n"
      "OK1,asset,loan,100,2020-01-01,2025-01-01,fixed,0.03\n",
      diags);
  EXPECT_EQ(book.size(), 0u);
  const std::string e = all_errors(diags);
  EXPECT_NE(e.find("bs.csv:3:6: maturity_date: maturity_date 2021-01-01 is not after start_date 2022-01-01"), std::string::npos) << e;
  EXPECT_NE(e.find("bs.csv:4:4: notional: notional -5 must be positive"), std::string::npos) << e;
  EXPECT_NE(e.find("bs.csv:5:2: side: \"middle\" is not a side"), std::string::npos) << e;
  EXPECT_NE(e.find("bs.csv:6:8: rate: rate 3.5 looks like a percentage"), std::string::npos) << e;
  EXPECT_NE(e.find("bs.csv:7:1: id: id \"OK1\" is used by another row"), std::string::npos) << e;
  EXPECT_EQ(diags.error_count(), 5u);
}

TEST(BalanceSheetReader, MissingColumnsAreReported) {
  Diagnostics diags;
  (void)read("id,side,notional\nA,asset,1\n", diags);
  const std::string e = all_errors(diags);
  EXPECT_NE(e.find("maturity_date"), std::string::npos) << e;
  EXPECT_NE(e.find("rate_type"), std::string::npos) << e;
}

TEST(ShockTableReader, DefaultTableIsTheAnnex) {
  const alm::ShockTable t = default_shock_table();
  EXPECT_EQ(t.rows.size(), 27u);
  const auto* usd = t.find("USD");
  ASSERT_NE(usd, nullptr);
  EXPECT_DOUBLE_EQ(usd->parallel_bp, 200);
  EXPECT_DOUBLE_EQ(usd->short_bp, 300);
  EXPECT_DOUBLE_EQ(usd->long_bp, 150);
  const auto* gbp = t.find("GBP");
  ASSERT_NE(gbp, nullptr);
  EXPECT_DOUBLE_EQ(gbp->parallel_bp, 250);
  EXPECT_DOUBLE_EQ(t.find("CHF")->short_bp, 150);
  EXPECT_DOUBLE_EQ(t.find("JPY")->long_bp, 100);
  EXPECT_EQ(t.find("XYZ"), nullptr);
}

TEST(ShockTableReader, BadSizesNamed) {
  Diagnostics diags;
  CsvReader csv = CsvReader::from_text("s.csv", "currency,parallel_bp,short_bp,long_bp\nUSD,200,300,150\nusd,1,1,1\nEURO,1,1,1\nGBP,-5,1,1\n", diags);
  (void)read_shock_table(csv, diags);
  const std::string e = all_errors(diags);
  EXPECT_NE(e.find("s.csv:3:1: currency: currency USD is given twice"), std::string::npos) << e;
  EXPECT_NE(e.find("s.csv:4:1: currency: \"EURO\" is not a currency code"), std::string::npos) << e;
  EXPECT_NE(e.find("s.csv:5:2: parallel_bp"), std::string::npos) << e;
}

TEST(ScenarioReader, GroupsRowsByName) {
  Diagnostics diags;
  CsvReader csv = CsvReader::from_text("sc.csv", "name,tenor,shift_bp\ntwist,10Y,-50\ntwist,1Y,100\nup,1Y,25\n", diags);
  const auto s = read_scenarios(csv, diags);
  ASSERT_FALSE(diags.has_errors()) << all_errors(diags);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].name, "twist");
  EXPECT_EQ(s[0].custom_years, (std::vector<double>{1.0, 10.0}));
  EXPECT_EQ(s[0].custom_bp, (std::vector<double>{100.0, -50.0}));
}

}  // namespace
}  // namespace keel::io
