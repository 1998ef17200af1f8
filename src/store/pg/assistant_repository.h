// src/store/pg/assistant_repository.h: the assistant's providers, policies and conversations on
// PostgreSQL (keel/store/assistant_repository.h). Every call sets its tenant for its transaction,
// so row-level security checks what the SQL's WHERE clauses say; messages and exchanges are
// reached through their conversation, which the policies of migration 40 tie to the tenant.
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns it.
#pragma once

#include "keel/core/env.h"
#include "keel/store/assistant_repository.h"
#include "session.h"

namespace keel::store::pg {

class PgAssistantRepository final : public AssistantRepository {
 public:
  PgAssistantRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
  bool put_provider(const AssistantProviderRow& row) override;
  std::optional<AssistantProviderRow> find_provider(const std::string& tenant, const std::string& username,
                                                    const std::string& name) override;
  std::vector<AssistantProviderRow> list_providers(const std::string& tenant,
                                                   const std::string& username) override;
  bool remove_provider(const std::string& tenant, const std::string& username,
                       const std::string& name) override;
  std::optional<AssistantPolicyRow> policy(const std::string& tenant) override;
  void put_policy(const AssistantPolicyRow& row) override;
  ConversationRow create_conversation(const std::string& tenant, const std::string& username,
                                      const std::string& title) override;
  std::optional<ConversationRow> find_conversation(const std::string& tenant, const std::string& username,
                                                   std::int64_t id) override;
  std::vector<ConversationRow> list_conversations(const std::string& tenant, const std::string& username,
                                                  std::optional<std::int64_t> before_id,
                                                  std::size_t limit) override;
  void update_conversation(const ConversationRow& row) override;
  bool delete_conversation(const std::string& tenant, const std::string& username, std::int64_t id) override;
  void append_message(const std::string& tenant, MessageRow& row) override;
  void update_message(const std::string& tenant, const MessageRow& row) override;
  std::vector<MessageRow> messages(const std::string& tenant, std::int64_t conversation_id) override;
  void append_exchange(const std::string& tenant, ExchangeRow& row) override;
  std::vector<ExchangeRow> exchanges(const std::string& tenant, std::int64_t conversation_id) override;

 private:
  Session* s_;
  const Clock* clock_;
};

}  // namespace keel::store::pg
