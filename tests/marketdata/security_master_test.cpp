// The security master from providers: Yahoo's quoteSummary and Polygon's ticker details against
// their documented answers (tests/fixtures/marketdata/README.md), the checks naming each refused
// field, and service::fetch_symbols' incremental, all-or-nothing sync into an in-memory store.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "keel/core/error.h"
#include "keel/marketdata/provider.h"
#include "keel/marketdata/validate.h"
#include "keel/service/security_master.h"
#include "loopback_server.h"

namespace keel {
namespace {

using keel::testing::fixture;
using keel::testing::LoopbackServer;

std::string all_of(const Error& e) {
  std::string s = e.what();
  for (const auto& d : e.details()) s += "\n" + d;
  return s;
}

marketdata::ProviderOptions opts(const LoopbackServer& s, const std::string& key = "") {
  marketdata::ProviderOptions o;
  o.base_url = s.url();
  o.api_key = key;
  o.requests_per_second = 1000;
  o.http.backoff_initial_ms = 1;
  o.http.max_attempts = 2;
  return o;
}

TEST(YahooProfile, ReadsTheQuoteSummaryModules) {
  LoopbackServer s;
  s.serve("/v10/finance/quoteSummary/AAPL", "yahoo_quotesummary_aapl.json");
  auto p = marketdata::make_provider("yahoo", opts(s));
  ASSERT_TRUE(p->capabilities().profile);
  const SymbolInfo i = p->profile("AAPL");
  // The values of the fixture's modules (price, assetProfile, quoteType).
  EXPECT_EQ(i.symbol, "AAPL");
  EXPECT_EQ(i.name, "Apple Inc.");
  EXPECT_EQ(i.exchange, "NMS");
  EXPECT_EQ(i.currency, "USD");
  EXPECT_EQ(i.sector, "Technology");
  EXPECT_EQ(i.industry, "Consumer Electronics");
  EXPECT_EQ(i.country, "United States");
  ASSERT_TRUE(i.market_cap);
  EXPECT_DOUBLE_EQ(*i.market_cap, 2954937630720.0);
  EXPECT_EQ(i.asset_type, "equity");
  EXPECT_NE(s.last_target().find("modules=assetProfile%2Cprice%2CsummaryDetail%2CquoteType"), std::string::npos)
      << s.last_target();
  EXPECT_TRUE(marketdata::validate_profile(i, "AAPL").empty());
}

TEST(YahooProfile, AnEtfHasNoProfileAndAnEmptyMarketCap) {
  LoopbackServer s;
  s.serve("/v10/finance/quoteSummary/SPY", "yahoo_quotesummary_spy.json");
  const SymbolInfo i = marketdata::make_provider("yahoo", opts(s))->profile("SPY");
  EXPECT_EQ(i.name, "SPDR S&P 500 ETF Trust");
  EXPECT_EQ(i.exchange, "PCX");
  EXPECT_EQ(i.asset_type, "etf");
  EXPECT_EQ(i.sector, "");
  EXPECT_FALSE(i.market_cap);  // "marketCap": {} is no value
}

TEST(YahooProfile, NotFoundAndMalformedFieldsAreNamed) {
  LoopbackServer s;
  s.on("/v10/finance/quoteSummary/NOSUCH", [](const httplib::Request&, httplib::Response& res) {
    res.status = 200;  // Yahoo answers 404 too; the error document alone must already say not found
    res.set_content(fixture("yahoo_quotesummary_notfound.json"), "application/json");
  });
  s.on("/v10/finance/quoteSummary/BAD", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"quoteSummary":{"result":[{"price":{"symbol":"BAD","longName":"Bad Co","currency":840}}],"error":null}})",
                    "application/json");
  });
  s.on("/v10/finance/quoteSummary/CUT", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"quoteSummary":{"result":[{"price":{"sym)", "application/json");
  });
  auto p = marketdata::make_provider("yahoo", opts(s));
  try {
    p->profile("NOSUCH");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(all_of(e).find("Quote not found for ticker symbol: NOSUCH"), std::string::npos) << all_of(e);
  }
  try {
    p->profile("BAD");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(all_of(e).find("quoteSummary.result[0].price.currency: expected a string"), std::string::npos)
        << all_of(e);
  }
  try {
    p->profile("CUT");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(all_of(e).find("body: expected the v10 quoteSummary JSON"), std::string::npos) << all_of(e);
  }
}

TEST(PolygonProfile, ReadsTickerDetailsWithTheKeyKeptSecret) {
  LoopbackServer s;
  std::string key_seen;
  s.on("/v3/reference/tickers/AAPL", [&](const httplib::Request& req, httplib::Response& res) {
    key_seen = req.get_param_value("apiKey");
    res.set_content(fixture("polygon_ticker_aapl.json"), "application/json");
  });
  s.on("/v3/reference/tickers/ZZZZ", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"status":"NOT_FOUND","request_id":"x","message":"Ticker not found."})", "application/json");
  });
  auto p = marketdata::make_provider("polygon", opts(s, "pk_secret_key_42"));
  const SymbolInfo i = p->profile("AAPL");
  EXPECT_EQ(key_seen, "pk_secret_key_42");
  EXPECT_EQ(i.name, "Apple Inc.");
  EXPECT_EQ(i.exchange, "XNAS");
  EXPECT_EQ(i.currency, "USD");  // currency_name "usd"
  EXPECT_EQ(i.country, "US");    // locale "us"
  EXPECT_EQ(i.industry, "ELECTRONIC COMPUTERS");
  EXPECT_EQ(i.sector, "");
  EXPECT_EQ(i.asset_type, "equity");  // type CS
  ASSERT_TRUE(i.market_cap);
  EXPECT_DOUBLE_EQ(*i.market_cap, 2771126040150.0);
  try {
    p->profile("ZZZZ");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_EQ(all_of(e).find("pk_secret_key_42"), std::string::npos) << all_of(e);
  }
}

