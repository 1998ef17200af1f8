// src/server/http_intake.h (private): turning the bytes of a request into checked values, with no
// I/O — the part of the server that sees hostile input first, kept pure so that the fuzz target
// (fuzz/http_request_fuzz.cpp) exercises exactly what the server runs.
//
// Every function here either returns a value or a refusal naming what was wrong; none throws on
// any input. Limits are documented in docs/security.md.
//
// Thread-safety: pure functions; RouteTable is immutable after it is built.
#pragma once

#include <cstddef>
#include <utility>  // before Beast: Boost 1.74's Asio uses std::exchange without including it

#include <boost/beast/http/message.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_types.h"
#include "keel/io/input.h"

namespace keel::server {

struct IntakeLimits {
  std::size_t max_target_bytes = 8192;   // request line target (path + query); longer: 414
  std::size_t max_header_bytes = 16384;  // all header lines together; larger: 431
  std::size_t max_header_count = 100;    // header fields; more: 431
  std::size_t max_query_params = 100;    // name=value pairs; more: 400
  std::size_t max_json_depth = 64;       // nested arrays/objects in a JSON body; deeper: 400
  std::size_t max_json_elements = 1000000;  // values in a JSON body; more: 400
};

// A refusal: an HTTP status and the sentence for the JSON error body.
struct IntakeError {
  int status = 400;
  std::string message;
  std::vector<std::string> details;
};

// Well-formed UTF-8 (io::utf8_error_offset: no overlongs, surrogates or code points past U+10FFFF).
inline bool valid_utf8(std::string_view text) { return io::utf8_error_offset(text) == std::string_view::npos; }

// Client-supplied text for an error message or a log line: io's bounded, printable rendering
// (invalid UTF-8 and control characters as \xNN, cut with the original length said), unquoted.
inline std::string printable(std::string_view text, std::size_t max_bytes = 200) {
  return io::shown_with(text, max_bytes, 0);
}

// Percent-decodes `text` ('+' as a space when `plus_is_space`); nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Splits the request target into the decoded path and query of `out`. Refuses: a target that is
// not origin-form ("/..."), longer than the limit (414), with a malformed escape, NUL or invalid
// UTF-8 in the path or a query value, or too many parameters.
std::optional<IntakeError> parse_target(std::string_view target, const IntakeLimits& limits, HttpRequest& out);

// application/x-www-form-urlencoded text — a query string, a form body — as its name/value pairs
// in order, each percent-decoded ('+' a space) and valid UTF-8 without NUL; empty pairs skipped.
// Refuses (400) more than `max_params` pairs, a malformed escape or invalid text, naming `what`
// ("query", "form") in the message.
std::optional<IntakeError> parse_form(std::string_view text, std::size_t max_params, std::string_view what,
                                      std::vector<std::pair<std::string, std::string>>& out);

// Takes a parsed request header into `out` (method, target, headers, decoded path and query),
// refusing more header fields than the limit (431) and a target parse_target refuses. What the
// server does with every header it reads, and parse_request below with its bytes.
std::optional<IntakeError> take_header(const boost::beast::http::request_header<>& header, const IntakeLimits& limits,
                                       HttpRequest& out);

// Parses one whole HTTP/1.1 request from `bytes` with the parser settings of the server (header
// and body limits), then applies the header-count and target checks as the server does while
// reading a connection; fills `out` (method, target, path, query, headers, body). For the fuzz
// target and tests: the server itself reads the same way, asynchronously (http_server.cpp).
std::optional<IntakeError> parse_request(std::string_view bytes, const IntakeLimits& limits, std::size_t max_body_bytes,
                                         HttpRequest& out);

// Checks a JSON text's nesting depth and element count without building it (strings and escapes
// are skipped correctly), so a hostile body is refused before the parser allocates for it.
std::optional<IntakeError> check_json_shape(std::string_view body, const IntakeLimits& limits);

// Parses a request body as JSON: an object (or an array when `allow_array`). Throws
// keel::Error::invalid_input naming the byte and the reason for any malformed input, a number
// out of range (1e999), a body too deep or too large; never anything else.
nlohmann::json parse_json_body(std::string_view body, const IntakeLimits& limits, bool allow_array);

// JSON text that cannot throw: ill-formed UTF-8 in strings is replaced by U+FFFD.
std::string dump_json(const nlohmann::json& value);

// The route table: path templates with {params} matched segment by segment (no regular
// expressions, so matching costs O(segments) whatever the input).
class RouteTemplate {
 public:
  explicit RouteTemplate(std::string_view path_template);
  // True (and the params in `matches`, percent-decoded) when `path` — the path as sent, still
  // percent-encoded — fits the template. Segments are split at the slashes that were sent as
  // slashes, then decoded, so a name holding an escaped slash (%2F) is one parameter.
  bool match(std::string_view path, std::vector<std::string>* matches) const;
  const std::vector<std::string>& params() const { return params_; }

 private:
  struct Segment {
    std::string literal;
    bool param = false;
  };
  std::vector<Segment> segments_;
  std::vector<std::string> params_;
};

}  // namespace keel::server
