// keel/service/ledger.h: the personal-ledger use cases shared by `keel ledger|account|export|import
// transactions` and the HTTP API.
//
// Inputs come either from the store (accounts and their transactions; prices) or straight from
// files (`--transactions FILE [--mapping FILE]`, `--prices FILE`), so one command line reproduces a
// result without a database. Files are read through the Context's Env (the HTTP face names none:
// it sends texts inline). Every use case returns a described result struct (keel/service/spec.h):
// its JSON is `--format json` and the HTTP body (docs/ledger.md), amounts as JSON numbers that are
// the exact cent values of the ledger's decimals.
//
// Booking always covers every account of the tenant (or every account in the file), so transfers
// pair up and wash sales are found across accounts; `account` then filters what is reported. Net
// worth snapshots and history: keel/service/ledger_networth.h.
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <map>
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
// account or file; invalid_input (every problem listed) for a bad file or mapping. Files are
// read through `files`.
LoadedLedger load_ledger(Store* store, const LedgerSource& source, const Files& files = local_files());

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

// `keel ledger lots`, GET .../lots (query parameters); `keel export transactions|lots`.
struct LedgerLotsRequest {
  LedgerSource source;

  static constexpr const char* kSchemaName = "LedgerLotsRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    ledger_source_fields(v, s.source);
  }
};

// `keel ledger gains`, GET .../gains; `keel export gains`.
struct LedgerGainsRequest {
  LedgerSource source;

  static constexpr const char* kSchemaName = "LedgerGainsRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    ledger_source_fields(v, s.source);
    ledger_year_field(v, s.source);
  }
};

// `keel ledger holdings`, GET .../holdings; `keel export holdings`.
struct LedgerHoldingsRequest {
  LedgerSource source;

  static constexpr const char* kSchemaName = "LedgerHoldingsRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    ledger_source_fields(v, s.source);
    ledger_prices_field(v, s.source);
  }
};

// An open tax lot.
struct LedgerLot {
  std::string account;
  std::string symbol;
  std::string lot_id;
  Date buy_date;
  Date acquired_date;  // for the holding period (a wash sale carries the old lot's date)
  ledger::Decimal quantity;
  ledger::Decimal basis;
  ledger::Decimal wash_sale_adjustment;

  static constexpr const char* kSchemaName = "LedgerLot";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account"}, s.account);
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "lot_id"}, s.lot_id);
    v.field({.name = "buy_date"}, s.buy_date);
    v.field({.name = "acquired_date", .help = "Start of the holding period (wash sales carry it over)"},
            s.acquired_date);
    v.field({.name = "quantity", .unit = "shares (negative: short)"}, s.quantity);
    v.field({.name = "basis", .help = "Cost basis, wash-sale adjustment included", .unit = "account currency"},
            s.basis);
    v.field({.name = "wash_sale_adjustment", .help = "Disallowed loss added to the basis", .unit = "account currency"},
            s.wash_sale_adjustment);
  }
};

struct LedgerLotsTotals {
  std::size_t lots = 0;
  ledger::Decimal basis;

  static constexpr const char* kSchemaName = "LedgerLotsTotals";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "lots"}, s.lots);
    v.field({.name = "basis", .unit = "account currency"}, s.basis);
  }
};

struct LedgerLotsResult {
  std::string source;  // the file, "account NAME" or "all accounts"
  std::string method;
  spec::Nullable<std::string> as_of;
  std::vector<LedgerLot> lots;
  LedgerLotsTotals totals;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "LedgerLotsResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "source", .help = "The transactions file, \"account NAME\" or \"all accounts\""}, s.source);
    v.field({.name = "method", .help = "Lot method: fifo, lifo, hifo, average, specific or \"per account\""},
            s.method);
    v.field({.name = "as_of", .help = "Transactions after this date ignored (null: none)"}, s.as_of);
    v.field({.name = "lots"}, s.lots);
    v.field({.name = "totals"}, s.totals);
    v.field({.name = "warnings"}, s.warnings);
  }
};