TEST(ValidateProfile, NamesEveryRefusedField) {
  SymbolInfo i;
  i.symbol = "MSFT";
  i.currency = "usd";
  i.market_cap = -5.0;
  i.asset_type = "stock";
  const auto p = marketdata::validate_profile(i, "AAPL");
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0], "symbol: expected \"AAPL\", the response is about \"MSFT\"");
  EXPECT_EQ(p[1], "name: expected the security's name, got none");
  EXPECT_EQ(p[2], "currency: expected a 3-letter ISO 4217 code, got \"usd\"");
  EXPECT_EQ(p[3], "market_cap: expected a finite number >= 0, got -5");
  EXPECT_EQ(p[4], "asset_type: \"stock\" is not a known kind");
  EXPECT_EQ(marketdata::normalise_asset_type("MUTUALFUND"), "fund");
  EXPECT_EQ(marketdata::normalise_asset_type("ADRC"), "adr");
  EXPECT_EQ(marketdata::normalise_asset_type("WARRANT"), "other");
}

// --- service::fetch_symbols ---

const FixedClock kClock(std::chrono::sys_days(std::chrono::year{2026} / 11 / 23) + std::chrono::hours(12));

service::MarketDataSource source(const LoopbackServer& s, const std::string& provider) {
  service::MarketDataSource src;
  src.provider = provider;
  src.options = opts(s, provider == "polygon" ? "pk_secret_key_42" : "");
  return src;
}

TEST(FetchSymbols, StoresThenRequestsOnlyMissingOrStaleRecords) {
  LoopbackServer s;
  s.serve("/v10/finance/quoteSummary/AAPL", "yahoo_quotesummary_aapl.json");
  s.serve("/v10/finance/quoteSummary/SPY", "yahoo_quotesummary_spy.json");
  auto st = open_store(":memory:", kClock);
  service::FetchSymbolsRequest req;
  req.source = source(s, "yahoo");
  req.symbols = {"AAPL"};
  const auto r = service::fetch_symbols({st.get()}, req);
  EXPECT_EQ(r.fetched, 1u);
  EXPECT_EQ(s.total(), 1);
  const auto stored = st->symbol_info("AAPL");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->name, "Apple Inc.");
  EXPECT_EQ(stored->sector, "Technology");
  EXPECT_EQ(stored->exchange, "NMS");
  EXPECT_EQ(stored->currency, "USD");
  EXPECT_EQ(stored->country, "United States");
  EXPECT_DOUBLE_EQ(stored->market_cap.value_or(0), 2954937630720.0);
  EXPECT_EQ(stored->asset_type, "equity");
  EXPECT_EQ(stored->source, "yahoo");
  EXPECT_EQ(stored->fetched_at, "2026-11-23T12:00:00Z");
  // AAPL is fresh: only SPY is asked for.
  req.symbols = {"AAPL", "SPY"};
  const auto again = service::fetch_symbols({st.get()}, req);
  EXPECT_EQ(s.total(), 2);
  EXPECT_EQ(again.symbols[0].status, "up_to_date");
  EXPECT_EQ(again.symbols[1].status, "fetched");
  EXPECT_EQ(again.up_to_date, 1u);
  // A record fetched 31 days ago is stale for the default refresh age of 30 days.
  SymbolInfo old = *st->symbol_info("AAPL");
  old.fetched_at = "2026-10-23T09:00:00Z";
  st->upsert_security_master({old});
  const auto third = service::fetch_symbols({st.get()}, req);
  EXPECT_EQ(third.symbols[0].status, "fetched");
  EXPECT_EQ(third.symbols[1].status, "up_to_date");
  EXPECT_EQ(s.total(), 3);
  // full asks for everything.
  req.full = true;
  service::fetch_symbols({st.get()}, req);
  EXPECT_EQ(s.total(), 5);
}

