// keel/service/ledger_exports.h: the ledger out of keel — `keel export
// transactions|lots|gains|holdings` and GET /api/v1/accounts/{id}/export/{kind}: the canonical CSV
// or the JSON document.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/ledger_lots.h"
#include "keel/service/ledger_source.h"
#include "keel/service/spec.h"

namespace keel::service {

// `keel export transactions|lots|gains|holdings`, GET .../export/{kind}: the canonical CSV
// (exact decimals; transactions read back by the importer to the same lots and gains) or the JSON
// document (lots, gains and holdings: the ledger_lots/gains/holdings results).
enum class ExportKind { kTransactions, kLots, kGains, kHoldings };
std::string export_csv(const Context& cx, const LedgerSource& source, ExportKind kind);

// One transaction as exported: decimals as strings, exactly as stored.
struct ExportedTransaction {
  std::string date;
  std::string type;
  std::string symbol;
  std::string quantity;
  std::string price;
  std::string fees;
  std::string account;
  std::string lot_id;
  std::optional<std::string> amount;
  std::optional<std::string> split_ratio;  // "N:D"
  std::optional<std::string> currency;
  std::optional<std::string> note;
  std::optional<std::string> method;

  static constexpr const char* kSchemaName = "ExportedTransaction";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "date"}, s.date);
    v.field({.name = "type", .help = "BUY, SELL, DIVIDEND, ... (docs/ledger.md)"}, s.type);
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "quantity", .help = "Exact decimal as text"}, s.quantity);
    v.field({.name = "price", .help = "Exact decimal as text"}, s.price);
    v.field({.name = "fees", .help = "Exact decimal as text"}, s.fees);
    v.field({.name = "account"}, s.account);
    v.field({.name = "lot_id", .help = "Every buy names its lot (T<n> when the file did not)"}, s.lot_id);
    v.field({.name = "amount", .help = "Exact decimal as text"}, s.amount);
    v.field({.name = "split_ratio", .help = "N:D"}, s.split_ratio);
    v.field({.name = "currency"}, s.currency);
    v.field({.name = "note"}, s.note);
    v.field({.name = "method", .help = "Lot method of this sale"}, s.method);
  }
};

struct ExportTransactionsResult {
  std::vector<ExportedTransaction> transactions;
  std::string source;

  static constexpr const char* kSchemaName = "ExportTransactionsResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "transactions"}, s.transactions);
    v.field({.name = "source"}, s.source);
  }
};

ExportTransactionsResult export_transactions(const Context& cx, const LedgerLotsRequest& request);

}  // namespace keel::service
