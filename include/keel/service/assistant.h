// keel/service/assistant.h: an assistant that answers from keel's own numbers — `keel ask`,
// `keel assistant ...`, POST /api/v1/assistant/messages and the web app's Ask panel.
//
// A question goes to a large language model (keel/llm/chat.h: an OpenAI-compatible server or
// Anthropic) together with keel's use cases as tools (keel/service/assistant_tools.h: list and
// show portfolios, VaR/ES, exposures, Greeks, factor betas, stress, what-if, ledger gains and
// holdings, a retirement plan, EVE/NII, CLO tests). The model calls tools; keel runs each one as
// the asking user — with that user's tenant and permissions (AssistantUser::may), never a file —
// and sends the result back, until the model answers. The answer must cite each figure with the
// call that produced it ("12,345.67 [T1]"); keel checks every number of the answer against the
// outputs of the calls and reports each as cited (with the call and the JSON path of the value)
// or unverified. A tool that writes (saving a what-if book as a portfolio) never runs on the
// model's word: it waits as a pending call until the user confirms it (assistant_confirm).
//
// Providers are the tenant's, registered by its administrators (assistant_provider_add: the wire
// format, base URL, model, the name of the tenant's vault key to send, prices per million tokens;
// role_manages_providers) and used by every user of the tenant; keys come from the key vault
// (Context::secrets) when a request is made, only for the origins the key is bound to, and are
// never stored with the provider, shown, logged or kept in a transcript. Under keel serve every
// request is checked by the outbound guard (Context::outbound): no private, loopback or
// link-local destination unless the tenant's policy lists the host. Each tenant's policy (assistant_policy) limits the providers
// (local only, allowed hosts) and sets redaction: with it, every symbol and every amount (fields
// whose unit is money, a price or a quantity) is replaced by a placeholder (SYM_1, AMT_1) in every
// byte sent, and put back in the answer and in the tool arguments the model sends.
//
// Everything is kept per user (keel/store/assistant_repository.h): each message in clear and as it
// was sent, each tool call's arguments and output, and each exchange with a provider (which
// provider and host, which messages, bytes, tokens, cost), so a transcript is also the audit of
// what left the machine. docs/assistant.md is the user's account.
//
// Thread-safety: stateless functions; see the Context's store and secrets. assistant_ask calls its
// observer on the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// What a tool needs of the asking user's permissions.
enum class ToolAccess { kRead, kCompute, kWrite };
std::string_view tool_access_name(ToolAccess a);  // read, compute, write

// The asking user: tenant, name, and the face's answer to "may this user do that" (keel serve:
// the role's read / compute / manage_portfolios permissions; the keel command: everything).
struct AssistantUser {
  std::string tenant = "default";
  std::string username;
  std::string role;  // for messages ("viewer")
  std::function<bool(ToolAccess)> may = [](ToolAccess) { return true; };
};

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

