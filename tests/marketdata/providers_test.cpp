// Each provider's client against its documented response format, served from loopback.
#include "keel/marketdata/provider.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "keel/core/error.h"
#include "keel/marketdata/zip.h"
#include "loopback_server.h"

namespace keel::marketdata {
namespace {

using keel::testing::fixture;
using keel::testing::LoopbackServer;

Date d(const char* s) { return Date::parse_or_throw(s); }

struct TempDir {
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("keel-md-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path;
};

ProviderOptions opts(const LoopbackServer& s, const std::string& cache = "") {
  ProviderOptions o;
  o.base_url = s.url();
  o.cache_dir = cache;
  o.requests_per_second = 1000;
  o.http.backoff_initial_ms = 1;
  o.http.max_attempts = 2;
  return o;
}

TEST(Yahoo, ParsesChartBarsAdjustedClosesAndDividends) {
  LoopbackServer s;
  s.serve("/v8/finance/chart/AAPL", "yahoo_chart_aapl_2017-11.json");
  auto p = make_provider("yahoo", opts(s));
  const PriceSeries ps = p->prices("AAPL", d("2017-11-08"), d("2017-11-14"));
  // Source rows (README): AAPL 2017-11-08 .. 2017-11-14, five sessions.
  ASSERT_EQ(ps.size(), 5u);
  EXPECT_EQ(ps.date.front(), d("2017-11-08"));
  EXPECT_EQ(ps.date.back(), d("2017-11-14"));
  EXPECT_DOUBLE_EQ(ps.close[1], 175.880005);
  EXPECT_DOUBLE_EQ(ps.adj_close[1], 175.25);
  EXPECT_DOUBLE_EQ(ps.volume[0], 24409500);
  ASSERT_EQ(ps.actions.size(), 1u);
  EXPECT_EQ(ps.actions[0].kind, ActionKind::kDividend);
  EXPECT_EQ(ps.actions[0].ex_date, d("2017-11-10"));
  EXPECT_DOUBLE_EQ(ps.actions[0].cash_amount, 0.63);
  EXPECT_TRUE(ps.has_adj_close);
  // The request asked for the documented parameters: period2 is exclusive (the day after `to`).
  const std::string t = s.last_target();
  EXPECT_NE(t.find("period1=1510099200"), std::string::npos) << t;  // 2017-11-08 00:00 UTC
  EXPECT_NE(t.find("period2=1510704000"), std::string::npos) << t;  // 2017-11-15 00:00 UTC
  EXPECT_NE(t.find("interval=1d"), std::string::npos) << t;
  EXPECT_EQ(p->http_stats().requests, 1u);
}

TEST(Yahoo, SkipsNullBarsAndReportsThem) {
  LoopbackServer s;
  s.serve("/v8/finance/chart/AAPL", "yahoo_chart_aapl_null_day.json");
  const PriceSeries ps = make_provider("yahoo", opts(s))->prices("AAPL", d("2017-11-08"), d("2017-11-14"));
  EXPECT_EQ(ps.size(), 4u);
  ASSERT_EQ(ps.skipped.size(), 1u);
  EXPECT_NE(ps.skipped[0].find("2017-11-13"), std::string::npos) << ps.skipped[0];
}

TEST(Yahoo, NotFoundAndMalformedAreClearErrors) {
  LoopbackServer s;
  s.on("/v8/finance/chart/NOPE", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(fixture("yahoo_chart_not_found.json"), "application/json");
  });
  s.serve("/v8/finance/chart/BAD", "yahoo_chart_malformed.json");
  auto p = make_provider("yahoo", opts(s));
  try {
    p->prices("NOPE", d("2017-11-08"), d("2017-11-14"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  try {
    p->prices("BAD", d("2017-11-08"), d("2017-11-14"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("malformed JSON"), std::string::npos) << e.what();
  }
}

TEST(Yahoo, OfflineRebuildsFromTheCacheWithoutRequests) {
  TempDir cache;
  {
    LoopbackServer s;
    s.serve("/v8/finance/chart/AAPL", "yahoo_chart_aapl_2017-11.json");
    make_provider("yahoo", opts(s, cache.path.string()))->prices("AAPL", d("2017-11-08"), d("2017-11-14"));
  }
  // The cache keeps the body beside its fetch time.
  const ResponseCache rc(cache.path.string());
  const auto cached = rc.list("yahoo", "AAPL");
  ASSERT_EQ(cached.size(), 1u);
  EXPECT_EQ(cached[0].fetched_at.size(), 20u);  // YYYY-MM-DDTHH:MM:SSZ
  ProviderOptions o;
  o.base_url = "http://127.0.0.1:9";  // nothing listens: any request would fail
  o.cache_dir = cache.path.string();
  o.offline = true;
  auto p = make_provider("yahoo", o);
  const PriceSeries ps = p->prices("AAPL", d("2017-11-09"), d("2017-11-13"));
  EXPECT_EQ(ps.size(), 3u);
  EXPECT_EQ(p->http_stats().requests, 0u);
  EXPECT_EQ(p->cache_reads(), 1u);
  EXPECT_THROW(p->prices("MSFT", d("2017-11-09"), d("2017-11-13")), Error);  // never fetched
}

TEST(Polygon, ParsesRawAggregatesAndActionsWithTheKeyKeptSecret) {
  const std::string key = "pk_test_0123456789abcdef";
  LoopbackServer s;
  s.on("/v2/aggs/ticker/AAPL/range/1/day/2014-06-02/2014-06-13", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("apiKey") != key || req.get_param_value("adjusted") != "false") {
      res.status = 403;
      res.set_content("{\"status\":\"NOT_AUTHORIZED\"}", "application/json");
      return;
    }
    res.set_content(fixture("polygon_aggs_aapl_2014-06.json"), "application/json");
  });
  s.serve("/v3/reference/splits", "polygon_splits_aapl.json");
  s.serve("/v3/reference/dividends", "polygon_empty.json");
  ProviderOptions o = opts(s);
  o.api_key = key;
  auto p = make_provider("polygon", o);
  const PriceSeries ps = p->prices("AAPL", d("2014-06-02"), d("2014-06-13"));
  ASSERT_EQ(ps.size(), 10u);
  EXPECT_EQ(ps.date[4], d("2014-06-06"));
  EXPECT_NEAR(ps.close[4], 645.570023, 1e-6);  // the close printed on 2014-06-06, before the split
  EXPECT_NEAR(ps.close[5], 93.699997, 1e-6);
  EXPECT_FALSE(ps.has_adj_close);
  const auto acts = p->actions("AAPL", d("2014-06-02"), d("2014-06-13"));
  ASSERT_EQ(acts.size(), 1u);
  EXPECT_EQ(acts[0].ex_date, d("2014-06-09"));
  EXPECT_DOUBLE_EQ(acts[0].split_ratio, 7.0);
}

TEST(Polygon, MissingKeyIsUnauthorizedNamingTheVariable) {
  ::unsetenv("KEEL_POLYGON_API_KEY");
  try {
    make_provider("polygon", ProviderOptions{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnauthorized);
    EXPECT_NE(std::string(e.what()).find("KEEL_POLYGON_API_KEY"), std::string::npos);
  }
}

TEST(Stooq, ParsesTheDailyCsv) {
  LoopbackServer s;
  s.on("/q/d/l/", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("s") != "msft.us" || req.get_param_value("i") != "d") {
      res.set_content("No data", "text/plain");
      return;
    }
    res.set_content(fixture("stooq_msft_missing_day.csv"), "text/csv");
  });
  auto p = make_provider("stooq", opts(s));
  const PriceSeries ps = p->prices("MSFT", d("2017-11-13"), d("2017-11-24"));
  ASSERT_EQ(ps.size(), 8u);  // nine sessions in the source, 2017-11-16 left out
  EXPECT_DOUBLE_EQ(ps.close[0], 83.93);
  EXPECT_NE(s.last_target().find("d1=20171113&d2=20171124"), std::string::npos) << s.last_target();
  EXPECT_THROW(p->prices("ZZZZ", d("2017-11-13"), d("2017-11-24")), Error);
}

TEST(Treasury, ParsesTheParYieldCsvInDecimal) {
  LoopbackServer s;
  s.serve("/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/2020/all",
          "treasury_par_yield_2020.csv", "text/csv");
  const auto curves = make_provider("treasury", opts(s))->curves(d("2020-01-02"), d("2020-01-06"));
  ASSERT_EQ(curves.size(), 3u);  // 01-02, 01-03, 01-06 (a weekend between)
  EXPECT_EQ(*curves[0].as_of, d("2020-01-02"));
  ASSERT_EQ(curves[0].points.size(), 12u);
  EXPECT_EQ(curves[0].points.front().tenor, "1M");
  EXPECT_NEAR(curves[0].points.front().rate, 0.0153, 1e-12);  // 1.53 %
  EXPECT_EQ(curves[0].points.back().tenor, "30Y");
  EXPECT_NEAR(curves[0].points.back().rate, 0.0233, 1e-12);
  EXPECT_EQ(curves[0].kind, CurveKind::kPar);
}

TEST(Fred, BuildsTheConstantMaturityCurveAndSkipsMissingValues) {
  const std::string key = "abcdef0123456789abcdef0123456789";
  LoopbackServer s;
  s.on("/fred/series/observations", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("api_key") != key || req.get_param_value("file_type") != "json") {
      res.status = 400;
      return;
    }
    res.set_content(fixture("fred_" + req.get_param_value("series_id") + ".json"), "application/json");
  });
  ProviderOptions o = opts(s);
  o.api_key = key;
  auto p = make_provider("fred", o);
  const auto curves = p->curves(d("2020-01-01"), d("2020-01-06"));
  ASSERT_EQ(curves.size(), 3u);  // New Year's Day is "." in every series
  EXPECT_EQ(curves[0].points.size(), 11u);
  EXPECT_NEAR(curves[0].points[8].rate, 0.0188, 1e-12);  // DGS10 on 2020-01-02: 1.88 %
  EXPECT_EQ(curves[0].points[8].tenor, "10Y");
  EXPECT_EQ(p->http_stats().requests, 11u);
}

TEST(French, ReadsTheFiveFactorZip) {
  LoopbackServer s;
  s.serve("/pub/faculty/ken.french/ftp/F-F_Research_Data_5_Factors_2x3_daily_CSV.zip", "french_ff5_daily.zip",
          "application/x-zip-compressed");
  const FactorTable t = make_provider("french", opts(s))->factors("ff5", d("2024-03-26"), d("2024-12-31"));
  ASSERT_EQ(t.names, (std::vector<std::string>{"mkt_rf", "smb", "hml", "rmw", "cma", "rf"}));
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.dates[0], d("2024-03-26"));
  EXPECT_NEAR(t.at(0, 3), -0.0050, 1e-12);  // RMW -0.50 %
  EXPECT_NEAR(t.at(2, 5), 0.00021, 1e-12);  // RF 0.021 %
}

TEST(Zip, RefusesNonZipAndDamagedEntries) {
  EXPECT_THROW(zip_find_entry("not a zip", ".csv", "x"), Error);
  std::string z = fixture("french_ff5_daily.zip");
  // Flip a byte inside the deflated data (after the 30-byte local header and the name).
  z[30 + 41 + 20] ^= 0x55;
  EXPECT_THROW(zip_find_entry(z, ".csv", "x"), Error);
}

}  // namespace
}  // namespace keel::marketdata
