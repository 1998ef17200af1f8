// The descriptions of the requests and results of keel/service/exposures.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/exposures.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void BookRiskRequest::fields(V& v, S& s) {
  book_source_fields(v, s.source);
  valuation_fields(v, s);
  v.field({.name = "sectors", .help = "Symbol-to-sector file (e.g. examples/market/sectors.csv)",
           .faces = spec::kCli},
          s.sectors_file);
  v.field({.name = "curve",
           .help = "Rate curve file: option rates at each expiry instead of --rate (tenor,rate or the "
                   "Treasury date,1m,...,30y file)",
           .faces = spec::kCli},
          s.curve_file);
  v.choice({.name = "curve_type", .help = "zero (continuous, act/365) or par, for a tenor,rate file",
            .faces = spec::kCli},
           s.curve.kind, kCurveKindNames);
  v.choice({.name = "rate_units", .help = "decimal or percent, for a tenor,rate file", .faces = spec::kCli},
           s.curve.units, kRateUnitsNames);
  v.field({.name = "curve_date", .help = "Row of a dated curve file (default: the as-of date)",
           .faces = spec::kCli},
          s.curve.date);
}
KEEL_SPEC_REQUEST_FIELDS(BookRiskRequest)

template <class V, class S>
void ExposureTotals::fields(V& v, S& s) {
  v.field({.name = "gross", .help = "Sum of |x|", .unit = "portfolio currency"}, s.gross);
  v.field({.name = "net", .help = "Sum of x", .unit = "portfolio currency"}, s.net);
  v.field({.name = "long", .help = "Sum of the positive x", .unit = "portfolio currency"}, s.long_);
  v.field({.name = "short", .help = "Sum of the negative x (<= 0)", .unit = "portfolio currency"}, s.short_);
}
KEEL_SPEC_FIELDS(ExposureTotals)

template <class V, class S>
void BookGreeksResult::fields(V& v, S& s) {
  v.field({.name = "dollar_delta", .help = "Delta x spot x quantity x multiplier", .unit = "portfolio currency"},
          s.dollar_delta);
  v.field({.name = "dollar_gamma_1pct", .help = "Change of dollar delta for a 1% move of spot",
           .unit = "portfolio currency"},
          s.dollar_gamma_1pct);
  v.field({.name = "vega_per_point", .help = "P&L of a one-point (0.01) rise of vol", .unit = "portfolio currency"},
          s.vega_per_point);
  v.field({.name = "theta_per_day", .help = "P&L of one calendar day", .unit = "portfolio currency"},
          s.theta_per_day);
  v.field({.name = "rho_per_point", .help = "P&L of a one-point (0.01) rise of the risk-free rate",
           .unit = "portfolio currency"},
          s.rho_per_point);
}
KEEL_SPEC_FIELDS(BookGreeksResult)

template <class V, class S>
void PositionError::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "message", .help = "Why the position could not be valued"}, s.message);
}
KEEL_SPEC_REQUEST_FIELDS(PositionError)

template <class V, class S>
void OptionValuation::fields(V& v, S& s) {
  v.field({.name = "right", .help = "Options: call or put"}, s.right);
  v.field({.name = "strike", .help = "Options"}, s.strike);
  v.field({.name = "expiry", .help = "Options: YYYY-MM-DD"}, s.expiry);
  v.field({.name = "exercise", .help = "Options: european or american"}, s.exercise);
  v.field({.name = "years", .help = "Options: time to expiry", .unit = "years, act/365"}, s.years);
  v.field({.name = "rate", .help = "Options: the rate valued with", .unit = "continuous decimal"}, s.rate);
  v.field({.name = "div", .help = "Options: the dividend yield valued with", .unit = "continuous decimal"}, s.div);
  v.field({.name = "vol", .help = "Options: the vol valued with", .unit = "annualised decimal"}, s.vol);
  v.field({.name = "vol_source", .help = "Options: implied, historical or none"}, s.vol_source);
  v.field({.name = "model", .help = "Options: bsm, alo-fixed-point or baw-approximation"}, s.model);
}
KEEL_SPEC_FIELDS(OptionValuation)

template <class V, class S>
void PositionValuation::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "underlying", .help = "Price symbol"}, s.underlying);
  v.field({.name = "type", .help = "Instrument type"}, s.type);
  v.field({.name = "quantity"}, s.quantity);
  v.field({.name = "multiplier", .help = "Units of underlying per contract"}, s.multiplier);
  v.field({.name = "spot", .help = "The underlying's price"}, s.spot);
  v.field({.name = "price", .help = "Per unit of underlying: spot, or the option's model value"}, s.price);
  v.field({.name = "market_value", .unit = "portfolio currency"}, s.market_value);
}
KEEL_SPEC_FIELDS(PositionValuation)

template <class V, class S>
void ExposurePosition::fields(V& v, S& s) {
  v.flatten(s.position);
  v.field({.name = "sector", .help = "Sector, or Unknown"}, s.sector);
  v.field({.name = "notional", .unit = "portfolio currency"}, s.notional);
  v.field({.name = "delta", .help = "Per share of underlying"}, s.delta);
  v.field({.name = "delta_adjusted", .help = "Delta-adjusted exposure", .unit = "portfolio currency"},
          s.delta_adjusted);
  v.flatten(s.option);
}
KEEL_SPEC_FIELDS(ExposurePosition)

