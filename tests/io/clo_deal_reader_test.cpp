// The CLO deal reader: the example deals load with the right units; every bad input is reported
// with its JSON field path (or CSV file:line:column) in one error.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/core/mem_files.h"
#include "keel/io/clo_deal_reader.h"

namespace keel::io {
namespace {

std::string examples() { return std::string(KEEL_SOURCE_DIR) + "/examples/clo/"; }

std::string all_details(const Error& e) {
  std::string s = e.what();
  for (const auto& d : e.details()) s += "\n" + d;
  return s;
}

// A minimal valid deal; tests break one thing at a time.
const char* kDeal = R"({
 "name": "t",
 "dates": {"closing": "2025-01-15", "first_payment": "2025-04-15", "reinvestment_end": "2025-01-15",
           "legal_maturity": "2026-01-15"},
 "reference_rate": {"flat": 0.05},
 "target_par": 100,
 "collateral": [{"obligor": "X", "par": 100, "price": 98.5, "spread": 0.04, "maturity": "2030-01-15", "rating": "B2"}],
 "tranches": [{"class": "A", "balance": 80, "spread": 0.015}, {"class": "Sub", "type": "equity", "balance": 20}]
})";

TEST(CloDealReader, ReadsExampleWithInlineCollateral) {
  const CloDealFile f = read_clo_deal(local_files(), examples() + "example_bsl_clo.json");
  EXPECT_EQ(f.deal.name, "Keel Example BSL CLO 2025-1");
  EXPECT_EQ(f.deal.collateral.size(), 160u);
  EXPECT_EQ(f.deal.tranches.size(), 6u);
  EXPECT_TRUE(f.deal.tranches.back().is_equity);
  EXPECT_DOUBLE_EQ(f.deal.tranches.back().price, 0.90);  // 90.0 in percent of par
  EXPECT_DOUBLE_EQ(f.deal.reinvestment.price, 0.995);
  EXPECT_DOUBLE_EQ(*f.deal.tranches[1].oc_trigger, 1.2140);
  EXPECT_TRUE(f.deal.tranches[2].deferrable);
  ASSERT_TRUE(f.scenario.has_value());
  EXPECT_DOUBLE_EQ(f.scenario->cdr, 0.02);
  EXPECT_EQ(f.deal.reinvestment.diversion_class, "E");
  EXPECT_TRUE(f.warnings.empty());
}

TEST(CloDealReader, ReadsCsvCollateral) {
  const CloDealFile f = read_clo_deal(local_files(), examples() + "small_deal.json");
  ASSERT_EQ(f.deal.collateral.size(), 3u);
  EXPECT_EQ(f.deal.collateral[1].obligor, "L2");
  EXPECT_DOUBLE_EQ(f.deal.collateral[1].par, 30e6);
  EXPECT_DOUBLE_EQ(f.deal.collateral[1].price, 0.95);
  EXPECT_EQ(f.deal.collateral[1].rating, clo::MoodysRating::kB3);
  EXPECT_EQ(f.deal.dates.payment_dates.size(), 4u);
}

