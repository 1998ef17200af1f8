// The assistant's providers, policies and conversations in SQLite (keel/store/assistant_repository.h).
#include <limits>

#include "assistant_rows.h"
#include "keel/core/error.h"
#include "keel/store/database.h"
#include "sqlite_repositories.h"

namespace keel::store {

using namespace detail;

bool SqliteAssistantRepository::put_provider(const AssistantProviderRow& row) {
  return db_.transaction([&] {
    const bool replaced = find_provider(row.tenant, row.username, row.name).has_value();
    const std::string now = now_text(*clock_);
    if (row.is_default) {
      db_.prepare("UPDATE assistant_providers SET is_default = 0 WHERE tenant = ? AND username = ?")
          .bind(1, row.tenant)
          .bind(2, row.username)
          .run();
    }
    db_.prepare(
           "INSERT INTO assistant_providers (tenant, username, name, format, base_url, model, key_name, "
           "input_usd_per_mtok, output_usd_per_mtok, is_default, created_at, updated_at) VALUES "
           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, username, name) DO UPDATE SET "
           "format = excluded.format, base_url = excluded.base_url, model = excluded.model, key_name = "
           "excluded.key_name, input_usd_per_mtok = excluded.input_usd_per_mtok, output_usd_per_mtok = "
           "excluded.output_usd_per_mtok, is_default = excluded.is_default, updated_at = excluded.updated_at")
        .bind(1, row.tenant)
        .bind(2, row.username)
        .bind(3, row.name)
        .bind(4, row.format)
        .bind(5, row.base_url)
        .bind(6, row.model)
        .bind(7, row.key_name)
        .bind(8, row.input_usd_per_mtok)
        .bind(9, row.output_usd_per_mtok)
        .bind(10, static_cast<std::int64_t>(row.is_default ? 1 : 0))
        .bind(11, now)
        .bind(12, now)
        .run();
    return replaced;
  });
}

std::optional<AssistantProviderRow> SqliteAssistantRepository::find_provider(const std::string& tenant,
                                                                             const std::string& username,
                                                                             const std::string& name) {
  auto st = db_.prepare(std::string(kProviderSelect) + "WHERE tenant = ? AND username = ? AND name = ?");
  st.bind(1, tenant).bind(2, username).bind(3, name);
  if (!st.step()) return std::nullopt;
  return read_provider(st);
}

std::vector<AssistantProviderRow> SqliteAssistantRepository::list_providers(const std::string& tenant,
                                                                            const std::string& username) {
  auto st = db_.prepare(std::string(kProviderSelect) + "WHERE tenant = ? AND username = ? ORDER BY name");
  st.bind(1, tenant).bind(2, username);
  std::vector<AssistantProviderRow> out;
  while (st.step()) out.push_back(read_provider(st));
  return out;
}

bool SqliteAssistantRepository::remove_provider(const std::string& tenant, const std::string& username,
                                                const std::string& name) {
  return db_.transaction([&] {
    if (!find_provider(tenant, username, name)) return false;
    db_.prepare("DELETE FROM assistant_providers WHERE tenant = ? AND username = ? AND name = ?")
        .bind(1, tenant)
        .bind(2, username)
        .bind(3, name)
        .run();
    return true;
  });
}

std::optional<AssistantPolicyRow> SqliteAssistantRepository::policy(const std::string& tenant) {
  auto st = db_.prepare(std::string(kPolicySelect) + "WHERE tenant = ?");
  st.bind(1, tenant);
  if (!st.step()) return std::nullopt;
  return read_policy(st);
}