struct ProviderAddRequest {
  std::string tenant;    // set by the face
  std::string username;  // set by the face: who registers it
  std::string role;      // set by the face: the caller's role (admin, manager, analyst, viewer)
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
  static void fields(V& v, S& s) {
    v.field({.name = "name",
             .help = "The provider's name in the tenant (letters, digits, . _ -)",
             .faces = spec::kHttp,
             .required = true},
            s.name);
    v.choice(
        {.name = "format",
         .help =
             "Wire format: openai (OpenAI, OpenRouter, LM Studio, Ollama, any chat-completions server) or "
             "anthropic (Messages API)",
         .cli_name = "api"},  // --format is the command's output format
        s.format, kProviderFormatNames);
    v.field(
        {.name = "base_url",
         .help =
             "https://api.openai.com/v1, https://openrouter.ai/api/v1, http://127.0.0.1:1234/v1 (LM Studio), "
             "http://127.0.0.1:11434/v1 (Ollama), https://api.anthropic.com",
         .required = true},
        s.base_url);
    v.field({.name = "model", .help = "The model as the provider names it", .required = true}, s.model);
    v.field({.name = "key",
             .help = "Name of the tenant's vault key sent with each request (keel keys set NAME); "
                     "absent for a server that needs none"},
            s.key);
    v.field({.name = "input_cost",
             .help = "Price of input tokens",
             .unit = "USD per million tokens",
             .min = 0,
             .max = 1e6},
            s.input_cost);
    v.field({.name = "output_cost",
             .help = "Price of output tokens",
             .unit = "USD per million tokens",
             .min = 0,
             .max = 1e6},
            s.output_cost);
    v.field({.name = "default", .help = "The tenant's provider when a question names none"}, s.make_default);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "name"}, s.name);
    v.field({.name = "format", .help = "openai or anthropic"}, s.format);
    v.field({.name = "base_url"}, s.base_url);
    v.field({.name = "host", .help = "Where requests go"}, s.host);
    v.field({.name = "local", .help = "The host is this machine or a private network"}, s.local);
    v.field({.name = "model"}, s.model);
    v.field({.name = "key", .help = "The vault key sent (its name; null: none)"}, s.key);
    v.field({.name = "key_set", .help = "The tenant's vault holds that key"}, s.key_set);
    v.field({.name = "input_cost", .unit = "USD per million tokens"}, s.input_cost);
    v.field({.name = "output_cost", .unit = "USD per million tokens"}, s.output_cost);
    v.field({.name = "default"}, s.is_default);
    v.field({.name = "allowed", .help = "The tenant's assistant policy allows it"}, s.allowed);
    v.field({.name = "refused_because", .help = "Why the policy refuses it (null when allowed)"},
            s.refused_because);
    v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
    v.field({.name = "updated_at", .help = "ISO-8601 UTC"}, s.updated_at);
  }
};

struct ProviderListResult {
  std::vector<ProviderResult> items;
  static constexpr const char* kSchemaName = "AssistantProviderList";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "items"}, s.items);
  }
};

struct ProviderDeleteResult {
  bool deleted = true;
  std::string name;
  static constexpr const char* kSchemaName = "AssistantProviderDeleted";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "deleted"}, s.deleted);
    v.field({.name = "name"}, s.name);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "name"}, s.name);
    v.field({.name = "model", .help = "The model as the provider names it"}, s.model);
    v.field({.name = "ok"}, s.ok);
    v.field({.name = "latency_ms", .unit = "milliseconds"}, s.latency_ms);
    v.field({.name = "answer", .help = "The model's answer to a one-word prompt"}, s.answer);
    v.field({.name = "input_tokens"}, s.input_tokens);
    v.field({.name = "output_tokens"}, s.output_tokens);
    v.field({.name = "cost_usd", .unit = "USD"}, s.cost_usd);
    v.field({.name = "error", .help = "Why the test failed (null when ok)"}, s.error);
  }
};

// Adds or replaces a provider of the tenant; audited as assistant.provider.set (details name,
// host, model, key name). Throws keel::Error: forbidden (audited `auth.forbidden`) when
// request.role may not (kAssistantProviderSet), checked before anything else; invalid_input for a bad name, URL or
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
  static void fields(V& v, S& s) {
    v.field({.name = "tenant"}, s.tenant);
    v.field({.name = "local_only", .help = "Only providers on this machine or a private network"},
            s.local_only);
    v.field({.name = "allowed_hosts", .help = "Hosts providers may be on (empty: any)"}, s.allowed_hosts);
    v.choice({.name = "redaction",
              .help = "off; on (questions are redacted unless they say otherwise); required (always)"},
             s.redaction, kRedactionNames);
    v.field({.name = "updated_at", .help = "ISO-8601 UTC (null: never set)"}, s.updated_at);
    v.field({.name = "updated_by"}, s.updated_by);
  }
};

