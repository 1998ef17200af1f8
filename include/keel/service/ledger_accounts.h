// keel/service/ledger_accounts.h: the ledger's accounts and importing their transactions — `keel
// account create|list|show|update|delete`, /api/v1/accounts, and `keel import transactions` / POST
// /api/v1/accounts/{id}/transactions (validated and booked with the tenant's ledger before
// anything is stored; broker mappings: keel/service/ledger_mappings.h). Every use case acts in the
// actor's tenant; those that change something check their UseCase (keel/service/rules.h) first and
// write its audit row once the change is stored, whichever face called.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/imports.h"
#include "keel/service/ledger_lots.h"
#include "keel/service/ledger_source.h"
#include "keel/service/spec.h"

namespace keel::service {

// What kind of account it is (docs/ledger.md): informs the reader and groups accounts; booking does
// not depend on it.
enum class AccountType { kBrokerage, kRetirement, kChecking, kSavings, kCreditCard, kLoan, kCrypto, kProperty, kOther };
inline constexpr spec::Choice<AccountType> kAccountTypeNames[] = {
    {AccountType::kBrokerage, "brokerage"}, {AccountType::kRetirement, "retirement"},
    {AccountType::kChecking, "checking"},   {AccountType::kSavings, "savings"},
    {AccountType::kCreditCard, "credit_card"}, {AccountType::kLoan, "loan"},
    {AccountType::kCrypto, "crypto"},       {AccountType::kProperty, "property"},
    {AccountType::kOther, "other"}};
std::string_view account_type_name(AccountType t);

// Longest institution and notes an account keeps (characters, UTF-8 bytes).
inline constexpr std::size_t kAccountInstitutionMax = 200;
inline constexpr std::size_t kAccountNotesMax = 2000;

// `keel account create NAME` and POST /api/v1/accounts.
struct AccountCreateRequest {
  std::string name;  // CLI: the positional NAME
  ledger::LotMethod method = ledger::LotMethod::kFifo;
  bool allow_short = false;
  std::string currency = "USD";
  AccountType type = AccountType::kBrokerage;
  std::string institution;
  std::string notes;

  static constexpr const char* kSchemaName = "AccountCreateRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// `keel account update ACCOUNT [--name NEW] [--type T] ...` and PUT /api/v1/accounts/{id}: the
// fields given replace the account's; those left out keep their values.
struct AccountUpdateRequest {
  std::string account;  // CLI: the positional ACCOUNT (name or id); HTTP: the path's {id}
  std::optional<std::string> name;  // a new name
  std::optional<AccountType> type;
  std::optional<std::string> institution;
  std::optional<std::string> notes;
  std::optional<ledger::LotMethod> method;
  std::optional<bool> allow_short;
  std::optional<std::string> currency;

  static constexpr const char* kSchemaName = "AccountUpdateRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// An account's settings and what is stored in it.
struct AccountResult {
  std::int64_t id = 0;
  std::string name;
  std::string method;  // fifo, lifo, hifo, average or specific
  bool allow_short = false;
  std::string currency;
  std::string type;  // kAccountTypeNames
  std::string institution;
  std::string notes;
  std::size_t transactions = 0;
  spec::Nullable<std::string> first_date;  // of its transactions, YYYY-MM-DD
  spec::Nullable<std::string> last_date;
  std::string created_at;  // ISO-8601 UTC

  static constexpr const char* kSchemaName = "AccountResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct AccountListResult {
  std::vector<AccountResult> items;

  static constexpr const char* kSchemaName = "AccountListResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "items"}, s.items);
  }
};

// One symbol held in an account: open lots summed.
struct AccountPosition {
  std::string symbol;
  ledger::Decimal quantity;
  ledger::Decimal basis;  // currency, exact to the cent

  static constexpr const char* kSchemaName = "AccountPosition";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "quantity", .unit = "shares"}, s.quantity);
    v.field({.name = "basis", .help = "Cost basis of the open lots", .unit = "account currency"}, s.basis);
  }
};

struct AccountShowResult {
  AccountResult account;
  std::vector<AccountPosition> positions;
  ledger::Decimal cash;
  std::optional<std::vector<std::string>> problems;  // a stored ledger that cannot be booked

  static constexpr const char* kSchemaName = "AccountShowResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.account);
    v.field({.name = "positions", .help = "Open lots by symbol"}, s.positions);
    v.field({.name = "cash", .unit = "account currency"}, s.cash);
    v.field({.name = "problems",
             .help = "Why the stored ledger cannot be booked (each naming a transaction); positions are then empty"},
            s.problems);
  }
};