void SqliteAssistantRepository::put_policy(const AssistantPolicyRow& row) {
  db_.prepare(
         "INSERT INTO assistant_policies (tenant, local_only, allowed_hosts, redaction, updated_at, "
         "updated_by) "
         "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant) DO UPDATE SET local_only = excluded.local_only, "
         "allowed_hosts = excluded.allowed_hosts, redaction = excluded.redaction, updated_at = "
         "excluded.updated_at, updated_by = excluded.updated_by")
      .bind(1, row.tenant)
      .bind(2, static_cast<std::int64_t>(row.local_only ? 1 : 0))
      .bind(3, join_hosts(row.allowed_hosts))
      .bind(4, row.redaction)
      .bind(5, now_text(*clock_))
      .bind(6, row.updated_by)
      .run();
}

ConversationRow SqliteAssistantRepository::create_conversation(const std::string& tenant,
                                                               const std::string& username,
                                                               const std::string& title) {
  const std::string now = now_text(*clock_);
  db_.prepare(
         "INSERT INTO assistant_conversations (tenant, username, title, created_at, updated_at) VALUES (?, "
         "?, ?, ?, ?)")
      .bind(1, tenant)
      .bind(2, username)
      .bind(3, title)
      .bind(4, now)
      .bind(5, now)
      .run();
  return *find_conversation(tenant, username, db_.last_insert_id());
}

std::optional<ConversationRow> SqliteAssistantRepository::find_conversation(const std::string& tenant,
                                                                            const std::string& username,
                                                                            std::int64_t id) {
  auto st = db_.prepare(std::string(kConversationSelect) + "WHERE tenant = ? AND username = ? AND id = ?");
  st.bind(1, tenant).bind(2, username).bind(3, id);
  if (!st.step()) return std::nullopt;
  return read_conversation(st);
}

std::vector<ConversationRow> SqliteAssistantRepository::list_conversations(
    const std::string& tenant, const std::string& username, std::optional<std::int64_t> before_id,
    std::size_t limit) {
  auto st = db_.prepare(std::string(kConversationSelect) +
                        "WHERE tenant = ? AND username = ? AND id < ? ORDER BY id DESC LIMIT ?");
  st.bind(1, tenant)
      .bind(2, username)
      .bind(3, before_id.value_or(std::numeric_limits<std::int64_t>::max()))
      .bind(4, static_cast<std::int64_t>(limit));
  std::vector<ConversationRow> out;
  while (st.step()) out.push_back(read_conversation(st));
  return out;
}

void SqliteAssistantRepository::update_conversation(const ConversationRow& row) {
  db_.prepare(
         "UPDATE assistant_conversations SET title = ?, redaction_map = ?, input_tokens = ?, output_tokens = "
         "?, "
         "cost_usd = ?, updated_at = ? WHERE tenant = ? AND id = ?")
      .bind(1, row.title)
      .bind(2, row.redaction_map)
      .bind(3, row.input_tokens)
      .bind(4, row.output_tokens)
      .bind(5, row.cost_usd)
      .bind(6, now_text(*clock_))
      .bind(7, row.tenant)
      .bind(8, row.id)
      .run();
}

bool SqliteAssistantRepository::delete_conversation(const std::string& tenant, const std::string& username,
                                                    std::int64_t id) {
  return db_.transaction([&] {
    if (!find_conversation(tenant, username, id)) return false;
    db_.prepare("DELETE FROM assistant_conversations WHERE id = ?").bind(1, id).run();
    return true;
  });
}

namespace {

void require_conversation(Database& db, const std::string& tenant, std::int64_t id) {
  auto st = db.prepare("SELECT 1 FROM assistant_conversations WHERE tenant = ? AND id = ?");
  st.bind(1, tenant).bind(2, id);
  if (!st.step()) throw Error::not_found("no conversation " + std::to_string(id));
}

}  // namespace

