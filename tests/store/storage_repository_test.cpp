// What a tenant keeps, measured, and the assistant's transcripts held to their bounds
// (keel/store/storage_repository.h, migration 101) on every backend: the figures are the hand
// formula of the bytes (text measured, a fixed amount per row), a budget evicts only the user's
// own least recently changed conversations (never their newest, never another user's or
// tenant's), and the retention deletes what was untouched since a time; the batch snapshots'
// reports go after theirs in every tenant, their figures kept (migration 103).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "backends.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/modelling_repository.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/storage_repository.h"
#include "keel/store/store.h"

namespace keel::store {
namespace {

class StorageContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, StorageContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

// A clock the test moves: conversations are ordered by when they last changed.
class StepClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return at; }
  std::chrono::system_clock::time_point at = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
};

// One conversation of `user` with one user message of `content_bytes` bytes.
std::int64_t conversation(AssistantRepository& repo, const std::string& tenant, const std::string& user,
                          std::size_t content_bytes) {
  const auto c = repo.create_conversation(tenant, user, "t");
  MessageRow m;
  m.conversation_id = c.id;
  m.role = "user";
  m.content = std::string(content_bytes, 'x');
  repo.append_message(tenant, m);
  return c.id;
}

// The bytes storage_repository.cpp counts for such a conversation, by hand: the conversation row
// (96 + title "t" + redaction map "{}" + the user's name) and its one message (48 + role "user" +
// the content + sent "" + tool calls "[]" + tool call id "" + tool name "" + extra "{}").
std::int64_t conversation_bytes(const std::string& user, std::size_t content_bytes) {
  const std::int64_t row = 96 + 1 + 2 + static_cast<std::int64_t>(user.size());
  const std::int64_t message = 48 + 4 + static_cast<std::int64_t>(content_bytes) + 0 + 2 + 0 + 0 + 2;
  return row + message;
}

Position stock(const std::string& symbol, double quantity) {
  Position p;
  p.symbol = symbol;
  p.quantity = quantity;
  return p;
}

const StorageUsageRow* find(const std::vector<StorageUsageRow>& rows, const std::string& area,
                            const std::string& owner) {
  const auto it = std::find_if(rows.begin(), rows.end(),
                               [&](const StorageUsageRow& r) { return r.area == area && r.owner == owner; });
  return it == rows.end() ? nullptr : &*it;
}

TEST_P(StorageContract, FiguresAreTheHandFormulaByAreaAndOwnerWithinTheTenant) {
  StepClock clock;
  auto s = open_store_under_test(clock);
  auto& repo = s->assistant();
  conversation(repo, "acme", "ann", 1000);
  conversation(repo, "acme", "ann", 250);
  conversation(repo, "acme", "bob", 10);
  conversation(repo, "globex", "ann", 5000);

  const auto acme = s->storage().usage("acme");
  const auto* ann = find(acme, "assistant", "ann");
  ASSERT_NE(ann, nullptr);
  EXPECT_EQ(ann->items, 2);
  EXPECT_EQ(ann->rows, 4);  // two conversations, two messages
  EXPECT_EQ(ann->bytes, conversation_bytes("ann", 1000) + conversation_bytes("ann", 250));
  const auto* bob = find(acme, "assistant", "bob");
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(bob->bytes, conversation_bytes("bob", 10));
  // Largest first within the area.
  EXPECT_LT(ann - acme.data(), bob - acme.data());
  // globex's 5,000 bytes are not acme's.
  EXPECT_EQ(s->storage().assistant_bytes("acme", "ann"), ann->bytes);
  EXPECT_EQ(s->storage().assistant_bytes("globex", "ann"), conversation_bytes("ann", 5000));
  // The shared market data is there once, marked shared, whatever the store holds.
  ASSERT_FALSE(acme.empty());
  EXPECT_EQ(acme.back().area, "market_data");
  EXPECT_TRUE(acme.back().shared);
  // An area with nothing in it is left out.
  EXPECT_EQ(find(acme, "whatif", "ann"), nullptr);
  EXPECT_EQ(find(acme, "clo", ""), nullptr);
}

TEST_P(StorageContract, WhatIfSessionsAreCountedWithTheirTradesByOwner) {
  auto s = open_store_under_test();
  const auto id = s->save_portfolio("acme", "book",
                                    {stock("AAPL", 10), stock("MSFT", 5)},
                                    "book.csv")
                      .id;
  auto& sessions = s->modelling_sessions();
  const auto a = sessions.create("acme", "ann", id, "hedge");
  ModellingTrade t;
  t.position = stock("SPY", -3);
  t.origin = "trades.csv:2";
  sessions.add_trades(a.id, {t, t});
  sessions.create("acme", "ann", id, "empty");

  const auto acme = s->storage().usage("acme");
  const auto* whatif = find(acme, "whatif", "ann");
  ASSERT_NE(whatif, nullptr);
  EXPECT_EQ(whatif->items, 2);  // sessions
  EXPECT_EQ(whatif->rows, 4);   // and their two trades
  const auto* positions = find(acme, "portfolios", "");
  ASSERT_NE(positions, nullptr);
  EXPECT_EQ(positions->items, 2);
  EXPECT_EQ(find(s->storage().usage("globex"), "whatif", "ann"), nullptr);
}

