// Views and group bounds files of portfolio construction (keel/io/construct_reader.h).
#include "keel/io/construct_reader.h"

#include <gtest/gtest.h>

namespace keel::io {
namespace {

using Terms = std::vector<std::pair<std::string, double>>;

Terms expr(std::string_view s) {
  std::string err;
  std::size_t at = 0;
  auto t = parse_view_expression(s, err, at);
  EXPECT_TRUE(t.has_value()) << err << " at " << at;
  return t.value_or(Terms{});
}

TEST(ViewExpression, PlainNamesShareTheirSidesUnitWeight) {
  EXPECT_EQ(expr("AAPL"), (Terms{{"AAPL", 1.0}}));
  EXPECT_EQ(expr(" AAPL - MSFT "), (Terms{{"AAPL", 1.0}, {"MSFT", -1.0}}));
  EXPECT_EQ(expr("AAPL + GOOG - MSFT"), (Terms{{"AAPL", 0.5}, {"GOOG", 0.5}, {"MSFT", -1.0}}));
  EXPECT_EQ(expr("0.3 AAPL + 0.7*GOOG - MSFT"), (Terms{{"AAPL", 0.3}, {"GOOG", 0.7}, {"MSFT", -1.0}}));
  EXPECT_EQ(expr("7203.T - BRK.B"), (Terms{{"7203.T", 1.0}, {"BRK.B", -1.0}}));
  EXPECT_EQ(expr("-KO"), (Terms{{"KO", -1.0}}));
}

TEST(ViewExpression, RefusedWithThePlace) {
  for (const auto& [text, place] : std::vector<std::pair<std::string, std::size_t>>{
           {"", 0}, {"AAPL -", 6}, {"AAPL MSFT", 5}, {"AAPL - AAPL", 7}, {"AAPL + ,", 7}}) {
    std::string err;
    std::size_t at = 99;
    EXPECT_FALSE(parse_view_expression(text, err, at).has_value()) << text;
    EXPECT_EQ(at, place) << text << ": " << err;
  }
}

TEST(Views, CsvAndJsonGiveTheSameRows) {
  const std::vector<std::string> universe{"AAPL", "MSFT", "KO"};
  Diagnostics d1, d2;
  const auto a = parse_views("view,return,confidence\nAAPL - MSFT,0.02,0.5\nKO,0.1,1\n", "v.csv", universe, d1);
  const auto b = parse_views(
      R"({"views": [{"view": "AAPL - MSFT", "return": 0.02, "confidence": 0.5}, {"view": "KO", "return": 0.1, "confidence": 1}]})",
      "v.json", universe, d2);
  EXPECT_FALSE(d1.has_errors());
  EXPECT_FALSE(d2.has_errors());
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a[i].terms, b[i].terms);
    EXPECT_EQ(a[i].annual_return, b[i].annual_return);
    EXPECT_EQ(a[i].confidence, b[i].confidence);
  }
}

TEST(Views, EveryProblemWithItsPlaceAndNothingReturned) {
  Diagnostics d;
  const auto v = parse_views("view,return,confidence\nAAPL,0.1,0.5\nXYZ,0.1,0.5\nKO,0.1,1.5\n", "v.csv", {"AAPL", "KO"}, d);
  EXPECT_TRUE(v.empty());
  ASSERT_EQ(d.errors().size(), 2u);
  EXPECT_EQ(d.errors()[0].line, 3u);
  EXPECT_EQ(d.errors()[0].column, 1u);
  EXPECT_EQ(d.errors()[1].line, 4u);
  EXPECT_EQ(d.errors()[1].column, 3u);
  Diagnostics j;
  EXPECT_TRUE(parse_views(R"([{"view": "KO", "return": 0.1, "confidence": 0.5, "extra": 1}])", "v.json", {"KO"}, j).empty());
  ASSERT_EQ(j.errors().size(), 1u);
  EXPECT_EQ(j.errors()[0].field, "[0].extra");
}

TEST(GroupBounds, KindsBoundsAndProblems) {
  Diagnostics d;
  const auto g = parse_group_bounds("kind,name,lower,upper\nSector,Energy,,0.2\nsymbols,AAPL MSFT,0.1,\n", "g.csv", d);
  EXPECT_FALSE(d.has_errors());
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].kind, "sector");
  EXPECT_FALSE(g[0].lower.has_value());
  EXPECT_EQ(g[0].upper, 0.2);
  EXPECT_EQ(g[1].line, 3u);
  Diagnostics bad;
  EXPECT_TRUE(parse_group_bounds("kind,name,lower,upper\nregion,EU,0,1\ntag,x,,\ntag,y,0.5,0.2\n", "g.csv", bad).empty());
  EXPECT_EQ(bad.errors().size(), 3u);
}

}  // namespace
}  // namespace keel::io