// One lot's sale (a row of IRS Form 8949).
struct LedgerGain {
  std::string symbol;
  Date sell_date;
  Date buy_date;
  ledger::Decimal quantity;
  ledger::Decimal proceeds;
  ledger::Decimal cost;
  ledger::Decimal gain;
  std::string term;  // short or long
  std::string account;
  std::string lot_id;
  Date acquired_date;
  ledger::Decimal wash_sale_disallowed;
  std::string adjustment_code;  // "W" for a wash sale, else ""
  bool short_sale = false;

  static constexpr const char* kSchemaName = "LedgerGain";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "sell_date"}, s.sell_date);
    v.field({.name = "buy_date"}, s.buy_date);
    v.field({.name = "quantity", .unit = "shares"}, s.quantity);
    v.field({.name = "proceeds", .unit = "account currency"}, s.proceeds);
    v.field({.name = "cost", .unit = "account currency"}, s.cost);
    v.field({.name = "gain", .help = "proceeds - cost + wash_sale_disallowed", .unit = "account currency"}, s.gain);
    v.field({.name = "term", .help = "short or long (held more than one year)"}, s.term);
    v.field({.name = "account"}, s.account);
    v.field({.name = "lot_id"}, s.lot_id);
    v.field({.name = "acquired_date"}, s.acquired_date);
    v.field({.name = "wash_sale_disallowed", .help = "Loss disallowed by the wash-sale rule",
             .unit = "account currency"},
            s.wash_sale_disallowed);
    v.field({.name = "adjustment_code", .help = "Form 8949 code: W for a wash sale, else empty"},
            s.adjustment_code);
    v.field({.name = "short_sale", .help = "The sale closed a short lot"}, s.short_sale);
  }
};

struct LedgerGainsTotals {
  ledger::Decimal short_term;  // JSON "short"
  ledger::Decimal long_term;   // JSON "long"
  ledger::Decimal total;
  ledger::Decimal proceeds;
  ledger::Decimal cost;
  ledger::Decimal wash_sale_disallowed;

  static constexpr const char* kSchemaName = "LedgerGainsTotals";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "short", .help = "Short-term gain", .unit = "account currency"}, s.short_term);
    v.field({.name = "long", .help = "Long-term gain", .unit = "account currency"}, s.long_term);
    v.field({.name = "total", .unit = "account currency"}, s.total);
    v.field({.name = "proceeds", .unit = "account currency"}, s.proceeds);
    v.field({.name = "cost", .unit = "account currency"}, s.cost);
    v.field({.name = "wash_sale_disallowed", .unit = "account currency"}, s.wash_sale_disallowed);
  }
};

struct LedgerIncome {
  ledger::Decimal dividends;
  ledger::Decimal interest;
  ledger::Decimal fees;

  static constexpr const char* kSchemaName = "LedgerIncome";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "dividends", .unit = "account currency"}, s.dividends);
    v.field({.name = "interest", .unit = "account currency"}, s.interest);
    v.field({.name = "fees", .unit = "account currency"}, s.fees);
  }
};

struct LedgerGainsResult {
  std::vector<LedgerGain> realized;
  LedgerGainsTotals totals;
  LedgerIncome income;
  std::string method;
  spec::Nullable<int> year;
  std::string source;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "LedgerGainsResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "realized", .help = "Sales by lot, in booking order"}, s.realized);
    v.field({.name = "totals"}, s.totals);
    v.field({.name = "income", .help = "Dividends, interest and fees in the same period"}, s.income);
    v.field({.name = "method", .help = "Lot method: fifo, lifo, hifo, average, specific or \"per account\""},
            s.method);
    v.field({.name = "year", .help = "Calendar year of the sales (null: all)"}, s.year);
    v.field({.name = "source"}, s.source);
    v.field({.name = "warnings"}, s.warnings);
  }
};

// One symbol of an account at market.
struct HoldingPosition {
  std::string account;
  std::string symbol;
  ledger::Decimal quantity;
  ledger::Decimal basis;
  spec::Nullable<ledger::Decimal> price;  // null: no price on or before as_of
  spec::Nullable<std::string> price_date;
  spec::Nullable<ledger::Decimal> market_value;
  spec::Nullable<ledger::Decimal> unrealized;
  double weight = 0.0;  // of net worth
  std::string sector;
  std::string asset_type;