struct AssistantPolicyRequest {
  std::string tenant;  // set by the face
  std::string by;      // set by the face
  std::optional<bool> local_only;
  std::optional<std::vector<std::string>> allowed_hosts;
  std::optional<Redaction> redaction;

  static constexpr const char* kSchemaName = "AssistantPolicyRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    // The command line: --local-only / --any-location, --allow-host (repeat) / --any-host.
    v.field({.name = "local_only",
             .help = "Only providers on this machine or a private network (false: anywhere)",
             .cli_off = "any-location"},
            s.local_only);
    v.field({.name = "allowed_hosts",
             .help = "Hosts providers may be on, e.g. api.openai.com (empty: any); replaces the list",
             .cli_name = "allow-host",
             .cli_off = "any-host"},
            s.allowed_hosts);
    v.choice({.name = "redaction", .help = "Placeholders for symbols and amounts in what is sent (on: the default)"},
             s.redaction, kRedactionNames);
  }
};

// What the assistant's use cases that change something need and write (keel/service/rules.h),
// each audited for the Context's actor in the tenant of the request or user it is given: the
// policy is an administrator's (manage_keys); conversations are their user's own, so asking,
// confirming (the tool's own permission is checked on top, AssistantUser::may) and deleting need
// only read.
inline constexpr UseCase kAssistantPolicySet{"set the tenant's assistant policy (an administrator's decision)",
                                             Permission::kManageKeys, "assistant.policy.set"};
inline constexpr UseCase kAssistantAsk{"ask the assistant", Permission::kRead, "assistant.ask"};
inline constexpr UseCase kAssistantConfirm{"confirm the assistant's proposed changes", Permission::kRead,
                                           "assistant.confirm"};
inline constexpr UseCase kAssistantConversationDelete{"delete assistant conversations", Permission::kRead,
                                                      "assistant.conversation.delete"};

AssistantPolicyResult assistant_policy(const Context& cx, const std::string& tenant);
// Changes the fields given; audited as assistant.policy.set (resource assistant_policy/TENANT,
// details the policy now). Throws keel::Error: forbidden (kAssistantPolicySet), invalid_input for a
// malformed host.
AssistantPolicyResult set_assistant_policy(const Context& cx, const AssistantPolicyRequest& request);

// ---- asking -------------------------------------------------------------------------------------

struct AskRequest {
  std::string question;
  std::optional<std::string> portfolio;
  std::optional<std::string> provider;
  std::optional<std::int64_t> conversation;
  std::optional<bool> redact;
  int max_rounds = 8;
  bool stream = true;

  static constexpr const char* kSchemaName = "AssistantAskRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "question", .help = "The question, in words", .required = true, .cli_positional = true},
            s.question);
    v.field({.name = "portfolio", .help = "The portfolio the question is about", .cli_short = "-p"},
            s.portfolio);
    v.field({.name = "provider", .help = "One of your providers (default: your default provider)"},
            s.provider);
    v.field({.name = "conversation", .help = "Continue this conversation (its id)", .min = 1},
            s.conversation);
    v.field(
        {.name = "redact",
         .help = "Replace symbols and amounts by placeholders in what is sent (default: the tenant's policy; "
                 "false sends them unless the policy requires redaction)"},
        s.redact);
    v.field({.name = "max_rounds",
             .help = "Most rounds of tool calls before the model must answer",
             .min = 1,
             .max = 20},
            s.max_rounds);
    v.field({.name = "stream",
             .help = "Answer as server-sent events (false: one JSON document at the end)",
             .faces = spec::kHttp},
            s.stream);
  }
};

// A figure of the answer and the tool call that holds it.
struct Citation {
  std::string figure;  // as written in the answer
  double value = 0.0;
  std::string call;  // T1, T2, ...
  std::string tool;
  std::string path;   // JSON pointer of the value in the call's output (or "/arguments/...")
  bool cited = true;  // the answer named this call after the figure (false: found in another call)

