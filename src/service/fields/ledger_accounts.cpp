// The descriptions of the requests and results of keel/service/ledger_accounts.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/ledger_accounts.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void AccountCreateRequest::fields(V& v, S& s) {
  v.field({.name = "name",
           .help = "Account name (1 to 200 characters)",
           .faces = spec::kHttp,
           .required = true,
           .nonblank = true,
           .max_length = 200},
          s.name);
  v.choice({.name = "method", .help = "Default lot method"}, s.method, kLotMethodNames);
  v.field({.name = "allow_short", .help = "Allow short sales"}, s.allow_short);
  v.field({.name = "currency", .help = "Account currency"}, s.currency);
  v.choice({.name = "type", .help = "Account type"}, s.type, kAccountTypeNames);
  v.field({.name = "institution", .help = "Bank or broker holding the account (at most 200 characters)"},
          s.institution);
  v.field({.name = "notes", .help = "Free-text notes (at most 2000 characters)"}, s.notes);
}
KEEL_SPEC_REQUEST_FIELDS(AccountCreateRequest)

template <class V, class S>
void AccountUpdateRequest::fields(V& v, S& s) {
  v.field({.name = "account", .help = "The account (name or id)", .faces = spec::kCli, .required = true,
           .cli_positional = true},
          s.account);
  // Its bounds are checked by the use case with the other fields' (every problem at once).
  v.field({.name = "name", .help = "New name (1 to 200 characters)"}, s.name);
  v.choice({.name = "type", .help = "Account type"}, s.type, kAccountTypeNames);
  v.field({.name = "institution", .help = "Bank or broker holding the account (at most 200 characters)"},
          s.institution);
  v.field({.name = "notes", .help = "Free-text notes (at most 2000 characters)"}, s.notes);
  v.choice({.name = "method", .help = "Default lot method"}, s.method, kLotMethodNames);
  v.field({.name = "allow_short", .help = "Allow short sales"}, s.allow_short);
  v.field({.name = "currency",
           .help = "Account currency (three letters; only while the account holds no transactions)"},
          s.currency);
}
KEEL_SPEC_REQUEST_FIELDS(AccountUpdateRequest)

template <class V, class S>
void AccountResult::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "name"}, s.name);
  v.field({.name = "method", .help = "Default lot method: fifo, lifo, hifo, average or specific"}, s.method);
  v.field({.name = "allow_short"}, s.allow_short);
  v.field({.name = "currency"}, s.currency);
  v.field({.name = "type",
           .help = "brokerage, retirement, checking, savings, credit_card, loan, crypto, property or other"},
          s.type);
  v.field({.name = "institution", .help = "Bank or broker (\"\": not given)"}, s.institution);
  v.field({.name = "notes"}, s.notes);
  v.field({.name = "transactions", .help = "Stored transactions"}, s.transactions);
  v.field({.name = "first_date", .help = "Date of the first transaction (null: none)"}, s.first_date);
  v.field({.name = "last_date", .help = "Date of the last transaction (null: none)"}, s.last_date);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
}
KEEL_SPEC_FIELDS(AccountResult)

template <class V, class S>
void AccountListResult::fields(V& v, S& s) {
  v.field({.name = "items"}, s.items);
}
KEEL_SPEC_FIELDS(AccountListResult)

template <class V, class S>
void AccountPosition::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "quantity", .unit = "shares"}, s.quantity);
  v.field({.name = "basis", .help = "Cost basis of the open lots", .unit = "account currency"}, s.basis);
}
KEEL_SPEC_FIELDS(AccountPosition)

template <class V, class S>
void AccountShowResult::fields(V& v, S& s) {
  v.flatten(s.account);
  v.field({.name = "positions", .help = "Open lots by symbol"}, s.positions);
  v.field({.name = "cash", .unit = "account currency"}, s.cash);
  v.field({.name = "problems",
           .help = "Why the stored ledger cannot be booked (each naming a transaction); positions are then empty"},
          s.problems);
}
KEEL_SPEC_FIELDS(AccountShowResult)

template <class V, class S>
void AccountDeleteResult::fields(V& v, S& s) {
  v.field({.name = "deleted"}, s.deleted);
  v.field({.name = "name"}, s.name);
  v.field({.name = "transactions", .help = "Transactions deleted with the account"}, s.transactions);
  v.field({.name = "id", .help = "The account's id (HTTP)"}, s.id);
}
KEEL_SPEC_FIELDS(AccountDeleteResult)

