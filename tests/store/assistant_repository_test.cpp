// The assistant's repository (keel/store/assistant_repository.h) on every backend: providers per
// user with one default, the tenant's policy, conversations with their messages and exchanges in
// order, and nothing of one user or tenant visible to another.
#include "keel/store/assistant_repository.h"

#include <gtest/gtest.h>

#include <chrono>

#include "backends.h"
#include "keel/core/env.h"
#include "keel/core/error.h"
#include "keel/store/migrations.h"
#include "keel/store/store.h"
#include "sqlite_connection.h"

namespace keel::store {
namespace {

using namespace std::chrono;

class AssistantRepositoryContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, AssistantRepositoryContract,
                         ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

AssistantProviderRow provider(const std::string& tenant, const std::string& user, const std::string& name,
                              bool is_default) {
  AssistantProviderRow p;
  p.tenant = tenant;
  p.username = user;
  p.name = name;
  p.format = "openai";
  p.base_url = "http://127.0.0.1:1234/v1";
  p.model = "qwen2.5-7b-instruct";
  p.key_name = name == "local" ? "" : "openai";
  p.input_usd_per_mtok = 0.15;
  p.output_usd_per_mtok = 0.6;
  p.is_default = is_default;
  return p;
}

TEST_P(AssistantRepositoryContract, ProvidersBelongToAUserAndOneIsTheDefault) {
  const FixedClock clock(sys_days{year{2026} / 11 / 24} + hours{10});
  auto s = open_store_under_test(clock);
  auto& repo = s->assistant();
  EXPECT_FALSE(repo.put_provider(provider("acme", "ann", "local", true)));
  EXPECT_FALSE(repo.put_provider(provider("acme", "ann", "openai", true)));  // the new default
  EXPECT_FALSE(repo.put_provider(provider("acme", "bob", "openai", true)));
  EXPECT_FALSE(repo.put_provider(provider("globex", "ann", "openai", false)));
  auto mine = repo.list_providers("acme", "ann");
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].name, "local");
  EXPECT_FALSE(mine[0].is_default);
  EXPECT_TRUE(mine[1].is_default);
  EXPECT_EQ(mine[1].key_name, "openai");
  EXPECT_DOUBLE_EQ(mine[1].output_usd_per_mtok, 0.6);
  EXPECT_EQ(mine[1].created_at, "2026-11-24T10:00:00Z");
  auto changed = provider("acme", "ann", "local", false);
  changed.model = "llama3.1:8b";
  EXPECT_TRUE(repo.put_provider(changed));
  EXPECT_EQ(repo.find_provider("acme", "ann", "local")->model, "llama3.1:8b");
  EXPECT_EQ(repo.list_providers("acme", "bob").size(), 1u);
  EXPECT_EQ(repo.list_providers("globex", "ann").size(), 1u);
  EXPECT_FALSE(repo.find_provider("globex", "ann", "local"));
  EXPECT_TRUE(repo.remove_provider("acme", "ann", "local"));
  EXPECT_FALSE(repo.remove_provider("acme", "ann", "local"));
  EXPECT_FALSE(repo.remove_provider("globex", "bob", "openai"));
}

TEST_P(AssistantRepositoryContract, APolicyPerTenant) {
  auto s = open_store_under_test();
  auto& repo = s->assistant();
  EXPECT_FALSE(repo.policy("acme"));
  AssistantPolicyRow p;
  p.tenant = "acme";
  p.local_only = true;
  p.allowed_hosts = {"api.openai.com", "127.0.0.1:1234"};
  p.redaction = "required";
  p.updated_by = "root";
  repo.put_policy(p);
  const auto got = repo.policy("acme");
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->local_only);
  EXPECT_EQ(got->allowed_hosts, p.allowed_hosts);
  EXPECT_EQ(got->redaction, "required");
  EXPECT_EQ(got->updated_by, "root");
  EXPECT_FALSE(repo.policy("globex"));
  p.allowed_hosts.clear();
  repo.put_policy(p);
  EXPECT_TRUE(repo.policy("acme")->allowed_hosts.empty());
}

