// Private to keel/ledger: one booking split by symbol. Symbols are independent of each other in
// booking: lots are per (account, symbol), wash-sale replacements are purchases of the same symbol
// (in any account), transfers pair rows of the same symbol and splits apply to one symbol. So
// book() (booking_merge.cpp) replays each partition of the symbols on its own (booking.cpp),
// sums cash and income beside, and merges the partitions in the order one replay would make.
#pragma once

#include <cstdint>
#include <exception>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "keel/core/diagnostics.h"
#include "keel/ledger/booking.h"

namespace keel::ledger::detail {

// Per transaction, shared by the partitions of one booking: each partition writes only the entries
// of its own transactions.
struct TxScratch {
  std::vector<std::uint32_t> buy_slot;   // per BUY transaction: its index in its SymbolBuys
  std::vector<std::uint32_t> paired_in;  // TRANSFER_OUT -> its TRANSFER_IN, or kNone
  std::vector<std::uint8_t> is_paired_in;
};

// What one partition booked: the lots, sales and messages of its symbols, each numbered locally and
// tagged with the processing step that made it, for book() to merge in step order.
struct Partial {
  BookResult out;                               // positions, lot ids/origins (and realized rows on one partition)
  std::vector<std::uint32_t> position_step;     // per local position: the step that created it
  std::vector<std::uint32_t> lot_step;          // per local lot id
  std::vector<Lot> open_lots;                   // by local position, then purchase order
  std::vector<std::size_t> lots_begin;          // per local position (+ sentinel): its open lots
  std::vector<std::pair<std::uint32_t, std::string>> warnings;
  std::vector<std::pair<std::uint32_t, Diagnostic>> errors;  // at most Diagnostics::kMaxRecorded
  std::size_t error_count = 0;
  std::exception_ptr failure;                   // an exception thrown at step failure_step
  std::uint32_t failure_step = 0;
};

// The replay of the steps `steps` (indexes into `order`, ascending) of one partition's transactions;
// `order` is the processing order (transaction indexes, dates ascending, file order within a day).
// An exception is kept in the result with its step, not thrown.
Partial book_partition(std::span<const Transaction> txs, std::span<const std::uint32_t> order,
                       std::span<const std::uint32_t> steps, const BookOptions& options, TxScratch& scratch);

}  // namespace keel::ledger::detail
