// The scenario file reader (src/io/scenario_reader.cpp) and the built-in scenario library.
#include "keel/io/scenario_reader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "keel/core/error.h"
#include "keel/io/csv.h"
#include "keel/io/readers.h"

namespace keel::io {
namespace {

std::vector<std::string> errors_of(const std::string& text) {
  Diagnostics diags;
  const auto lib = parse_scenarios(text, "s.json", diags);
  std::vector<std::string> out;
  for (const auto& e : diags.errors()) out.push_back(e.to_string());
  if (!out.empty()) {
    EXPECT_TRUE(lib.scenarios.empty()) << "nothing is returned from an invalid file";
  }
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& needle) {
  for (const auto& s : v) {
    if (s.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(ScenarioReader, ReadsAValidFile) {
  Diagnostics diags;
  const auto lib = parse_scenarios(R"({"scenarios": [
      {"name": "oil_spike", "label": "Oil", "kind": "user", "shocks": {"MKT_RF": -0.05, "hml": 0.02}, "vol_shock": 0.05},
      {"name": "crash", "kind": "historical", "start": "2020-02-19", "end": "2020-03-23", "shocks": {"mkt_rf": -0.3}, "colour": "red"}]})",
                                   "s.json", diags);
  EXPECT_FALSE(diags.has_errors());
  ASSERT_EQ(lib.scenarios.size(), 2u);
  EXPECT_EQ(lib.scenarios[0].shocks[0].factor, "mkt_rf");  // lower-cased
  EXPECT_DOUBLE_EQ(lib.scenarios[0].shocks[1].shock, 0.02);
  EXPECT_DOUBLE_EQ(*lib.scenarios[0].vol_shock, 0.05);
  EXPECT_EQ(lib.scenarios[1].kind, factors::ScenarioKind::kHistorical);
  EXPECT_EQ(lib.scenarios[1].start->to_string(), "2020-02-19");
  ASSERT_EQ(diags.warnings().size(), 1u);
  EXPECT_NE(diags.warnings()[0].to_string().find("scenarios[1].colour: unknown field"), std::string::npos);
}

TEST(ScenarioReader, EveryProblemIsNamedByItsFieldPath) {
  const auto errs = errors_of(R"({"format": "v2", "scenarios": [
      {"name": "Bad Name", "shocks": {"mkt_rf": "x"}},
      {"name": "ok", "kind": "historical", "shocks": {"mkt_rf": -1.5}},
      {"name": "ok", "kind": "sideways", "shocks": {}, "vol_shock": "high"},
      {"name": "late", "kind": "historical", "start": "2020-03-23", "end": "2020-02-30", "shocks": {"smb": 0.1}},
      42]})");
  EXPECT_TRUE(has(errs, "s.json: format: must be \"keel-stress-scenarios/1\"")) << errs.front();
  EXPECT_TRUE(has(errs, "scenarios[0].name: must be 1-64 characters"));
  EXPECT_TRUE(has(errs, "scenarios[0].shocks.mkt_rf: must be a number"));
  EXPECT_TRUE(has(errs, "scenarios[1].start: is required"));
  EXPECT_TRUE(has(errs, "scenarios[1].end: is required"));
  EXPECT_TRUE(has(errs, "scenarios[1].shocks.mkt_rf: must be a decimal return above -1"));
  EXPECT_TRUE(has(errs, "scenarios[2].kind: must be historical, hypothetical or user"));
  EXPECT_TRUE(has(errs, "scenarios[2].shocks: must set at least one factor"));
  EXPECT_TRUE(has(errs, "scenarios[2].vol_shock: must be a number"));
  EXPECT_TRUE(has(errs, "scenarios[2].name: duplicate scenario name \"ok\""));
  EXPECT_TRUE(has(errs, "scenarios[3].end: must be a date YYYY-MM-DD, got \"2020-02-30\""));
  EXPECT_TRUE(has(errs, "scenarios[4]: must be an object"));
}

TEST(ScenarioReader, MalformedJsonGivesLineAndColumn) {
  const auto errs = errors_of("{\"scenarios\": [\n  {\"name\": \"a\",, }\n]}");
  ASSERT_EQ(errs.size(), 1u);
  // The second comma of line 2 is column 16.
  EXPECT_NE(errs[0].find("s.json:2:16:"), std::string::npos) << errs[0];
  EXPECT_NE(errs[0].find("syntax error"), std::string::npos) << errs[0];
  EXPECT_TRUE(has(errors_of("[1, 2]"), "(root): must be an object"));
  EXPECT_TRUE(has(errors_of("{}"), "scenarios: is required"));
}

