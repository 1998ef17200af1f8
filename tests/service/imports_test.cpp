#include "keel/service/imports.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"
#include "keel/service/book.h"
#include "keel/service/portfolio_view.h"

namespace keel::service {
namespace {

const char* kPrices =
    "date,symbol,close,adj_close\n"
    "2017-01-03,AAPL,116.15,110.0\n2017-01-04,AAPL,116.02,109.9\n"
    "2017-01-03,MSFT,62.58,60.0\n2017-01-04,MSFT,62.30,59.7\n";

TEST(Imports, ABadPricesFileChangesNothing) {
  auto store = open_store(":memory:");
  import_prices({store.get()}, {{"good.csv", kPrices}});
  const std::string bad =
      "date,symbol,close\n2017-01-05,AAPL,117\n2017-01-05,MSFT,-1\n2017-02-30,KO,1\n";
  try {
    import_prices({store.get()}, {{"bad.csv", bad}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_EQ(e.details().size(), 2u);
    EXPECT_EQ(e.details()[0], "bad.csv:3:3: close: close must be positive, got -1");
  }
  // The good row of the bad file (AAPL 2017-01-05) was not written.
  EXPECT_EQ(store->last_price_date()->to_string(), "2017-01-04");
}

TEST(Imports, ABadPositionsFileLeavesTheOldPositions) {
  auto store = open_store(":memory:");
  import_positions({store.get()}, {{"p.csv", std::string("symbol,quantity\nAAPL,10\n")}, "book", std::nullopt, std::nullopt});
  EXPECT_THROW(import_positions({store.get()}, {{"p2.csv", std::string("symbol,quantity\nMSFT,5\nKO,x\n")}, "book", std::nullopt, std::nullopt}), Error);
  auto pos = store->positions(kDefaultTenant, "book");
  ASSERT_EQ(pos.size(), 1u);
  EXPECT_EQ(pos[0].symbol, "AAPL");
}

TEST(Imports, AStockTheSecurityMasterListsAsAnEtfIsStoredAsOne) {
  auto store = open_store(":memory:");
  SymbolInfo spy{"SPY", "SPDR S&P 500 ETF Trust", "", ""};
  spy.asset_type = "etf";
  SymbolInfo aapl{"AAPL", "Apple Inc.", "Information Technology", ""};
  aapl.asset_type = "equity";
  store->upsert_security_master({spy, aapl});
  const auto r = import_positions({store.get()},
                                  {{"p.csv", std::string("symbol,quantity\nSPY,10\nAAPL,5\nQQQ,3\n")}, "book", std::nullopt, std::nullopt});
  const auto positions = store->positions(kDefaultTenant, "book");
  ASSERT_EQ(positions.size(), 3u);
  EXPECT_EQ(positions[0].type, InstrumentType::kEtf);    // the master says etf
  EXPECT_EQ(positions[1].type, InstrumentType::kStock);  // equity
  EXPECT_EQ(positions[2].type, InstrumentType::kStock);  // not in the master: as the file says
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "stored as etf, as the security master lists them: SPY");
}

TEST(Imports, ReimportingPricesIsIdempotent) {
  auto store = open_store(":memory:");
  auto a = import_prices({store.get()}, {{"p.csv", kPrices}});
  auto b = import_prices({store.get()}, {{"p.csv", kPrices}});
  EXPECT_EQ(a.inserted, 4u);
  EXPECT_EQ(b.inserted, 0u);
  EXPECT_EQ(b.updated, 4u);
}

TEST(PortfolioView, MarketValuesAndTotalsByHand) {
  auto store = open_store(":memory:");
  import_prices({store.get()}, {{"p.csv", kPrices}});
  import_positions({store.get()}, {{"p.csv", std::string("symbol,quantity\nAAPL,100\nMSFT,-50\nKO,10\n")}, "ls", std::nullopt, std::nullopt});
  auto v = show_portfolio({store.get()}, {"ls", std::nullopt});
  // AAPL 100 x 116.02 = 11,602.00; MSFT -50 x 62.30 = -3,115.00; KO has no price.
  EXPECT_EQ(v.as_of->to_string(), "2017-01-04");
  EXPECT_NEAR(*v.positions[0].market_value, 11602.0, 1e-9);
  EXPECT_NEAR(*v.positions[1].market_value, -3115.0, 1e-9);
  EXPECT_FALSE(v.positions[2].market_value);
  EXPECT_NEAR(v.net_market_value, 8487.0, 1e-9);
  EXPECT_NEAR(v.gross_market_value, 14717.0, 1e-9);
  EXPECT_NEAR(v.long_market_value, 11602.0, 1e-9);
  EXPECT_NEAR(v.short_market_value, -3115.0, 1e-9);
  EXPECT_NEAR(*v.positions[0].weight, 11602.0 / 14717.0, 1e-12);
  EXPECT_EQ(v.unpriced, 1u);
  // As of the first day.
  auto v0 = show_portfolio({store.get()}, {"ls", Date::parse("2017-01-03")});
  EXPECT_NEAR(*v0.positions[0].market_value, 11615.0, 1e-9);
  EXPECT_THROW(show_portfolio({store.get()}, {"nope", std::nullopt}), Error);
}

TEST(PortfolioView, OptionsWithoutAPriceTakeTheirModelValue) {
  auto store = open_store(":memory:");
  import_prices({store.get()}, {{"p.csv", std::string("date,symbol,close\n2017-01-03,X,99\n2017-01-04,X,100\n")}});
  // At-the-money call, one year (2017-01-04 to 2018-01-04 = 365 days), vol 20%, zero rate and
  // dividend: C = S (N(0.1) - N(-0.1)) = 100 x (2 x 0.5398278373 - 1) = 7.965567455.
  import_positions({store.get()}, {{"p.csv", std::string("symbol,quantity,implied_vol\nX180104C00100000,2,0.2\nX,10,\n")}, "o", std::nullopt, std::nullopt});
  auto v = show_portfolio({store.get()}, {"o", std::nullopt});
  ASSERT_TRUE(v.positions[0].market_value) << (v.warnings.empty() ? "" : v.warnings[0]);
  EXPECT_EQ(v.positions[0].price_source, "model");
  EXPECT_NEAR(*v.positions[0].last_price, 7.965567455, 1e-8);
  EXPECT_NEAR(*v.positions[0].market_value, 2 * 100 * 7.965567455, 1e-6);
  EXPECT_EQ(v.positions[1].price_source, "close");
  EXPECT_NEAR(v.net_market_value, 1593.113491 + 1000.0, 1e-5);
}

TEST(LoadBook, FromTheStoreAndFromFilesGiveTheSameBook) {
  auto store = open_store(":memory:");
  import_prices({store.get()}, {{"p.csv", kPrices}});
  import_positions({store.get()}, {{"p.csv", std::string("symbol,quantity\nMSFT,5\nAAPL250117C00150000,1\n")}, "b", std::nullopt, std::nullopt});
  BookSource src;
  src.portfolio = "b";
  auto book = load_book(Context{store.get()}, src);
  EXPECT_EQ(book.positions.size(), 2u);
  EXPECT_EQ(book.prices.symbols, (std::vector<std::string>{"MSFT", "AAPL"}));  // option -> underlying
  EXPECT_EQ(book.as_of.to_string(), "2017-01-04");
  EXPECT_DOUBLE_EQ(book.prices.at(1, 1), 109.9);
  EXPECT_DOUBLE_EQ(book.closes.at(1, 1), 116.02);
  BookSource none;
  EXPECT_THROW(load_book(Context{store.get()}, none), Error);
}

// The server's Env has no file access: a source naming a file is refused before anything is opened.
TEST(LoadBook, TheServersEnvRefusesFilesNamedInARequest) {
  auto store = open_store(":memory:");
  BookSource src;
  src.positions_file = "/etc/passwd";
  try {
    load_book(Context{store.get(), server_env()}, src);
    FAIL() << "a file was opened on the server's Env";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_NE(std::string(e.what()).find("positions: files cannot be named"), std::string::npos) << e.what();
  }
  src.positions_file.reset();
  src.portfolio = "b";
  src.prices_file = "/etc/shadow";
  EXPECT_THROW(load_book(Context{store.get(), server_env()}, src), Error);
}

}  // namespace
}  // namespace keel::service
