// libFuzzer target: the request intake of `keel serve` — Beast's parser with the server's limits,
// target and query decoding, UTF-8 checks, route matching over the API's path templates, and the
// JSON body checks and parse — on arbitrary bytes. Nothing may crash, hang or throw anything but
// keel::Error(invalid_input) from the JSON body parse.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "../src/server/http_intake.h"
#include "keel/core/error.h"

namespace {

const keel::server::RouteTemplate* routes() {
  static const keel::server::RouteTemplate table[] = {
      keel::server::RouteTemplate("/api/v1/portfolios/{id}/risk/var"),
      keel::server::RouteTemplate("/api/v1/jobs/{id}/events"),
      keel::server::RouteTemplate("/api/v1/accounts/{id}/export/{kind}"),
      keel::server::RouteTemplate("/api/v1/alm/sessions/{id}"),
      keel::server::RouteTemplate("/healthz"),
      keel::server::RouteTemplate("/"),
  };
  return table;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keel::server;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  IntakeLimits limits;
  limits.max_json_elements = 10000;
  HttpRequest req;
  if (parse_request(bytes, limits, 1u << 16, req)) return 0;
  std::vector<std::string> matches;
  for (int i = 0; i < 6; ++i) routes()[i].match(std::string_view(req.target).substr(0, req.target.find('?')), &matches);
  (void)printable(req.path);
  (void)req.get_header_value("Content-Type");
  try {
    const auto body = parse_json_body(req.body, limits, true);
    (void)dump_json(body);
  } catch (const keel::Error& e) {
    if (e.code() != keel::ErrorCode::kInvalidInput) __builtin_trap();
  }
  return 0;
}
