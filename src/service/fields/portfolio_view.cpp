// The descriptions of the requests and results of keel/service/portfolio_view.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/portfolio_view.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void PositionRecord::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "type", .help = "stock, etf, option, cash or other"}, s.type);
  v.field({.name = "quantity", .unit = "shares or contracts"}, s.quantity);
  v.field({.name = "multiplier", .help = "Units of the underlying per contract"}, s.multiplier);
  v.field({.name = "currency"}, s.currency);
  v.field({.name = "entry_price", .unit = "price units"}, s.entry_price);
  v.field({.name = "entry_date"}, s.entry_date);
  v.field({.name = "underlying", .help = "Options"}, s.underlying);
  v.field({.name = "strike", .help = "Options", .unit = "price units"}, s.strike);
  v.field({.name = "expiry", .help = "Options"}, s.expiry);
  v.field({.name = "option_type", .help = "Options: call or put"}, s.option_type);
  v.field({.name = "exercise", .help = "Options: european or american"}, s.exercise);
  v.field({.name = "implied_vol", .unit = "annualised decimal"}, s.implied_vol);
  v.field({.name = "dividend_yield",
           .help = "Options: the underlying's continuous dividend yield (when the position gives one)",
           .unit = "decimal per year"},
          s.dividend_yield);
  v.field({.name = "sector"}, s.sector);
  v.field({.name = "tags"}, s.tags);
  v.field({.name = "strategy"}, s.strategy);
}
KEEL_SPEC_FIELDS(PositionRecord)

template <class V, class S>
void PositionsQuery::fields(V& v, S& s) {
  v.field({.name = "type", .help = "Only this type: stock, etf, option, cash or other"}, s.type);
  v.field({.name = "tag", .help = "Only positions carrying this tag"}, s.tag);
  v.field({.name = "sector", .help = "Only this sector"}, s.sector);
  v.field({.name = "symbol", .help = "Only this symbol, and the options on it"}, s.symbol);
  v.field({.name = "currency", .help = "Only positions quoted in this currency"}, s.currency);
  v.field({.name = "sort",
           .help = "Order by id, symbol, type, quantity, currency, sector or entry_date; -FIELD descending "
                   "(default: the stored order, that of the file)"},
          s.sort);
  v.field({.name = "limit", .help = "A page of at most this many positions (default: every match)", .min = 1,
           .max = 10000},
          s.limit);
  v.field({.name = "offset", .help = "Matches skipped before the page (next_offset of the previous page)", .min = 0},
          s.offset);
}
KEEL_SPEC_REQUEST_FIELDS(PositionsQuery)

template <class V, class S>
void PositionItem::fields(V& v, S& s) {
  v.field({.name = "id",
           .help = "The position's number within the portfolio, kept across re-imports of the same instrument "
                   "and strategy; never given to another position of the portfolio"},
          s.id);
  v.flatten(s.position);
}
KEEL_SPEC_FIELDS(PositionItem)

template <class V, class S>
void PositionsList::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The portfolio's id"}, s.id);
  v.field({.name = "name", .help = "The portfolio's name"}, s.name);
  v.field({.name = "total", .help = "Positions of the portfolio before the filters"}, s.total);
  v.field({.name = "matched", .help = "Positions that pass the filters (across every page)"}, s.matched);
  v.field({.name = "next_offset", .help = "The offset of the next page (null: this page is the last)"},
          s.next_offset);
  v.field({.name = "items", .help = "The positions that pass the filters, in the order asked for"}, s.items);
}
KEEL_SPEC_FIELDS(PositionsList)

template <class V, class S>
void PositionView::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The position's id within the portfolio (keel portfolio position NAME ID)"}, s.id);
  v.flatten(s.record);
  v.field({.name = "last_price", .help = "Close on or before as_of, or the model value", .unit = "price units"},
          s.last_price);
  v.field({.name = "price_date"}, s.price_date);
  v.field({.name = "market_value_local",
           .help = "quantity x multiplier x last_price, in the position's currency",
           .unit = "position currency"},
          s.market_value_local);
  v.field({.name = "fx_rate",
           .help = "Units of the reporting currency per unit of the position's on as_of (1 in the same currency)"},
          s.fx_rate);
  v.field({.name = "market_value", .help = "market_value_local x fx_rate", .unit = "portfolio currency"},
          s.market_value);
  v.field({.name = "weight", .help = "market_value over gross market value", .unit = "fraction"}, s.weight);
  v.field({.name = "price_source", .help = "close (stored price), model (options engine) or cash (its amount, price 1)"},
          s.price_source);
}
KEEL_SPEC_FIELDS(PositionView)

template <class V, class S>
void PortfolioView::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The stored portfolio's id (HTTP)"}, s.id);
  v.field({.name = "name"}, s.name);
  v.field({.name = "as_of", .help = "Valuation date (null: no prices)"}, s.as_of);
  v.field({.name = "currency", .help = "The portfolio's reporting currency: market values and totals are in it"},
          s.currency);
  v.field({.name = "positions"}, s.positions);
  v.field({.name = "net_market_value", .unit = "portfolio currency"}, s.net_market_value);
  v.field({.name = "gross_market_value", .unit = "portfolio currency"}, s.gross_market_value);
  v.field({.name = "long_market_value", .unit = "portfolio currency"}, s.long_market_value);
  v.field({.name = "short_market_value", .unit = "portfolio currency"}, s.short_market_value);
  v.field({.name = "unpriced", .help = "Positions without a price, or without the FX rate converting it"},
          s.unpriced);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(PortfolioView)

template <class V, class S>
void PortfolioRecord::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "name"}, s.name);
  v.field({.name = "tenant"}, s.tenant);
  v.field({.name = "positions", .help = "Number of positions"}, s.positions);
  v.field({.name = "base_currency", .help = "The reporting currency of its values (default USD)"},
          s.base_currency);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "updated_at", .help = "ISO-8601 UTC"}, s.updated_at);
}
KEEL_SPEC_FIELDS(PortfolioRecord)

template <class V, class S>
void PortfolioShowRequest::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "Value at this date (default: the latest prices)"}, s.as_of);
  v.field({.name = "currency",
           .help = "Value in this currency for this request, converting with the stored FX rates (default: "
                   "the portfolio's reporting currency)"},
          s.currency);
}
KEEL_SPEC_REQUEST_FIELDS(PortfolioShowRequest)

template <class V, class S>
void PortfolioDeleted::fields(V& v, S& s) {
  v.field({.name = "deleted"}, s.deleted);
  v.field({.name = "id"}, s.id);
  v.field({.name = "name"}, s.name);
}
KEEL_SPEC_FIELDS(PortfolioDeleted)

template <class V, class S>
void PortfolioCreateRequest::fields(V& v, S& s) {
  v.field({.name = "name",
           .help = "Name of the new (empty) portfolio, 1 to 200 characters",
           .required = true,
           .nonblank = true,
           .max_length = 200},
          s.name);
  v.field({.name = "currency", .help = "Reporting currency: values and risk are shown in it (three letters)"},
          s.currency);
}
KEEL_SPEC_REQUEST_FIELDS(PortfolioCreateRequest)

template <class V, class S>
void PortfolioCurrencyRequest::fields(V& v, S& s) {
  v.field({.name = "currency", .help = "The new reporting currency (three letters)", .faces = spec::kHttp,
           .required = true},
          s.currency);
}
KEEL_SPEC_REQUEST_FIELDS(PortfolioCurrencyRequest)

}  // namespace keel::service
