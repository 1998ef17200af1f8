// Life-event and return-series readers of the plan module (src/io/plan_events_reader.cpp,
// src/io/return_series_reader.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "keel/core/error.h"
#include "keel/io/plan_events_reader.h"
#include "keel/io/return_series_reader.h"

namespace keel::io {
namespace {

TEST(PlanEventsReader, CsvWithLabels) {
  Diagnostics d;
  auto csv = CsvReader::from_text("e.csv", "Year,Type,Amount,Label\n0,expense,25000,car\n5,income_change,-1000,\n", d);
  const auto ev = read_plan_events_csv(csv, d, 30);
  ASSERT_FALSE(d.has_errors());
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].type, plan::EventType::kExpense);
  EXPECT_EQ(ev[0].label, "car");
  EXPECT_EQ(ev[1].year, 5);
  EXPECT_DOUBLE_EQ(ev[1].amount, -1000);
}

TEST(PlanEventsReader, CsvReportsEveryBadCell) {
  Diagnostics d;
  auto csv = CsvReader::from_text(
      "e.csv", "year,type,amount\n1.5,expense,10\n2,bonus,10\n3,windfall,abc\n40,expense,1\n4,windfall,-2\n", d);
  const auto ev = read_plan_events_csv(csv, d, 30);
  EXPECT_TRUE(ev.empty());
  ASSERT_EQ(d.errors().size(), 5u);
  EXPECT_EQ(d.errors()[0].to_string(), "e.csv:2:1: year: expected a whole number of years from the start, got \"1.5\"");
  EXPECT_NE(d.errors()[1].to_string().find("e.csv:3:2: type: unknown event type \"bonus\""), std::string::npos);
  EXPECT_NE(d.errors()[2].to_string().find("e.csv:4:3: amount: expected a number"), std::string::npos);
  EXPECT_NE(d.errors()[3].to_string().find("e.csv:5:1: year: 40 is after the horizon of 30 years"), std::string::npos);
  EXPECT_NE(d.errors()[4].to_string().find("e.csv:6:3: amount: windfall amount must be >= 0"), std::string::npos);
}

TEST(PlanEventsReader, JsonFieldPaths) {
  Diagnostics d;
  const auto ev = read_plan_events_json(
      "e.json", R"({"events":[{"year":1,"type":"windfall","amount":5},{"year":"x","type":"expense","amount":1},
                   {"year":2,"type":"savings_rate_change","amount":1.5,"note":1}]})", d, 10);
  ASSERT_EQ(ev.size(), 1u);
  ASSERT_EQ(d.errors().size(), 2u);
  EXPECT_EQ(d.errors()[0].to_string(), "e.json: events[1].year: expected a whole number of years from the start");
  EXPECT_EQ(d.errors()[1].to_string(), "e.json: events[2].amount: a savings rate must be a decimal in [0, 1]");
  EXPECT_EQ(d.warnings().size(), 1u);
  Diagnostics bad;
  read_plan_events_json("b.json", "[{", bad);
  EXPECT_TRUE(bad.has_errors());
}

TEST(PlanEventsReader, FileDispatchAndMissingFile) {
  const auto ev = read_plan_events_file(local_files(), std::string(KEEL_SOURCE_DIR) + "/examples/plan/events.json", 30);
  EXPECT_EQ(ev.size(), 4u);
  try {
    read_plan_events_file(local_files(), "/nonexistent/events.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST(ReturnSeriesReader, DateReturnCsvAndAnnualCompounding) {
  // 2020 and 2021 complete (month-end rows), one month of 2022: 2022 is dropped as incomplete.
  std::string text = "date,return\n";
  const char* ends[12] = {"01-31", "02-28", "03-31", "04-30", "05-29", "06-30",
                          "07-31", "08-31", "09-30", "10-30", "11-30", "12-31"};
  for (int y : {2020, 2021}) {
    for (int m = 0; m < 12; ++m) {
      const double r = y == 2020 ? (m == 0 ? 0.01 : m == 1 ? 0.02 : m == 2 ? -0.01 : 0.0) : 0.005;
      text += std::to_string(y) + "-" + ends[m] + "," + std::to_string(r) + "\n";
    }
  }
  text += "2022-01-31,0.5\n";
  Diagnostics d;
  auto csv = CsvReader::from_text("m.csv", text, d);
  const auto s = read_return_series(csv, d);
  ASSERT_FALSE(d.has_errors());
  EXPECT_EQ(s.frequency, ReturnFrequency::kMonthly);
  const auto a = to_frequency(s, ReturnFrequency::kAnnual);
  ASSERT_EQ(a.returns.size(), 2u);
  EXPECT_NEAR(a.returns[0], 1.01 * 1.02 * 0.99 - 1, 1e-12);
  EXPECT_NEAR(a.returns[1], std::pow(1.005, 12) - 1, 1e-12);
  EXPECT_EQ(a.dates[1].to_string(), "2021-12-31");
  EXPECT_THROW(to_frequency(s, ReturnFrequency::kDaily), Error);
}

TEST(ReturnSeriesReader, BadRowsAreReported) {
  Diagnostics d;
  auto csv = CsvReader::from_text("r.csv", "date,return\n2020-01-01,0.1\n2019-01-01,0.1\n2021-01-01,-1.5\nx,1\n", d);
  read_return_series(csv, d);
  ASSERT_EQ(d.errors().size(), 3u);
  EXPECT_NE(d.errors()[0].to_string().find("r.csv:3:1"), std::string::npos);
  EXPECT_NE(d.errors()[1].to_string().find("r.csv:4:2"), std::string::npos);
  EXPECT_NE(d.errors()[2].to_string().find("r.csv:5:1"), std::string::npos);
}

TEST(ReturnSeriesReader, FamaFrenchMarketMatchesPandas) {
  const std::string path = std::string(KEEL_SHARED_DIR) + "/data/factors/ff5_daily_1963_2024.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data file absent: " << path;
  // pandas: df.mkt = (mkt_rf + rf) / 100; (1 + mkt).prod() - 1 per calendar year / month.
  const auto annual = read_return_series_file(local_files().open(path, "returns"), ReturnFrequency::kAnnual);
  ASSERT_EQ(annual.returns.size(), 60u);  // 1964 .. 2023 (1963 and 2024 are partial)
  EXPECT_EQ(annual.dates.front().year(), 1964);
  EXPECT_NEAR(annual.returns.front(), 0.160491, 5e-7);
  EXPECT_NEAR(annual.returns[58], -0.202128, 5e-7);  // 2022
  const auto monthly = read_return_series_file(local_files().open(path, "returns"), ReturnFrequency::kMonthly);
  EXPECT_EQ(monthly.returns.size(), 727u);  // 729 calendar months less the two edge months
  const auto oct87 = (1987 - 1963) * 12 + (10 - 7) - 1;  // index after dropping July 1963
  EXPECT_NEAR(monthly.returns[static_cast<std::size_t>(oct87)], -0.2265893617592396, 1e-12);
}

}  // namespace
}  // namespace keel::io