  static constexpr const char* kSchemaName = "HoldingPosition";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account"}, s.account);
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "quantity", .unit = "shares"}, s.quantity);
    v.field({.name = "basis", .unit = "account currency"}, s.basis);
    v.field({.name = "price", .help = "Last close on or before as_of (null: none)", .unit = "account currency"},
            s.price);
    v.field({.name = "price_date", .help = "Date of that close (null: none)"}, s.price_date);
    v.field({.name = "market_value", .help = "null when unpriced", .unit = "account currency"}, s.market_value);
    v.field({.name = "unrealized", .help = "market_value - basis (null when unpriced)", .unit = "account currency"},
            s.unrealized);
    v.field({.name = "weight", .help = "Market value / net worth (0 when unpriced)", .unit = "fraction"}, s.weight);
    v.field({.name = "sector", .help = "\"Unknown\" when the security master does not know it"}, s.sector);
    v.field({.name = "asset_type", .help = "equity or option"}, s.asset_type);
  }
};

struct HoldingLot {
  std::string account;
  std::string symbol;
  std::string lot_id;
  Date buy_date;
  Date acquired_date;
  ledger::Decimal quantity;
  ledger::Decimal basis;
  spec::Nullable<ledger::Decimal> market_value;
  spec::Nullable<ledger::Decimal> unrealized;
  std::string term_if_sold;

  static constexpr const char* kSchemaName = "HoldingLot";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account"}, s.account);
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "lot_id"}, s.lot_id);
    v.field({.name = "buy_date"}, s.buy_date);
    v.field({.name = "acquired_date"}, s.acquired_date);
    v.field({.name = "quantity", .unit = "shares"}, s.quantity);
    v.field({.name = "basis", .unit = "account currency"}, s.basis);
    v.field({.name = "market_value", .help = "null when unpriced", .unit = "account currency"}, s.market_value);
    v.field({.name = "unrealized", .help = "null when unpriced", .unit = "account currency"}, s.unrealized);
    v.field({.name = "term_if_sold", .help = "short or long, were the lot sold on as_of"}, s.term_if_sold);
  }
};

struct AllocationSliceResult {
  std::string key;
  ledger::Decimal market_value;
  double weight = 0.0;

  static constexpr const char* kSchemaName = "AllocationSlice";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "key"}, s.key);
    v.field({.name = "market_value", .unit = "account currency"}, s.market_value);
    v.field({.name = "weight", .help = "Of net worth", .unit = "fraction"}, s.weight);
  }
};

struct HoldingsAllocation {
  std::vector<AllocationSliceResult> asset_type;
  std::vector<AllocationSliceResult> sector;
  std::vector<AllocationSliceResult> account;

  static constexpr const char* kSchemaName = "HoldingsAllocation";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "asset_type", .help = "equity, option and cash"}, s.asset_type);
    v.field({.name = "sector", .help = "By sector (cash as \"Cash\")"}, s.sector);
    v.field({.name = "account"}, s.account);
  }
};

struct HoldingsTotals {
  ledger::Decimal securities_value;  // priced positions
  ledger::Decimal basis;             // of priced positions
  ledger::Decimal unrealized;
  ledger::Decimal cash;
  ledger::Decimal net_worth;

  static constexpr const char* kSchemaName = "HoldingsTotals";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "securities_value", .help = "Priced positions at market", .unit = "account currency"},
            s.securities_value);
    v.field({.name = "basis", .help = "Of the priced positions", .unit = "account currency"}, s.basis);
    v.field({.name = "unrealized", .unit = "account currency"}, s.unrealized);
    v.field({.name = "cash", .unit = "account currency"}, s.cash);
    v.field({.name = "net_worth", .help = "securities_value + cash", .unit = "account currency"}, s.net_worth);
  }
};

