// keel/store/assistant_repository.h: what the assistant keeps (migrations 40 and 71) — each
// tenant's LLM providers, each tenant's privacy policy, and each user's conversations with every
// message, tool call and provider exchange (the audit of what left the machine, to which provider).
//
// Provider rows are keyed by (tenant, username, name); the assistant's use cases keep a tenant's
// providers, which its administrators register and every user uses, under the user name ""
// (migration 71 moved the rows registered before it there, keeping only admins' and the keel
// command's).
//
// A provider row names the vault key its requests use (`key_name`), never the key: keys live
// sealed in the key vault (keel/store/secret_repository.h). Conversations belong to a user of a
// tenant; a message's `content` is what keel computed or the user wrote, `sent` is the text that
// went to the provider (redacted, cut to size), and every exchange records the provider, its host
// and model, how many of the conversation's messages it carried, the bytes, tokens and cost.
// On PostgreSQL every table is under row-level security (keel_protect): the providers, policies
// and conversations by their tenant, messages and exchanges through their conversation.
//
// AssistantRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::assistant() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

struct AssistantProviderRow {
  std::string tenant;
  std::string username;
  std::string name;
  std::string format;  // openai | anthropic (keel/llm/chat.h)
  std::string base_url;
  std::string model;
  std::string key_name;  // the tenant's vault key its requests send; "" for none (a local server)
  double input_usd_per_mtok = 0.0;
  double output_usd_per_mtok = 0.0;
  bool is_default = false;  // the user's provider when a question names none
  std::string created_at;   // set by the store
  std::string updated_at;
};

struct AssistantPolicyRow {
  std::string tenant;
  bool local_only = false;                 // only providers on this machine or a private network
  std::vector<std::string> allowed_hosts;  // hosts providers may be on; empty: any (within local_only)
  std::string redaction = "off";           // off | on (the default for questions) | required
  std::string updated_at;                  // set by the store
  std::string updated_by;
};

struct ConversationRow {
  std::int64_t id = 0;
  std::string tenant;
  std::string username;
  std::string title;
  std::string redaction_map = "{}";  // JSON: placeholder -> original, kept locally to restore answers
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  double cost_usd = 0.0;
  std::string created_at;
  std::string updated_at;
};

struct MessageRow {
  std::int64_t conversation_id = 0;
  int ordinal = 0;                // 1, 2, ... in the conversation (set by append_message)
  std::string role;               // user | assistant | tool
  std::string content;            // in clear: the question, the answer, the tool's output (JSON)
  std::string sent;               // what the provider received for it (redacted, cut); "" when never sent
  std::string tool_calls = "[]";  // assistant: JSON [{id, name, arguments}] as the model asked
  std::string tool_call_id;       // tool: the call it answers
  std::string tool_name;
  std::string status =
      "ok";  // ok | error | denied | pending (a write awaiting confirmation) | confirmed | declined
  std::string extra = "{}";  // JSON: tool arguments run, citations, the figures check
  std::string created_at;    // set by the store
};

struct ExchangeRow {
  std::int64_t conversation_id = 0;
  int ordinal = 0;  // set by append_exchange
  std::string provider;
  std::string format;
  std::string host;
  std::string model;
  int messages_sent = 0;  // the conversation's messages 1..N went (as their `sent` text)
  std::int64_t bytes_sent = 0;
  std::int64_t bytes_received = 0;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  bool estimated = false;  // the provider did not count tokens
  double cost_usd = 0.0;
  int attempts = 1;
  std::string status = "ok";  // ok | error
  std::string error;
  bool redacted = false;
  std::string at;  // set by the store
};

class AssistantRepository {
 public:
  AssistantRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Providers of a user. put_provider replaces a row of the same name (keeping its created_at) and,
  // when the row is the default, makes it the user's only default. Returns true when it replaced one.
  bool put_provider(const AssistantProviderRow& row);
  std::optional<AssistantProviderRow> find_provider(const std::string& tenant, const std::string& username,
                                                    const std::string& name);
  std::vector<AssistantProviderRow> list_providers(const std::string& tenant, const std::string& username);
  bool remove_provider(const std::string& tenant, const std::string& username, const std::string& name);

  // The tenant's policy (nullopt: none set, every provider allowed, redaction off).
  std::optional<AssistantPolicyRow> policy(const std::string& tenant);
  void put_policy(const AssistantPolicyRow& row);

  ConversationRow create_conversation(const std::string& tenant, const std::string& username,
                                      const std::string& title);
  // Another user's or tenant's conversation is not found.
  std::optional<ConversationRow> find_conversation(const std::string& tenant, const std::string& username,
                                                   std::int64_t id);
  // Newest first, ids below `before_id` when given.
  std::vector<ConversationRow> list_conversations(const std::string& tenant, const std::string& username,
                                                  std::optional<std::int64_t> before_id, std::size_t limit);
  // Writes title, redaction map and the token and cost totals; updated_at from the clock.
  void update_conversation(const ConversationRow& row);
  bool delete_conversation(const std::string& tenant, const std::string& username, std::int64_t id);

  // Appends to a conversation of `tenant` (Error::not_found otherwise); sets row.ordinal and created_at.
  void append_message(const std::string& tenant, MessageRow& row);
  // Replaces content, sent, status and extra of message (conversation_id, ordinal).
  void update_message(const std::string& tenant, const MessageRow& row);
  std::vector<MessageRow> messages(const std::string& tenant, std::int64_t conversation_id);
  void append_exchange(const std::string& tenant, ExchangeRow& row);
  std::vector<ExchangeRow> exchanges(const std::string& tenant, std::int64_t conversation_id);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
