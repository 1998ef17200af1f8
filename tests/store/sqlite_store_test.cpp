#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "keel/core/error.h"
#include "keel/store/migrations.h"
#include "keel/store/store.h"
#include "backends.h"
#include "sqlite_connection.h"

namespace keel {
namespace {

PriceRows two_days() {
  PriceRows r;
  r.symbols = {"AAPL", "MSFT"};
  auto add = [&](std::uint32_t s, const char* d, double close, double adj) {
    r.symbol_index.push_back(s);
    r.date.push_back(*Date::parse(d));
    r.close.push_back(close);
    r.adj_close.push_back(adj);
    r.open.push_back(kMissing);
    r.high.push_back(kMissing);
    r.low.push_back(kMissing);
    r.volume.push_back(1000);
  };
  add(0, "2017-01-03", 116.15, 111.7);
  add(1, "2017-01-03", 62.58, kMissing);
  add(0, "2017-01-04", 116.02, 111.6);
  return r;
}

// The same tests on every backend this binary runs (tests/store/backends.h).
class StoreContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

TEST(SqliteConnection, MigratesToTheLatestVersionAndRecordsIt) {
  store::SqliteConnection db(":memory:");
  EXPECT_EQ(db.schema_version(), store::migrations().back().version);
  // Opening again applies nothing new (idempotent).
  db.migrate();
  EXPECT_EQ(db.schema_version(), store::migrations().back().version);
}

TEST(SqliteConnection, AppliesAMissingLowerNumberedMigration) {
  // A database that recorded migrations up to the newest but lacks one with a lower number (two
  // features developed in parallel) still gets it: migrations are applied by presence, not by max.
  store::SqliteConnection db(":memory:");
  db.exec("DROP TABLE ledger_transactions; DROP TABLE ledger_accounts; DELETE FROM schema_version WHERE version = 2");
  db.migrate();
  auto st = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ledger_accounts'");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.get_int(0), 1);
  auto v = db.prepare("SELECT COUNT(*) FROM schema_version WHERE version = 2");
  ASSERT_TRUE(v.step());
  EXPECT_EQ(v.get_int(0), 1);
}

TEST(SqliteConnection, FileStoreUsesWalAndForeignKeys) {
  const auto path = (std::filesystem::temp_directory_path() / "keel_store_wal_test.db").string();
  std::filesystem::remove(path);
  {
    store::SqliteConnection db(path);
    auto mode = db.prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode.step());
    EXPECT_EQ(mode.get_text(0), "wal");
    auto fk = db.prepare("PRAGMA foreign_keys");
    ASSERT_TRUE(fk.step());
    EXPECT_EQ(fk.get_int(0), 1);
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
}

// A bulk load leaves the WAL only when it has the file to itself, at once, and returns to it.
TEST(SqliteConnection, BulkLoadUsesTheRollbackJournalOnlyWhenAlone) {
  const auto path = (std::filesystem::temp_directory_path() / "keel_store_bulk_load_test.db").string();
  auto remove_all = [&] {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix);
  };
  remove_all();
  auto pragma = [](store::SqliteConnection& db, const char* name) {
    auto st = db.prepare(std::string("PRAGMA ") + name);
    EXPECT_TRUE(st.step());
    return st.get_text(0);
  };
  {
    store::SqliteConnection db(path);
    ASSERT_TRUE(db.begin_bulk_load());
    EXPECT_EQ(pragma(db, "journal_mode"), "delete");
    EXPECT_EQ(pragma(db, "synchronous"), "2");  // FULL: the journal and the file are both synced
    db.end_bulk_load();
    EXPECT_EQ(pragma(db, "journal_mode"), "wal");
    EXPECT_EQ(pragma(db, "synchronous"), "1");  // NORMAL, as at open
    {
      // Another connection holds the file: no switch, and no wait for the busy timeout (5 s).
      store::SqliteConnection other(path);
      const auto t0 = std::chrono::steady_clock::now();
      EXPECT_FALSE(db.begin_bulk_load());
      EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
      EXPECT_EQ(pragma(db, "journal_mode"), "wal");
      EXPECT_EQ(pragma(other, "journal_mode"), "wal");
    }
    EXPECT_FALSE(db.transaction(std::nullopt, [&] { return db.begin_bulk_load(); }));  // not inside a transaction
    // The price writer's mode: no row-by-row foreign-key checks and a small page cache, both
    // back as they were after it; refused inside a transaction, where SQLite ignores the pragma.
    db.exec("PRAGMA cache_size = -20000");
    ASSERT_TRUE(db.begin_bulk_write());
    EXPECT_EQ(pragma(db, "foreign_keys"), "0");
    EXPECT_EQ(pragma(db, "cache_size"), "-" + std::to_string(store::SqliteConnection::kBulkWriteCacheKib));
    db.end_bulk_write();
    EXPECT_EQ(pragma(db, "foreign_keys"), "1");
    EXPECT_EQ(pragma(db, "cache_size"), "-20000");
    EXPECT_FALSE(db.transaction(std::nullopt, [&] { return db.begin_bulk_write(); }));
    EXPECT_EQ(pragma(db, "foreign_keys"), "1");
  }
  {
    // A price import through the store on a file: stored, and the file is in WAL mode after it.
    auto s = open_store(path);
    PriceRows rows;
    rows.symbols = {"AAPL"};
    for (int d = 3; d <= 6; ++d) {
      rows.symbol_index.push_back(0);
      rows.date.push_back(*Date::parse("2017-01-0" + std::to_string(d)));
      rows.close.push_back(100.0 + d);
      rows.adj_close.push_back(kMissing);
      rows.open.push_back(kMissing);
      rows.high.push_back(kMissing);
      rows.low.push_back(kMissing);
      rows.volume.push_back(kMissing);
    }
    EXPECT_EQ(s->upsert_prices(rows).inserted, 4u);
    EXPECT_DOUBLE_EQ(s->latest_price("AAPL", std::nullopt)->close, 106.0);
  }
  {
    store::SqliteConnection db(path);
    EXPECT_EQ(pragma(db, "journal_mode"), "wal");
    auto n = db.prepare("SELECT COUNT(*) FROM prices");
    ASSERT_TRUE(n.step());
    EXPECT_EQ(n.get_int(0), 4);
  }
  EXPECT_FALSE(std::filesystem::exists(path + "-journal"));
  EXPECT_FALSE(store::SqliteConnection(":memory:").begin_bulk_load());
  remove_all();
}

TEST(SqliteConnection, RejectsAFileThatIsNotADatabase) {
  const auto path = (std::filesystem::temp_directory_path() / "keel_not_a_db.db").string();
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("date,symbol,close\nthis is a csv file, not a database, and it is long enough\n", f);
    std::fclose(f);
  }
  try {
    store::SqliteConnection{path};
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
  }
  std::filesystem::remove(path);
}

