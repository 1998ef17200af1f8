#include "keel/ledger/valuation.h"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#include "keel/core/error.h"

namespace keel::ledger {
namespace {

bool looks_like_occ(const std::string& s) {
  // ROOT + YYMMDD + C|P + 8 digits (compact or padded form).
  if (s.size() < 16) return false;
  const std::string tail = s.substr(s.size() - 15);
  if (tail[6] != 'C' && tail[6] != 'P') return false;
  return std::all_of(tail.begin(), tail.begin() + 6, ::isdigit) && std::all_of(tail.begin() + 7, tail.end(), ::isdigit);
}

std::vector<AllocationSlice> slices(const std::map<std::string, Decimal>& m, Decimal net_worth) {
  std::vector<AllocationSlice> out;
  for (const auto& [k, v] : m) {
    out.push_back({k, v, net_worth.is_zero() ? 0.0 : v.to_double() / net_worth.to_double()});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.market_value > b.market_value; });
  return out;
}

}  // namespace

HoldingsValue value_holdings(const BookResult& book, Date as_of, const std::map<std::string, Quote>& quotes,
                             const std::map<std::string, std::string>& sectors,
                             const std::map<std::uint32_t, PositionFx>& fx,
                             const std::map<std::string, Decimal>& account_rates,
                             const std::map<std::string, std::string>& asset_types) {
  // An account's amount in the totals' currency: converted once, to the cent, when it has a rate.
  auto in_totals = [&](const std::string& account, Decimal v) {
    const auto r = account_rates.find(account);
    return r == account_rates.end() ? v : multiply(v, r->second, 2, Rounding::kHalfUp);
  };
  // Market value of `quantity` at the position's quote, converted when it is foreign.
  auto value_of = [](const PositionValue& p, Decimal quantity) {
    if (p.currency.empty()) return trade_amount(quantity, p.quote->price);
    return multiply(multiply(quantity, p.quote->price, Decimal::kScale, Rounding::kHalfUp), *p.fx_rate, 2,
                    Rounding::kHalfUp);
  };
  HoldingsValue h;
  h.as_of = as_of;
  std::map<std::uint32_t, std::size_t> pos_row;  // BookResult position -> row
  for (std::size_t i = 0; i < book.open_lots.size(); ++i) {
    const Lot& lot = book.open_lots[i];
    const PositionKey& key = book.key(lot);
    auto [it, inserted] = pos_row.try_emplace(lot.position, h.positions.size());
    if (inserted) {
      PositionValue p;
      p.account = key.account;
      p.symbol = key.symbol;
      auto s = sectors.find(key.symbol);
      p.sector = s != sectors.end() && !s->second.empty() ? s->second : "Unknown";
      const auto t = asset_types.find(key.symbol);
      p.asset_type = t != asset_types.end() && !t->second.empty() ? t->second
                     : looks_like_occ(key.symbol)                 ? "option"
                                                                  : "equity";
      auto q = quotes.find(key.symbol);
      if (q != quotes.end()) p.quote = q->second;
      if (const auto f = fx.find(lot.position); f != fx.end()) {
        p.currency = f->second.currency;
        p.fx_rate = f->second.rate;
        if (!p.fx_rate) p.quote.reset();  // no rate to convert it: unpriced, never at 1.0
      }
      h.positions.push_back(std::move(p));
    }
    PositionValue& p = h.positions[it->second];
    p.quantity += lot.quantity;
    p.basis += lot.basis;
    LotValue lv;
    lv.lot = i;
    lv.term_if_sold = holding_term(lot.acquired, as_of);
    if (p.quote) {
      lv.market_value = value_of(p, lot.quantity);
      lv.unrealized = *lv.market_value - lot.basis;
    }
    h.lots.push_back(lv);
  }
  h.cash = book.cash;
  for (const auto& [acct, c] : h.cash) h.cash_total += in_totals(acct, c);
  std::map<std::string, Decimal> by_type, by_sector, by_account;
  for (PositionValue& p : h.positions) {
    if (!p.quote) {
      h.unpriced.push_back(p.account.empty() ? p.symbol : p.account + "/" + p.symbol);
      continue;
    }
    p.market_value = value_of(p, p.quantity);
    p.unrealized = *p.market_value - p.basis;
    const Decimal market_value = in_totals(p.account, *p.market_value), basis = in_totals(p.account, p.basis);
    h.securities_value += market_value;
    h.basis += basis;
    h.unrealized += market_value - basis;
    by_type[p.asset_type] += market_value;
    by_sector[p.sector] += market_value;
    by_account[p.account] += market_value;
  }
  for (const auto& [acct, c] : h.cash) {
    if (c.is_zero()) continue;
    const Decimal cash = in_totals(acct, c);
    by_type["cash"] += cash;
    by_sector["Cash"] += cash;
    by_account[acct] += cash;
  }
  h.net_worth = h.securities_value + h.cash_total;
  for (PositionValue& p : h.positions) {
    if (p.market_value && !h.net_worth.is_zero()) {
      p.weight = in_totals(p.account, *p.market_value).to_double() / h.net_worth.to_double();
    }
  }
  std::stable_sort(h.positions.begin(), h.positions.end(), [](const auto& a, const auto& b) {
    return a.account != b.account ? a.account < b.account : a.symbol < b.symbol;
  });
  h.by_asset_type = slices(by_type, h.net_worth);
  h.by_sector = slices(by_sector, h.net_worth);
  h.by_account = slices(by_account, h.net_worth);
  return h;
}

