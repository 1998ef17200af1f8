// Private to keel_io: shown() (keel/io/input.h) with another quote character.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace keel::io {

// Like shown(value, max_chars), enclosed in `quote` ('\0': no quotes).
std::string shown_with(std::string_view value, std::size_t max_chars, char quote);

}  // namespace keel::io
