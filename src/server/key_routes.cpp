// The caller's tenant's API keys in the key vault (admins only, permission manage_keys):
// GET /api/v1/keys (names, fingerprints, origins), PUT /api/v1/keys/{name} {"value": "...",
// "origins": [...]} (set or replace), PUT /api/v1/keys/{name}/origins (where it may be sent),
// DELETE /api/v1/keys/{name}. The use cases (keel/service/keys.h) check manage_keys again and write
// key.set / key.bind / key.delete by name only; no response, error or log line carries a value
// (docs/security.md "Keys").
#include <sodium.h>

#include "app.h"
#include "keel/service/keys.h"

namespace keel::server {
namespace {

// The body of PUT /api/v1/keys/{name}. The JSON parser's own messages quote the bytes around a
// syntax error, and a field name may be anything the client typed — possibly the key itself — so
// the details of a refused body are rewritten to name what was expected, never what was sent.
void read_key_body(Call& c, service::KeySetRequest& req) {
  try {
    spec::read_json(c.json_body(), req, "key");
  } catch (const Error& e) {
    std::vector<std::string> details;
    for (const auto& d : e.details()) {
      details.push_back(d.rfind("value: ", 0) == 0 || d.rfind("origins", 0) == 0
                            ? d
                            : "body: expected {\"value\": \"<the key>\", \"origins\": [...]} and no other field");
    }
    if (details.empty()) details.push_back("body: expected {\"value\": \"<the key>\"}");
    throw Error::invalid_input("invalid key request (the body is not repeated: it may hold a key)", details);
  }
}

void list_keys(Call& c) {
  c.send(200, spec::to_json(service::list_keys(c.service())));
}

void set_key(Call& c) {
  service::KeySetRequest req;
  struct Wipe {
    std::string& s;
    ~Wipe() {
      if (!s.empty()) sodium_memzero(s.data(), s.size());
    }
  } wipe{req.value};
  read_key_body(c, req);
  req.name = c.param("name");
  c.send(200, spec::to_json(service::set_key(c.service(), req)));
}

void bind_key(Call& c) {
  service::KeyBindRequest req;
  spec::read_json(c.json_body(), req, "key origins");
  req.name = c.param("name");
  c.send(200, spec::to_json(service::bind_key(c.service(), req)));
}

void delete_key(Call& c) {
  c.send(200, spec::to_json(service::delete_key(c.service(), c.param("name"))));
}

}  // namespace

void add_key_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/keys",
                          "The tenant's API keys: names and fingerprints, never values", "keys",
                          service::kKeyList, list_keys}
                    .returns<service::KeyListResult>());
  app.add_route(
      RouteSpec{"PUT", "/api/v1/keys/{name}/origins",
                "Set where a stored key may be sent {origins: [\"https://api.openai.com\"]}; the value stays",
                "keys", service::kKeyBind, bind_key, "json"}
          .takes<service::KeyBindRequest>()
          .returns<service::KeySetResult>());
  app.add_route(RouteSpec{"PUT", "/api/v1/keys/{name}",
                          "Store or replace an API key {value, origins}, sealed at rest", "keys",
                          service::kKeySet, set_key, "json"}
                    .takes<service::KeySetRequest>()
                    .returns<service::KeySetResult>());
  app.add_route(RouteSpec{"DELETE", "/api/v1/keys/{name}", "Delete an API key", "keys",
                          service::kKeyDelete, delete_key}
                    .returns<service::KeyDeleteResult>());
}

}  // namespace keel::server
