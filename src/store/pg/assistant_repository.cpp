// The assistant's rows on PostgreSQL (src/store/pg/assistant_repository.h).
#include "assistant_repository.h"

#include <limits>

#include "assistant_rows.h"
#include "keel/core/error.h"

namespace keel::store::pg {

using namespace keel::store::detail;

bool PgAssistantRepository::put_provider(const AssistantProviderRow& row) {
  return s_->run(row.tenant, [&](Tx& tx) {
    const bool replaced =
        !tx.exec(
               "SELECT 1 FROM assistant_providers WHERE tenant = $1 AND username = $2 AND name = $3 "
               "FOR UPDATE",
               Params().add(row.tenant).add(row.username).add(row.name))
             .empty();
    if (row.is_default) {
      tx.exec("UPDATE assistant_providers SET is_default = 0 WHERE tenant = $1 AND username = $2",
              Params().add(row.tenant).add(row.username));
    }
    const std::string now = clock_->iso8601();
    tx.exec(
        "INSERT INTO assistant_providers (tenant, username, name, format, base_url, model, key_name, "
        "input_usd_per_mtok, output_usd_per_mtok, is_default, created_at, updated_at) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT (tenant, username, name) DO UPDATE "
        "SET "
        "format = excluded.format, base_url = excluded.base_url, model = excluded.model, key_name = "
        "excluded.key_name, input_usd_per_mtok = excluded.input_usd_per_mtok, output_usd_per_mtok = "
        "excluded.output_usd_per_mtok, is_default = excluded.is_default, updated_at = excluded.updated_at",
        Params()
            .add(row.tenant)
            .add(row.username)
            .add(row.name)
            .add(row.format)
            .add(row.base_url)
            .add(row.model)
            .add(row.key_name)
            .add(row.input_usd_per_mtok)
            .add(row.output_usd_per_mtok)
            .add(row.is_default)
            .add(now));
    return replaced;
  });
}

std::optional<AssistantProviderRow> PgAssistantRepository::find_provider(const std::string& tenant,
                                                                         const std::string& username,
                                                                         const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<AssistantProviderRow> {
    const auto r = tx.exec(std::string(kProviderSelect) + "WHERE tenant = $1 AND username = $2 AND name = $3",
                           Params().add(tenant).add(username).add(name));
    if (r.empty()) return std::nullopt;
    return read_provider(RowView(r[0]));
  });
}

std::vector<AssistantProviderRow> PgAssistantRepository::list_providers(const std::string& tenant,
                                                                        const std::string& username) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<AssistantProviderRow> out;
    for (const auto& r :
         tx.exec(std::string(kProviderSelect) + "WHERE tenant = $1 AND username = $2 ORDER BY name",
                 Params().add(tenant).add(username))) {
      out.push_back(read_provider(RowView(r)));
    }
    return out;
  });
}

bool PgAssistantRepository::remove_provider(const std::string& tenant, const std::string& username,
                                            const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) {
    return tx.exec("DELETE FROM assistant_providers WHERE tenant = $1 AND username = $2 AND name = $3",
                   Params().add(tenant).add(username).add(name))
               .affected_rows() > 0;
  });
}

std::optional<AssistantPolicyRow> PgAssistantRepository::policy(const std::string& tenant) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<AssistantPolicyRow> {
    const auto r = tx.exec(std::string(kPolicySelect) + "WHERE tenant = $1", Params().add(tenant));
    if (r.empty()) return std::nullopt;
    return read_policy(RowView(r[0]));
  });
}

void PgAssistantRepository::put_policy(const AssistantPolicyRow& row) {
  s_->run(row.tenant, [&](Tx& tx) {
    tx.exec(
        "INSERT INTO assistant_policies (tenant, local_only, allowed_hosts, redaction, updated_at, "
        "updated_by) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant) DO UPDATE SET local_only = "
        "excluded.local_only, "
        "allowed_hosts = excluded.allowed_hosts, redaction = excluded.redaction, updated_at = "
        "excluded.updated_at, "
        "updated_by = excluded.updated_by",
        Params()
            .add(row.tenant)
            .add(row.local_only)
            .add(join_hosts(row.allowed_hosts))
            .add(row.redaction)
            .add(clock_->iso8601())
            .add(row.updated_by));
  });
}

ConversationRow PgAssistantRepository::create_conversation(const std::string& tenant,
                                                           const std::string& username,
                                                           const std::string& title) {
  const std::int64_t id = s_->run(tenant, [&](Tx& tx) {
    const std::string now = clock_->iso8601();
    return integer(
        tx.exec1("INSERT INTO assistant_conversations (tenant, username, title, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $4) RETURNING id",
                 Params().add(tenant).add(username).add(title).add(now))[0]);
  });
  return *find_conversation(tenant, username, id);
}

std::optional<ConversationRow> PgAssistantRepository::find_conversation(const std::string& tenant,
                                                                        const std::string& username,
                                                                        std::int64_t id) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<ConversationRow> {
    const auto r =
        tx.exec(std::string(kConversationSelect) + "WHERE tenant = $1 AND username = $2 AND id = $3",
                Params().add(tenant).add(username).add(id));
    if (r.empty()) return std::nullopt;
    return read_conversation(RowView(r[0]));
  });
}

std::vector<ConversationRow> PgAssistantRepository::list_conversations(const std::string& tenant,
                                                                       const std::string& username,
                                                                       std::optional<std::int64_t> before_id,
                                                                       std::size_t limit) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<ConversationRow> out;
    for (const auto& r :
         tx.exec(std::string(kConversationSelect) +
                     "WHERE tenant = $1 AND username = $2 AND id < $3 ORDER BY id DESC LIMIT $4",
                 Params()
                     .add(tenant)
                     .add(username)
                     .add(before_id.value_or(std::numeric_limits<std::int64_t>::max()))
                     .add(limit))) {
      out.push_back(read_conversation(RowView(r)));
    }
    return out;
  });
}

