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
  static void fields(V& v, S& s) {
    v.field({.name = "symbol", .help = "Only this symbol's rows"}, s.symbol);
    v.field({.name = "type", .help = "Only rows of this type (BUY, SELL, DIVIDEND, ...)"}, s.type);
    v.field({.name = "from", .help = "Only rows on or after this date"}, s.from);
    v.field({.name = "to", .help = "Only rows on or before this date"}, s.to);
  }
};

struct LedgerTransactionsRequest {
  std::string account;  // HTTP: the path's account
  LedgerTransactionsFilter filter;
  std::size_t offset = 0;  // rows of the filtered list skipped (HTTP: from the cursor)
  std::size_t limit = 0;   // rows returned at most; 0: all (HTTP: the page's limit)

  static constexpr const char* kSchemaName = "LedgerTransactionsRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account", .help = "The ledger account", .faces = spec::kCli, .required = true}, s.account);
    v.flatten(s.filter);
    v.field({.name = "offset", .help = "Filtered rows skipped", .faces = spec::kCli}, s.offset);
    v.field({.name = "limit", .help = "Rows shown at most (0: all)", .faces = spec::kCli}, s.limit);
  }
};

// One stored row: its place in the account (1 = the first stored) and the row as exported.
struct LedgerTransactionItem {
  std::size_t number = 0;
  ExportedTransaction row;

  static constexpr const char* kSchemaName = "LedgerTransactionItem";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "number", .help = "The row's place among the account's stored rows, from 1"}, s.number);
    v.flatten(s.row);
  }
};

struct LedgerTransactionsResult {
  std::string account;
  std::size_t total = 0;  // rows that pass the filters
  std::size_t offset = 0;
  std::vector<LedgerTransactionItem> items;

  static constexpr const char* kSchemaName = "LedgerTransactionsResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account"}, s.account);
    v.field({.name = "total", .help = "Rows that pass the filters"}, s.total);
    v.field({.name = "offset", .help = "Filtered rows before the first item"}, s.offset);
    v.field({.name = "items", .help = "The rows, in stored order (date order within an import)"}, s.items);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "account", .help = "The ledger account", .faces = spec::kCli, .required = true}, s.account);
    v.field({.name = "number", .help = "The row's number (keel ledger transactions), from 1", .min = 1,
             .faces = spec::kCli, .required = true},
            s.number);
  }
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
  static void fields(V& v, S& s) {
    v.flatten(s.row);
    v.field({.name = "date", .help = "The new date"}, s.date);
    v.field({.name = "type", .help = "The new type (BUY, SELL, DIVIDEND, ...)"}, s.type);
    v.field({.name = "symbol", .help = "The new symbol"}, s.symbol);
    v.field({.name = "quantity", .help = "The new quantity (exact decimal)", .unit = "shares"}, s.quantity);
    v.field({.name = "price", .help = "The new price (exact decimal)", .unit = "the row's currency"}, s.price);
    v.field({.name = "fees", .help = "The new fees (exact decimal)", .unit = "the row's currency"}, s.fees);
    v.field({.name = "amount", .help = "The new net cash (exact decimal)", .unit = "the row's currency"}, s.amount);
    v.field({.name = "note", .help = "The new note"}, s.note);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "account"}, s.account);
    v.field({.name = "number"}, s.number);
    v.field({.name = "action", .help = "edited or deleted"}, s.action);
    v.field({.name = "before", .help = "The row as it was"}, s.before);
    v.field({.name = "after", .help = "The row as stored now (edited)"}, s.after);
    v.field({.name = "account_transactions", .help = "Rows the account holds now"}, s.account_transactions);
    v.field({.name = "warnings"}, s.warnings);
  }
};

// Throws forbidden (kTransactionEdit), not_found for an unknown account or number, invalid_input
// for a bad field or a change the ledger cannot book (the problem named; nothing stored).
TransactionEditResult edit_transaction(const Context& cx, const TransactionEditRequest& request);

}  // namespace keel::service
