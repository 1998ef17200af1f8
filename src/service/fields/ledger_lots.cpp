// The descriptions of the requests and results of keel/service/ledger_lots.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/ledger_lots.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void LedgerLotsRequest::fields(V& v, S& s) {
  ledger_source_fields(v, s.source);
}
KEEL_SPEC_REQUEST_FIELDS(LedgerLotsRequest)

template <class V, class S>
void LedgerGainsRequest::fields(V& v, S& s) {
  ledger_source_fields(v, s.source);
  ledger_year_field(v, s.source);
}
KEEL_SPEC_REQUEST_FIELDS(LedgerGainsRequest)

template <class V, class S>
void LedgerLot::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(LedgerLot)

template <class V, class S>
void LedgerLotsTotals::fields(V& v, S& s) {
  v.field({.name = "lots"}, s.lots);
  v.field({.name = "basis", .unit = "account currency"}, s.basis);
}
KEEL_SPEC_FIELDS(LedgerLotsTotals)

template <class V, class S>
void LedgerLotsResult::fields(V& v, S& s) {
  v.field({.name = "source", .help = "The transactions file, \"account NAME\" or \"all accounts\""}, s.source);
  v.field({.name = "method", .help = "Lot method: fifo, lifo, hifo, average, specific or \"per account\""},
          s.method);
  v.field({.name = "as_of", .help = "Transactions after this date ignored (null: none)"}, s.as_of);
  v.field({.name = "lots"}, s.lots);
  v.field({.name = "totals"}, s.totals);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(LedgerLotsResult)

template <class V, class S>
void LedgerGain::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(LedgerGain)

template <class V, class S>
void LedgerGainsTotals::fields(V& v, S& s) {
  v.field({.name = "short", .help = "Short-term gain", .unit = "account currency"}, s.short_term);
  v.field({.name = "long", .help = "Long-term gain", .unit = "account currency"}, s.long_term);
  v.field({.name = "total", .unit = "account currency"}, s.total);
  v.field({.name = "proceeds", .unit = "account currency"}, s.proceeds);
  v.field({.name = "cost", .unit = "account currency"}, s.cost);
  v.field({.name = "wash_sale_disallowed", .unit = "account currency"}, s.wash_sale_disallowed);
  v.field({.name = "fx", .help = "Currency part of the total (lots in other currencies)", .unit = "account currency"},
          s.fx);
}
KEEL_SPEC_FIELDS(LedgerGainsTotals)

template <class V, class S>
void LedgerIncome::fields(V& v, S& s) {
  v.field({.name = "dividends", .help = "Dividends and fund distributions, gross", .unit = "account currency"},
          s.dividends);
  v.field({.name = "interest", .unit = "account currency"}, s.interest);
  v.field({.name = "fees", .unit = "account currency"}, s.fees);
}
KEEL_SPEC_FIELDS(LedgerIncome)

template <class V, class S>
void LedgerGainsResult::fields(V& v, S& s) {
  v.field({.name = "realized", .help = "Sales by lot, in booking order"}, s.realized);
  v.field({.name = "totals"}, s.totals);
  v.field({.name = "income", .help = "Dividends, interest and fees in the same period"}, s.income);
  v.field({.name = "method", .help = "Lot method: fifo, lifo, hifo, average, specific or \"per account\""},
          s.method);
  v.field({.name = "year", .help = "Calendar year of the sales (null: all)"}, s.year);
  v.field({.name = "source"}, s.source);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(LedgerGainsResult)

}  // namespace keel::service