TEST_P(StoreContract, SqliteStorePricesUpsertIsIdempotent) {
  auto s = open_store_under_test();
  auto first = s->upsert_prices(two_days(), {});
  EXPECT_EQ(first.rows, 3u);
  EXPECT_EQ(first.inserted, 3u);
  EXPECT_EQ(first.updated, 0u);
  auto again = s->upsert_prices(two_days(), {});
  EXPECT_EQ(again.inserted, 0u);
  EXPECT_EQ(again.updated, 3u);
  auto h = s->price_history({"AAPL", "MSFT", "NOPE"}, std::nullopt, std::nullopt, PriceField::kAdjustedClose);
  ASSERT_EQ(h.rows(), 2u);
  EXPECT_DOUBLE_EQ(h.at(0, 0), 111.7);
  EXPECT_DOUBLE_EQ(h.at(0, 1), 62.58);  // no adj_close: falls back to close
  EXPECT_TRUE(is_missing(h.at(1, 1)));
  EXPECT_TRUE(is_missing(h.at(0, 2)));
  auto lp = s->latest_price("AAPL", Date::parse("2017-01-03"));
  ASSERT_TRUE(lp);
  EXPECT_DOUBLE_EQ(lp->close, 116.15);
  EXPECT_EQ(s->last_price_date()->to_string(), "2017-01-04");
  EXPECT_FALSE(s->latest_price("AAPL", Date::parse("2016-12-30")));
}

TEST_P(StoreContract, SqliteStorePortfolioRoundTripKeepsEveryField) {
  auto s = open_store_under_test();
  Position stock;
  stock.symbol = "AAPL";
  stock.quantity = -12.5;
  stock.entry_price = 100.25;
  stock.entry_date = Date::parse("2016-05-02");
  stock.tags = {"core", "tech"};
  stock.strategy = "long/short";
  Position opt;
  opt.symbol = "AAPL250117C00150000";
  opt.type = InstrumentType::kOption;
  opt.quantity = 3;
  opt.underlying = "AAPL";
  opt.strike = 150;
  opt.expiry = Date::parse("2025-01-17");
  opt.option_type = OptionRight::kCall;
  opt.exercise = ExerciseStyle::kAmerican;
  opt.multiplier = 100;
  opt.implied_vol = 0.3;
  s->save_portfolio(kDefaultTenant, "book", {stock, opt}, "test");
  s->upsert_symbol_info({{"AAPL", "Apple Inc.", "Information Technology", "Hardware"}});
  auto back = s->positions(kDefaultTenant, "book");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].symbol, "AAPL");
  EXPECT_DOUBLE_EQ(back[0].quantity, -12.5);
  EXPECT_EQ(back[0].entry_date->to_string(), "2016-05-02");
  EXPECT_EQ(back[0].tags, stock.tags);
  EXPECT_EQ(back[0].sector, "Information Technology");  // from the security master
  EXPECT_EQ(back[1].type, InstrumentType::kOption);
  EXPECT_EQ(back[1].expiry->to_string(), "2025-01-17");
  EXPECT_EQ(back[1].exercise, ExerciseStyle::kAmerican);
  EXPECT_DOUBLE_EQ(*back[1].implied_vol, 0.3);
  EXPECT_EQ(back[1].sector, "Information Technology");  // the underlying's sector
  auto list = s->list_portfolios(kDefaultTenant);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].positions, 2u);
  // Re-import replaces positions.
  s->save_portfolio(kDefaultTenant, "book", {stock}, "test");
  EXPECT_EQ(s->positions(kDefaultTenant, "book").size(), 1u);
  EXPECT_TRUE(s->delete_portfolio(kDefaultTenant, "book"));
  EXPECT_FALSE(s->delete_portfolio(kDefaultTenant, "book"));
  EXPECT_THROW(s->positions(kDefaultTenant, "book"), Error);
}

