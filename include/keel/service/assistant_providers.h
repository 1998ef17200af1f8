// keel/service/assistant_providers.h: the tenant's assistant providers and the policy that limits
// them — `keel assistant provider add|list|remove|test`, `keel assistant policy show|set`,
// /api/v1/assistant/providers and /api/v1/assistant/policy; asking (keel/service/assistant_ask.h)
// checks the provider against the policy before anything is sent.
//
// Providers are the tenant's, registered by its administrators (assistant_provider_add: the wire
// format, base URL, model, the name of the tenant's vault key to send, prices per million tokens;
// role_manages_providers) and used by every user of the tenant; keys come from the key vault
// (Context::secrets) when a request is made, only for the origins the key is bound to, and are
// never stored with the provider, shown, logged or kept in a transcript. Under keel serve every
// request is checked by the outbound guard (Context::outbound): no private, loopback or
// link-local destination unless the tenant's policy lists the host. Each tenant's policy
// (assistant_policy) limits the providers (local only, allowed hosts) and sets redaction: with it,
// every symbol and every amount (fields whose unit is money, a price or a quantity) is replaced by
// a placeholder (SYM_1, AMT_1) in every byte sent, and put back in the answer and in the tool
// arguments the model sends. Both are kept in the store (keel/store/assistant_repository.h);
// docs/assistant.md is the user's account.
//
// Thread-safety: stateless functions; see the Context's store and secrets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/service/assistant_user.h"
#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// ---- providers --------------------------------------------------------------------------------

enum class ProviderFormat { kOpenAi, kAnthropic };
inline constexpr spec::Choice<ProviderFormat> kProviderFormatNames[] = {
    {ProviderFormat::kOpenAi, "openai"}, {ProviderFormat::kAnthropic, "anthropic"}};

// What changing the tenant's providers needs and writes (keel/service/rules.h): their base URLs
// and which vault keys they send are an administrator's decision (manage_keys). The keel command
// acts as admin (it owns the store, as for keel keys set).
inline constexpr UseCase kAssistantProviderSet{
    "add or change the tenant's assistant providers, which decide where requests and the tenant's API keys go "
    "(an administrator's decision)",
    Permission::kManageKeys, "assistant.provider.set"};
inline constexpr UseCase kAssistantProviderDelete{"remove the tenant's assistant providers (an administrator's decision)",
                                                  Permission::kManageKeys, "assistant.provider.delete"};

// Whether a role (its name) may create, change or remove the tenant's providers.
bool role_manages_providers(std::string_view role);

// Registered in the Context actor's tenant, by the actor (its role decides whether it may).
struct ProviderAddRequest {
  std::string name;
  ProviderFormat format = ProviderFormat::kOpenAi;
  std::string base_url;
  std::string model;
  std::optional<std::string> key;  // the vault key to send; absent: none (local servers)
  double input_cost = 0.0;
  double output_cost = 0.0;
  bool make_default = false;

  static constexpr const char* kSchemaName = "AssistantProviderRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ProviderResult {
  std::string name;
  std::string format;
  std::string base_url;
  std::string host;
  bool local = false;
  std::string model;
  spec::Nullable<std::string> key;  // the vault key's name (never its value)
  bool key_set = false;             // the tenant's vault holds that key
  double input_cost = 0.0;
  double output_cost = 0.0;
  bool is_default = false;
  bool allowed = true;  // the tenant's policy lets it be used
  spec::Nullable<std::string> refused_because;
  std::string created_at;
  std::string updated_at;