  static constexpr const char* kSchemaName = "AssistantCitation";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "figure", .help = "The number as the answer writes it"}, s.figure);
    v.field({.name = "value"}, s.value);
    v.field({.name = "call", .help = "The tool call whose output holds it (T1, T2, ...)"}, s.call);
    v.field({.name = "tool"}, s.tool);
    v.field({.name = "path", .help = "JSON pointer of the value in the call's output"}, s.path);
    v.field({.name = "cited", .help = "The answer named this call after the figure"}, s.cited);
  }
};

struct UnverifiedFigure {
  std::string figure;
  std::string reason;
  static constexpr const char* kSchemaName = "AssistantUnverifiedFigure";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "figure"}, s.figure);
    v.field({.name = "reason"}, s.reason);
  }
};

struct ToolCallResult {
  std::string call;  // T1, T2, ...
  std::string tool;
  nlohmann::json arguments = nlohmann::json::object();  // as run (placeholders restored)
  std::string status;                                   // ok, error, denied, pending
  spec::Nullable<std::string> error;
  nlohmann::json output;  // the tool's result (null unless ok)

  static constexpr const char* kSchemaName = "AssistantToolCall";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "call", .help = "T1, T2, ... in the conversation"}, s.call);
    v.field({.name = "tool"}, s.tool);
    v.field({.name = "arguments", .help = "The arguments as run (free-form: the tool's request)"},
            s.arguments);
    v.field({.name = "status",
             .help = "ok, error, denied (the user lacks the permission), or pending (a write "
                     "awaiting the user's confirmation)"},
            s.status);
    v.field({.name = "error"}, s.error);
    v.field(
        {.name = "output", .help = "The tool's result (free-form: the use case's result; null unless ok)"},
        s.output);
  }
};

struct AskUsage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  bool estimated = false;
  double cost_usd = 0.0;
  int exchanges = 0;
  static constexpr const char* kSchemaName = "AssistantUsage";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "input_tokens"}, s.input_tokens);
    v.field({.name = "output_tokens"}, s.output_tokens);
    v.field({.name = "estimated", .help = "The provider did not count tokens: 4 bytes a token"}, s.estimated);
    v.field({.name = "cost_usd", .unit = "USD"}, s.cost_usd);
    v.field({.name = "exchanges", .help = "Requests to the provider"}, s.exchanges);
  }
};

struct AskResult {
  std::int64_t conversation = 0;
  std::string provider;
  std::string model;
  std::string host;
  bool redacted = false;
  std::string answer;
  std::vector<Citation> citations;
  std::vector<UnverifiedFigure> unverified;
  std::vector<ToolCallResult> tool_calls;
  AskUsage usage;

  static constexpr const char* kSchemaName = "AssistantAnswer";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "conversation", .help = "The conversation's id (continue it with \"conversation\")"},
            s.conversation);
    v.field({.name = "provider"}, s.provider);
    v.field({.name = "model"}, s.model);
    v.field({.name = "host", .help = "Where the conversation was sent"}, s.host);
    v.field(
        {.name = "redacted", .help = "Symbols and amounts were replaced by placeholders in what was sent"},
        s.redacted);
    v.field({.name = "answer", .help = "The answer, figures followed by [Tn], the call that produced them"},
            s.answer);
    v.field({.name = "citations", .help = "Each figure of the answer found in a tool call's output"},
            s.citations);
    v.field({.name = "unverified", .help = "Figures of the answer no tool output holds"}, s.unverified);
    v.field({.name = "tool_calls", .help = "The tool calls of this question, in order"}, s.tool_calls);
    v.field({.name = "usage", .help = "Tokens and cost of this question"}, s.usage);
  }
};

