// keel/ledger/booking.h: tax lots, cost basis and realized gains from a transaction history.
//
// book() replays transactions in date order (file order within a day) and keeps open tax lots
// per (account, symbol). It implements, with the rules cited in docs/ledger.md:
//  - lot relief by FIFO, LIFO, HIFO, average cost or specific lot, per account and per sale
//    (IRS Publication 550, "Stocks, Stock Rights, and Bonds" / "Identifying the stock sold");
//  - fees added to basis on buys and subtracted from proceeds on sells (Pub. 550, "Basis of
//    Investment Property");
//  - splits: quantity of every open lot times new/old, basis and acquisition date unchanged;
//  - holding period: long term when held more than one year, counting from the day after
//    acquisition (Pub. 550, "Holding Period");
//  - wash sales: a loss on a sale with a purchase of the same symbol within 30 days before or after
//    is disallowed and added to the replacement lot's basis; the replacement's holding period
//    includes that of the shares sold (Pub. 550, "Wash Sales"; 26 U.S.C. 1091);
//  - transfers between accounts (a TRANSFER_OUT paired with a TRANSFER_IN of the same symbol,
//    date and quantity) that move lots with their dates and basis;
//  - shorts, when the account allows them (a sale beyond the long quantity opens a short lot;
//    a later buy covers it; gains on covers are short term).
// Every amount is an exact Decimal; the only roundings are the cent roundings of decimal.h.
//
// Thread-safety: pure function over its arguments.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keel/core/date.h"
#include "keel/ledger/decimal.h"
#include "keel/ledger/transaction.h"

namespace keel::ledger {

struct AccountSettings {
  LotMethod method = LotMethod::kFifo;  // default lot relief of the account's sales
  bool allow_short = false;             // a sale beyond the held quantity opens a short lot
};

struct BookOptions {
  // Accounts not listed in `accounts` use these.
  LotMethod default_method = LotMethod::kFifo;
  bool allow_short = false;
  std::map<std::string, AccountSettings> accounts;
  // Detect wash sales (26 U.S.C. 1091). Replacement purchases are looked for in every account of
  // the booking (the IRS counts all of a taxpayer's accounts, Rev. Rul. 2008-5).
  bool wash_sales = true;
  int wash_window_days = 30;  // days before and after the sale, inclusive
  // False: BookResult::realized and ::disposals stay empty, for reports that need only the open
  // lots, income and cash (lots, holdings, income). A sale's rows are still made, as the
  // wash-sale rule reads them, and dropped once it has: the lots, income and cash are the same.
  bool keep_realized = true;
  // When set: BookResult::realized_in_window sums, per position, the gains (RealizedGain::gain) of
  // the realized rows of the sales and covers dated in (first, second] — what a report of one
  // period needs of them, with or without keep_realized.
  std::optional<std::pair<Date, Date>> realized_window;
};

enum class Term : std::uint8_t { kShort, kLong };
std::string_view term_name(Term t);  // "short" | "long"

// Long term when `sold` is more than one year after `acquired`: the holding period starts the day
// after acquisition and includes the day of sale (IRS Pub. 550, "Holding Period"): bought
// 2023-02-05, sold 2024-02-05 is short; sold 2024-02-06 is long. Acquisitions on 29 February
// reach one year on 28 February of the next year.
Term holding_term(Date acquired, Date sold);

struct PositionKey {
  std::string account;
  std::string symbol;
};

struct Lot {
  std::uint32_t position = 0;  // index into BookResult::positions
  std::string lot_id;          // the BUY row's lot_id, else "T<n>" (n = 1-based input row index)
  Date acquired;               // holding period start (moved earlier when a wash sale carries one)
  Date purchase_date;          // date of the purchase (or of a transfer-in from outside)
  Decimal quantity;            // open shares: > 0 long, < 0 short
  Decimal basis;               // total cost basis, currency units, incl. fees and wash adjustment;
                               // for a short lot: the net proceeds received
  Decimal wash_adjustment;     // disallowed losses added to `basis`
  std::uint32_t buy_tx = 0;    // index of the opening transaction in the input span
};

// One realized row: the part of one lot closed by one disposal. A booking with wash sales can
// produce many millions of rows, so a row holds only what differs from row to row (48 bytes,
// trivially copyable); what is shared by the rows of one disposal (position, date, transaction)
// or of one lot (purchase date, opening transaction, id) is in BookResult's tables, read through
// BookResult::key / sell_date / sell_tx / purchase_date / buy_tx / lot_id.
struct RealizedGain {
  std::uint32_t lot_ref = 0;   // index into BookResult::lot_ids and BookResult::lot_origins
  std::uint32_t disposal = 0;  // index into BookResult::disposals
  Date acquired;               // holding period start of the lot sold
  Term term = Term::kShort;
  bool short_sale = false;     // a cover of a short lot
  Decimal quantity;            // shares closed, > 0
  Decimal proceeds;            // net of fees, this lot's share (cents)
  Decimal cost;                // basis of the shares closed (cents)
  Decimal wash_disallowed;     // loss disallowed by a wash sale (>= 0), added back in gain()
  // proceeds - cost + wash_disallowed (Form 8949 column h), currency units.
  Decimal gain() const { return proceeds - cost + wash_disallowed; }
};

// A transaction that closed lots: a SELL, or a BUY covering short lots.
struct Disposal {
  std::uint32_t position = 0;  // index into BookResult::positions
  std::uint32_t tx = 0;        // index of the closing transaction in the input span
  Date date;                   // sale (or cover) date
};

// The transaction that opened a lot (for every entry of BookResult::lot_ids).
struct LotOrigin {
  std::uint32_t tx = 0;  // index of the opening transaction (BUY, TRANSFER_IN, or SELL for a short)
  Date purchase_date;    // its date
};

struct IncomeEntry {
  Date date;
  TxType type = TxType::kDividend;  // DIVIDEND, DISTRIBUTION, INTEREST; FEE or WITHHOLDING (negative)
  std::string account;
  std::string symbol;
  Decimal amount;
};

struct BookResult {
  std::vector<PositionKey> positions;  // every (account, symbol) seen
  std::vector<Lot> open_lots;          // by position, then purchase order
  std::vector<RealizedGain> realized;  // in order of sale
  std::vector<Disposal> disposals;     // in order of sale; RealizedGain::disposal indexes it
  std::vector<IncomeEntry> income;
  std::map<std::string, Decimal> cash;  // net cash per account (sum of cash_effect)
  std::vector<std::string> warnings;    // e.g. a transfer-in without its transfer-out
  std::vector<std::string> lot_ids;     // the id of every lot opened, for RealizedGain::lot_ref
  std::vector<LotOrigin> lot_origins;   // parallel to lot_ids
  // Per position (parallel to `positions`), with BookOptions::realized_window: the gains realized in
  // the window, currency units; nullopt for a position with no sale or cover in it. Empty without a
  // window.
  std::vector<std::optional<Decimal>> realized_in_window;

