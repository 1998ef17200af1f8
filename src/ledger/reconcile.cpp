#include "keel/ledger/reconcile.h"

#include <map>
#include <utility>

namespace keel::ledger {

ReconcileResult reconcile(const BookResult& book, std::span<const BrokerHolding> broker,
                          const ReconcileOptions& options) {
  bool by_account = false;
  for (const auto& b : broker) by_account = by_account || !b.account.empty();
  using Key = std::pair<std::string, std::string>;
  struct Side {
    Decimal ledger_qty, ledger_basis, broker_qty;
    std::optional<Decimal> broker_basis;
    bool in_ledger = false, at_broker = false;
  };
  std::map<Key, Side> rows;
  for (const Lot& l : book.open_lots) {
    const PositionKey& k = book.key(l);
    Side& s = rows[{by_account ? k.account : std::string(), k.symbol}];
    s.ledger_qty += l.quantity;
    s.ledger_basis += l.basis;
    s.in_ledger = true;
  }
  for (const auto& b : broker) {
    Side& s = rows[{b.account, b.symbol}];
    s.broker_qty += b.quantity;
    if (b.cost_basis) s.broker_basis = s.broker_basis.value_or(Decimal()) + *b.cost_basis;
    s.at_broker = true;
  }
  ReconcileResult r;
  for (const auto& [key, s] : rows) {
    ReconcileRow row;
    row.account = key.first;
    row.symbol = key.second;
    row.ledger_quantity = s.ledger_qty;
    row.ledger_basis = s.ledger_basis;
    row.broker_quantity = s.broker_qty;
    row.broker_basis = s.broker_basis;
    if (!s.at_broker) {
      row.status = "missing_at_broker";
    } else if (!s.in_ledger) {
      row.status = "missing_in_ledger";
    } else {
      std::string st;
      if (s.ledger_qty != s.broker_qty) st = "quantity";
      if (s.broker_basis && (s.ledger_basis - *s.broker_basis).abs() > options.basis_tolerance) {
        st += st.empty() ? "basis" : ",basis";
      }
      row.status = st.empty() ? "ok" : st;
    }
    if (!row.ok()) ++r.discrepancies;
    r.rows.push_back(std::move(row));
  }
  return r;
}

}  // namespace keel::ledger
