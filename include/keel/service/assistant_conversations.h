// keel/service/assistant_conversations.h: the assistant's transcripts — `keel assistant
// conversations|show`, GET /api/v1/assistant/conversations[/{id}] and
// DELETE /api/v1/assistant/conversations/{id}.
//
// Everything is kept per user (keel/store/assistant_repository.h), written by asking
// (keel/service/assistant_ask.h): each message in clear and as it was sent, each tool call's
// arguments and output, and each exchange with a provider (which provider and host, which
// messages, bytes, tokens, cost), so a transcript is also the audit of what left the machine. A
// user sees and deletes only their own conversations, in their tenant.
//
// Thread-safety: stateless functions; see the Context's store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// What deleting a conversation needs and writes (keel/service/rules.h): a conversation is its
// user's own, so only read; audited for the Context's actor in the given tenant.
inline constexpr UseCase kAssistantConversationDelete{"delete assistant conversations", Permission::kRead,
                                                      "assistant.conversation.delete"};

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
