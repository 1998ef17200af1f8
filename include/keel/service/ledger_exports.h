// keel/service/ledger_exports.h: the ledger out of keel — `keel export
// transactions|lots|gains|holdings` and GET /api/v1/accounts/{id}/export/{kind}: the canonical CSV
// or the JSON document.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/ledger_accounts.h"
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
  static void fields(V& v, S& s);
};

// What a JSON export says of itself: what it holds, which keel wrote it and when, and of which
// account (its currency and lot method, which the rows are booked with).
struct ExportMeta {
  std::string format;  // keel.ledger.transactions or keel.ledger.account
  int format_version = 1;
  std::string keel_version;
  std::string exported_at;  // ISO-8601 UTC
  std::string account;      // the account's name, or the file's for a file
  std::string currency;     // "" when the source has none of its own (a file)
  std::string method;       // the default lot method
  std::size_t transactions = 0;

  static constexpr const char* kSchemaName = "ExportMeta";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ExportTransactionsResult {
  ExportMeta meta;
  std::vector<ExportedTransaction> transactions;
  std::string source;

  static constexpr const char* kSchemaName = "ExportTransactionsResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

ExportTransactionsResult export_transactions(const Context& cx, const LedgerLotsRequest& request);

// One recorded net-worth snapshot as exported: exact decimals as text.
struct ExportedSnapshot {
  std::string date;
  std::string net_worth;
  std::string market_value;
  std::string cash;
  std::string cost_basis;
  std::string unrealized;
  int unpriced = 0;
  std::map<std::string, std::string> asset_classes;

  static constexpr const char* kSchemaName = "ExportedSnapshot";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel export account --account A`, GET /api/v1/accounts/{id}/export/account: the whole account
// in one JSON document — its settings, every stored transaction exactly as stored, and its
// recorded snapshots — which `keel import transactions FILE` and the transactions upload read back
// into an account (docs/ledger.md, "One account in one file").
struct AccountExportRequest {
  std::string account;  // HTTP: the path's account

  static constexpr const char* kSchemaName = "AccountExportRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AccountExport {
  ExportMeta meta;
  AccountResult account;
  std::vector<ExportedTransaction> transactions;
  std::vector<ExportedSnapshot> snapshots;

  static constexpr const char* kSchemaName = "AccountExport";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws not_found for an unknown account. A read: nothing written.
AccountExport export_account(const Context& cx, const AccountExportRequest& request);

// The meta of an export of `rows` rows of `format` from `account`, stamped with the Context's clock.
ExportMeta export_meta(const Context& cx, std::string format, std::string account, std::string currency,
                       std::string method, std::size_t rows);

// Row `t` as exported; `index` is its place in the loaded ledger (a buy without a lot id names its
// lot T<index + 1>, as the importer does).
ExportedTransaction exported_transaction(const ledger::Transaction& t, std::size_t index);

// `keel ledger transactions --account A [--symbol S] [--type T] [--from D] [--to D]` and
// GET /api/v1/accounts/{id}/transactions: an account's rows as stored, filtered, a page at a time.
// Which of an account's rows a listing shows (the command's flags, the route's query).
struct LedgerTransactionsFilter {
  std::optional<std::string> symbol;
  std::optional<std::string> type;  // a name of docs/ledger.md's types (BUY, SELL, ...)
  std::optional<Date> from;
  std::optional<Date> to;

  template <class V, class S>
  static void fields(V& v, S& s);
};

struct LedgerTransactionsRequest {
  std::string account;  // HTTP: the path's account
  LedgerTransactionsFilter filter;
  std::size_t offset = 0;  // rows of the filtered list skipped (HTTP: from the cursor)
  std::size_t limit = 0;   // rows returned at most; 0: all (HTTP: the page's limit)

  static constexpr const char* kSchemaName = "LedgerTransactionsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One stored row: its place in the account (1 = the first stored) and the row as exported.
struct LedgerTransactionItem {
  std::size_t number = 0;
  ExportedTransaction row;

  static constexpr const char* kSchemaName = "LedgerTransactionItem";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct LedgerTransactionsResult {
  std::string account;
  std::size_t total = 0;  // rows that pass the filters
  std::size_t offset = 0;
  std::vector<LedgerTransactionItem> items;

  static constexpr const char* kSchemaName = "LedgerTransactionsResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws not_found for an unknown account; invalid_input for an unknown type or from after to.
LedgerTransactionsResult ledger_transactions(const Context& cx, const LedgerTransactionsRequest& request);

// `keel ledger transaction edit|delete --account A --number N`, PUT and DELETE
// /api/v1/accounts/{id}/transactions/{number}: one stored row corrected or removed. The fields
// given replace the row's (decimals as text, read exactly); the account's rows are booked again
// with the change (what follows it re-booked: lots, gains, cash) and the change is stored only when
// they book, in one database transaction, with its audit row.
// One stored row: its account and its number (ledger transactions), from 1. HTTP: the path's.
struct TransactionRef {
  std::string account;
  std::size_t number = 0;

  template <class V, class S>
  static void fields(V& v, S& s);
};

struct TransactionEditRequest {
  TransactionRef row;
  bool remove = false;  // delete the row (the faces' DELETE / `delete`)
  std::optional<Date> date;
  std::optional<std::string> type;
  std::optional<std::string> symbol;
  std::optional<std::string> quantity;
  std::optional<std::string> price;
  std::optional<std::string> fees;
  std::optional<std::string> amount;
  std::optional<std::string> note;

  static constexpr const char* kSchemaName = "TransactionEditRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct TransactionEditResult {
  std::string account;
  std::size_t number = 0;
  std::string action;                        // edited or deleted
  ExportedTransaction before;                // the row as it was
  std::optional<ExportedTransaction> after;  // as it is now (edited)
  std::size_t account_transactions = 0;      // rows the account holds now
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "TransactionEditResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws forbidden (kTransactionEdit), not_found for an unknown account or number, invalid_input
// for a bad field or a change the ledger cannot book (the problem named; nothing stored).
TransactionEditResult edit_transaction(const Context& cx, const TransactionEditRequest& request);

}  // namespace keel::service