  static constexpr const char* kSchemaName = "AssistantProvider";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ProviderListResult {
  std::vector<ProviderResult> items;
  static constexpr const char* kSchemaName = "AssistantProviderList";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ProviderDeleteResult {
  bool deleted = true;
  std::string name;
  static constexpr const char* kSchemaName = "AssistantProviderDeleted";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ProviderTestResult {
  std::string name;
  std::string model;  // as the provider answered
  bool ok = false;
  double latency_ms = 0.0;
  std::string answer;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  double cost_usd = 0.0;
  spec::Nullable<std::string> error;

  static constexpr const char* kSchemaName = "AssistantProviderTest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A model the provider offers (`keel assistant models NAME`, GET
// /api/v1/assistant/providers/{name}/models).
struct ProviderModel {
  std::string id;
  std::string display_name;
  std::string owned_by;
  std::string created_at;
  bool current = false;  // the model the provider is set to use

  static constexpr const char* kSchemaName = "AssistantProviderModel";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ProviderModelsResult {
  std::string name;
  std::string format;
  std::string host;
  std::string model;  // the one the provider is set to use
  std::vector<ProviderModel> items;

  static constexpr const char* kSchemaName = "AssistantProviderModels";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Adds or replaces a provider of the tenant; audited as assistant.provider.set (details name,
// host, model, key name). Throws keel::Error: forbidden (audited `auth.forbidden`) when
// the actor's role may not (kAssistantProviderSet), checked before anything else; invalid_input for a bad name, URL or
// model; forbidden when the tenant's policy or, under keel serve, the outbound guard
// (Context::outbound, keel/net/outbound.h) refuses its host (audited `outbound.refused`).
ProviderResult assistant_provider_add(const Context& cx, const ProviderAddRequest& request);
// The tenant's providers: every user of the tenant may use them.
ProviderListResult assistant_provider_list(const Context& cx, const AssistantUser& user);
// Removes a provider of the tenant: forbidden (audited) unless user.role manages providers;
// not_found when the tenant has no provider of that name.
ProviderDeleteResult assistant_provider_remove(const Context& cx, const AssistantUser& user, const std::string& name);
// Sends a one-word prompt and reports the answer, latency, tokens and cost (ok false and the error
// when the provider fails); forbidden when the policy or the outbound guard refuses the provider,
// or its key is not bound to the provider's origin (audited `outbound.refused`).
ProviderTestResult assistant_provider_test(const Context& cx, const AssistantUser& user, const std::string& name);

// The models the provider offers (GET {base_url}/models, or Anthropic's /v1/models), asked with
// the provider's own base URL and key: every user of the tenant may, as for using it; nothing of
// the request chooses the host. The same refusals as assistant_provider_test before anything is
// sent (the policy, the outbound guard, the key's origins; forbidden, audited); a failure of the
// provider is an error (its words: unauthorized, rate_limited, invalid_input, internal).
ProviderModelsResult assistant_provider_models(const Context& cx, const AssistantUser& user, const std::string& name);

// ---- the tenant's policy ----------------------------------------------------------------------

enum class Redaction { kOff, kOn, kRequired };
inline constexpr spec::Choice<Redaction> kRedactionNames[] = {
    {Redaction::kOff, "off"}, {Redaction::kOn, "on"}, {Redaction::kRequired, "required"}};

struct AssistantPolicyResult {
  std::string tenant;
  bool local_only = false;
  std::vector<std::string> allowed_hosts;
  Redaction redaction = Redaction::kOff;
  spec::Nullable<std::string> updated_at;
  spec::Nullable<std::string> updated_by;

  static constexpr const char* kSchemaName = "AssistantPolicy";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The Context actor's tenant's policy, changed by the actor.
struct AssistantPolicyRequest {
  std::optional<bool> local_only;
  std::optional<std::vector<std::string>> allowed_hosts;
  std::optional<Redaction> redaction;

  static constexpr const char* kSchemaName = "AssistantPolicyRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// What changing the policy needs and writes (keel/service/rules.h): an administrator's decision
// (manage_keys), audited for the Context's actor in its tenant.
inline constexpr UseCase kAssistantPolicySet{"set the tenant's assistant policy (an administrator's decision)",
                                             Permission::kManageKeys, "assistant.policy.set"};

AssistantPolicyResult assistant_policy(const Context& cx, const std::string& tenant);
// Changes the fields given; audited as assistant.policy.set (resource assistant_policy/TENANT,
// details the policy now). Throws keel::Error: forbidden (kAssistantPolicySet), invalid_input for a
// malformed host.
AssistantPolicyResult set_assistant_policy(const Context& cx, const AssistantPolicyRequest& request);

// ---- reachability (keel serve's /readyz) --------------------------------------------------------

// A provider of some tenant as a destination: its base URL, the outbound policy a request of that
// tenant goes under (the Context's, with the tenant's allowed hosts added), and whether the
// tenant's assistant policy refuses it outright (local_only, allowed_hosts).
struct ProviderDestination {
  std::string base_url;
  net::OutboundPolicy outbound;
  bool refused = false;
};
// The providers of every tenant that has users. Read by the server for its readiness probe, which
// reports only counts: no actor is checked or audited, and the URLs must not be shown to anyone.
std::vector<ProviderDestination> assistant_provider_destinations(const Context& cx);

}  // namespace keel::service
