// keel/portfolio/country.h: issuers' countries as ISO 3166-1 alpha-2 codes, and the regions they
// are grouped into for allocation (exposures --by country|region).
//
// Providers and files name a country in several ways: "US", "us" (Polygon's locale), "USA",
// "United States" (Yahoo), or a headquarters location "Saint Paul, Minnesota" (the S&P 500
// constituents file). country_code reads the first three; headquarters_country the last, where a
// US state (or D.C.) means the United States and footnote marks ("Virginia[2]") are dropped.
// Regions follow the usual equity-allocation split: North America, Latin America, Europe, Middle
// East & Africa, Asia Pacific.
//
// Thread-safety: stateless functions over constant tables.
#pragma once

#include <string>
#include <string_view>

namespace keel {

// The alpha-2 code of `text` (a code of 2 or 3 letters in any case, or an English name); "" when
// it is not known.
std::string country_code(std::string_view text);

// The country of a headquarters location "City, State" or "City, Country"; "" when not known.
std::string headquarters_country(std::string_view location);

// The region of an alpha-2 code; "" when the code is not in keel's table.
std::string_view region_of(std::string_view code);

}  // namespace keel
