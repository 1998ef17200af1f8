// `keel fetch macro` against a loopback emulator of FRED's API (GET /fred/series for a series'
// description, GET /fred/series/observations for its values, both JSON with the api_key and
// file_type=json parameters), and what reads the stored series: the year-over-year changes of
// `keel macro show`, planning's inflation_series and the ALM rate_driver. Every expected figure
// is worked out by hand in the test from the emulator's values.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/service/alm_runs.h"
#include "keel/service/macro.h"
#include "keel/service/plan.h"
#include "keel/store/macro_repository.h"
#include "loopback_server.h"

namespace keel::service {
namespace {

using keel::testing::LoopbackServer;

Date d(const char* s) { return Date::parse_or_throw(s); }

constexpr const char* kKey = "abcdef0123456789abcdef0123456789";

// The emulator's series: CPI (an index, monthly, dated the 1st), the unemployment rate (percent)
// and the 10-year Treasury yield (percent, daily; "." on a holiday).
struct Series {
  const char* title;
  const char* units;
  const char* frequency;
  std::vector<std::pair<std::string, std::string>> values;
};
const std::map<std::string, Series> kSeries = {
    {"CPIAUCSL",
     {"Consumer Price Index for All Urban Consumers: All Items in U.S. City Average", "Index 1982-1984=100",
      "Monthly",
      {{"2022-06-01", "296.311"}, {"2022-07-01", "296.276"}, {"2023-06-01", "303.841"}, {"2023-07-01", "304.348"},
       {"2024-06-01", "309.685"}}}},
    {"UNRATE", {"Unemployment Rate", "Percent", "Monthly", {{"2024-05-01", "4.0"}, {"2024-06-01", "4.1"}}}},
    {"DGS10",
     {"Market Yield on U.S. Treasury Securities at 10-Year Constant Maturity", "Percent", "Daily",
      {{"2020-01-02", "1.88"}, {"2020-07-03", "."}, {"2021-01-04", "0.93"}}}},
};

struct Fred {
  LoopbackServer s;
  std::vector<std::string> targets;  // every request's path and query, in order
  std::string broken;                // a series answered with a malformed observation
  Fred() {
    s.on("/fred/series", [this](const httplib::Request& req, httplib::Response& res) {
      targets.push_back(req.target);
      const auto it = kSeries.find(req.get_param_value("series_id"));
      if (req.get_param_value("api_key") != kKey || req.get_param_value("file_type") != "json" ||
          it == kSeries.end()) {
        res.status = 400;
        res.set_content(R"({"error_code":400,"error_message":"Bad Request.  The series does not exist."})",
                        "application/json");
        return;
      }
      nlohmann::json s = {{"id", it->first},
                          {"title", it->second.title},
                          {"units", it->second.units},
                          {"frequency", it->second.frequency}};
      res.set_content(nlohmann::json{{"seriess", nlohmann::json::array({s})}}.dump(), "application/json");
    });
    s.on("/fred/series/observations", [this](const httplib::Request& req, httplib::Response& res) {
      targets.push_back(req.target);
      const std::string id = req.get_param_value("series_id");
      const auto it = kSeries.find(id);
      if (req.get_param_value("api_key") != kKey || it == kSeries.end()) {
        res.status = 400;
        return;
      }
      const std::string from = req.get_param_value("observation_start"), to = req.get_param_value("observation_end");
      nlohmann::json obs = nlohmann::json::array();
      for (const auto& [day, value] : it->second.values) {
        if (day >= from && day <= to) obs.push_back({{"date", day}, {"value", id == broken ? "n/a" : value}});
      }
      res.set_content(nlohmann::json{{"observations", obs}}.dump(), "application/json");
    });
  }
  MarketDataSource source() const {
    MarketDataSource src = provider_source("fred");
    src.options.base_url = s.url();
    src.options.api_key = kKey;
    src.options.requests_per_second = 1000;
    src.options.http.backoff_initial_ms = 1;
    src.options.http.max_attempts = 2;
    return src;
  }
};

TEST(FetchMacro, SeriesAreStoredWithTheirUnitsThenOnlyNewDatesAreAskedFor) {
  Fred fred;
  auto st = open_store(":memory:");
  const Context cx{st.get()};
  FetchMacroRequest req;
  req.source = fred.source();
  req.series = {"cpiaucsl", "UNRATE"};
  req.from = d("2022-01-01");
  req.to = d("2023-12-31");
  const auto r = fetch_macro(cx, req);
  ASSERT_EQ(r.series.size(), 2u);
  EXPECT_EQ(r.series[0].series.id, "CPIAUCSL");  // upper-cased
  EXPECT_EQ(r.series[0].series.units, "Index 1982-1984=100");
  EXPECT_EQ(r.series[0].series.frequency, "Monthly");
  EXPECT_EQ(r.series[0].received, 4u);  // 2022-06 .. 2023-07
  EXPECT_EQ(r.series[0].status, "fetched");
  EXPECT_EQ(r.series[1].received, 0u);  // UNRATE's values are all in 2024
  EXPECT_EQ(r.series[1].status, "no_new_data");
  EXPECT_EQ(r.observations, 4u);
  ASSERT_FALSE(fred.targets.empty());
  const std::string cpi_obs =
      "/fred/series/observations?series_id=CPIAUCSL&api_key=" + std::string(kKey) +
      "&file_type=json&observation_start=2022-01-01&observation_end=2023-12-31";
  EXPECT_NE(std::find(fred.targets.begin(), fred.targets.end(), cpi_obs), fred.targets.end());

  const auto stored = st->macro().observations("CPIAUCSL", std::nullopt, std::nullopt);
  ASSERT_EQ(stored.size(), 4u);
  EXPECT_EQ(stored[0].date, d("2022-06-01"));
  EXPECT_DOUBLE_EQ(stored[3].value, 304.348);

  // Incremental: from the day after the last stored date (2023-07-01 + 1).
  req.series = {"CPIAUCSL"};
  req.from.reset();
  req.to = d("2024-12-31");
  const auto next = fetch_macro(cx, req);
  EXPECT_EQ(next.series[0].stored_until->to_string(), "2023-07-01");
  EXPECT_EQ(next.series[0].from, d("2023-07-02"));
  EXPECT_EQ(next.series[0].received, 1u);
  EXPECT_NE(fred.targets.back().find("observation_start=2023-07-02&observation_end=2024-12-31"), std::string::npos)
      << fred.targets.back();
  const auto list = macro_list(cx);
  ASSERT_EQ(list.items.size(), 2u);
  EXPECT_EQ(list.items[0].id, "CPIAUCSL");
  EXPECT_EQ(list.items[0].observations, 5u);
  EXPECT_EQ(list.items[0].last->to_string(), "2024-06-01");
  // Up to date: no request.
  const std::size_t before = fred.targets.size();
  req.to = d("2024-06-01");
  EXPECT_EQ(fetch_macro(cx, req).series[0].status, "up_to_date");
  EXPECT_EQ(fred.targets.size(), before);
}

// yoy(t) = x(t) / x(t - 1 year) - 1 (docs/macro.md):
//   2023-06-01: 303.841 / 296.311 - 1 = 0.0254124889...
//   2023-07-01: 304.348 / 296.276 - 1 = 0.0272448662...
//   2024-06-01: 309.685 / 303.841 - 1 = 0.0192337439...
// and none for 2022's months (nothing a year before) nor 2024-06's neighbour 2023-07 in 2024.
TEST(FetchMacro, YearOverYearChangesAreTheRatioToTheValueAYearEarlier) {
  Fred fred;
  auto st = open_store(":memory:");
  const Context cx{st.get()};
  FetchMacroRequest req;
  req.source = fred.source();
  req.series = {"CPIAUCSL"};
  req.from = d("2022-01-01");
  req.to = d("2024-12-31");
  fetch_macro(cx, req);
  const auto shown = macro_show(cx, {"CPIAUCSL", std::nullopt, std::nullopt});
  ASSERT_EQ(shown.observations.size(), 5u);
  EXPECT_FALSE(shown.observations[0].yoy.has_value());
  EXPECT_FALSE(shown.observations[1].yoy.has_value());
  EXPECT_NEAR(*shown.observations[2].yoy, 303.841 / 296.311 - 1.0, 1e-15);
  EXPECT_NEAR(*shown.observations[2].yoy, 0.0254124889, 1e-10);
  EXPECT_NEAR(*shown.observations[3].yoy, 304.348 / 296.276 - 1.0, 1e-15);
  EXPECT_NEAR(*shown.observations[4].yoy, 0.0192337439, 1e-10);
  EXPECT_EQ(macro_show(cx, {"CPIAUCSL", d("2023-01-01"), d("2023-12-31")}).observations.size(), 2u);

  // Planning's inflation: the latest yoy, 2024-06 over 2023-06.
  PlanRequest q;
  q.balance = 1'000'000;
  q.years = 30;
  q.withdrawal_rate = 0.04;
  q.trials = 200;
  q.inflation_series = "fred:CPIAUCSL";
  const auto in = build_plan_inputs(cx, q);
  EXPECT_NEAR(in.inflation.mean, 309.685 / 303.841 - 1.0, 1e-15);
  const auto run = plan_retire(cx, q);
  EXPECT_NEAR(run.inputs.inflation, 0.0192337439, 1e-10);
  EXPECT_EQ(run.inputs.inflation_source, std::optional<std::string>("fred:CPIAUCSL"));
  // A series not stored, and one without a value a year before its last.
  q.inflation_series = "CPILFESL";
  EXPECT_THROW(build_plan_inputs(cx, q), Error);
  store::MacroSeriesInfo young;
  young.id = "YOUNG";
  young.units = "Index";
  const std::vector<store::MacroObservation> rows = {{d("2024-01-01"), 100.0}, {d("2024-06-01"), 101.0}};
  st->macro().upsert(young, rows);
  q.inflation_series = "YOUNG";
  try {
    build_plan_inputs(cx, q);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_FALSE(e.details().empty());
    EXPECT_NE(e.details()[0].find("inflation_series: YOUNG has no observation within 31 days before 2023-06-01"),
              std::string::npos)
        << e.details()[0];
  }
}

// The rate driver: DGS10 moved from 1.88% (2020-01-02) to 0.93% (2021-01-04); over 12 months before
// the 2021-01-04 as-of date the base is the latest value on or before 2020-01-04, 1.88 on
// 2020-01-02: |0.93 - 1.88| = 0.95 points = 95 bp, the USD parallel shock in place of the
// table's 200. The NII and EVE are those of a shock table that says 95 bp.
TEST(FetchMacro, TheRateDriverSizesTheParallelShockFromTheSeriesMove) {
  Fred fred;
  auto st = open_store(":memory:");
  const Context cx{st.get()};
  FetchMacroRequest req;
  req.source = fred.source();
  req.series = {"DGS10"};
  req.from = d("2019-01-01");
  req.to = d("2021-12-31");
  EXPECT_EQ(fetch_macro(cx, req).series[0].received, 2u);  // the holiday's "." left out

  const auto c = macro_level_change(cx, "fred:DGS10", d("2021-01-04"), 12, "rate_driver");
  EXPECT_EQ(c.date, d("2021-01-04"));
  EXPECT_EQ(c.base_date, d("2020-01-02"));
  EXPECT_NEAR(c.change, 0.93 - 1.88, 1e-12);

  AlmRequest a;
  a.balance_sheet =
      "id,side,type,notional,start_date,maturity_date,rate_type,rate,payment_frequency,amortization,day_count,"
      "currency\n"
      "loan,asset,loan,1000000,2020-06-15,2025-06-15,fixed,0.03,12M,bullet,30/360,USD\n"
      "dep,liability,deposit,800000,2020-06-15,2021-06-15,fixed,0.005,12M,bullet,30/360,USD\n";
  AlmCurveInput curve;
  curve.currency = "USD";
  curve.text = "tenor,rate\n3M,0.01\n30Y,0.02\n";
  a.curves = {curve};
  a.currency = "USD";
  a.as_of = d("2021-01-04");
  AlmRequest table = a;
  a.rate_driver = "fred:DGS10:12";
  table.shock_table = "currency,parallel_bp,short_bp,long_bp\nUSD,95,300,150\n";
  const auto driven = alm_nii(cx, a);
  const auto explicit_table = alm_nii(cx, table);
  ASSERT_EQ(driven.scenarios.size(), explicit_table.scenarios.size());
  for (std::size_t i = 0; i < driven.scenarios.size(); ++i) {
    EXPECT_NEAR(driven.scenarios[i].nii, explicit_table.scenarios[i].nii, 1e-6) << driven.scenarios[i].name;
  }
  ASSERT_TRUE(driven.rate_driver.has_value());
  EXPECT_NE(driven.rate_driver->find("DGS10: 0.93 on 2021-01-04 - 1.88 on 2020-01-02 = -0.95 points over 12 months: "
                                     "USD parallel shock 95 bp (table: 200 bp)"),
            std::string::npos)
      << *driven.rate_driver;
  EXPECT_NEAR(alm_eve(cx, a).scenarios[0].delta, alm_eve(cx, table).scenarios[0].delta, 1e-6);
  // The parallel shock moves NII: 95 bp is not the table's 200.
  AlmRequest plain = a;
  plain.rate_driver.reset();
  EXPECT_GT(std::abs(alm_nii(cx, plain).scenarios[0].delta - driven.scenarios[0].delta), 1.0);

  a.rate_driver = "DGS10:0";
  EXPECT_THROW(alm_nii(cx, a), Error);
  a.rate_driver = "DGS10:36";  // nothing stored 36 months before 2021-01-04
  EXPECT_THROW(alm_nii(cx, a), Error);
}

// Malformed ids are named before any request; a malformed answer or an unknown series stores
// nothing of any series asked for.
TEST(FetchMacro, BadIdsAndAnswersStoreNothing) {
  Fred fred;
  auto st = open_store(":memory:");
  const Context cx{st.get()};
  FetchMacroRequest req;
  req.source = fred.source();
  req.from = d("2022-01-01");
  req.to = d("2024-12-31");
  req.series = {"CPI-U", ""};
  try {
    fetch_macro(cx, req);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_EQ(e.details().size(), 2u);
    EXPECT_NE(e.details()[0].find("series[0]: expected a series id of letters, digits and _"), std::string::npos);
    EXPECT_NE(e.details()[1].find("series[1]: expected a series id of 1 to 40 characters"), std::string::npos);
  }
  EXPECT_TRUE(fred.targets.empty());
  req.series = {"CPIAUCSL", "NOSUCHSERIES"};
  EXPECT_THROW(fetch_macro(cx, req), Error);
  EXPECT_TRUE(st->macro().list().empty());
  fred.broken = "UNRATE";
  req.series = {"CPIAUCSL", "UNRATE"};
  try {
    fetch_macro(cx, req);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("fred: malformed response for UNRATE"), std::string::npos) << e.what();
    ASSERT_FALSE(e.details().empty());
    EXPECT_NE(e.details()[0].find("UNRATE.observations[0].value: expected a number"), std::string::npos);
  }
  EXPECT_TRUE(st->macro().list().empty());
  EXPECT_THROW(macro_show(cx, {"CPIAUCSL", std::nullopt, std::nullopt}), Error);
}

}  // namespace
}  // namespace keel::service
