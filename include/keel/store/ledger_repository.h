// keel/store/ledger_repository.h: persistence of the personal ledger (accounts, transactions).
//
// Accounts belong to a tenant and carry their lot method and short-sale permission. Transactions
// are stored with their exact decimals as TEXT (never REAL) and read back bit-for-bit, in the order
// they were appended. Every write is one database transaction: all rows or none.
//
// Thread-safety: like the Database it wraps, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/ledger/transaction.h"

namespace keel::store {

class Database;

struct LedgerAccount {
  std::int64_t id = 0;
  std::string tenant;
  std::string name;
  ledger::LotMethod method = ledger::LotMethod::kFifo;
  bool allow_short = false;
  std::string currency = "USD";
  std::string created_at;          // ISO-8601 UTC
  std::size_t transactions = 0;    // stored rows
  std::optional<Date> first_date;  // of its transactions
  std::optional<Date> last_date;
};

class LedgerRepository {
 public:
  explicit LedgerRepository(Database& db) : db_(db) {}

  // Throws keel::Error(conflict) when the account exists, invalid_input for an empty name.
  LedgerAccount create_account(const std::string& tenant, const std::string& name, ledger::LotMethod method,
                               bool allow_short, const std::string& currency);
  // Creates the account with defaults when missing; returns it.
  LedgerAccount ensure_account(const std::string& tenant, const std::string& name);
  std::vector<LedgerAccount> list_accounts(const std::string& tenant);
  std::optional<LedgerAccount> find_account(const std::string& tenant, const std::string& name);
  // Changes the lot method / shorts of an account. Throws not_found.
  void update_account(const std::string& tenant, const std::string& name, ledger::LotMethod method, bool allow_short);

  // Appends rows to the account (after its existing rows), or replaces all its rows when `replace`;
  // one database transaction. Throws not_found for an unknown account. Returns rows written.
  std::size_t save_transactions(const std::string& tenant, const std::string& account,
                                std::span<const ledger::Transaction> txs, bool replace);
  // The account's rows in stored order, `account` set to its name. Throws not_found.
  std::vector<ledger::Transaction> transactions(const std::string& tenant, const std::string& account);
  // Every account's rows of the tenant (account by account, each in stored order).
  std::vector<ledger::Transaction> all_transactions(const std::string& tenant);
  // Deletes the account and all its transactions in one database transaction; false when the
  // tenant has no such account.
  bool delete_account(const std::string& tenant, const std::string& name);

 private:
  Database& db_;
};

}  // namespace keel::store