std::vector<ValuePoint> daily_values(std::span<const Transaction> txs, const PriceHistory& closes,
                                     const SeriesOptions& options) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    if (!options.accounts || options.accounts->count(txs[i].account)) order.push_back(i);
  }
  if (order.empty()) throw Error::invalid_input("no transactions in the selected accounts");
  sort_by_date(txs, order);
  const Date from = options.from.value_or(txs[order.front()].date);
  Date to = options.to.value_or(closes.dates.empty() ? txs[order.back()].date : closes.dates.back());
  if (to < from) throw Error::invalid_input("performance: the end date is before the start date");

  // Dates: price dates and transaction dates in [from, to].
  // The rows' dates come in order (`order` is by date): their distinct ones, merged with the
  // closes' (a few thousand, sorted here if they are not) instead of sorting a million dates.
  std::vector<Date> row_dates, close_dates;
  for (std::size_t i : order) {
    const Date d = txs[i].date;
    if (d >= from && d <= to && (row_dates.empty() || row_dates.back() != d)) row_dates.push_back(d);
  }
  for (Date d : closes.dates) {
    if (d >= from && d <= to) close_dates.push_back(d);
  }
  if (!std::is_sorted(close_dates.begin(), close_dates.end())) std::sort(close_dates.begin(), close_dates.end());
  std::vector<Date> dates;
  dates.reserve(close_dates.size() + row_dates.size());
  std::merge(close_dates.begin(), close_dates.end(), row_dates.begin(), row_dates.end(), std::back_inserter(dates));
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());

  // Conversion into the series' currency: every factor is 1 without options.currency, so a
  // one-currency ledger's values are computed exactly as sums in that currency.
  const SeriesCurrency* sc = options.currency ? &*options.currency : nullptr;
  std::unordered_map<std::string, std::string> quote_ccy;  // symbol -> currency of its closes
  if (sc != nullptr) {
    for (std::size_t i : order) {
      const Transaction& t = txs[i];
      if (t.symbol.empty() || quote_ccy.count(t.symbol)) continue;
      const auto q = sc->quote_currency.find(t.symbol);
      quote_ccy[t.symbol] = q != sc->quote_currency.end() ? q->second : sc->accounts.of(t.account);
    }
  }
  std::unordered_map<std::string, double> frozen;  // currency -> rate held (constant_rates)
  std::unordered_map<std::string, double> today;   // currency -> the day's rate
  Date today_date;
  auto factor = [&](const std::string& ccy, Date d) -> double {
    if (sc == nullptr || ccy == sc->currency) return 1.0;
    if (sc->constant_rates) {
      if (const auto f = frozen.find(ccy); f != frozen.end()) return f->second;
    } else if (today_date == d) {
      if (const auto f = today.find(ccy); f != today.end()) return f->second;
    } else {
      today.clear();
      today_date = d;
    }
    if (sc->rates == nullptr) {
      throw Error::invalid_input(fmt::format("no FX rate for {}/{} on {}: no FX rates are stored or given", ccy,
                                             sc->currency, d.to_string()));
    }
    const double r = sc->rates->rate(ccy, sc->currency, d).rate;
    (sc->constant_rates ? frozen : today)[ccy] = r;
    return r;
  };
  auto account_ccy = [&](const Transaction& t) -> const std::string& {
    static const std::string kNone;
    return sc != nullptr ? sc->accounts.of(t.account) : kNone;
  };

  // Per-symbol state in slots (one per symbol of the closes or the rows), so that the day loop
  // indexes vectors instead of hashing names. The value of a day sums the held symbols in the
  // iteration order of an unordered_map<string> that receives the symbols in the order the rows
  // first touch their shares (`held_order`): the order the sum has always been taken in, so the
  // floating-point result is unchanged.
  std::unordered_map<std::string, std::size_t> slot_of;
  std::vector<std::string> slot_symbol;
  auto slot = [&](const std::string& sym) {
    const auto [it, inserted] = slot_of.try_emplace(sym, slot_symbol.size());
    if (inserted) slot_symbol.push_back(sym);
    return it->second;
  };
  std::vector<std::size_t> close_slot(closes.cols());
  for (std::size_t c = 0; c < closes.cols(); ++c) close_slot[c] = slot(closes.symbols[c]);
  std::vector<std::size_t> tx_slot(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) tx_slot[k] = slot(txs[order[k]].symbol);
  const std::size_t slots = slot_symbol.size();
  std::vector<double> qty(slots, 0.0);         // shares per symbol
  std::vector<double> last_price(slots, 0.0);  // last close (or trade price) per symbol
  std::vector<char> priced(slots, 0);
  // The currency of last_price when it is a trade price (its account's); none for a close.
  std::vector<std::string> trade_ccy(slots);
  std::vector<char> trade_priced(slots, 0);
  std::vector<const std::string*> close_ccy(slots, nullptr);  // quote_ccy of the symbol (with a currency)
  std::unordered_map<std::string, std::size_t> held_order;
  std::vector<char> held(slots, 0);
  std::vector<std::size_t> held_slots;  // held_order's iteration order, as slots
  bool held_changed = false;
  auto shares = [&](std::size_t s) -> double& {
    if (!held[s]) {
      held[s] = 1;
      held_order.try_emplace(slot_symbol[s], s);
      held_changed = true;
    }
    return qty[s];
  };
  auto quote_ccy_of = [&](std::size_t s) -> const std::string& {
    if (close_ccy[s] == nullptr) close_ccy[s] = &quote_ccy[slot_symbol[s]];
    return *close_ccy[s];
  };
  std::map<std::string, double> cash;  // per account currency ("" without a series currency)
  const std::string* cash_ccy = nullptr;  // the last row's currency and its line in `cash`
  double* cash_of_ccy = nullptr;
  std::size_t next_tx = 0, next_px = 0;
  std::vector<ValuePoint> out;
  out.reserve(dates.size());
  for (Date d : dates) {
    double flow = 0.0;
    while (next_px < closes.dates.size() && closes.dates[next_px] <= d) {
      for (std::size_t c = 0; c < closes.cols(); ++c) {
        const double v = closes.at(next_px, c);
        if (!is_missing(v)) {
          const std::size_t s = close_slot[c];
          last_price[s] = v;
          priced[s] = 1;
          trade_priced[s] = 0;
        }
      }
      ++next_px;
    }
    while (next_tx < order.size() && txs[order[next_tx]].date <= d) {
      const std::size_t s = tx_slot[next_tx];
      const Transaction& t = txs[order[next_tx++]];
      const double q = t.quantity.to_double();
      const std::string& ccy = account_ccy(t);
      if (&ccy != cash_ccy) {  // the currencies' names stay where they are: one lookup per change
        cash_ccy = &ccy;
        cash_of_ccy = &cash[ccy];
      }
      *cash_of_ccy += cash_effect(t).to_double();
      // A constant-currency series holds a symbol's currency at its rate on the first day it is
      // traded, even while the holding is still valued at its trade price.
      if (sc != nullptr && sc->constant_rates && !t.symbol.empty()) factor(quote_ccy_of(s), d);
      auto price_from_trade = [&](double px) {
        if (priced[s]) return;
        last_price[s] = px;
        priced[s] = 1;
        if (sc != nullptr) {
          trade_ccy[s] = ccy;
          trade_priced[s] = 1;
        }
      };
      switch (t.type) {
        case TxType::kBuy:
          shares(s) += q;
          price_from_trade(t.price.to_double());
          break;
        case TxType::kSell:
          shares(s) -= q;
          break;
        case TxType::kSplit:
          if (t.split_ratio) {
            shares(s) *=
                static_cast<double>(t.split_ratio->numerator) / static_cast<double>(t.split_ratio->denominator);
          }
          break;
        case TxType::kDeposit:
          flow += t.amount.value_or(Decimal()).to_double() * factor(ccy, d);
          break;
        case TxType::kWithdrawal:
          flow -= t.amount.value_or(Decimal()).to_double() * factor(ccy, d);
          break;
        case TxType::kTransferIn:
        case TxType::kTransferOut: {
          const double sign = t.type == TxType::kTransferIn ? 1.0 : -1.0;
          if (t.symbol.empty()) {
            flow += sign * t.amount.value_or(Decimal()).to_double() * factor(ccy, d);
          } else {
            shares(s) += sign * q;
            if (priced[s]) {
              const std::string& px_ccy = trade_priced[s] ? trade_ccy[s] : quote_ccy_of(s);
              flow += sign * q * last_price[s] * (sc != nullptr ? factor(px_ccy, d) : 1.0);
            } else {
              price_from_trade(t.price.to_double());
              flow += sign * q * t.price.to_double() * factor(ccy, d);
            }
          }
          break;
        }
        default:
          break;
      }
    }
    if (held_changed) {
      held_slots.clear();
      for (const auto& [sym, s] : held_order) held_slots.push_back(s);
      held_changed = false;
    }
    double value = 0.0;
    for (const auto& [c_ccy, c] : cash) value += c * factor(c_ccy, d);
    for (const std::size_t s : held_slots) {
      const double q = qty[s];
      if (q == 0.0) continue;
      if (!priced[s]) continue;
      double x = 1.0;
      if (sc != nullptr) x = factor(trade_priced[s] ? trade_ccy[s] : quote_ccy_of(s), d);
      value += q * last_price[s] * x;
    }
    // The first point is the starting value: flows up to it are inside it.
    out.push_back({d, value, out.empty() ? 0.0 : flow});
  }
  return out;
}

}  // namespace keel::ledger
