// The assistant's use cases (keel/service/assistant.h): providers, the tenant's policy, asking with
// tools, confirming a pending write, transcripts.
#include "keel/service/assistant.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "assistant_text.h"
#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/llm/chat.h"
#include "keel/service/assistant_tools.h"
#include "keel/service/key_vault.h"
#include "keel/service/secrets.h"
#include "keel/net/outbound.h"
#include "keel/service/rules.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/audit_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxQuestionBytes = 32 * 1024;
constexpr std::size_t kMaxSentToolBytes = 24 * 1024;
// Providers are the tenant's: the store keeps them under this user name (migration 71).
const std::string kTenantProviders;

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

// The Context's actor acting in `tenant` (the tenant of the request or the assistant's user): the
// keel command's operator names it with --tenant; over HTTP it is the caller's own.
Context in_tenant(const Context& cx, const std::string& tenant) {
  Context out = cx;
  out.actor.tenant = tenant;
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

// A string wiped when it goes (an API key opened for one conversation).
struct WipedString {
  std::string text;
  WipedString() = default;
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString() {
    if (!text.empty()) sodium_memzero(text.data(), text.size());
  }
};

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
  const std::string host = llm::url_host(base_url);
  if (p.local_only && !llm::is_local_url(base_url)) {
    return "the tenant's assistant policy allows only local providers (this machine or a private network), "
           "and " +
           host + " is not one";
  }
  if (!p.allowed_hosts.empty()) {
    std::string bare = host;
    if (const auto colon = bare.rfind(':');
        colon != std::string::npos && bare.find(']') == std::string::npos) {
      bare = bare.substr(0, colon);
    }
    const bool listed = std::any_of(p.allowed_hosts.begin(), p.allowed_hosts.end(),
                                    [&](const std::string& h) { return h == host || h == bare; });
    if (!listed) return "the tenant's assistant policy does not list " + host + " among its allowed hosts";
  }
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

// Where the provider's requests may go: the face's outbound policy (enforced by keel serve) with
// the tenant's allowed hosts, refusals audited for the tenant.
net::OutboundPolicy outbound_policy(const Context& cx, const AssistantPolicyResult& p, const std::string& tenant,
                                    const std::string& actor) {
  net::OutboundPolicy out = cx.outbound;
  out.allowed_hosts.insert(out.allowed_hosts.end(), p.allowed_hosts.begin(), p.allowed_hosts.end());
  out.only_allowed_hosts = out.only_allowed_hosts || !p.allowed_hosts.empty();
  out.on_refused = [&cx, tenant, actor](const Error& e) { audit_outbound_refusal(cx, tenant, "assistant", e, actor); };
  return out;
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

// The provider's client, its key opened from the vault into `key` (only for an origin the key is
// bound to).
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

void check_url(const std::string& url) {
  const std::string lower = [&] {
    std::string s = url;
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  }();
  std::vector<std::string> problems;
  if (lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0) {
    problems.push_back("base_url: expected http://HOST[:PORT]/PATH or https://..., got " +
                       llm::clean_text(url, 120));
  } else if (llm::url_host(url).empty()) {
    problems.push_back("base_url: no host in " + llm::clean_text(url, 120));
  }
  if (url.size() > 2000) problems.push_back("base_url: at most 2000 characters");
  if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; })) {
    problems.push_back("base_url: spaces and control characters are not allowed");
  }
  if (!problems.empty()) throw Error::invalid_input("invalid assistant provider", problems);
}

// ---- asking -----------------------------------------------------------------------------------

json cut_arrays(const json& v, std::size_t keep) {
  if (v.is_object()) {
    json out = json::object();
    for (const auto& [k, e] : v.items()) out[k] = cut_arrays(e, keep);
    return out;
  }
  if (v.is_array()) {
    json out = json::array();
    for (std::size_t i = 0; i < v.size() && i < keep; ++i) out.push_back(cut_arrays(v[i], keep));
    if (v.size() > keep) out.push_back("... " + std::to_string(v.size() - keep) + " more not shown");
    return out;
  }
  return v;
}

