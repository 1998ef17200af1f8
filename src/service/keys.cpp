// The key vault's use cases (keel/service/keys.h).
#include "keel/service/keys.h"

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/service/key_vault.h"
#include "keel/service/secrets.h"

namespace keel::service {
namespace {

const Secrets& require_secrets(const Context& cx) {
  if (cx.secrets == nullptr) throw Error::usage("no key vault here: API keys cannot be managed");
  return *cx.secrets;
}

}  // namespace

KeyListResult list_keys(const Context& cx, const std::string& tenant) {
  KeyListResult out;
  for (const SecretInfo& s : require_secrets(cx).list(tenant)) {
    KeyResult k;
    k.name = s.name;
    k.fingerprint = s.fingerprint;
    k.created_at = s.created_at;
    k.updated_at = s.updated_at;
    k.updated_by = s.updated_by;
    if (!s.problem.empty()) k.problem = s.problem;
    out.items.push_back(std::move(k));
  }
  return out;
}

KeySetResult set_key(const Context& cx, const KeySetRequest& req) {
  check_key_name(req.name);
  check_key_value(req.value);
  const SecretInfo s = require_secrets(cx).put(req.tenant, req.name, req.value, req.by);
  return {s.name, s.fingerprint, s.updated_at, s.updated_by, s.replaced};
}

KeyDeleteResult delete_key(const Context& cx, const std::string& tenant, const std::string& name) {
  check_key_name(name);
  if (!require_secrets(cx).remove(tenant, name)) throw Error::not_found("no key named " + shown_with(name, 64, '\''));
  return {true, name};
}

}  // namespace keel::service
