// The price writer of each backend (Store::upsert_price_chunks; SQLite: multi-row statements with a
// tail that is not a whole batch, chunks out of key order kept and written sorted at the end;
// PostgreSQL: COPY into a stage merged per chunk): the later of two rows for one key winning, the
// inserted/updated counts, and all-or-nothing. Expected values are
// the formulas the rows were made from, written out here.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "backends.h"
#include "keel/store/store.h"

namespace keel {
namespace {

// The same tests on every backend this binary runs (tests/store/backends.h).
class PriceImportContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, PriceImportContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

struct Row {
  std::string symbol;
  Date date;
  double close;
};

// One chunk holding `rows` in the given order, with its own symbol dictionary.
PriceRows chunk_of(const std::vector<Row>& rows) {
  PriceRows c;
  for (const Row& r : rows) {
    std::uint32_t s = 0;
    while (s < c.symbols.size() && c.symbols[s] != r.symbol) ++s;
    if (s == c.symbols.size()) c.symbols.push_back(r.symbol);
    c.symbol_index.push_back(s);
    c.date.push_back(r.date);
    c.close.push_back(r.close);
    c.adj_close.push_back(kMissing);
    c.open.push_back(kMissing);
    c.high.push_back(kMissing);
    c.low.push_back(kMissing);
    c.volume.push_back(kMissing);
  }
  return c;
}

PriceImportStats write_chunks(Store& store, const std::vector<std::vector<Row>>& chunks,
                              const std::function<void()>& before_commit = [] {}) {
  std::size_t next = 0;
  return store.upsert_price_chunks(
      [&](PriceRows& out) {
        if (next == chunks.size()) return false;
        out = chunk_of(chunks[next++]);
        return true;
      },
      before_commit);
}

const Date kDay0 = *Date::parse("2020-01-01");
Date day(int n) { return kDay0.add_days(n); }
const std::vector<std::string> kSymbols = {"AAA", "BBB", "CCC"};
constexpr int kDays = 70;  // 3 symbols x 70 days = 210 rows = 3 x 64 + 18

// The close of symbol s on day d: 100 + 1000 s + d, exact in a double.
double close_of(int s, int d) { return 100.0 + 1000.0 * s + d; }

std::vector<Row> by_symbol() {
  std::vector<Row> rows;
  for (int s = 0; s < 3; ++s) {
    for (int d = 0; d < kDays; ++d) rows.push_back({kSymbols[s], day(d), close_of(s, d)});
  }
  return rows;
}

std::vector<Row> by_date() {
  std::vector<Row> rows;
  for (int d = 0; d < kDays; ++d) {
    for (int s = 0; s < 3; ++s) rows.push_back({kSymbols[s], day(d), close_of(s, d)});
  }
  return rows;
}

std::vector<std::vector<Row>> split(const std::vector<Row>& rows, std::size_t size) {
  std::vector<std::vector<Row>> out;
  for (std::size_t i = 0; i < rows.size(); i += size) {
    out.emplace_back(rows.begin() + static_cast<long>(i), rows.begin() + static_cast<long>(std::min(rows.size(), i + size)));
  }
  return out;
}

void expect_every_close(Store& store) {
  const auto h = store.price_history(kSymbols, std::nullopt, std::nullopt, PriceField::kClose);
  ASSERT_EQ(h.rows(), static_cast<std::size_t>(kDays));
  for (int d = 0; d < kDays; ++d) {
    EXPECT_EQ(h.dates[static_cast<std::size_t>(d)], day(d));
    for (int s = 0; s < 3; ++s) {
      EXPECT_EQ(h.at(static_cast<std::size_t>(d), static_cast<std::size_t>(s)), close_of(s, d)) << s << " " << d;
    }
  }
}

TEST_P(PriceImportContract, RowsNotAMultipleOfTheBatchAreAllWritten) {
  auto store = open_store_under_test();
  const auto stats = write_chunks(*store, {by_symbol()});
  EXPECT_EQ(stats.rows, 210u);
  EXPECT_EQ(stats.inserted, 210u);
  EXPECT_EQ(stats.updated, 0u);
  EXPECT_EQ(stats.symbols, 3u);
  EXPECT_EQ(stats.first_date, kDay0);
  EXPECT_EQ(stats.last_date, day(kDays - 1));
  expect_every_close(*store);
}

TEST_P(PriceImportContract, ChunksInKeyOrderOfUnevenSizes) {
  auto store = open_store_under_test();
  const auto stats = write_chunks(*store, split(by_symbol(), 37));  // 5 x 37 + 25
  EXPECT_EQ(stats.inserted, 210u);
  expect_every_close(*store);
}

TEST_P(PriceImportContract, ChunksOutOfKeyOrderStoreTheSameRows) {
  // By date, in chunks of 50: the first chunk is written at once, the others are kept and
  // written sorted at the end.
  auto store = open_store_under_test();
  const auto stats = write_chunks(*store, split(by_date(), 50));
  EXPECT_EQ(stats.rows, 210u);
  EXPECT_EQ(stats.inserted, 210u);
  EXPECT_EQ(stats.updated, 0u);
  expect_every_close(*store);
}

TEST_P(PriceImportContract, TheLaterOfTwoRowsForOneKeyWins) {
  auto store = open_store_under_test();
  const Date d1 = kDay0, d2 = day(1);
  // AAA on d1 is given three times: in the first chunk (written at once), then in a chunk out of
  // key order (kept), then in the last chunk (kept): the last one given is stored.
  const auto stats = write_chunks(*store, {{{"AAA", d1, 1.0}, {"AAA", d2, 2.0}},
                                           {{"BBB", d1, 5.0}, {"AAA", d1, 3.0}},
                                           {{"AAA", d1, 4.0}}});
  EXPECT_EQ(stats.rows, 5u);
  EXPECT_EQ(stats.inserted, 3u);  // AAA d1, AAA d2, BBB d1
  EXPECT_EQ(stats.updated, 2u);
  const auto h = store->price_history({"AAA", "BBB"}, std::nullopt, std::nullopt, PriceField::kClose);
  ASSERT_EQ(h.rows(), 2u);
  EXPECT_EQ(h.at(0, 0), 4.0);
  EXPECT_EQ(h.at(1, 0), 2.0);
  EXPECT_EQ(h.at(0, 1), 5.0);
}

TEST_P(PriceImportContract, RepeatedKeyWithinAChunkKeepsTheLaterRow) {
  auto store = open_store_under_test();
  const auto stats = write_chunks(*store, {{{"AAA", kDay0, 1.0}, {"AAA", kDay0, 7.0}, {"AAA", day(1), 2.0}}});
  EXPECT_EQ(stats.inserted, 2u);
  EXPECT_EQ(stats.updated, 1u);
  EXPECT_EQ(store->latest_price("AAA", kDay0)->close, 7.0);
}

TEST_P(PriceImportContract, DescendingDatesOfANewSymbolAreCounted) {
  auto store = open_store_under_test();
  const auto stats =
      write_chunks(*store, {{{"AAA", day(2), 3.0}, {"AAA", day(1), 2.0}, {"AAA", kDay0, 1.0}}});
  EXPECT_EQ(stats.inserted, 3u);
  EXPECT_EQ(stats.updated, 0u);
  EXPECT_EQ(store->latest_price("AAA", std::nullopt)->close, 3.0);
}

TEST_P(PriceImportContract, MergingIntoStoredPricesCountsInsertedAndUpdated) {
  auto store = open_store_under_test();
  write_chunks(*store, {{{"AAA", kDay0, 1.0}, {"AAA", day(1), 2.0}, {"AAA", day(2), 3.0}}});
  // Days 1-2 exist (updated), days 3-4 are new, and so is BBB.
  const auto stats = write_chunks(*store, {{{"AAA", day(1), 20.0},
                                            {"AAA", day(2), 30.0},
                                            {"AAA", day(3), 40.0},
                                            {"AAA", day(4), 50.0},
                                            {"BBB", kDay0, 9.0}}});
  EXPECT_EQ(stats.rows, 5u);
  EXPECT_EQ(stats.inserted, 3u);
  EXPECT_EQ(stats.updated, 2u);
  const auto h = store->price_history({"AAA"}, std::nullopt, std::nullopt, PriceField::kClose);
  ASSERT_EQ(h.rows(), 5u);
  const double want[] = {1.0, 20.0, 30.0, 40.0, 50.0};
  for (std::size_t t = 0; t < 5; ++t) EXPECT_EQ(h.at(t, 0), want[t]);
}

TEST_P(PriceImportContract, AFailureBeforeTheCommitKeepsNothingOfKeptChunks) {
  auto store = open_store_under_test();
  write_chunks(*store, {{{"AAA", kDay0, 1.0}}});
  EXPECT_THROW(write_chunks(*store, split(by_date(), 50), [] { throw std::runtime_error("bad row"); }),
               std::runtime_error);
  const auto h = store->price_history(kSymbols, std::nullopt, std::nullopt, PriceField::kClose);
  ASSERT_EQ(h.rows(), 1u);
  EXPECT_EQ(h.at(0, 0), 1.0);
  EXPECT_TRUE(is_missing(h.at(0, 1)));
}

}  // namespace
}  // namespace keel
