// keel/store/ledger_repository.h: persistence of the personal ledger (accounts, transactions, broker
// mappings saved by name).
//
// Accounts belong to a tenant and carry their lot method and short-sale permission. Transactions
// are stored with their exact decimals as TEXT (never REAL) and read back bit-for-bit, in the order
// they were appended. Every write is one database transaction: all rows or none.
//
// LedgerRepository is a concrete class, written once over the store's SQL connection (either
// backend); Store::ledger() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/ledger/transaction.h"

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

struct LedgerAccount {
  std::int64_t id = 0;
  std::string tenant;
  std::string name;
  ledger::LotMethod method = ledger::LotMethod::kFifo;
  bool allow_short = false;
  std::string currency = "USD";
  std::string type = "brokerage";  // docs/ledger.md's account types (migration 82)
  std::string institution;         // free text, "" when not given
  std::string notes;
  std::string created_at;          // ISO-8601 UTC
  std::size_t transactions = 0;    // stored rows
  std::optional<Date> first_date;  // of its transactions
  std::optional<Date> last_date;
};

// A broker mapping saved by name (the JSON document of docs/ledger.md, as text).
struct LedgerMappingRecord {
  std::string name;
  std::string document;
  std::string created_at;  // ISO-8601 UTC
  std::string updated_at;
  std::string updated_by;
};

class LedgerRepository {
 public:
  LedgerRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Throws keel::Error(conflict) when the account exists, invalid_input for an empty name.
  LedgerAccount create_account(const std::string& tenant, const std::string& name, ledger::LotMethod method,
                               bool allow_short, const std::string& currency);
  // Creates the account with defaults (FIFO, no shorts) in `currency` when missing; returns it.
  LedgerAccount ensure_account(const std::string& tenant, const std::string& name,
                               const std::string& currency = "USD");
  std::vector<LedgerAccount> list_accounts(const std::string& tenant);
  std::optional<LedgerAccount> find_account(const std::string& tenant, const std::string& name);
  // Writes `changed`'s name, method, allow_short, currency, type, institution and notes over the
  // account `name`, in one database transaction; a new name also renames the account's net-worth
  // snapshots' scope. Returns the account as stored. Throws not_found for an unknown account,
  // conflict when the tenant has another account named `changed.name`, invalid_input for an
  // empty name.
  LedgerAccount update_account(const std::string& tenant, const std::string& name,
                               const LedgerAccount& changed);

  // Appends rows to the account (after its existing rows), or replaces all its rows when `replace`;
  // one database transaction. Throws not_found for an unknown account. Returns rows written.
  std::size_t save_transactions(const std::string& tenant, const std::string& account,
                                std::span<const ledger::Transaction> txs, bool replace);
  // The account's rows in stored order, `account` set to its name. Throws not_found.
  std::vector<ledger::Transaction> transactions(const std::string& tenant, const std::string& account);
  // Every account's rows of the tenant (account by account, each in stored order).
  std::vector<ledger::Transaction> all_transactions(const std::string& tenant);

  // Which of an account's rows a page holds: exact symbol, type name (BUY, SELL, ...), dates
  // inclusive; each optional.
  struct TransactionsFilter {
    std::optional<std::string> symbol;
    std::optional<std::string> type;
    std::optional<Date> from;
    std::optional<Date> to;
  };
  struct NumberedTransaction {
    std::size_t number = 0;  // the row's place in stored order, from 1
    ledger::Transaction row;
  };
  struct TransactionsPage {
    std::size_t total = 0;  // rows the filter keeps
    std::vector<NumberedTransaction> rows;
  };
  // The filtered rows `offset`.. (at most `limit`; 0: all) in stored order, filtered and counted in
  // the database: a page of a million-row account reads that page only. Throws not_found.
  TransactionsPage transactions_page(const std::string& tenant, const std::string& account,
                                     const TransactionsFilter& filter, std::size_t offset, std::size_t limit);
  // Row `number` (from 1, in stored order) replaced by `row` in place, or removed (the rows after
  // it move up one place, so numbers stay 1..n). False when the account has no such row. One
  // database transaction; the caller's enclosing one when there is one.
  bool update_transaction(const std::string& tenant, const std::string& account, std::size_t number,
                          const ledger::Transaction& row);
  bool delete_transaction(const std::string& tenant, const std::string& account, std::size_t number);
  // Deletes the account and all its transactions in one database transaction; false when the
  // tenant has no such account.
  bool delete_account(const std::string& tenant, const std::string& name);

  // Broker mappings of the tenant, by name (table ledger_mappings, migration 60).
  std::vector<LedgerMappingRecord> list_mappings(const std::string& tenant);
  std::optional<LedgerMappingRecord> find_mapping(const std::string& tenant, const std::string& name);
  // Inserts or replaces the mapping `name`; returns true when one was replaced.
  bool save_mapping(const std::string& tenant, const std::string& name, const std::string& document,
                    const std::string& updated_by);
  // False when the tenant has no such mapping.
  bool delete_mapping(const std::string& tenant, const std::string& name);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
