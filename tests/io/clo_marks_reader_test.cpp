// CLO rating marks, price marks, migration matrices and pair correlations: the example files load
// with the right units; every bad cell is named by file:line:column; nothing is returned from a
// file with any problem.
#include <gtest/gtest.h>

#include <string>

#include "keel/core/error.h"
#include "keel/core/mem_files.h"
#include "keel/io/clo_marks_reader.h"

namespace keel::io {
namespace {

std::string all_details(const Error& e) {
  std::string s = e.what();
  for (const auto& d : e.details()) s += "\n" + d;
  return s;
}

template <class F>
std::string problems(F f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    return all_details(e);
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(CloMarksReader, ReadsRatingsOnBothScales) {
  const auto r = parse_clo_rating_marks("as_of,obligor,rating\n2026-03-31,X,B-\n2026-03-31,Y,Caa2\n2026-06-30,X,CCC+\n",
                                        "ratings.csv");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].rating, clo::MoodysRating::kB3);
  EXPECT_EQ(r[1].rating, clo::MoodysRating::kCaa2);
  EXPECT_EQ(r[2].rating, clo::MoodysRating::kCaa1);
  EXPECT_EQ(r[2].as_of, Date::from_ymd(2026, 6, 30));
}

TEST(CloMarksReader, RatingErrorsHaveLineAndColumn) {
  const std::string s = problems([] {
    parse_clo_rating_marks("as_of,obligor,rating\n2026-03-31,X,D\n2026-13-01,Y,B2\n2026-03-31,,B2\n2026-03-31,X,B1\n",
                           "ratings.csv");
  });
  EXPECT_NE(s.find("ratings.csv:2:3: rating: unknown rating 'D'"), std::string::npos) << s;
  EXPECT_NE(s.find("ratings.csv:3:1: as_of"), std::string::npos) << s;
  EXPECT_NE(s.find("ratings.csv:4:2: obligor: obligor must not be empty"), std::string::npos) << s;
  EXPECT_NE(s.find("ratings.csv:5:2: obligor: a second rating of this obligor on 2026-03-31 (first on line 2)"),
            std::string::npos)
      << s;
  EXPECT_NE(problems([] { parse_clo_rating_marks("as_of,obligor\n2026-03-31,X\n", "r.csv"); }).find("rating"),
            std::string::npos);
  EXPECT_NE(problems([] { parse_clo_rating_marks("as_of,obligor,rating\n", "r.csv"); }).find("no rows"),
            std::string::npos);
}

TEST(CloMarksReader, PricesArePercentOfPar) {
  const auto m = parse_clo_price_marks("as_of,obligor,price\n2026-03-31,X,62.5\n", "marks.csv");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_DOUBLE_EQ(m[0].price, 0.625);
  const std::string s = problems([] {
    parse_clo_price_marks("as_of,obligor,price\n2026-03-31,X,-3\n2026-03-31,Y,abc\n2026-03-31,Z,\n", "marks.csv");
  });
  EXPECT_NE(s.find("marks.csv:2:3: price: price must be positive"), std::string::npos) << s;
  EXPECT_NE(s.find("marks.csv:3:3: price"), std::string::npos) << s;
  EXPECT_NE(s.find("marks.csv:4:3: price"), std::string::npos) << s;
}

TEST(CloMarksReader, MigrationMatrix) {
  const auto m = parse_clo_migration_matrix("from,B2,CCC+\nB2,0.9,0.1\nCaa1,0.2,0.8\n", "migration.csv");
  ASSERT_EQ(m.states.size(), 2u);
  EXPECT_EQ(m.states[1], clo::MoodysRating::kCaa1);
  EXPECT_DOUBLE_EQ(m.probability[2], 0.2);
  std::string s = problems([] { parse_clo_migration_matrix("from,B2,Caa1\nB2,0.9,0.2\nCaa1,20,80\n", "m.csv"); });
  EXPECT_NE(s.find("m.csv:2: the row sums to 1.1; a row of a migration matrix must sum to 1"), std::string::npos) << s;
  EXPECT_NE(s.find("m.csv:3:3: Caa1: a probability must lie in [0, 1] (a fraction, not percent)"), std::string::npos) << s;
  s = problems([] { parse_clo_migration_matrix("from,B2,Caa1\nCaa1,0.2,0.8\nB2,0.9,0.1\n", "m.csv"); });
  EXPECT_NE(s.find("m.csv:2:1: from: row 1 must be B2"), std::string::npos) << s;
  s = problems([] { parse_clo_migration_matrix("from,B2,Q\nB2,0.9,0.1\n", "m.csv"); });
  EXPECT_NE(s.find("m.csv:1:3: Q: unknown rating"), std::string::npos) << s;
  EXPECT_NE(s.find("expected 2 rows"), std::string::npos) << s;
  s = problems([] { parse_clo_migration_matrix("rating,B2\nB2,1\n", "m.csv"); });
  EXPECT_NE(s.find("m.csv:1:1: expected a header from,<rating 1>"), std::string::npos) << s;
  // Well formed but with no real root: the eigenvalue -1 of a swap.
  s = problems([] { parse_clo_migration_matrix("from,B2,Caa1\nB2,0,1\nCaa1,1,0\n", "m.csv"); });
  EXPECT_NE(s.find("eigenvalue"), std::string::npos) << s;
}

TEST(CloMarksReader, PairCorrelations) {
  const auto p = parse_clo_pair_correlations("obligor_a,obligor_b,correlation\nX,Y,0.45\n", "pairs.csv");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].obligor_b, "Y");
  EXPECT_DOUBLE_EQ(p[0].correlation, 0.45);
  const std::string s = problems([] {
    parse_clo_pair_correlations("obligor_a,obligor_b,correlation\nX,X,0.2\nX,Y,1.5\nY,Z,0.1\nZ,Y,0.2\n", "pairs.csv");
  });
  EXPECT_NE(s.find("pairs.csv:2:2: obligor_b: a pair needs two different obligors"), std::string::npos) << s;
  EXPECT_NE(s.find("pairs.csv:3:3: correlation: a correlation must lie in [-1, 1]"), std::string::npos) << s;
  EXPECT_NE(s.find("pairs.csv:5: this pair is already on line 4"), std::string::npos) << s;
}

TEST(CloMarksReader, ExampleFilesLoad) {
  const std::string dir = std::string(KEEL_SOURCE_DIR) + "/examples/clo/";
  const Files& files = local_files();
  EXPECT_GT(read_clo_rating_marks(files.open(dir + "ratings.csv", "ratings")).size(), 10u);
  EXPECT_GT(read_clo_price_marks(files.open(dir + "marks.csv", "marks")).size(), 10u);
  EXPECT_EQ(read_clo_migration_matrix(files.open(dir + "migration.csv", "migration")).states.size(), 10u);
  EXPECT_GT(read_clo_pair_correlations(files.open(dir + "pair_correlation.csv", "pairs")).size(), 3u);
}

}  // namespace
}  // namespace keel::io
