// Lot booking: the replay of one partition of the symbols (booking_partition.h), which book()
// (booking_merge.cpp) runs on each partition; keel/ledger/booking.h has the rules.
#include "keel/ledger/booking.h"

#include "booking_partition.h"
#include "booking_state.h"
#include "names_hash.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <exception>
#include <numeric>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"
#include "keel/core/memory.h"
#include "keel/core/strings.h"

namespace keel::ledger {

std::string_view term_name(Term t) { return t == Term::kLong ? "long" : "short"; }

Term holding_term(Date acquired, Date sold) {
  return sold > acquired.add_years(1) ? Term::kLong : Term::kShort;
}

namespace {
// The two refusals of a sale beyond the shares held (is_sale_beyond_holdings reads them back).
constexpr std::string_view kNoneHeld = " shares with none held";
constexpr std::string_view kTooFewHeld = " held (the account does not allow shorts)";
}  // namespace

bool is_sale_beyond_holdings(std::string_view problem) {
  return problem.find(kNoneHeld) != std::string_view::npos || problem.find(kTooFewHeld) != std::string_view::npos;
}

namespace {

using detail::Allocator;
using detail::BuySlot;
using detail::higher_unit_basis;
using detail::Int128;
using detail::kNoPosition;
using detail::OpenLot;
using detail::Partial;
using detail::Piece;
using detail::PositionState;
using detail::SymbolBuys;
using detail::TxScratch;
using detail::WashCarry;

// The realized rows of a large booking take hundreds of megabytes, first touched as they are
// written: with 4 KiB pages that is one page fault per 85 rows, about a quarter of the run time of
// bench/ledger_booking_bench; so they are advised to huge pages (keel/core/memory.h).

// Books the transactions of one set of symbols (booking_partition.h says why symbols are
// independent); cash and income do not depend on the lots and are summed by book() itself.
class Booker {
 public:
  // `order`: the processing order (transaction indexes, dates ascending, file order within a day);
  // `steps`: the steps (indexes into `order`) of this partition's transactions, ascending.
  Booker(std::span<const Transaction> txs, std::span<const std::uint32_t> order, std::span<const std::uint32_t> steps,
         const BookOptions& options, TxScratch& scratch)
      : txs_(txs), order_(order), steps_(steps), options_(options), buy_slot_(scratch.buy_slot),
        paired_in_(scratch.paired_in), is_paired_in_(scratch.is_paired_in) {}

  Partial run();

 private:
  std::uint32_t position_index(const std::string& account, const std::string& symbol);
  AccountSettings settings(const std::string& account) const;
  void fail(const Transaction& tx, std::string message);
  void warn(std::string message) { part_.warnings.emplace_back(step_, std::move(message)); }

  void on_buy(std::uint32_t i);
  void on_sell(std::uint32_t i);
  void on_split(std::uint32_t i);
  void on_transfer_out(std::uint32_t i);
  void on_transfer_in(std::uint32_t i);

  // Chooses the long lots a disposal of `qty` closes. Returns false (after reporting) when it
  // cannot (specific lot missing, too few shares named).
  bool select(PositionState& ps, Decimal qty, LotMethod method, const Transaction& tx);
  void open_long(std::uint32_t pos, std::uint32_t i, Decimal qty, Decimal basis);
  void insert_by_date(PositionState& ps, const OpenLot& lot);
  void add_realized(const RealizedGain& g);
  // With BookOptions::realized_window: adds the gains of the rows from `first` on, the final rows
  // of one disposal of position `pos` dated `date`, to the position's sum when the window holds
  // the date.
  void sum_in_window(std::size_t first, std::uint32_t pos, Date date);
  // Without BookOptions::keep_realized: forgets the rows from `first` on and the disposals (a
  // sale's rows are only kept while the wash-sale rule reads them).
  void drop_realized(std::size_t first) {
    out_.realized.resize(first);
    out_.disposals.clear();
  }

