// keel/service/assistant_ask.h: asking the assistant, which answers from keel's own numbers —
// `keel ask`, POST /api/v1/assistant/messages (an event stream or one JSON document), the web
// app's Ask panel — and confirming the writes it proposes (`keel assistant confirm`,
// POST /api/v1/assistant/conversations/{id}/calls/{call}/confirm).
//
// A question goes to a large language model (keel/llm/chat.h: an OpenAI-compatible server or
// Anthropic; the tenant's provider, keel/service/assistant_providers.h) together with keel's use
// cases as tools (keel/service/assistant_tools.h: list and show portfolios, VaR/ES, exposures,
// Greeks, factor betas, stress, what-if, ledger gains and holdings, a retirement plan, EVE/NII, CLO
// tests). The model calls tools; keel runs each one as the asking user
// (keel/service/assistant_user.h) and sends the result back, redacted as the tenant's policy says, until the
// model answers. The answer must cite each figure with the call that produced it
// ("12,345.67 [T1]"); keel checks every number of the answer against the outputs of the calls and
// reports each as cited (with the call and the JSON path of the value) or unverified. A tool that
// writes (saving a what-if book as a portfolio) never runs on the model's word: it waits as a
// pending call until the user confirms it (assistant_confirm).
//
// Every message, tool call and exchange with the provider is kept in the user's conversation
// (keel/service/assistant_conversations.h), so a transcript is also the audit of what left the
// machine.
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

#include "keel/service/assistant_user.h"
#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// What asking and confirming need and write (keel/service/rules.h), each audited for the Context's
// actor in the asking user's tenant: conversations are their user's own, so both need only read
// (the tool's own permission is checked on top, AssistantUser::may).
inline constexpr UseCase kAssistantAsk{"ask the assistant", Permission::kRead, "assistant.ask"};
inline constexpr UseCase kAssistantConfirm{"confirm the assistant's proposed changes", Permission::kRead,
                                           "assistant.confirm"};

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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct UnverifiedFigure {
  std::string figure;
  std::string reason;
  static constexpr const char* kSchemaName = "AssistantUnverifiedFigure";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct AskUsage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  bool estimated = false;
  double cost_usd = 0.0;
  int exchanges = 0;
  static constexpr const char* kSchemaName = "AssistantUsage";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct ConfirmResult {
  std::int64_t conversation = 0;
  ToolCallResult call;
  static constexpr const char* kSchemaName = "AssistantConfirmation";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Runs (or declines) a pending write of the user's conversation, with the user's permissions;
// audited as assistant.confirm (resource assistant_conversation/ID, details call, tool, status).
// not_found for no such call; conflict when it is not pending; forbidden without the permission.
ConfirmResult assistant_confirm(const Context& cx, const AssistantUser& user, const ConfirmRequest& request);

}  // namespace keel::service
