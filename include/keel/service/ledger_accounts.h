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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct AccountListResult {
  std::vector<AccountResult> items;

  static constexpr const char* kSchemaName = "AccountListResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One symbol held in an account: open lots summed.
struct AccountPosition {
  std::string symbol;
  ledger::Decimal quantity;
  ledger::Decimal basis;  // currency, exact to the cent

  static constexpr const char* kSchemaName = "AccountPosition";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AccountShowResult {
  AccountResult account;
  std::vector<AccountPosition> positions;
  ledger::Decimal cash;
  std::optional<std::vector<std::string>> problems;  // a stored ledger that cannot be booked

  static constexpr const char* kSchemaName = "AccountShowResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct AccountDeleteResult {
  bool deleted = true;
  std::string name;
  std::size_t transactions = 0;  // deleted with it
  std::optional<std::int64_t> id;  // HTTP: the account's id

  static constexpr const char* kSchemaName = "AccountDeleteResult";
  template <class V, class S>
  static void fields(V& v, S& s);
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
// The account `ref` (its name or its id), as every use case below takes it.
AccountShowResult show_account(const Context& cx, const std::string& ref);
// The actor's tenant's account `ref`: its name, or else its numeric id. Error::not_found otherwise
// ("no account REF", also for another tenant's). Reads only.
AccountResult resolve_account(const Context& cx, std::string_view ref);
// The same, nullopt for no such account.
std::optional<AccountResult> find_account_ref(const Context& cx, std::string_view ref);

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
AccountDeleteResult delete_account(const Context& cx, const std::string& ref);

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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
