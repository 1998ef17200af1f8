// keel/service/ledger_source.h: where a ledger use case's transactions come from and how they are
// booked — the part every ledger request shares (keel/service/ledger.h lists the use cases).
//
// A LedgerSource names either the store's accounts (and prices) or files (`--transactions FILE
// [--mapping FILE]`, `--prices FILE`), read through the Context's Env, with the booking options;
// load_ledger reads it. The fields it contributes to each request's description (CLI flags, HTTP
// query, OpenAPI) are written once here, as is the JSON form of the ledger's exact decimals.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/core/env.h"
#include "keel/ledger/booking.h"
#include "keel/ledger/currency.h"
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

struct Context;

struct LedgerSource {
  std::optional<std::string> transactions_file;  // else the store's accounts
  std::optional<std::string> transactions_text;  // or the transactions CSV as text (Python), named by
                                                 // transactions_file (default "transactions")
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
  // Add SPLIT rows for the store's corporate actions the ledger lacks (service::add_store_splits).
  bool splits_from_store = false;
  // The accounts' currency in file mode (stored accounts have their own).
  std::string currency = "USD";
  // FX rates for rows in other currencies than their account's without an fx_rate (docs/fx.md);
  // else the store's.
  std::optional<std::string> fx_file;
  std::optional<std::string> fx_text;  // or the FX rates CSV as text, named by fx_file (default "fx")
};

struct LoadedLedger {
  std::string name;  // file name or "account NAME" / "all accounts"
  std::vector<ledger::Transaction> transactions;  // as_of applied
  ledger::BookOptions options;
  // The accounts' currencies, and how rows in other currencies were converted into them (the
  // transactions above are converted; keel/ledger/currency.h).
  ledger::AccountCurrencies currencies;
  ledger::LedgerConversion conversion;
  // The FX rates read for it (source.fx_file, else the store's), for valuing foreign holdings; null
  // when no row is in another currency than its account's.
  std::shared_ptr<const FxRates> fx;
  std::vector<std::string> warnings;
};

// Throws keel::Error: usage when there is neither a file nor a store; not_found for an unknown
// account or file; invalid_input (every problem listed) for a bad file or mapping. Stored accounts
// are the Context actor's tenant's (cx.store); files are read through cx.env.files.
LoadedLedger load_ledger(const Context& cx, const LedgerSource& source);

inline constexpr spec::Choice<ledger::LotMethod> kLotMethodNames[] = {
    {ledger::LotMethod::kFifo, "fifo"},
    {ledger::LotMethod::kLifo, "lifo"},
    {ledger::LotMethod::kHifo, "hifo"},
    {ledger::LotMethod::kAverage, "average"},
    {ledger::LotMethod::kSpecific, "specific"}};

// The fields every ledger report takes: where the transactions come from (CLI: a file or the
// stored accounts; HTTP: the path's account) and how they are booked. `Src` is LedgerSource or
// a const one.
template <class V, class Src>
void ledger_source_fields(V& v, Src& s) {
  v.field({.name = "transactions", .help = "Transactions CSV (instead of the stored accounts)", .faces = spec::kCli,
           .cli_short = "-t"},
          s.transactions_file);
  v.field({.name = "mapping", .help = "Broker mapping JSON for --transactions (see examples/ledger)",
           .faces = spec::kCli},
          s.mapping_file);
  v.field({.name = "account", .help = "Report this account only (booking covers all accounts)", .faces = spec::kCli,
           .cli_short = "-a"},
          s.account);
  v.choice({.name = "method", .help = "Lot method for every sale (default: each account's)"}, s.method,
           kLotMethodNames);
  v.field({.name = "as_of", .help = "Ignore transactions after this date (YYYY-MM-DD)"}, s.as_of);
  v.field({.name = "allow_short", .help = "Sales beyond the shares held open short lots"}, s.allow_short);
  v.field({.name = "wash_sales", .help = "Apply the wash-sale rule (--no-wash-sales: do not)"}, s.wash_sales);
  v.field({.name = "splits_from_store",
           .help = "Book the store's splits (keel fetch actions) as SPLIT rows the ledger lacks",
           .faces = spec::kCli},
          s.splits_from_store);
  v.field({.name = "currency", .help = "Currency of the file's accounts (stored accounts have their own)",
           .faces = spec::kCli},
          s.currency);
  v.field({.name = "fx", .help = "FX rates CSV for rows in another currency without an fx_rate (else the store's)",
           .faces = spec::kCli},
          s.fx_file);
}
// --prices FILE (CLI; the HTTP reports value at the store's prices).
template <class V, class Src>
void ledger_prices_field(V& v, Src& s) {
  v.field({.name = "prices_file", .help = "Prices CSV (else the store's prices)", .faces = spec::kCli,
           .cli_name = "prices"},
          s.prices_file);
}
// ?year= / --year: sales in one calendar year.
template <class V, class Src>
void ledger_year_field(V& v, Src& s) {
  v.field({.name = "year", .help = "Sales in this calendar year only", .min = 1900, .max = 2200}, s.year);
}

}  // namespace keel::service