TEST(CloDealReader, EveryProblemNamesItsField) {
  auto j = std::string(kDeal);
  // Unknown rating, negative par, balances not summing to target_par, payment dates out of order,
  // a waterfall action naming no class, a bad date.
  j.replace(j.find("\"B2\""), 4, "\"BB-\"");
  j.replace(j.find("\"par\": 100"), 10, "\"par\": -5");
  j.replace(j.find("\"balance\": 80"), 13, "\"balance\": 70");
  j.replace(j.find("\"legal_maturity\": \"2026-01-15\""), 30,
            "\"legal_maturity\": \"2026-01-15\", \"payment_dates\": [\"2025-04-15\", \"2025-03-15\"]");
  j.replace(j.find("\"target_par\""), 12,
            "\"waterfall\": {\"interest\": [{\"action\": \"interest\", \"class\": \"Z\"}, {\"action\": \"pay_everyone\"}]}, "
            "\"target_par\"");
  try {
    parse_clo_deal(j, "deal.json", ".");
    FAIL() << "expected invalid_input";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    const std::string s = all_details(e);
    EXPECT_NE(s.find("deal.json: collateral[0].rating: unknown Moody's rating 'BB-'"), std::string::npos) << s;
    EXPECT_NE(s.find("collateral[0].par: must be positive"), std::string::npos) << s;
    EXPECT_NE(s.find("tranches: tranche balances sum to 90.00 but the capital structure (target_par) is 100.00"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("dates.payment_dates[1]: 2025-03-15 is not after the previous date 2025-04-15"), std::string::npos) << s;
    EXPECT_NE(s.find("waterfall.interest[0].class: 'Z' is not a class"), std::string::npos) << s;
    EXPECT_NE(s.find("waterfall.interest[1].action: unknown action 'pay_everyone'"), std::string::npos) << s;
  }
}

TEST(CloDealReader, MissingAndMistypedFields) {
  std::string j = kDeal;
  j.replace(j.find("\"balance\": 80, "), 15, "");
  j.replace(j.find("0.015"), 5, "\"150bp\"");
  try {
    parse_clo_deal(j, "d.json", ".");
    FAIL();
  } catch (const Error& e) {
    const std::string s = all_details(e);
    EXPECT_NE(s.find("tranches[0].balance: is required"), std::string::npos) << s;
    EXPECT_NE(s.find("tranches[0].spread: must be a number"), std::string::npos) << s;
    // The missing balance is not reported a second time by the semantic checks.
    EXPECT_EQ(s.find("tranches[0].balance: must be positive"), std::string::npos) << s;
  }
  EXPECT_THROW(parse_clo_deal("{not json", "d.json", "."), Error);
  try {
    read_clo_deal(local_files(), "/nonexistent/deal.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST(CloDealReader, CsvCollateralErrorsHaveLineAndColumn) {
  MemFiles files;
  files.put("deals/pool.csv", "obligor,par,maturity,rating,spread\nX,100,2030-01-15,B2,0.04\nY,abc,2030-01-15,Q7,0.04\n");
  std::string j = kDeal;
  const auto start = j.find("\"collateral\": [");
  const auto end = j.find("]", start);
  j.replace(start, end - start + 1, "\"collateral\": \"pool.csv\"");
  try {
    parse_clo_deal(j, "d.json", "deals", files);
    FAIL();
  } catch (const Error& e) {
    const std::string s = all_details(e);
    EXPECT_NE(s.find("pool.csv:3:2: par"), std::string::npos) << s;
    EXPECT_NE(s.find("pool.csv:3:4: rating: unknown Moody's rating 'Q7'"), std::string::npos) << s;
  }
  // Without files (a deal in a request body), the path is refused, never opened.
  try {
    parse_clo_deal(j, "d.json", "deals");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_NE(std::string(e.what()).find("collateral: files cannot be named"), std::string::npos) << e.what();
  }
}

TEST(CloDealReader, IndustryCorrelationMatrix) {
  MemFiles files;
  files.put("corr.csv", "industry,Retail,Tech\nRetail,0.3,0.1\nTech,0.1,0.25\n");
  const IndustryCorrelation c = read_industry_correlation(files.open("corr.csv", "industry_correlation"));
  ASSERT_EQ(c.industries.size(), 2u);
  EXPECT_EQ(c.industries[1], "Tech");
  EXPECT_DOUBLE_EQ(c.matrix[0][1], 0.1);
  EXPECT_DOUBLE_EQ(c.matrix[1][1], 0.25);
  files.put("corr.csv", "industry,Retail,Tech\nTech,0.3,1.5\n");
  EXPECT_THROW(read_industry_correlation(files.open("corr.csv", "industry_correlation")), Error);
}

// A pool given apart (a CSV text uploaded beside the deal, or loans already read) replaces the
// document's collateral and is checked with the rest; a cell that is not a number is reported once.
TEST(CloDealReader, CollateralGivenApartAsTextOrLoans) {
  std::ifstream in(examples() + "small_pool.csv");
  const std::string pool((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto loans = parse_clo_collateral_csv(pool, "collateral.csv");
  ASSERT_EQ(loans.size(), 3u);
  EXPECT_EQ(loans[2].obligor, "L3");
  EXPECT_DOUBLE_EQ(loans[2].price, 0.97);
  std::ifstream d(examples() + "small_deal.json");
  const std::string deal((std::istreambuf_iterator<char>(d)), std::istreambuf_iterator<char>());
  // The document names small_pool.csv; with the loans given, no file is opened.
  const CloDealFile f = parse_clo_deal(deal, "deal", loans);
  EXPECT_EQ(f.deal.collateral.size(), 3u);
  EXPECT_DOUBLE_EQ(f.deal.collateral[1].par, 30e6);
  const CloDealFile from_file = read_clo_deal(local_files(), examples() + "small_deal.json");
  EXPECT_EQ(f.deal.collateral[1].price, from_file.deal.collateral[1].price);  // the same bits

  try {
    parse_clo_collateral_csv("obligor,par,maturity,rating\nX,lots,2030-01-15,B2\nY,-5,2030-13-01,B2\n", "collateral.csv");
    FAIL();
  } catch (const Error& e) {
    const std::string s = all_details(e);
    EXPECT_EQ(e.details().size(), 5u) << s;  // par of X once, par of Y, maturity of Y, two spreads
    EXPECT_NE(s.find("collateral.csv:2: spread: required for a floating loan, and the file has no spread column"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("collateral.csv:2:2: par"), std::string::npos) << s;
    EXPECT_NE(s.find("collateral.csv:3:2: par: par must be positive"), std::string::npos) << s;
    EXPECT_NE(s.find("collateral.csv:3:3: maturity"), std::string::npos) << s;
  }
  // Loans that break a rule of the deal are reported with it (the capital structure needs 100m).
  std::vector<clo::Loan> few(loans.begin(), loans.begin() + 1);
  EXPECT_NO_THROW(parse_clo_deal(deal, "deal", few));  // target_par is the notes', not the pool's
  EXPECT_THROW(parse_clo_collateral_csv("obligor,par,maturity,rating\n", "collateral.csv"), Error);  // no loans
}

}  // namespace
}  // namespace keel::io
