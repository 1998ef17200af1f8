// FX rates through the service: an import is all-or-nothing, a rate is read back with its route,
// a stored book in another currency is valued in its reporting currency, worked by hand, and a
// missing rate refuses the book naming the pair and the date.
#include "keel/service/fx.h"

#include <gtest/gtest.h>

#include "keel/core/error.h"
#include "keel/service/book.h"
#include "keel/service/exposures.h"
#include "keel/service/imports.h"
#include "keel/service/portfolio_view.h"
#include "keel/store/fx_repository.h"

namespace keel::service {
namespace {

const char* kRates =
    "date,base,quote,rate\n"
    "2024-03-01,EUR,USD,1.10\n"
    "2024-03-01,GBP,USD,1.25\n"
    "2024-03-04,EUR,USD,1.0854\n";

const char* kPrices =
    "date,symbol,close\n"
    "2024-03-01,SAP,100\n2024-03-01,AAPL,200\n"
    "2024-03-04,SAP,101\n2024-03-04,AAPL,202\n";

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    std::string m = e.what();
    for (const auto& d : e.details()) m += "\n" + d;
    return m;
  }
  return "no error";
}

TEST(FxImport, ABadFileStoresNothing) {
  auto store = open_store(":memory:");
  const std::string bad = "date,base,quote,rate\n2024-03-01,EUR,USD,1.10\n2024-03-01,GBP,GBP,1.25\n";
  const std::string m = message_of([&] { import_fx({store.get()}, {{"bad.csv", bad}, ""}); });
  EXPECT_NE(m.find("bad.csv:3:"), std::string::npos) << m;
  EXPECT_TRUE(store->fx().pairs().empty());
}

TEST(FxImport, SummaryAndRatesByRoute) {
  auto store = open_store(":memory:");
  const auto r = import_fx({store.get()}, {{"rates.csv", std::string(kRates)}, ""});
  EXPECT_EQ(r.rows, 3u);
  EXPECT_EQ(r.pairs, 2u);
  EXPECT_EQ(r.inserted, 3u);
  EXPECT_EQ(r.first_date, "2024-03-01");
  EXPECT_EQ(r.last_date, "2024-03-04");
  // Cross: 1 EUR = 1.10 USD = 1.10 / 1.25 GBP = 0.88 GBP.
  const auto cross = fx_rate({store.get()}, {"EUR", "GBP", Date::parse("2024-03-01")});
  EXPECT_NEAR(cross.rate, 0.88, 1e-15);
  EXPECT_EQ(cross.via, "USD");
  EXPECT_EQ(cross.route, "EUR→GBP via USD");
  const auto inverse = fx_rate({store.get()}, {"USD", "EUR", Date::parse("2024-03-04")});
  EXPECT_DOUBLE_EQ(inverse.rate, 1.0 / 1.0854);
  EXPECT_EQ(inverse.rate_date, "2024-03-04");
  // Default date: the latest of the currencies' pairs.
  EXPECT_EQ(fx_rate({store.get()}, {"EUR", "USD", std::nullopt}).date, "2024-03-04");
  const std::string m = message_of([&] { fx_rate({store.get()}, {"EUR", "USD", Date::parse("2024-03-20")}); });
  EXPECT_NE(m.find("EUR/USD"), std::string::npos) << m;
  EXPECT_NE(m.find("2024-03-20"), std::string::npos) << m;
}

TEST(FxImport, AFileMustAgreeWithTheStoredInversePair) {
  auto store = open_store(":memory:");
  import_fx({store.get()}, {{"rates.csv", std::string(kRates)}, ""});
  // USD/EUR 0.9 on 2024-03-01 is not 1 / 1.10.
  const std::string m = message_of(
      [&] { import_fx({store.get()}, {{"inv.csv", std::string("date,base,quote,rate\n2024-03-01,USD,EUR,0.9\n")}, ""}); });
  EXPECT_NE(m.find("must agree"), std::string::npos) << m;
  EXPECT_EQ(store->fx().pairs().size(), 2u);
}

