// keel/ledger/valuation.h: market value of ledger holdings, today and day by day.
//
// value_holdings() prices the open lots of a booking (BookResult) at given per-symbol prices
// (the latest close on or before the as-of date, chosen by the caller): market value per lot and
// position (quantity x price, rounded to the cent half away from zero), unrealized gain
// (market value - basis), cash per account, net worth, and allocation by asset type, sector and
// account. Positions without a price are listed with no value and named in `unpriced`; totals
// cover the priced ones.
//
// daily_values() replays the transactions of some accounts over a dates x symbols close matrix
// and returns the end-of-day value (securities at the last close on or before the day, plus cash)
// with the external flows of each day, for measure_performance(). External flows are DEPOSIT (+),
// WITHDRAWAL (-) and transfers in/out (share transfers valued at that day's close); a transfer
// between two accounts of the same selection nets to zero.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/ledger/booking.h"
#include "keel/ledger/currency.h"
#include "keel/ledger/performance.h"
#include "keel/portfolio/market_data.h"

namespace keel::ledger {

struct Quote {
  Decimal price;  // per share, currency units
  Date date;      // date of the close used
};

struct LotValue {
  std::size_t lot = 0;  // index into BookResult::open_lots
  std::optional<Decimal> market_value;
  std::optional<Decimal> unrealized;
  Term term_if_sold = Term::kShort;  // holding term were the lot sold on the as-of date
};

struct PositionValue {
  std::string account;
  std::string symbol;
  Decimal quantity;
  Decimal basis;
  std::optional<Quote> quote;
  std::optional<Decimal> market_value;
  std::optional<Decimal> unrealized;
  std::string sector;      // "Unknown" when not known
  std::string asset_type;  // the security master's (etf, fund, ...), else "option" (an OCC symbol) or "equity"
  double weight = 0.0;     // market value / net worth (0 when unpriced)
  // Quoted in another currency than the account's: that currency and the as-of rate (account
  // units per unit of it) that converts the quote; empty / absent otherwise.
  std::string currency;
  std::optional<Decimal> fx_rate;
};

// A position quoted in another currency than its account's: the currency, and the rate that
// converts its quote into the account currency on the as-of date (absent: no rate, so the
// position is unpriced).
struct PositionFx {
  std::string currency;
  std::optional<Decimal> rate;
};

struct AllocationSlice {
  std::string key;
  Decimal market_value;
  double weight = 0.0;  // of net worth
};

struct HoldingsValue {
  Date as_of;
  std::vector<PositionValue> positions;  // by account, symbol
  std::vector<LotValue> lots;
  std::map<std::string, Decimal> cash;  // per account
  Decimal securities_value;              // priced positions only
  Decimal basis;                         // of priced positions
  Decimal unrealized;
  Decimal cash_total;
  Decimal net_worth;                     // securities_value + cash_total
  std::vector<AllocationSlice> by_asset_type, by_sector, by_account;
  std::vector<std::string> unpriced;     // "account/symbol" without a price
};

// `quotes` per symbol, in the currency the symbol is quoted in; `sectors` per symbol (missing =
// "Unknown"); `fx` per BookResult position quoted in another currency than its account's: a lot's
// market value is then quantity x price x rate, rounded once to the cent. Positions, lots and cash
// per account are in their account's currency; the totals, allocations and weights add them in one
// currency: an account listed in `account_rates` contributes each position's market value and
// basis and its cash times its rate, each rounded to the cent (accounts not listed: as they are).
// `asset_types` per symbol, from the security master ("etf", "fund", ...): a symbol missing there is
// an "option" when it is an OCC symbol, else "equity".
HoldingsValue value_holdings(const BookResult& book, Date as_of, const std::map<std::string, Quote>& quotes,
                             const std::map<std::string, std::string>& sectors,
                             const std::map<std::uint32_t, PositionFx>& fx = {},
                             const std::map<std::string, Decimal>& account_rates = {},
                             const std::map<std::string, std::string>& asset_types = {});

// The currency of a value series when the ledger has several (keel/ledger/currency.h). Cash,
// flows and trade prices are in their account's currency (the transactions were converted by
// convert_to_account_currency); closes are in the symbol's quote currency. Each amount is
// converted into `currency` at its day's rate (FxRates::rate: that day's, or the latest within
// kFxMaxStaleDays before; a missing rate is an error naming the pair and the date).
struct SeriesCurrency {
  std::string currency;        // of the series
  AccountCurrencies accounts;  // each account's currency
  // Symbol -> the currency of its closes, when not the currency of the account that trades it.
  std::map<std::string, std::string> quote_currency;
  const FxRates* rates = nullptr;  // needed when a currency differs from `currency`
  // Hold each currency's rate at its value on the first day the selection has an amount in it (its
  // cash or a trade of a symbol quoted in it; the series' first day for what is held then): the
  // constant-currency series, whose time-weighted return is the return of the holdings in their
  // own currencies, without the currencies' moves.
  bool constant_rates = false;
};

struct SeriesOptions {
  std::optional<std::set<std::string>> accounts;  // nullopt: every account (a household)
  std::optional<Date> from;                       // default: first transaction date
  std::optional<Date> to;                         // default: last price date
  std::optional<SeriesCurrency> currency;         // nullopt: every amount is in one currency
};

// One point per date of `closes` within [from, to] and per transaction date; a symbol without a
// close yet on a day is valued at its last trade price. Throws keel::Error(invalid_input) when
// there is no transaction in the selection, or (with a currency) when a rate is missing.
std::vector<ValuePoint> daily_values(std::span<const Transaction> txs, const PriceHistory& closes,
                                     const SeriesOptions& options);

}  // namespace keel::ledger
