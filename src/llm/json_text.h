// src/llm/json_text.h (private): JSON from outside, parsed under bounds.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace keel::llm {

// The JSON value of `text`, or nullopt when it is not JSON, nests deeper than 64 levels (the
// parser and the destructor recurse), or holds a number outside a double's range.
std::optional<nlohmann::json> parse_json_bounded(std::string_view text);

}  // namespace keel::llm
