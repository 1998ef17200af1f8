#include "sqlite_repositories.h"

#include "keel/core/error.h"
#include "keel/store/database.h"

namespace keel::store {
namespace {

ledger::Decimal stored(const std::string& text) {
  auto d = ledger::Decimal::parse(text);
  if (!d) throw Error::internal("ledger_snapshots: bad stored amount '" + text + "'");
  return *d;
}

}  // namespace

bool SqliteLedgerSnapshotRepository::save(const LedgerSnapshot& s) {
  std::optional<std::int64_t> account_id;
  if (!s.account.empty()) {
    auto st = db_.prepare("SELECT id FROM ledger_accounts WHERE tenant = ? AND name = ?");
    st.bind(1, s.tenant).bind(2, s.account);
    if (!st.step()) throw Error::not_found("no account named '" + s.account + "'");
    account_id = st.get_int(0);
  }
  bool replaced = false;
  db_.transaction([&] {
    replaced = remove(s.tenant, s.account, s.as_of);
    db_.prepare(
           "INSERT INTO ledger_snapshots (tenant, account_id, scope, as_of, net_worth, market_value, cash, "
           "cost_basis, unrealized, unpriced, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, s.tenant)
        .bind(2, account_id)
        .bind(3, s.account)
        .bind(4, s.as_of.to_string())
        .bind(5, s.net_worth.to_string())
        .bind(6, s.market_value.to_string())
        .bind(7, s.cash.to_string())
        .bind(8, s.cost_basis.to_string())
        .bind(9, s.unrealized.to_string())
        .bind(10, s.unpriced)
        .bind(11, now_text(*clock_))
        .run();
  });
  return replaced;
}

std::vector<LedgerSnapshot> SqliteLedgerSnapshotRepository::list(const std::string& tenant, const std::string& account,
                                                                 std::optional<Date> from, std::optional<Date> to) {
  auto st = db_.prepare(
      "SELECT id, tenant, scope, as_of, net_worth, market_value, cash, cost_basis, unrealized, unpriced, created_at "
      "FROM ledger_snapshots WHERE tenant = ? AND scope = ? AND as_of >= ? AND as_of <= ? ORDER BY as_of");
  st.bind(1, tenant).bind(2, account);
  st.bind(3, from ? from->to_string() : std::string("0000-00-00"));
  st.bind(4, to ? to->to_string() : std::string("9999-99-99"));
  std::vector<LedgerSnapshot> out;
  while (st.step()) {
    LedgerSnapshot s;
    s.id = st.get_int(0);
    s.tenant = st.get_text(1);
    s.account = st.get_text(2);
    auto d = Date::parse(st.get_text(3));
    if (!d) throw Error::internal("ledger_snapshots: bad stored date '" + st.get_text(3) + "'");
    s.as_of = *d;
    s.net_worth = stored(st.get_text(4));
    s.market_value = stored(st.get_text(5));
    s.cash = stored(st.get_text(6));
    s.cost_basis = stored(st.get_text(7));
    s.unrealized = stored(st.get_text(8));
    s.unpriced = static_cast<int>(st.get_int(9));
    s.created_at = st.get_text(10);
    out.push_back(std::move(s));
  }
  return out;
}

bool SqliteLedgerSnapshotRepository::remove(const std::string& tenant, const std::string& account, Date as_of) {
  auto found = db_.prepare("SELECT 1 FROM ledger_snapshots WHERE tenant = ? AND scope = ? AND as_of = ?");
  found.bind(1, tenant).bind(2, account).bind(3, as_of.to_string());
  if (!found.step()) return false;
  db_.prepare("DELETE FROM ledger_snapshots WHERE tenant = ? AND scope = ? AND as_of = ?")
      .bind(1, tenant)
      .bind(2, account)
      .bind(3, as_of.to_string())
      .run();
  return true;
}

}  // namespace keel::store
