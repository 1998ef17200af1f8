// Lot booking: the replay loop of book() (see keel/ledger/booking.h for the rules).
#include "keel/ledger/booking.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_map>
#include <utility>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"

namespace keel::ledger {

std::string_view term_name(Term t) { return t == Term::kLong ? "long" : "short"; }

Term holding_term(Date acquired, Date sold) {
  return sold > acquired.add_years(1) ? Term::kLong : Term::kShort;
}

namespace {

__extension__ typedef __int128 Int128;

constexpr std::uint32_t kNoPosition = 0xffffffffu;

// Purchases per symbol in date order, for wash-sale replacement search. `next` skips purchases
// that can no longer be replacements (all shares used, or all sold): union-find with halving.
struct SymbolBuys {
  std::vector<std::uint32_t> tx;
  std::vector<Date> date;
  std::vector<Decimal> left;          // shares not yet used as a replacement
  std::vector<std::uint32_t> pos;     // position once booked, else kNoPosition
  std::vector<std::uint32_t> next;  // size tx.size() + 1; next[k] == k while k is live
  std::uint32_t find(std::uint32_t k) {
    while (next[k] != k) {
      next[k] = next[next[k]];
      k = next[k];
    }
    return k;
  }
};

struct PositionState {
  std::vector<Lot> lots;  // open lots are [head, end), ordered by purchase date then arrival
  std::size_t head = 0;
  Decimal open_quantity;  // signed sum of open lot quantities
  SymbolBuys* buys = nullptr;  // the symbol's purchases, once looked up
};

struct WashCarry {
  Decimal quantity;    // replacement shares
  Decimal amount;      // disallowed loss added to their basis
  int holding_days;    // holding period of the shares sold, carried over
};

struct Piece {
  std::size_t lot;  // index into PositionState::lots
  Decimal quantity;
};

// Pro-rata share `part/whole` of `total`, as the difference of cumulative roundings so that the
// pieces of one whole add up to `total` exactly.
class Allocator {
 public:
  Allocator(Decimal total, Decimal whole) : total_(total), whole_(whole) {}
  Decimal take(Decimal part) {
    done_ += part;
    const Decimal cum = done_ == whole_ ? total_ : mul_div(total_, done_, whole_, 2, Rounding::kHalfUp);
    const Decimal out = cum - given_;
    given_ = cum;
    return out;
  }

 private:
  Decimal total_, whole_, done_, given_;
};

bool higher_unit_basis(const Lot& a, const Lot& b) {
  // a.basis / a.qty > b.basis / b.qty, quantities positive.
  return static_cast<Int128>(a.basis.raw()) * b.quantity.raw() >
         static_cast<Int128>(b.basis.raw()) * a.quantity.raw();
}

class Booker {
 public:
  Booker(std::span<const Transaction> txs, const BookOptions& options)
      : txs_(txs), options_(options), buy_slot_(txs.size(), kNone) {}

  BookResult run();

 private:
  std::uint32_t position_index(const std::string& account, const std::string& symbol);
  AccountSettings settings(const std::string& account) const;
  void fail(const Transaction& tx, std::string message);

  void on_buy(std::uint32_t i);
  void on_sell(std::uint32_t i);
  void on_split(std::uint32_t i);
  void on_transfer_out(std::uint32_t i);
  void on_transfer_in(std::uint32_t i);

  // Chooses the long lots a disposal of `qty` closes. Returns false (after reporting) when it
  // cannot (specific lot missing, too few shares named).
  bool select(PositionState& ps, Decimal qty, LotMethod method, const Transaction& tx);
  void open_long(std::uint32_t pos, std::uint32_t i, Decimal qty, Decimal basis);
  void insert_by_date(PositionState& ps, Lot lot);
  void compact(PositionState& ps);
  void wash(std::uint32_t sale, std::size_t first_gain);
  std::size_t first_lot_on(const PositionState& ps, Date d) const;
  Decimal open_quantity_of_buy(PositionState& ps, std::uint32_t buy, Date d);
  void adjust_open_buy(PositionState& ps, std::uint32_t buy, Date d, Decimal qty, Decimal amount, int days);

