// src/server/http_types.h (private): a request and a response as the route handlers see them,
// independent of the HTTP library underneath (Boost.Beast, src/server/http_server.cpp).
//
// HttpRequest holds what a handler may read: the method, the percent-decoded path, the decoded
// query parameters, the headers, the body and the client address. HttpResponse holds what a
// handler writes: a status, headers and a body, or an event stream (server-sent events) that the
// connection hands to the stream hub once the headers are written.
//
// Thread-safety: a request and its response belong to one request at a time; they move between
// the connection's strand and a worker thread, never shared.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keel::server {

// Case-insensitive ASCII comparison of header names.
bool header_name_equal(std::string_view a, std::string_view b);

struct HttpRequest {
  std::string method;  // GET POST PUT PATCH DELETE OPTIONS HEAD (as sent)
  std::string target;  // the raw request target, as sent
  std::string path;    // percent-decoded path, without the query
  std::vector<std::pair<std::string, std::string>> query;    // decoded name=value pairs, in order
  std::vector<std::pair<std::string, std::string>> headers;  // as sent, in order
  std::string body;
  std::string remote_addr;           // the client (the proxy's X-Forwarded-For when trusted)
  std::vector<std::string> matches;  // the route's {params}, in order (set when routed)

  // The first header of that name, or "" when absent.
  std::string get_header_value(std::string_view name) const;
  bool has_header(std::string_view name) const;
  bool has_param(std::string_view name) const;
  // The first query parameter of that name, or "" when absent.
  std::string get_param_value(std::string_view name) const;
};

class EventSink;  // event_hub.h

// An event stream: the events of one job (GET /api/v1/jobs/{id}/events), or of one tenant's
// portfolio changes when `tenant` is set (GET /api/v1/events), which the hub sends, or,
// when `produce` is set, events a function writes itself (POST /api/v1/assistant/messages): it
// runs on a thread of App::streams once the headers are written, pushes to the sink and returns
// when done (the connection then ends the stream).
struct EventStreamSpec {
  std::int64_t job_id = 0;
  std::optional<std::string> tenant;
  std::function<void(const std::shared_ptr<EventSink>& sink)> produce;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::optional<EventStreamSpec> stream;  // set: the body is a server-sent event stream
  bool close = false;                     // close the connection after this response

  // Replaces a header of that name (or adds it).
  void set_header(std::string_view name, std::string value);
  void set_content(std::string content, std::string_view content_type);
  std::string get_header_value(std::string_view name) const;
};

}  // namespace keel::server
