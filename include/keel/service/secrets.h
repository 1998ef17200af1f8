// keel/service/secrets.h: where a use case finds an API key (LLM and market-data providers).
//
// The key vault implements Secrets; the faces hand it to the use cases through Context::secrets.
// A use case asks for a key by name when it is about to call a provider and passes the value
// straight to the client: values are never logged, audited, returned or exported, and error
// messages name the key, never its value.
//
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace keel::service {

class Secrets {
 public:
  virtual ~Secrets() = default;
  // The secret stored as `name` for `tenant` ("" outside the server: the keel command's own
  // vault), or nullopt when none is set. Throws keel::Error when the vault exists but cannot be
  // opened (wrong master key, unreadable key file), naming the vault, never a value.
  virtual std::optional<std::string> get(std::string_view tenant, std::string_view name) const = 0;
};

}  // namespace keel::service
