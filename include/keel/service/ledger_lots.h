// keel/service/ledger_lots.h: the ledger's open tax lots and realized gains (`keel ledger lots|gains`,
// GET /api/v1/accounts/{id}/lots|gains): every account of the source booked, then the lots still
// open and the sales with their gains (the rows of IRS Form 8949), with dividends, interest and
// fees beside them.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/ledger_source.h"
#include "keel/service/spec.h"

namespace keel::service {

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
  // A lot bought in another currency than the account's: that currency, and the gain split into
  // its price and currency parts (keel/ledger/currency.h); absent otherwise.
  std::optional<std::string> trade_currency;
  std::optional<ledger::Decimal> gain_price;
  std::optional<ledger::Decimal> gain_fx;

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
    v.field({.name = "trade_currency", .help = "Currency the lot was bought and sold in, when not the account's"},
            s.trade_currency);
    v.field({.name = "gain_price", .help = "Part of the gain from the price: gain - gain_fx",
             .unit = "account currency"},
            s.gain_price);
    v.field({.name = "gain_fx", .help = "Part of the gain from the currency: cost x (rate at sale / rate at purchase - 1)",
             .unit = "account currency"},
            s.gain_fx);
  }
};

struct LedgerGainsTotals {
  ledger::Decimal short_term;  // JSON "short"
  ledger::Decimal long_term;   // JSON "long"
  ledger::Decimal total;
  ledger::Decimal proceeds;
  ledger::Decimal cost;
  ledger::Decimal wash_sale_disallowed;
  std::optional<ledger::Decimal> fx;  // currency part of `total`, when some lot was in another currency

  static constexpr const char* kSchemaName = "LedgerGainsTotals";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "short", .help = "Short-term gain", .unit = "account currency"}, s.short_term);
    v.field({.name = "long", .help = "Long-term gain", .unit = "account currency"}, s.long_term);
    v.field({.name = "total", .unit = "account currency"}, s.total);
    v.field({.name = "proceeds", .unit = "account currency"}, s.proceeds);
    v.field({.name = "cost", .unit = "account currency"}, s.cost);
    v.field({.name = "wash_sale_disallowed", .unit = "account currency"}, s.wash_sale_disallowed);
    v.field({.name = "fx", .help = "Currency part of the total (lots in other currencies)", .unit = "account currency"},
            s.fx);
  }
};

struct LedgerIncome {
  ledger::Decimal dividends;
  ledger::Decimal interest;
  ledger::Decimal fees;

  static constexpr const char* kSchemaName = "LedgerIncome";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "dividends", .help = "Dividends and fund distributions, gross", .unit = "account currency"},
            s.dividends);
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

LedgerLotsResult ledger_lots(const Context& cx, const LedgerLotsRequest& request);
LedgerGainsResult ledger_gains(const Context& cx, const LedgerGainsRequest& request);

}  // namespace keel::service
