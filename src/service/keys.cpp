// The key vault's use cases (keel/service/keys.h).
#include "keel/service/keys.h"

#include <fmt/format.h>

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

// The audit resource of a key: key/NAME, the name as shown (bounded, no control characters).
std::string key_resource(std::string_view name) {
  return fmt::format("key/{}", shown_with(name, 64, 0));
}

}  // namespace

KeyListResult list_keys(const Context& cx) {
  authorize(cx, kKeyList, "keys");
  KeyListResult out;
  for (const SecretInfo& s : require_secrets(cx).list(cx.actor.tenant)) {
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
  authorize(cx, kKeySet, key_resource(req.name));
  check_key_name(req.name);
  check_key_value(req.value);
  const std::vector<std::string> origins = check_key_origins(req.origins);
  const SecretInfo s = require_secrets(cx).put(cx.actor.tenant, req.name, req.value, cx.actor.user, origins);
  KeySetResult out{s.name,       s.fingerprint, s.updated_at,
                   s.updated_by, s.replaced,    effective_key_origins(s.name, s.origins)};
  audit(cx, kKeySet, key_resource(out.name),
        {{"name", out.name}, {"replaced", out.replaced}, {"origins", out.origins}});
  return out;
}

KeySetResult bind_key(const Context& cx, const KeyBindRequest& req) {
  authorize(cx, kKeyBind, key_resource(req.name));
  check_key_name(req.name);
  const std::vector<std::string> origins = check_key_origins(req.origins);
  const auto s = require_secrets(cx).bind(cx.actor.tenant, req.name, origins, cx.actor.user);
  if (!s) throw Error::not_found("no key named " + shown_with(req.name, 64, '\''));
  KeySetResult out{s->name, "", s->updated_at, s->updated_by, false, effective_key_origins(s->name, s->origins)};
  for (const SecretInfo& i : require_secrets(cx).list(cx.actor.tenant)) {
    if (i.name == req.name) out.fingerprint = i.fingerprint;
  }
  audit(cx, kKeyBind, key_resource(out.name), {{"name", out.name}, {"origins", out.origins}});
  return out;
}

KeyDeleteResult delete_key(const Context& cx, const std::string& name) {
  authorize(cx, kKeyDelete, key_resource(name));
  check_key_name(name);
  if (!require_secrets(cx).remove(cx.actor.tenant, name)) {
    throw Error::not_found("no key named " + shown_with(name, 64, '\''));
  }
  audit(cx, kKeyDelete, key_resource(name), {{"name", name}});
  return {true, name};
}

}  // namespace keel::service