// A tool's result as the model sees it: the call's id first, arrays cut so that it fits.
std::string tool_message(const std::string& call, const std::string& tool, const json& result) {
  json wrapped = {{"call", call}, {"tool", tool}, {"result", cut_arrays(result, 25)}};
  std::string text = wrapped.dump();
  if (text.size() > kMaxSentToolBytes) {
    wrapped["result"] = cut_arrays(result, 5);
    text = wrapped.dump();
  }
  if (text.size() > kMaxSentToolBytes) {
    text = json({{"call", call}, {"tool", tool}, {"result_cut", llm::clean_text(text, kMaxSentToolBytes)}})
               .dump();
  }
  return text;
}

std::string system_prompt(const Context& cx, const AskRequest& req, bool redacted) {
  const auto now = std::chrono::system_clock::to_time_t(cx.env.clock.now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char today[16];
  std::strftime(today, sizeof today, "%Y-%m-%d", &tm);
  std::string s =
      "You are keel's assistant. keel is a portfolio risk platform; you answer the user's questions about "
      "their "
      "portfolios, ledger, retirement plan, bank balance sheet or CLO deals with keel's own figures.\n"
      "Rules:\n"
      "- Never invent, estimate or compute a figure yourself. Every number you state must come from a tool "
      "result "
      "of this conversation, copied as it appears there.\n"
      "- Tool calls are numbered T1, T2, ... in the order you make them; each tool result starts with its "
      "\"call\" "
      "id. Follow every figure with the id of the call that produced it in square brackets, for example "
      "\"the 1-day 99% VaR is 12,345.67 [T1]\".\n"
      "- If no tool gives what is asked, or a tool fails, say so plainly.\n"
      "- Tools that change data (save_what_if) wait for the user's confirmation: never say such a change was "
      "made.\n"
      "- Be brief.\n"
      "Today is ";
  s += today;
  s += ".";
  if (req.portfolio) s += " The question is about the portfolio named \"" + *req.portfolio + "\".";
  if (redacted) {
    s += "\nPrivacy: symbols appear as SYM_n and amounts as AMT_n. Use these placeholders exactly as given, "
         "also in "
         "tool arguments; do not guess what they stand for.";
  }
  return s;
}

std::vector<llm::ToolCall> calls_of(const std::string& text) {
  std::vector<llm::ToolCall> out;
  const auto j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& c : j) {
    if (!c.is_object()) continue;
    llm::ToolCall t;
    t.id = c.value("id", "");
    t.name = c.value("name", "");
    if (c.contains("arguments") && c["arguments"].is_object()) t.arguments = c["arguments"];
    out.push_back(std::move(t));
  }
  return out;
}

json calls_json(const std::vector<llm::ToolCall>& calls) {
  json a = json::array();
  for (const auto& c : calls) a.push_back({{"id", c.id}, {"name", c.name}, {"arguments", c.arguments}});
  return a;
}

