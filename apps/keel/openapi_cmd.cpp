// `keel openapi`: prints the OpenAPI 3.1 document of the HTTP API — the same document `keel serve`
// serves at GET /api/v1/openapi.json — without the caller's store or a server. The web app
// generates its TypeScript API types from it at build time (web/scripts/gen-api.mjs).
#include <fstream>
#include <iostream>
#include <memory>

#include "context.h"
#include "keel/core/error.h"
#include "keel/server/server.h"

namespace keel::cli {

void add_openapi_commands(CLI::App& app, Context& /*ctx*/) {
  auto* cmd = app.add_subcommand("openapi", "Print the HTTP API's OpenAPI 3.1 document (JSON)");
  auto out = std::make_shared<std::string>();
  cmd->add_option("-o,--output", *out, "Write the document to this file instead of standard output");
  cmd->callback([out] {
    const std::string text = server::openapi_document_offline().dump(2) + "\n";
    if (out->empty()) {
      std::cout << text;
      return;
    }
    std::ofstream f(*out, std::ios::binary | std::ios::trunc);
    if (!f) throw Error::internal("cannot write " + *out);
    f << text;
    f.close();
    if (!f) throw Error::internal("cannot write " + *out);
  });
}

}  // namespace keel::cli