TEST(FxValuation, AEurStockInAUsdBookByHand) {
  auto store = open_store(":memory:");
  import_fx({store.get()}, {{"rates.csv", std::string(kRates)}, ""});
  import_prices({store.get()}, {{"p.csv", std::string(kPrices)}});
  import_positions({store.get()}, {{"p.csv", std::string("symbol,quantity,currency\nSAP,10,EUR\nAAPL,5,USD\n")}, "b", std::nullopt, std::nullopt});
  // 10 shares at 100 EUR with EUR/USD 1.10: 1,000 EUR = 1,100.00 USD; 5 AAPL at 200 = 1,000 USD.
  const auto v = show_portfolio({store.get()}, {"b", Date::parse("2024-03-01")});
  EXPECT_EQ(v.currency, "USD");
  EXPECT_DOUBLE_EQ(*v.positions[0].market_value_local, 1000.0);
  EXPECT_DOUBLE_EQ(*v.positions[0].fx_rate, 1.10);
  EXPECT_NEAR(*v.positions[0].market_value, 1100.0, 1e-12);
  EXPECT_DOUBLE_EQ(*v.positions[1].fx_rate, 1.0);
  EXPECT_NEAR(v.net_market_value, 2100.0, 1e-12);
  EXPECT_NEAR(*v.positions[0].weight, 1100.0 / 2100.0, 1e-15);

  // The same book through load_book and the exposures, on 2024-03-04: SAP 1,010 EUR x 1.0854.
  BookSource src;
  src.portfolio = "b";
  const Book book = load_book({store.get()}, src);
  ASSERT_TRUE(book.fx);
  EXPECT_EQ(book.currency, "USD");
  ExposuresRequest req;
  req.book.source = src;
  req.by = exposures::GroupBy::kCurrency;
  const auto ex = book_exposures({store.get()}, req);
  ASSERT_EQ(ex.groups.size(), 2u);
  EXPECT_EQ(ex.groups[0].key, "EUR");
  EXPECT_NEAR(ex.groups[0].market_value.net, 1010.0 * 1.0854, 1e-9);
  EXPECT_EQ(ex.groups[1].key, "USD");
  EXPECT_NEAR(ex.groups[1].market_value.net, 1010.0, 1e-9);
  EXPECT_NEAR(ex.market_value.net, 1010.0 * 1.0854 + 1010.0, 1e-9);

  // Reported in EUR: AAPL's 1,010 USD / 1.0854.
  set_portfolio_currency({store.get()}, {"b", "EUR"});
  const auto e = show_portfolio({store.get()}, {"b", std::nullopt});
  EXPECT_EQ(e.currency, "EUR");
  EXPECT_NEAR(*e.positions[1].market_value, 1010.0 / 1.0854, 1e-9);
  EXPECT_NEAR(e.net_market_value, 1010.0 + 1010.0 / 1.0854, 1e-9);
}

TEST(FxValuation, AMissingRateRefusesTheBookNamingThePairAndDate) {
  auto store = open_store(":memory:");
  import_prices({store.get()}, {{"p.csv", std::string(kPrices)}});
  import_positions({store.get()}, {{"p.csv", std::string("symbol,quantity,currency\nSAP,10,EUR\n")}, "b", std::nullopt, std::nullopt});
  BookSource src;
  src.portfolio = "b";
  std::string m = message_of([&] { load_book({store.get()}, src); });
  EXPECT_NE(m.find("EUR/USD"), std::string::npos) << m;
  EXPECT_NE(m.find("import FX rates (keel import fx FILE) or give --fx FILE"), std::string::npos) << m;
  import_fx({store.get()}, {{"rates.csv", std::string(kRates)}, ""});
  src.as_of = Date::parse("2024-03-20");
  m = message_of([&] { load_book({store.get()}, src); });
  EXPECT_NE(m.find("no FX rate for EUR/USD on or up to 7 days before 2024-03-20"), std::string::npos) << m;
  // show values what it can and names the pair instead of converting at 1.
  const auto v = show_portfolio({store.get()}, {"b", Date::parse("2024-03-20")});
  EXPECT_FALSE(v.positions[0].market_value);
  EXPECT_EQ(v.unpriced, 1u);
}

TEST(PortfolioCurrency, SetAtCreationAndChangedWithChecks) {
  auto store = open_store(":memory:");
  EXPECT_EQ(create_portfolio({store.get()}, {"e", "EUR"}).base_currency, "EUR");
  EXPECT_THROW(create_portfolio({store.get()}, {"x", "euro"}), Error);
  EXPECT_EQ(set_portfolio_currency({store.get()}, {"e", "GBP"}).base_currency, "GBP");
  EXPECT_THROW(set_portfolio_currency({store.get()}, {"nope", "GBP"}), Error);
  ImportPositionsRequest req{{"p.csv", std::string("symbol,quantity\nAAPL,1\n")}, "new", "JPY", std::nullopt};
  EXPECT_NO_THROW(import_positions({store.get()}, req));
  EXPECT_EQ(store->find_portfolio(kDefaultTenant, "new")->base_currency, "JPY");
  req.currency = "CHF";  // an existing portfolio reporting in JPY
  EXPECT_THROW(import_positions({store.get()}, req), Error);
}

}  // namespace
}  // namespace keel::service