json parse_or(const std::string& text, json fallback) {
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

std::string error_text(const Error& e) {
  std::string s = e.what();
  for (std::size_t i = 0; i < e.details().size() && i < 20; ++i) s += "\n  " + e.details()[i];
  return s;
}

ToolCallResult call_result(const store::MessageRow& m) {
  ToolCallResult r;
  const json extra = parse_or(m.extra, json::object());
  r.call = extra.value("call", "");
  r.tool = m.tool_name;
  r.arguments = extra.value("arguments", json::object());
  r.status = m.status;
  if (m.status == "ok" || m.status == "confirmed") {
    r.output = parse_or(m.content, json(nullptr));
  } else {
    r.error.emplace(m.content);
  }
  return r;
}

// The question's checks (assistant_preflight), returning the provider to use.
store::AssistantProviderRow checked_provider(const Context& cx, const AssistantUser& user,
                                             const AskRequest& request) {
  Store& store = require_store(cx, "the assistant");
  if (request.question.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw Error::invalid_input("invalid question", {"question: required: the question in words"});
  }
  if (request.question.size() > kMaxQuestionBytes) {
    throw Error::invalid_input("invalid question", {"question: at most 32768 bytes"});
  }
  auto& repo = store.assistant();
  auto row = require_provider(repo, user.tenant, request.provider);
  const auto policy = policy_result(repo.policy(user.tenant), user.tenant);
  if (auto why = refusal(policy, row.base_url))
    throw Error::forbidden("assistant provider " + row.name + ": " + *why);
  check_provider_destination(cx, outbound_policy(cx, policy, user.tenant, user.username), user.tenant, user.username,
                             row.name, row.base_url);
  if (policy.redaction == Redaction::kRequired && request.redact == false) {
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
  if (request.portfolio && !store.find_portfolio(user.tenant, *request.portfolio)) {
    throw Error::not_found("no portfolio " + *request.portfolio);
  }
  if (request.conversation && !repo.find_conversation(user.tenant, user.username, *request.conversation)) {
    throw Error::not_found("no conversation " + std::to_string(*request.conversation));
  }
  return row;
}

}  // namespace

// ---- providers ----------------------------------------------------------------------------------

bool role_manages_providers(std::string_view role) {
  const auto r = store::parse_role(role);
  return r && role_allows(*r, kAssistantProviderSet.permission);
}

ProviderResult assistant_provider_add(const Context& cx, const ProviderAddRequest& request) {
  const Context acting = provider_actor(cx, request.tenant, request.username, request.role);
  authorize(acting, kAssistantProviderSet, "assistant_provider/" + llm::clean_text(request.name, 64));
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
  const auto policy = assistant_policy(cx, request.tenant);
  if (auto why = refusal(policy, request.base_url))
    throw Error::forbidden("assistant provider " + request.name + ": " + *why);
  check_provider_destination(cx, outbound_policy(cx, policy, request.tenant, request.username), request.tenant,
                             request.username, request.name, request.base_url);
  store::AssistantProviderRow row;
  row.tenant = request.tenant;
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
  // The first provider of a tenant is the default.
  row.is_default = request.make_default || repo.list_providers(request.tenant, kTenantProviders).empty();
  repo.put_provider(row);
  auto out = provider_result(cx, *repo.find_provider(row.tenant, row.username, row.name), policy);
  audit(acting, kAssistantProviderSet, "assistant_provider/" + out.name,
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
  const net::OutboundPolicy outbound = outbound_policy(cx, policy, tenant, user.username);
  check_provider_destination(cx, outbound, tenant, user.username, row.name, row.base_url);
  ProviderTestResult out;
  out.name = row.name;
  out.model = row.model;
  WipedString key;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    auto provider = open_provider(cx, row, outbound, user.username, key);
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

// ---- policy -------------------------------------------------------------------------------------

AssistantPolicyResult assistant_policy(const Context& cx, const std::string& tenant) {
  Store& store = require_store(cx, "the assistant policy");
  return policy_result(store.assistant().policy(tenant), tenant);
}

AssistantPolicyResult set_assistant_policy(const Context& cx, const AssistantPolicyRequest& request) {
  const Context acting = in_tenant(cx, request.tenant);
  authorize(acting, kAssistantPolicySet, "assistant_policy/" + llm::clean_text(request.tenant, 200));
  Store& store = require_store(cx, "the assistant policy");
  auto current = store.assistant().policy(request.tenant);
  store::AssistantPolicyRow row = current.value_or(store::AssistantPolicyRow{});
  row.tenant = request.tenant;
  if (request.local_only) row.local_only = *request.local_only;
  if (request.allowed_hosts) {
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < request.allowed_hosts->size(); ++i) {
      const auto& h = (*request.allowed_hosts)[i];
      const bool ok = !h.empty() && h.size() <= 255 && std::all_of(h.begin(), h.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
      });
      if (!ok) {
        problems.push_back("allowed_hosts[" + std::to_string(i) +
                           "]: expected a host name or address (and :port), got " + llm::clean_text(h, 80));
      }
    }
    if (!problems.empty()) throw Error::invalid_input("invalid assistant policy", problems);
    row.allowed_hosts = *request.allowed_hosts;
  }
  if (request.redaction) row.redaction = redaction_name(*request.redaction);
  row.updated_by = request.by;
  store.assistant().put_policy(row);
  auto out = assistant_policy(cx, request.tenant);
  audit(acting, kAssistantPolicySet, "assistant_policy/" + request.tenant, spec::to_json(out));
  return out;
}

// ---- asking -------------------------------------------------------------------------------------

namespace {

AskResult ask_unaudited(const Context& cx, const AssistantUser& user, const AskRequest& request,
                        const AskObserver& on_event_in, const std::function<bool()>& cancelled) {
  const AskObserver on_event = on_event_in ? on_event_in : [](std::string_view, const json&) {};
  Store& store = require_store(cx, "the assistant");
  auto& repo = store.assistant();
  const auto row = checked_provider(cx, user, request);
  const auto policy = assistant_policy(cx, user.tenant);
  const bool redact =
      policy.redaction == Redaction::kRequired || request.redact.value_or(policy.redaction == Redaction::kOn);

  // The portfolio named must be the user's.
  std::vector<Position> positions;
  if (request.portfolio) positions = store.positions(user.tenant, *request.portfolio);

  WipedString key;
  auto provider = open_provider(cx, row, outbound_policy(cx, policy, user.tenant, user.username), user.username, key);

  store::ConversationRow conv;
  if (request.conversation) {
    auto found = repo.find_conversation(user.tenant, user.username, *request.conversation);
    if (!found) throw Error::not_found("no conversation " + std::to_string(*request.conversation));
    conv = *found;
  } else {
    conv = repo.create_conversation(user.tenant, user.username, llm::clean_text(request.question, 80));
  }

  detail::Redactor red(redact);
  red.load(parse_or(conv.redaction_map, json::object()));
  for (const auto& p : positions) {
    red.learn_symbol(p.symbol);
    if (!p.underlying.empty()) red.learn_symbol(p.underlying);
    red.learn_amount(p.quantity);
    red.learn_amount(std::fabs(p.quantity));
  }
  red.set_symbol_test([&store](const std::string& word) {
    if (word.size() < 1 || word.size() > 21) return false;
    try {
      return store.latest_price(word, std::nullopt).has_value();
    } catch (const Error&) {
      return false;
    }
  });

  // The conversation so far, as it was sent.
  std::vector<llm::Message> messages;
  std::vector<detail::CallRecord> records;
  int next_call = 1;
  int transcript_size = 0;
  for (const auto& m : repo.messages(user.tenant, conv.id)) {
    ++transcript_size;
    llm::Message lm;
    if (m.role == "user") {
      lm.role = llm::Role::kUser;
      lm.text = m.sent;
    } else if (m.role == "assistant") {
      lm.role = llm::Role::kAssistant;
      lm.text = m.sent;
      lm.tool_calls = calls_of(m.tool_calls);
    } else {
      lm.role = llm::Role::kTool;
      lm.text = m.sent;
      lm.tool_call_id = m.tool_call_id;
      lm.tool_name = m.tool_name;
      lm.tool_error = m.status != "ok";
      ++next_call;
      const auto r = call_result(m);
      if (r.output.is_object() || r.output.is_array())
        records.push_back({r.call, r.tool, r.arguments, r.output});
    }
    messages.push_back(std::move(lm));
  }

  const std::string question_sent = red.redact_text(request.question);
  {
    store::MessageRow um;
    um.conversation_id = conv.id;
    um.role = "user";
    um.content = request.question;
    um.sent = question_sent;
    repo.append_message(user.tenant, um);
    ++transcript_size;
  }
  messages.push_back({llm::Role::kUser, question_sent, {}, "", "", false});

  AskResult result;
  result.conversation = conv.id;
  result.provider = row.name;
  result.model = row.model;
  result.host = llm::url_host(row.base_url);
  result.redacted = redact;
  on_event("start", {{"conversation", conv.id},
                     {"provider", row.name},
                     {"model", row.model},
                     {"host", result.host},
                     {"redacted", redact}});

  std::vector<llm::ToolSpec> offered;
  for (const auto& t : assistant_tools()) {
    if (user.may(t.access)) offered.push_back({t.name, t.description, t.schema()});
  }
  auto is_offered = [&](const std::string& name) {
    return std::any_of(offered.begin(), offered.end(),
                       [&](const llm::ToolSpec& s) { return s.name == name; });
  };

  llm::ChatRequest chat;
  chat.system = system_prompt(cx, request, redact);
  auto save_totals = [&] {
    conv.redaction_map = red.map().dump();
    repo.update_conversation(conv);
  };

  std::string final_text;
  for (int round = 1;; ++round) {
    const bool with_tools = round <= request.max_rounds;
    chat.messages = messages;
    chat.tools = with_tools ? offered : std::vector<llm::ToolSpec>{};
    detail::StreamRestorer restorer(red);
    store::ExchangeRow ex;
    ex.conversation_id = conv.id;
    ex.provider = row.name;
    ex.format = row.format;
    ex.host = result.host;
    ex.model = row.model;
    ex.messages_sent = transcript_size;
    ex.redacted = redact;
    llm::ChatResponse resp;
    try {
      resp = provider->chat(
          chat,
          [&](std::string_view delta) {
            const std::string shown = restorer.push(delta);
            if (!shown.empty()) on_event("text", {{"delta", shown}});
          },
          cancelled);
    } catch (const Error& e) {
      ex.status = "error";
      ex.error = llm::clean_text(e.what(), 1000);
      repo.append_exchange(user.tenant, ex);
      save_totals();
      throw;
    }
    if (const std::string rest = restorer.flush(); !rest.empty()) on_event("text", {{"delta", rest}});
    ex.model = resp.model;
    ex.bytes_sent = static_cast<std::int64_t>(resp.bytes_sent);
    ex.bytes_received = static_cast<std::int64_t>(resp.bytes_received);
    ex.input_tokens = resp.usage.input_tokens;
    ex.output_tokens = resp.usage.output_tokens;
    ex.estimated = resp.usage.estimated;
    ex.cost_usd = resp.cost_usd;
    ex.attempts = resp.attempts;
    repo.append_exchange(user.tenant, ex);
    result.model = resp.model;
    result.usage.input_tokens += resp.usage.input_tokens;
    result.usage.output_tokens += resp.usage.output_tokens;
    result.usage.estimated = result.usage.estimated || resp.usage.estimated;
    result.usage.cost_usd += resp.cost_usd;
    ++result.usage.exchanges;
    conv.input_tokens += resp.usage.input_tokens;
    conv.output_tokens += resp.usage.output_tokens;
    conv.cost_usd += resp.cost_usd;
    on_event("round", {{"round", round},
                       {"input_tokens", resp.usage.input_tokens},
                       {"output_tokens", resp.usage.output_tokens},
                       {"cost_usd", resp.cost_usd},
                       {"tool_calls", resp.tool_calls.size()}});

    store::MessageRow am;
    am.conversation_id = conv.id;
    am.role = "assistant";
    am.content = red.restore_text(resp.text);
    am.sent = resp.text;
    if (resp.tool_calls.empty() || !with_tools) {
      final_text = am.content;
      auto check = detail::check_figures(final_text, records);
      result.citations = std::move(check.citations);
      result.unverified = std::move(check.unverified);
      am.extra = json({{"citations", spec::to_json(result.citations)},
                       {"unverified", spec::to_json(result.unverified)}})
                     .dump();
      repo.append_message(user.tenant, am);
      ++transcript_size;
      break;
    }
    am.tool_calls = calls_json(resp.tool_calls).dump();
    repo.append_message(user.tenant, am);
    ++transcript_size;
    messages.push_back({llm::Role::kAssistant, resp.text, resp.tool_calls, "", "", false});

    for (const auto& tc : resp.tool_calls) {
      ToolCallResult rec;
      rec.call = "T" + std::to_string(next_call++);
      rec.tool = tc.name;
      rec.arguments = red.restore_arguments(tc.arguments);
      on_event("tool_call", {{"call", rec.call}, {"tool", rec.tool}, {"arguments", rec.arguments}});
      const AssistantTool* tool = find_assistant_tool(tc.name);
      std::string sent;
      std::string content;
      if (!tool) {
        rec.status = "error";
        rec.error.emplace("no tool named " + llm::clean_text(tc.name, 80));
      } else if (!user.may(tool->access) || !is_offered(tool->name)) {
        rec.status = "denied";
        rec.error.emplace("forbidden: the user's role (" +
                          (user.role.empty() ? std::string("this role") : user.role) + ") may not " +
                          std::string(tool_access_name(tool->access)) + " (" + tool->name + ")");
      } else if (tool->access == ToolAccess::kWrite) {
        rec.status = "pending";
        rec.error.emplace("waiting for the user's confirmation");
        on_event("confirm", {{"call", rec.call}, {"tool", rec.tool}, {"arguments", rec.arguments}});
      } else {
        try {
          ToolOutput out = tool->run(cx, user.tenant, rec.arguments);
          rec.status = "ok";
          red.learn_symbols_in(out.json);
          sent = tool_message(rec.call, rec.tool, red.redact_output(out.json, out.units));
          content = out.json.dump();
          rec.output = std::move(out.json);
          records.push_back({rec.call, rec.tool, rec.arguments, rec.output});
        } catch (const Error& e) {
          rec.status = "error";
          rec.error.emplace(error_text(e));
        }
      }
      if (rec.status != "ok") {
        content = *rec.error;
        const std::string note =
            rec.status == "pending"
                ? "This change waits for the user's confirmation; it has not been made. Tell the "
                  "user it needs their confirmation."
                : red.redact_text(*rec.error);
        sent =
            json({{"call", rec.call}, {"tool", rec.tool}, {"status", rec.status}, {"message", note}}).dump();
      }
      store::MessageRow tm;
      tm.conversation_id = conv.id;
      tm.role = "tool";
      tm.content = content;
      tm.sent = sent;
      tm.tool_call_id = tc.id;
      tm.tool_name = tc.name;
      tm.status = rec.status;
      tm.extra = json({{"call", rec.call}, {"arguments", rec.arguments}}).dump();
      repo.append_message(user.tenant, tm);
      ++transcript_size;
      messages.push_back({llm::Role::kTool, sent, {}, tc.id, tc.name, rec.status != "ok"});
      json done = {{"call", rec.call}, {"tool", rec.tool}, {"status", rec.status}};
      if (rec.error) done["error"] = *rec.error;
      on_event("tool_result", done);
      result.tool_calls.push_back(std::move(rec));
    }
  }
  result.answer = final_text;
  save_totals();
  return result;
}

}  // namespace

AskResult assistant_ask(const Context& cx, const AssistantUser& user, const AskRequest& request,
                        const AskObserver& on_event, const std::function<bool()>& cancelled) {
  const Context acting = in_tenant(cx, user.tenant);
  AskResult out;
  try {
    out = ask_unaudited(cx, user, request, on_event, cancelled);
  } catch (const Error& e) {
    try {
      audit(acting, kAssistantAsk, "assistant", {{"error", std::string(error_code_name(e.code()))}},
            "failed");
    } catch (...) {
      // The question's own failure is what the caller hears about.
    }
    throw;
  }
  audit(acting, kAssistantAsk, "assistant_conversation/" + std::to_string(out.conversation),
        {{"conversation", out.conversation},
         {"provider", out.provider},
         {"host", out.host},
         {"model", out.model},
         {"redacted", out.redacted},
         {"exchanges", out.usage.exchanges},
         {"tool_calls", out.tool_calls.size()},
         {"cost_usd", out.usage.cost_usd}});
  return out;
}

void assistant_preflight(const Context& cx, const AssistantUser& user, const AskRequest& request) {
  (void)checked_provider(cx, user, request);
}

ConfirmResult assistant_confirm(const Context& cx, const AssistantUser& user, const ConfirmRequest& request) {
  Store& store = require_store(cx, "the assistant");
  auto& repo = store.assistant();
  if (!repo.find_conversation(user.tenant, user.username, request.conversation)) {
    throw Error::not_found("no conversation " + std::to_string(request.conversation));
  }
  for (auto m : repo.messages(user.tenant, request.conversation)) {
    if (m.role != "tool") continue;
    json extra = parse_or(m.extra, json::object());
    if (extra.value("call", "") != request.call) continue;
    if (m.status != "pending") {
      throw Error::conflict("call " + request.call + " is " + m.status + ", not waiting for a confirmation");
    }
    const AssistantTool* tool = find_assistant_tool(m.tool_name);
    if (!tool) throw Error::not_found("no tool named " + m.tool_name);
    if (!user.may(tool->access)) {
      throw Error::forbidden("the user's role (" + user.role + ") may not " +
                             std::string(tool_access_name(tool->access)));
    }
    if (request.approve) {
      ToolOutput out = tool->run(cx, user.tenant, extra.value("arguments", json::object()));
      m.status = "confirmed";
      m.content = out.json.dump();
    } else {
      m.status = "declined";
      m.content = "declined by the user";
    }
    repo.update_message(user.tenant, m);
    ConfirmResult r;
    r.conversation = request.conversation;
    r.call = call_result(m);
    audit(in_tenant(cx, user.tenant), kAssistantConfirm,
          "assistant_conversation/" + std::to_string(request.conversation),
          {{"call", request.call}, {"tool", r.call.tool}, {"status", r.call.status}});
    return r;
  }
  throw Error::not_found("no call " + request.call + " in conversation " +
                         std::to_string(request.conversation));
}

// ---- transcripts --------------------------------------------------------------------------------

namespace {

ConversationSummary summary_of(const store::ConversationRow& c) {
  return {c.id, c.title, c.input_tokens, c.output_tokens, c.cost_usd, c.created_at, c.updated_at};
}

}  // namespace

std::vector<ConversationSummary> assistant_conversations(const Context& cx, const std::string& tenant,
                                                         const std::string& username,
                                                         std::optional<std::int64_t> before,
                                                         std::size_t limit) {
  Store& store = require_store(cx, "the assistant's conversations");
  std::vector<ConversationSummary> out;
  for (const auto& c : store.assistant().list_conversations(tenant, username, before, limit))
    out.push_back(summary_of(c));
  return out;
}

ConversationResult assistant_conversation(const Context& cx, const std::string& tenant,
                                          const std::string& username, std::int64_t id) {
  Store& store = require_store(cx, "the assistant's conversations");
  auto& repo = store.assistant();
  const auto c = repo.find_conversation(tenant, username, id);
  if (!c) throw Error::not_found("no conversation " + std::to_string(id));
  ConversationResult out;
  out.conversation = summary_of(*c);
  for (const auto& m : repo.messages(tenant, id)) {
    TranscriptMessage t;
    t.ordinal = m.ordinal;
    t.role = m.role;
    t.content = m.content;
    if (!m.sent.empty()) t.sent.emplace(m.sent);
    t.tool_calls = parse_or(m.tool_calls, json::array());
    t.extra = parse_or(m.extra, json::object());
    if (m.role == "tool") {
      t.call.emplace(t.extra.value("call", ""));
      t.tool.emplace(m.tool_name);
    }
    t.status = m.status;
    t.created_at = m.created_at;
    out.messages.push_back(std::move(t));
  }
  for (const auto& e : repo.exchanges(tenant, id)) {
    TranscriptExchange x;
    x.ordinal = e.ordinal;
    x.provider = e.provider;
    x.format = e.format;
    x.host = e.host;
    x.model = e.model;
    x.messages_sent = e.messages_sent;
    x.bytes_sent = e.bytes_sent;
    x.bytes_received = e.bytes_received;
    x.input_tokens = e.input_tokens;
    x.output_tokens = e.output_tokens;
    x.estimated = e.estimated;
    x.cost_usd = e.cost_usd;
    x.attempts = e.attempts;
    x.status = e.status;
    if (!e.error.empty()) x.error.emplace(e.error);
    x.redacted = e.redacted;
    x.at = e.at;
    out.exchanges.push_back(std::move(x));
  }
  return out;
}

void assistant_delete_conversation(const Context& cx, const std::string& tenant, const std::string& username,
                                   std::int64_t id) {
  const Context acting = in_tenant(cx, tenant);
  const std::string resource = "assistant_conversation/" + std::to_string(id);
  authorize(acting, kAssistantConversationDelete, resource);
  Store& store = require_store(cx, "the assistant's conversations");
  if (!store.assistant().delete_conversation(tenant, username, id)) {
    throw Error::not_found("no conversation " + std::to_string(id));
  }
  audit(acting, kAssistantConversationDelete, resource, {{"id", id}});
}

}  // namespace keel::service
