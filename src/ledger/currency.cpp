#include "keel/ledger/currency.h"

#include <fmt/format.h>

#include <map>
#include <string_view>
#include <unordered_map>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"

namespace keel::ledger {

const std::string& AccountCurrencies::of(const std::string& account) const {
  const auto it = by_account.find(account);
  return it == by_account.end() ? default_currency : it->second;
}

Decimal LedgerConversion::fx_gain(const BookResult& booked, const RealizedGain& g) const {
  const std::uint32_t open = booked.buy_tx(g), close = booked.sell_tx(g);
  if (open >= rate.size() || close >= rate.size()) return Decimal();
  if (source[open] == RateSource::kSame || source[close] == RateSource::kSame) return Decimal();
  if (currency[open] != currency[close]) return Decimal();  // numbers of one list: equal when the codes are
  const Decimal x_open = rate[open], x_close = rate[close];
  if (x_open == x_close) return Decimal();
  // Long: the money invested (cost, at the purchase rate) moved with the currency. Short: the
  // proceeds received at the opening rate are owed back at the closing one.
  const Decimal opening = g.short_sale ? g.proceeds : g.cost;
  const Decimal move = mul_div(opening, x_close - x_open, x_open, 2, Rounding::kHalfUp);
  return g.short_sale ? -move : move;
}

LedgerConversion convert_to_account_currency(std::vector<Transaction>& txs, const AccountCurrencies& currencies,
                                             const FxRates* rates) {
  LedgerConversion out;
  out.rate.assign(txs.size(), Decimal::from_int(1));
  out.source.assign(txs.size(), RateSource::kSame);
  out.currency.resize(txs.size());
  Diagnostics diags;
  // Each currency's number in out.currency_names.
  std::map<std::string, std::uint32_t, std::less<>> currency_ids;
  const auto currency_id = [&](const std::string& code) {
    const auto it = currency_ids.find(code);
    if (it != currency_ids.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(out.currency_names.size());
    out.currency_names.push_back(code);
    currency_ids.emplace(code, id);
    return id;
  };
  // Per account (by a view of its name: rows' accounts are not changed here), its currency, that
  // currency's number and its cash line in that currency, looked up once; a row in another currency
  // finds its line in the map.
  struct AccountEntry {
    const std::string* currency;
    std::uint32_t currency_id;
    Decimal* cash;
  };
  std::unordered_map<std::string_view, AccountEntry> accounts;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    Transaction& t = txs[i];
    auto [it, added] = accounts.try_emplace(t.account, AccountEntry{nullptr, 0, nullptr});
    if (added) {
      it->second.currency = &currencies.of(t.account);
      it->second.currency_id = currency_id(*it->second.currency);
    }
    const std::string& account_ccy = *it->second.currency;
    const bool own = t.currency.empty() || t.currency == account_ccy;
    const std::string& ccy = own ? account_ccy : t.currency;
    out.currency[i] = own ? it->second.currency_id : currency_id(t.currency);
    const Decimal local_cash = cash_effect(t);
    if (own && it->second.cash == nullptr) it->second.cash = &out.cash[{t.account, ccy}];  // map nodes are stable
    *(own ? it->second.cash : &out.cash[{t.account, ccy}]) += local_cash;
    if (ccy == account_ccy) {
      if (t.currency != account_ccy) t.currency = account_ccy;
      continue;
    }
    Decimal x;
    if (t.fx_rate) {
      x = *t.fx_rate;
      out.source[i] = RateSource::kGiven;
    } else {
      std::optional<FxQuote> q;
      if (rates != nullptr) q = rates->find(ccy, account_ccy, t.date);
      if (!q) {
        std::string why;
        try {
          if (rates == nullptr) throw Error::invalid_input("no FX rates given");
          rates->rate(ccy, account_ccy, t.date);
        } catch (const Error& e) {
          why = e.what();
        }
        diags.error({t.source, t.line, 0, "",
                     fmt::format("{} {} in {} for account {} ({}): {}; give the row's fx_rate or FX rates "
                                 "(keel import fx)",
                                 tx_type_name(t.type), t.date.to_string(), ccy, t.account, account_ccy, why)});
        continue;
      }
      x = Decimal::from_double(q->rate);
      if (!x.is_positive()) {
        diags.error({t.source, t.line, 0, "",
                     fmt::format("the {}/{} rate {} on {} is below 1e-8", ccy, account_ccy, q->rate,
                                 t.date.to_string())});
        continue;
      }
      out.source[i] = RateSource::kRates;
      ++out.from_rates;
    }
    out.rate[i] = x;
    ++out.converted;
    // The row's amount (its net cash, or a share transfer's basis) converted once, to the cent;
    // without one, the net cash it implies. Price and fees for display, to 8 places.
    if (t.amount) t.amount = multiply(*t.amount, x, 2, Rounding::kHalfUp);
    else if (!local_cash.is_zero()) t.amount = multiply(local_cash.abs(), x, 2, Rounding::kHalfUp);
    t.price = multiply(t.price, x, Decimal::kScale, Rounding::kHalfUp);
    t.fees = multiply(t.fees, x, 2, Rounding::kHalfUp);
    t.currency = account_ccy;
  }
  diags.throw_if_errors("transactions in other currencies without an FX rate");
  return out;
}

}  // namespace keel::ledger