TEST_P(StorageContract, ABudgetEvictsTheUsersOwnOldestAndARetentionWhatWasUntouched) {
  StepClock clock;
  auto s = open_store_under_test(clock);
  auto& repo = s->assistant();
  const auto day = std::chrono::hours(24);
  const auto ann1 = conversation(repo, "acme", "ann", 300'000);  // 2026-01-01
  const auto bob1 = conversation(repo, "acme", "bob", 600'000);
  const auto globex1 = conversation(repo, "globex", "ann", 600'000);
  clock.at += day;
  const auto ann2 = conversation(repo, "acme", "ann", 300'000);  // 2026-01-02
  clock.at += day;
  const auto ann3 = conversation(repo, "acme", "ann", 10'000);  // 2026-01-03

  EXPECT_EQ(s->storage().assistant_tenants(), (std::vector<std::string>{"acme", "globex"}));

  // 400 KiB each: ann's newest two (about 310 kB) fit, her oldest goes; bob's one conversation
  // passes the budget alone but is his newest, so it stays; globex is another tenant.
  const auto budget = s->storage().prune_assistant("acme", "", 400 * 1024);
  EXPECT_EQ(budget.expired, 0u);
  EXPECT_EQ(budget.evicted, 1u);
  EXPECT_FALSE(repo.find_conversation("acme", "ann", ann1));
  EXPECT_TRUE(repo.find_conversation("acme", "ann", ann2));
  EXPECT_TRUE(repo.find_conversation("acme", "ann", ann3));
  EXPECT_TRUE(repo.find_conversation("acme", "bob", bob1));
  EXPECT_TRUE(repo.find_conversation("globex", "ann", globex1));

  // Untouched since before 2026-01-02T12:00Z: ann's second and bob's go.
  const auto retention = s->storage().prune_assistant("acme", "2026-01-02T12:00:00Z", 0);
  EXPECT_EQ(retention.expired, 2u);
  EXPECT_EQ(retention.evicted, 0u);
  EXPECT_TRUE(repo.find_conversation("acme", "ann", ann3));
  EXPECT_FALSE(repo.find_conversation("acme", "ann", ann2));
  EXPECT_FALSE(repo.find_conversation("acme", "bob", bob1));
  EXPECT_TRUE(repo.find_conversation("globex", "ann", globex1));
  // The messages went with their conversations.
  EXPECT_EQ(s->storage().assistant_bytes("acme", "ann"), conversation_bytes("ann", 10'000));
}

// Snapshots written on 2026-01-01 (acme, globex) and 2026-01-03 (acme): a retention from
// 2026-01-02 drops the two older reports, in both tenants, and keeps every figure and the newer
// report; a second sweep finds nothing more to drop.
TEST_P(StorageContract, SnapshotReportsPastTheRetentionAreDroppedInEveryTenantAndTheFiguresStay) {
  StepClock clock;
  auto s = open_store_under_test(clock);
  auto& snaps = s->snapshots();
  auto snapshot = [&](const std::string& tenant, Date as_of, double value) {
    PortfolioSnapshot p;
    p.tenant = tenant;
    p.portfolio = "book";
    p.as_of = as_of;
    p.net_value_amount = value;
    p.var_amount = value / 100;
    p.report_json = R"({"schema":"keel.report/1"})";
    snaps.save(p);
  };
  snapshot("acme", Date::from_ymd(2025, 12, 31), 1000.0);
  snapshot("globex", Date::from_ymd(2025, 12, 31), 2000.0);
  clock.at += std::chrono::hours(48);
  snapshot("acme", Date::from_ymd(2026, 1, 2), 1100.0);
  ASSERT_TRUE(snaps.list("acme", "book", std::nullopt, std::nullopt).front().report_kept);

  EXPECT_EQ(snaps.prune_reports("2026-01-02T00:00:00Z"), 2u);
  EXPECT_EQ(snaps.prune_reports("2026-01-02T00:00:00Z"), 0u);
  const auto acme = snaps.list("acme", "book", std::nullopt, std::nullopt, true);
  ASSERT_EQ(acme.size(), 2u);
  EXPECT_FALSE(acme[0].report_kept);
  EXPECT_EQ(acme[0].report_json, "");
  EXPECT_EQ(acme[0].net_value_amount, 1000.0);
  EXPECT_EQ(acme[0].var_amount, 10.0);
  EXPECT_TRUE(acme[1].report_kept);
  EXPECT_EQ(acme[1].report_json, R"({"schema":"keel.report/1"})");
  const auto globex = snaps.find("globex", "book", Date::from_ymd(2025, 12, 31));
  ASSERT_TRUE(globex);
  EXPECT_FALSE(globex->report_kept);
  EXPECT_EQ(globex->net_value_amount, 2000.0);
}

}  // namespace
}  // namespace keel::store
