// keel/service/ledger.h: the personal-ledger use cases shared by `keel ledger|account|export|import
// transactions` and the HTTP API.
//
// Inputs come either from the store (accounts and their transactions; prices) or straight from
// files (`--transactions FILE [--mapping FILE]`, `--prices FILE`), so one command line reproduces a
// result without a database. Every use case returns nlohmann::json in the shapes of docs/cli.md
// (`gains`: {"realized":[...],"totals":{"short":..,"long":..}}), amounts as JSON numbers that are the
// exact cent values of the ledger's decimals.
//
// Booking always covers every account of the tenant (or every account in the file), so transfers
// pair up and wash sales are found across accounts; `account` then filters what is reported.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/io/transaction_reader.h"
#include "keel/ledger/booking.h"
#include "keel/ledger/performance.h"
#include "keel/service/context.h"
#include "keel/service/imports.h"
#include "keel/service/spec.h"
#include "keel/store/store.h"

namespace keel::spec {
// The ledger's exact decimals in results: the JSON number the ledger writes (the shortest double
// that prints the decimal back; cents survive the round trip), schema "number".
template <>
struct ValueCodec<ledger::Decimal> {
  static nlohmann::json write(const ledger::Decimal& d) { return d.to_double(); }
  static nlohmann::json schema() { return {{"type", "number"}}; }
};
}  // namespace keel::spec

namespace keel::service {

struct LedgerSource {
  std::optional<std::string> transactions_file;  // else the store's accounts
  std::optional<std::string> mapping_file;       // broker mapping for transactions_file
  std::optional<std::string> account;            // report this account only
  std::optional<std::string> prices_file;        // else the store's prices
  std::optional<std::string> prices_text;        // or the prices CSV uploaded as text (HTTP), read in
                                                 // memory and reported as "prices"; wins over prices_file
  std::optional<ledger::LotMethod> method;       // overrides every account's method
  bool allow_short = false;                      // file mode: accounts allow shorts
  bool wash_sales = true;
  std::optional<Date> as_of;                     // ignore transactions after; value at this date
  std::optional<int> year;                       // gains: sales in this calendar year
  std::string tenant = kDefaultTenant;
  // Add SPLIT rows for the store's corporate actions the ledger lacks (service::add_store_splits).
  bool splits_from_store = false;
};

struct LoadedLedger {
  std::string name;  // file name or "account NAME" / "all accounts"
  std::vector<ledger::Transaction> transactions;  // as_of applied
  ledger::BookOptions options;
  std::vector<std::string> warnings;
};

// Throws keel::Error: usage when there is neither a file nor a store; not_found for an unknown
// account or file; invalid_input (every problem listed) for a bad file or mapping.
LoadedLedger load_ledger(Store* store, const LedgerSource& source);

nlohmann::json ledger_lots(Store* store, const LedgerSource& source);
nlohmann::json ledger_gains(Store* store, const LedgerSource& source);
nlohmann::json ledger_holdings(Store* store, const LedgerSource& source);
// `broker_file`: CSV `symbol,quantity` + optional `account,cost_basis`; tolerance in currency units.
nlohmann::json ledger_reconcile(Store* store, const LedgerSource& source, const std::string& broker_file,
                                const std::string& basis_tolerance);
// The same reconciliation with the broker holdings as an uploaded text (HTTP) or a file
// (`text` absent); the `broker_file` form above calls this one.
nlohmann::json ledger_reconcile(Store* store, const LedgerSource& source, const InputFile& broker,
                                const std::string& basis_tolerance);
nlohmann::json ledger_performance(Store* store, const LedgerSource& source, std::optional<Date> from,
                                  const ledger::PerformanceOptions& options);


// ---- accounts (described requests and results, keel/service/spec.h) -------------------------------

inline constexpr spec::Choice<ledger::LotMethod> kLotMethodNames[] = {
    {ledger::LotMethod::kFifo, "fifo"},
    {ledger::LotMethod::kLifo, "lifo"},
    {ledger::LotMethod::kHifo, "hifo"},
    {ledger::LotMethod::kAverage, "average"},
    {ledger::LotMethod::kSpecific, "specific"}};

// `keel account create NAME` and POST /api/v1/accounts.
struct AccountCreateRequest {
  std::string name;  // CLI: the positional NAME
  ledger::LotMethod method = ledger::LotMethod::kFifo;
  bool allow_short = false;
  std::string currency = "USD";
  std::string tenant = kDefaultTenant;  // set by the face, not by the caller