TEST_P(AssistantRepositoryContract, ConversationsKeepTheirMessagesAndExchangesInOrderForTheirUserOnly) {
  const FixedClock clock(sys_days{year{2026} / 11 / 24} + hours{10});
  auto s = open_store_under_test(clock);
  auto& repo = s->assistant();
  auto c = repo.create_conversation("acme", "ann", "why is my VaR higher?");
  const auto other = repo.create_conversation("acme", "bob", "bob's");
  const auto far = repo.create_conversation("globex", "ann", "globex's");
  EXPECT_EQ(c.title, "why is my VaR higher?");
  EXPECT_EQ(c.created_at, "2026-11-24T10:00:00Z");
  for (const char* role : {"user", "assistant", "tool", "assistant"}) {
    MessageRow m;
    m.conversation_id = c.id;
    m.role = role;
    m.content = std::string("clear ") + role;
    m.sent = std::string("sent ") + role;
    if (std::string(role) == "tool") {
      m.tool_call_id = "call_1";
      m.tool_name = "risk_var";
      m.status = "pending";
      m.extra = R"({"call":"T1","arguments":{"portfolio":"hnw"}})";
    }
    repo.append_message("acme", m);
  }
  auto msgs = repo.messages("acme", c.id);
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(msgs[0].ordinal, 1);
  EXPECT_EQ(msgs[3].ordinal, 4);
  EXPECT_EQ(msgs[2].tool_name, "risk_var");
  EXPECT_EQ(msgs[2].extra, R"({"call":"T1","arguments":{"portfolio":"hnw"}})");
  msgs[2].status = "confirmed";
  msgs[2].content = R"({"saved_as":"x"})";
  repo.update_message("acme", msgs[2]);
  EXPECT_EQ(repo.messages("acme", c.id)[2].status, "confirmed");

  ExchangeRow e;
  e.conversation_id = c.id;
  e.provider = "openai";
  e.format = "openai";
  e.host = "api.openai.com";
  e.model = "gpt-4o-mini";
  e.messages_sent = 3;
  e.bytes_sent = 12345;
  e.input_tokens = 3000;
  e.output_tokens = 120;
  e.cost_usd = 0.000522;
  e.redacted = true;
  repo.append_exchange("acme", e);
  e.status = "error";
  e.error = "provider openai: HTTP 429";
  repo.append_exchange("acme", e);
  const auto ex = repo.exchanges("acme", c.id);
  ASSERT_EQ(ex.size(), 2u);
  EXPECT_EQ(ex[0].ordinal, 1);
  EXPECT_EQ(ex[0].bytes_sent, 12345);
  EXPECT_DOUBLE_EQ(ex[0].cost_usd, 0.000522);
  EXPECT_TRUE(ex[0].redacted);
  EXPECT_EQ(ex[1].error, "provider openai: HTTP 429");

  c.input_tokens = 3000;
  c.cost_usd = 0.5;
  c.redaction_map = R"({"SYM_1":"AAPL"})";
  repo.update_conversation(c);
  EXPECT_EQ(repo.find_conversation("acme", "ann", c.id)->redaction_map, R"({"SYM_1":"AAPL"})");

  // Another user of the tenant, or another tenant, sees none of it, and cannot write to it.
  EXPECT_FALSE(repo.find_conversation("acme", "bob", c.id));
  EXPECT_FALSE(repo.find_conversation("globex", "ann", c.id));
  EXPECT_TRUE(repo.messages("globex", c.id).empty());
  EXPECT_TRUE(repo.exchanges("globex", c.id).empty());
  MessageRow intruder;
  intruder.conversation_id = c.id;
  intruder.role = "user";
  intruder.content = "x";
  EXPECT_THROW(repo.append_message("globex", intruder), Error);
  EXPECT_EQ(repo.messages("acme", c.id).size(), 4u);
  // Listing is per user, newest first, paged by id.
  repo.create_conversation("acme", "ann", "second");
  const auto list = repo.list_conversations("acme", "ann", std::nullopt, 10);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].title, "second");
  EXPECT_EQ(repo.list_conversations("acme", "ann", list[0].id, 10).size(), 1u);
  EXPECT_EQ(repo.list_conversations("acme", "bob", std::nullopt, 10).at(0).id, other.id);
  EXPECT_EQ(repo.list_conversations("globex", "ann", std::nullopt, 10).at(0).id, far.id);
  // Deleting removes its messages and exchanges with it; only its owner can.
  EXPECT_FALSE(repo.delete_conversation("acme", "bob", c.id));
  EXPECT_TRUE(repo.delete_conversation("acme", "ann", c.id));
  EXPECT_TRUE(repo.messages("acme", c.id).empty());
  EXPECT_TRUE(repo.exchanges("acme", c.id).empty());
}

}  // namespace
}  // namespace keel::store

