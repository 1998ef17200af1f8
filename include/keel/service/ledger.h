// keel/service/ledger.h: the personal-ledger use cases shared by `keel ledger|account|export|import
// transactions` and the HTTP API.
//
// Inputs come either from the store (accounts and their transactions; prices) or straight from
// files (`--transactions FILE [--mapping FILE]`, `--prices FILE`), so one command line reproduces a
// result without a database. Every use case returns nlohmann::json in the shapes of INTERFACES.md
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
#include "keel/service/imports.h"
#include "keel/store/store.h"

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

// Accounts.
nlohmann::json create_account(Store& store, const std::string& name, ledger::LotMethod method, bool allow_short,
                              const std::string& currency, const std::string& tenant = kDefaultTenant);
nlohmann::json list_accounts(Store& store, const std::string& tenant = kDefaultTenant);
nlohmann::json show_account(Store& store, const std::string& name, const std::string& tenant = kDefaultTenant);

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
// Deletes an account and its transactions: {"deleted":true,"name":..,"transactions":n}. Throws
// not_found when the tenant has no such account.
nlohmann::json delete_account(Store& store, const std::string& name, const std::string& tenant = kDefaultTenant);

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
