// keel/io/json_input.h: checking a JSON document before it is used.
//
// nlohmann::json throws while parsing for a syntax error and also for a number past the range of
// a double (`1e400`, out_of_range 406), and keeps strings with escaped control characters
// (`"\u0000"`). check_json_text() runs the parser once without building anything and reports the
// first such problem as a Diagnostic with the line, the column and the JSON path of the value
// (e.g. "tranches[2].balance"), so every JSON reader can turn it into bad input (exit 1, HTTP
// 400) instead of an internal error. Strings may hold tab, line feed and carriage return; other
// control characters (U+0000-U+001F, U+007F) are refused, and so are strings longer than 1 MiB.
// Long values are shown cut (shown()).
//
// Thread-safety: stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "keel/core/diagnostics.h"

namespace keel::io {

// The first problem of `text` as a JSON document named `name`, or nullopt when it is valid.
std::optional<Diagnostic> check_json_text(std::string_view text, const std::string& name);

}  // namespace keel::io
