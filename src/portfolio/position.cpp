#include "keel/portfolio/position.h"
#include "keel/core/strings.h"

#include <algorithm>
#include <cctype>

namespace keel {
namespace {
std::string lower(std::string_view s) { return to_lower(s); }
}  // namespace

std::string_view instrument_type_name(InstrumentType t) {
  switch (t) {
    case InstrumentType::kStock: return "stock";
    case InstrumentType::kEtf: return "etf";
    case InstrumentType::kOption: return "option";
    case InstrumentType::kCash: return "cash";
    case InstrumentType::kOther: return "other";
  }
  return "other";
}

std::optional<InstrumentType> parse_instrument_type(std::string_view text) {
  const std::string t = lower(text);
  if (t == "stock" || t == "equity") return InstrumentType::kStock;
  if (t == "etf" || t == "fund") return InstrumentType::kEtf;
  if (t == "option") return InstrumentType::kOption;
  if (t == "cash") return InstrumentType::kCash;
  if (t == "other") return InstrumentType::kOther;
  return std::nullopt;
}

std::string_view option_right_name(OptionRight r) {
  return r == OptionRight::kCall ? "call" : "put";
}

std::optional<OptionRight> parse_option_right(std::string_view text) {
  const std::string t = lower(text);
  if (t == "call" || t == "c") return OptionRight::kCall;
  if (t == "put" || t == "p") return OptionRight::kPut;
  return std::nullopt;
}

std::string_view exercise_style_name(ExerciseStyle e) {
  return e == ExerciseStyle::kEuropean ? "european" : "american";
}

std::optional<ExerciseStyle> parse_exercise_style(std::string_view text) {
  const std::string t = lower(text);
  if (t == "european" || t == "e") return ExerciseStyle::kEuropean;
  if (t == "american" || t == "a") return ExerciseStyle::kAmerican;
  return std::nullopt;
}

ExerciseStyle default_exercise_style(std::string_view underlying) {
  static constexpr std::string_view kEuropeanIndexes[] = {"SPX", "SPXW", "XSP", "NDX",  "NDXP", "RUT", "RUTW",
                                                          "VIX", "VIXW", "DJX", "XEO", "MXEA", "MXEF"};
  if (!underlying.empty() && underlying.front() == '^') return ExerciseStyle::kEuropean;
  const std::string u = to_upper(underlying);
  for (std::string_view e : kEuropeanIndexes) {
    if (u == e) return ExerciseStyle::kEuropean;
  }
  return ExerciseStyle::kAmerican;
}

}  // namespace keel
