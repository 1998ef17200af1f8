// What a broker's statement adds to an import beyond its rows (src/service/ledger_internal.h):
// the statement's currency, and the opening positions its position list implies.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "keel/ledger/decimal.h"
#include "ledger_internal.h"

namespace keel::service::ledger_detail {

using ledger::Decimal;
using ledger::Transaction;
using ledger::TxType;

void apply_statement_currency(const io::Statement& st, const std::string& account,
                              const std::string& account_currency, bool new_account, std::vector<Transaction>& rows,
                              std::vector<std::string>& warnings) {
  if (st.currency.empty()) return;
  if (new_account) {
    if (st.currency == "USD") return;  // the default of a new account
    warnings.push_back(fmt::format("account '{}' is created in {}, the statement's currency (CURDEF)", account,
                                   st.currency));
    return;
  }
  if (st.currency == account_currency) return;
  std::size_t moved = 0;
  for (auto& t : rows) {
    if (!t.currency.empty()) continue;
    t.currency = st.currency;
    ++moved;
  }
  if (moved == 0) return;
  warnings.push_back(fmt::format(
      "the statement is in {} (CURDEF) and account '{}' in {}: its {} row(s) without a currency of their own are "
      "booked in {} and converted at each day's {}/{} rate (keel fetch fx, or keel import fx, stores the rates "
      "its reports need)",
      st.currency, account, account_currency, moved, st.currency, st.currency, account_currency));
}

namespace {

// One symbol's quantity through the account's rows up to the positions' date: what the rows add
// to a holding of 0, and the product of the splits (a holding of x before them ends x * ratio + end).
struct Flow {
  Decimal end;
  std::int64_t ratio_num = 1;  // the splits' new shares
  std::int64_t ratio_den = 1;  // for these old ones
  Decimal lowest;                      // the lowest running quantity from 0
  std::optional<Date> first;           // the first row's date
  std::optional<Decimal> first_price;  // the first price the rows give
  std::size_t first_line = 0;          // the first row's line in its file
};

}  // namespace

std::vector<Transaction> statement_openings(const io::Statement& st, const std::vector<Transaction>& account_rows,
                                            const std::string& account, std::vector<std::string>& warnings) {
  std::vector<Transaction> out;
  if (!st.has_positions) return out;
  std::vector<const Transaction*> ordered;
  for (const auto& t : account_rows) {
    if (t.symbol.empty() || (st.positions_as_of && *st.positions_as_of < t.date)) continue;
    ordered.push_back(&t);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Transaction* a, const Transaction* b) { return a->date < b->date; });
  std::map<std::string, Flow> flows;
  for (const Transaction* t : ordered) {
    Flow& f = flows[t->symbol];
    if (!f.first) {
      f.first = t->date;
      f.first_line = t->line;
    }
    if (!f.first_price && t->price.is_positive()) f.first_price = t->price;
    switch (t->type) {
      case TxType::kBuy:
      case TxType::kTransferIn: f.end += t->quantity; break;
      case TxType::kSell:
      case TxType::kTransferOut: f.end -= t->quantity; break;
      case TxType::kSplit:
        if (t->split_ratio) {
          f.end = ledger::mul_div(f.end, Decimal::from_int(t->split_ratio->numerator),
                                  Decimal::from_int(t->split_ratio->denominator), Decimal::kScale,
                                  ledger::Rounding::kHalfEven);
          // Whole numbers of a few digits each; a statement with enough splits to overflow gets
          // no opening (the booking then names the sale it cannot make).
          if (__builtin_mul_overflow(f.ratio_num, t->split_ratio->numerator, &f.ratio_num) ||
              __builtin_mul_overflow(f.ratio_den, t->split_ratio->denominator, &f.ratio_den)) {
            f.ratio_num = 0;
          }
        }
        break;
      default: break;
    }
    if (f.end < f.lowest) f.lowest = f.end;
  }
  std::map<std::string, const io::StatementPosition*> reported;
  for (const auto& p : st.positions) reported[p.symbol] = &p;
  // Only a symbol the rows sell before they buy it (a position with no rows needs no opening).
  for (const auto& [sym, f] : flows) {
    if (!f.lowest.is_negative() || f.ratio_num <= 0) continue;
    const auto r = reported.find(sym);
    const Decimal held = r == reported.end() ? Decimal() : r->second->quantity;
    const Decimal num = Decimal::from_int(f.ratio_num);
    const Decimal den = Decimal::from_int(f.ratio_den);
    // x * ratio + end = held, the holding before the statement's first row.
    const Decimal x = ledger::mul_div(held - f.end, den, num, Decimal::kScale, ledger::Rounding::kHalfEven);
    if (!x.is_positive()) continue;
    // The opening must carry the rows' lowest point (a check at the splits' full ratio; the booking
    // that follows names any sale still short).
    if (ledger::mul_div(x, num, den, Decimal::kScale, ledger::Rounding::kHalfEven) + f.lowest < Decimal()) {
      continue;
    }
    Transaction t;
    t.type = TxType::kTransferIn;
    t.account = account;
    t.symbol = sym;
    t.quantity = x;
    // The row that needs it, as the booking's messages name it.
    t.line = f.first_line;
    std::optional<Date> day = f.first;
    if (st.start && (!day || *st.start < *day)) day = st.start;
    if (!day) continue;
    t.date = *day;
    std::optional<Decimal> price = f.first_price;
    if (!price && r != reported.end() && r->second->price) price = r->second->price;
    t.price = price.value_or(Decimal());
    t.note = fmt::format("opening position from the statement's positions: cost unknown, set at {} ({})",
                         t.price.to_string(), price ? "the statement's first price of " + sym : "no price given");
    warnings.push_back(fmt::format(
        "{}: the statement sells {} shares it does not show bought, and reports {} held{}: an opening position of {} "
        "is booked on {} at a cost of {} a share, {}: the gains of its sales are measured from that cost",
        sym, (-f.lowest).to_string(), held.to_string(),
        st.positions_as_of ? " on " + st.positions_as_of->to_string() : std::string(), x.to_string(),
        t.date.to_string(), t.price.to_string(),
        price ? "the statement's first price of it" : "no price being given"));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace keel::service::ledger_detail
