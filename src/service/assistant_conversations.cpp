// The assistant's transcripts (keel/service/assistant_conversations.h): listing, reading and
// deleting a user's conversations.
#include "keel/service/assistant_conversations.h"

#include <fmt/format.h>

#include "assistant_internal.h"
#include "keel/core/error.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using nlohmann::json;
using detail::parse_or;

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
  if (!c) throw Error::not_found(fmt::format("no conversation {}", id));
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
  const Context acting = detail::in_tenant(cx, tenant);
  const std::string resource = fmt::format("assistant_conversation/{}", id);
  authorize(acting, kAssistantConversationDelete, resource);
  Store& store = require_store(cx, "the assistant's conversations");
  if (!store.assistant().delete_conversation(tenant, username, id)) {
    throw Error::not_found(fmt::format("no conversation {}", id));
  }
  audit(acting, kAssistantConversationDelete, resource, {{"id", id}});
}

}  // namespace keel::service
