// Countries and regions (keel/portfolio/country.h).
#include "keel/portfolio/country.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <utility>

namespace keel {
namespace {

struct Country {
  std::string_view alpha2, alpha3, name, region;
};

constexpr std::string_view kNorthAmerica = "North America";
constexpr std::string_view kLatinAmerica = "Latin America";
constexpr std::string_view kEurope = "Europe";
constexpr std::string_view kMiddleEastAfrica = "Middle East & Africa";
constexpr std::string_view kAsiaPacific = "Asia Pacific";

// The listing countries of the world's equity markets and the domiciles companies choose.
constexpr Country kCountries[] = {
    {"US", "USA", "united states", kNorthAmerica},    {"CA", "CAN", "canada", kNorthAmerica},
    {"BM", "BMU", "bermuda", kNorthAmerica},          {"MX", "MEX", "mexico", kLatinAmerica},
    {"BR", "BRA", "brazil", kLatinAmerica},           {"AR", "ARG", "argentina", kLatinAmerica},
    {"CL", "CHL", "chile", kLatinAmerica},            {"CO", "COL", "colombia", kLatinAmerica},
    {"PE", "PER", "peru", kLatinAmerica},             {"PA", "PAN", "panama", kLatinAmerica},
    {"UY", "URY", "uruguay", kLatinAmerica},          {"KY", "CYM", "cayman islands", kLatinAmerica},
    {"BS", "BHS", "bahamas", kLatinAmerica},          {"PR", "PRI", "puerto rico", kNorthAmerica},
    {"GB", "GBR", "united kingdom", kEurope},         {"IE", "IRL", "ireland", kEurope},
    {"DE", "DEU", "germany", kEurope},                {"FR", "FRA", "france", kEurope},
    {"NL", "NLD", "netherlands", kEurope},            {"CH", "CHE", "switzerland", kEurope},
    {"IT", "ITA", "italy", kEurope},                  {"ES", "ESP", "spain", kEurope},
    {"PT", "PRT", "portugal", kEurope},               {"BE", "BEL", "belgium", kEurope},
    {"LU", "LUX", "luxembourg", kEurope},             {"AT", "AUT", "austria", kEurope},
    {"SE", "SWE", "sweden", kEurope},                 {"NO", "NOR", "norway", kEurope},
    {"DK", "DNK", "denmark", kEurope},                {"FI", "FIN", "finland", kEurope},
    {"IS", "ISL", "iceland", kEurope},                {"PL", "POL", "poland", kEurope},
    {"CZ", "CZE", "czech republic", kEurope},         {"HU", "HUN", "hungary", kEurope},
    {"GR", "GRC", "greece", kEurope},                 {"RO", "ROU", "romania", kEurope},
    {"JE", "JEY", "jersey", kEurope},                 {"GG", "GGY", "guernsey", kEurope},
    {"IM", "IMN", "isle of man", kEurope},            {"MC", "MCO", "monaco", kEurope},
    {"CY", "CYP", "cyprus", kEurope},                 {"MT", "MLT", "malta", kEurope},
    {"RU", "RUS", "russia", kEurope},                 {"TR", "TUR", "turkey", kEurope},
    {"UA", "UKR", "ukraine", kEurope},                {"IL", "ISR", "israel", kMiddleEastAfrica},
    {"AE", "ARE", "united arab emirates", kMiddleEastAfrica}, {"SA", "SAU", "saudi arabia", kMiddleEastAfrica},
    {"QA", "QAT", "qatar", kMiddleEastAfrica},        {"KW", "KWT", "kuwait", kMiddleEastAfrica},
    {"EG", "EGY", "egypt", kMiddleEastAfrica},        {"ZA", "ZAF", "south africa", kMiddleEastAfrica},
    {"NG", "NGA", "nigeria", kMiddleEastAfrica},      {"KE", "KEN", "kenya", kMiddleEastAfrica},
    {"MA", "MAR", "morocco", kMiddleEastAfrica},      {"JP", "JPN", "japan", kAsiaPacific},
    {"CN", "CHN", "china", kAsiaPacific},             {"HK", "HKG", "hong kong", kAsiaPacific},
    {"TW", "TWN", "taiwan", kAsiaPacific},            {"KR", "KOR", "south korea", kAsiaPacific},
    {"SG", "SGP", "singapore", kAsiaPacific},         {"IN", "IND", "india", kAsiaPacific},
    {"AU", "AUS", "australia", kAsiaPacific},         {"NZ", "NZL", "new zealand", kAsiaPacific},
    {"ID", "IDN", "indonesia", kAsiaPacific},         {"MY", "MYS", "malaysia", kAsiaPacific},
    {"TH", "THA", "thailand", kAsiaPacific},          {"PH", "PHL", "philippines", kAsiaPacific},
    {"VN", "VNM", "vietnam", kAsiaPacific},           {"PK", "PAK", "pakistan", kAsiaPacific},
    {"MO", "MAC", "macau", kAsiaPacific},             {"KZ", "KAZ", "kazakhstan", kAsiaPacific},
    {"LK", "LKA", "sri lanka", kAsiaPacific},         {"BD", "BGD", "bangladesh", kAsiaPacific},
    {"GE", "GEO", "georgia", kEurope},
};

// Other names of the same countries, as providers write them.
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"united states of america", "US"}, {"usa", "US"},  {"u.s.", "US"},         {"u.s.a.", "US"},
    {"uk", "GB"},                     {"great britain", "GB"}, {"england", "GB"}, {"scotland", "GB"},
    {"the netherlands", "NL"},        {"korea", "KR"},   {"republic of korea", "KR"}, {"czechia", "CZ"},
};