  static constexpr const char* kSchemaName = "AccountCreateRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "Account name (1 to 200 characters)", .faces = spec::kHttp, .required = true},
            s.name);
    v.choice({.name = "method", .help = "Default lot method"}, s.method, kLotMethodNames);
    v.field({.name = "allow_short", .help = "Allow short sales"}, s.allow_short);
    v.field({.name = "currency", .help = "Account currency"}, s.currency);
  }
};

// An account's settings and what is stored in it.
struct AccountResult {
  std::int64_t id = 0;
  std::string name;
  std::string method;  // fifo, lifo, hifo, average or specific
  bool allow_short = false;
  std::string currency;
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

// `keel account create|list|show|delete`, /api/v1/accounts. They need a store (Error::usage
// without one); create throws invalid_input for an empty or over-long name and conflict for a
// name the tenant already has; show and delete throw not_found for an unknown name.
AccountResult create_account(const Context& cx, const AccountCreateRequest& request);
AccountListResult list_accounts(const Context& cx, const std::string& tenant = kDefaultTenant);
AccountShowResult show_account(const Context& cx, const std::string& name, const std::string& tenant = kDefaultTenant);

// `keel import transactions FILE --account NAME [--mapping FILE] [--replace]`: reads and validates
// the file, books the account's existing rows plus the new ones (so a sale before any buy, an
// oversell or a missing lot is caught), and only then stores them in one transaction. The account
// is created (FIFO, no shorts) when it does not exist.
nlohmann::json import_transactions(Store& store, const std::string& file, const std::string& account,
                                   const std::optional<std::string>& mapping_file, bool replace,
                                   const std::string& tenant = kDefaultTenant);

// The same import from an uploaded text (HTTP; `file.text` set) or a file, with a mapping already
// parsed (io::parse_mapping); the form above reads its mapping file and calls this one.
nlohmann::json import_transactions(Store& store, const InputFile& file, const std::string& account,
                                   const std::optional<io::TransactionMapping>& mapping, bool replace,
                                   const std::string& tenant = kDefaultTenant);
// Deletes an account and its transactions. Throws not_found when the tenant has no such account.
AccountDeleteResult delete_account(const Context& cx, const std::string& name,
                                   const std::string& tenant = kDefaultTenant);

// `keel export transactions|lots|gains|holdings`: the canonical CSV (exact decimals; transactions
// read back by the importer to the same lots and gains) or the JSON document.
enum class ExportKind { kTransactions, kLots, kGains, kHoldings };
std::string export_csv(Store* store, const LedgerSource& source, ExportKind kind);
nlohmann::json export_json(Store* store, const LedgerSource& source, ExportKind kind);

// Net-worth snapshots (src/service/ledger_snapshots.cpp; docs/ledger.md "Net worth history").
// `keel ledger snapshot`: values the stored accounts as ledger_holdings does (source.account, or
// every account when absent; source.as_of, default the later of the last transaction and the last
// price date; source.prices_file, else the store's prices) and records net worth, market value,
// cash, cost basis and unrealized gain to the cent, replacing a snapshot of the same date:
// {"account","scope","as_of","net_worth","market_value","cash","cost_basis","unrealized",
//  "unpriced":[..],"replaced":bool,"warnings":[..]}. Throws not_found for an unknown account and
// usage when source.transactions_file is set (snapshots are of stored accounts).
nlohmann::json record_ledger_snapshot(Store& store, const LedgerSource& source);
// `keel ledger networth`: net worth history of source.account (or every account) between `from`
// and `to` (inclusive, optional) from the recorded snapshots, with change and growth per step, per
// month, quarter and year, and the annualized growth: {"source":"snapshots"|"replay", "points":[..],
// "totals":{..}, "growth":{"monthly","quarterly","annual"}, ...}. Without snapshots in the range
// (or with a transactions file) the history is replayed from transactions and daily closes
// (month-end values, as ledger_performance) and labelled "replay", with a warning.
nlohmann::json ledger_networth(Store* store, const LedgerSource& source, std::optional<Date> from,
                               std::optional<Date> to);

}  // namespace keel::service
