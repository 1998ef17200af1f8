// The test HTTP client (http_client.h) over cpp-httplib's.
#include "http_client.h"

#include <httplib.h>
#include <strings.h>

namespace keel::testing {

bool HeaderNameLess::operator()(const std::string& a, const std::string& b) const {
  return ::strcasecmp(a.c_str(), b.c_str()) < 0;
}

std::string HttpResponse::get_header_value(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

HttpResult HttpClient::send(const std::string& method, const std::string& path, const HttpHeaders& headers,
                            const std::string* body, const std::string& content_type, const Receiver* receiver) {
  httplib::Client c(host_, port_);
  c.set_read_timeout(read_timeout_.first, read_timeout_.second);
  httplib::Headers h(headers.begin(), headers.end());
  httplib::Result r = [&] {
    if (method == "GET" && receiver != nullptr) {
      return c.Get(path, h, [receiver](const char* data, std::size_t n) { return (*receiver)(data, n); });
    }
    if (method == "POST" && receiver != nullptr) {
      httplib::Request req;
      req.method = "POST";
      req.path = path;
      req.headers = h;
      req.body = *body;
      req.set_header("Content-Type", content_type);
      req.content_receiver = [receiver](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
        return (*receiver)(data, n);
      };
      return c.send(req);
    }
    if (method == "GET") return c.Get(path, h);
    if (method == "OPTIONS") return c.Options(path, h);
    if (method == "POST") return c.Post(path, h, *body, content_type);
    if (method == "PUT") return c.Put(path, h, *body, content_type);
    if (method == "PATCH") return c.Patch(path, h, *body, content_type);
    if (body != nullptr) return c.Delete(path, h, *body, content_type);
    return c.Delete(path, h);
  }();
  if (!r) return HttpResult::failed(httplib::to_string(r.error()));
  HttpResponse out;
  out.status = r->status;
  out.body = std::move(r->body);
  out.headers = HttpHeaders(r->headers.begin(), r->headers.end());
  return HttpResult(std::move(out));
}

HttpResult HttpClient::Get(const std::string& path, const HttpHeaders& headers) {
  return send("GET", path, headers, nullptr, "");
}
HttpResult HttpClient::Get(const std::string& path, const HttpHeaders& headers, const Receiver& receiver) {
  return send("GET", path, headers, nullptr, "", &receiver);
}
HttpResult HttpClient::Post(const std::string& path, const HttpHeaders& headers, const std::string& body,
                            const std::string& content_type, const Receiver& receiver) {
  return send("POST", path, headers, &body, content_type, &receiver);
}
HttpResult HttpClient::Post(const std::string& path, const std::string& body, const std::string& content_type) {
  return send("POST", path, {}, &body, content_type);
}
HttpResult HttpClient::Post(const std::string& path, const HttpHeaders& headers, const std::string& body,
                            const std::string& content_type) {
  return send("POST", path, headers, &body, content_type);
}
HttpResult HttpClient::Put(const std::string& path, const HttpHeaders& headers, const std::string& body,
                           const std::string& content_type) {
  return send("PUT", path, headers, &body, content_type);
}
HttpResult HttpClient::Patch(const std::string& path, const HttpHeaders& headers, const std::string& body,
                             const std::string& content_type) {
  return send("PATCH", path, headers, &body, content_type);
}
HttpResult HttpClient::Options(const std::string& path, const HttpHeaders& headers) {
  return send("OPTIONS", path, headers, nullptr, "");
}
HttpResult HttpClient::Delete(const std::string& path, const HttpHeaders& headers) {
  return send("DELETE", path, headers, nullptr, "");
}
HttpResult HttpClient::Delete(const std::string& path, const HttpHeaders& headers, const std::string& body,
                              const std::string& content_type) {
  return send("DELETE", path, headers, &body, content_type);
}

}  // namespace keel::testing
