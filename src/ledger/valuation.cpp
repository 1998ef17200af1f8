#include "keel/ledger/valuation.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

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
                             const std::map<std::uint32_t, PositionFx>& fx) {
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
      p.asset_type = looks_like_occ(key.symbol) ? "option" : "equity";
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
  for (const auto& [acct, c] : h.cash) h.cash_total += c;
  std::map<std::string, Decimal> by_type, by_sector, by_account;
  for (PositionValue& p : h.positions) {
    if (!p.quote) {
      h.unpriced.push_back(p.account.empty() ? p.symbol : p.account + "/" + p.symbol);
      continue;
    }
    p.market_value = value_of(p, p.quantity);
    p.unrealized = *p.market_value - p.basis;
    h.securities_value += *p.market_value;
    h.basis += p.basis;
    h.unrealized += *p.unrealized;
    by_type[p.asset_type] += *p.market_value;
    by_sector[p.sector] += *p.market_value;
    by_account[p.account] += *p.market_value;
  }
  for (const auto& [acct, c] : h.cash) {
    if (c.is_zero()) continue;
    by_type["cash"] += c;
    by_sector["Cash"] += c;
    by_account[acct] += c;
  }
  h.net_worth = h.securities_value + h.cash_total;
  for (PositionValue& p : h.positions) {
    if (p.market_value && !h.net_worth.is_zero()) p.weight = p.market_value->to_double() / h.net_worth.to_double();
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
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return txs[a].date < txs[b].date; });
  const Date from = options.from.value_or(txs[order.front()].date);
  Date to = options.to.value_or(closes.dates.empty() ? txs[order.back()].date : closes.dates.back());
  if (to < from) throw Error::invalid_input("performance: the end date is before the start date");

  // Dates: price dates and transaction dates in [from, to].
  std::vector<Date> dates;
  for (Date d : closes.dates) {
    if (d >= from && d <= to) dates.push_back(d);
  }
  for (std::size_t i : order) {
    if (txs[i].date >= from && txs[i].date <= to) dates.push_back(txs[i].date);
  }
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());

  std::unordered_map<std::string, double> qty;         // shares per symbol
  std::unordered_map<std::string, double> last_price;  // last close (or trade price) per symbol
  double cash = 0.0;
  std::size_t next_tx = 0, next_px = 0;
  std::vector<ValuePoint> out;
  out.reserve(dates.size());
  for (Date d : dates) {
    double flow = 0.0;
    while (next_px < closes.dates.size() && closes.dates[next_px] <= d) {
      for (std::size_t c = 0; c < closes.cols(); ++c) {
        const double v = closes.at(next_px, c);
        if (!is_missing(v)) last_price[closes.symbols[c]] = v;
      }
      ++next_px;
    }
    while (next_tx < order.size() && txs[order[next_tx]].date <= d) {
      const Transaction& t = txs[order[next_tx++]];
      const double q = t.quantity.to_double();
      cash += cash_effect(t).to_double();
      switch (t.type) {
        case TxType::kBuy:
          qty[t.symbol] += q;
          if (!last_price.count(t.symbol)) last_price[t.symbol] = t.price.to_double();
          break;
        case TxType::kSell:
          qty[t.symbol] -= q;
          break;
        case TxType::kSplit:
          if (t.split_ratio) {
            qty[t.symbol] *= static_cast<double>(t.split_ratio->numerator) / static_cast<double>(t.split_ratio->denominator);
          }
          break;
        case TxType::kDeposit:
          flow += t.amount.value_or(Decimal()).to_double();
          break;
        case TxType::kWithdrawal:
          flow -= t.amount.value_or(Decimal()).to_double();
          break;
        case TxType::kTransferIn:
        case TxType::kTransferOut: {
          const double sign = t.type == TxType::kTransferIn ? 1.0 : -1.0;
          if (t.symbol.empty()) {
            flow += sign * t.amount.value_or(Decimal()).to_double();
          } else {
            qty[t.symbol] += sign * q;
            auto p = last_price.find(t.symbol);
            const double px = p != last_price.end() ? p->second : t.price.to_double();
            if (!last_price.count(t.symbol)) last_price[t.symbol] = px;
            flow += sign * q * px;
          }
          break;
        }
        default:
          break;
      }
    }
    double value = cash;
    for (const auto& [sym, q] : qty) {
      if (q == 0.0) continue;
      auto p = last_price.find(sym);
      if (p != last_price.end()) value += q * p->second;
    }
    // The first point is the starting value: flows up to it are inside it.
    out.push_back({d, value, out.empty() ? 0.0 : flow});
  }
  return out;
}

}  // namespace keel::ledger