TEST(ScenarioReader, MissingFileIsNotFound) {
  try {
    read_scenarios(local_files(), "/nonexistent/scenarios.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

// A historical scenario's daily path: each day's factor returns, compounding to its shocks
// (1.02 x 0.99 - 1 = 0.0098; 0.9 x 1.1 - 1 = -0.01).
TEST(ScenarioReader, ReadsADailyPathThatCompoundsToTheShocks) {
  Diagnostics diags;
  const auto lib = parse_scenarios(R"({"scenarios": [{"name": "w", "kind": "historical", "start": "2020-01-01",
      "end": "2020-01-03", "shocks": {"mkt_rf": 0.0098, "smb": -0.01},
      "daily": {"factors": ["MKT_RF", "smb"], "rows": [["2020-01-02", 0.02, -0.1], ["2020-01-03", -0.01, 0.1]]}}]})",
                                   "s.json", diags);
  ASSERT_FALSE(diags.has_errors()) << diags.errors().front().to_string();
  const auto& path = *lib.scenarios.at(0).daily;
  EXPECT_EQ(path.names, (std::vector<std::string>{"mkt_rf", "smb"}));
  ASSERT_EQ(path.rows(), 2u);
  EXPECT_EQ(path.dates[1].to_string(), "2020-01-03");
  EXPECT_DOUBLE_EQ(path.at(1, 1), 0.1);
}

TEST(ScenarioReader, ABadDailyPathIsNamedByItsFieldPath) {
  const std::string head = R"({"scenarios": [{"name": "w", "kind": "historical", "start": "2020-01-01",
      "end": "2020-01-03", "shocks": {"mkt_rf": 0.0098}, "daily": )";
  auto errors = errors_of(head + R"({"factors": ["mkt_rf"], "rows": [["2020-01-02", 0.02], ["2020-01-03", -0.02]]}}]})");
  EXPECT_TRUE(has(errors, "scenarios[0].daily.rows: compound to")) << errors.at(0);
  errors = errors_of(head + R"({"factors": ["mkt_rf"], "rows": [["2020-01-03", 0.02], ["2020-01-02", -0.01]]}}]})");
  EXPECT_TRUE(has(errors, "scenarios[0].daily.rows[1][0]: must come after 2020-01-03")) << errors.at(0);
  errors = errors_of(head + R"({"factors": ["mkt_rf"], "rows": [["2020-01-01", 0.0098]]}}]})");
  EXPECT_TRUE(has(errors, "scenarios[0].daily.rows[0][0]: must lie in the window")) << errors.at(0);
  errors = errors_of(head + R"({"factors": ["hml"], "rows": [["2020-01-02", "x"]]}}]})");
  EXPECT_TRUE(has(errors, "scenarios[0].daily.factors[0]: factor hml has no shock")) << errors.at(0);
  EXPECT_TRUE(has(errors, "scenarios[0].daily.rows[0][1]: must be a decimal return")) << errors.at(0);
  errors = errors_of(R"({"scenarios": [{"name": "u", "kind": "user", "shocks": {"mkt_rf": -0.1},
      "daily": {"factors": ["mkt_rf"], "rows": [["2020-01-02", -0.1]]}}]})");
  EXPECT_TRUE(has(errors, "scenarios[0].daily: only a historical scenario has a daily path")) << errors.at(0);
}

TEST(BuiltinScenarios, HoldTheSixHistoricalWindowsAndTheMarketShocks) {
  const auto lib = builtin_scenarios();
  const std::vector<std::pair<const char*, std::pair<const char*, const char*>>> windows = {
      {"black_monday_1987", {"1987-10-14", "1987-10-19"}}, {"dotcom_bust_2000", {"2000-03-24", "2002-10-09"}},
      {"gfc_2008", {"2007-10-09", "2009-03-09"}},          {"euro_debt_2011", {"2011-07-22", "2011-10-03"}},
      {"covid_crash_2020", {"2020-02-19", "2020-03-23"}},  {"inflation_shock_2022", {"2022-01-03", "2022-10-12"}}};
  for (const auto& [name, w] : windows) {
    const auto* s = lib.find(name);
    ASSERT_NE(s, nullptr) << name;
    EXPECT_EQ(s->kind, factors::ScenarioKind::kHistorical);
    EXPECT_EQ(s->start->to_string(), w.first);
    EXPECT_EQ(s->end->to_string(), w.second);
    EXPECT_EQ(s->shocks.size(), 5u) << name;
  }
  // Black Monday by hand from the FF rows 1987-10-15/16/19 (mkt_rf -2.26, -4.87, -17.44 %).
  EXPECT_NEAR(lib.find("black_monday_1987")->find("mkt_rf")->shock, 0.9774 * 0.9513 * 0.8256 - 1.0, 1e-12);
  for (int pct : {10, 20, 30}) {
    const auto* s = lib.find("market_down_" + std::to_string(pct));
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(s->shocks.size(), 1u);
    EXPECT_DOUBLE_EQ(s->shocks[0].shock, -pct / 100.0);
    EXPECT_TRUE(s->vol_shock.has_value());
  }
  EXPECT_FALSE(lib.derived_by.empty());
}