  const PositionKey& key(const Lot& l) const { return positions[l.position]; }
  const PositionKey& key(const RealizedGain& g) const { return positions[disposals[g.disposal].position]; }
  std::uint32_t position(const RealizedGain& g) const { return disposals[g.disposal].position; }
  Date sell_date(const RealizedGain& g) const { return disposals[g.disposal].date; }
  // Index of the closing transaction (SELL, or BUY covering a short) in the input span.
  std::uint32_t sell_tx(const RealizedGain& g) const { return disposals[g.disposal].tx; }
  // Date of the purchase (or transfer-in from outside, or short sale) that opened the lot.
  Date purchase_date(const RealizedGain& g) const { return lot_origins[g.lot_ref].purchase_date; }
  // Index of the transaction that opened the lot in the input span.
  std::uint32_t buy_tx(const RealizedGain& g) const { return lot_origins[g.lot_ref].tx; }
  // The BUY row's lot_id of the lot a realized row closed, else "T<n>".
  const std::string& lot_id(const RealizedGain& g) const { return lot_ids[g.lot_ref]; }
};

// Books `txs` (any order; sorted stably by date inside). Throws keel::Error(invalid_input) listing
// every row that cannot be booked, each as "file:line: message": a sale or transfer of more than
// is held (unless shorts are allowed), a specific lot that is not open, a SELL naming no lot under
// the specific method, a split without a ratio.
BookResult book(std::span<const Transaction> txs, const BookOptions& options);

// Whether `problem` (one of book()'s error details) is a sale of more shares than the account held
// in an account that does not allow shorts: what an opening position before the rows would cure.
bool is_sale_beyond_holdings(std::string_view problem);

}  // namespace keel::ledger
