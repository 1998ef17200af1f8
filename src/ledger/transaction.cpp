#include "keel/ledger/transaction.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "keel/core/parse.h"
#include "keel/core/strings.h"

namespace keel::ledger {
namespace {

std::string upper_alnum(std::string_view s) {
  std::string out;
  for (char c : trim(s)) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += keel::to_upper(c);
    }
  }
  return out;
}

}  // namespace

std::string_view tx_type_name(TxType type) {
  switch (type) {
    case TxType::kBuy: return "BUY";
    case TxType::kSell: return "SELL";
    case TxType::kDividend: return "DIVIDEND";
    case TxType::kSplit: return "SPLIT";
    case TxType::kFee: return "FEE";
    case TxType::kInterest: return "INTEREST";
    case TxType::kDeposit: return "DEPOSIT";
    case TxType::kWithdrawal: return "WITHDRAWAL";
    case TxType::kTransferIn: return "TRANSFER_IN";
    case TxType::kTransferOut: return "TRANSFER_OUT";
    case TxType::kWithholding: return "WITHHOLDING";
    case TxType::kDistribution: return "DISTRIBUTION";
  }
  return "BUY";
}

std::optional<TxType> parse_tx_type(std::string_view text) {
  static constexpr TxType kAll[] = {TxType::kBuy,      TxType::kSell,       TxType::kDividend,
                                    TxType::kSplit,    TxType::kFee,        TxType::kInterest,
                                    TxType::kDeposit,  TxType::kWithdrawal, TxType::kTransferIn,
                                    TxType::kTransferOut, TxType::kWithholding, TxType::kDistribution};
  // The names as written (the canonical file's and the store's) first, without building a key.
  for (TxType t : kAll) {
    if (text == tx_type_name(t)) return t;
  }
  const std::string key = upper_alnum(text);
  static const std::vector<std::string> kKeys = [] {
    std::vector<std::string> keys;
    for (TxType t : kAll) keys.push_back(upper_alnum(tx_type_name(t)));
    return keys;
  }();
  for (std::size_t k = 0; k < kKeys.size(); ++k) {
    if (kKeys[k] == key) return kAll[k];
  }
  if (key == "WITHHOLDINGTAX") return TxType::kWithholding;
  return std::nullopt;
}

std::string_view lot_method_name(LotMethod method) {
  switch (method) {
    case LotMethod::kFifo: return "fifo";
    case LotMethod::kLifo: return "lifo";
    case LotMethod::kHifo: return "hifo";
    case LotMethod::kAverage: return "average";
    case LotMethod::kSpecific: return "specific";
  }
  return "fifo";
}

std::optional<LotMethod> parse_lot_method(std::string_view text) {
  const std::string key = upper_alnum(text);
  if (key == "FIFO") return LotMethod::kFifo;
  if (key == "LIFO") return LotMethod::kLifo;
  if (key == "HIFO") return LotMethod::kHifo;
  if (key == "AVERAGE" || key == "AVG" || key == "AVERAGECOST") return LotMethod::kAverage;
  if (key == "SPECIFIC" || key == "SPECID" || key == "SPECIFICLOT") return LotMethod::kSpecific;
  return std::nullopt;
}

std::optional<SplitRatio> parse_split_ratio(std::string_view text) {
  text = trim(text);
  const auto sep = text.find_first_of(":/");
  SplitRatio r;
  if (sep == std::string_view::npos) {
    auto n = parse_int(text);
    if (!n) return std::nullopt;
    r.numerator = *n;
  } else {
    auto n = parse_int(text.substr(0, sep));
    auto d = parse_int(text.substr(sep + 1));
    if (!n || !d) return std::nullopt;
    r.numerator = *n;
    r.denominator = *d;
  }
  if (r.numerator <= 0 || r.denominator <= 0) return std::nullopt;
  return r;
}

Decimal income_amount(const Transaction& tx) {
  if (tx.amount) return *tx.amount;
  return trade_amount(tx.quantity, tx.price);
}

template <class Index>
void sort_by_date(std::span<const Transaction> txs, std::vector<Index>& rows) {
  if (rows.size() < 2) return;
  bool sorted = true;
  std::int32_t first = txs[rows[0]].date.serial(), last = first;
  for (std::size_t k = 1; k < rows.size(); ++k) {
    const std::int32_t d = txs[rows[k]].date.serial();
    sorted = sorted && d >= txs[rows[k - 1]].date.serial();
    first = std::min(first, d);
    last = std::max(last, d);
  }
  if (sorted) return;
  const auto days = static_cast<std::size_t>(static_cast<std::int64_t>(last) - first) + 1;
  if (days > 4 * rows.size() + 4096) {
    std::stable_sort(rows.begin(), rows.end(), [&](Index a, Index b) { return txs[a].date < txs[b].date; });
    return;
  }
  // Counting sort: each day's first slot, then the rows placed in their order.
  std::vector<std::uint32_t> start(days + 1, 0);
  std::vector<std::int32_t> day(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    day[k] = txs[rows[k]].date.serial() - first;
    ++start[static_cast<std::size_t>(day[k]) + 1];
  }
  for (std::size_t d = 1; d <= days; ++d) start[d] += start[d - 1];
  std::vector<Index> out(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) out[start[static_cast<std::size_t>(day[k])]++] = rows[k];
  rows = std::move(out);
}

template void sort_by_date<std::uint32_t>(std::span<const Transaction>, std::vector<std::uint32_t>&);
template void sort_by_date<std::size_t>(std::span<const Transaction>, std::vector<std::size_t>&);

const std::string& SourceName::empty_name() {
  static const std::string kEmpty;
  return kEmpty;
}

std::string tx_type_choices(std::initializer_list<std::string_view> also) {
  // In the order docs/ledger.md lists them.
  constexpr TxType kOrder[] = {TxType::kBuy,        TxType::kSell,       TxType::kDividend,  TxType::kDistribution,
                               TxType::kSplit,      TxType::kFee,        TxType::kInterest,  TxType::kWithholding,
                               TxType::kDeposit,    TxType::kWithdrawal, TxType::kTransferIn, TxType::kTransferOut};
  std::vector<std::string_view> names;
  for (const TxType t : kOrder) names.push_back(tx_type_name(t));
  names.insert(names.end(), also.begin(), also.end());
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

Decimal cash_effect(const Transaction& tx) {
  switch (tx.type) {
    case TxType::kBuy:
      return -(tx.amount ? *tx.amount : trade_amount(tx.quantity, tx.price) + tx.fees);
    case TxType::kSell:
      return tx.amount ? *tx.amount : trade_amount(tx.quantity, tx.price) - tx.fees;
    case TxType::kDividend:
    case TxType::kDistribution:
    case TxType::kInterest:
      return income_amount(tx);
    case TxType::kWithholding:
      return -tx.amount.value_or(Decimal());
    case TxType::kDeposit:
      return tx.amount.value_or(Decimal());
    case TxType::kFee:
      return -(tx.amount ? *tx.amount : tx.fees);
    case TxType::kWithdrawal:
      return -tx.amount.value_or(Decimal());
    case TxType::kTransferIn:
      return tx.symbol.empty() ? tx.amount.value_or(Decimal()) : Decimal();
    case TxType::kTransferOut:
      return tx.symbol.empty() ? -tx.amount.value_or(Decimal()) : Decimal();
    case TxType::kSplit:
      return Decimal();
  }
  return Decimal();
}

}  // namespace keel::ledger
