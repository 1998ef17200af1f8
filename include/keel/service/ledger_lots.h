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
  static void fields(V& v, S& s);
};

// `keel ledger gains`, GET .../gains; `keel export gains`.
struct LedgerGainsRequest {
  LedgerSource source;

  static constexpr const char* kSchemaName = "LedgerGainsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct LedgerLotsTotals {
  std::size_t lots = 0;
  ledger::Decimal basis;

  static constexpr const char* kSchemaName = "LedgerLotsTotals";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct LedgerIncome {
  ledger::Decimal dividends;
  ledger::Decimal interest;
  ledger::Decimal fees;

  static constexpr const char* kSchemaName = "LedgerIncome";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

LedgerLotsResult ledger_lots(const Context& cx, const LedgerLotsRequest& request);
LedgerGainsResult ledger_gains(const Context& cx, const LedgerGainsRequest& request);

}  // namespace keel::service
