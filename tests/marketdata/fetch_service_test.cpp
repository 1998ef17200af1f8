// service::fetch_prices and friends: incremental sync, all-or-nothing storage, adjusted closes,
// the batch step and the ledger's splits, against loopback providers and an in-memory store.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "keel/core/error.h"
#include "keel/marketdata/environment.h"
#include "keel/service/market_data.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/market_data_repository.h"
#include "loopback_server.h"

namespace keel::service {
namespace {

using keel::testing::fixture;
using keel::testing::LoopbackServer;

Date d(const char* s) { return Date::parse_or_throw(s); }

MarketDataSource source(const LoopbackServer& s, const std::string& provider) {
  MarketDataSource src;
  src.provider = provider;
  src.options.base_url = s.url();
  src.options.api_key = provider == "polygon" ? "pk_secret_key_42" : "";
  src.options.requests_per_second = 1000;
  src.options.http.backoff_initial_ms = 1;
  src.options.http.max_attempts = 2;
  return src;
}

double stored(Store& st, const char* symbol, const char* date, PriceField field) {
  const auto h = st.price_history({symbol}, d(date), d(date), field);
  return h.rows() == 1 ? h.at(0, 0) : NAN;
}

TEST(FetchPrices, StoresYahooBarsThenRequestsNothingTheSecondTime) {
  LoopbackServer s;
  s.serve("/v8/finance/chart/AAPL", "yahoo_chart_aapl_2017-11.json");
  auto st = open_store(":memory:");
  FetchPricesRequest req;
  req.source = source(s, "yahoo");
  req.symbols = {"AAPL"};
  req.from = d("2017-11-08");
  req.to = d("2017-11-14");
  req.today = d("2026-11-23");
  const auto r = fetch_prices({st.get()}, req);
  EXPECT_EQ(r.fetched_bars, 5u);
  EXPECT_EQ(r.flagged, 0u) << spec::to_json(r).dump(1);
  EXPECT_EQ(r.symbols[0].new_bars, 5u);
  EXPECT_DOUBLE_EQ(stored(*st, "AAPL", "2017-11-09", PriceField::kAdjustedClose), 175.25);
  EXPECT_DOUBLE_EQ(stored(*st, "AAPL", "2017-11-09", PriceField::kClose), 175.880005);
  store::MarketDataRepository& repo = st->market_data();
  const auto acts = repo.actions("AAPL");
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_DOUBLE_EQ(acts[0].cash_amount, 0.63);
  EXPECT_EQ(s.total(), 1);
  // Incremental: the range is covered, so the second sync makes no request at all.
  const auto again = fetch_prices({st.get()}, req);
  EXPECT_EQ(s.total(), 1);
  EXPECT_EQ(again.stats.requests, 0u);
  EXPECT_EQ(again.symbols[0].status, "up_to_date");
}

TEST(FetchPrices, OnlyTheMissingDatesAreRequested) {
  LoopbackServer s;
  std::vector<std::string> ranges;
  s.on("/v8/finance/chart/AAPL", [&](const httplib::Request& req, httplib::Response& res) {
    ranges.push_back(req.get_param_value("period1") + "-" + req.get_param_value("period2"));
    res.set_content(fixture("yahoo_chart_aapl_2017-11.json"), "application/json");
  });
  auto st = open_store(":memory:");
  FetchPricesRequest req;
  req.source = source(s, "yahoo");
  req.symbols = {"AAPL"};
  req.from = d("2017-11-08");
  req.to = d("2017-11-10");
  req.today = d("2026-11-23");
  fetch_prices({st.get()}, req);
  req.to = d("2017-11-14");
  fetch_prices({st.get()}, req);
  ASSERT_EQ(ranges.size(), 2u);
  // Second request: 2017-11-11 00:00 UTC (1510358400) to the end of 2017-11-14 (1510704000).
  EXPECT_EQ(ranges[1], "1510358400-1510704000");
}

TEST(FetchPrices, PolygonRawBarsGetAdjustedClosesFromTheSplit) {
  LoopbackServer s;
  s.serve("/v2/aggs/ticker/AAPL/range/1/day/.*", "polygon_aggs_aapl_2014-06.json");
  s.serve("/v3/reference/splits", "polygon_splits_aapl.json");
  s.serve("/v3/reference/dividends", "polygon_empty.json");
  auto st = open_store(":memory:");
  FetchPricesRequest req;
  req.source = source(s, "polygon");
  req.symbols = {"AAPL"};
  req.from = d("2014-06-02");
  req.to = d("2014-06-13");
  req.today = d("2026-11-23");
  const auto r = fetch_prices({st.get()}, req);
  EXPECT_EQ(r.flagged, 0u) << spec::to_json(r).dump(1);
  EXPECT_EQ(r.symbols[0].jumps_explained_by_splits, 1u);
  // Raw close kept; adjusted close = raw / 7 = the source's split-adjusted close (README).
  EXPECT_NEAR(stored(*st, "AAPL", "2014-06-06", PriceField::kClose), 645.570023, 1e-6);
  EXPECT_NEAR(stored(*st, "AAPL", "2014-06-06", PriceField::kAdjustedClose), 92.224289, 1e-6);
}

TEST(FetchPrices, OneBadSymbolIsReportedTheOthersAreStoredAndKeysStaySecret) {
  LoopbackServer s;
  s.serve("/v2/aggs/ticker/AAPL/range/1/day/.*", "polygon_aggs_aapl_2017-11.json");
  s.on("/v2/aggs/ticker/MSFT/range/1/day/.*", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 500;  // persistently failing, echoing the request (key included)
    res.set_content("internal error for " + req.target, "text/plain");
  });
  s.serve("/v3/reference/.*", "polygon_empty.json");
  auto st = open_store(":memory:");
  FetchPricesRequest req;
  req.source = source(s, "polygon");
  req.symbols = {"AAPL", "MSFT"};
  req.from = d("2017-11-08");
  req.to = d("2017-11-14");
  req.today = d("2026-11-23");
  // A delisted or failing symbol does not cost the others their prices: AAPL is stored, MSFT is
  // reported failed (why, in a warning) and nothing of it is stored.
  const auto r = fetch_prices({st.get()}, req);
  EXPECT_TRUE(r.stored);
  EXPECT_EQ(r.failed, 1u);
  ASSERT_EQ(r.symbols.size(), 2u);
  EXPECT_EQ(r.symbols[0].status, "fetched");
  EXPECT_EQ(r.symbols[1].status, "failed");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].rfind("MSFT: not stored: ", 0), 0u) << r.warnings[0];
  EXPECT_EQ(spec::to_json(r).dump().find("pk_secret_key_42"), std::string::npos);
  EXPECT_EQ(st->last_price_date(), d("2017-11-14"));
  EXPECT_TRUE(std::isnan(stored(*st, "MSFT", "2017-11-09", PriceField::kClose)));
  // sync_prices (the batch step): ok, and says what was not stored.
  const auto step = sync_prices({st.get()}, req);
  EXPECT_EQ(step.status, "ok");
  EXPECT_NE(step.message.value_or("").find("1 not stored (failed: MSFT)"), std::string::npos) << *step.message;
  EXPECT_EQ(spec::to_json(step).dump().find("pk_secret_key_42"), std::string::npos);

  // When every symbol fails, nothing is stored and the fetch is an error naming each.
  req.symbols = {"MSFT"};
  try {
    fetch_prices({st.get()}, req);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string all = e.what();
    for (const auto& x : e.details()) all += "\n" + x;
    EXPECT_NE(all.find("failed for 1 of 1 symbols; nothing was stored"), std::string::npos) << all;
    EXPECT_EQ(all.find("pk_secret_key_42"), std::string::npos) << all;
  }
  EXPECT_EQ(sync_prices({st.get()}, req).status, "failed");
}

