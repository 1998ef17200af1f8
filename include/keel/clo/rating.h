// keel/clo/rating.h: Moody's long-term ratings and their rating factors for CLO quality tests.
//
// The rating factor table is Moody's "Moody's Global Approach to Rating Collateralized Loan
// Obligations" (rating factor table used in the WARF test of US BSL CLO indentures):
// Aaa 1, Aa1 10, Aa2 20, Aa3 40, A1 70, A2 120, A3 180, Baa1 260, Baa2 360, Baa3 610, Ba1 940,
// Ba2 1350, Ba3 1766, B1 2220, B2 2720, B3 3490, Caa1 4770, Caa2 6500, Caa3 8070, Ca 10000, C 10000.
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <optional>
#include <string_view>

namespace keel::clo {

enum class MoodysRating {
  kAaa, kAa1, kAa2, kAa3, kA1, kA2, kA3, kBaa1, kBaa2, kBaa3, kBa1, kBa2, kBa3,
  kB1, kB2, kB3, kCaa1, kCaa2, kCaa3, kCa, kC
};

// Parses "Aaa" ... "C" (exact Moody's spelling, case-insensitive); nullopt for anything else
// (S&P-style "BB-" is not accepted: the tests of this module are Moody's tests).
std::optional<MoodysRating> parse_moodys_rating(std::string_view text);
// A Moody's rating or an S&P (or Fitch) rating mapped to the Moody's notch of the same rank:
// AAA Aaa, AA+ Aa1, AA Aa2, AA- Aa3, A+ A1, A A2, A- A3, BBB+ Baa1, BBB Baa2, BBB- Baa3, BB+ Ba1,
// BB Ba2, BB- Ba3, B+ B1, B B2, B- B3, CCC+ Caa1, CCC Caa2, CCC- Caa3, CC Ca, C C
// (case-insensitive). nullopt for anything else (D and SD, a default, included).
std::optional<MoodysRating> parse_rating_any_scale(std::string_view text);
// An S&P (or Fitch) rating only, "AAA" ... "C", as the Moody's notch of the same rank.
std::optional<MoodysRating> parse_sp_rating(std::string_view text);
// The S&P rating of the same rank as `r` (Aa1 -> "AA+").
std::string_view sp_rating_name(MoodysRating r);
std::string_view rating_name(MoodysRating r);
// Moody's rating factor (dimensionless, 1 .. 10000).
double rating_factor(MoodysRating r);
// True for Caa1 and below (Caa1, Caa2, Caa3, Ca, C): the "CCC/Caa" bucket of the indenture.
inline bool is_caa_or_below(MoodysRating r) { return r >= MoodysRating::kCaa1; }

}  // namespace keel::clo