struct AccountDeleteResult {
  bool deleted = true;
  std::string name;
  std::size_t transactions = 0;  // deleted with it
  std::optional<std::int64_t> id;  // HTTP: the account's id

  static constexpr const char* kSchemaName = "AccountDeleteResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "deleted"}, s.deleted);
    v.field({.name = "name"}, s.name);
    v.field({.name = "transactions", .help = "Transactions deleted with the account"}, s.transactions);
    v.field({.name = "id", .help = "The account's id (HTTP)"}, s.id);
  }
};

// What changing the ledger needs and writes (keel/service/rules.h).
inline constexpr UseCase kAccountCreate{"create accounts", Permission::kManagePortfolios, "account.create"};
inline constexpr UseCase kAccountUpdate{"update accounts", Permission::kManagePortfolios, "account.update"};
inline constexpr UseCase kAccountDelete{"delete accounts", Permission::kManagePortfolios, "account.delete"};
inline constexpr UseCase kTransactionsImport{"import transactions", Permission::kImportPositions,
                                             "transactions.import"};
inline constexpr UseCase kTransactionEdit{"edit transactions", Permission::kImportPositions, "transaction.edit"};
inline constexpr UseCase kTransactionDelete{"delete transactions", Permission::kImportPositions,
                                            "transaction.delete"};

// `keel account create|list|show|delete`, /api/v1/accounts, in the actor's tenant. They need a
// store (Error::usage without one). create is audited as account.create (resource account/ID,
// details name) and throws forbidden (kAccountCreate), invalid_input for an empty or over-long
// name and conflict for a name the tenant already has; show and delete throw not_found for an
// unknown name. list and show only read (the face checked the permission to read).
AccountResult create_account(const Context& cx, const AccountCreateRequest& request);
AccountListResult list_accounts(const Context& cx);
AccountShowResult show_account(const Context& cx, const std::string& name);
// The actor's tenant's account `ref`: its name, or its numeric id. Error::not_found otherwise
// ("no account REF", also for another tenant's). Reads only.
AccountResult resolve_account(const Context& cx, std::string_view ref);

// Renames or changes an account of the actor's tenant (the fields `request` gives; a new name also
// renames its net-worth snapshots). Audited as account.update (resource account/ID, details the
// account's name before, and the names of the fields changed). Throws forbidden (kAccountUpdate),
// not_found for an unknown account (name or id), invalid_input naming each bad field (an empty or
// over-long name, institution or notes; a currency that is not three letters, or a change of
// currency while the account holds transactions), conflict for a name another account has.
AccountResult update_account(const Context& cx, const AccountUpdateRequest& request);

// Deletes an account of the actor's tenant and its transactions; audited as account.delete
// (resource account/ID, details name and transactions). Throws forbidden (kAccountDelete),
// not_found when the tenant has no such account.
AccountDeleteResult delete_account(const Context& cx, const std::string& name);

// `keel import transactions FILE --account NAME [--mapping FILE] [--replace]`, POST
// /api/v1/accounts/{id}/transactions (the CSV as the body, or JSON {csv, mapping | mapping_name,
// replace, dry_run, keep_duplicates}).
struct ImportTransactionsRequest {
  InputFile input;                          // the command's FILE, or the upload (set by the face)
  std::string account;                      // HTTP: the path's account
  std::optional<std::string> mapping_file;  // CLI: --mapping FILE
  nlohmann::json mapping;                   // HTTP: the mapping document (null: canonical columns)
  std::optional<std::string> mapping_name;  // a built-in or saved mapping (keel/service/ledger_mappings.h)
  std::optional<std::string> csv;           // HTTP: the transactions CSV text
  bool replace = false;
  bool dry_run = false;                     // validate and preview; store nothing
  bool keep_duplicates = false;             // store rows the account already holds again
  // The broker account (OFX ACCTID, IBKR accountId) whose statement is imported, of a file holding
  // several; a file without it is refused. Absent: every statement of the file.
  std::optional<std::string> broker_account;

  static constexpr const char* kSchemaName = "ImportTransactionsRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// A row of the file as keel read it (after the broker mapping): the import's preview.
struct ImportPreviewRow {
  std::size_t line = 0;
  std::string date;
  std::string type;
  std::string symbol;
  ledger::Decimal quantity;
  ledger::Decimal price;
  ledger::Decimal fees;
  spec::Nullable<ledger::Decimal> amount;
  std::string lot_id;
  std::string note;
  bool duplicate = false;
  std::optional<std::string> external_id;  // a statement's own id of the row