// `account`: the symbols a ledger account holds in open lots, sold-out ones left out.
TEST(FetchPrices, AnAccountsHoldingsAreWhatIsFetched) {
  LoopbackServer s;
  s.serve("/v8/finance/chart/AAPL", "yahoo_chart_aapl_2017-11.json");
  auto st = open_store(":memory:");
  auto row = [](const char* date, ledger::TxType type, const char* symbol, int quantity, int price) {
    ledger::Transaction t;
    t.date = d(date);
    t.type = type;
    t.symbol = symbol;
    t.quantity = ledger::Decimal::from_int(quantity);
    t.price = ledger::Decimal::from_int(price);
    return t;
  };
  std::vector<ledger::Transaction> rows = {row("2017-01-03", ledger::TxType::kBuy, "AAPL", 10, 116),
                                           row("2017-01-03", ledger::TxType::kBuy, "ZZZX", 5, 10),
                                           row("2017-02-03", ledger::TxType::kSell, "ZZZX", 5, 12)};
  for (auto& t : rows) t.account = "roth";
  st->ledger().ensure_account(kDefaultTenant, "roth");
  st->ledger().save_transactions(kDefaultTenant, "roth", rows, false);
  FetchPricesRequest req;
  req.source = source(s, "yahoo");
  req.account = "roth";
  req.from = d("2017-11-08");
  req.to = d("2017-11-14");
  req.today = d("2026-11-23");
  const auto r = fetch_prices({st.get()}, req);
  ASSERT_EQ(r.symbols.size(), 1u);  // ZZZX was sold: not asked for
  EXPECT_EQ(r.symbols[0].symbol, "AAPL");
  EXPECT_EQ(r.symbols[0].new_bars, 5u);
  req.account = "nope";
  EXPECT_THROW(fetch_prices({st.get()}, req), Error);
}