// Called as the conversation goes: "start" {conversation, provider, model, host, redacted},
// "text" {delta} (answer text as it arrives, placeholders restored), "tool_call" {call, tool,
// arguments}, "tool_result" {call, tool, status, error}, "confirm" {call, tool, arguments}
// (a write awaits the user), "round" {round, input_tokens, output_tokens, cost_usd}; the result
// itself is returned (the server sends it as "answer").
using AskObserver = std::function<void(std::string_view event, const nlohmann::json& data)>;

// Asks. Throws keel::Error: usage without a store or vault; not_found for an unknown provider,
// portfolio or conversation; forbidden when the policy refuses the provider, or redaction is
// required and the request turns it off; unauthorized / rate_limited / internal as the provider
// answers (the exchange is kept in the transcript with its error). `cancelled` is polled while
// waiting on the provider. Audited as assistant.ask: resource assistant_conversation/ID, details
// conversation, provider, host, model, redacted, exchanges, tool_calls and cost_usd; a failure
// (keel::Error) as resource assistant, outcome failed, details the error's code.
AskResult assistant_ask(const Context& cx, const AssistantUser& user, const AskRequest& request,
                        const AskObserver& on_event = {}, const std::function<bool()>& cancelled = {});
// The checks assistant_ask makes before anything is sent (the question, the provider and the
// policy, the key in the vault, the portfolio, the conversation), throwing as it would: the server
// runs them before it answers with an event stream, so that they are plain 4xx answers.
void assistant_preflight(const Context& cx, const AssistantUser& user, const AskRequest& request);

struct ConfirmRequest {
  std::int64_t conversation = 0;  // set by the face
  std::string call;               // set by the face: T3
  bool approve = true;

  static constexpr const char* kSchemaName = "AssistantConfirmRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "approve", .help = "true runs the pending call; false declines it"}, s.approve);
  }
};

struct ConfirmResult {
  std::int64_t conversation = 0;
  ToolCallResult call;
  static constexpr const char* kSchemaName = "AssistantConfirmation";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "conversation"}, s.conversation);
    v.field({.name = "call", .help = "The call after the decision (status confirmed or declined)"}, s.call);
  }
};

// Runs (or declines) a pending write of the user's conversation, with the user's permissions;
// audited as assistant.confirm (resource assistant_conversation/ID, details call, tool, status).
// not_found for no such call; conflict when it is not pending; forbidden without the permission.
ConfirmResult assistant_confirm(const Context& cx, const AssistantUser& user, const ConfirmRequest& request);

// ---- transcripts --------------------------------------------------------------------------------

struct ConversationSummary {
  std::int64_t id = 0;
  std::string title;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  double cost_usd = 0.0;
  std::string created_at;
  std::string updated_at;

  static constexpr const char* kSchemaName = "AssistantConversationSummary";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "id"}, s.id);
    v.field({.name = "title", .help = "The first question, cut"}, s.title);
    v.field({.name = "input_tokens"}, s.input_tokens);
    v.field({.name = "output_tokens"}, s.output_tokens);
    v.field({.name = "cost_usd", .unit = "USD"}, s.cost_usd);
    v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
    v.field({.name = "updated_at", .help = "ISO-8601 UTC"}, s.updated_at);
  }
};

struct TranscriptMessage {
  int ordinal = 0;
  std::string role;  // user, assistant, tool
  std::string content;
  spec::Nullable<std::string> sent;  // what the provider received (null: never sent)
  nlohmann::json tool_calls;         // assistant: the calls asked for
  spec::Nullable<std::string> call;  // tool: T1, T2 ...
  spec::Nullable<std::string> tool;
  std::string status;
  nlohmann::json extra;  // tool: arguments; assistant answers: citations, unverified
  std::string created_at;

