// keel/ledger/reconcile.h: holdings rebuilt from transactions against a broker's statement.
//
// Every (account, symbol) on either side gets a row with both quantities and bases; a row is a
// discrepancy when the quantities differ, or when the broker gives a cost basis that differs from
// the ledger's by more than `basis_tolerance`, or when the symbol is on one side only. Broker rows
// without an account are compared with the ledger summed over all accounts of the booking.
//
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keel/ledger/booking.h"

namespace keel::ledger {

struct BrokerHolding {
  std::string account;  // empty: compare with the ledger's total over accounts
  std::string symbol;
  Decimal quantity;
  std::optional<Decimal> cost_basis;  // total, currency units
  std::size_t line = 0;
};

struct ReconcileOptions {
  Decimal basis_tolerance;  // absolute, currency units (default 0: exact to the cent)
};

struct ReconcileRow {
  std::string account;
  std::string symbol;
  Decimal ledger_quantity;
  Decimal broker_quantity;
  Decimal ledger_basis;
  std::optional<Decimal> broker_basis;
  std::string status;  // "ok", "quantity", "basis", "quantity,basis", "missing_at_broker", "missing_in_ledger"
  bool ok() const { return status == "ok"; }
};

struct ReconcileResult {
  std::vector<ReconcileRow> rows;  // by account, symbol
  std::size_t discrepancies = 0;
};

ReconcileResult reconcile(const BookResult& book, std::span<const BrokerHolding> broker,
                          const ReconcileOptions& options);

}  // namespace keel::ledger
