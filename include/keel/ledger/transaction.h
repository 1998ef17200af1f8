// keel/ledger/transaction.h: the personal ledger's input, one broker transaction per row.
//
// A Transaction is what a broker statement line says, normalised: the type gives the direction
// and every magnitude is non-negative (quantity, price, fees, amount). Amounts are exact
// Decimals (keel/ledger/decimal.h). The file format (columns of docs/formats.md) is read by
// keel/io/transaction_reader.h; this header is the plain struct the engines compute on.
//
// Thread-safety: plain data; the functions are pure.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/ledger/decimal.h"

namespace keel::ledger {

enum class TxType {
  kBuy,          // acquire `quantity` of `symbol` at `price`; fees add to basis
  kSell,         // dispose of `quantity`; fees reduce proceeds
  kDividend,     // income `amount` (or quantity x price per share); reinvestment is a following BUY
  kSplit,        // `split_ratio` new:old shares for every open lot of (account, symbol)
  kFee,          // cash charge `amount` (account fee; not part of any lot)
  kInterest,     // income `amount`
  kDeposit,      // external cash in `amount`
  kWithdrawal,   // external cash out `amount`
  kTransferIn,   // shares (symbol set) or cash (no symbol) arriving from another account
  kTransferOut,  // shares or cash leaving for another account
  // Income tax withheld at source on a payment, cash out `amount` (a foreign dividend's
  // withholding, backup withholding on interest): the statement's separate tax line, booked
  // against the income of the same account, symbol and date (keel/ledger/income.h).
  kWithholding,
  // Income `amount` (or quantity x price per share) from a fund: capital gain and other
  // distributions that are not ordinary dividends; a reinvestment is a following BUY.
  kDistribution,
};

// "BUY", "SELL", ... as in docs/formats.md.
std::string_view tx_type_name(TxType type);
// Every type name for a message, "BUY, SELL, DIVIDEND, ..., TRANSFER_IN or TRANSFER_OUT"; `also`
// are more words at the end ("..., TRANSFER_OUT, IGNORE or BY_SIGN").
std::string tx_type_choices(std::initializer_list<std::string_view> also = {});
// Case-insensitive; also accepts "TRANSFER-IN"/"TRANSFERIN" spellings, and "WITHHOLDING_TAX" for
// WITHHOLDING. nullopt when unknown.
std::optional<TxType> parse_tx_type(std::string_view text);

// How a sale picks the lots it closes (IRS Publication 550, "Identifying the stock sold":
// without adequate identification shares sold are the first acquired, i.e. FIFO).
enum class LotMethod {
  kFifo,      // first in, first out (the IRS default)
  kLifo,      // last in, first out
  kHifo,      // highest per-share basis first (ties: earliest)
  kAverage,   // average basis of all open shares (mutual-fund method); dates consumed FIFO
  kSpecific,  // the lots named by lot_id on the sell row
};

std::string_view lot_method_name(LotMethod method);  // "fifo", "lifo", ...
std::optional<LotMethod> parse_lot_method(std::string_view text);

// A stock split new:old, e.g. 3:2 (3 new shares for every 2) or 1:10 (reverse split).
struct SplitRatio {
  std::int64_t numerator = 1;    // new shares
  std::int64_t denominator = 1;  // old shares
};
// Parses "3:2", "3/2", "1:10" or a single number "2" (= 2:1). nullopt for malformed text or any
// part that is zero or negative.
std::optional<SplitRatio> parse_split_ratio(std::string_view text);

// The name of the file (or "store") a row was read from, for messages. Every row of one file holds
// the same name: copying a SourceName shares it (one string per file, not one per row). It reads as
// the const std::string& it holds.
class SourceName {
 public:
  SourceName() = default;
  SourceName(std::string name) : name_(std::make_shared<const std::string>(std::move(name))) {}  // NOLINT
  SourceName(const char* name) : SourceName(std::string(name)) {}  // NOLINT

  const std::string& str() const { return name_ ? *name_ : empty_name(); }
  operator const std::string&() const { return str(); }  // NOLINT
  bool empty() const { return str().empty(); }
  friend bool operator==(const SourceName& a, std::string_view b) { return a.str() == b; }

 private:
  static const std::string& empty_name();
  std::shared_ptr<const std::string> name_;
};

struct Transaction {
  Date date;
  TxType type = TxType::kBuy;
  std::string account;            // may be empty for a single-account file
  std::string symbol;             // empty for cash-only rows (deposit, interest, fee)
  Decimal quantity;               // shares, >= 0
  Decimal price;                  // per share, >= 0
  Decimal fees;                   // >= 0: commission and fees
  std::optional<Decimal> amount;  // net cash of the row, >= 0, when the statement gives it
  std::string lot_id;             // BUY: names the new lot; SELL: lot(s) to close, ';'-separated
  std::optional<SplitRatio> split_ratio;
  std::string currency;           // ISO code of price, fees and amount; empty = the account's
  // Units of the account's currency per unit of `currency` (docs/fx.md, keel/ledger/currency.h):
  // the rate the broker converted at. Absent: the day's rate from the FX rates.
  std::optional<Decimal> fx_rate;
  std::string note;
  std::optional<LotMethod> method;  // per-sale override of the account's method
  std::size_t line = 0;             // source line (1-based) for error messages; 0 when unknown
  SourceName source;                // source file name, for error messages
  // The statement's own id of the row (OFX FITID, IBKR transactionID, a broker CSV row's hash),
  // prefixed by its format ("ofx:", "ibkr:", "csv:"); empty when the source gives none. An
  // account holds each id once: a re-imported statement's rows are recognised by it.
  std::string external_id;
};

// Net cash effect of a row on its account, signed (+ in, - out), in currency units, exact to the
// cent where a broker rounds: BUY -(amount or gross + fees), SELL +(amount or gross - fees),
// DIVIDEND/DISTRIBUTION/INTEREST/DEPOSIT/cash TRANSFER_IN +amount, FEE -(amount or fees),
// WITHDRAWAL/WITHHOLDING/cash TRANSFER_OUT -amount,
// SPLIT and share transfers 0. `gross` is trade_amount(quantity, price).
Decimal cash_effect(const Transaction& tx);

// Income amount of a DIVIDEND, DISTRIBUTION or INTEREST row: `amount`, else quantity x price to the cent.
Decimal income_amount(const Transaction& tx);

// Sorts `rows` (indexes into `txs`) by date, stably: the rows of one date keep their order. Rows
// already in date order are left as they are; a stored ledger's rows (account by account) are put
// in order by a counting sort on the day, a stable sort when the dates span many more days than
// there are rows. Index: std::uint32_t or std::size_t.
template <class Index>
void sort_by_date(std::span<const Transaction> txs, std::vector<Index>& rows);

}  // namespace keel::ledger
