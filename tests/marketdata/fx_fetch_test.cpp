// `keel fetch fx` against loopback emulators of the ECB's SDMX REST API (CSV) and FRED's series
// observations (JSON): the wire formats, a day without a value, the incremental sync (from the
// day after the last stored rate), all-or-nothing storage and the rates read back through routes.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "keel/core/error.h"
#include "keel/marketdata/provider.h"
#include "keel/service/fx.h"
#include "keel/service/fx_fetch.h"
#include "keel/store/fx_repository.h"
#include "loopback_server.h"

namespace keel::service {
namespace {

using keel::testing::LoopbackServer;

Date d(const char* s) { return Date::parse_or_throw(s); }

// The ECB's euro reference rates the emulator publishes: units of the currency per EUR.
const std::map<std::string, std::map<std::string, std::string>> kEcb = {
    {"USD", {{"2024-03-01", "1.0838"}, {"2024-03-04", "1.0858"}, {"2024-03-05", "1.0853"}, {"2024-03-06", ""}}},
    {"GBP", {{"2024-03-01", "0.85635"}, {"2024-03-04", "0.85525"}, {"2024-03-05", "0.8551"}, {"2024-03-06", ""}}},
};

// GET /service/data/EXR/D.USD+GBP.EUR.SP00.A?format=csvdata&startPeriod=&endPeriod=, answered as
// the ECB does: CSV with the series key columns, TIME_PERIOD, OBS_VALUE and more columns after.
void serve_ecb(LoopbackServer& s) {
  s.on(R"(/service/data/EXR/D\.([A-Z+]+)\.EUR\.SP00\.A)", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("format") != "csvdata") {
      res.status = 406;
      return;
    }
    const std::string from = req.get_param_value("startPeriod"), to = req.get_param_value("endPeriod");
    std::string body = "KEY,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n";
    std::string keys = req.matches[1];
    std::size_t start = 0;
    while (start <= keys.size()) {
      const std::size_t plus = keys.find('+', start);
      const std::string c = keys.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
      start = plus == std::string::npos ? keys.size() + 1 : plus + 1;
      const auto it = kEcb.find(c);
      if (it == kEcb.end()) continue;
      for (const auto& [day, value] : it->second) {
        if (day < from || day > to) continue;
        body += "EXR.D." + c + ".EUR.SP00.A,D," + c + ",EUR,SP00,A," + day + "," + value + ",A\n";
      }
    }
    res.set_content(body, "text/csv");
  });
}

MarketDataSource source(const LoopbackServer& s, const std::string& provider) {
  MarketDataSource src;
  src.provider = provider;
  src.options.base_url = s.url();
  src.options.api_key = provider == "fred" ? "abcdef0123456789abcdef0123456789" : "";
  src.options.requests_per_second = 1000;
  src.options.http.backoff_initial_ms = 1;
  src.options.http.max_attempts = 2;
  return src;
}

TEST(FetchFx, EcbRatesAreStoredThenOnlyTheNewDaysAreAskedFor) {
  LoopbackServer s;
  serve_ecb(s);
  auto st = open_store(":memory:");
  FetchFxRequest req;
  req.source = source(s, "ecb");
  req.currencies = {"USD", "GBP"};
  req.from = d("2024-03-01");
  req.to = d("2024-03-04");
  const auto r = fetch_fx({st.get()}, req);
  EXPECT_EQ(r.status, "fetched");
  EXPECT_EQ(r.rates, 4u);
  ASSERT_EQ(r.pairs.size(), 2u);
  EXPECT_EQ(r.pairs[0].pair, "EUR/GBP");
  EXPECT_EQ(r.pairs[1].pair, "EUR/USD");
  EXPECT_NE(s.last_target().find("startPeriod=2024-03-01&endPeriod=2024-03-04"), std::string::npos)
      << s.last_target();
  // EUR is the base: 1 EUR = 1.0838 USD; GBP→USD crosses through EUR: 1.0838 / 0.85635.
  EXPECT_DOUBLE_EQ(fx_rate({st.get()}, {"EUR", "USD", d("2024-03-01")}).rate, 1.0838);
  const auto cross = fx_rate({st.get()}, {"GBP", "USD", d("2024-03-01")});
  EXPECT_NEAR(cross.rate, 1.0838 / 0.85635, 1e-15);
  EXPECT_EQ(cross.via, "EUR");

  // Incremental: the next sync asks from the day after the last stored rate (2024-03-05); the
  // 6th has no value (an empty OBS_VALUE) and is skipped.
  req.from.reset();
  req.to = d("2024-03-06");
  const auto next = fetch_fx({st.get()}, req);
  EXPECT_NE(s.last_target().find("startPeriod=2024-03-05&endPeriod=2024-03-06"), std::string::npos)
      << s.last_target();
  EXPECT_EQ(next.rates, 2u);
  EXPECT_EQ(next.pairs[1].stored_until->to_string(), "2024-03-04");
  const auto pairs = st->fx().pairs();
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[1].last, d("2024-03-05"));
  EXPECT_EQ(pairs[1].rates, 3u);
  // Up to date: no request at all.
  const int before = s.total();
  req.to = d("2024-03-05");
  EXPECT_EQ(fetch_fx({st.get()}, req).status, "up_to_date");
  EXPECT_EQ(s.total(), before);
}

