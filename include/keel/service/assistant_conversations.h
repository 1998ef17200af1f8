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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct ConversationResult {
  ConversationSummary conversation;
  std::vector<TranscriptMessage> messages;
  std::vector<TranscriptExchange> exchanges;

  static constexpr const char* kSchemaName = "AssistantConversation";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ConversationListResult {
  std::vector<ConversationSummary> items;
  spec::Nullable<std::string> next_cursor;
  static constexpr const char* kSchemaName = "AssistantConversationList";
  template <class V, class S>
  static void fields(V& v, S& s);
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