void PgAssistantRepository::update_conversation(const ConversationRow& row) {
  s_->run(row.tenant, [&](Tx& tx) {
    tx.exec(
        "UPDATE assistant_conversations SET title = $1, redaction_map = $2, input_tokens = $3, output_tokens "
        "= $4, "
        "cost_usd = $5, updated_at = $6 WHERE tenant = $7 AND id = $8",
        Params()
            .add(row.title)
            .add(row.redaction_map)
            .add(row.input_tokens)
            .add(row.output_tokens)
            .add(row.cost_usd)
            .add(clock_->iso8601())
            .add(row.tenant)
            .add(row.id));
  });
}

bool PgAssistantRepository::delete_conversation(const std::string& tenant, const std::string& username,
                                                std::int64_t id) {
  return s_->run(tenant, [&](Tx& tx) {
    return tx.exec("DELETE FROM assistant_conversations WHERE tenant = $1 AND username = $2 AND id = $3",
                   Params().add(tenant).add(username).add(id))
               .affected_rows() > 0;
  });
}

namespace {

// The conversation, locked so that ordinals of concurrent appends never collide.
void lock_conversation(Tx& tx, const std::string& tenant, std::int64_t id) {
  if (tx.exec("SELECT 1 FROM assistant_conversations WHERE tenant = $1 AND id = $2 FOR UPDATE",
              Params().add(tenant).add(id))
          .empty()) {
    throw Error::not_found("no conversation " + std::to_string(id));
  }
}

}  // namespace

void PgAssistantRepository::append_message(const std::string& tenant, MessageRow& row) {
  s_->run(tenant, [&](Tx& tx) {
    lock_conversation(tx, tenant, row.conversation_id);
    row.ordinal =
        static_cast<int>(integer(tx.exec1("SELECT COALESCE(MAX(ordinal), 0) FROM assistant_messages "
                                          "WHERE conversation_id = $1",
                                          Params().add(row.conversation_id))[0])) +
        1;
    row.created_at = clock_->iso8601();
    tx.exec(
        "INSERT INTO assistant_messages (conversation_id, ordinal, role, content, sent, tool_calls, "
        "tool_call_id, "
        "tool_name, status, extra, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        Params()
            .add(row.conversation_id)
            .add(row.ordinal)
            .add(row.role)
            .add(row.content)
            .add(row.sent)
            .add(row.tool_calls)
            .add(row.tool_call_id)
            .add(row.tool_name)
            .add(row.status)
            .add(row.extra)
            .add(row.created_at));
  });
}

void PgAssistantRepository::update_message(const std::string& tenant, const MessageRow& row) {
  s_->run(tenant, [&](Tx& tx) {
    lock_conversation(tx, tenant, row.conversation_id);
    tx.exec(
        "UPDATE assistant_messages SET content = $1, sent = $2, status = $3, extra = $4 WHERE "
        "conversation_id = $5 "
        "AND ordinal = $6",
        Params()
            .add(row.content)
            .add(row.sent)
            .add(row.status)
            .add(row.extra)
            .add(row.conversation_id)
            .add(row.ordinal));
  });
}

std::vector<MessageRow> PgAssistantRepository::messages(const std::string& tenant,
                                                        std::int64_t conversation_id) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<MessageRow> out;
    for (const auto& r :
         tx.exec(std::string(kMessageSelect) +
                     "WHERE conversation_id = (SELECT id FROM assistant_conversations WHERE tenant = $1 "
                     "AND id = $2) ORDER BY ordinal",
                 Params().add(tenant).add(conversation_id))) {
      out.push_back(read_message(RowView(r)));
    }
    return out;
  });
}

void PgAssistantRepository::append_exchange(const std::string& tenant, ExchangeRow& row) {
  s_->run(tenant, [&](Tx& tx) {
    lock_conversation(tx, tenant, row.conversation_id);
    row.ordinal =
        static_cast<int>(integer(tx.exec1("SELECT COALESCE(MAX(ordinal), 0) FROM assistant_exchanges "
                                          "WHERE conversation_id = $1",
                                          Params().add(row.conversation_id))[0])) +
        1;
    row.at = clock_->iso8601();
    tx.exec(
        "INSERT INTO assistant_exchanges (conversation_id, ordinal, provider, format, host, model, "
        "messages_sent, "
        "bytes_sent, bytes_received, input_tokens, output_tokens, estimated, cost_usd, attempts, status, "
        "error, "
        "redacted, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
        "$18)",
        Params()
            .add(row.conversation_id)
            .add(row.ordinal)
            .add(row.provider)
            .add(row.format)
            .add(row.host)
            .add(row.model)
            .add(row.messages_sent)
            .add(row.bytes_sent)
            .add(row.bytes_received)
            .add(row.input_tokens)
            .add(row.output_tokens)
            .add(row.estimated)
            .add(row.cost_usd)
            .add(row.attempts)
            .add(row.status)
            .add(row.error)
            .add(row.redacted)
            .add(row.at));
  });
}

std::vector<ExchangeRow> PgAssistantRepository::exchanges(const std::string& tenant,
                                                          std::int64_t conversation_id) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<ExchangeRow> out;
    for (const auto& r :
         tx.exec(std::string(kExchangeSelect) +
                     "WHERE conversation_id = (SELECT id FROM assistant_conversations WHERE tenant = $1 "
                     "AND id = $2) ORDER BY ordinal",
                 Params().add(tenant).add(conversation_id))) {
      out.push_back(read_exchange(RowView(r)));
    }
    return out;
  });
}

}  // namespace keel::store::pg
