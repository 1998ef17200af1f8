// Private to booking.cpp: the replay's working records (open lots, purchases as wash-sale
// replacement candidates, carried wash adjustments), kept apart so that booking.cpp holds the
// replay itself.
#pragma once

#include <cstdint>
#include <vector>

#include "keel/core/date.h"
#include "keel/ledger/booking.h"
#include "keel/ledger/decimal.h"

namespace keel::ledger::detail {

__extension__ typedef __int128 Int128;

constexpr std::uint32_t kNoPosition = 0xffffffffu;

// One purchase as a wash-sale replacement candidate; one record (40 bytes) so that looking at a
// candidate touches one cache line.
struct BuySlot {
  std::uint32_t tx = 0;
  Date date;
  Decimal left;                       // shares not yet used as a replacement
  std::uint32_t pos = 0;              // position once booked, else kNoPosition
  // The sale whose shares this purchase opened, while that sale looks for replacements (the
  // shares sold are never their own replacement).
  std::uint32_t own_sale = 0;
  // Wash carries waiting for this purchase (not booked yet): first and last node in
  // Booker::carries_, in the order the losses were matched.
  std::uint32_t carry_head = 0;
  std::uint32_t carry_tail = 0;
  // Where its position's lots of its date began when last looked up (Booker::first_lot_on); a
  // guess, checked before use.
  std::uint32_t lots_of_date = 0;
};
static_assert(sizeof(BuySlot) == 40, "a replacement candidate is meant to stay one 40-byte record");

// A symbol's purchases in date order, for the wash-sale replacement search. `next` skips purchases
// that can no longer be replacements (all shares used, or all sold): union-find with halving.
struct SymbolBuys {
  std::vector<BuySlot> slot;        // in purchase order
  std::vector<std::uint32_t> next;  // size slot.size() + 1; next[k] == k while k is live
  std::uint32_t window_start = 0;   // first purchase not before the last sale's window
  std::uint32_t find(std::uint32_t k) {
    while (next[k] != k) {
      next[k] = next[next[k]];
      k = next[k];
    }
    return k;
  }
};

// An open lot while booking: trivially copyable (the id is an index into BookResult::lot_ids) so
// that splitting, inserting and moving lots is a memmove; converted to the public Lot at the end.
struct OpenLot {
  std::uint32_t position = 0;
  std::uint32_t lot_ref = 0;
  std::uint32_t buy_tx = 0;
  Date acquired;       // holding period start
  // These shares already replaced shares sold at a loss: each replacement share absorbs one loss.
  bool replacement = false;
  Date purchase_date;
  Decimal quantity;
  Decimal basis;
  Decimal wash_adjustment;
  // holding_term(acquired, sold) without calendar arithmetic away from the one-year boundary: a
  // year is 365 or 366 days, so fewer than 365 days is short and more than 366 is long.
  Term term_on(Date sold) const {
    const int days = sold - acquired;
    if (days < 365) return Term::kShort;
    if (days > 366) return Term::kLong;
    return holding_term(acquired, sold);
  }
};

struct PositionState {
  std::vector<OpenLot> lots;  // open lots are [head, end), ordered by purchase date then arrival
  std::size_t head = 0;
  Decimal open_quantity;  // signed sum of open lot quantities
  SymbolBuys* buys = nullptr;  // the symbol's purchases, once looked up
  AccountSettings account;      // the settings of its account
};

struct WashCarry {
  Decimal quantity;    // replacement shares
  Decimal amount;      // disallowed loss added to their basis
  int holding_days;    // holding period of the shares sold, carried over
  std::uint32_t next;  // next carry of the same purchase (kNoPosition: last)
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
    const Decimal cum = done_ == whole_ ? total_ : share_cents(total_, done_, whole_);
    const Decimal out = cum - given_;
    given_ = cum;
    return out;
  }

 private:
  Decimal total_, whole_, done_, given_;
};

inline bool higher_unit_basis(const OpenLot& a, const OpenLot& b) {
  // a.basis / a.qty > b.basis / b.qty, quantities positive.
  return static_cast<Int128>(a.basis.raw()) * b.quantity.raw() >
         static_cast<Int128>(b.basis.raw()) * a.quantity.raw();
}

}  // namespace keel::ledger::detail