  std::uint32_t new_lot_ref(std::uint32_t i);
  std::uint32_t new_disposal(std::uint32_t pos, std::uint32_t i);
  void compact(PositionState& ps);
  // Applies the wash-sale rule to the realized rows [first_gain, end) of `sale`, with the symbol's
  // purchases `buys` as replacement candidates.
  void wash(std::uint32_t sale, std::size_t first_gain, SymbolBuys& buys);
  // The first of the open lots dated `d` (lots are in purchase date order); `hint`, an earlier
  // answer for `d`, is taken when it still is one (lots are added and removed mostly at the ends).
  std::size_t first_lot_on(const PositionState& ps, Date d, std::uint32_t& hint) const;
  // Open shares of the purchase `slot` (in `ps`, its position) not yet used as replacements; `first`
  // receives the index of its first such lot, where adjust_open_buy starts (nothing changes the lots
  // in between).
  Decimal open_quantity_of_buy(PositionState& ps, BuySlot& slot, std::size_t& first);
  void adjust_open_buy(PositionState& ps, std::uint32_t buy, Date d, std::size_t first, Decimal qty,
                       Decimal amount, int days);
  void book_all();
  // A partition's rows lie scattered among the others' (every few hundred bytes of a 300-odd byte
  // row): the loops over steps_ ask for the cache lines of the row kPrefetchAhead steps after `k`,
  // so that its reads do not each wait for memory.
  static constexpr std::size_t kPrefetchAhead = 8;
  void prefetch_ahead(std::size_t k) const;

