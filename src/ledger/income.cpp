#include "keel/ledger/income.h"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <utility>

#include "keel/ledger/performance.h"
#include "names_hash.h"

namespace keel::ledger {
namespace {

using HoldingKey = std::pair<std::string, std::string>;  // account, symbol

// Payments of one (date, account, symbol, kind) are one row of the report.
using PaymentKey = std::tuple<Date, std::string, std::string, IncomeKind>;

std::optional<IncomeKind> kind_of(TxType t) {
  switch (t) {
    case TxType::kDividend: return IncomeKind::kDividend;
    case TxType::kInterest: return IncomeKind::kInterest;
    case TxType::kDistribution: return IncomeKind::kDistribution;
    default: return std::nullopt;
  }
}

// Shares a row adds to its (account, symbol) position; splits are applied separately.
Decimal share_delta(const Transaction& t) {
  switch (t.type) {
    case TxType::kBuy: return t.quantity;
    case TxType::kSell: return -t.quantity;
    case TxType::kTransferIn: return t.symbol.empty() ? Decimal() : t.quantity;
    case TxType::kTransferOut: return t.symbol.empty() ? Decimal() : -t.quantity;
    default: return Decimal();
  }
}

// True when the report covers `account`.
bool selects(const IncomeOptions& options, const std::string& account) {
  return !options.accounts || options.accounts->count(account) > 0;
}

// Cash a BUY cost: what a reinvestment takes from the payment.
Decimal buy_cost(const Transaction& t) { return -cash_effect(t); }

}  // namespace

// Named rather than anonymous: IncomeHistory::State, declared in the header, holds these (GCC's
// -Wsubobject-linkage, which a unity build's batch raises).
namespace income_detail {

// What one holding paid on one date (every kind together) and the shares it was paid on.
struct PaidDate {
  Date date;
  Decimal gross;
  Decimal withholding;
  Decimal shares;  // shares(paid); not positive: unknown
};

}  // namespace income_detail

using income_detail::PaidDate;

struct IncomeHistory::State {
  IncomeOptions options;
  IncomeResult partial;  // the payments, their totals, groups and trailing twelve months
  std::map<HoldingKey, std::vector<PaidDate>> paid;  // per paying holding, by date
  std::map<HoldingKey, IncomeTotals> trailing;        // per holding, payments in (as_of - 1 year, as_of]
};

IncomeHistory::IncomeHistory(IncomeHistory&&) noexcept = default;
IncomeHistory& IncomeHistory::operator=(IncomeHistory&&) noexcept = default;
IncomeHistory::~IncomeHistory() = default;
Date IncomeHistory::as_of() const { return state_->options.as_of; }

std::string_view income_kind_name(IncomeKind kind) {
  switch (kind) {
    case IncomeKind::kDividend: return "dividend";
    case IncomeKind::kInterest: return "interest";
    case IncomeKind::kDistribution: return "distribution";
  }
  return "dividend";
}

std::string_view pay_frequency_name(PayFrequency f) {
  switch (f) {
    case PayFrequency::kMonthly: return "monthly";
    case PayFrequency::kQuarterly: return "quarterly";
    case PayFrequency::kSemiAnnual: return "semi-annual";
    case PayFrequency::kAnnual: return "annual";
    case PayFrequency::kIrregular: return "irregular";
    case PayFrequency::kNone: return "none";
  }
  return "none";
}

int payments_per_year(PayFrequency f) {
  switch (f) {
    case PayFrequency::kMonthly: return 12;
    case PayFrequency::kQuarterly: return 4;
    case PayFrequency::kSemiAnnual: return 2;
    case PayFrequency::kAnnual: return 1;
    case PayFrequency::kIrregular:
    case PayFrequency::kNone: return 0;
  }
  return 0;
}

PayFrequency infer_frequency(std::span<const Date> dates) {
  if (dates.empty()) return PayFrequency::kNone;
  if (dates.size() == 1) return PayFrequency::kIrregular;
  // The last six dates: recent enough to follow a change of schedule, enough gaps for the median
  // to ignore one special payment between two regular ones.
  const std::size_t first = dates.size() > 6 ? dates.size() - 6 : 0;
  std::vector<int> gaps;
  for (std::size_t i = first + 1; i < dates.size(); ++i) gaps.push_back(dates[i] - dates[i - 1]);
  std::sort(gaps.begin(), gaps.end());
  const std::size_t n = gaps.size();
  // Twice the median, to stay in integers: the middle gap doubled, or the two middle ones summed.
  const int twice = n % 2 == 1 ? 2 * gaps[n / 2] : gaps[n / 2 - 1] + gaps[n / 2];
  if (twice >= 40 && twice <= 90) return PayFrequency::kMonthly;
  if (twice >= 140 && twice <= 220) return PayFrequency::kQuarterly;
  if (twice >= 300 && twice <= 430) return PayFrequency::kSemiAnnual;
  if (twice >= 640 && twice <= 820) return PayFrequency::kAnnual;
  return PayFrequency::kIrregular;
}

void IncomeTotals::add(const IncomePayment& p) {
  gross += p.gross;
  withholding += p.withholding;
  net += p.net;
  switch (p.kind) {
    case IncomeKind::kDividend: dividends += p.gross; break;
    case IncomeKind::kInterest: interest += p.gross; break;
    case IncomeKind::kDistribution: distributions += p.gross; break;
  }
  reinvested += p.reinvested;
  ++payments;
}

std::vector<IncomeGroup> group_payments(std::span<const IncomePayment> payments, IncomeGrouping by) {
  std::map<std::string, IncomeTotals> groups;
  for (const IncomePayment& p : payments) {
    std::string g;
    switch (by) {
      case IncomeGrouping::kMonth: g = period_key(p.date, 'm'); break;
      case IncomeGrouping::kQuarter: g = period_key(p.date, 'q'); break;
      case IncomeGrouping::kYear: g = period_key(p.date, 'y'); break;
      case IncomeGrouping::kSymbol: g = p.symbol; break;
    }
    groups[g].add(p);
  }
  std::vector<IncomeGroup> out;
  for (auto& [k, t] : groups) out.push_back({k, t});
  return out;
}

IncomeHistory::IncomeHistory(std::span<const Transaction> txs, const IncomeOptions& options)
    : state_(std::make_unique<State>()) {
  State& st = *state_;
  st.options = options;
  const Date as_of = options.as_of;
  const auto selected = [&](const std::string& account) { return selects(options, account); };

  // The rows each step below reads, gathered in one pass: the rows of the selection up to as_of in
  // date order (file order within a day), so that a million-row ledger's rows are read once here,
  // not once per step. Each (account, symbol) a trade names is numbered here, with one lookup per
  // row; the steps below key by the number. A file in date order (the usual one) is gathered as
  // it lies; otherwise the rows are put in date order first and gathered again.
  std::vector<std::uint32_t> income_rows, withholding_rows, buy_rows, trade_rows;
  std::vector<std::uint32_t> buy_holding, trade_holding;  // the number of each buy's and trade's holding
  detail::NameIds holding_ids;
  const auto gather = [&](std::uint32_t i) {
    const Transaction& t = txs[i];
    if (kind_of(t.type)) income_rows.push_back(i);
    else if (t.type == TxType::kWithholding) withholding_rows.push_back(i);
    if (t.symbol.empty()) return;
    const bool buy = t.type == TxType::kBuy;
    const bool trade = t.type == TxType::kSplit || !share_delta(t).is_zero();
    if (!buy && !trade) return;
    const std::uint32_t h = holding_ids.intern(t.account, t.symbol).first;
    if (buy) {
      buy_rows.push_back(i);
      buy_holding.push_back(h);
    }
    if (trade) {
      trade_rows.push_back(i);
      trade_holding.push_back(h);
    }
  };
  const auto in_selection = [&](const Transaction& t) { return t.date <= as_of && selected(t.account); };
  bool in_order = true;
  std::optional<Date> last;
  for (std::uint32_t i = 0; i < txs.size() && in_order; ++i) {
    if (!in_selection(txs[i])) continue;
    in_order = !last || !(txs[i].date < *last);
    last = txs[i].date;
    if (in_order) gather(i);
  }
  if (!in_order) {
    for (auto* rows : {&income_rows, &withholding_rows, &buy_rows, &trade_rows, &buy_holding, &trade_holding}) {
      rows->clear();
    }
    holding_ids = detail::NameIds();
    std::vector<std::uint32_t> order;
    for (std::uint32_t i = 0; i < txs.size(); ++i) {
      if (in_selection(txs[i])) order.push_back(i);
    }
    sort_by_date(txs, order);
    for (const std::uint32_t i : order) gather(i);
  }
  constexpr std::uint32_t kNoHolding = detail::NameIds::kNone;
  const auto holding_id = [&](const std::string& account, const std::string& symbol) {
    return holding_ids.find(account, symbol);
  };

  // 1. Payments: income rows, then the tax withheld on them.
  std::map<PaymentKey, IncomePayment> payments;
  std::map<PaymentKey, Decimal> row_shares;  // the income row's own quantity, when it gives one
  for (std::uint32_t i : income_rows) {
    const Transaction& t = txs[i];
    const auto kind = kind_of(t.type);
    const PaymentKey key{t.date, t.account, t.symbol, *kind};
    IncomePayment& p = payments[key];
    p.date = t.date;
    p.account = t.account;
    p.symbol = t.symbol;
    p.kind = *kind;
    p.gross += income_amount(t);
    if (t.quantity.is_positive()) row_shares[key] += t.quantity;
  }
  for (std::uint32_t i : withholding_rows) {
    const Transaction& t = txs[i];
    // The tax belongs to the payment of the same account, symbol and date: a dividend first, then
    // a distribution, then interest; a withholding with no such payment stands alone.
    IncomePayment* target = nullptr;
    for (IncomeKind k : {IncomeKind::kDividend, IncomeKind::kDistribution, IncomeKind::kInterest}) {
      auto it = payments.find(PaymentKey{t.date, t.account, t.symbol, k});
      if (it != payments.end()) {
        target = &it->second;
        break;
      }
    }
    if (target == nullptr) {
      const IncomeKind k = t.symbol.empty() ? IncomeKind::kInterest : IncomeKind::kDividend;
      IncomePayment& p = payments[PaymentKey{t.date, t.account, t.symbol, k}];
      p.date = t.date;
      p.account = t.account;
      p.symbol = t.symbol;
      p.kind = k;
      target = &p;
    }
    target->withholding += t.amount.value_or(Decimal());
  }
  for (auto& [key, p] : payments) p.net = p.gross - p.withholding;

  // 2. Reinvestments: a same-day BUY of the symbol costing the payment's net (or gross). Each BUY
  // reinvests one payment: the payments in their order take the first buy left that matches. The
  // payments (keyed by date first) and the buys (in date order) are walked together, day by day;
  // a day's buys are looked up by holding in a list sorted by (holding, row order).
  {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> day_buys;  // (holding, index into buy_rows)
    std::vector<std::uint8_t> used;                                 // per entry of day_buys
    std::size_t next_buy = 0;
    for (auto day = payments.begin(); day != payments.end();) {
      const Date date = std::get<0>(day->first);
      auto day_end = day;
      while (day_end != payments.end() && std::get<0>(day_end->first) == date) ++day_end;
      while (next_buy < buy_rows.size() && txs[buy_rows[next_buy]].date < date) ++next_buy;
      day_buys.clear();
      for (; next_buy < buy_rows.size() && txs[buy_rows[next_buy]].date == date; ++next_buy) {
        day_buys.emplace_back(buy_holding[next_buy], static_cast<std::uint32_t>(next_buy));
      }
      std::sort(day_buys.begin(), day_buys.end());
      used.assign(day_buys.size(), 0);
      for (; day != day_end; ++day) {
        IncomePayment& p = day->second;
        if (day_buys.empty() || p.symbol.empty() || !p.gross.is_positive()) continue;
        const std::uint32_t h = holding_id(p.account, p.symbol);
        if (h == kNoHolding) continue;
        auto c = std::lower_bound(day_buys.begin(), day_buys.end(), std::make_pair(h, std::uint32_t{0}));
        for (; c != day_buys.end() && c->first == h; ++c) {
          const auto k = static_cast<std::size_t>(c - day_buys.begin());
          if (used[k]) continue;
          const Transaction& buy = txs[buy_rows[c->second]];
          const Decimal cost = buy_cost(buy);
          if (cost == p.net || cost == p.gross) {
            p.reinvested = cost;
            p.reinvested_shares = buy.quantity;
            used[k] = 1;
            break;
          }
        }
      }
    }
  }

  IncomeResult& out = st.partial;
  out.as_of = as_of;
  const Date year_ago = as_of.add_years(-1);
  if (!payments.empty()) out.from = options.from.value_or(std::get<0>(payments.begin()->first));

  // 3. The report: payments in [from, as_of], grouped; the trailing twelve months.
  for (const auto& [key, p] : payments) {
    if (p.date > year_ago) out.trailing_12m.add(p);
    if (!out.from || p.date < *out.from) continue;
    out.payments.push_back(p);
    out.totals.add(p);
  }
  out.groups = group_payments(out.payments, options.by);

  auto& paid = st.paid;
  for (const auto& [key, p] : payments) {
    // A withholding with no payment of its own (a later adjustment) is not a payment date.
    if (p.symbol.empty() || p.gross.is_zero()) continue;
    auto& dates = paid[{p.account, p.symbol}];
    if (dates.empty() || dates.back().date != p.date) dates.push_back({p.date, {}, {}, {}});
    dates.back().gross += p.gross;
    dates.back().withholding += p.withholding;
    if (auto rs = row_shares.find(key); rs != row_shares.end()) dates.back().shares += rs->second;
  }

  // shares(paid) where the rows give none: replay each paying holding's trades up to the date.
  {
    // The trades of each paying holding (in `paid` order), by the holding's number.
    std::vector<std::uint32_t> paid_index(holding_ids.size(), kNoHolding);
    std::size_t paying = 0;
    for (const auto& entry : paid) {
      if (const std::uint32_t h = holding_id(entry.first.first, entry.first.second); h != kNoHolding) {
        paid_index[h] = static_cast<std::uint32_t>(paying);
      }
      ++paying;
    }
    std::vector<std::vector<std::uint32_t>> trades(paid.size());
    for (std::size_t k = 0; k < trade_rows.size(); ++k) {
      if (const std::uint32_t p = paid_index[trade_holding[k]]; p != kNoHolding) trades[p].push_back(trade_rows[k]);
    }
    std::size_t holding = 0;
    for (auto& entry : paid) {
      std::vector<PaidDate>& dates = entry.second;
      const std::vector<std::uint32_t>& rows = trades[holding++];
      Decimal held;
      std::size_t next = 0;
      for (PaidDate& d : dates) {
        for (; next < rows.size() && txs[rows[next]].date < d.date; ++next) {
          const Transaction& t = txs[rows[next]];
          if (t.type == TxType::kSplit) {
            if (t.split_ratio) {
              held = mul_div(held, Decimal::from_int(t.split_ratio->numerator),
                             Decimal::from_int(t.split_ratio->denominator), Decimal::kScale, Rounding::kHalfEven);
            }
          } else {
            held += share_delta(t);
          }
        }
        if (d.shares.is_zero()) d.shares = held;
      }
    }
  }

  for (const auto& [key, p] : payments) {
    if (p.symbol.empty() || p.date <= year_ago) continue;
    st.trailing[{p.account, p.symbol}].add(p);
  }
}

IncomeResult measure_income(IncomeHistory&& history, const BookResult& book,
                            const std::map<std::string, Quote>& quotes) {
  IncomeHistory::State& st = *history.state_;
  const IncomeOptions& options = st.options;
  const Date as_of = options.as_of;
  const Date year_ago = as_of.add_years(-1);
  const auto selected = [&](const std::string& account) { return selects(options, account); };
  IncomeResult out = std::move(st.partial);
  const auto& paid = st.paid;

  // 4. Holdings: open lots at as_of and every holding that paid.
  std::map<HoldingKey, HoldingIncome> holdings;
  for (const Lot& lot : book.open_lots) {
    const PositionKey& k = book.key(lot);
    if (!selected(k.account)) continue;
    HoldingIncome& h = holdings[{k.account, k.symbol}];
    h.shares += lot.quantity;
    h.basis += lot.basis;
  }
  for (const auto& entry : paid) holdings[entry.first];

  for (auto& [hk, h] : holdings) {
    h.account = hk.first;
    h.symbol = hk.second;
    if (auto q = quotes.find(h.symbol); q != quotes.end()) {
      h.quote = q->second;
      h.market_value = trade_amount(h.shares, q->second.price);
    }
    const auto pd = paid.find(hk);
    if (pd == paid.end()) continue;
    const std::vector<PaidDate>& dates = pd->second;
    std::vector<Date> ds;
    for (const auto& d : dates) ds.push_back(d.date);
    h.payment_count = ds.size();
    h.frequency = infer_frequency(ds);
    const PaidDate& last = dates.back();
    h.last_paid = last.date;
    h.last_gross = last.gross;
    if (last.shares.is_positive()) {
      h.last_per_share = mul_div(last.gross, Decimal::from_int(1), last.shares, Decimal::kScale, Rounding::kHalfUp);
    }
    // The payment `d` scaled to the shares held now.
    // (h.shares by value: clang before 16 cannot capture a structured binding.)
    const auto scaled = [held = h.shares](Decimal amount, const PaidDate& d) {
      return d.shares.is_positive() ? share_cents(amount, held, d.shares) : amount;
    };
    if (!h.shares.is_positive()) continue;
    const int n = payments_per_year(h.frequency);
    if (n > 0) {
      const int step = 12 / n;
      if (last.date.add_months(2 * step) < as_of) continue;  // missed a payment: stopped paying
      const Decimal gross = scaled(last.gross, last);
      const Decimal withheld = scaled(last.withholding, last);
      const Date end = as_of.add_years(1);
      for (int k = 1;; ++k) {
        const Date d = last.date.add_months(k * step);
        if (d > end) break;
        if (d <= as_of) continue;
        if (!h.next_payment) h.next_payment = d;
        h.projected_gross += gross;
        h.projected_withholding += withheld;
        out.calendar.push_back({d, h.account, h.symbol, gross, withheld, gross - withheld});
      }
    } else {
      for (const PaidDate& d : dates) {
        if (d.date <= year_ago) continue;
        h.projected_gross += scaled(d.gross, d);
        h.projected_withholding += scaled(d.withholding, d);
      }
    }
    h.projected_net = h.projected_gross - h.projected_withholding;
  }
  for (auto& [hk, h] : holdings) {
    if (h.basis.is_positive()) h.yield_on_cost = h.projected_gross.to_double() / h.basis.to_double();
    if (h.market_value && h.market_value->is_positive()) {
      h.current_yield = h.projected_gross.to_double() / h.market_value->to_double();
    }
    out.projected_gross += h.projected_gross;
    out.projected_withholding += h.projected_withholding;
    out.projected_net += h.projected_net;
  }
  for (const auto& [hk, totals] : st.trailing) holdings[hk].trailing = totals;
  for (auto& [hk, h] : holdings) out.holdings.push_back(std::move(h));
  std::stable_sort(out.calendar.begin(), out.calendar.end(), [](const ProjectedPayment& a, const ProjectedPayment& b) {
    return std::tie(a.date, a.account, a.symbol) < std::tie(b.date, b.account, b.symbol);
  });
  return out;
}

IncomeResult measure_income(std::span<const Transaction> txs, const BookResult& book,
                            const std::map<std::string, Quote>& quotes, const IncomeOptions& options) {
  return measure_income(IncomeHistory(txs, options), book, quotes);
}

}  // namespace keel::ledger