void SqliteAssistantRepository::append_message(const std::string& tenant, MessageRow& row) {
  db_.transaction([&] {
    require_conversation(db_, tenant, row.conversation_id);
    auto last =
        db_.prepare("SELECT COALESCE(MAX(ordinal), 0) FROM assistant_messages WHERE conversation_id = ?");
    last.bind(1, row.conversation_id);
    last.step();
    row.ordinal = static_cast<int>(last.get_int(0)) + 1;
    row.created_at = now_text(*clock_);
    db_.prepare(
           "INSERT INTO assistant_messages (conversation_id, ordinal, role, content, sent, tool_calls, "
           "tool_call_id, "
           "tool_name, status, extra, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, row.conversation_id)
        .bind(2, row.ordinal)
        .bind(3, row.role)
        .bind(4, row.content)
        .bind(5, row.sent)
        .bind(6, row.tool_calls)
        .bind(7, row.tool_call_id)
        .bind(8, row.tool_name)
        .bind(9, row.status)
        .bind(10, row.extra)
        .bind(11, row.created_at)
        .run();
  });
}

void SqliteAssistantRepository::update_message(const std::string& tenant, const MessageRow& row) {
  db_.transaction([&] {
    require_conversation(db_, tenant, row.conversation_id);
    db_.prepare(
           "UPDATE assistant_messages SET content = ?, sent = ?, status = ?, extra = ? WHERE conversation_id "
           "= ? "
           "AND ordinal = ?")
        .bind(1, row.content)
        .bind(2, row.sent)
        .bind(3, row.status)
        .bind(4, row.extra)
        .bind(5, row.conversation_id)
        .bind(6, row.ordinal)
        .run();
  });
}

std::vector<MessageRow> SqliteAssistantRepository::messages(const std::string& tenant,
                                                            std::int64_t conversation_id) {
  auto st = db_.prepare(
      std::string(kMessageSelect) +
      "WHERE conversation_id = (SELECT id FROM assistant_conversations WHERE tenant = ? AND id = ?) "
      "ORDER BY ordinal");
  st.bind(1, tenant).bind(2, conversation_id);
  std::vector<MessageRow> out;
  while (st.step()) out.push_back(read_message(st));
  return out;
}

void SqliteAssistantRepository::append_exchange(const std::string& tenant, ExchangeRow& row) {
  db_.transaction([&] {
    require_conversation(db_, tenant, row.conversation_id);
    auto last =
        db_.prepare("SELECT COALESCE(MAX(ordinal), 0) FROM assistant_exchanges WHERE conversation_id = ?");
    last.bind(1, row.conversation_id);
    last.step();
    row.ordinal = static_cast<int>(last.get_int(0)) + 1;
    row.at = now_text(*clock_);
    db_.prepare(
           "INSERT INTO assistant_exchanges (conversation_id, ordinal, provider, format, host, model, "
           "messages_sent, "
           "bytes_sent, bytes_received, input_tokens, output_tokens, estimated, cost_usd, attempts, status, "
           "error, "
           "redacted, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, row.conversation_id)
        .bind(2, row.ordinal)
        .bind(3, row.provider)
        .bind(4, row.format)
        .bind(5, row.host)
        .bind(6, row.model)
        .bind(7, row.messages_sent)
        .bind(8, row.bytes_sent)
        .bind(9, row.bytes_received)
        .bind(10, row.input_tokens)
        .bind(11, row.output_tokens)
        .bind(12, static_cast<std::int64_t>(row.estimated ? 1 : 0))
        .bind(13, row.cost_usd)
        .bind(14, row.attempts)
        .bind(15, row.status)
        .bind(16, row.error)
        .bind(17, static_cast<std::int64_t>(row.redacted ? 1 : 0))
        .bind(18, row.at)
        .run();
  });
}

std::vector<ExchangeRow> SqliteAssistantRepository::exchanges(const std::string& tenant,
                                                              std::int64_t conversation_id) {
  auto st = db_.prepare(
      std::string(kExchangeSelect) +
      "WHERE conversation_id = (SELECT id FROM assistant_conversations WHERE tenant = ? AND id = ?) "
      "ORDER BY ordinal");
  st.bind(1, tenant).bind(2, conversation_id);
  std::vector<ExchangeRow> out;
  while (st.step()) out.push_back(read_exchange(st));
  return out;
}

}  // namespace keel::store
