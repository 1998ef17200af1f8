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
#include "keel/ledger/booking.h"
#include "keel/ledger/performance.h"
#include "keel/store/store.h"

namespace keel::service {

struct LedgerSource {
  std::optional<std::string> transactions_file;  // else the store's accounts
  std::optional<std::string> mapping_file;       // broker mapping for transactions_file
  std::optional<std::string> account;            // report this account only
  std::optional<std::string> prices_file;        // else the store's prices
  std::optional<ledger::LotMethod> method;       // overrides every account's method
  bool allow_short = false;                      // file mode: accounts allow shorts
  bool wash_sales = true;
  std::optional<Date> as_of;                     // ignore transactions after; value at this date
  std::optional<int> year;                       // gains: sales in this calendar year
  std::string tenant = kDefaultTenant;
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

// `keel export transactions|lots|gains|holdings`: the canonical CSV (exact decimals; transactions
// read back by the importer to the same lots and gains) or the JSON document.
enum class ExportKind { kTransactions, kLots, kGains, kHoldings };
std::string export_csv(Store* store, const LedgerSource& source, ExportKind kind);
nlohmann::json export_json(Store* store, const LedgerSource& source, ExportKind kind);

}  // namespace keel::service