struct LedgerHoldingsResult {
  Date as_of;
  std::vector<HoldingPosition> positions;
  std::vector<HoldingLot> lots;
  std::map<std::string, ledger::Decimal> cash;  // per account
  HoldingsTotals totals;
  HoldingsAllocation allocation;
  std::vector<std::string> unpriced;
  std::string source;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "LedgerHoldingsResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Valuation date (default: the later of the last transaction and price)"},
            s.as_of);
    v.field({.name = "positions"}, s.positions);
    v.field({.name = "lots"}, s.lots);
    v.field({.name = "cash", .help = "Cash per account", .unit = "account currency"}, s.cash);
    v.field({.name = "totals"}, s.totals);
    v.field({.name = "allocation"}, s.allocation);
    v.field({.name = "unpriced", .help = "Symbols without a price on or before as_of (left out of the totals)"},
            s.unpriced);
    v.field({.name = "source"}, s.source);
    v.field({.name = "warnings"}, s.warnings);
  }
};

LedgerLotsResult ledger_lots(const Context& cx, const LedgerLotsRequest& request);
LedgerGainsResult ledger_gains(const Context& cx, const LedgerGainsRequest& request);
LedgerHoldingsResult ledger_holdings(const Context& cx, const LedgerHoldingsRequest& request);

// `keel ledger reconcile --broker FILE`, POST .../reconcile {broker: CSV text, tolerance}.
struct LedgerReconcileRequest {
  LedgerSource source;
  std::optional<std::string> broker;       // HTTP: the broker holdings CSV as text
  std::optional<std::string> broker_file;  // CLI: --broker FILE
  double tolerance = 0.0;                  // basis difference accepted, currency units

  static constexpr const char* kSchemaName = "LedgerReconcileRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    ledger_source_fields(v, s.source);
    v.field({.name = "broker", .help = "Broker holdings CSV text: symbol,quantity[,cost_basis,account]",
             .faces = spec::kHttp, .required = true},
            s.broker);
    v.field({.name = "broker_file", .help = "Broker holdings CSV: symbol,quantity[,cost_basis,account]",
             .faces = spec::kCli, .cli_name = "broker", .required = true},
            s.broker_file);
    v.field({.name = "tolerance", .help = "Basis difference accepted", .unit = "account currency", .min = 0},
            s.tolerance);
  }
};

struct ReconcileRowResult {
  std::string account;
  std::string symbol;
  ledger::Decimal ledger_quantity;
  ledger::Decimal broker_quantity;
  ledger::Decimal quantity_difference;  // broker - ledger
  ledger::Decimal ledger_basis;
  spec::Nullable<ledger::Decimal> broker_basis;
  spec::Nullable<ledger::Decimal> basis_difference;
  std::string status;

  static constexpr const char* kSchemaName = "ReconcileRow";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account"}, s.account);
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "ledger_quantity", .unit = "shares"}, s.ledger_quantity);
    v.field({.name = "broker_quantity", .unit = "shares"}, s.broker_quantity);
    v.field({.name = "quantity_difference", .help = "broker - ledger", .unit = "shares"}, s.quantity_difference);
    v.field({.name = "ledger_basis", .unit = "account currency"}, s.ledger_basis);
    v.field({.name = "broker_basis", .help = "null when the broker file has no cost_basis",
             .unit = "account currency"},
            s.broker_basis);
    v.field({.name = "basis_difference", .help = "broker - ledger (null without a broker basis)",
             .unit = "account currency"},
            s.basis_difference);
    v.field({.name = "status", .help = "ok, or what differs (docs/ledger.md)"}, s.status);
  }
};

struct LedgerReconcileResult {
  std::vector<ReconcileRowResult> rows;
  std::size_t discrepancies = 0;
  std::string source;
  std::string broker_file;

  static constexpr const char* kSchemaName = "LedgerReconcileResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "rows"}, s.rows);
    v.field({.name = "discrepancies", .help = "Rows whose status is not ok"}, s.discrepancies);
    v.field({.name = "source"}, s.source);
    v.field({.name = "broker_file", .help = "The broker file (broker.csv for an upload)"}, s.broker_file);
  }
};

// Throws invalid_input for a bad broker file (every problem) and usage without a broker input.
LedgerReconcileResult ledger_reconcile(const Context& cx, const LedgerReconcileRequest& request);

// `keel ledger performance`, GET .../performance.
struct LedgerPerformanceRequest {
  LedgerSource source;
  std::optional<Date> from;  // default: the first transaction
  double risk_free = 0.0;    // decimal per year
  int periods_per_year = 252;
  bool series = false;       // add the daily wealth index and drawdown

