// Net-worth snapshots of the ledger (keel/store/ledger_snapshot_repository.h) on both backends,
// with the row layout of ledger_rows.h.
#include "keel/store/ledger_snapshot_repository.h"

#include "keel/core/error.h"
#include "ledger_rows.h"
#include "sql.h"

namespace keel::store {

bool LedgerSnapshotRepository::save(const LedgerSnapshot& s) {
  return c_->transaction(s.tenant, [&] {
    std::optional<std::int64_t> account_id;
    if (!s.account.empty()) {
      auto st = c_->prepare("SELECT id FROM ledger_accounts WHERE tenant = ? AND name = ?");
      st.bind_all(s.tenant, s.account);
      if (!st.step()) throw Error::not_found("no account named '" + s.account + "'");
      account_id = st.get_int(0);
    }
    const bool replaced = remove(s.tenant, s.account, s.as_of);
    c_->prepare(insert_sql("ledger_snapshots",
                           "tenant, account_id, scope, as_of, net_worth, market_value, cash, cost_basis, "
                           "unrealized, unpriced, created_at, asset_classes"))
        .bind_all(s.tenant, account_id, s.account, s.as_of.to_string(), s.net_worth.to_string(),
                  s.market_value.to_string(), s.cash.to_string(), s.cost_basis.to_string(),
                  s.unrealized.to_string(), s.unpriced, clock_->iso8601(),
                  detail::asset_classes_text(s.asset_classes))
        .run();
    return replaced;
  });
}

std::vector<LedgerSnapshot> LedgerSnapshotRepository::list(const std::string& tenant,
                                                           const std::string& account,
                                                           std::optional<Date> from, std::optional<Date> to) {
  return c_->run(tenant, [&] {
    auto st =
        c_->prepare(std::string("SELECT ") + detail::kLedgerSnapshotColumns +
                    " FROM ledger_snapshots WHERE tenant = ? AND scope = ? AND as_of >= ? AND as_of <= ? "
                    "ORDER BY as_of");
    st.bind_all(tenant, account);
    st.bind(3, from ? from->to_string() : std::string("0000-00-00"));
    st.bind(4, to ? to->to_string() : std::string("9999-99-99"));
    return st.rows(detail::read_ledger_snapshot);
  });
}

bool LedgerSnapshotRepository::remove(const std::string& tenant, const std::string& account, Date as_of) {
  return c_->write(tenant, "DELETE FROM ledger_snapshots WHERE tenant = ? AND scope = ? AND as_of = ?",
                   tenant, account, as_of.to_string()) > 0;
}

}  // namespace keel::store
