// Private: what asking the assistant (assistant_ask.cpp) needs of the tenant's providers and
// policy (assistant_providers.cpp), and the small pieces every assistant use case shares.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "keel/llm/chat.h"
#include "keel/net/outbound.h"
#include "keel/service/assistant_providers.h"
#include "keel/service/assistant_user.h"
#include "keel/service/context.h"
#include "keel/store/assistant_repository.h"

namespace keel::service::detail {

// The Context's actor acting in `tenant` (the tenant of the request or the assistant's user): the
// keel command's operator names it with --tenant; over HTTP it is the caller's own.
inline Context in_tenant(const Context& cx, const std::string& tenant) {
  Context out = cx;
  out.actor.tenant = tenant;
  return out;
}

// The JSON of a stored text, or `fallback` when it does not parse.
inline nlohmann::json parse_or(const std::string& text, nlohmann::json fallback) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

// A string wiped when it goes (an API key opened for one conversation).
struct WipedString {
  std::string text;
  WipedString() = default;
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString();
};

// Where the provider's requests may go: the face's outbound policy (enforced by keel serve) with
// the tenant's allowed hosts, refusals audited for the tenant.
net::OutboundPolicy outbound_policy(const Context& cx, const AssistantPolicyResult& p, const std::string& tenant,
                                    const std::string& actor);

// The provider's client, its key opened from the vault into `key` (only for an origin the key is
// bound to).
std::unique_ptr<llm::Provider> open_provider(const Context& cx, const store::AssistantProviderRow& row,
                                             const net::OutboundPolicy& policy, const std::string& actor,
                                             WipedString& key);

// The provider `name` of the user's tenant (default: the tenant's default provider) when a question
// may be sent to it, checked without sending anything: the tenant's policy allows its host, the
// outbound guard its destination, redaction as asked (`redact` false when the policy requires
// it is forbidden), and the vault holds its key, bound to its origin. Throws as assistant_ask
// does (usage without a store or vault, not_found, forbidden, invalid_input); refusals audited.
store::AssistantProviderRow usable_provider(const Context& cx, const AssistantUser& user,
                                            const std::optional<std::string>& name, std::optional<bool> redact);

}  // namespace keel::service::detail
