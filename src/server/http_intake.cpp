// Checked decoding of request targets, headers and JSON bodies (see http_intake.h).
#include "http_intake.h"

#include <utility>  // before Beast: Boost 1.74's Asio uses std::exchange without including it

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "keel/core/error.h"
#include "keel/core/strings.h"

namespace keel::server {

// ---------------------------------------------------------------- request and response helpers

bool header_name_equal(std::string_view a, std::string_view b) { return iequals(a, b); }

std::string HttpRequest::get_header_value(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (header_name_equal(k, name)) return v;
  }
  return {};
}

bool HttpRequest::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return header_name_equal(h.first, name); });
}

bool HttpRequest::has_param(std::string_view name) const {
  return std::any_of(query.begin(), query.end(), [&](const auto& q) { return q.first == name; });
}

std::string HttpRequest::get_param_value(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return {};
}

void HttpResponse::set_header(std::string_view name, std::string value) {
  for (auto& [k, v] : headers) {
    if (header_name_equal(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::move(value));
}

void HttpResponse::set_content(std::string content, std::string_view content_type) {
  body = std::move(content);
  set_header("Content-Type", std::string(content_type));
}

std::string HttpResponse::get_header_value(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (header_name_equal(k, name)) return v;
  }
  return {};
}

// ---------------------------------------------------------------- targets

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  const auto hex = [](char ch) -> int {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex(text[i + 1]);
      const int lo = hex(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (ch == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

std::optional<IntakeError> parse_target(std::string_view target, const IntakeLimits& limits, HttpRequest& out) {
  if (target.size() > limits.max_target_bytes) {
    return IntakeError{414, fmt::format("request target over the limit of {} bytes", limits.max_target_bytes), {}};
  }
  if (target.empty() || target.front() != '/') {
    return IntakeError{400, "request target must be a path starting with '/'", {}};
  }
  const std::size_t q = target.find('?');
  const std::string_view raw_path = target.substr(0, q);
  auto path = percent_decode(raw_path, false);
  if (!path) return IntakeError{400, "malformed percent-escape in the path", {"path: " + printable(raw_path)}};
  if (path->find('\0') != std::string::npos || !valid_utf8(*path)) {
    return IntakeError{400, "the path is not valid UTF-8 text", {"path: " + printable(*path)}};
  }
  out.path = std::move(*path);
  out.query.clear();
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = target.substr(q + 1);
  const std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  return parse_form(rest, limits.max_query_params, "query", out.query);
}

std::optional<IntakeError> parse_form(std::string_view text, std::size_t max_params, std::string_view what,
                                      std::vector<std::pair<std::string, std::string>>& out) {
  out.clear();
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    if (out.size() >= max_params) {
      return IntakeError{400, fmt::format("more than {} {} parameters", max_params, what), {}};
    }
    const std::size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!name || !value) {
      return IntakeError{400, fmt::format("malformed percent-escape in the {}", what),
                         {fmt::format("{}: {}", what, printable(pair))}};
    }
    if (!valid_utf8(*name) || !valid_utf8(*value) || name->find('\0') != std::string::npos ||
        value->find('\0') != std::string::npos) {
      return IntakeError{400, fmt::format("a {} parameter is not valid UTF-8 text", what),
                         {printable(*name) + ": not valid UTF-8"}};
    }
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return std::nullopt;
}

std::optional<IntakeError> take_header(const boost::beast::http::request_header<>& header, const IntakeLimits& limits,
                                       HttpRequest& out) {
  out.method = std::string(header.method_string());
  out.target = std::string(header.target());
  out.headers.clear();
  out.headers.reserve(std::min<std::size_t>(
      static_cast<std::size_t>(std::distance(header.begin(), header.end())), limits.max_header_count));
  for (const auto& f : header) {
    if (out.headers.size() >= limits.max_header_count) {
      return IntakeError{431, fmt::format("more than {} header fields", limits.max_header_count), {}};
    }
    out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  }
  return parse_target(out.target, limits, out);
}

std::optional<IntakeError> parse_request(std::string_view bytes, const IntakeLimits& limits, std::size_t max_body_bytes,
                                         HttpRequest& out) {
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header_bytes, UINT32_MAX)));
  parser.body_limit(max_body_bytes);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!parser.is_done() && used < bytes.size()) {
    const std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec == http::error::need_more) break;
    if (ec == http::error::header_limit) {
      return IntakeError{431, fmt::format("request header over the limit of {} bytes", limits.max_header_bytes), {}};
    }
    if (ec == http::error::body_limit) {
      return IntakeError{413, fmt::format("request body over the limit of {} bytes", max_body_bytes), {}};
    }
    if (ec) return IntakeError{400, "malformed HTTP request (" + ec.message() + ")", {}};
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_header_done()) return IntakeError{400, "incomplete HTTP request header", {}};
  const auto& msg = parser.get();
  if (auto bad = take_header(msg, limits, out)) return bad;
  if (!parser.is_done()) return IntakeError{400, "incomplete HTTP request body", {}};
  out.body = msg.body();
  return std::nullopt;
}

