// keel/ledger/currency.h: a ledger in many currencies, booked in each account's currency.
//
// Every account has a currency. A transaction in another one (Transaction::currency set and not
// the account's) is converted before booking, into the account's currency, at
//   - the row's fx_rate when it has one (the rate the broker converted at), else
//   - the FX rates' rate of the transaction's date (docs/fx.md: the day's rate, or the latest
//     within 7 days before), and the conversion says so.
// The row's net cash (cash_effect) is converted once and rounded to the cent, half away from zero,
// and becomes the row's amount; price and fees are converted to 8 places for display. So a lot's
// cost basis is its cost in the account currency at the trade date's rate (the rule of most tax
// systems, e.g. IRS Pub. 54 and HMRC's CG78310), proceeds at the sale date's rate, and a gain
// splits exactly into
//   currency part = cost x (X_sale / X_buy - 1), to the cent   (the currency's move on the money
//                                                                invested, at the purchase rate)
//   price part    = gain - currency part                       (= (proceeds - cost in the
//                                                                 trade currency) x X_sale)
// where X is the account-currency units per unit of the trade currency on each date. A short lot
// turns it around (the opening amount is the sale's proceeds). Lots bought and sold in the account
// currency have no currency part.
//
// Thread-safety: pure functions over their arguments.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "keel/ledger/booking.h"
#include "keel/ledger/decimal.h"
#include "keel/ledger/transaction.h"
#include "keel/portfolio/fx.h"

namespace keel::ledger {

// The currency of each account; accounts not listed are in `default_currency`.
struct AccountCurrencies {
  std::map<std::string, std::string> by_account;
  std::string default_currency = "USD";

  const std::string& of(const std::string& account) const;
};

enum class RateSource : std::uint8_t {
  kSame,   // the row is in its account's currency: rate 1
  kGiven,  // the row's fx_rate
  kRates,  // the FX rates of the row's date
};

// What convert_to_account_currency did, per input transaction (same order).
struct LedgerConversion {
  std::vector<Decimal> rate;            // account units per unit of the row's currency
  std::vector<RateSource> source;
  // The row's currency as given (the account's when empty): currency_names[currency[i]], currency_of(i).
  std::vector<std::uint32_t> currency;
  std::vector<std::string> currency_names;
  // Net cash per account and currency, in that currency: what the statement's cash lines show.
  std::map<std::pair<std::string, std::string>, Decimal> cash;
  std::size_t converted = 0;            // rows converted (source != kSame)
  std::size_t from_rates = 0;           // of which at the day's rate

  bool any() const { return converted > 0; }
  const std::string& currency_of(std::size_t row) const { return currency_names[currency[row]]; }
  // The currency part of a realized row, in the account currency (zero when the lot was not opened
  // and closed in one foreign currency). See the file comment.
  Decimal fx_gain(const BookResult& booked, const RealizedGain& g) const;
};

// Converts every row of `txs` whose currency is not its account's, in place (see the file comment),
// and sets each row's currency to its account's. `rates` may be null when every foreign row gives
// its fx_rate. Throws keel::Error(invalid_input) listing every row without a rate, each as
// "file:line: no FX rate for GBP/USD on ..." (never a rate of 1).
LedgerConversion convert_to_account_currency(std::vector<Transaction>& txs, const AccountCurrencies& currencies,
                                             const FxRates* rates);

}  // namespace keel::ledger
