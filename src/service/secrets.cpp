// The management defaults of a read-only Secrets (keel/service/secrets.h).
#include "keel/service/secrets.h"

#include "keel/core/error.h"

namespace keel::service {
namespace {

Error read_only() {
  return Error::usage("these API keys are read-only here: keys are managed through the key vault");
}

}  // namespace

SecretInfo Secrets::put(std::string_view, std::string_view, std::string_view, std::string_view) const {
  throw read_only();
}

std::vector<SecretInfo> Secrets::list(std::string_view) const {
  throw read_only();
}

bool Secrets::remove(std::string_view, std::string_view) const {
  throw read_only();
}

}  // namespace keel::service
