// tests/support/http_client.h: a small blocking HTTP/1.1 client for the tests that talk to a real
// `keel serve` on loopback. It reads like cpp-httplib's client (Get/Post/Put/Delete returning a
// result that tests with `if (r)` and reads `r->status`, `r->body`, `r->get_header_value(...)`),
// which implements it (http_client.cpp), but keeps httplib.h — a header of well over 100,000
// preprocessed lines with the system headers it pulls in — out of every test file that only sends
// requests. Tests that need more (streamed bodies, a loopback server of their own) include
// <httplib.h> themselves.
//
// Thread-safety: one HttpClient per thread; results are plain values.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace keel::testing {

// Header names compare without regard to case, as HTTP defines them.
struct HeaderNameLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using HttpHeaders = std::multimap<std::string, std::string, HeaderNameLess>;

struct HttpResponse {
  int status = 0;
  std::string body;
  HttpHeaders headers;

  bool has_header(const std::string& name) const { return headers.find(name) != headers.end(); }
  // The first value of header `name`, or "" when it is absent.
  std::string get_header_value(const std::string& name) const;
};

// A response, or the reason none came (connection refused, timed out, reset).
class HttpResult {
 public:
  HttpResult() = default;
  explicit HttpResult(HttpResponse r) : response_(std::move(r)) {}
  static HttpResult failed(std::string reason) {
    HttpResult out;
    out.error_ = std::move(reason);
    return out;
  }

  explicit operator bool() const { return response_.has_value(); }
  const HttpResponse* operator->() const { return &*response_; }
  HttpResponse* operator->() { return &*response_; }
  const HttpResponse& operator*() const { return *response_; }
  const std::string& error() const { return error_; }

 private:
  std::optional<HttpResponse> response_;
  std::string error_;
};

class HttpClient {
 public:
  HttpClient(std::string host, int port) : host_(std::move(host)), port_(port) {}

  void set_read_timeout(int seconds, int microseconds = 0) { read_timeout_ = {seconds, microseconds}; }

  HttpResult Get(const std::string& path, const HttpHeaders& headers = {});
  // GET whose body is handed to `receiver` as it arrives (a stream of server-sent events) instead
  // of kept; `receiver` returns false to stop reading.
  using Receiver = std::function<bool(const char* data, std::size_t size)>;
  HttpResult Get(const std::string& path, const HttpHeaders& headers, const Receiver& receiver);
  HttpResult Post(const std::string& path, const std::string& body, const std::string& content_type);
  HttpResult Post(const std::string& path, const HttpHeaders& headers, const std::string& body,
                  const std::string& content_type);
  // POST whose answer is handed to `receiver` as it arrives (the assistant's event stream).
  HttpResult Post(const std::string& path, const HttpHeaders& headers, const std::string& body,
                  const std::string& content_type, const Receiver& receiver);
  HttpResult Put(const std::string& path, const HttpHeaders& headers, const std::string& body,
                 const std::string& content_type);
  HttpResult Patch(const std::string& path, const HttpHeaders& headers, const std::string& body,
                   const std::string& content_type);
  HttpResult Options(const std::string& path, const HttpHeaders& headers = {});
  HttpResult Delete(const std::string& path, const HttpHeaders& headers = {});
  HttpResult Delete(const std::string& path, const HttpHeaders& headers, const std::string& body,
                    const std::string& content_type);

 private:
  // Sends one request (a body only for POST, PUT, PATCH and a DELETE with one).
  HttpResult send(const std::string& method, const std::string& path, const HttpHeaders& headers,
                  const std::string* body, const std::string& content_type, const Receiver* receiver = nullptr);

  std::string host_;
  int port_;
  std::pair<int, int> read_timeout_{30, 0};
};

}  // namespace keel::testing
