// keel/core/parse.h: strict number parsing for text inputs (CSV cells, flags).
//
// The whole text must be a number: "12.5", "-3", "1e-4"; surrounding blanks are trimmed;
// "12abc", "", "nan" and "inf" are rejected. Locale-independent (std::from_chars).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace keel {

std::string_view trim(std::string_view s);
std::optional<double> parse_double(std::string_view text);
std::optional<std::int64_t> parse_int(std::string_view text);

}  // namespace keel