TEST(FetchFx, FredSeriesInTheirOwnDirectionAndAMissingDay) {
  LoopbackServer s;
  const std::map<std::string, std::string> bodies = {
      // USD per EUR; New Year's Day is ".".
      {"DEXUSEU",
       R"({"observations":[{"date":"2024-01-01","value":"."},{"date":"2024-01-02","value":"1.0956"},)"
       R"({"date":"2024-01-03","value":"1.0919"}]})"},
      // JPY per USD.
      {"DEXJPUS",
       R"({"observations":[{"date":"2024-01-01","value":"."},{"date":"2024-01-02","value":"141.29"},)"
       R"({"date":"2024-01-03","value":"142.87"}]})"}};
  s.on("/fred/series/observations", [&](const httplib::Request& req, httplib::Response& res) {
    const auto it = bodies.find(req.get_param_value("series_id"));
    if (req.get_param_value("api_key") != "abcdef0123456789abcdef0123456789" || it == bodies.end()) {
      res.status = 400;
      return;
    }
    res.set_content(it->second, "application/json");
  });
  auto st = open_store(":memory:");
  FetchFxRequest req;
  req.source = source(s, "fred");
  req.currencies = {"EUR", "JPY"};
  req.from = d("2024-01-01");
  req.to = d("2024-01-03");
  const auto r = fetch_fx({st.get()}, req);
  EXPECT_EQ(r.rates, 4u);
  ASSERT_EQ(r.pairs.size(), 2u);
  EXPECT_EQ(r.pairs[0].pair, "EUR/USD");
  EXPECT_EQ(r.pairs[1].pair, "USD/JPY");
  // EUR→JPY through USD: 1.0919 USD per EUR x 142.87 JPY per USD.
  const auto q = fx_rate({st.get()}, {"EUR", "JPY", d("2024-01-03")});
  EXPECT_NEAR(q.rate, 1.0919 * 142.87, 1e-10);
  EXPECT_EQ(q.via, "USD");
  // A currency FRED has no series of is refused before any request.
  req.currencies = {"XAU"};
  EXPECT_THROW(fetch_fx({st.get()}, req), Error);
}

TEST(FetchFx, AMalformedAnswerStoresNothing) {
  LoopbackServer s;
  s.on(R"(/service/data/EXR/.*)", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        "KEY,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE\n"
        "EXR.D.USD.EUR.SP00.A,D,USD,EUR,SP00,A,2024-03-01,1.0838\n"
        "EXR.D.USD.EUR.SP00.A,D,USD,EUR,SP00,A,2024-03-04,-1\n",
        "text/csv");
  });
  auto st = open_store(":memory:");
  FetchFxRequest req;
  req.source = source(s, "ecb");
  req.currencies = {"USD"};
  req.from = d("2024-03-01");
  req.to = d("2024-03-04");
  EXPECT_THROW(fetch_fx({st.get()}, req), Error);
  EXPECT_TRUE(st->fx().pairs().empty());
  // A provider without FX rates.
  req.source.provider = "stooq";
  EXPECT_THROW(fetch_fx({st.get()}, req), Error);
}

}  // namespace
}  // namespace keel::service
