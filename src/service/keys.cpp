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
    k.origins = effective_key_origins(s.name, s.origins);
    k.origins_default = s.origins.empty();
    out.items.push_back(std::move(k));
  }
  return out;
}

KeySetResult set_key(const Context& cx, const KeySetRequest& req) {
  check_key_name(req.name);
  check_key_value(req.value);
  const std::vector<std::string> origins = check_key_origins(req.origins);
  const SecretInfo s = require_secrets(cx).put(req.tenant, req.name, req.value, req.by, origins);
  return {s.name, s.fingerprint, s.updated_at, s.updated_by, s.replaced, effective_key_origins(s.name, s.origins)};
}

KeySetResult bind_key(const Context& cx, const KeyBindRequest& req) {
  check_key_name(req.name);
  const std::vector<std::string> origins = check_key_origins(req.origins);
  const auto s = require_secrets(cx).bind(req.tenant, req.name, origins, req.by);
  if (!s) throw Error::not_found("no key named " + shown_with(req.name, 64, '\''));
  KeySetResult out{s->name, "", s->updated_at, s->updated_by, false, effective_key_origins(s->name, s->origins)};
  for (const SecretInfo& i : require_secrets(cx).list(req.tenant)) {
    if (i.name == req.name) out.fingerprint = i.fingerprint;
  }
  return out;
}

KeyDeleteResult delete_key(const Context& cx, const std::string& tenant, const std::string& name) {
  check_key_name(name);
  if (!require_secrets(cx).remove(tenant, name)) throw Error::not_found("no key named " + shown_with(name, 64, '\''));
  return {true, name};
}

}  // namespace keel::service