TEST(FetchPrices, MalformedBarIsRefused) {
  LoopbackServer s;
  std::string body = fixture("yahoo_chart_aapl_2017-11.json");
  // Make the high of 2017-11-08 (176.240005, also its close) lower than its close.
  const auto pos = body.find("176.240005");
  ASSERT_NE(pos, std::string::npos);
  s.on("/v8/finance/chart/AAPL", [body](const httplib::Request&, httplib::Response& res) {
    nlohmann::json j = nlohmann::json::parse(body);
    j["chart"]["result"][0]["indicators"]["quote"][0]["high"][0] = 170.0;
    res.set_content(j.dump(), "application/json");
  });
  auto st = open_store(":memory:");
  FetchPricesRequest req;
  req.source = source(s, "yahoo");
  req.symbols = {"AAPL"};
  req.from = d("2017-11-08");
  req.to = d("2017-11-14");
  req.today = d("2026-11-23");
  try {
    fetch_prices({st.get()}, req);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    // 2017-11-08: open 174.660004, close 176.240005, low 174.330002: a high of 170 fails twice.
    ASSERT_EQ(e.details().size(), 2u);
    EXPECT_NE(e.details()[0].find("2017-11-08: ohlc: high 170 is below max(open, close) 176.24"), std::string::npos)
        << e.details()[0];
    EXPECT_NE(e.details()[1].find("2017-11-08: ohlc: low 174.33 is above high 170"), std::string::npos) << e.details()[1];
  }
  EXPECT_FALSE(st->last_price_date().has_value());
}

TEST(MarketDataStep, OffWithoutProviderAndSyncsHeldSymbolsWithOne) {
  auto st = open_store(":memory:");
  Position p;
  p.symbol = "AAPL";
  p.quantity = 10;
  st->save_portfolio("default", "book", {p}, "test");
  EXPECT_EQ(market_data_step({st.get()}, {}, {"book"}).status, "n/a");
  LoopbackServer s;
  s.serve("/v8/finance/chart/AAPL", "yahoo_chart_aapl_2017-11.json");
  MarketDataStep step;
  step.provider = "yahoo";
  step.options = source(s, "yahoo").options;
  const auto cache = std::filesystem::temp_directory_path() / ("keel-md-step-" + std::to_string(::getpid()));
  step.options.cache_dir = cache.string();  // else the user's cache folder
  const auto r = market_data_step({st.get()}, step, {"book"});
  std::filesystem::remove_all(cache);
  EXPECT_EQ(r.status, "ok") << spec::to_json(r).dump(1);
  EXPECT_EQ(s.total(), 1);
  ASSERT_TRUE(r.report.has_value());
  EXPECT_EQ(r.report->symbols[0].symbol, "AAPL");
}

