// keel/store/storage_repository.h: what a tenant keeps, measured, and the pruning of what grows
// with use (the assistant's transcripts) within each owner's budget.
//
// usage() reads, for one tenant, each area of the store (portfolios, ledger, CLO deals, ALM and
// what-if sessions, assistant transcripts, jobs, audit log...) as items, rows and estimated bytes,
// by owner where the area's records have one. The bytes are the stored text and blobs
// (octet_length of each column) plus a fixed amount per row for its numbers and keys, the same
// rule on both backends: a measure to compare tenants and users by, not the size of the file.
// The market data every tenant shares (prices, instruments, FX rates, factors, macro series) is
// read once, as the area "market_data" with shared = true.
//
// prune_assistant() deletes a tenant's conversations last changed before a time, then, per user,
// the least recently changed ones while the user's conversations pass a budget: never another
// user's, never another tenant's.
//
// StorageRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::storage() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace keel::store {

class SqlConnection;

struct StorageUsageRow {
  std::string area;      // "portfolios", "ledger", "assistant", ... (storage_repository.cpp)
  std::string owner;     // the user the records belong to; "" for the tenant's (or shared) records
  std::int64_t items = 0;  // the area's own things: positions, transactions, sessions, conversations
  std::int64_t rows = 0;   // rows in all, the items' parts included (a session's trades)
  std::int64_t bytes = 0;  // estimated (see above)
  bool shared = false;     // kept once for every tenant (market data)
};

struct AssistantPruned {
  std::size_t expired = 0;  // conversations last changed before the retention
  std::size_t evicted = 0;  // conversations removed to bring a user within the budget
};

class StorageRepository {
 public:
  explicit StorageRepository(SqlConnection& c) : c_(&c) {}

  // The tenant's areas, each by owner (largest first within an area), then the shared market data.
  std::vector<StorageUsageRow> usage(const std::string& tenant);
  // The estimated bytes of one user's conversations in `tenant` (the budget's measure).
  std::int64_t assistant_bytes(const std::string& tenant, const std::string& user);
  // The tenants that keep assistant conversations.
  std::vector<std::string> assistant_tenants();
  // In `tenant`: deletes the conversations last changed before `before` (ISO-8601 UTC; "" keeps
  // them all), then, for each user whose conversations pass `user_budget_bytes` (0: no budget),
  // the least recently changed of that user's until the rest fit. One transaction.
  AssistantPruned prune_assistant(const std::string& tenant, const std::string& before,
                                  std::int64_t user_budget_bytes);

 private:
  SqlConnection* c_;
};

}  // namespace keel::store