template <class V, class S>
void ExposureGroup::fields(V& v, S& s) {
  v.field({.name = "key", .help = "The group's type, sector, tag, strategy, underlying, currency, country (ISO code) or region"}, s.key);
  v.field({.name = "positions", .help = "Positions in the group"}, s.positions);
  v.flatten(s.market_value);
  v.field({.name = "delta_adjusted"}, s.delta_adjusted);
  v.field({.name = "notional"}, s.notional);
  v.field({.name = "hedged",
           .help = "By currency: min(long, -short) of market value, the exposure offset within the currency",
           .unit = "portfolio currency"},
          s.hedged);
  v.field({.name = "hedge_ratio",
           .help = "By currency: hedged / max(long, -short) of market value (0 when both are 0)",
           .unit = "fraction"},
          s.hedge_ratio);
}
KEEL_SPEC_REPORT_FIELDS(ExposureGroup)

template <class V, class S>
void ValuationHeader::fields(V& v, S& s) {
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "as_of", .help = "Valuation date, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "rate", .help = "Risk-free rate", .unit = "continuous decimal"}, s.rate);
  v.field({.name = "rate_source",
           .help = "Where the options' rates came from: flag (rate), a curve file, or a stored curve (rate_curve)"},
          s.rate_source);
  v.field({.name = "div", .help = "Dividend yield of options without their own", .unit = "continuous decimal"},
          s.div);
  v.field({.name = "div_source",
           .help = "Where the yields of options without their own came from: flag (div), or the stored "
                   "dividends of the underlyings named"},
          s.div_source);
  v.field({.name = "positions_valued"}, s.positions_valued);
  v.field({.name = "positions_failed"}, s.positions_failed);
}
KEEL_SPEC_FIELDS(ValuationHeader)

template <class V, class S>
void ExposuresRequest::fields(V& v, S& s) {
  v.flatten(s.book);
  v.choice({.name = "by", .help = "Group by type, sector, tag, strategy, underlying, currency, country or region"}, s.by, kGroupByNames);
}
KEEL_SPEC_REQUEST_FIELDS(ExposuresRequest)

template <class V, class S>
void ExposuresResult::Strategy::fields(V& v, S& s) {
  v.field({.name = "strategy", .help = "Strategy, or (none)"}, s.strategy);
  v.field({.name = "symbols"}, s.symbols);
}
KEEL_SPEC_FIELDS(ExposuresResult::Strategy)

template <class V, class S>
void ExposuresResult::fields(V& v, S& s) {
  v.flatten(s.header);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "by", .help = "type, sector, tag, strategy, underlying, currency, country or region"}, s.by);
  v.flatten(s.market_value);
  v.field({.name = "delta_adjusted", .help = "Delta-adjusted exposure"}, s.delta_adjusted);
  v.field({.name = "notional"}, s.notional);
  v.field({.name = "greeks"}, s.greeks);
  v.field({.name = "groups"}, s.groups);
  v.field({.name = "positions", .help = "Valued positions, book order"}, s.positions);
  v.field({.name = "errors", .help = "Positions that could not be valued"}, s.errors);
  v.field({.name = "warnings"}, s.warnings);
  v.field({.name = "strategies", .help = "Each strategy's positions (GET .../strategies)"}, s.strategies);
}
KEEL_SPEC_REPORT_FIELDS(ExposuresResult)

template <class V, class S>
void OptionGreeksRequest::fields(V& v, S& s) {
  v.flatten(s.book);
}
KEEL_SPEC_REQUEST_FIELDS(OptionGreeksRequest)

template <class V, class S>
void GreeksPosition::fields(V& v, S& s) {
  v.flatten(s.position);
  v.field({.name = "delta", .help = "Per share of underlying"}, s.delta);
  v.field({.name = "gamma", .help = "Per share, per unit of spot"}, s.gamma);
  v.field({.name = "vega", .help = "Per share, per 1.00 of vol"}, s.vega);
  v.field({.name = "theta", .help = "Per share", .unit = "per year"}, s.theta);
  v.field({.name = "rho", .help = "Per share, per 1.00 of rate"}, s.rho);
  v.field({.name = "dollar_delta", .help = "Delta-adjusted exposure", .unit = "portfolio currency"},
          s.dollar_delta);
  v.field({.name = "dollar_gamma_1pct", .unit = "portfolio currency"}, s.dollar_gamma_1pct);
  v.field({.name = "vega_per_point", .unit = "portfolio currency"}, s.vega_per_point);
  v.field({.name = "theta_per_day", .unit = "portfolio currency"}, s.theta_per_day);
  v.field({.name = "rho_per_point", .help = "Quantity x multiplier x rho / 100", .unit = "portfolio currency"},
          s.rho_per_point);
  v.flatten(s.option);
}
KEEL_SPEC_REPORT_FIELDS(GreeksPosition)

template <class V, class S>
void OptionGreeksResult::fields(V& v, S& s) {
  v.flatten(s.header);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "positions", .help = "Valued positions, book order"}, s.positions);
  v.field({.name = "totals", .help = "The book's Greeks in money terms"}, s.totals);
  v.field({.name = "errors", .help = "Positions that could not be valued"}, s.errors);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_REPORT_FIELDS(OptionGreeksResult)

}  // namespace keel::service
