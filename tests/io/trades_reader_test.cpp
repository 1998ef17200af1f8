// What-if trades files: the positions rules plus a signed quantity and a price, and every bad row
// named by file:line:column.
#include <gtest/gtest.h>

#include "read_text.h"

#include "keel/core/error.h"
#include "keel/io/trades_reader.h"

namespace keel::io {
namespace {

using Result = testing::ReadResult<std::vector<Trade>>;

Result read(const std::string& text) {
  return testing::read_text("trades.csv", text, [](CsvReader& csv, Diagnostics& d) { return read_trades(csv, d); });
}

bool has_error(const Result& r, const std::string& prefix, const std::string& words) {
  for (const auto& e : r.errors()) {
    if (e.rfind(prefix, 0) == 0 && e.find(words) != std::string::npos) return true;
  }
  return false;
}

TEST(ReadTrades, SignedQuantitiesPricesAndNewInstruments) {
  auto r = read("symbol,quantity,price,sector,strategy\n"
                "AAPL,-500,169.01,,\n"
                "JNJ,300,,Health Care,defensive\n"
                "AAPL180615P00160000,10,4.25,,hedge\n");
  ASSERT_FALSE(r.diags.has_errors()) << r.errors()[0];
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].position.symbol, "AAPL");
  EXPECT_DOUBLE_EQ(r.rows[0].position.quantity, -500.0);  // a sale
  EXPECT_DOUBLE_EQ(*r.rows[0].price, 169.01);
  EXPECT_EQ(r.rows[0].origin, "trades.csv:2");
  EXPECT_FALSE(r.rows[1].price.has_value());  // last close at the as-of date
  EXPECT_EQ(r.rows[1].position.sector, "Health Care");
  EXPECT_EQ(r.rows[1].position.strategy, "defensive");
  const auto& put = r.rows[2].position;
  EXPECT_EQ(put.type, InstrumentType::kOption);  // the OCC symbol fills the option columns
  EXPECT_EQ(put.underlying, "AAPL");
  EXPECT_DOUBLE_EQ(*put.strike, 160.0);
  EXPECT_EQ(put.expiry->to_string(), "2018-06-15");
  EXPECT_EQ(*put.option_type, OptionRight::kPut);
  EXPECT_DOUBLE_EQ(put.multiplier, 100.0);
  EXPECT_EQ(r.rows[2].origin, "trades.csv:4");
}

TEST(ReadTrades, EveryBadRowIsNamedAndNothingBadIsReturned) {
  auto r = read("symbol,quantity,price,type,strike\n"
                "AAPL,abc,10,,\n"          // line 2: quantity not a number
                "MSFT,10,-3,,\n"           // line 3: negative price
                "AAPL181315P00160000,1,,,\n"  // line 4: malformed OCC symbol (month 13)
                ",5,,,\n"                  // line 5: no symbol
                "XOM,5,,bond,\n"           // line 6: unknown type
                "KO,5,,option,50\n"        // line 7: an option without underlying/expiry/right
                "JPM,100,95.5,,\n");       // line 8: good
  EXPECT_TRUE(has_error(r, "trades.csv:2:2", "quantity")) << ::testing::PrintToString(r.errors());
  EXPECT_TRUE(has_error(r, "trades.csv:3:3", "price must be positive"));
  EXPECT_TRUE(has_error(r, "trades.csv:4:1", "malformed OCC option symbol"));
  EXPECT_TRUE(has_error(r, "trades.csv:5:1", "missing value"));
  EXPECT_TRUE(has_error(r, "trades.csv:6:4", "unknown type"));
  EXPECT_TRUE(has_error(r, "trades.csv:7", "underlying"));
  ASSERT_EQ(r.rows.size(), 1u);  // only the good row
  EXPECT_EQ(r.rows[0].position.symbol, "JPM");
}

TEST(ReadTrades, MissingColumnsAndEmptyFilesAreErrors) {
  auto r = read("symbol,price\nAAPL,10\n");
  EXPECT_TRUE(has_error(r, "trades.csv:1", "quantity")) << ::testing::PrintToString(r.errors());
  auto e = read("symbol,quantity\n");
  EXPECT_TRUE(has_error(e, "trades.csv", "no trades"));
}

TEST(ReadTrades, ZeroQuantityIsAWarningNotAnError) {
  auto r = read("symbol,quantity\nAAPL,0\n");
  EXPECT_FALSE(r.diags.has_errors());
  ASSERT_EQ(r.diags.warnings().size(), 1u);
  EXPECT_NE(r.diags.warnings()[0].to_string().find("the trade changes nothing"), std::string::npos);
}

TEST(ReadTradesFile, ThrowsOneInvalidInputWithEveryProblem) {
  try {
    read_trades_file("upload.csv", std::string("symbol,quantity\nAAPL,x\nMSFT,y\n"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_EQ(e.details().size(), 2u);
    EXPECT_EQ(e.details()[0].rfind("upload.csv:2:2", 0), 0u) << e.details()[0];
    EXPECT_EQ(e.details()[1].rfind("upload.csv:3:2", 0), 0u) << e.details()[1];
  }
  EXPECT_THROW(read_trades_file("/nonexistent/trades.csv", std::nullopt, nullptr, local_files()), Error);
}

}  // namespace
}  // namespace keel::io