  std::span<const Transaction> txs_;
  const BookOptions& options_;
  BookResult out_;
  Diagnostics diags_;
  std::vector<PositionState> states_;
  std::unordered_map<std::string, std::uint32_t> index_;
  std::vector<Piece> pieces_;
  std::vector<std::uint32_t> paired_in_;        // TRANSFER_OUT -> its TRANSFER_IN, or npos
  std::vector<bool> is_paired_in_;
  std::unordered_map<std::string, SymbolBuys> buys_by_symbol_;
  std::vector<std::uint32_t> buy_slot_;  // per BUY transaction: its index in its SymbolBuys
  std::vector<std::uint32_t> own_buys_;  // purchases whose shares the current sale closes
  std::unordered_map<std::uint32_t, std::vector<WashCarry>> pending_carry_;
  bool middle_removed_ = false;
  static constexpr std::uint32_t kNone = 0xffffffffu;
};

std::uint32_t Booker::position_index(const std::string& account, const std::string& symbol) {
  std::string key;
  key.reserve(account.size() + symbol.size() + 1);
  key += account;
  key += '\x1f';
  key += symbol;
  auto [it, inserted] = index_.try_emplace(std::move(key), static_cast<std::uint32_t>(states_.size()));
  if (inserted) {
    states_.emplace_back();
    out_.positions.push_back({account, symbol});
  }
  return it->second;
}

AccountSettings Booker::settings(const std::string& account) const {
  auto it = options_.accounts.find(account);
  if (it != options_.accounts.end()) return it->second;
  return AccountSettings{options_.default_method, options_.allow_short};
}

void Booker::fail(const Transaction& tx, std::string message) {
  Diagnostic d;
  d.file = tx.source;
  d.line = tx.line;
  d.message = std::string(tx_type_name(tx.type)) + " " + tx.date.to_string() +
              (tx.symbol.empty() ? "" : " " + tx.symbol) + ": " + std::move(message);
  diags_.error(std::move(d));
}

void Booker::compact(PositionState& ps) {
  auto& lots = ps.lots;
  while (ps.head < lots.size() && lots[ps.head].quantity.is_zero()) ++ps.head;
  while (lots.size() > ps.head && lots.back().quantity.is_zero()) lots.pop_back();
  if (middle_removed_) {
    lots.erase(std::remove_if(lots.begin() + static_cast<std::ptrdiff_t>(ps.head), lots.end(),
                              [](const Lot& l) { return l.quantity.is_zero(); }),
               lots.end());
    middle_removed_ = false;
  }
  if (ps.head > 64 && ps.head * 2 > lots.size()) {
    lots.erase(lots.begin(), lots.begin() + static_cast<std::ptrdiff_t>(ps.head));
    ps.head = 0;
  }
}

void Booker::insert_by_date(PositionState& ps, Lot lot) {
  auto& lots = ps.lots;
  if (lots.size() == ps.head || !(lot.purchase_date < lots.back().purchase_date)) {
    lots.push_back(std::move(lot));
    return;
  }
  auto it = std::upper_bound(lots.begin() + static_cast<std::ptrdiff_t>(ps.head), lots.end(),
                             lot.purchase_date,
                             [](Date d, const Lot& l) { return d < l.purchase_date; });
  lots.insert(it, std::move(lot));
}

bool Booker::select(PositionState& ps, Decimal qty, LotMethod method, const Transaction& tx) {
  pieces_.clear();
  auto& lots = ps.lots;
  Decimal left = qty;
  if (!tx.lot_id.empty()) method = LotMethod::kSpecific;
  switch (method) {
    case LotMethod::kFifo:
    case LotMethod::kAverage:
      for (std::size_t k = ps.head; k < lots.size() && left.is_positive(); ++k) {
        const Decimal take = std::min(left, lots[k].quantity);
        pieces_.push_back({k, take});
        left -= take;
      }
      break;
    case LotMethod::kLifo:
      for (std::size_t k = lots.size(); k > ps.head && left.is_positive(); --k) {
        const Decimal take = std::min(left, lots[k - 1].quantity);
        pieces_.push_back({k - 1, take});
        left -= take;
      }
      break;
    case LotMethod::kHifo: {
      std::vector<bool> used(lots.size() - ps.head, false);
      while (left.is_positive()) {
        std::size_t best = lots.size();
        for (std::size_t k = ps.head; k < lots.size(); ++k) {
          if (used[k - ps.head]) continue;
          if (best == lots.size() || higher_unit_basis(lots[k], lots[best])) best = k;
        }
        if (best == lots.size()) break;
        used[best - ps.head] = true;
        const Decimal take = std::min(left, lots[best].quantity);
        pieces_.push_back({best, take});
        left -= take;
      }
      middle_removed_ = true;
      break;
    }
    case LotMethod::kSpecific: {
      if (tx.lot_id.empty()) {
        fail(tx, "the specific-lot method needs a lot_id on the sell row");
        return false;
      }
      std::string_view ids = tx.lot_id;
      while (!ids.empty() && left.is_positive()) {
        const auto semi = ids.find(';');
        const std::string_view id = ids.substr(0, semi);
        ids = semi == std::string_view::npos ? std::string_view() : ids.substr(semi + 1);
        bool found = false;
        for (std::size_t k = ps.head; k < lots.size() && left.is_positive(); ++k) {
          if (lots[k].lot_id != id || lots[k].quantity.is_zero()) continue;
          found = true;
          const Decimal take = std::min(left, lots[k].quantity);
          pieces_.push_back({k, take});
          left -= take;
        }
        if (!found) {
          fail(tx, "lot '" + std::string(id) + "' is not an open lot of this account and symbol");
          return false;
        }
      }
      if (left.is_positive()) {
        fail(tx, "the lots named (" + tx.lot_id + ") hold only " + (qty - left).to_string() +
                     " shares, the sale is of " + qty.to_string());
        return false;
      }
      middle_removed_ = true;
      break;
    }
  }
  return true;
}

void Booker::open_long(std::uint32_t pos, std::uint32_t i, Decimal qty, Decimal basis) {
  const Transaction& tx = txs_[i];
  PositionState& ps = states_[pos];
  Lot lot;
  lot.position = pos;
  lot.lot_id = tx.lot_id.empty() ? "T" + std::to_string(i + 1) : tx.lot_id;
  lot.acquired = tx.date;
  lot.purchase_date = tx.date;
  lot.buy_tx = i;
  ps.open_quantity += qty;
  auto carry = pending_carry_.find(i);
  if (carry != pending_carry_.end()) {
    // Replacement shares of earlier loss sales: split off sub-lots carrying the disallowed loss
    // and the holding period of the shares sold.
    Allocator alloc(basis, qty);
    Decimal left = qty;
    for (const WashCarry& c : carry->second) {
      const Decimal part = std::min(c.quantity, left);
      if (!part.is_positive()) break;
      Lot sub = lot;
      sub.quantity = part;
      sub.basis = alloc.take(part) + c.amount;
      sub.wash_adjustment = c.amount;
      sub.acquired = tx.date.add_days(-c.holding_days);
      insert_by_date(ps, std::move(sub));
      left -= part;
    }
    pending_carry_.erase(carry);
    if (!left.is_positive()) return;
    lot.quantity = left;
    lot.basis = alloc.take(left);
  } else {
    lot.quantity = qty;
    lot.basis = basis;
  }
  insert_by_date(ps, std::move(lot));
}

void Booker::on_buy(std::uint32_t i) {
  const Transaction& tx = txs_[i];
  const std::uint32_t pos = position_index(tx.account, tx.symbol);
  PositionState& ps = states_[pos];
  if (options_.wash_sales) {
    if (ps.buys == nullptr) ps.buys = &buys_by_symbol_[tx.symbol];
    ps.buys->pos[buy_slot_[i]] = pos;
  }
  const Decimal cost = tx.amount ? *tx.amount : trade_amount(tx.quantity, tx.price) + tx.fees;
  Decimal qty = tx.quantity;
  Allocator cost_alloc(cost, qty);
  if (ps.open_quantity.is_negative()) {
    // Cover short lots, first opened first.
    const Decimal cover = std::min(qty, -ps.open_quantity);
    Decimal left = cover;
    for (std::size_t k = ps.head; k < ps.lots.size() && left.is_positive(); ++k) {
      Lot& lot = ps.lots[k];
      const Decimal held = -lot.quantity;
      const Decimal take = std::min(left, held);
      const Decimal proceeds = take == held ? lot.basis : mul_div(lot.basis, take, held, 2, Rounding::kHalfUp);
      RealizedGain g;
      g.position = pos;
      g.lot_id = lot.lot_id;
      g.sell_date = tx.date;
      g.acquired = lot.acquired;
      g.purchase_date = lot.purchase_date;
      g.quantity = take;
      g.proceeds = proceeds;
      g.cost = cost_alloc.take(take);
      g.gain = g.proceeds - g.cost;
      g.term = Term::kShort;
      g.short_sale = true;
      g.sell_tx = i;
      g.buy_tx = lot.buy_tx;
      out_.realized.push_back(std::move(g));
      lot.basis -= proceeds;
      lot.quantity += take;
      left -= take;
    }
    ps.open_quantity += cover;
    qty -= cover;
    compact(ps);
    if (!qty.is_positive()) return;
    open_long(pos, i, qty, cost_alloc.take(qty));
    return;
  }
  open_long(pos, i, qty, cost);
}

void Booker::on_sell(std::uint32_t i) {
  const Transaction& tx = txs_[i];
  const std::uint32_t pos = position_index(tx.account, tx.symbol);
  PositionState& ps = states_[pos];
  const AccountSettings acct = settings(tx.account);
  const LotMethod method = tx.method.value_or(acct.method);
  const Decimal proceeds = tx.amount ? *tx.amount : trade_amount(tx.quantity, tx.price) - tx.fees;
  const Decimal held = ps.open_quantity.is_positive() ? ps.open_quantity : Decimal();
  const Decimal qty_long = std::min(tx.quantity, held);
  const Decimal qty_short = tx.quantity - qty_long;
  if (qty_short.is_positive() && !acct.allow_short) {
    fail(tx, held.is_zero() ? "sale of " + tx.quantity.to_string() + " shares with none held"
                            : "sale of " + tx.quantity.to_string() + " shares but only " +
                                  held.to_string() + " held (the account does not allow shorts)");
    return;
  }
  if (!tx.lot_id.empty() && qty_short.is_positive()) {
    fail(tx, "the lots named (" + tx.lot_id + ") cannot cover a sale beyond the shares held");
    return;
  }
  Allocator proceeds_alloc(proceeds, tx.quantity);
  if (qty_long.is_positive()) {
    if (!select(ps, qty_long, method, tx)) return;
    const std::size_t first_gain = out_.realized.size();
    // Average cost: one pooled basis for the shares sold, dates consumed first in, first out.
    const bool average = method == LotMethod::kAverage && tx.lot_id.empty();
    Decimal pool_basis;
    if (average) {
      for (std::size_t k = ps.head; k < ps.lots.size(); ++k) pool_basis += ps.lots[k].basis;
    }
    const Decimal pool_cost = average ? (qty_long == held ? pool_basis
                                                          : mul_div(pool_basis, qty_long, held, 2, Rounding::kHalfUp))
                                      : Decimal();
    Allocator avg_alloc(pool_cost, qty_long);
    for (const Piece& p : pieces_) {
      Lot& lot = ps.lots[p.lot];
      RealizedGain g;
      g.position = pos;
      g.lot_id = lot.lot_id;
      g.sell_date = tx.date;
      g.acquired = lot.acquired;
      g.purchase_date = lot.purchase_date;
      g.quantity = p.quantity;
      g.proceeds = proceeds_alloc.take(p.quantity);
      Decimal lot_cost = p.quantity == lot.quantity
                             ? lot.basis
                             : mul_div(lot.basis, p.quantity, lot.quantity, 2, Rounding::kHalfUp);
      const Decimal wash_part = p.quantity == lot.quantity
                                    ? lot.wash_adjustment
                                    : mul_div(lot.wash_adjustment, p.quantity, lot.quantity, 2, Rounding::kHalfUp);
      g.cost = average ? avg_alloc.take(p.quantity) : lot_cost;
      g.gain = g.proceeds - g.cost;
      g.term = holding_term(lot.acquired, tx.date);
      g.sell_tx = i;
      g.buy_tx = lot.buy_tx;
      lot.basis -= lot_cost;
      lot.wash_adjustment -= wash_part;
      lot.quantity -= p.quantity;
      out_.realized.push_back(std::move(g));
    }
    ps.open_quantity -= qty_long;
    if (average) {
      // The shares left carry the pool's remaining basis, pro rata to quantity.
      Decimal rest_qty;
      for (std::size_t k = ps.head; k < ps.lots.size(); ++k) rest_qty += ps.lots[k].quantity;
      if (rest_qty.is_positive()) {
        Allocator rest(pool_basis - pool_cost, rest_qty);
        for (std::size_t k = ps.head; k < ps.lots.size(); ++k) {
          if (ps.lots[k].quantity.is_positive()) ps.lots[k].basis = rest.take(ps.lots[k].quantity);
        }
      }
    }
    compact(ps);
    if (options_.wash_sales) wash(i, first_gain);
  }
  if (qty_short.is_positive()) {
    Lot lot;
    lot.position = pos;
    lot.lot_id = "T" + std::to_string(i + 1);
    lot.acquired = tx.date;
    lot.purchase_date = tx.date;
    lot.quantity = -qty_short;
    lot.basis = proceeds_alloc.take(qty_short);
    lot.buy_tx = i;
    ps.lots.push_back(std::move(lot));
    ps.open_quantity -= qty_short;
  }
}

// Lots are sorted by purchase date, so the lots of one buy sit in the equal range of its date.
std::size_t Booker::first_lot_on(const PositionState& ps, Date d) const {
  auto it = std::lower_bound(ps.lots.begin() + static_cast<std::ptrdiff_t>(ps.head), ps.lots.end(), d,
                             [](const Lot& l, Date x) { return l.purchase_date < x; });
  return static_cast<std::size_t>(it - ps.lots.begin());
}

Decimal Booker::open_quantity_of_buy(PositionState& ps, std::uint32_t buy, Date d) {
  Decimal q;
  for (std::size_t k = first_lot_on(ps, d); k < ps.lots.size() && ps.lots[k].purchase_date == d; ++k) {
    if (ps.lots[k].buy_tx == buy && ps.lots[k].quantity.is_positive()) q += ps.lots[k].quantity;
  }
  return q;
}

void Booker::adjust_open_buy(PositionState& ps, std::uint32_t buy, Date d, Decimal qty, Decimal amount, int days) {
  Allocator alloc(amount, qty);
  Decimal left = qty;
  for (std::size_t k = first_lot_on(ps, d);
       k < ps.lots.size() && ps.lots[k].purchase_date == d && left.is_positive(); ++k) {
    if (ps.lots[k].buy_tx != buy || !ps.lots[k].quantity.is_positive()) continue;
    const Decimal take = std::min(left, ps.lots[k].quantity);
    if (take < ps.lots[k].quantity) {
      // Split the lot: the replacement shares become their own lot right after it.
      Lot rest = ps.lots[k];
      const Decimal part_basis = mul_div(rest.basis, take, rest.quantity, 2, Rounding::kHalfUp);
      const Decimal part_wash = mul_div(rest.wash_adjustment, take, rest.quantity, 2, Rounding::kHalfUp);
      rest.quantity -= take;
      rest.basis -= part_basis;
      rest.wash_adjustment -= part_wash;
      ps.lots[k].quantity = take;
      ps.lots[k].basis = part_basis;
      ps.lots[k].wash_adjustment = part_wash;
      ps.lots.insert(ps.lots.begin() + static_cast<std::ptrdiff_t>(k) + 1, std::move(rest));
    }
    Lot& lot = ps.lots[k];
    const Decimal add = alloc.take(take);
    lot.basis += add;
    lot.wash_adjustment += add;
    lot.acquired = lot.acquired.add_days(-days);
    left -= take;
  }
}

void Booker::wash(std::uint32_t sale, std::size_t first_gain) {
  const Transaction& tx = txs_[sale];
  auto it = buys_by_symbol_.find(tx.symbol);
  if (it == buys_by_symbol_.end()) return;
  SymbolBuys& buys = it->second;
  const Date lower = tx.date.add_days(-options_.wash_window_days);
  const Date upper = tx.date.add_days(options_.wash_window_days);
  const auto start = static_cast<std::uint32_t>(
      std::lower_bound(buys.date.begin(), buys.date.end(), lower) - buys.date.begin());
  own_buys_.clear();  // the shares sold are never their own replacement
  bool any_loss = false;
  for (std::size_t gi = first_gain; gi < out_.realized.size(); ++gi) {
    own_buys_.push_back(out_.realized[gi].buy_tx);
    any_loss = any_loss || out_.realized[gi].gain.is_negative();
  }
  if (!any_loss) return;
  const auto end = static_cast<std::uint32_t>(buys.tx.size());
  for (std::size_t gi = first_gain; gi < out_.realized.size(); ++gi) {
    RealizedGain& g = out_.realized[gi];
    if (!g.gain.is_negative()) continue;
    const Decimal loss = -g.gain;
    Decimal matched;
    for (std::uint32_t k = buys.find(start); k < end && buys.date[k] <= upper && matched < g.quantity;
         k = buys.find(k + 1)) {
      const std::uint32_t buy = buys.tx[k];
      if (std::find(own_buys_.begin(), own_buys_.end(), buy) != own_buys_.end()) continue;
      Decimal avail = buys.left[k];
      PositionState* ps = nullptr;
      if (buys.pos[k] != kNoPosition) {
        ps = &states_[buys.pos[k]];
        avail = std::min(avail, open_quantity_of_buy(*ps, buy, buys.date[k]));
      }
      if (!avail.is_positive()) {
        buys.next[k] = k + 1;  // never a replacement again
        continue;
      }
      const Decimal m = std::min(avail, g.quantity - matched);
      const Decimal before = mul_div(loss, matched, g.quantity, 2, Rounding::kHalfUp);
      matched += m;
      const Decimal after = matched == g.quantity ? loss : mul_div(loss, matched, g.quantity, 2, Rounding::kHalfUp);
      const Decimal disallowed = after - before;
      const int days = tx.date - g.acquired;
      g.wash_disallowed += disallowed;
      g.gain += disallowed;
      buys.left[k] -= m;
      if (ps != nullptr) {
        adjust_open_buy(*ps, buy, buys.date[k], m, disallowed, days);
      } else {
        pending_carry_[buy].push_back({m, disallowed, days});
      }
    }
  }
}

void Booker::on_split(std::uint32_t i) {
  const Transaction& tx = txs_[i];
  if (!tx.split_ratio) {
    fail(tx, "a SPLIT needs a split_ratio such as 3:2");
    return;
  }
  const std::uint32_t pos = position_index(tx.account, tx.symbol);
  PositionState& ps = states_[pos];
  const Decimal num = Decimal::from_int(tx.split_ratio->numerator);
  const Decimal den = Decimal::from_int(tx.split_ratio->denominator);
  Decimal total;
  for (std::size_t k = ps.head; k < ps.lots.size(); ++k) {
    Lot& lot = ps.lots[k];
    lot.quantity = mul_div(lot.quantity, num, den, Decimal::kScale, Rounding::kHalfEven);
    total += lot.quantity;
  }
  ps.open_quantity = total;
}

void Booker::on_transfer_out(std::uint32_t i) {
  const Transaction& tx = txs_[i];
  const std::uint32_t pos = position_index(tx.account, tx.symbol);
  PositionState& ps = states_[pos];
  const Decimal held = ps.open_quantity.is_positive() ? ps.open_quantity : Decimal();
  if (tx.quantity > held) {
    fail(tx, "transfer of " + tx.quantity.to_string() + " shares but only " + held.to_string() + " held");
    return;
  }
  const LotMethod method = tx.method.value_or(settings(tx.account).method);
  if (!select(ps, tx.quantity, method == LotMethod::kAverage ? LotMethod::kFifo : method, tx)) return;
  const std::uint32_t dest_in = paired_in_[i];
  std::uint32_t dest = kNone;
  if (dest_in != kNone) dest = position_index(txs_[dest_in].account, tx.symbol);
  std::vector<Lot> moved;
  for (const Piece& p : pieces_) {
    Lot& lot = states_[pos].lots[p.lot];
    Lot m = lot;
    m.quantity = p.quantity;
    if (p.quantity != lot.quantity) {
      m.basis = mul_div(lot.basis, p.quantity, lot.quantity, 2, Rounding::kHalfUp);
      m.wash_adjustment = mul_div(lot.wash_adjustment, p.quantity, lot.quantity, 2, Rounding::kHalfUp);
    }
    lot.quantity -= m.quantity;
    lot.basis -= m.basis;
    lot.wash_adjustment -= m.wash_adjustment;
    moved.push_back(std::move(m));
  }
  states_[pos].open_quantity -= tx.quantity;
  compact(states_[pos]);
  if (dest == kNone) {
    out_.warnings.push_back(tx.source + ":" + std::to_string(tx.line) + ": TRANSFER_OUT of " +
                            tx.symbol + " has no matching TRANSFER_IN; its lots leave the ledger");
    return;
  }
  PositionState& to = states_[dest];
  for (Lot& m : moved) {
    m.position = dest;
    insert_by_date(to, std::move(m));
  }
  to.open_quantity += tx.quantity;
}

void Booker::on_transfer_in(std::uint32_t i) {
  if (is_paired_in_[i]) return;  // its lots arrived with the TRANSFER_OUT
  const Transaction& tx = txs_[i];
  const std::uint32_t pos = position_index(tx.account, tx.symbol);
  out_.warnings.push_back(tx.source + ":" + std::to_string(tx.line) + ": TRANSFER_IN of " + tx.symbol +
                          " has no matching TRANSFER_OUT; a lot is opened at its price");
  const Decimal basis = tx.amount ? *tx.amount : trade_amount(tx.quantity, tx.price) + tx.fees;
  open_long(pos, i, tx.quantity, basis);
}

BookResult Booker::run() {
  const auto n = static_cast<std::uint32_t>(txs_.size());
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return txs_[a].date < txs_[b].date; });