template <class V, class S>
void ImportTransactionsRequest::fields(V& v, S& s) {
  v.field({.name = "account", .help = "Account (created when missing)", .faces = spec::kCli, .cli_short = "-a",
           .required = true},
          s.account);
  v.field({.name = "mapping_file", .help = "Broker mapping JSON (examples/ledger/*.mapping.json)",
           .faces = spec::kCli, .cli_name = "mapping"},
          s.mapping_file);
  v.field({.name = "csv",
           .help = "The transactions CSV (canonical columns, or a broker's with `mapping`), or an OFX/QFX or IBKR "
                   "Flex Query statement (the format is told from the content)",
           .faces = spec::kHttp, .required = true},
          s.csv);
  v.field({.name = "mapping",
           .help = "Broker mapping document (docs/ledger.md); free-form: its own reader checks it",
           .faces = spec::kHttp},
          s.mapping);
  v.field({.name = "mapping_name",
           .help = "A built-in (fidelity, ibkr) or saved mapping of the tenant, instead of `mapping`"},
          s.mapping_name);
  v.field({.name = "broker_account",
           .help = "Import only the statement of this broker account (OFX ACCTID, IBKR accountId) of a file holding "
                   "several"},
          s.broker_account);
  v.field({.name = "replace", .help = "Replace the account's transactions instead of appending"}, s.replace);
  v.field({.name = "dry_run", .help = "Validate and preview the rows (and the sales' gains); store nothing"},
          s.dry_run);
  v.field({.name = "keep_duplicates",
           .help = "Store rows identical to rows the account holds (default: skip them, so a file imported "
                   "again adds nothing)"},
          s.keep_duplicates);
}
KEEL_SPEC_REQUEST_FIELDS(ImportTransactionsRequest)

template <class V, class S>
void ImportPreviewRow::fields(V& v, S& s) {
  v.field({.name = "line", .help = "Line of the file (1 = header)"}, s.line);
  v.field({.name = "date"}, s.date);
  v.field({.name = "type", .help = "BUY, SELL, DIVIDEND, ... (docs/ledger.md)"}, s.type);
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "quantity", .unit = "shares"}, s.quantity);
  v.field({.name = "price", .unit = "account currency"}, s.price);
  v.field({.name = "fees", .unit = "account currency"}, s.fees);
  v.field({.name = "amount", .help = "Net cash of the row when the file gives it", .unit = "account currency"},
          s.amount);
  v.field({.name = "lot_id"}, s.lot_id);
  v.field({.name = "note"}, s.note);
  v.field({.name = "duplicate", .help = "The account already holds this row: it is skipped"}, s.duplicate);
  v.field({.name = "external_id",
           .help = "The statement's id of the row (ofx:FITID, ibkr:transactionID, csv:hash of a preset's row)"},
          s.external_id);
}
KEEL_SPEC_FIELDS(ImportPreviewRow)

template <class V, class S>
void ImportStatementInfo::fields(V& v, S& s) {
  v.field({.name = "format", .help = "ofx or ibkr_flex"}, s.format);
  v.field({.name = "broker_account", .help = "The broker's account id (OFX ACCTID, IBKR accountId)"},
          s.broker_account);
  v.field({.name = "start", .help = "First day the statement covers (null: not given)"}, s.start);
  v.field({.name = "end", .help = "Last day the statement covers (null: not given)"}, s.end);
  v.field({.name = "positions_as_of", .help = "Date of the positions it reports (null: none)"}, s.positions_as_of);
  v.field({.name = "positions", .help = "Positions it reports"}, s.positions);
}
KEEL_SPEC_FIELDS(ImportStatementInfo)

template <class V, class S>
void ImportReconcileRow::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "statement", .help = "Shares the statement reports", .unit = "shares"}, s.statement);
  v.field({.name = "ledger", .help = "Shares of the account's lots after the import", .unit = "shares"}, s.ledger);
  v.field({.name = "difference", .help = "ledger - statement", .unit = "shares"}, s.difference);
  v.field({.name = "status", .help = "ok, quantity, missing_at_broker or missing_in_ledger"}, s.status);
}
KEEL_SPEC_FIELDS(ImportReconcileRow)

template <class V, class S>
void TransactionsImportResult::fields(V& v, S& s) {
  v.field({.name = "kind", .help = "transactions"}, s.kind);
  v.field({.name = "file", .help = "The file imported (body.csv for an upload)"}, s.file);
  v.field({.name = "account"}, s.account);
  v.field({.name = "rows", .help = "Transactions stored (a dry run: that would be stored)"}, s.rows);
  v.field({.name = "created_account", .help = "The account did not exist and was created (FIFO, no shorts)"},
          s.created_account);
  v.field({.name = "replaced", .help = "The account's earlier transactions were replaced"}, s.replaced);
  v.field({.name = "symbols", .help = "Distinct symbols in the file"}, s.symbols);
  v.field({.name = "account_transactions", .help = "Transactions the account holds now"}, s.account_transactions);
  v.field({.name = "first_date", .help = "The account's first transaction date"}, s.first_date);
  v.field({.name = "last_date", .help = "The account's last transaction date"}, s.last_date);
  v.field({.name = "duplicates", .help = "Rows skipped because the account already holds them"}, s.duplicates);
  v.field({.name = "dry_run", .help = "Nothing was stored"}, s.dry_run);
  v.field({.name = "preview", .help = "Dry run: every row as read, duplicates marked"}, s.preview);
  v.field({.name = "realized", .help = "Dry run: gains of the sales the file adds, booked with the account's lots"},
          s.realized);
  v.field({.name = "statement", .help = "An OFX or IBKR Flex Query statement: its format, account and period"},
          s.statement);
  v.field({.name = "reconciliation",
           .help = "A statement reporting positions: each beside the account's lots after the import (every "
                   "symbol of either side)"},
          s.reconciliation);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(TransactionsImportResult)

}  // namespace keel::service
