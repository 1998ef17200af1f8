// Moody's ratings and rating factors (see keel/clo/rating.h for the source table).
#include "keel/clo/rating.h"
#include "keel/core/strings.h"

#include <array>
#include <cctype>
#include <cstddef>

namespace keel::clo {
namespace {

struct RatingRow {
  std::string_view name;
  double factor;
};

constexpr std::array<RatingRow, 21> kRatings{{
    {"Aaa", 1},     {"Aa1", 10},    {"Aa2", 20},    {"Aa3", 40},    {"A1", 70},
    {"A2", 120},    {"A3", 180},    {"Baa1", 260},  {"Baa2", 360},  {"Baa3", 610},
    {"Ba1", 940},   {"Ba2", 1350},  {"Ba3", 1766},  {"B1", 2220},   {"B2", 2720},
    {"B3", 3490},   {"Caa1", 4770}, {"Caa2", 6500}, {"Caa3", 8070}, {"Ca", 10000},
    {"C", 10000},
}};

// S&P scale in Moody's order (index = MoodysRating).
constexpr std::array<std::string_view, 21> kSp{
    "AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-", "BB+",
    "BB",  "BB-", "B+", "B",   "B-", "CCC+", "CCC", "CCC-", "CC", "C"};

}  // namespace

std::optional<MoodysRating> parse_moodys_rating(std::string_view text) {
  for (std::size_t i = 0; i < kRatings.size(); ++i) {
    if (iequals(text, kRatings[i].name)) return static_cast<MoodysRating>(i);
  }
  return std::nullopt;
}

std::optional<MoodysRating> parse_rating_any_scale(std::string_view text) {
  if (const auto r = parse_moodys_rating(text)) return r;
  return parse_sp_rating(text);
}

std::optional<MoodysRating> parse_sp_rating(std::string_view text) {
  for (std::size_t i = 0; i < kSp.size(); ++i) {
    if (iequals(text, kSp[i])) return static_cast<MoodysRating>(i);
  }
  return std::nullopt;
}

std::string_view sp_rating_name(MoodysRating r) { return kSp[static_cast<std::size_t>(r)]; }

std::string_view rating_name(MoodysRating r) { return kRatings[static_cast<std::size_t>(r)].name; }

double rating_factor(MoodysRating r) { return kRatings[static_cast<std::size_t>(r)].factor; }

}  // namespace keel::clo