  // Pair share transfers: same date, symbol and quantity, different accounts, in order.
  paired_in_.assign(n, kNone);
  is_paired_in_.assign(n, false);
  std::unordered_map<std::string, std::vector<std::uint32_t>> open_ins;
  for (std::uint32_t i : order) {
    const Transaction& tx = txs_[i];
    if (tx.type == TxType::kBuy && options_.wash_sales) {
      SymbolBuys& sb = buys_by_symbol_[tx.symbol];
      buy_slot_[i] = static_cast<std::uint32_t>(sb.tx.size());
      sb.next.push_back(static_cast<std::uint32_t>(sb.tx.size()));
      sb.tx.push_back(i);
      sb.date.push_back(tx.date);
      sb.left.push_back(tx.quantity);
      sb.pos.push_back(kNoPosition);
    }
    if (tx.type == TxType::kTransferIn && !tx.symbol.empty()) {
      open_ins[tx.date.to_string() + '\x1f' + tx.symbol + '\x1f' + tx.quantity.to_string()].push_back(i);
    }
  }
  for (auto& entry : buys_by_symbol_) {
    entry.second.next.push_back(static_cast<std::uint32_t>(entry.second.tx.size()));  // sentinel
  }
  for (std::uint32_t i : order) {
    const Transaction& tx = txs_[i];
    if (tx.type != TxType::kTransferOut || tx.symbol.empty()) continue;
    auto it = open_ins.find(tx.date.to_string() + '\x1f' + tx.symbol + '\x1f' + tx.quantity.to_string());
    if (it == open_ins.end()) continue;
    auto& cands = it->second;
    for (auto c = cands.begin(); c != cands.end(); ++c) {
      if (txs_[*c].account != tx.account) {
        paired_in_[i] = *c;
        is_paired_in_[*c] = true;
        cands.erase(c);
        break;
      }
    }
  }