TEST(FetchCurveAndFactors, StoreTreasuryCurvesAndFrenchFactors) {
  LoopbackServer s;
  s.serve("/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/2020/all",
          "treasury_par_yield_2020.csv", "text/csv");
  s.serve("/pub/faculty/ken.french/ftp/F-F_Research_Data_5_Factors_2x3_daily_CSV.zip", "french_ff5_daily.zip",
          "application/zip");
  auto st = open_store(":memory:");
  FetchCurveRequest c;
  c.source = source(s, "treasury");
  c.from = d("2020-01-02");
  c.to = d("2020-01-09");
  EXPECT_EQ(fetch_curve({st.get()}, c).curves, 6u);
  const auto curve = st->curve("UST", d("2020-01-06"));
  ASSERT_TRUE(curve.has_value());
  EXPECT_NEAR(curve->points.back().rate, 0.0228, 1e-12);  // 30 Yr 2.28 % on 2020-01-06
  FetchFactorsRequest f;
  f.source = source(s, "french");
  f.to = d("2024-12-31");
  EXPECT_EQ(fetch_factors({st.get()}, f).rows, 4u);
  const auto t = st->factors("ff5", std::nullopt, std::nullopt);
  ASSERT_EQ(t.rows(), 4u);
  EXPECT_NEAR(t.at(2, 1), 0.0129, 1e-12);  // SMB 1.29 % on 2024-03-27
  // Nothing new: the set already ends on 2024-03-28, the archive has no later row.
  EXPECT_EQ(fetch_factors({st.get()}, f).rows, 0u);
}

TEST(LedgerSplits, StoreSplitsBecomeSplitRowsOnce) {
  auto st = open_store(":memory:");
  store::MarketDataRepository& repo = st->market_data();
  store::MarketDataWrite w;
  w.actions.push_back({"AAPL", d("2014-06-09"), ActionKind::kSplit, 7.0, 0.0, "USD"});
  w.actions.push_back({"AAPL", d("2020-08-31"), ActionKind::kSplit, 4.0, 0.0, "USD"});
  w.actions.push_back({"AAPL", d("2010-01-04"), ActionKind::kSplit, 2.0, 0.0, "USD"});  // before the first buy
  repo.save_fetch(w);
  std::vector<ledger::Transaction> txs(2);
  txs[0].date = d("2013-01-02");
  txs[0].type = ledger::TxType::kBuy;
  txs[0].account = "broker";
  txs[0].symbol = "AAPL";
  txs[1].date = d("2020-08-31");  // the ledger already has the 2020 split
  txs[1].type = ledger::TxType::kSplit;
  txs[1].account = "broker";
  txs[1].symbol = "AAPL";
  txs[1].split_ratio = ledger::SplitRatio{4, 1};
  EXPECT_EQ(add_store_splits(*st, txs), 1u);
  ASSERT_EQ(txs.size(), 3u);
  EXPECT_EQ(txs[1].date, d("2014-06-09"));
  EXPECT_EQ(txs[1].type, ledger::TxType::kSplit);
  EXPECT_EQ(txs[1].split_ratio->numerator, 7);
  EXPECT_EQ(txs[1].split_ratio->denominator, 1);
}

// The faces read the market-data environment (the service reads none): KEEL_MARKET_DATA_* and the
// cache root of KEEL_CACHE_DIR, as docs/marketdata.md lists them.
TEST(MarketDataEnvironment, ReadsTheVariablesTheDocsName) {
  ::setenv("KEEL_MARKET_DATA_PROVIDER", "stooq", 1);
  ::setenv("KEEL_MARKET_DATA_BASE_URL", "http://127.0.0.1:9", 1);
  ::setenv("KEEL_MARKET_DATA_OFFLINE", "1", 1);
  ::setenv("KEEL_CACHE_DIR", "/tmp/keel-cache-test", 1);
  auto env = marketdata::market_data_environment();
  EXPECT_EQ(env.provider, "stooq");
  EXPECT_EQ(env.options.base_url, "http://127.0.0.1:9");
  EXPECT_TRUE(env.options.offline);
  EXPECT_EQ(env.options.cache_dir, "/tmp/keel-cache-test");
  ::setenv("KEEL_MARKET_DATA_OFFLINE", "yes", 1);  // only "1" turns it on
  EXPECT_FALSE(marketdata::market_data_environment().options.offline);
  for (const char* v : {"KEEL_MARKET_DATA_PROVIDER", "KEEL_MARKET_DATA_BASE_URL", "KEEL_MARKET_DATA_OFFLINE", "KEEL_CACHE_DIR"}) {
    ::unsetenv(v);
  }
  env = marketdata::market_data_environment();
  EXPECT_EQ(env.provider, "");
  EXPECT_EQ(env.options.base_url, "");
  EXPECT_FALSE(env.options.offline);
}

}  // namespace
}  // namespace keel::service