  std::span<const Transaction> txs_;
  std::span<const std::uint32_t> order_;
  std::span<const std::uint32_t> steps_;
  const BookOptions& options_;
  Partial part_;
  BookResult& out_ = part_.out;
  std::uint32_t step_ = 0;  // the step being booked
  std::vector<PositionState> states_;
  detail::NameIds index_;  // (account, symbol) -> position
  std::vector<Piece> pieces_;
  std::vector<std::uint32_t> sold_buy_tx_;  // the purchases the current sale's lots came from
  std::vector<std::size_t> order_hifo_;         // HIFO: open lots by unit basis
  std::vector<OpenLot> moved_;                  // lots leaving with a TRANSFER_OUT
  std::vector<std::uint32_t>& buy_slot_;       // shared: this partition's BUY rows only
  std::vector<std::uint32_t>& paired_in_;      // shared: this partition's TRANSFER_OUT rows only
  std::vector<std::uint8_t>& is_paired_in_;    // shared: this partition's TRANSFER_IN rows only
  // The purchases of each symbol, numbered by buy_symbols_; made whole before the replay, so that
  // PositionState::buys pointers stay valid.
  detail::NameIds buy_symbols_;
  std::vector<SymbolBuys> buys_by_symbol_;
  std::vector<std::uint32_t> candidates_;  // the current sale's replacement candidates (SymbolBuys slots)
  // Wash carries waiting for a purchase not booked yet: per purchase a list threaded through
  // carries_ (SymbolBuys::carry_head/carry_tail), in the order the losses were matched.
  std::vector<WashCarry> carries_;
  std::vector<std::uint32_t> free_carries_;  // carries_ nodes already applied, for reuse
  bool middle_removed_ = false;
  static constexpr std::uint32_t kNone = 0xffffffffu;
};

std::uint32_t Booker::position_index(const std::string& account, const std::string& symbol) {
  // Keyed by views of the row's names: the rows outlive the booking.
  const auto [id, inserted] = index_.intern(account, symbol);
  if (inserted) {
    states_.emplace_back().account = settings(account);
    out_.positions.push_back({account, symbol});
    if (options_.realized_window) out_.realized_in_window.emplace_back();
    part_.position_step.push_back(step_);
  }
  return id;
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
  // As keel::Diagnostics: the first ones recorded, every one counted.
  if (part_.errors.size() < Diagnostics::kMaxRecorded) part_.errors.emplace_back(step_, std::move(d));
  ++part_.error_count;
}

void Booker::compact(PositionState& ps) {
  auto& lots = ps.lots;
  while (ps.head < lots.size() && lots[ps.head].quantity.is_zero()) ++ps.head;
  while (lots.size() > ps.head && lots.back().quantity.is_zero()) lots.pop_back();
  if (middle_removed_) {
    lots.erase(std::remove_if(lots.begin() + static_cast<std::ptrdiff_t>(ps.head), lots.end(),
                              [](const OpenLot& l) { return l.quantity.is_zero(); }),
               lots.end());
    middle_removed_ = false;
  }
  if (ps.head > 64 && ps.head * 2 > lots.size()) {
    lots.erase(lots.begin(), lots.begin() + static_cast<std::ptrdiff_t>(ps.head));
    ps.head = 0;
  }
}

void Booker::insert_by_date(PositionState& ps, const OpenLot& lot) {
  auto& lots = ps.lots;
  if (lots.size() == ps.head || !(lot.purchase_date < lots.back().purchase_date)) {
    lots.push_back(lot);
    return;
  }
  auto it = std::upper_bound(lots.begin() + static_cast<std::ptrdiff_t>(ps.head), lots.end(),
                             lot.purchase_date,
                             [](Date d, const OpenLot& l) { return d < l.purchase_date; });
  lots.insert(it, lot);
}

// With wash sales an adversarial history gives many millions of rows. run() reserves for the
// expected count; beyond it the rows grow four-fold instead of two-fold, which halves the memory
// copied and first touched on the way.
void Booker::add_realized(const RealizedGain& g) {
  static_cast<void>(g.gain());  // throws keel::Error(invalid_input) when out of range
  auto& rows = out_.realized;
  if (rows.size() == rows.capacity()) {
    rows.reserve(std::max<std::size_t>(64, rows.capacity() * 4));
    advise_huge_pages(rows.data(), rows.capacity() * sizeof(RealizedGain));
  }
  rows.push_back(g);
}

void Booker::sum_in_window(std::size_t first, std::uint32_t pos, Date date) {
  const auto& window = options_.realized_window;
  if (!window || date <= window->first || date > window->second) return;
  std::optional<Decimal>& sum = out_.realized_in_window[pos];
  if (!sum) sum.emplace();
  for (std::size_t k = first; k < out_.realized.size(); ++k) *sum += out_.realized[k].gain();
}

std::uint32_t Booker::new_disposal(std::uint32_t pos, std::uint32_t i) {
  out_.disposals.push_back({pos, i, txs_[i].date});
  return static_cast<std::uint32_t>(out_.disposals.size() - 1);
}

std::uint32_t Booker::new_lot_ref(std::uint32_t i) {
  const Transaction& tx = txs_[i];
  if (tx.lot_id.empty() || (tx.type != TxType::kBuy && tx.type != TxType::kTransferIn)) {
    // "T" and the row's number: written by hand, as a general formatter costs more than the rest
    // of opening a lot.
    char id[16] = {'T'};
    const auto end = std::to_chars(id + 1, id + sizeof id, i + 1).ptr;
    out_.lot_ids.emplace_back(id, end);
  } else {
    out_.lot_ids.push_back(tx.lot_id);
  }
  out_.lot_origins.push_back({i, tx.date});
  part_.lot_step.push_back(step_);
  return static_cast<std::uint32_t>(out_.lot_ids.size() - 1);
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
      // Highest unit basis first; a stable sort keeps ties in purchase order (earlier lot first).
      auto& by_basis = order_hifo_;
      by_basis.clear();
      for (std::size_t k = ps.head; k < lots.size(); ++k) {
        if (lots[k].quantity.is_positive()) by_basis.push_back(k);
      }
      std::stable_sort(by_basis.begin(), by_basis.end(),
                       [&](std::size_t a, std::size_t b) { return higher_unit_basis(lots[a], lots[b]); });
      for (std::size_t i = 0; i < by_basis.size() && left.is_positive(); ++i) {
        const Decimal take = std::min(left, lots[by_basis[i]].quantity);
        pieces_.push_back({by_basis[i], take});
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
          if (out_.lot_ids[lots[k].lot_ref] != id || lots[k].quantity.is_zero()) continue;
          found = true;
          const Decimal take = std::min(left, lots[k].quantity);
          pieces_.push_back({k, take});
          left -= take;
        }
        if (!found) {
          fail(tx, "lot " + shown_with(id, 64, '\'') + " is not an open lot of this account and symbol");
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
  OpenLot lot;
  lot.position = pos;
  lot.lot_ref = new_lot_ref(i);
  lot.acquired = tx.date;
  lot.purchase_date = tx.date;
  lot.buy_tx = i;
  ps.open_quantity += qty;
  const std::uint32_t slot = buy_slot_[i];
  if (slot != kNone && ps.buys->slot[slot].carry_head != kNoPosition) {
    SymbolBuys& buys = *ps.buys;
    // Replacement shares of earlier loss sales: split off sub-lots carrying the disallowed loss
    // and the holding period of the shares sold.
    Allocator alloc(basis, qty);
    Decimal left = qty;
    for (std::uint32_t ci = buys.slot[slot].carry_head; ci != kNoPosition; ci = carries_[ci].next) {
      free_carries_.push_back(ci);  // every node of the list is reused by later carries
      const WashCarry& c = carries_[ci];
      const Decimal part = std::min(c.quantity, left);
      if (!part.is_positive()) continue;  // shares used up (a buy that covered shorts first)
      OpenLot sub = lot;
      sub.quantity = part;
      sub.basis = alloc.take(part) + c.amount;
      sub.wash_adjustment = c.amount;
      sub.replacement = true;
      sub.acquired = tx.date.add_days(-c.holding_days);
      insert_by_date(ps, sub);
      left -= part;
    }
    buys.slot[slot].carry_head = kNoPosition;
    if (!left.is_positive()) return;
    lot.quantity = left;
    lot.basis = alloc.take(left);
  } else {
    lot.quantity = qty;
    lot.basis = basis;
  }
  insert_by_date(ps, lot);
}

void Booker::on_buy(std::uint32_t i) {
  const Transaction& tx = txs_[i];
  const std::uint32_t pos = position_index(tx.account, tx.symbol);
  PositionState& ps = states_[pos];
  if (options_.wash_sales) {
    if (ps.buys == nullptr) ps.buys = &buys_by_symbol_[buy_symbols_.find(tx.symbol)];
    ps.buys->slot[buy_slot_[i]].pos = pos;
  }
  const Decimal cost = tx.amount ? *tx.amount : trade_amount(tx.quantity, tx.price) + tx.fees;
  Decimal qty = tx.quantity;
  Allocator cost_alloc(cost, qty);
  if (ps.open_quantity.is_negative()) {
    // Cover short lots, first opened first.
    const Decimal cover = std::min(qty, -ps.open_quantity);
    Decimal left = cover;
    const std::size_t first_cover = out_.realized.size();
    const std::uint32_t disposal = new_disposal(pos, i);
    for (std::size_t k = ps.head; k < ps.lots.size() && left.is_positive(); ++k) {
      OpenLot& lot = ps.lots[k];
      const Decimal held = -lot.quantity;
      const Decimal take = std::min(left, held);
      const Decimal proceeds = take == held ? lot.basis : share_cents(lot.basis, take, held);
      RealizedGain g;
      g.lot_ref = lot.lot_ref;
      g.disposal = disposal;
      g.acquired = lot.acquired;
      g.quantity = take;
      g.proceeds = proceeds;
      g.cost = cost_alloc.take(take);
      g.term = Term::kShort;
      g.short_sale = true;
      add_realized(g);
      lot.basis -= proceeds;
      lot.quantity += take;
      left -= take;
    }
    ps.open_quantity += cover;
    qty -= cover;
    sum_in_window(first_cover, pos, tx.date);
    if (!options_.keep_realized) drop_realized(0);
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
  const AccountSettings acct = ps.account;
  const LotMethod method = tx.method.value_or(acct.method);
  const Decimal proceeds = tx.amount ? *tx.amount : trade_amount(tx.quantity, tx.price) - tx.fees;
  const Decimal held = ps.open_quantity.is_positive() ? ps.open_quantity : Decimal();
  const Decimal qty_long = std::min(tx.quantity, held);
  const Decimal qty_short = tx.quantity - qty_long;
  if (qty_short.is_positive() && !acct.allow_short) {
    fail(tx, held.is_zero() ? "sale of " + tx.quantity.to_string() + std::string(kNoneHeld)
                            : "sale of " + tx.quantity.to_string() + " shares but only " +
                                  held.to_string() + std::string(kTooFewHeld));
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
    const std::uint32_t disposal = new_disposal(pos, i);
    sold_buy_tx_.clear();
    // Average cost: one pooled basis for the shares sold, dates consumed first in, first out.
    const bool average = method == LotMethod::kAverage && tx.lot_id.empty();
    Decimal pool_basis;
    if (average) {
      for (std::size_t k = ps.head; k < ps.lots.size(); ++k) pool_basis += ps.lots[k].basis;
    }
    const Decimal pool_cost = average ? (qty_long == held ? pool_basis
                                                          : share_cents(pool_basis, qty_long, held))
                                      : Decimal();
    Allocator avg_alloc(pool_cost, qty_long);
    for (const Piece& p : pieces_) {
      OpenLot& lot = ps.lots[p.lot];
      RealizedGain g;
      g.lot_ref = lot.lot_ref;
      g.disposal = disposal;
      g.acquired = lot.acquired;
      g.quantity = p.quantity;
      g.proceeds = proceeds_alloc.take(p.quantity);
      Decimal lot_cost = p.quantity == lot.quantity
                             ? lot.basis
                             : share_cents(lot.basis, p.quantity, lot.quantity);
      const Decimal wash_part = p.quantity == lot.quantity
                                    ? lot.wash_adjustment
                                    : share_cents(lot.wash_adjustment, p.quantity, lot.quantity);
      g.cost = average ? avg_alloc.take(p.quantity) : lot_cost;
      g.term = lot.term_on(tx.date);
      if (sold_buy_tx_.empty() || sold_buy_tx_.back() != lot.buy_tx) sold_buy_tx_.push_back(lot.buy_tx);
      lot.basis -= lot_cost;
      lot.wash_adjustment -= wash_part;
      lot.quantity -= p.quantity;
      add_realized(g);
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
    if (options_.wash_sales) {
      if (ps.buys == nullptr) {  // a position opened by transfers only: look the symbol up
        const std::uint32_t s = buy_symbols_.find(tx.symbol);
        if (s != detail::NameIds::kNone) ps.buys = &buys_by_symbol_[s];
      }
      if (ps.buys != nullptr) wash(i, first_gain, *ps.buys);
    }
    sum_in_window(first_gain, pos, tx.date);
    if (!options_.keep_realized) drop_realized(first_gain);
  }
  if (qty_short.is_positive()) {
    OpenLot lot;
    lot.position = pos;
    lot.lot_ref = new_lot_ref(i);
    lot.acquired = tx.date;
    lot.purchase_date = tx.date;
    lot.quantity = -qty_short;
    lot.basis = proceeds_alloc.take(qty_short);
    lot.buy_tx = i;
    ps.lots.push_back(lot);
    ps.open_quantity -= qty_short;
  }
}

std::size_t Booker::first_lot_on(const PositionState& ps, Date d, std::uint32_t& hint) const {
  const auto& lots = ps.lots;
  if (hint >= ps.head && hint < lots.size() && lots[hint].purchase_date == d &&
      (hint == ps.head || lots[hint - 1].purchase_date < d)) {
    return hint;
  }
  auto it = std::lower_bound(lots.begin() + static_cast<std::ptrdiff_t>(ps.head), lots.end(), d,
                             [](const OpenLot& l, Date x) { return l.purchase_date < x; });
  hint = static_cast<std::uint32_t>(it - lots.begin());
  return hint;
}

Decimal Booker::open_quantity_of_buy(PositionState& ps, BuySlot& slot, std::size_t& first) {
  const std::uint32_t buy = slot.tx;
  const Date d = slot.date;
  Decimal q;
  first = ps.lots.size();
  for (std::size_t k = first_lot_on(ps, d, slot.lots_of_date); k < ps.lots.size() && ps.lots[k].purchase_date == d;
       ++k) {
    const OpenLot& l = ps.lots[k];
    if (l.buy_tx == buy && !l.replacement && l.quantity.is_positive()) {
      if (q.is_zero()) first = k;
      q += l.quantity;
    }
  }
  return q;
}

void Booker::adjust_open_buy(PositionState& ps, std::uint32_t buy, Date d, std::size_t first, Decimal qty,
                             Decimal amount, int days) {
  Allocator alloc(amount, qty);
  Decimal left = qty;
  for (std::size_t k = first;
       k < ps.lots.size() && ps.lots[k].purchase_date == d && left.is_positive(); ++k) {
    if (ps.lots[k].buy_tx != buy || ps.lots[k].replacement || !ps.lots[k].quantity.is_positive()) continue;
    const Decimal take = std::min(left, ps.lots[k].quantity);
    if (take < ps.lots[k].quantity) {
      // Split the lot: the replacement shares become their own lot right after it.
      OpenLot rest = ps.lots[k];
      const Decimal part_basis = share_cents(rest.basis, take, rest.quantity);
      const Decimal part_wash = share_cents(rest.wash_adjustment, take, rest.quantity);
      rest.quantity -= take;
      rest.basis -= part_basis;
      rest.wash_adjustment -= part_wash;
      ps.lots[k].quantity = take;
      ps.lots[k].basis = part_basis;
      ps.lots[k].wash_adjustment = part_wash;
      ps.lots.insert(ps.lots.begin() + static_cast<std::ptrdiff_t>(k) + 1, rest);
    }
    OpenLot& lot = ps.lots[k];
    const Decimal add = alloc.take(take);
    lot.replacement = true;
    lot.basis += add;
    lot.wash_adjustment += add;
    lot.acquired = lot.acquired.add_days(-days);
    left -= take;
  }
}

void Booker::wash(std::uint32_t sale, std::size_t first_gain, SymbolBuys& buys) {
  const Transaction& tx = txs_[sale];
  const Date lower = tx.date.add_days(-options_.wash_window_days);
  const Date upper = tx.date.add_days(options_.wash_window_days);
  // Sales come in date order, so the window's first purchase only moves forward.
  while (buys.window_start < buys.slot.size() && buys.slot[buys.window_start].date < lower) ++buys.window_start;
  const std::uint32_t start = buys.window_start;
  bool any_loss = false;
  for (std::size_t gi = first_gain; gi < out_.realized.size() && !any_loss; ++gi) {
    any_loss = out_.realized[gi].gain().is_negative();
  }
  if (!any_loss) return;
  for (const std::uint32_t buy_tx : sold_buy_tx_) {
    const std::uint32_t slot = buy_slot_[buy_tx];
    if (slot != kNone) buys.slot[slot].own_sale = sale;
  }
  // The sale's replacement candidates in purchase order, once: its own purchases left out. Loss
  // rows take them in order, so a cursor skips the ones used up by earlier rows.
  const auto end = static_cast<std::uint32_t>(buys.slot.size());
  candidates_.clear();
  for (std::uint32_t k = buys.find(start); k < end && buys.slot[k].date <= upper; k = buys.find(k + 1)) {
    if (buys.slot[k].own_sale != sale) candidates_.push_back(k);
  }
  std::size_t first_live = 0;
  for (std::size_t gi = first_gain; gi < out_.realized.size(); ++gi) {
    RealizedGain& g = out_.realized[gi];
    const Decimal loss = -g.gain();  // wash_disallowed is still zero here
    if (!loss.is_positive()) continue;
    Decimal matched;
    Decimal before;  // disallowed so far: loss x matched / quantity, to the cent
    for (std::size_t c = first_live; c < candidates_.size() && matched < g.quantity; ++c) {
      const std::uint32_t k = candidates_[c];
      const std::uint32_t buy = buys.slot[k].tx;
      Decimal avail = buys.slot[k].left;
      PositionState* ps = nullptr;
      std::size_t first_lot = 0;
      if (buys.slot[k].pos != kNoPosition && avail.is_positive()) {
        ps = &states_[buys.slot[k].pos];
        avail = std::min(avail, open_quantity_of_buy(*ps, buys.slot[k], first_lot));
      }
      if (!avail.is_positive()) {
        buys.next[k] = k + 1;  // never a replacement again
        if (c == first_live) ++first_live;
        continue;
      }
      const Decimal m = std::min(avail, g.quantity - matched);
      matched += m;
      const Decimal after = matched == g.quantity ? loss : share_cents(loss, matched, g.quantity);
      const Decimal disallowed = after - before;
      before = after;
      const int days = tx.date - g.acquired;
      g.wash_disallowed += disallowed;
      buys.slot[k].left -= m;
      if (ps != nullptr) {
        adjust_open_buy(*ps, buy, buys.slot[k].date, first_lot, m, disallowed, days);
      } else {
        std::uint32_t ci = 0;
        if (!free_carries_.empty()) {
          ci = free_carries_.back();
          free_carries_.pop_back();
          carries_[ci] = {m, disallowed, days, kNoPosition};
        } else {
          ci = static_cast<std::uint32_t>(carries_.size());
          carries_.push_back({m, disallowed, days, kNoPosition});
        }
        if (buys.slot[k].carry_head == kNoPosition) {
          buys.slot[k].carry_head = ci;
        } else {
          carries_[buys.slot[k].carry_tail].next = ci;
        }
        buys.slot[k].carry_tail = ci;
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
    OpenLot& lot = ps.lots[k];
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
  std::vector<OpenLot>& moved = moved_;
  moved.clear();
  for (const Piece& p : pieces_) {
    OpenLot& lot = states_[pos].lots[p.lot];
    OpenLot m = lot;
    m.quantity = p.quantity;
    if (p.quantity != lot.quantity) {
      m.basis = share_cents(lot.basis, p.quantity, lot.quantity);
      m.wash_adjustment = share_cents(lot.wash_adjustment, p.quantity, lot.quantity);
    }
    lot.quantity -= m.quantity;
    lot.basis -= m.basis;
    lot.wash_adjustment -= m.wash_adjustment;
    moved.push_back(m);
  }
  states_[pos].open_quantity -= tx.quantity;
  compact(states_[pos]);
  if (dest == kNone) {
    warn(
        fmt::format("{}:{}: TRANSFER_OUT of {} has no matching TRANSFER_IN; its lots leave the ledger",
                    tx.source.str(), tx.line, tx.symbol));
    return;
  }
  PositionState& to = states_[dest];
  for (OpenLot& m : moved) {
    m.position = dest;
    insert_by_date(to, m);
  }
  to.open_quantity += tx.quantity;
}

void Booker::on_transfer_in(std::uint32_t i) {
  if (is_paired_in_[i]) return;  // its lots arrived with the TRANSFER_OUT
  const Transaction& tx = txs_[i];
  const std::uint32_t pos = position_index(tx.account, tx.symbol);
  warn(
      fmt::format("{}:{}: TRANSFER_IN of {} has no matching TRANSFER_OUT; a lot is opened at its price",
                  tx.source.str(), tx.line, tx.symbol));
  const Decimal basis = tx.amount ? *tx.amount : trade_amount(tx.quantity, tx.price) + tx.fees;
  open_long(pos, i, tx.quantity, basis);
}

Partial Booker::run() {
  try {
    book_all();
  } catch (...) {
    part_.failure = std::current_exception();
    part_.failure_step = step_;
    return std::move(part_);
  }
  part_.lots_begin.reserve(states_.size() + 1);
  for (PositionState& ps : states_) {
    part_.lots_begin.push_back(part_.open_lots.size());
    for (std::size_t k = ps.head; k < ps.lots.size(); ++k) {
      const OpenLot& o = ps.lots[k];
      if (o.quantity.is_zero()) continue;
      Lot lot;
      lot.position = o.position;
      lot.lot_id = out_.lot_ids[o.lot_ref];
      lot.acquired = o.acquired;
      lot.purchase_date = o.purchase_date;
      lot.quantity = o.quantity;
      lot.basis = o.basis;
      lot.wash_adjustment = o.wash_adjustment;
      lot.buy_tx = o.buy_tx;
      part_.open_lots.push_back(std::move(lot));
    }
  }
  part_.lots_begin.push_back(part_.open_lots.size());
  return std::move(part_);
}

void Booker::prefetch_ahead(std::size_t k) const {
  if (k + kPrefetchAhead >= steps_.size()) return;
  const Transaction& tx = txs_[order_[steps_[k + kPrefetchAhead]]];
  __builtin_prefetch(&tx.type);
  __builtin_prefetch(&tx.quantity);
  __builtin_prefetch(&tx.lot_id);
  __builtin_prefetch(&tx.method);
}

void Booker::book_all() {
  // Every sale gives at least one realized row per lot it closes. Wash sales split replacement
  // lots once per loss they absorb, so a history that keeps selling at a loss and buying back
  // (bench/ledger_generator.h) gives 20-32 rows per sale. Reserving for 32 per sale costs only
  // address space: pages are touched as rows are written, while growing would copy the rows
  // written so far and touch their pages twice. (Without kept rows, a sale's rows live only
  // until the next sale: nothing to count, and counting reads every row once more.)
  if (options_.keep_realized) {
    std::size_t sales = 0;
    for (std::size_t k = 0; k < steps_.size(); ++k) {
      prefetch_ahead(k);
      sales += txs_[order_[steps_[k]]].type == TxType::kSell ? 1 : 0;
    }
    out_.realized.reserve((options_.wash_sales ? 32 : 2) * sales);
    advise_huge_pages(out_.realized.data(), out_.realized.capacity() * sizeof(RealizedGain));
    out_.disposals.reserve(sales);
  }

  // Pair share transfers: same date, symbol and quantity, different accounts, in order.
  std::unordered_map<std::string, std::vector<std::uint32_t>> open_ins;
  for (std::size_t k = 0; k < steps_.size(); ++k) {
    prefetch_ahead(k);
    const std::uint32_t i = order_[steps_[k]];
    const Transaction& tx = txs_[i];
    if (tx.type == TxType::kBuy && options_.wash_sales) {
      const auto [s, added] = buy_symbols_.intern(tx.symbol);
      if (added) buys_by_symbol_.emplace_back();
      SymbolBuys& sb = buys_by_symbol_[s];
      buy_slot_[i] = static_cast<std::uint32_t>(sb.slot.size());
      sb.next.push_back(static_cast<std::uint32_t>(sb.slot.size()));
      sb.slot.push_back({i, tx.date, tx.quantity, kNoPosition, kNone, kNoPosition, kNoPosition, 0});
    }
    if (tx.type == TxType::kTransferIn && !tx.symbol.empty()) {
      open_ins[tx.date.to_string() + '\x1f' + tx.symbol + '\x1f' + tx.quantity.to_string()].push_back(i);
    }
  }
  for (SymbolBuys& sb : buys_by_symbol_) {
    sb.next.push_back(static_cast<std::uint32_t>(sb.slot.size()));  // sentinel
  }
  for (const std::uint32_t step : steps_) {
    if (open_ins.empty()) break;  // no share transfer in (the common case): nothing to pair
    const std::uint32_t i = order_[step];
    const Transaction& tx = txs_[i];
    if (tx.type != TxType::kTransferOut || tx.symbol.empty()) continue;
    auto it = open_ins.find(tx.date.to_string() + '\x1f' + tx.symbol + '\x1f' + tx.quantity.to_string());
    if (it == open_ins.end()) continue;
    auto& cands = it->second;
    for (auto c = cands.begin(); c != cands.end(); ++c) {
      if (txs_[*c].account != tx.account) {
        paired_in_[i] = *c;
        is_paired_in_[*c] = 1;
        cands.erase(c);
        break;
      }
    }
  }

  for (std::size_t k = 0; k < steps_.size(); ++k) {
    prefetch_ahead(k);
    const std::uint32_t step = steps_[k];
    step_ = step;
    const std::uint32_t i = order_[step];
    const Transaction& tx = txs_[i];
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
      default: break;  // cash and income rows: book() sums them
    }
  }
}

}  // namespace

static_assert(sizeof(RealizedGain) == 48 || sizeof(void*) != 8, "realized rows are meant to stay compact");

namespace detail {

Partial book_partition(std::span<const Transaction> txs, std::span<const std::uint32_t> order,
                       std::span<const std::uint32_t> steps, const BookOptions& options, TxScratch& scratch) {
  return Booker(txs, order, steps, options, scratch).run();
}

}  // namespace detail

}  // namespace keel::ledger