// ---------------------------------------------------------------- JSON

std::optional<IntakeError> check_json_shape(std::string_view body, const IntakeLimits& limits) {
  std::size_t depth = 0;
  std::size_t elements = 0;
  bool in_string = false;
  bool in_scalar = false;  // inside a number or literal (counted once)
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        in_scalar = false;
        ++elements;
        break;
      case '{':
      case '[':
        in_scalar = false;
        ++elements;
        if (++depth > limits.max_json_depth) {
          return IntakeError{400, "the request body is not valid JSON",
                             {fmt::format("body: nested deeper than {} levels (byte {})", limits.max_json_depth, i + 1)}};
        }
        break;
      case '}':
      case ']':
        in_scalar = false;
        if (depth > 0) --depth;
        break;
      case ',':
      case ':':
      case ' ':
      case '\t':
      case '\r':
      case '\n':
        in_scalar = false;
        break;
      default:
        if (!in_scalar) {
          in_scalar = true;
          ++elements;
        }
    }
    if (elements > limits.max_json_elements) {
      return IntakeError{400, "the request body is not valid JSON",
                         {fmt::format("body: more than {} values", limits.max_json_elements)}};
    }
  }
  return std::nullopt;
}

nlohmann::json parse_json_body(std::string_view body, const IntakeLimits& limits, bool allow_array) {
  if (auto bad = check_json_shape(body, limits)) throw Error::invalid_input(bad->message, bad->details);
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() quotes the offending bytes; keep them printable.
    throw Error::invalid_input("the request body is not valid JSON",
                               {fmt::format("body: byte {}: {}", e.byte, printable(e.what(), 300))});
  } catch (const nlohmann::json::exception& e) {
    // out_of_range 406 (a number such as 1e999 beyond double) and anything else of the parser's.
    throw Error::invalid_input("the request body is not valid JSON",
                               {"body: " + printable(e.what(), 300) + " (numbers must fit a double)"});
  }
  if (!value.is_object() && !(allow_array && value.is_array())) {
    throw Error::invalid_input(allow_array ? "the request body must be a JSON object or array"
                                           : "the request body must be a JSON object",
                               {allow_array ? "body: expected an object or an array" : "body: expected an object"});
  }
  return value;
}

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---------------------------------------------------------------- routes

RouteTemplate::RouteTemplate(std::string_view path_template) {
  std::size_t i = 0;
  while (i < path_template.size()) {
    if (path_template[i] == '/') {
      ++i;
      continue;
    }
    const std::size_t end = std::min(path_template.find('/', i), path_template.size());
    const std::string_view seg = path_template.substr(i, end - i);
    Segment s;
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      s.param = true;
      params_.emplace_back(seg.substr(1, seg.size() - 2));
    } else {
      s.literal = std::string(seg);
    }
    segments_.push_back(std::move(s));
    i = end;
  }
}

bool RouteTemplate::match(std::string_view path, std::vector<std::string>* matches) const {
  if (path.empty() || path.front() != '/') return false;
  if (segments_.empty()) return path == "/";
  std::vector<std::string> found;
  std::size_t i = 1;
  for (std::size_t k = 0; k < segments_.size(); ++k) {
    if (i > path.size()) return false;
    const std::size_t end = std::min(path.find('/', i), path.size());
    const std::string_view raw = path.substr(i, end - i);
    // Every route is tried in turn: a literal segment sent without escapes is compared as sent,
    // with nothing decoded or copied.
    if (!segments_[k].param && raw.find('%') == std::string_view::npos) {
      if (raw != segments_[k].literal) return false;
      i = end + 1;
      continue;
    }
    // Split first, then decode: an escaped slash (%2F) belongs to its segment ("a%2Fb" is the
    // name "a/b"), never starts another one.
    auto seg = percent_decode(raw, false);
    if (!seg) return false;
    if (segments_[k].param) {
      if (seg->empty()) return false;
      if (found.empty()) found.reserve(params_.size());
      found.push_back(std::move(*seg));
    } else if (*seg != segments_[k].literal) {
      return false;
    }
    i = end + 1;
  }
  // The whole path must be used (a trailing slash is a different path).
  if (i != path.size() + 1) return false;
  if (matches) *matches = std::move(found);
  return true;
}

}  // namespace keel::server
