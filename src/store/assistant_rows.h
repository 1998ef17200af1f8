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

// Allowed hosts are stored one per line.
inline std::string join_hosts(const std::vector<std::string>& hosts) {
  std::string out;
  for (const auto& h : hosts) out += (out.empty() ? "" : "\n") + h;
  return out;
}
inline std::vector<std::string> split_hosts(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

template <class Row>
AssistantProviderRow read_provider(const Row& r) {
  AssistantProviderRow p;
  p.tenant = r.get_text(0);
  p.username = r.get_text(1);
  p.name = r.get_text(2);
  p.format = r.get_text(3);
  p.base_url = r.get_text(4);
  p.model = r.get_text(5);
  p.key_name = r.get_text(6);
  p.input_usd_per_mtok = r.get_double(7);
  p.output_usd_per_mtok = r.get_double(8);
  p.is_default = r.get_int(9) != 0;
  p.created_at = r.get_text(10);
  p.updated_at = r.get_text(11);
  return p;
}

template <class Row>
AssistantPolicyRow read_policy(const Row& r) {
  AssistantPolicyRow p;
  p.tenant = r.get_text(0);
  p.local_only = r.get_int(1) != 0;
  p.allowed_hosts = split_hosts(r.get_text(2));
  p.redaction = r.get_text(3);
  p.updated_at = r.get_text(4);
  p.updated_by = r.get_text(5);
  return p;
}

template <class Row>
ConversationRow read_conversation(const Row& r) {
  ConversationRow c;
  c.id = r.get_int(0);
  c.tenant = r.get_text(1);
  c.username = r.get_text(2);
  c.title = r.get_text(3);
  c.redaction_map = r.get_text(4);
  c.input_tokens = r.get_int(5);
  c.output_tokens = r.get_int(6);
  c.cost_usd = r.get_double(7);
  c.created_at = r.get_text(8);
  c.updated_at = r.get_text(9);
  return c;
}

template <class Row>
MessageRow read_message(const Row& r) {
  MessageRow m;
  m.conversation_id = r.get_int(0);
  m.ordinal = static_cast<int>(r.get_int(1));
  m.role = r.get_text(2);
  m.content = r.get_text(3);
  m.sent = r.get_text(4);
  m.tool_calls = r.get_text(5);
  m.tool_call_id = r.get_text(6);
  m.tool_name = r.get_text(7);
  m.status = r.get_text(8);
  m.extra = r.get_text(9);
  m.created_at = r.get_text(10);
  return m;
}

template <class Row>
ExchangeRow read_exchange(const Row& r) {
  ExchangeRow e;
  e.conversation_id = r.get_int(0);
  e.ordinal = static_cast<int>(r.get_int(1));
  e.provider = r.get_text(2);
  e.format = r.get_text(3);
  e.host = r.get_text(4);
  e.model = r.get_text(5);
  e.messages_sent = static_cast<int>(r.get_int(6));
  e.bytes_sent = r.get_int(7);
  e.bytes_received = r.get_int(8);
  e.input_tokens = r.get_int(9);
  e.output_tokens = r.get_int(10);
  e.estimated = r.get_int(11) != 0;
  e.cost_usd = r.get_double(12);
  e.attempts = static_cast<int>(r.get_int(13));
  e.status = r.get_text(14);
  e.error = r.get_text(15);
  e.redacted = r.get_int(16) != 0;
  e.at = r.get_text(17);
  return e;
}

}  // namespace keel::store::detail
