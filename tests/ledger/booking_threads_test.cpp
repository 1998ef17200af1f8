// book() splits the symbols into partitions booked on the thread pool and merges them (when the
// realized rows are not kept; with them it books in one partition): its result must be the one
// of a single replay in date order, for any number of threads. Each case books the same history on
// one thread (one partition: the replay itself) and on two and four (several partitions) and
// compares every table of the result field by field, or the error's message and every detail line.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keel/core/error.h"
#include "keel/core/rng.h"
#include "keel/ledger/booking.h"
#include "ledger_test_util.h"

namespace keel::ledger {
namespace {

using namespace testing;

// A history touching every rule that couples rows: three accounts trading the same symbols (wash
// sales across accounts), paired and unpaired share transfers, splits, shorts, specific lots,
// per-sale methods, income and withholding, same-day rows, and days out of order.
std::vector<Transaction> mixed_history(std::size_t days, std::size_t symbols, std::uint64_t seed) {
  PhiloxStream rng(seed, 0);
  const std::vector<std::string> accounts = {"taxable", "ira", "margin"};
  std::vector<std::string> names;
  std::vector<std::int64_t> cents;
  for (std::size_t s = 0; s < symbols; ++s) {
    names.push_back("Q" + std::to_string(s));
    cents.push_back(2000 + static_cast<std::int64_t>(rng.uniform() * 8000));
  }
  // Shares held per account and symbol, to keep sales within the holdings (except the margin
  // account, which may go short).
  std::vector<std::vector<std::int64_t>> held(accounts.size(), std::vector<std::int64_t>(symbols, 0));
  auto price = [&](std::size_t s) {
    return Decimal::from_raw(cents[s] * 1'000'000);  // cents to the 10^-8 raw unit
  };
  std::vector<std::vector<Transaction>> by_day;
  Date d = Date::from_ymd(2019, 1, 2);
  std::size_t lot_no = 0;
  for (std::size_t day_index = 0; day_index < days; ++day_index) {
    std::vector<Transaction> today;
    for (auto& c : cents) c = std::max<std::int64_t>(100, c + static_cast<std::int64_t>((rng.uniform() - 0.52) * 300));
    for (int row = 0; row < 12; ++row) {
      const auto s = static_cast<std::size_t>(rng.uniform() * static_cast<double>(symbols)) % symbols;
      const auto a = static_cast<std::size_t>(rng.uniform() * 3.0) % 3;
      const double u = rng.uniform();
      Transaction t;
      t.date = d;
      t.account = accounts[a];
      t.symbol = names[s];
      t.line = by_day.size() * 100 + static_cast<std::size_t>(row) + 2;
      t.source = "mixed.csv";
      if (held[a][s] > 0 && u < 0.45) {
        const std::int64_t q = 1 + static_cast<std::int64_t>(rng.uniform() * static_cast<double>(held[a][s]));
        t.type = TxType::kSell;
        t.quantity = Decimal::from_int(q);
        t.price = price(s);
        t.fees = D("0.35");
        if (a == 1 && rng.uniform() < 0.3) t.method = LotMethod::kHifo;
        held[a][s] -= q;
      } else if (a == 2 && held[a][s] <= 0 && u < 0.55) {
        const std::int64_t q = 1 + static_cast<std::int64_t>(rng.uniform() * 20);  // short sale
        t.type = TxType::kSell;
        t.quantity = Decimal::from_int(q);
        t.price = price(s);
        held[a][s] -= q;
      } else if (u < 0.9) {
        const std::int64_t q = 1 + static_cast<std::int64_t>(rng.uniform() * 50);
        t.type = TxType::kBuy;
        t.quantity = Decimal::from_int(q) + D("0.125");
        t.price = price(s);
        t.fees = D("1");
        if (a == 0 && rng.uniform() < 0.2) t.lot_id = "L" + std::to_string(++lot_no);
        held[a][s] += q;  // the fraction stays unsold
      } else if (u < 0.95 && held[a][s] > 2) {
        // A share transfer to the next account, paired, or (one in four) without its other half.
        const std::int64_t q = held[a][s] / 2;
        t.type = TxType::kTransferOut;
        t.quantity = Decimal::from_int(q);
        held[a][s] -= q;
        const std::size_t to = (a + 1) % 3;
        if (rng.uniform() < 0.75) {
          Transaction in = t;
          in.type = TxType::kTransferIn;
          in.account = accounts[to];
          today.push_back(in);
          held[to][s] += q;
        }
      } else if (u < 0.97) {
        t.type = TxType::kDividend;
        t.amount = D("12.34");
        today.push_back(t);
        t.type = TxType::kWithholding;
        t.amount = D("1.85");
      } else if (u < 0.98) {
        t.type = TxType::kSplit;
        t.split_ratio = SplitRatio{3, 2};
        // The account's lots of the symbol; the count kept here rounds down, so sales stay covered.
        if (held[a][s] > 0) held[a][s] = held[a][s] * 3 / 2;
      } else {
        t.type = TxType::kDeposit;
        t.symbol.clear();
        t.amount = D("500");
      }
      today.push_back(t);
    }
    by_day.push_back(std::move(today));
    d = d.add_days(1);
    while (d.is_weekend()) d = d.add_days(1);
  }
  // Days out of order (rows of one day stay in file order): book() sorts stably by date.
  for (std::size_t k = 0; k + 7 < by_day.size(); k += 11) std::swap(by_day[k], by_day[k + 7]);
  std::vector<Transaction> out;
  for (auto& day_rows : by_day) {
    for (auto& t : day_rows) out.push_back(std::move(t));
  }
  return out;
}

BookResult book_on(int threads, const std::vector<Transaction>& txs, const BookOptions& options) {
  BookResult r;
  tbb::task_arena(threads).execute([&] { r = book(txs, options); });
  return r;
}

void expect_same(const BookResult& one, const BookResult& many) {
  ASSERT_EQ(one.positions.size(), many.positions.size());
  for (std::size_t k = 0; k < one.positions.size(); ++k) {
    EXPECT_EQ(one.positions[k].account, many.positions[k].account) << k;
    EXPECT_EQ(one.positions[k].symbol, many.positions[k].symbol) << k;
  }
  ASSERT_EQ(one.open_lots.size(), many.open_lots.size());
  for (std::size_t k = 0; k < one.open_lots.size(); ++k) {
    const Lot& a = one.open_lots[k];
    const Lot& b = many.open_lots[k];
    EXPECT_EQ(a.position, b.position) << k;
    EXPECT_EQ(a.lot_id, b.lot_id) << k;
    EXPECT_EQ(a.acquired, b.acquired) << k;
    EXPECT_EQ(a.purchase_date, b.purchase_date) << k;
    EXPECT_EQ(a.quantity, b.quantity) << k;
    EXPECT_EQ(a.basis, b.basis) << k;
    EXPECT_EQ(a.wash_adjustment, b.wash_adjustment) << k;
    EXPECT_EQ(a.buy_tx, b.buy_tx) << k;
  }
  ASSERT_EQ(one.realized.size(), many.realized.size());
  for (std::size_t k = 0; k < one.realized.size(); ++k) {
    const RealizedGain& a = one.realized[k];
    const RealizedGain& b = many.realized[k];
    EXPECT_EQ(a.lot_ref, b.lot_ref) << k;
    EXPECT_EQ(a.disposal, b.disposal) << k;
    EXPECT_EQ(a.acquired, b.acquired) << k;
    EXPECT_EQ(a.term, b.term) << k;
    EXPECT_EQ(a.short_sale, b.short_sale) << k;
    EXPECT_EQ(a.quantity, b.quantity) << k;
    EXPECT_EQ(a.proceeds, b.proceeds) << k;
    EXPECT_EQ(a.cost, b.cost) << k;
    EXPECT_EQ(a.wash_disallowed, b.wash_disallowed) << k;
  }
  ASSERT_EQ(one.disposals.size(), many.disposals.size());
  for (std::size_t k = 0; k < one.disposals.size(); ++k) {
    EXPECT_EQ(one.disposals[k].position, many.disposals[k].position) << k;
    EXPECT_EQ(one.disposals[k].tx, many.disposals[k].tx) << k;
    EXPECT_EQ(one.disposals[k].date, many.disposals[k].date) << k;
  }
  EXPECT_EQ(one.lot_ids, many.lot_ids);
  ASSERT_EQ(one.lot_origins.size(), many.lot_origins.size());
  for (std::size_t k = 0; k < one.lot_origins.size(); ++k) {
    EXPECT_EQ(one.lot_origins[k].tx, many.lot_origins[k].tx) << k;
    EXPECT_EQ(one.lot_origins[k].purchase_date, many.lot_origins[k].purchase_date) << k;
  }
  ASSERT_EQ(one.income.size(), many.income.size());
  for (std::size_t k = 0; k < one.income.size(); ++k) {
    EXPECT_EQ(one.income[k].date, many.income[k].date) << k;
    EXPECT_EQ(one.income[k].type, many.income[k].type) << k;
    EXPECT_EQ(one.income[k].account, many.income[k].account) << k;
    EXPECT_EQ(one.income[k].symbol, many.income[k].symbol) << k;
    EXPECT_EQ(one.income[k].amount, many.income[k].amount) << k;
  }
  EXPECT_EQ(one.cash, many.cash);
  EXPECT_EQ(one.warnings, many.warnings);
  EXPECT_EQ(one.realized_in_window, many.realized_in_window);
}

BookOptions options_with(bool wash_sales, bool keep_realized) {
  BookOptions o;
  o.wash_sales = wash_sales;
  o.keep_realized = keep_realized;
  o.accounts["ira"] = {LotMethod::kLifo, false};
  o.accounts["margin"] = {LotMethod::kFifo, true};
  return o;
}

TEST(BookingThreads, SameResultOnOneTwoAndFourThreads) {
  const auto txs = mixed_history(400, 30, 11);
  for (const bool wash : {true, false}) {
    for (const bool keep : {true, false}) {
      SCOPED_TRACE(::testing::Message() << "wash_sales " << wash << ", keep_realized " << keep);
      const BookOptions o = options_with(wash, keep);
      const BookResult one = book_on(1, txs, o);
      // The history exercises what it is meant to: wash sales, transfers, shorts, income.
      EXPECT_GT(one.positions.size(), 60u);
      EXPECT_GT(one.open_lots.size(), 100u);
      EXPECT_FALSE(one.warnings.empty());
      EXPECT_FALSE(one.income.empty());
      if (keep) {
        EXPECT_GT(one.realized.size(), 500u);
        EXPECT_TRUE(std::any_of(one.realized.begin(), one.realized.end(), [](const RealizedGain& g) { return g.short_sale; }));
        if (wash) {
          EXPECT_TRUE(std::any_of(one.realized.begin(), one.realized.end(),
                                  [](const RealizedGain& g) { return g.wash_disallowed.is_positive(); }));
        }
      }
      for (const int threads : {2, 4}) {
        SCOPED_TRACE(::testing::Message() << threads << " threads");
        expect_same(one, book_on(threads, txs, o));
      }
    }
  }
}

TEST(BookingThreads, WindowSumsAreTheRealizedRowsOfThePeriodOnAnyNumberOfThreads) {
  // The per-position sums of a window equal the realized rows' gains summed by hand from a booking
  // that keeps the rows (wash sales and shorts included), whether the rows are kept or not and on
  // one, two or four threads.
  const auto txs = mixed_history(400, 30, 11);
  for (const auto& [from, to] : {std::pair{"2020-01-01", "2020-06-30"}, std::pair{"2019-12-31", "2030-01-01"},
                                 std::pair{"2020-03-03", "2020-03-04"}}) {
    SCOPED_TRACE(::testing::Message() << "window (" << from << ", " << to << "]");
    BookOptions o = options_with(true, true);
    o.realized_window = std::pair{day(from), day(to)};
    const BookResult rows = book_on(1, txs, o);
    std::vector<std::optional<Decimal>> expected(rows.positions.size());
    for (const RealizedGain& g : rows.realized) {
      const Date sold = rows.sell_date(g);
      if (sold <= day(from) || sold > day(to)) continue;
      auto& sum = expected[rows.position(g)];
      sum = sum.value_or(Decimal()) + g.gain();
    }
    EXPECT_EQ(rows.realized_in_window, expected);
    EXPECT_TRUE(std::any_of(expected.begin(), expected.end(), [](const auto& e) { return e.has_value(); }));
    o.keep_realized = false;
    for (const int threads : {1, 2, 4}) {
      const BookResult sums = book_on(threads, txs, o);
      EXPECT_TRUE(sums.realized.empty());
      EXPECT_EQ(sums.realized_in_window, expected) << threads << " threads";
    }
  }
}

TEST(BookingThreads, SameErrorsInTheSameOrder) {
  // Sales of more than is held in several symbols and accounts (no shorts allowed): the error
  // lists every one in date order, whichever partition booked it.
  auto txs = mixed_history(120, 12, 5);
  std::vector<Transaction> bad;
  for (int k = 0; k < 9; ++k) {
    Transaction t = sell(k % 2 ? "2019-02-05" : "2019-01-15", "Q" + std::to_string(k), "100000", "10", "0", "",
                         k % 3 ? "taxable" : "ira");
    t.source = "mixed.csv";
    t.line = 9000 + static_cast<std::size_t>(k);
    bad.push_back(t);
  }
  txs.insert(txs.begin() + 40, bad.begin(), bad.end());
  BookOptions o = options_with(true, false);
  o.accounts["margin"].allow_short = false;
  std::string message_one;
  std::vector<std::string> details_one;
  try {
    book_on(1, txs, o);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    message_one = e.what();
    details_one = e.details();
  }
  EXPECT_GE(details_one.size(), 9u);
  for (const int threads : {2, 4}) {
    try {
      book_on(threads, txs, o);
      FAIL() << "expected an error";
    } catch (const Error& e) {
      EXPECT_EQ(e.what(), message_one);
      EXPECT_EQ(e.details(), details_one);
    }
  }
}

// sort_by_date against std::stable_sort, on dates spanning few days (the counting sort) and many
// (the comparison sort), with many rows per date so that stability shows.
TEST(SortByDate, SameOrderAsAStableSortByDate) {
  PhiloxStream rng(3, 0);
  for (const int span_days : {40, 2'000'000}) {
    std::vector<Transaction> txs(5000);
    for (auto& t : txs) t.date = Date::from_ymd(2020, 1, 1).add_days(static_cast<int>(rng.uniform() * span_days));
    std::vector<std::uint32_t> rows;
    for (std::uint32_t i = 0; i < txs.size(); i += 1 + (i % 3 == 0)) rows.push_back(i);  // a subset
    std::vector<std::uint32_t> expected = rows;
    std::stable_sort(expected.begin(), expected.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return txs[a].date < txs[b].date; });
    ASSERT_NE(rows, expected);
    sort_by_date<std::uint32_t>(txs, rows);
    EXPECT_EQ(rows, expected) << span_days;
    std::vector<std::size_t> wide(expected.rbegin(), expected.rend());
    std::vector<std::size_t> wide_expected = wide;
    std::stable_sort(wide_expected.begin(), wide_expected.end(),
                     [&](std::size_t a, std::size_t b) { return txs[a].date < txs[b].date; });
    sort_by_date<std::size_t>(txs, wide);
    EXPECT_EQ(wide, wide_expected) << span_days;
  }
}

}  // namespace
}  // namespace keel::ledger