  static constexpr const char* kSchemaName = "AssistantMessage";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "ordinal"}, s.ordinal);
    v.field({.name = "role", .help = "user, assistant or tool"}, s.role);
    v.field(
        {.name = "content", .help = "In clear: the question, the answer, or the tool's output (JSON text)"},
        s.content);
    v.field({.name = "sent",
             .help = "What the provider received for it (redacted, cut to size); null: never sent"},
            s.sent);
    v.field(
        {.name = "tool_calls", .help = "The calls the model asked for (free-form: [{id, name, arguments}])"},
        s.tool_calls);
    v.field({.name = "call", .help = "Tool messages: T1, T2, ..."}, s.call);
    v.field({.name = "tool"}, s.tool);
    v.field({.name = "status", .help = "ok, error, denied, pending, confirmed or declined"}, s.status);
    v.field({.name = "extra", .help = "Free-form: a tool's arguments as run; an answer's citations"},
            s.extra);
    v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  }
};

struct TranscriptExchange {
  int ordinal = 0;
  std::string provider;
  std::string format;
  std::string host;
  std::string model;
  int messages_sent = 0;
  std::int64_t bytes_sent = 0;
  std::int64_t bytes_received = 0;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  bool estimated = false;
  double cost_usd = 0.0;
  int attempts = 1;
  std::string status;
  spec::Nullable<std::string> error;
  bool redacted = false;
  std::string at;

  static constexpr const char* kSchemaName = "AssistantExchange";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "ordinal"}, s.ordinal);
    v.field({.name = "provider"}, s.provider);
    v.field({.name = "format"}, s.format);
    v.field({.name = "host", .help = "Where the data went"}, s.host);
    v.field({.name = "model"}, s.model);
    v.field(
        {.name = "messages_sent", .help = "Messages 1..N of the transcript were sent (their \"sent\" text)"},
        s.messages_sent);
    v.field({.name = "bytes_sent", .unit = "bytes"}, s.bytes_sent);
    v.field({.name = "bytes_received", .unit = "bytes"}, s.bytes_received);
    v.field({.name = "input_tokens"}, s.input_tokens);
    v.field({.name = "output_tokens"}, s.output_tokens);
    v.field({.name = "estimated", .help = "The provider did not count tokens"}, s.estimated);
    v.field({.name = "cost_usd", .unit = "USD"}, s.cost_usd);
    v.field({.name = "attempts"}, s.attempts);
    v.field({.name = "status", .help = "ok or error"}, s.status);
    v.field({.name = "error"}, s.error);
    v.field({.name = "redacted"}, s.redacted);
    v.field({.name = "at", .help = "ISO-8601 UTC"}, s.at);
  }
};

struct ConversationResult {
  ConversationSummary conversation;
  std::vector<TranscriptMessage> messages;
  std::vector<TranscriptExchange> exchanges;

  static constexpr const char* kSchemaName = "AssistantConversation";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "conversation"}, s.conversation);
    v.field({.name = "messages", .help = "Every message in order, in clear and as sent"}, s.messages);
    v.field({.name = "exchanges", .help = "Every request to a provider: what left the machine, to where"},
            s.exchanges);
  }
};

struct ConversationListResult {
  std::vector<ConversationSummary> items;
  spec::Nullable<std::string> next_cursor;
  static constexpr const char* kSchemaName = "AssistantConversationList";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "items"}, s.items);
    v.field({.name = "next_cursor", .help = "Opaque; null on the last page"}, s.next_cursor);
  }
};

// The user's conversations, newest first (ids below `before` when given).
std::vector<ConversationSummary> assistant_conversations(const Context& cx, const std::string& tenant,
                                                         const std::string& username,
                                                         std::optional<std::int64_t> before,
                                                         std::size_t limit);
// not_found for another user's or tenant's conversation.
ConversationResult assistant_conversation(const Context& cx, const std::string& tenant,
                                          const std::string& username, std::int64_t id);
// Deletes the user's conversation; audited as assistant.conversation.delete (resource
// assistant_conversation/ID, details id). not_found for another user's or tenant's conversation.
void assistant_delete_conversation(const Context& cx, const std::string& tenant, const std::string& username,
                                   std::int64_t id);

}  // namespace keel::service
