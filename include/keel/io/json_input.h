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
// csv_of_json_rows() turns rows sent as JSON objects into CSV text, so that they go through the
// same validating reader (and its line and column errors) as a CSV file.
//
// Thread-safety: stateless.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "keel/core/diagnostics.h"

namespace keel {
class Files;  // keel/core/env.h
}  // namespace keel

namespace keel::io {

// The first problem of `text` as a JSON document named `name`, or nullopt when it is valid.
std::optional<Diagnostic> check_json_text(std::string_view text, const std::string& name);

// The JSON document of the file `path` (read_text_file's rules and limit, kMaxJsonInputBytes; `field`
// and `what` name it in its errors); a syntax error is invalid_input "PATH: invalid WHAT" naming
// PATH:line:column.
nlohmann::json read_json_file(const keel::Files& files, const std::string& path, const std::string& field,
                              std::string_view what);

// A JSON array of row objects as CSV text: the header is the union of the keys in first-seen
// order (within a row, its object's order: nlohmann::json keeps keys sorted; the readers find
// columns by name), cells are written by keel/core/csv_writer.h, a null or missing cell is empty, and row i of the array is line
// i + 2 of the text. A cell is a string or a number; a column named in `list_columns` may also
// hold an array, whose items are joined with ';'. A row that is not an object, or a nested value,
// is refused: one invalid_input titled "invalid <what>", a problem per place named `path[i].key`.
std::string csv_of_json_rows(const nlohmann::json& rows, std::string_view what, std::string_view path = "",
                             std::initializer_list<std::string_view> list_columns = {});

}  // namespace keel::io
