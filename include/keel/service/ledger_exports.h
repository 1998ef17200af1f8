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
  static void fields(V& v, S& s) {
    v.field({.name = "format", .help = "keel.ledger.transactions or keel.ledger.account"}, s.format);
    v.field({.name = "format_version", .help = "1; a reader refuses a version it does not know"},
            s.format_version);
    v.field({.name = "keel_version", .help = "The keel that wrote the export"}, s.keel_version);
    v.field({.name = "exported_at", .help = "ISO-8601 UTC"}, s.exported_at);
    v.field({.name = "account", .help = "The account (a file's name when the ledger was a file)"}, s.account);
    v.field({.name = "currency", .help = "The account's currency (\"\": a file, which has none)"}, s.currency);
    v.field({.name = "method", .help = "The account's default lot method"}, s.method);
    v.field({.name = "transactions", .help = "Rows in the export"}, s.transactions);
  }
};

struct ExportTransactionsResult {
  ExportMeta meta;
  std::vector<ExportedTransaction> transactions;
  std::string source;

  static constexpr const char* kSchemaName = "ExportTransactionsResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "meta", .help = "What the export is, from which keel, when, of which account"}, s.meta);
    v.field({.name = "transactions"}, s.transactions);
    v.field({.name = "source"}, s.source);
  }
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
  static void fields(V& v, S& s) {
    v.field({.name = "date"}, s.date);
    v.field({.name = "net_worth", .help = "Exact decimal as text", .unit = "account currency"}, s.net_worth);
    v.field({.name = "market_value", .help = "Exact decimal as text", .unit = "account currency"}, s.market_value);
    v.field({.name = "cash", .help = "Exact decimal as text", .unit = "account currency"}, s.cash);
    v.field({.name = "cost_basis", .help = "Exact decimal as text", .unit = "account currency"}, s.cost_basis);
    v.field({.name = "unrealized", .help = "Exact decimal as text", .unit = "account currency"}, s.unrealized);
    v.field({.name = "unpriced", .help = "Positions left out for want of a price"}, s.unpriced);
    v.field({.name = "asset_classes", .help = "Market value by asset class, exact decimals as text"}, s.asset_classes);
  }
};

// `keel export account --account A`, GET /api/v1/accounts/{id}/export/account: the whole account
// in one JSON document — its settings, every stored transaction exactly as stored, and its
// recorded snapshots — which `keel import transactions FILE` and the transactions upload read back
// into an account (docs/ledger.md, "One account in one file").
struct AccountExportRequest {
  std::string account;  // HTTP: the path's account

  static constexpr const char* kSchemaName = "AccountExportRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account", .help = "The ledger account", .faces = spec::kCli, .cli_short = "-a", .required = true},
            s.account);
  }
};

struct AccountExport {
  ExportMeta meta;
  AccountResult account;
  std::vector<ExportedTransaction> transactions;
  std::vector<ExportedSnapshot> snapshots;

  static constexpr const char* kSchemaName = "AccountExport";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "meta", .help = "format keel.ledger.account"}, s.meta);
    v.field({.name = "account", .help = "The account's settings"}, s.account);
    v.field({.name = "transactions", .help = "Every stored row, in stored order, exactly as stored"}, s.transactions);
    v.field({.name = "snapshots", .help = "The recorded net-worth snapshots, by date"}, s.snapshots);
  }
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