namespace keel::store {
namespace {

// Migration 71 on SQLite, from the state before it (the store as migrated, less the column 71
// adds): the providers users registered for themselves become the tenant's — those of an admin of
// the tenant or of the keel command kept (of two of one name, the one changed last), the others
// dropped, one default per tenant — and every stored key has no origins yet.
TEST(AssistantMigration71, KeepsTheProvidersOfAdminsAndOfTheCommandAsTheTenants) {
  SqliteConnection db(":memory:");
  const Migration* m71 = nullptr;
  for (const Migration& m : migrations()) {
    if (m.version == 71) m71 = &m;
  }
  ASSERT_NE(m71, nullptr);
  db.exec("ALTER TABLE vault_keys DROP COLUMN origins");
  db.exec("DELETE FROM schema_version WHERE version = 71");
  // The table as it was then: without the lmstudio provider migration 84 gives a fresh store.
  db.exec("DELETE FROM assistant_providers");
  db.exec(
      "INSERT INTO tenants (name) VALUES ('acme');"
      "INSERT INTO users (username, tenant_id, role, password_hash) SELECT 'ann', id, 'admin', 'x' FROM tenants "
      "WHERE name = 'acme';"
      "INSERT INTO users (username, tenant_id, role, password_hash) SELECT 'ada', id, 'admin', 'x' FROM tenants "
      "WHERE name = 'acme';"
      "INSERT INTO users (username, tenant_id, role, password_hash) SELECT 'bob', id, 'viewer', 'x' FROM tenants "
      "WHERE name = 'acme';"
      "INSERT INTO vault_keys (tenant, name, format, master_key_id, nonce, ciphertext, created_at, updated_at, "
      "updated_by) VALUES ('acme', 'openai', 1, '00', 'bm9uY2U=', 'Ym94', 't', 't', 'ann');");
  auto add = [&](const char* tenant, const char* user, const char* name, const char* updated, int is_default) {
    auto st = db.prepare(
        "INSERT INTO assistant_providers (tenant, username, name, format, base_url, model, key_name, is_default, "
        "created_at, updated_at) VALUES (?, ?, ?, 'openai', ?, 'm', 'openai', ?, ?, ?)");
    st.bind(1, std::string(tenant))
        .bind(2, std::string(user))
        .bind(3, std::string(name))
        .bind(4, std::string("https://") + user + ".example/v1")
        .bind(5, is_default)
        .bind(6, std::string(updated))
        .bind(7, std::string(updated))
        .run();
  };
  add("acme", "ann", "openai", "2026-01-01T00:00:00Z", 1);
  add("acme", "ada", "openai", "2026-02-01T00:00:00Z", 1);   // the same name, changed later: kept
  add("acme", "ada", "claude", "2026-01-15T00:00:00Z", 0);
  add("acme", "bob", "openai", "2026-03-01T00:00:00Z", 1);   // a viewer's: dropped, though newest
  add("acme", "bob", "evil", "2026-03-01T00:00:00Z", 0);     // a viewer's: dropped
  add("acme", "ghost", "gone", "2026-03-01T00:00:00Z", 0);   // no such user: dropped
  add("default", "cli:joe", "lmstudio", "2026-01-01T00:00:00Z", 1);  // the keel command's: kept
  add("default", "ann", "elsewhere", "2026-01-01T00:00:00Z", 0);     // ann is acme's admin, not default's

  db.exec(m71->sql);

  auto st = db.prepare(
      "SELECT tenant, username, name, base_url, is_default FROM assistant_providers ORDER BY tenant, name");
  std::vector<std::string> rows;
  while (st.step()) {
    rows.push_back(st.get_text(0) + "|" + st.get_text(1) + "|" + st.get_text(2) + "|" + st.get_text(3) + "|" +
                   std::to_string(st.get_int(4)));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"acme||claude|https://ada.example/v1|0",
                                            "acme||openai|https://ada.example/v1|1",
                                            "default||lmstudio|https://cli:joe.example/v1|1"}));
  auto keys = db.prepare("SELECT name, origins FROM vault_keys");
  ASSERT_TRUE(keys.step());
  EXPECT_EQ(keys.get_text(0), "openai");
  EXPECT_EQ(keys.get_text(1), "");
}

}  // namespace
}  // namespace keel::store