// The shipped shocks are reproducible from the full Fama-French file (and equal what the pandas
// peer bench/peers/factors_scenario_shocks.py computes: e.g. COVID mkt_rf -0.3434744820125808).
TEST(BuiltinScenarios, ReproducibleFromTheFullFactorFile) {
  const std::string path = std::string(KEEL_SHARED_DIR) + "/data/factors/ff5_daily_1963_2024.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "needs " << path;
  Diagnostics diags;
  auto csv = CsvReader::open(local_files().open(path, "factors"), diags);
  const FactorTable t = read_factors(csv, RateUnits::kPercent, diags);
  ASSERT_FALSE(diags.has_errors());
  auto derived = builtin_scenarios();
  factors::derive_historical_shocks(derived, t, path);
  const auto shipped = builtin_scenarios();
  for (std::size_t i = 0; i < shipped.scenarios.size(); ++i) {
    const auto& s = shipped.scenarios[i];
    ASSERT_EQ(s.shocks.size(), derived.scenarios[i].shocks.size()) << s.name;
    for (std::size_t k = 0; k < s.shocks.size(); ++k) {
      EXPECT_EQ(s.shocks[k].factor, derived.scenarios[i].shocks[k].factor);
      EXPECT_NEAR(s.shocks[k].shock, derived.scenarios[i].shocks[k].shock, 1e-14) << s.name;
    }
  }
  // Independent values from the pandas peer.
  EXPECT_NEAR(derived.find("covid_crash_2020")->find("mkt_rf")->shock, -0.3434744820125808, 1e-13);
  EXPECT_NEAR(derived.find("gfc_2008")->find("hml")->shock, -0.2285285549489815, 1e-13);
  EXPECT_NEAR(derived.find("inflation_shock_2022")->find("cma")->shock, 0.15165208644759653, 1e-13);
}

// Every built-in historical window carries its daily path: the Fama-French rows of (start, end].
// Black Monday by hand: 1987-10-15, -16 and -19 with mkt_rf -2.26, -4.87 and -17.44 %.
TEST(BuiltinScenarios, HistoricalWindowsCarryTheirDailyPaths) {
  const auto lib = builtin_scenarios();
  for (const auto& s : lib.scenarios) {
    if (s.kind != factors::ScenarioKind::kHistorical) {
      EXPECT_FALSE(s.daily.has_value()) << s.name;
      continue;
    }
    ASSERT_TRUE(s.daily.has_value()) << s.name;
    EXPECT_EQ(s.daily->cols(), s.shocks.size()) << s.name;
    EXPECT_LT(*s.start, s.daily->dates.front()) << s.name;
    EXPECT_EQ(s.daily->dates.back(), *s.end) << s.name;
  }
  const auto& bm = *lib.find("black_monday_1987")->daily;
  ASSERT_EQ(bm.rows(), 3u);
  EXPECT_EQ(bm.dates[2].to_string(), "1987-10-19");
  EXPECT_DOUBLE_EQ(bm.at(0, *bm.find("mkt_rf")), -0.0226);
  EXPECT_DOUBLE_EQ(bm.at(2, *bm.find("mkt_rf")), -0.1744);
}

TEST(MergeScenarios, UserScenariosAddAndOverride) {
  auto lib = builtin_scenarios();
  const std::size_t n = lib.scenarios.size();
  Diagnostics diags;
  const auto user = parse_scenarios(R"({"scenarios": [
      {"name": "market_down_10", "shocks": {"mkt_rf": -0.12}}, {"name": "mine", "shocks": {"smb": 0.03}}]})",
                                    "u.json", diags);
  const auto replaced = factors::merge_scenarios(lib, user);
  EXPECT_EQ(replaced, std::vector<std::string>{"market_down_10"});
  EXPECT_EQ(lib.scenarios.size(), n + 1);
  EXPECT_DOUBLE_EQ(lib.find("market_down_10")->shocks[0].shock, -0.12);
}

}  // namespace
}  // namespace keel::io
