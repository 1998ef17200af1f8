#include "sqlite_repositories.h"

#include "keel/core/error.h"
#include "keel/store/database.h"

namespace keel::store {
namespace {

using ledger::Decimal;
using ledger::Transaction;

constexpr const char* kAccountColumns =
    "a.id, a.tenant, a.name, a.method, a.allow_short, a.currency, a.created_at, "
    "(SELECT COUNT(*) FROM ledger_transactions t WHERE t.account_id = a.id), "
    "(SELECT MIN(date) FROM ledger_transactions t WHERE t.account_id = a.id), "
    "(SELECT MAX(date) FROM ledger_transactions t WHERE t.account_id = a.id)";

LedgerAccount read_account(Statement& st) {
  LedgerAccount a;
  a.id = st.get_int(0);
  a.tenant = st.get_text(1);
  a.name = st.get_text(2);
  a.method = ledger::parse_lot_method(st.get_text(3)).value_or(ledger::LotMethod::kFifo);
  a.allow_short = st.get_int(4) != 0;
  a.currency = st.get_text(5);
  a.created_at = st.get_text(6);
  a.transactions = static_cast<std::size_t>(st.get_int(7));
  if (auto d = st.get_optional_text(8)) a.first_date = Date::parse(*d);
  if (auto d = st.get_optional_text(9)) a.last_date = Date::parse(*d);
  return a;
}

Decimal stored_decimal(const std::string& text, const char* what) {
  auto d = Decimal::parse(text);
  if (!d) throw Error::internal(std::string("ledger store: bad ") + what + " '" + text + "'");
  return *d;
}

const char* kSelectTx =
    "SELECT t.date, t.type, t.symbol, t.quantity, t.price, t.fees, t.amount, t.lot_id, t.split_ratio, "
    "t.currency, t.note, t.method, t.source, t.source_line, a.name FROM ledger_transactions t "
    "JOIN ledger_accounts a ON a.id = t.account_id ";

Transaction read_tx(Statement& st) {
  Transaction t;
  auto d = Date::parse(st.get_text(0));
  auto type = ledger::parse_tx_type(st.get_text(1));
  if (!d || !type) throw Error::internal("ledger store: bad stored date or type");
  t.date = *d;
  t.type = *type;
  t.symbol = st.get_text(2);
  t.quantity = stored_decimal(st.get_text(3), "quantity");
  t.price = stored_decimal(st.get_text(4), "price");
  t.fees = stored_decimal(st.get_text(5), "fees");
  if (auto a = st.get_optional_text(6)) t.amount = stored_decimal(*a, "amount");
  t.lot_id = st.get_text(7);
  if (auto r = st.get_optional_text(8)) t.split_ratio = ledger::parse_split_ratio(*r);
  t.currency = st.get_text(9);
  t.note = st.get_text(10);
  if (auto m = st.get_optional_text(11)) t.method = ledger::parse_lot_method(*m);
  t.source = st.get_text(12);
  t.line = static_cast<std::size_t>(st.get_int(13));
  t.account = st.get_text(14);
  return t;
}

}  // namespace

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
  auto st = db_.prepare(std::string("SELECT ") + kAccountColumns +
                        " FROM ledger_accounts a WHERE a.tenant = ? ORDER BY a.name");
  st.bind(1, tenant);
  std::vector<LedgerAccount> out;
  while (st.step()) out.push_back(read_account(st));
  return out;
}

std::optional<LedgerAccount> SqliteLedgerRepository::find_account(const std::string& tenant, const std::string& name) {
  auto st = db_.prepare(std::string("SELECT ") + kAccountColumns +
                        " FROM ledger_accounts a WHERE a.tenant = ? AND a.name = ?");
  st.bind(1, tenant).bind(2, name);
  if (!st.step()) return std::nullopt;
  return read_account(st);
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
    auto ins = db_.prepare(
        "INSERT INTO ledger_transactions (account_id, ordinal, date, type, symbol, quantity, price, fees, amount, "
        "lot_id, split_ratio, currency, note, method, source, source_line) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const Transaction& t : txs) {
      ins.reset();
      ins.bind(1, acct->id)
          .bind(2, ++ordinal)
          .bind(3, t.date.to_string())
          .bind(4, std::string(ledger::tx_type_name(t.type)))
          .bind(5, t.symbol)
          .bind(6, t.quantity.to_string())
          .bind(7, t.price.to_string())
          .bind(8, t.fees.to_string());
      if (t.amount) ins.bind(9, t.amount->to_string());
      else ins.bind_null(9);
      ins.bind(10, t.lot_id);
      if (t.split_ratio) {
        ins.bind(11, std::to_string(t.split_ratio->numerator) + ":" + std::to_string(t.split_ratio->denominator));
      } else {
        ins.bind_null(11);
      }
      ins.bind(12, t.currency).bind(13, t.note);
      if (t.method) ins.bind(14, std::string(ledger::lot_method_name(*t.method)));
      else ins.bind_null(14);
      ins.bind(15, t.source).bind(16, static_cast<std::int64_t>(t.line));
      ins.run();
    }
    return txs.size();
  });
}

std::vector<Transaction> SqliteLedgerRepository::transactions(const std::string& tenant, const std::string& account) {
  if (!find_account(tenant, account)) throw Error::not_found("no account named '" + account + "'");
  auto st = db_.prepare(std::string(kSelectTx) + "WHERE a.tenant = ? AND a.name = ? ORDER BY t.ordinal");
  st.bind(1, tenant).bind(2, account);
  std::vector<Transaction> out;
  while (st.step()) out.push_back(read_tx(st));
  return out;
}

std::vector<Transaction> SqliteLedgerRepository::all_transactions(const std::string& tenant) {
  auto st = db_.prepare(std::string(kSelectTx) + "WHERE a.tenant = ? ORDER BY a.name, t.ordinal");
  st.bind(1, tenant);
  std::vector<Transaction> out;
  while (st.step()) out.push_back(read_tx(st));
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

}  // namespace keel::store
