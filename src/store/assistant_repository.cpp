// The assistant's providers, policies and conversations (keel/store/assistant_repository.h) on both
// backends, with their row layout (migration 40): the SELECT lists and the decoders. Messages and exchanges
// are reached through their conversation, which on PostgreSQL the policies of migration 40 tie to the tenant.
#include "keel/store/assistant_repository.h"

#include <fmt/format.h>

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/error.h"
#include "sql.h"
#include "tags_text.h"

namespace keel::store {

using namespace detail;

namespace {

constexpr const char* kProviderSelect =
    "SELECT tenant, username, name, format, base_url, model, key_name, input_usd_per_mtok, "
    "output_usd_per_mtok, "
    "is_default, created_at, updated_at FROM assistant_providers ";
constexpr const char* kPolicySelect =
    "SELECT tenant, local_only, allowed_hosts, redaction, updated_at, updated_by FROM assistant_policies ";
constexpr const char* kConversationSelect =
    "SELECT id, tenant, username, title, redaction_map, input_tokens, output_tokens, cost_usd, created_at, "
    "updated_at FROM assistant_conversations ";
constexpr const char* kMessageSelect =
    "SELECT conversation_id, ordinal, role, content, sent, tool_calls, tool_call_id, tool_name, status, "
    "extra, "
    "created_at FROM assistant_messages ";
constexpr const char* kExchangeSelect =
    "SELECT conversation_id, ordinal, provider, format, host, model, messages_sent, bytes_sent, "
    "bytes_received, "
    "input_tokens, output_tokens, estimated, cost_usd, attempts, status, error, redacted, at FROM "
    "assistant_exchanges ";
// The condition of the messages and exchanges of a tenant's conversation, in order.
constexpr const char* kOfConversation =
    "WHERE conversation_id = (SELECT id FROM assistant_conversations WHERE tenant = ? AND id = ?) "
    "ORDER BY ordinal";

AssistantProviderRow read_provider(const SqlStatement& r) {
  AssistantProviderRow p;
  read_row(r, 0, p.tenant, p.username, p.name, p.format, p.base_url, p.model, p.key_name,
           p.input_usd_per_mtok, p.output_usd_per_mtok, p.is_default, p.created_at, p.updated_at);
  return p;
}

AssistantPolicyRow read_policy(const SqlStatement& r) {
  AssistantPolicyRow p;
  read_row(r, 0, p.tenant, p.local_only);
  p.allowed_hosts = split_names(r.get_text(2), '\n');  // one per line
  read_row(r, 3, p.redaction, p.updated_at, p.updated_by);
  return p;
}

ConversationRow read_conversation(const SqlStatement& r) {
  ConversationRow c;
  read_row(r, 0, c.id, c.tenant, c.username, c.title, c.redaction_map, c.input_tokens, c.output_tokens,
           c.cost_usd, c.created_at, c.updated_at);
  return c;
}

MessageRow read_message(const SqlStatement& r) {
  MessageRow m;
  read_row(r, 0, m.conversation_id, m.ordinal, m.role, m.content, m.sent, m.tool_calls, m.tool_call_id,
           m.tool_name, m.status, m.extra, m.created_at);
  return m;
}

ExchangeRow read_exchange(const SqlStatement& r) {
  ExchangeRow e;
  read_row(r, 0, e.conversation_id, e.ordinal, e.provider, e.format, e.host, e.model, e.messages_sent,
           e.bytes_sent, e.bytes_received, e.input_tokens, e.output_tokens, e.estimated, e.cost_usd,
           e.attempts, e.status, e.error, e.redacted, e.at);
  return e;
}

// The conversation must exist (locked where there are row locks, so that ordinals of concurrent
// appends never collide; SQLite's write transaction already excludes other writers).
void require_conversation(SqlConnection& c, const std::string& tenant, std::int64_t id) {
  auto st = c.prepare(std::string("SELECT 1 FROM assistant_conversations WHERE tenant = ? AND id = ?") +
                      std::string(c.dialect().lock(" FOR UPDATE")));
  st.bind_all(tenant, id);
  if (!st.step()) throw Error::not_found(fmt::format("no conversation {}", id));
}

// The next ordinal of a conversation's rows in `table`.
int next_ordinal(SqlConnection& c, const char* table, std::int64_t conversation_id) {
  return static_cast<int>(max_ordinal(c, table, "conversation_id", conversation_id)) + 1;
}

}  // namespace

bool AssistantRepository::put_provider(const AssistantProviderRow& row) {
  return c_->transaction(row.tenant, [&] {
    auto existing = c_->prepare(
        std::string("SELECT 1 FROM assistant_providers WHERE tenant = ? AND username = ? AND name = ?") +
        std::string(c_->dialect().lock(" FOR UPDATE")));
    const bool replaced = existing.bind_all(row.tenant, row.username, row.name).step();
    const std::string now = clock_->iso8601();
    if (row.is_default) {
      c_->prepare("UPDATE assistant_providers SET is_default = 0 WHERE tenant = ? AND username = ?")
          .bind_all(row.tenant, row.username)
          .run();
    }
    c_->prepare(upsert_sql("assistant_providers",
                           "tenant, username, name, format, base_url, model, key_name, input_usd_per_mtok, "
                           "output_usd_per_mtok, is_default, created_at, updated_at",
                           "tenant, username, name", "created_at"))
        .bind_all(row.tenant, row.username, row.name, row.format, row.base_url, row.model, row.key_name,
                  row.input_usd_per_mtok, row.output_usd_per_mtok, row.is_default, now, now)
        .run();
    return replaced;
  });
}

std::optional<AssistantProviderRow> AssistantRepository::find_provider(const std::string& tenant,
                                                                       const std::string& username,
                                                                       const std::string& name) {
  return c_->first(tenant, std::string(kProviderSelect) + "WHERE tenant = ? AND username = ? AND name = ?",
                   read_provider, tenant, username, name);
}

std::vector<AssistantProviderRow> AssistantRepository::list_providers(const std::string& tenant,
                                                                      const std::string& username) {
  return c_->rows(tenant, std::string(kProviderSelect) + "WHERE tenant = ? AND username = ? ORDER BY name",
                  read_provider, tenant, username);
}

bool AssistantRepository::remove_provider(const std::string& tenant, const std::string& username,
                                          const std::string& name) {
  return c_->change(tenant, "DELETE FROM assistant_providers WHERE tenant = ? AND username = ? AND name = ?",
                    tenant, username, name) > 0;
}

std::optional<AssistantPolicyRow> AssistantRepository::policy(const std::string& tenant) {
  return c_->first(tenant, std::string(kPolicySelect) + "WHERE tenant = ?", read_policy, tenant);
}

void AssistantRepository::put_policy(const AssistantPolicyRow& row) {
  c_->write(row.tenant,
            upsert_sql("assistant_policies",
                       "tenant, local_only, allowed_hosts, redaction, updated_at, updated_by", "tenant"),
            row.tenant, row.local_only, join_names(row.allowed_hosts, '\n'), row.redaction, clock_->iso8601(),
            row.updated_by);
}

ConversationRow AssistantRepository::create_conversation(const std::string& tenant,
                                                         const std::string& username,
                                                         const std::string& title) {
  const std::int64_t id = c_->run(tenant, [&] {
    const std::string now = clock_->iso8601();
    return c_
        ->prepare(insert_sql("assistant_conversations", "tenant, username, title, created_at, updated_at") +
                  " RETURNING id")
        .bind_all(tenant, username, title, now, now)
        .first_int();
  });
  return *find_conversation(tenant, username, id);
}

std::optional<ConversationRow> AssistantRepository::find_conversation(const std::string& tenant,
                                                                      const std::string& username,
                                                                      std::int64_t id) {
  return c_->first(tenant, std::string(kConversationSelect) + "WHERE tenant = ? AND username = ? AND id = ?",
                   read_conversation, tenant, username, id);
}

std::vector<ConversationRow> AssistantRepository::list_conversations(const std::string& tenant,
                                                                     const std::string& username,
                                                                     std::optional<std::int64_t> before_id,
                                                                     std::size_t limit) {
  return c_->rows(tenant,
                  std::string(kConversationSelect) +
                      "WHERE tenant = ? AND username = ? AND id < ? ORDER BY id DESC LIMIT ?",
                  read_conversation, tenant, username,
                  before_id.value_or(std::numeric_limits<std::int64_t>::max()), limit);
}

void AssistantRepository::update_conversation(const ConversationRow& row) {
  c_->write(
      row.tenant,
      "UPDATE assistant_conversations SET title = ?, redaction_map = ?, input_tokens = ?, output_tokens = ?, "
      "cost_usd = ?, updated_at = ? WHERE tenant = ? AND id = ?",
      row.title, row.redaction_map, row.input_tokens, row.output_tokens, row.cost_usd, clock_->iso8601(),
      row.tenant, row.id);
}

bool AssistantRepository::delete_conversation(const std::string& tenant, const std::string& username,
                                              std::int64_t id) {
  return c_->change(tenant,
                    "DELETE FROM assistant_conversations WHERE tenant = ? AND username = ? AND id = ?",
                    tenant, username, id) > 0;
}

void AssistantRepository::append_message(const std::string& tenant, MessageRow& row) {
  c_->transaction(tenant, [&] {
    require_conversation(*c_, tenant, row.conversation_id);
    row.ordinal = next_ordinal(*c_, "assistant_messages", row.conversation_id);
    row.created_at = clock_->iso8601();
    c_
        ->prepare(insert_sql(
            "assistant_messages",
            "conversation_id, ordinal, role, content, sent, tool_calls, tool_call_id, tool_name, status, "
            "extra, created_at"))
        .bind_all(row.conversation_id, row.ordinal, row.role, row.content, row.sent, row.tool_calls,
                  row.tool_call_id, row.tool_name, row.status, row.extra, row.created_at)
        .run();
  });
}

void AssistantRepository::update_message(const std::string& tenant, const MessageRow& row) {
  c_->transaction(tenant, [&] {
    require_conversation(*c_, tenant, row.conversation_id);
    c_->prepare(
          "UPDATE assistant_messages SET content = ?, sent = ?, status = ?, extra = ? WHERE conversation_id "
          "= ? "
          "AND ordinal = ?")
        .bind_all(row.content, row.sent, row.status, row.extra, row.conversation_id, row.ordinal)
        .run();
  });
}

std::vector<MessageRow> AssistantRepository::messages(const std::string& tenant,
                                                      std::int64_t conversation_id) {
  return c_->rows(tenant, std::string(kMessageSelect) + kOfConversation, read_message, tenant,
                  conversation_id);
}

void AssistantRepository::append_exchange(const std::string& tenant, ExchangeRow& row) {
  c_->transaction(tenant, [&] {
    require_conversation(*c_, tenant, row.conversation_id);
    row.ordinal = next_ordinal(*c_, "assistant_exchanges", row.conversation_id);
    row.at = clock_->iso8601();
    c_->prepare(
          insert_sql("assistant_exchanges",
                     "conversation_id, ordinal, provider, format, host, model, messages_sent, bytes_sent, "
                     "bytes_received, input_tokens, output_tokens, estimated, cost_usd, attempts, status, "
                     "error, redacted, at"))
        .bind_all(row.conversation_id, row.ordinal, row.provider, row.format, row.host, row.model,
                  row.messages_sent, row.bytes_sent, row.bytes_received, row.input_tokens, row.output_tokens,
                  row.estimated, row.cost_usd, row.attempts, row.status, row.error, row.redacted, row.at)
        .run();
  });
}

std::vector<ExchangeRow> AssistantRepository::exchanges(const std::string& tenant,
                                                        std::int64_t conversation_id) {
  return c_->rows(tenant, std::string(kExchangeSelect) + kOfConversation, read_exchange, tenant,
                  conversation_id);
}

}  // namespace keel::store