// The US states and the District of Columbia, as a headquarters location names them.
constexpr std::string_view kUsStates[] = {
    "alabama",       "alaska",        "arizona",      "arkansas",       "california",     "colorado",
    "connecticut",   "delaware",      "florida",      "georgia",        "hawaii",         "idaho",
    "illinois",      "indiana",       "iowa",         "kansas",         "kentucky",       "louisiana",
    "maine",         "maryland",      "massachusetts", "michigan",      "minnesota",      "mississippi",
    "missouri",      "montana",       "nebraska",     "nevada",         "new hampshire",  "new jersey",
    "new mexico",    "new york",      "north carolina", "north dakota", "ohio",           "oklahoma",
    "oregon",        "pennsylvania",  "rhode island", "south carolina", "south dakota",   "tennessee",
    "texas",         "utah",          "vermont",      "virginia",       "washington",     "west virginia",
    "wisconsin",     "wyoming",       "d.c.",         "district of columbia", "washington, d.c.",
};

std::string lower_trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::string country_code(std::string_view text) {
  const std::string t = lower_trimmed(text);
  if (t.empty()) return "";
  for (const Country& c : kCountries) {
    if (t == c.name) return std::string(c.alpha2);
    if (t.size() == 2 && t[0] == std::tolower(c.alpha2[0]) && t[1] == std::tolower(c.alpha2[1])) {
      return std::string(c.alpha2);
    }
    if (t.size() == 3 && t[0] == std::tolower(c.alpha3[0]) && t[1] == std::tolower(c.alpha3[1]) &&
        t[2] == std::tolower(c.alpha3[2])) {
      return std::string(c.alpha2);
    }
  }
  for (const auto& [alias, code] : kAliases) {
    if (t == alias) return std::string(code);
  }
  return "";
}

std::string headquarters_country(std::string_view location) {
  std::string_view last = location;
  if (const auto comma = location.rfind(','); comma != std::string_view::npos) last = location.substr(comma + 1);
  if (const auto mark = last.find('['); mark != std::string_view::npos) last = last.substr(0, mark);  // "Virginia[2]"
  const std::string t = lower_trimmed(last);
  if (std::find(std::begin(kUsStates), std::end(kUsStates), t) != std::end(kUsStates)) return "US";
  return country_code(t);
}

std::string_view region_of(std::string_view code) {
  for (const Country& c : kCountries) {
    if (c.alpha2 == code) return c.region;
  }
  return "";
}

}  // namespace keel
