// The descriptions of the requests and results of keel/service/ledger_exports.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/ledger_exports.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void ExportedTransaction::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(ExportedTransaction)

template <class V, class S>
void ExportMeta::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(ExportMeta)

template <class V, class S>
void ExportTransactionsResult::fields(V& v, S& s) {
  v.field({.name = "meta", .help = "What the export is, from which keel, when, of which account"}, s.meta);
  v.field({.name = "transactions"}, s.transactions);
  v.field({.name = "source"}, s.source);
}
KEEL_SPEC_FIELDS(ExportTransactionsResult)

template <class V, class S>
void ExportedSnapshot::fields(V& v, S& s) {
  v.field({.name = "date"}, s.date);
  v.field({.name = "net_worth", .help = "Exact decimal as text", .unit = "account currency"}, s.net_worth);
  v.field({.name = "market_value", .help = "Exact decimal as text", .unit = "account currency"}, s.market_value);
  v.field({.name = "cash", .help = "Exact decimal as text", .unit = "account currency"}, s.cash);
  v.field({.name = "cost_basis", .help = "Exact decimal as text", .unit = "account currency"}, s.cost_basis);
  v.field({.name = "unrealized", .help = "Exact decimal as text", .unit = "account currency"}, s.unrealized);
  v.field({.name = "unpriced", .help = "Positions left out for want of a price"}, s.unpriced);
  v.field({.name = "asset_classes", .help = "Market value by asset class, exact decimals as text"}, s.asset_classes);
}
KEEL_SPEC_FIELDS(ExportedSnapshot)

template <class V, class S>
void AccountExportRequest::fields(V& v, S& s) {
  v.field({.name = "account", .help = "The ledger account", .faces = spec::kCli, .cli_short = "-a", .required = true},
          s.account);
}
KEEL_SPEC_REQUEST_FIELDS(AccountExportRequest)

template <class V, class S>
void AccountExport::fields(V& v, S& s) {
  v.field({.name = "meta", .help = "format keel.ledger.account"}, s.meta);
  v.field({.name = "account", .help = "The account's settings"}, s.account);
  v.field({.name = "transactions", .help = "Every stored row, in stored order, exactly as stored"}, s.transactions);
  v.field({.name = "snapshots", .help = "The recorded net-worth snapshots, by date"}, s.snapshots);
}
KEEL_SPEC_FIELDS(AccountExport)

template <class V, class S>
void LedgerTransactionsFilter::fields(V& v, S& s) {
  v.field({.name = "symbol", .help = "Only this symbol's rows"}, s.symbol);
  v.field({.name = "type", .help = "Only rows of this type (BUY, SELL, DIVIDEND, ...)"}, s.type);
  v.field({.name = "from", .help = "Only rows on or after this date"}, s.from);
  v.field({.name = "to", .help = "Only rows on or before this date"}, s.to);
}
KEEL_SPEC_REQUEST_FIELDS(LedgerTransactionsFilter)

template <class V, class S>
void LedgerTransactionsRequest::fields(V& v, S& s) {
  v.field({.name = "account", .help = "The ledger account", .faces = spec::kCli, .required = true}, s.account);
  v.flatten(s.filter);
  v.field({.name = "offset", .help = "Filtered rows skipped", .faces = spec::kCli}, s.offset);
  v.field({.name = "limit", .help = "Rows shown at most (0: all)", .faces = spec::kCli}, s.limit);
}
KEEL_SPEC_REQUEST_FIELDS(LedgerTransactionsRequest)

template <class V, class S>
void LedgerTransactionItem::fields(V& v, S& s) {
  v.field({.name = "number", .help = "The row's place among the account's stored rows, from 1"}, s.number);
  v.flatten(s.row);
}
KEEL_SPEC_FIELDS(LedgerTransactionItem)

template <class V, class S>
void LedgerTransactionsResult::fields(V& v, S& s) {
  v.field({.name = "account"}, s.account);
  v.field({.name = "total", .help = "Rows that pass the filters"}, s.total);
  v.field({.name = "offset", .help = "Filtered rows before the first item"}, s.offset);
  v.field({.name = "items", .help = "The rows, in stored order (date order within an import)"}, s.items);
}
KEEL_SPEC_FIELDS(LedgerTransactionsResult)

template <class V, class S>
void TransactionRef::fields(V& v, S& s) {
  v.field({.name = "account", .help = "The ledger account", .faces = spec::kCli, .required = true}, s.account);
  v.field({.name = "number", .help = "The row's number (keel ledger transactions), from 1", .min = 1,
           .faces = spec::kCli, .required = true},
          s.number);
}
KEEL_SPEC_FIELDS(TransactionRef)

template <class V, class S>
void TransactionEditRequest::fields(V& v, S& s) {
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
KEEL_SPEC_REQUEST_FIELDS(TransactionEditRequest)

template <class V, class S>
void TransactionEditResult::fields(V& v, S& s) {
  v.field({.name = "account"}, s.account);
  v.field({.name = "number"}, s.number);
  v.field({.name = "action", .help = "edited or deleted"}, s.action);
  v.field({.name = "before", .help = "The row as it was"}, s.before);
  v.field({.name = "after", .help = "The row as stored now (edited)"}, s.after);
  v.field({.name = "account_transactions", .help = "Rows the account holds now"}, s.account_transactions);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(TransactionEditResult)

}  // namespace keel::service
