// The tenant's assistant providers and policy (keel/service/assistant_providers.h), and the checks
// and the client of a provider that asking uses (assistant_internal.h).
#include "keel/service/assistant_providers.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>

#include <fmt/format.h>

#include "assistant_internal.h"
#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/llm/chat.h"
#include "keel/net/outbound.h"
#include "keel/service/key_vault.h"
#include "keel/service/rules.h"
#include "keel/service/secrets.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/audit_repository.h"
#include "keel/store/store.h"
#include "keel/store/user_repository.h"

namespace keel::service {
namespace {

using nlohmann::json;

// Providers are the tenant's: the store keeps them under this user name (migration 71).
const std::string kTenantProviders;

// The provider a fresh store offers in the default tenant (migration 84): LM Studio's local
// server, usable under keel serve once an administrator lists its host in the tenant's policy.
constexpr std::string_view kBuiltInProvider = "lmstudio";

// The Context of a change to the tenant's providers: its actor is the user the face names (the
// assistant's users carry their role as text; an unknown role is a viewer's).
Context provider_actor(const Context& cx, const std::string& tenant, const std::string& username,
                       const std::string& role) {
  Context out = cx;
  out.actor.user = username;
  out.actor.tenant = tenant;
  out.actor.role = store::parse_role(role).value_or(store::Role::kViewer);
  return out;
}

std::string format_name(ProviderFormat f) {
  return std::string(spec::choice_name(kProviderFormatNames, f));
}

std::string redaction_name(Redaction r) {
  return std::string(spec::choice_name(kRedactionNames, r));
}

Redaction parse_redaction(const std::string& s) {
  for (const auto& c : kRedactionNames) {
    if (c.name == s) return c.value;
  }
  return Redaction::kOff;
}

void check_provider_name(const std::string& name) {
  try {
    check_key_name(name);  // the same rule as key names: letters, digits, '.', '_', '-'
  } catch (const Error& e) {
    throw Error::invalid_input("invalid provider name", e.details());
  }
}

AssistantPolicyResult policy_result(const std::optional<store::AssistantPolicyRow>& row,
                                    const std::string& tenant) {
  AssistantPolicyResult p;
  p.tenant = tenant;
  if (row) {
    p.local_only = row->local_only;
    p.allowed_hosts = row->allowed_hosts;
    p.redaction = parse_redaction(row->redaction);
    p.updated_at.emplace(row->updated_at);
    p.updated_by.emplace(row->updated_by);
  }
  return p;
}

// Why the policy refuses a provider at `base_url`, or nullopt when it allows it.
std::optional<std::string> refusal(const AssistantPolicyResult& p, const std::string& base_url) {
  // The host and port libcurl would connect to (net::Url): the one reading every check makes.
  std::string why;
  if (!net::normalize_origin(base_url, &why)) return "its base URL is refused: " + why;
  const std::string host = net::host_for_policy(base_url);
  if (p.local_only && !llm::is_local_url(base_url)) {
    return "the tenant's assistant policy allows only local providers (this machine or a private network), "
           "and " +
           host + " is not one";
  }
  if (!p.allowed_hosts.empty() && !net::host_listed(p.allowed_hosts, host))
    return "the tenant's assistant policy does not list " + host + " among its allowed hosts";
  return std::nullopt;
}

bool key_held(const Context& cx, const std::string& tenant, const std::string& key) {
  if (key.empty() || !cx.secrets) return false;
  try {
    for (const auto& info : cx.secrets->list(tenant)) {
      if (info.name == key) return info.problem.empty();
    }
  } catch (const Error&) {
    // The vault cannot be opened here (no master key): the key is not usable either.
  }
  return false;
}

ProviderResult provider_result(const Context& cx, const store::AssistantProviderRow& r,
                               const AssistantPolicyResult& p) {
  ProviderResult out;
  out.name = r.name;
  out.format = r.format;
  out.base_url = r.base_url;
  out.host = llm::url_host(r.base_url);
  out.local = llm::is_local_url(r.base_url);
  out.model = r.model;
  if (!r.key_name.empty()) out.key.emplace(r.key_name);
  out.key_set = key_held(cx, r.tenant, r.key_name);
  out.input_cost = r.input_usd_per_mtok;
  out.output_cost = r.output_usd_per_mtok;
  out.is_default = r.is_default;
  if (auto why = refusal(p, r.base_url)) {
    out.allowed = false;
    out.refused_because.emplace(*why);
  } else if (cx.outbound.enforce) {
    // What the server's outbound guard says of the URL as written (a literal loopback or private
    // address not listed by the tenant's policy: a local model server no administrator allowed).
    net::OutboundPolicy guard = cx.outbound;
    guard.allowed_hosts.insert(guard.allowed_hosts.end(), p.allowed_hosts.begin(), p.allowed_hosts.end());
    guard.only_allowed_hosts = guard.only_allowed_hosts || !p.allowed_hosts.empty();
    guard.on_refused = nullptr;
    try {
      net::check_url(guard, r.base_url);
    } catch (const Error& e) {
      out.allowed = false;
      out.refused_because.emplace(std::string(e.what()) + " (an administrator allows it: keel assistant policy set "
                                  "--allow-host " + net::host_for_policy(r.base_url) + ")");
    }
  }
  out.created_at = r.created_at;
  out.updated_at = r.updated_at;
  return out;
}

store::AssistantProviderRow require_provider(store::AssistantRepository& repo, const std::string& tenant,
                                             const std::optional<std::string>& name) {
  if (name) {
    auto row = repo.find_provider(tenant, kTenantProviders, *name);
    if (!row) {
      throw Error::not_found("no assistant provider " + shown_with(*name, 64, '\'') + " in tenant " + tenant +
                             " (an admin adds one: keel assistant provider add, or POST /api/v1/assistant/providers)");
    }
    return *row;
  }
  const auto all = repo.list_providers(tenant, kTenantProviders);
  for (const auto& r : all) {
    if (r.is_default) return r;
  }
  if (all.size() == 1) return all.front();
  if (all.empty()) {
    throw Error::not_found("no assistant provider in tenant " + tenant +
                           ": an admin adds one (keel assistant provider add NAME --base-url URL --model MODEL)");
  }
  throw Error::invalid_input("several assistant providers and none is the default: name one (provider)");
}

// The checks that can be made before a request: the destination (and what its name resolves to
// now) under the outbound policy. Refusals are audited.
void check_provider_destination(const Context& cx, const net::OutboundPolicy& policy, const std::string& tenant,
                                const std::string& actor, const std::string& provider, const std::string& url) {
  net::OutboundPolicy quiet = policy;
  quiet.on_refused = nullptr;  // audited below, with the provider's name
  try {
    net::check_destination(quiet, url);
  } catch (const Error& e) {
    audit_outbound_refusal(cx, tenant, "assistant_provider/" + provider, e, actor);
    throw Error(e.code(), "assistant provider " + provider + ": " + e.what());
  }
}

// A base URL as libcurl reads it (net::Url): an ambiguous one — a backslash or user-info in its
// authority, whitespace, control characters, percent-encoding in the host — is refused here, 400,
// before it is stored or anything is sent.
void check_url(const std::string& url) {
  std::vector<std::string> problems;
  std::string why;
  if (url.size() > 2000) {
    problems.push_back("base_url: at most 2000 characters");
  } else if (!net::Url::parse(url, &why)) {
    problems.push_back("base_url: " + why + " (expected http://HOST[:PORT]/PATH or https://...)");
  }
  if (!problems.empty()) throw Error::invalid_input("invalid assistant provider", problems);
}

}  // namespace

namespace detail {

WipedString::~WipedString() {
  if (!text.empty()) sodium_memzero(text.data(), text.size());
}

net::OutboundPolicy outbound_policy(const Context& cx, const AssistantPolicyResult& p, const std::string& tenant,
                                    const std::string& actor) {
  net::OutboundPolicy out = cx.outbound;
  out.allowed_hosts.insert(out.allowed_hosts.end(), p.allowed_hosts.begin(), p.allowed_hosts.end());
  out.only_allowed_hosts = out.only_allowed_hosts || !p.allowed_hosts.empty();
  out.on_refused = [&cx, tenant, actor](const Error& e) { audit_outbound_refusal(cx, tenant, "assistant", e, actor); };
  return out;
}

std::unique_ptr<llm::Provider> open_provider(const Context& cx, const store::AssistantProviderRow& row,
                                             const net::OutboundPolicy& policy, const std::string& actor,
                                             WipedString& key) {
  std::optional<std::vector<std::string>> key_origins;
  if (!row.key_name.empty()) {
    if (!cx.secrets)
      throw Error::usage("assistant provider " + row.name + " needs key " + row.key_name +
                         ", and there is no key vault here");
    std::optional<BoundSecret> value;
    try {
      value = cx.secrets->get_for(row.tenant, row.key_name, row.base_url);
    } catch (const Error& e) {
      audit_outbound_refusal(cx, row.tenant, "assistant_provider/" + row.name, e, actor);
      throw Error(e.code(), "assistant provider " + row.name + ": " + e.what());
    }
    if (!value) {
      throw Error::invalid_input("assistant provider " + row.name + " needs key '" + row.key_name +
                                 "', which the tenant's key vault does not hold (keel keys set " +
                                 row.key_name + ", or PUT /api/v1/keys/" + row.key_name + ")");
    }
    key.text = std::move(value->value);
    sodium_memzero(value->value.data(), value->value.size());
    key_origins = std::move(value->origins);
  }
  llm::ProviderConfig c;
  c.outbound = policy;
  c.key_origins = std::move(key_origins);
  c.key_name = row.key_name;
  c.format = row.format == "anthropic" ? llm::WireFormat::kAnthropic : llm::WireFormat::kOpenAi;
  c.name = row.name;
  c.base_url = row.base_url;
  c.model = row.model;
  c.api_key = key.text;
  c.input_usd_per_mtok = row.input_usd_per_mtok;
  c.output_usd_per_mtok = row.output_usd_per_mtok;
  return llm::make_provider(std::move(c));
}

store::AssistantProviderRow usable_provider(const Context& cx, const AssistantUser& user,
                                            const std::optional<std::string>& name, std::optional<bool> redact) {
  auto& repo = require_store(cx, "the assistant").assistant();
  auto row = require_provider(repo, user.tenant, name);
  const auto policy = policy_result(repo.policy(user.tenant), user.tenant);
  if (auto why = refusal(policy, row.base_url))
    throw Error::forbidden("assistant provider " + row.name + ": " + *why);
  check_provider_destination(cx, outbound_policy(cx, policy, user.tenant, user.username), user.tenant, user.username,
                             row.name, row.base_url);
  if (policy.redaction == Redaction::kRequired && redact == false) {
    throw Error::forbidden(
        "the tenant's assistant policy requires redaction: symbols and amounts are always replaced");
  }
  if (!row.key_name.empty()) {
    if (!cx.secrets)
      throw Error::usage("assistant provider " + row.name + " needs key " + row.key_name +
                         ", and there is no key vault here");
    if (!key_held(cx, user.tenant, row.key_name)) {
      throw Error::invalid_input("assistant provider " + row.name + " needs key '" + row.key_name +
                                 "', which the tenant's key vault does not hold (keel keys set " +
                                 row.key_name + ", or PUT /api/v1/keys/" + row.key_name + ")");
    }
    // The key's origins, without opening it: refused here, before anything is sent.
    for (const auto& info : cx.secrets->list(user.tenant)) {
      if (info.name != row.key_name) continue;
      const auto origins = effective_key_origins(info.name, info.origins);
      if (!net::origin_allowed(origins, row.base_url)) {
        const Error e = net::key_not_bound(row.key_name, row.base_url, origins);
        audit_outbound_refusal(cx, user.tenant, "assistant_provider/" + row.name, e, user.username);
        throw Error(e.code(), "assistant provider " + row.name + ": " + e.what());
      }
    }
  }
  return row;
}

}  // namespace detail

// ---- providers ----------------------------------------------------------------------------------

bool role_manages_providers(std::string_view role) {
  const auto r = store::parse_role(role);
  return r && role_allows(*r, kAssistantProviderSet.permission);
}

ProviderResult assistant_provider_add(const Context& cx, const ProviderAddRequest& request) {
  const std::string& tenant = cx.actor.tenant;
  const std::string& username = cx.actor.user;
  authorize(cx, kAssistantProviderSet, "assistant_provider/" + llm::clean_text(request.name, 64));
  Store& store = require_store(cx, "assistant providers");
  check_provider_name(request.name);
  check_url(request.base_url);
  std::vector<std::string> problems;
  if (request.model.empty() || request.model.size() > 200)
    problems.push_back("model: expected 1 to 200 characters");
  if (request.key) {
    try {
      check_key_name(*request.key);
    } catch (const Error& e) {
      for (const auto& d : e.details()) problems.push_back("key: " + d.substr(d.find(": ") + 2));
    }
  }
  if (!problems.empty()) throw Error::invalid_input("invalid assistant provider", problems);
  const auto policy = assistant_policy(cx, tenant);
  if (auto why = refusal(policy, request.base_url))
    throw Error::forbidden("assistant provider " + request.name + ": " + *why);
  check_provider_destination(cx, detail::outbound_policy(cx, policy, tenant, username), tenant,
                             username, request.name, request.base_url);
  store::AssistantProviderRow row;
  row.tenant = tenant;
  row.username = kTenantProviders;
  row.name = request.name;
  row.format = format_name(request.format);
  row.base_url = request.base_url;
  while (!row.base_url.empty() && row.base_url.back() == '/') row.base_url.pop_back();
  row.model = request.model;
  row.key_name = request.key.value_or("");
  row.input_usd_per_mtok = request.input_cost;
  row.output_usd_per_mtok = request.output_cost;
  auto& repo = store.assistant();
  // The first provider of a tenant is the default: the first an administrator adds beside the
  // built-in lmstudio takes over from it.
  bool first = true;
  for (const auto& other : repo.list_providers(tenant, kTenantProviders)) {
    if (other.name != row.name && other.name != kBuiltInProvider) first = false;
  }
  row.is_default = request.make_default || first;
  repo.put_provider(row);
  auto out = provider_result(cx, *repo.find_provider(row.tenant, row.username, row.name), policy);
  audit(cx, kAssistantProviderSet, "assistant_provider/" + out.name,
        {{"name", out.name}, {"host", out.host}, {"model", out.model}, {"key", out.key ? json(*out.key) : json(nullptr)}});
  return out;
}

ProviderListResult assistant_provider_list(const Context& cx, const AssistantUser& user) {
  Store& store = require_store(cx, "assistant providers");
  const auto policy = assistant_policy(cx, user.tenant);
  ProviderListResult out;
  for (const auto& r : store.assistant().list_providers(user.tenant, kTenantProviders))
    out.items.push_back(provider_result(cx, r, policy));
  return out;
}

ProviderDeleteResult assistant_provider_remove(const Context& cx, const AssistantUser& user, const std::string& name) {
  const Context acting = provider_actor(cx, user.tenant, user.username, user.role);
  authorize(acting, kAssistantProviderDelete, "assistant_provider/" + llm::clean_text(name, 64));
  Store& store = require_store(cx, "assistant providers");
  if (!store.assistant().remove_provider(user.tenant, kTenantProviders, name)) {
    throw Error::not_found("no assistant provider " + shown_with(name, 64, '\'') + " in tenant " + user.tenant);
  }
  audit(acting, kAssistantProviderDelete, "assistant_provider/" + name, {{"name", name}});
  return {true, name};
}

ProviderTestResult assistant_provider_test(const Context& cx, const AssistantUser& user, const std::string& name) {
  Store& store = require_store(cx, "assistant providers");
  const std::string& tenant = user.tenant;
  const auto row = require_provider(store.assistant(), tenant, name);
  const auto policy = assistant_policy(cx, tenant);
  if (auto why = refusal(policy, row.base_url))
    throw Error::forbidden("assistant provider " + row.name + ": " + *why);
  const net::OutboundPolicy outbound = detail::outbound_policy(cx, policy, tenant, user.username);
  check_provider_destination(cx, outbound, tenant, user.username, row.name, row.base_url);
  ProviderTestResult out;
  out.name = row.name;
  out.model = row.model;
  detail::WipedString key;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    auto provider = detail::open_provider(cx, row, outbound, user.username, key);
    llm::ChatRequest req;
    req.system = "You are a connectivity test. Answer with one word.";
    req.messages.push_back({llm::Role::kUser, "Reply with the word OK.", {}, "", "", false});
    req.max_tokens = 16;
    const auto r = provider->chat(req, {});
    out.ok = true;
    out.answer = llm::clean_text(r.text, 200);
    out.model = r.model;
    out.input_tokens = r.usage.input_tokens;
    out.output_tokens = r.usage.output_tokens;
    out.cost_usd = r.cost_usd;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInvalidInput &&
        std::string(e.what()).find("which the tenant's key vault") != std::string::npos)
      throw;
    // A refused destination or key is a refusal, not a failed test.
    if (e.code() == ErrorCode::kForbidden) throw;
    out.ok = false;
    out.error.emplace(e.what());
  }
  out.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