// A position's number (its id) is kept when the book is saved again: matched by instrument and
// strategy, a lot of the same entry date first; a new position takes the next number, and a number
// once given is never given again, even after its position went.
TEST_P(StoreContract, PositionsKeepTheirNumbersAcrossReimports) {
  auto s = open_store_under_test();
  auto pos = [](std::string symbol, double quantity, std::string strategy, std::string entry) {
    Position p;
    p.symbol = std::move(symbol);
    p.quantity = quantity;
    p.strategy = std::move(strategy);
    if (!entry.empty()) p.entry_date = Date::parse(entry);
    return p;
  };
  std::vector<std::int64_t> numbers;
  s->save_portfolio(kDefaultTenant, "book",
                    {pos("AAPL", 10, "core", "2024-01-02"), pos("AAPL", 5, "core", "2024-02-01"),
                     pos("MSFT", 3, "", ""), pos("MSFT", 4, "hedge", "")},
                    "t");
  s->positions(kDefaultTenant, "book", &numbers);
  EXPECT_EQ(numbers, (std::vector<std::int64_t>{1, 2, 3, 4}));
  // Reordered, the February AAPL lot resized, the plain MSFT gone, KO new: the lots keep theirs by
  // entry date, the hedge keeps 4, KO takes 5.
  auto back = s->positions(kDefaultTenant, "book");
  s->save_portfolio(kDefaultTenant, "book",
                    {pos("KO", 1, "", ""), pos("AAPL", 6, "core", "2024-02-01"), pos("MSFT", 9, "hedge", ""),
                     pos("AAPL", 10, "core", "2024-01-02")},
                    "t");
  back = s->positions(kDefaultTenant, "book", &numbers);
  EXPECT_EQ(numbers, (std::vector<std::int64_t>{5, 2, 4, 1}));
  EXPECT_DOUBLE_EQ(back[1].quantity, 6);
  // The plain MSFT again: not its old 3, which stays retired.
  s->save_portfolio(kDefaultTenant, "book", {pos("MSFT", 3, "", ""), pos("KO", 1, "", "")}, "t");
  s->positions(kDefaultTenant, "book", &numbers);
  EXPECT_EQ(numbers, (std::vector<std::int64_t>{6, 5}));
  // Another portfolio numbers its own from 1.
  s->save_portfolio(kDefaultTenant, "other", {pos("KO", 1, "", "")}, "t");
  s->positions(kDefaultTenant, "other", &numbers);
  EXPECT_EQ(numbers, (std::vector<std::int64_t>{1}));
}

TEST_P(StoreContract, SqliteStoreTenantsDoNotSeeEachOthersPortfolios) {
  auto s = open_store_under_test();
  Position p;
  p.symbol = "KO";
  p.quantity = 1;
  s->save_portfolio("acme", "main", {p}, "t");
  EXPECT_TRUE(s->list_portfolios(kDefaultTenant).empty());
  EXPECT_EQ(s->list_portfolios("acme").size(), 1u);
  EXPECT_FALSE(s->find_portfolio(kDefaultTenant, "main"));
}

TEST_P(StoreContract, SqliteStoreFactorsKeepFileOrderAndCurvesTheirPoints) {
  auto s = open_store_under_test();
  FactorTable t;
  t.names = {"mkt_rf", "smb", "hml"};
  t.dates = {*Date::parse("2017-01-03"), *Date::parse("2017-01-04")};
  t.values = {0.01, 0.02, 0.03, 0.04, 0.05, 0.06};
  s->upsert_factors("ff", t);
  auto back = s->factors("ff", Date::parse("2017-01-04"), std::nullopt);
  EXPECT_EQ(back.names, t.names);
  ASSERT_EQ(back.rows(), 1u);
  EXPECT_DOUBLE_EQ(back.at(0, 2), 0.06);

  CurveData c;
  c.name = "ust";
  c.as_of = Date::parse("2017-12-06");
  c.kind = CurveKind::kPar;
  c.points = {{"3M", 0.25, 0.013}, {"10Y", 10, 0.0233}};
  s->save_curve(c);
  auto got = s->curve("ust", Date::parse("2017-12-08"));  // latest on or before
  ASSERT_TRUE(got);
  EXPECT_EQ(got->kind, CurveKind::kPar);
  ASSERT_EQ(got->points.size(), 2u);
  EXPECT_DOUBLE_EQ(got->points[1].rate, 0.0233);
  EXPECT_FALSE(s->curve("ust", Date::parse("2017-12-01")));
  EXPECT_EQ(s->list_curves().size(), 1u);
}

}  // namespace
}  // namespace keel