  static constexpr const char* kSchemaName = "LedgerPerformanceRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    ledger_source_fields(v, s.source);
    ledger_prices_field(v, s.source);
    v.field({.name = "from", .help = "Start date (default: first transaction); the end is as_of"}, s.from);
    v.field({.name = "series", .help = "Add the daily wealth index and drawdown (the underwater curve)"}, s.series);
    v.field({.name = "risk_free", .help = "Risk-free rate", .unit = "decimal per year"}, s.risk_free);
    v.field({.name = "periods_per_year", .help = "Periods per year for annualising", .min = 1, .max = 366},
            s.periods_per_year);
  }
};

struct PerformanceDrawdown {
  double depth = 0.0;
  spec::Nullable<std::string> peak;
  spec::Nullable<std::string> trough;
  spec::Nullable<std::string> recovery;

  static constexpr const char* kSchemaName = "PerformanceDrawdown";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "depth", .help = "Fraction of the peak lost (>= 0)", .unit = "fraction"}, s.depth);
    v.field({.name = "peak"}, s.peak);
    v.field({.name = "trough"}, s.trough);
    v.field({.name = "recovery", .help = "null: not recovered"}, s.recovery);
  }
};

struct NetWorthValue {
  std::string date;
  double value = 0.0;

  static constexpr const char* kSchemaName = "NetWorthValue";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "date"}, s.date);
    v.field({.name = "value", .unit = "account currency"}, s.value);
  }
};

// One day of the wealth index and its drawdown from the running peak.
struct UnderwaterPoint {
  std::string date;
  double wealth_index = 1.0;
  double drawdown = 0.0;

  static constexpr const char* kSchemaName = "UnderwaterPoint";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "date"}, s.date);
    v.field({.name = "wealth_index", .help = "Growth of 1 by the time-weighted return (1 at the start)"},
            s.wealth_index);
    v.field({.name = "drawdown", .help = "1 - wealth_index / its running maximum (>= 0; 0 at a peak)",
             .unit = "fraction"},
            s.drawdown);
  }
};

struct PeriodGrowthResult {
  std::string period;
  std::string start;
  std::string end;
  double start_value = 0.0;
  double end_value = 0.0;
  double flows = 0.0;
  double twr = 0.0;

  static constexpr const char* kSchemaName = "PeriodGrowth";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "period", .help = "2017-03, 2017-Q1 or 2017"}, s.period);
    v.field({.name = "start", .help = "Last date of the previous period (or the first date)"}, s.start);
    v.field({.name = "end"}, s.end);
    v.field({.name = "start_value", .unit = "account currency"}, s.start_value);
    v.field({.name = "end_value", .unit = "account currency"}, s.end_value);
    v.field({.name = "flows", .help = "External flows inside the period", .unit = "account currency"}, s.flows);
    v.field({.name = "twr", .help = "Time-weighted return inside the period", .unit = "fraction"}, s.twr);
  }
};

struct PerformanceGrowth {
  std::vector<PeriodGrowthResult> monthly;
  std::vector<PeriodGrowthResult> quarterly;
  std::vector<PeriodGrowthResult> annual;

  static constexpr const char* kSchemaName = "PerformanceGrowth";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "monthly"}, s.monthly);
    v.field({.name = "quarterly"}, s.quarterly);
    v.field({.name = "annual"}, s.annual);
  }
};