ProviderModelsResult assistant_provider_models(const Context& cx, const AssistantUser& user, const std::string& name) {
  Store& store = require_store(cx, "assistant providers");
  const std::string& tenant = user.tenant;
  const auto row = require_provider(store.assistant(), tenant, name);
  const auto policy = assistant_policy(cx, tenant);
  if (auto why = refusal(policy, row.base_url))
    throw Error::forbidden("assistant provider " + row.name + ": " + *why);
  const net::OutboundPolicy outbound = detail::outbound_policy(cx, policy, tenant, user.username);
  check_provider_destination(cx, outbound, tenant, user.username, row.name, row.base_url);
  detail::WipedString key;
  auto provider = detail::open_provider(cx, row, outbound, user.username, key);
  ProviderModelsResult out;
  out.name = row.name;
  out.format = row.format;
  out.host = llm::url_host(row.base_url);
  out.model = row.model;
  for (auto& m : provider->list_models()) {
    out.items.push_back({m.id, m.display_name, m.owned_by, m.created_at, m.id == row.model});
  }
  return out;
}

// ---- policy -------------------------------------------------------------------------------------

std::vector<ProviderDestination> assistant_provider_destinations(const Context& cx) {
  Store& store = require_store(cx, "the assistant providers");
  std::set<std::string> tenants;
  for (const auto& u : store.users().list(std::nullopt)) tenants.insert(u.tenant);
  std::vector<ProviderDestination> out;
  for (const auto& tenant : tenants) {
    const auto policy = policy_result(store.assistant().policy(tenant), tenant);
    for (const auto& row : store.assistant().list_providers(tenant, kTenantProviders)) {
      ProviderDestination d;
      d.base_url = row.base_url;
      d.outbound = cx.outbound;
      d.outbound.allowed_hosts.insert(d.outbound.allowed_hosts.end(), policy.allowed_hosts.begin(),
                                      policy.allowed_hosts.end());
      d.outbound.only_allowed_hosts = d.outbound.only_allowed_hosts || !policy.allowed_hosts.empty();
      d.refused = refusal(policy, row.base_url).has_value();
      out.push_back(std::move(d));
    }
  }
  return out;
}