  for (std::uint32_t i : order) {
    const Transaction& tx = txs_[i];
    out_.cash[tx.account] += cash_effect(tx);
    switch (tx.type) {
      case TxType::kBuy: on_buy(i); break;
      case TxType::kSell: on_sell(i); break;
      case TxType::kSplit: on_split(i); break;
      case TxType::kTransferOut:
        if (!tx.symbol.empty()) on_transfer_out(i);
        break;
      case TxType::kTransferIn:
        if (!tx.symbol.empty()) on_transfer_in(i);
        break;
      case TxType::kDividend:
      case TxType::kInterest:
        out_.income.push_back({tx.date, tx.type, tx.account, tx.symbol, income_amount(tx)});
        break;
      case TxType::kFee:
        out_.income.push_back({tx.date, tx.type, tx.account, tx.symbol, cash_effect(tx)});
        break;
      case TxType::kDeposit:
      case TxType::kWithdrawal:
        break;
    }
  }
  diags_.throw_if_errors("transactions cannot be booked");

  for (PositionState& ps : states_) {
    for (std::size_t k = ps.head; k < ps.lots.size(); ++k) {
      if (!ps.lots[k].quantity.is_zero()) out_.open_lots.push_back(std::move(ps.lots[k]));
    }
  }
  std::stable_sort(out_.open_lots.begin(), out_.open_lots.end(),
                   [](const Lot& a, const Lot& b) { return a.position < b.position; });
  return std::move(out_);
}

}  // namespace

BookResult book(std::span<const Transaction> txs, const BookOptions& options) {
  return Booker(txs, options).run();
}

}  // namespace keel::ledger
