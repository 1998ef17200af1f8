// keel/store/ledger_snapshot_repository.h: recorded net-worth snapshots of the personal ledger.
//
// A snapshot is the valuation of one account (or of every account of the tenant: scope "") at an
// as-of date: net worth, securities at market, cash, cost basis and unrealized gain, in currency
// units, stored as exact decimal TEXT and read back bit-for-bit. There is at most one snapshot per
// (tenant, scope, as-of date): recording the same date again replaces it. The market value by
// asset class is kept beside the totals (migration 61). Snapshots of an account
// are deleted with the account (foreign key, ON DELETE CASCADE). Table: migration 9.
//
// LedgerSnapshotRepository is a concrete class, written once over the store's SQL connection
// (either backend); Store::ledger_snapshots() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/ledger/decimal.h"

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

struct LedgerSnapshot {
  std::int64_t id = 0;
  std::string tenant;
  std::string account;  // the account's name; "" = every account of the tenant
  Date as_of;
  ledger::Decimal net_worth;     // market_value + cash
  ledger::Decimal market_value;  // priced securities
  ledger::Decimal cash;
  ledger::Decimal cost_basis;  // of the priced securities
  ledger::Decimal unrealized;  // market_value - cost_basis
  int unpriced = 0;            // positions left out for want of a price
  std::string created_at;      // ISO-8601 UTC
  // Market value by asset class (equity, option, cash), as holdings' allocation gives it; empty
  // for snapshots recorded before migration 61.
  std::map<std::string, ledger::Decimal> asset_classes;
};

class LedgerSnapshotRepository {
 public:
  LedgerSnapshotRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Inserts the snapshot, or replaces the one of the same tenant, account and date. Returns true
  // when one was replaced. Throws keel::Error(not_found) when `account` is not "" and the tenant
  // has no such ledger account.
  bool save(const LedgerSnapshot& snapshot);
  // Snapshots of (tenant, account) with as_of in [from, to] (either bound optional), by date.
  std::vector<LedgerSnapshot> list(const std::string& tenant, const std::string& account,
                                   std::optional<Date> from = std::nullopt,
                                   std::optional<Date> to = std::nullopt);
  // Deletes one snapshot; false when there is none.
  bool remove(const std::string& tenant, const std::string& account, Date as_of);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