AssistantPolicyResult assistant_policy(const Context& cx, const std::string& tenant) {
  Store& store = require_store(cx, "the assistant policy");
  return policy_result(store.assistant().policy(tenant), tenant);
}

AssistantPolicyResult set_assistant_policy(const Context& cx, const AssistantPolicyRequest& request) {
  const std::string& tenant = cx.actor.tenant;
  authorize(cx, kAssistantPolicySet, "assistant_policy/" + llm::clean_text(tenant, 200));
  Store& store = require_store(cx, "the assistant policy");
  auto current = store.assistant().policy(tenant);
  store::AssistantPolicyRow row = current.value_or(store::AssistantPolicyRow{});
  row.tenant = tenant;
  if (request.local_only) row.local_only = *request.local_only;
  if (request.allowed_hosts) {
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < request.allowed_hosts->size(); ++i) {
      const auto& h = (*request.allowed_hosts)[i];
      const bool ok = !h.empty() && h.size() <= 255 && std::all_of(h.begin(), h.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
      });
      if (!ok) {
        problems.push_back(fmt::format("allowed_hosts[{}]: expected a host name or address (and :port), got {}", i,
                                       llm::clean_text(h, 80)));
      }
    }
    if (!problems.empty()) throw Error::invalid_input("invalid assistant policy", problems);
    row.allowed_hosts = *request.allowed_hosts;
  }
  if (request.redaction) row.redaction = redaction_name(*request.redaction);
  row.updated_by = cx.actor.user;
  store.assistant().put_policy(row);
  auto out = assistant_policy(cx, tenant);
  audit(cx, kAssistantPolicySet, "assistant_policy/" + tenant, spec::to_json(out));
  return out;
}

}  // namespace keel::service