  static constexpr const char* kSchemaName = "ImportPreviewRow";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// What a statement (OFX/QFX, IBKR Flex Query) says about itself.
struct ImportStatementInfo {
  std::string format;  // ofx or ibkr_flex
  std::string broker_account;
  spec::Nullable<std::string> start;  // the period covered, YYYY-MM-DD
  spec::Nullable<std::string> end;
  spec::Nullable<std::string> positions_as_of;
  std::size_t positions = 0;

  static constexpr const char* kSchemaName = "ImportStatementInfo";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "format", .help = "ofx or ibkr_flex"}, s.format);
    v.field({.name = "broker_account", .help = "The broker's account id (OFX ACCTID, IBKR accountId)"},
            s.broker_account);
    v.field({.name = "start", .help = "First day the statement covers (null: not given)"}, s.start);
    v.field({.name = "end", .help = "Last day the statement covers (null: not given)"}, s.end);
    v.field({.name = "positions_as_of", .help = "Date of the positions it reports (null: none)"}, s.positions_as_of);
    v.field({.name = "positions", .help = "Positions it reports"}, s.positions);
  }
};

// A position of the statement beside the lots the account would hold after the import, on the
// statement's positions date.
struct ImportReconcileRow {
  std::string symbol;
  ledger::Decimal statement;  // shares the statement reports (negative: short)
  ledger::Decimal ledger;     // shares of the account's open lots after the import
  ledger::Decimal difference;  // ledger - statement
  std::string status;  // ok, quantity, missing_at_broker, missing_in_ledger

  static constexpr const char* kSchemaName = "ImportReconcileRow";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "statement", .help = "Shares the statement reports", .unit = "shares"}, s.statement);
    v.field({.name = "ledger", .help = "Shares of the account's lots after the import", .unit = "shares"}, s.ledger);
    v.field({.name = "difference", .help = "ledger - statement", .unit = "shares"}, s.difference);
    v.field({.name = "status", .help = "ok, quantity, missing_at_broker or missing_in_ledger"}, s.status);
  }
};

struct TransactionsImportResult {
  std::string kind = "transactions";
  std::string file;
  std::string account;
  std::size_t rows = 0;
  bool created_account = false;
  bool replaced = false;
  std::size_t symbols = 0;
  std::size_t account_transactions = 0;
  spec::Nullable<std::string> first_date;
  spec::Nullable<std::string> last_date;
  std::size_t duplicates = 0;
  bool dry_run = false;
  std::optional<std::vector<ImportPreviewRow>> preview;  // dry run
  std::optional<std::vector<LedgerGain>> realized;       // dry run: the gains of the file's sales
  std::optional<ImportStatementInfo> statement;           // an OFX or IBKR statement
  std::optional<std::vector<ImportReconcileRow>> reconciliation;  // a statement that reports positions
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "TransactionsImportResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// The input's format is told from its content: an OFX/QFX statement (keel/io/ofx_reader.h), an
// IBKR Flex Query (keel/io/ibkr_flex_reader.h) or a CSV (a mapping applies to a CSV only: usage
// error otherwise). A statement's rows carry its ids (Transaction::external_id): a row whose id
// the account holds is skipped, even with keep_duplicates. When the statement reports positions,
// they are compared with the account's open lots after the import, booked up to the positions'
// date (`reconciliation`; every difference is also a warning), before anything is stored; a
// difference does not refuse the import (a statement's history may start after its holdings).
// Reads and validates the input, books the tenant's existing rows plus the new ones (so a sale
// before any buy, an oversell or a missing lot is caught), and only then stores them in one
// transaction. The account is created (FIFO, no shorts) when it does not exist. Throws
// invalid_input naming every bad row (or the mapping's problems) and nothing is stored.
// Re-imports: a row equal to one the account holds (date, type, symbol, quantity, price, fees,
// amount, lot id, split ratio, currency and method; not the note) is skipped, counting
// multiplicity — a file with two identical rows adds two, and the same file again adds none — unless
// keep_duplicates. A dry run does everything but store (the account is not created) and returns
// the rows as read and the realized gains of their sales. Into the actor's tenant; a stored import
// is audited as transactions.import (resource account/ID, details name, rows, duplicates and
// replaced); a dry run, which stores nothing, is not. Throws forbidden (kTransactionsImport)
// before anything is read.
TransactionsImportResult import_transactions(const Context& cx, const ImportTransactionsRequest& request);

}  // namespace keel::service