TEST(FetchSymbols, ARefusedRecordStoresNothingAndNamesTheField) {
  LoopbackServer s;
  s.serve("/v10/finance/quoteSummary/AAPL", "yahoo_quotesummary_aapl.json");
  s.on("/v10/finance/quoteSummary/ODD", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        R"({"quoteSummary":{"result":[{"price":{"symbol":"ODD","longName":"Odd Co","currency":"US Dollar","marketCap":{"raw":-1}}}],"error":null}})",
        "application/json");
  });
  auto st = open_store(":memory:", kClock);
  service::FetchSymbolsRequest req;
  req.source = source(s, "yahoo");
  req.symbols = {"AAPL", "ODD"};
  try {
    service::fetch_symbols({st.get()}, req);
    FAIL();
  } catch (const Error& e) {
    const std::string msg = all_of(e);
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(msg.find("nothing was stored"), std::string::npos) << msg;
    EXPECT_NE(msg.find("ODD: currency: expected a 3-letter ISO 4217 code, got \"US Dollar\""), std::string::npos)
        << msg;
    EXPECT_NE(msg.find("ODD: market_cap: expected a finite number >= 0, got -1"), std::string::npos) << msg;
  }
  EXPECT_FALSE(st->symbol_info("AAPL"));  // all or nothing
}

TEST(FetchSymbols, PolygonKeepsTheImportedSectorAndTheListFilters) {
  LoopbackServer s;
  s.serve("/v3/reference/tickers/AAPL", "polygon_ticker_aapl.json");
  auto st = open_store(":memory:", kClock);
  st->upsert_symbol_info({{"AAPL", "Apple", "Information Technology", "Technology Hardware"},
                          {"XOM", "Exxon Mobil", "Energy", "Integrated Oil & Gas"}});
  service::FetchSymbolsRequest req;
  req.source = source(s, "polygon");
  req.symbols = {"AAPL"};
  service::fetch_symbols({st.get()}, req);
  const auto a = st->symbol_info("AAPL");
  EXPECT_EQ(a->sector, "Information Technology");  // polygon has no sector: the file's stays
  EXPECT_EQ(a->industry, "ELECTRONIC COMPUTERS");
  EXPECT_EQ(a->name, "Apple Inc.");
  EXPECT_EQ(a->source, "polygon");
  // Importing the file again changes the file's fields only; the fetched ones stay.
  st->upsert_symbol_info({{"AAPL", "Apple", "Information Technology", "Technology Hardware"}});
  EXPECT_EQ(st->symbol_info("AAPL")->exchange, "XNAS");
  service::SymbolsListRequest lr;
  EXPECT_EQ(service::list_symbols({st.get()}, lr).total, 2u);
  lr.sector = "energy";
  const auto energy = service::list_symbols({st.get()}, lr);
  ASSERT_EQ(energy.total, 1u);
  EXPECT_EQ(energy.symbols[0].symbol, "XOM");
  EXPECT_EQ(energy.symbols[0].source, "");
}

TEST(FetchSymbols, OfflineReadsTheCacheAndAViewerMayNotFetch) {
  LoopbackServer s;
  s.serve("/v10/finance/quoteSummary/AAPL", "yahoo_quotesummary_aapl.json");
  const auto cache = std::filesystem::temp_directory_path() / ("keel-md-sm-" + std::to_string(::getpid()));
  auto st = open_store(":memory:", kClock);
  service::FetchSymbolsRequest req;
  req.source = source(s, "yahoo");
  req.source.options.cache_dir = cache.string();
  req.symbols = {"AAPL"};
  service::fetch_symbols({st.get()}, req);
  auto st2 = open_store(":memory:", kClock);
  req.source.options.offline = true;
  const auto r = service::fetch_symbols({st2.get()}, req);
  EXPECT_EQ(s.total(), 1);
  EXPECT_EQ(r.stats.cache_reads, 1u);
  EXPECT_EQ(st2->symbol_info("AAPL")->name, "Apple Inc.");
  std::filesystem::remove_all(cache);

  service::Context viewer{st.get()};
  viewer.actor.role = Role::kViewer;
  req.full = true;
  try {
    service::fetch_symbols(viewer, req);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
  }
}

}  // namespace
}  // namespace keel
