#include "keel/core/error.h"
#include "keel/store/database.h"
#include "ledger_rows.h"
#include "sqlite_repositories.h"

namespace keel::store {

using ledger::Transaction;

LedgerAccount SqliteLedgerRepository::create_account(const std::string& tenant, const std::string& name,
                                                     ledger::LotMethod method, bool allow_short,
                                                     const std::string& currency) {
  if (name.empty()) throw Error::invalid_input("an account needs a name");
  if (find_account(tenant, name)) throw Error::conflict("account '" + name + "' already exists");
  db_.prepare(
         "INSERT INTO ledger_accounts (tenant, name, method, allow_short, currency, created_at) "
         "VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, tenant)
      .bind(2, name)
      .bind(3, std::string(ledger::lot_method_name(method)))
      .bind(4, allow_short ? 1 : 0)
      .bind(5, currency.empty() ? std::string("USD") : currency)
      .bind(6, now_text(*clock_))
      .run();
  return *find_account(tenant, name);
}

LedgerAccount SqliteLedgerRepository::ensure_account(const std::string& tenant, const std::string& name) {
  if (auto a = find_account(tenant, name)) return *a;
  return create_account(tenant, name, ledger::LotMethod::kFifo, false, "USD");
}

std::vector<LedgerAccount> SqliteLedgerRepository::list_accounts(const std::string& tenant) {
  auto st = db_.prepare(std::string("SELECT ") + detail::kLedgerAccountColumns +
                        " FROM ledger_accounts a WHERE a.tenant = ? ORDER BY a.name");
  st.bind(1, tenant);
  std::vector<LedgerAccount> out;
  while (st.step()) out.push_back(detail::read_ledger_account(st));
  return out;
}

std::optional<LedgerAccount> SqliteLedgerRepository::find_account(const std::string& tenant, const std::string& name) {
  auto st = db_.prepare(std::string("SELECT ") + detail::kLedgerAccountColumns +
                        " FROM ledger_accounts a WHERE a.tenant = ? AND a.name = ?");
  st.bind(1, tenant).bind(2, name);
  if (!st.step()) return std::nullopt;
  return detail::read_ledger_account(st);
}

void SqliteLedgerRepository::update_account(const std::string& tenant, const std::string& name, ledger::LotMethod method,
                                            bool allow_short) {
  if (!find_account(tenant, name)) throw Error::not_found("no account named '" + name + "'");
  db_.prepare("UPDATE ledger_accounts SET method = ?, allow_short = ? WHERE tenant = ? AND name = ?")
      .bind(1, std::string(ledger::lot_method_name(method)))
      .bind(2, allow_short ? 1 : 0)
      .bind(3, tenant)
      .bind(4, name)
      .run();
}

std::size_t SqliteLedgerRepository::save_transactions(const std::string& tenant, const std::string& account,
                                                      std::span<const Transaction> txs, bool replace) {
  const auto acct = find_account(tenant, account);
  if (!acct) throw Error::not_found("no account named '" + account + "' (create it with keel account create)");
  return db_.transaction([&] {
    if (replace) db_.prepare("DELETE FROM ledger_transactions WHERE account_id = ?").bind(1, acct->id).run();
    auto next = db_.prepare("SELECT COALESCE(MAX(ordinal), 0) FROM ledger_transactions WHERE account_id = ?");
    next.bind(1, acct->id);
    next.step();
    std::int64_t ordinal = next.get_int(0);
    auto ins = db_.prepare(std::string("INSERT INTO ledger_transactions (account_id, ordinal, ") +
                           detail::kLedgerTxValueColumns +
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const Transaction& t : txs) {
      ins.reset();
      Binder b(ins);
      b.add(acct->id).add(++ordinal);
      detail::write_ledger_tx(b, t);
      ins.run();
    }
    return txs.size();
  });
}

std::vector<Transaction> SqliteLedgerRepository::transactions(const std::string& tenant, const std::string& account) {
  if (!find_account(tenant, account)) throw Error::not_found("no account named '" + account + "'");
  auto st = db_.prepare(std::string(detail::kLedgerTxSelect) +
                        "WHERE a.tenant = ? AND a.name = ? ORDER BY t.ordinal");
  st.bind(1, tenant).bind(2, account);
  std::vector<Transaction> out;
  while (st.step()) out.push_back(detail::read_ledger_tx(st));
  return out;
}

std::vector<Transaction> SqliteLedgerRepository::all_transactions(const std::string& tenant) {
  auto st =
      db_.prepare(std::string(detail::kLedgerTxSelect) + "WHERE a.tenant = ? ORDER BY a.name, t.ordinal");
  st.bind(1, tenant);
  std::vector<Transaction> out;
  while (st.step()) out.push_back(detail::read_ledger_tx(st));
  return out;
}

bool SqliteLedgerRepository::delete_account(const std::string& tenant, const std::string& name) {
  const auto acct = find_account(tenant, name);
  if (!acct) return false;
  db_.transaction([&] {
    db_.prepare("DELETE FROM ledger_transactions WHERE account_id = ?").bind(1, acct->id).run();
    db_.prepare("DELETE FROM ledger_accounts WHERE id = ?").bind(1, acct->id).run();
  });
  return true;
}

// ---------------------------------------------------------------- broker mappings

namespace {
constexpr const char* kMappingColumns = "name, document, created_at, updated_at, updated_by";
template <class Row>
LedgerMappingRecord read_mapping(const Row& r) {
  return {r.get_text(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4)};
}
}  // namespace

std::vector<LedgerMappingRecord> SqliteLedgerRepository::list_mappings(const std::string& tenant) {
  auto st = db_.prepare(std::string("SELECT ") + kMappingColumns +
                        " FROM ledger_mappings WHERE tenant = ? ORDER BY name");
  st.bind(1, tenant);
  std::vector<LedgerMappingRecord> out;
  while (st.step()) out.push_back(read_mapping(st));
  return out;
}

std::optional<LedgerMappingRecord> SqliteLedgerRepository::find_mapping(const std::string& tenant,
                                                                        const std::string& name) {
  auto st = db_.prepare(std::string("SELECT ") + kMappingColumns +
                        " FROM ledger_mappings WHERE tenant = ? AND name = ?");
  st.bind(1, tenant).bind(2, name);
  if (!st.step()) return std::nullopt;
  return read_mapping(st);
}

bool SqliteLedgerRepository::save_mapping(const std::string& tenant, const std::string& name,
                                          const std::string& document, const std::string& updated_by) {
  if (name.empty()) throw Error::invalid_input("a mapping needs a name");
  bool replaced = false;
  db_.transaction([&] {
    const std::string now = now_text(*clock_);
    replaced = find_mapping(tenant, name).has_value();
    if (replaced) {
      db_.prepare(
             "UPDATE ledger_mappings SET document = ?, updated_at = ?, updated_by = ? WHERE tenant = ? AND "
             "name = ?")
          .bind(1, document)
          .bind(2, now)
          .bind(3, updated_by)
          .bind(4, tenant)
          .bind(5, name)
          .run();
    } else {
      db_.prepare(
             "INSERT INTO ledger_mappings (tenant, name, document, created_at, updated_at, updated_by) "
             "VALUES (?, ?, ?, ?, ?, ?)")
          .bind(1, tenant)
          .bind(2, name)
          .bind(3, document)
          .bind(4, now)
          .bind(5, now)
          .bind(6, updated_by)
          .run();
    }
  });
  return replaced;
}

bool SqliteLedgerRepository::delete_mapping(const std::string& tenant, const std::string& name) {
  if (!find_mapping(tenant, name)) return false;
  db_.prepare("DELETE FROM ledger_mappings WHERE tenant = ? AND name = ?")
      .bind(1, tenant)
      .bind(2, name)
      .run();
  return true;
}

}  // namespace keel::store
