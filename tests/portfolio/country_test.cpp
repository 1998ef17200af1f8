// Countries and regions (keel/portfolio/country.h): the ways providers and files name a country.
#include "keel/portfolio/country.h"

#include <gtest/gtest.h>

namespace keel {
namespace {

TEST(Country, CodesNamesAndProvidersSpellingsAllMeanOneCode) {
  EXPECT_EQ(country_code("US"), "US");
  EXPECT_EQ(country_code("us"), "US");  // Polygon's locale
  EXPECT_EQ(country_code("USA"), "US");
  EXPECT_EQ(country_code("United States"), "US");  // Yahoo's
  EXPECT_EQ(country_code(" united kingdom "), "GB");
  EXPECT_EQ(country_code("UK"), "GB");
  EXPECT_EQ(country_code("IRL"), "IE");
  EXPECT_EQ(country_code("Netherlands"), "NL");
  EXPECT_EQ(country_code("Atlantis"), "");
  EXPECT_EQ(country_code(""), "");
  EXPECT_EQ(country_code("X"), "");
}

// The S&P 500 constituents file's "Headquarters Location": a US state means the United States.
TEST(Country, AHeadquartersLocationNamesAStateOrACountry) {
  EXPECT_EQ(headquarters_country("Saint Paul, Minnesota"), "US");
  EXPECT_EQ(headquarters_country("Atlanta, Georgia"), "US");  // the state, not the country
  EXPECT_EQ(headquarters_country("Reston, Virginia[2]"), "US");  // a footnote mark
  EXPECT_EQ(headquarters_country("Washington, D.C."), "US");
  EXPECT_EQ(headquarters_country("Dublin, Ireland"), "IE");
  EXPECT_EQ(headquarters_country("Hamilton, Bermuda"), "BM");
  EXPECT_EQ(headquarters_country("Schaffhausen, Switzerland"), "CH");
  EXPECT_EQ(headquarters_country("none"), "");
}

TEST(Country, RegionsFollowTheEquityAllocationSplit) {
  EXPECT_EQ(region_of("US"), "North America");
  EXPECT_EQ(region_of("CA"), "North America");
  EXPECT_EQ(region_of("BR"), "Latin America");
  EXPECT_EQ(region_of("IE"), "Europe");
  EXPECT_EQ(region_of("CH"), "Europe");
  EXPECT_EQ(region_of("IL"), "Middle East & Africa");
  EXPECT_EQ(region_of("ZA"), "Middle East & Africa");
  EXPECT_EQ(region_of("JP"), "Asia Pacific");
  EXPECT_EQ(region_of("AU"), "Asia Pacific");
  EXPECT_EQ(region_of("ZZ"), "");
  EXPECT_EQ(region_of(""), "");
}

}  // namespace
}  // namespace keel