struct LedgerPerformanceResult {
  std::string scope;  // the account, or "household"
  std::string start;
  std::string end;
  int days = 0;
  double start_value = 0.0;
  double end_value = 0.0;
  double net_flows = 0.0;
  double twr = 0.0;
  double cagr = 0.0;
  spec::Nullable<double> xirr;
  double volatility = 0.0;
  double sharpe = 0.0;
  double sortino = 0.0;
  PerformanceDrawdown max_drawdown;
  double calmar = 0.0;
  double risk_free_rate = 0.0;
  int periods_per_year = 0;
  std::vector<NetWorthValue> net_worth;  // month ends
  PerformanceGrowth growth;
  std::size_t points = 0;
  std::optional<std::vector<UnderwaterPoint>> series;  // with ?series=true
  std::string source;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "LedgerPerformanceResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "scope", .help = "The account, or household"}, s.scope);
    v.field({.name = "start"}, s.start);
    v.field({.name = "end"}, s.end);
    v.field({.name = "days", .unit = "calendar days"}, s.days);
    v.field({.name = "start_value", .unit = "account currency"}, s.start_value);
    v.field({.name = "end_value", .unit = "account currency"}, s.end_value);
    v.field({.name = "net_flows", .help = "Net external flows", .unit = "account currency"}, s.net_flows);
    v.field({.name = "twr", .help = "Time-weighted return", .unit = "fraction"}, s.twr);
    v.field({.name = "cagr", .help = "Annualised TWR", .unit = "fraction per year"}, s.cagr);
    v.field({.name = "xirr", .help = "Money-weighted return (null: no solution)", .unit = "fraction per year"},
            s.xirr);
    v.field({.name = "volatility", .help = "Annualised", .unit = "fraction"}, s.volatility);
    v.field({.name = "sharpe"}, s.sharpe);
    v.field({.name = "sortino"}, s.sortino);
    v.field({.name = "max_drawdown"}, s.max_drawdown);
    v.field({.name = "calmar", .help = "0 when there is no drawdown"}, s.calmar);
    v.field({.name = "risk_free_rate", .unit = "decimal per year"}, s.risk_free_rate);
    v.field({.name = "periods_per_year"}, s.periods_per_year);
    v.field({.name = "net_worth", .help = "Value at each month end"}, s.net_worth);
    v.field({.name = "growth"}, s.growth);
    v.field({.name = "points", .help = "Daily values measured"}, s.points);
    v.field({.name = "series", .help = "Daily wealth index and drawdown (asked with series=true)"}, s.series);
    v.field({.name = "source"}, s.source);
    v.field({.name = "warnings"}, s.warnings);
  }
};

LedgerPerformanceResult ledger_performance(const Context& cx, const LedgerPerformanceRequest& request);

// ---- accounts (described requests and results, keel/service/spec.h) -------------------------------

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

// Deletes an account and its transactions. Throws not_found when the tenant has no such account.
AccountDeleteResult delete_account(const Context& cx, const std::string& name,
                                   const std::string& tenant = kDefaultTenant);

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
  std::string tenant = kDefaultTenant;      // set by the face

  static constexpr const char* kSchemaName = "ImportTransactionsRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "account", .help = "Account (created when missing)", .faces = spec::kCli, .cli_short = "-a",
             .required = true},
            s.account);
    v.field({.name = "mapping_file", .help = "Broker mapping JSON (examples/ledger/*.mapping.json)",
             .faces = spec::kCli, .cli_name = "mapping"},
            s.mapping_file);
    v.field({.name = "csv", .help = "The transactions CSV (canonical columns, or a broker's with `mapping`)",
             .faces = spec::kHttp, .required = true},
            s.csv);
    v.field({.name = "mapping",
             .help = "Broker mapping document (docs/ledger.md); free-form: its own reader checks it",
             .faces = spec::kHttp},
            s.mapping);
    v.field({.name = "mapping_name",
             .help = "A built-in (fidelity, ibkr) or saved mapping of the tenant, instead of `mapping`"},
            s.mapping_name);
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
    v.field({.name = "warnings"}, s.warnings);
  }
};

// Reads and validates the input, books the tenant's existing rows plus the new ones (so a sale
// before any buy, an oversell or a missing lot is caught), and only then stores them in one
// transaction. The account is created (FIFO, no shorts) when it does not exist. Throws
// invalid_input naming every bad row (or the mapping's problems) and nothing is stored.
// Re-imports: a row equal to one the account holds (date, type, symbol, quantity, price, fees,
// amount, lot id, split ratio, currency and method; not the note) is skipped, counting
// multiplicity — a file with two identical rows adds two, and the same file again adds none — unless
// keep_duplicates. A dry run does everything but store (the account is not created) and returns
// the rows as read and the realized gains of their sales.
TransactionsImportResult import_transactions(const Context& cx, const ImportTransactionsRequest& request);

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

}  // namespace keel::service
