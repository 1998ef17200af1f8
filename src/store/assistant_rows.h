// src/store/assistant_rows.h (private): how the assistant's rows are laid out (migration 40),
// shared by both backends: the SELECT lists and the decoders of their rows (a SqlStatement's
// row, sql.h, read by column index).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "keel/store/assistant_repository.h"
#include "sql.h"
#include "tags_text.h"

namespace keel::store::detail {

inline constexpr const char* kProviderSelect =
    "SELECT tenant, username, name, format, base_url, model, key_name, input_usd_per_mtok, "
    "output_usd_per_mtok, "
    "is_default, created_at, updated_at FROM assistant_providers ";
inline constexpr const char* kPolicySelect =
    "SELECT tenant, local_only, allowed_hosts, redaction, updated_at, updated_by FROM assistant_policies ";
inline constexpr const char* kConversationSelect =
    "SELECT id, tenant, username, title, redaction_map, input_tokens, output_tokens, cost_usd, created_at, "
    "updated_at FROM assistant_conversations ";
inline constexpr const char* kMessageSelect =
    "SELECT conversation_id, ordinal, role, content, sent, tool_calls, tool_call_id, tool_name, status, "
    "extra, "
    "created_at FROM assistant_messages ";
inline constexpr const char* kExchangeSelect =
    "SELECT conversation_id, ordinal, provider, format, host, model, messages_sent, bytes_sent, "
    "bytes_received, "
    "input_tokens, output_tokens, estimated, cost_usd, attempts, status, error, redacted, at FROM "
    "assistant_exchanges ";

inline AssistantProviderRow read_provider(const SqlStatement& r) {
  AssistantProviderRow p;
  read_row(r, 0, p.tenant, p.username, p.name, p.format, p.base_url, p.model, p.key_name,
           p.input_usd_per_mtok, p.output_usd_per_mtok, p.is_default, p.created_at, p.updated_at);
  return p;
}

inline AssistantPolicyRow read_policy(const SqlStatement& r) {
  AssistantPolicyRow p;
  read_row(r, 0, p.tenant, p.local_only);
  p.allowed_hosts = split_names(r.get_text(2), '\n');  // one per line
  read_row(r, 3, p.redaction, p.updated_at, p.updated_by);
  return p;
}

inline ConversationRow read_conversation(const SqlStatement& r) {
  ConversationRow c;
  read_row(r, 0, c.id, c.tenant, c.username, c.title, c.redaction_map, c.input_tokens, c.output_tokens,
           c.cost_usd, c.created_at, c.updated_at);
  return c;
}

inline MessageRow read_message(const SqlStatement& r) {
  MessageRow m;
  read_row(r, 0, m.conversation_id, m.ordinal, m.role, m.content, m.sent, m.tool_calls, m.tool_call_id,
           m.tool_name, m.status, m.extra, m.created_at);
  return m;
}

inline ExchangeRow read_exchange(const SqlStatement& r) {
  ExchangeRow e;
  read_row(r, 0, e.conversation_id, e.ordinal, e.provider, e.format, e.host, e.model, e.messages_sent,
           e.bytes_sent, e.bytes_received, e.input_tokens, e.output_tokens, e.estimated, e.cost_usd,
           e.attempts, e.status, e.error, e.redacted, e.at);
  return e;
}

}  // namespace keel::store::detail
