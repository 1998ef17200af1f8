// The scenario library file `keel risk scenario-shocks` writes (service::ScenarioLibraryFile) reads
// back through the scenario reader into the same library.
#include <gtest/gtest.h>

#include "keel/io/scenario_reader.h"
#include "keel/service/factors.h"

namespace keel::service {
namespace {

TEST(ScenarioLibraryFile, RoundTripsThroughTheScenarioReader) {
  factors::ScenarioLibrary lib = io::builtin_scenarios();
  lib.derived_by = "keel risk scenario-shocks --factor-set ff5";
  const std::string text = spec::to_json(scenario_library_file(lib)).dump(2);
  Diagnostics diags;
  const auto back = io::parse_scenarios(text, "round-trip.json", diags);
  ASSERT_FALSE(diags.has_errors()) << diags.errors().front().to_string();
  EXPECT_EQ(back.format, "keel-stress-scenarios/1");
  EXPECT_EQ(back.derived_by, lib.derived_by);
  ASSERT_EQ(back.scenarios.size(), lib.scenarios.size());
  for (std::size_t i = 0; i < lib.scenarios.size(); ++i) {
    const auto& a = lib.scenarios[i];
    const auto& b = back.scenarios[i];
    EXPECT_EQ(b.name, a.name);
    EXPECT_EQ(b.kind, a.kind) << a.name;
    EXPECT_EQ(b.start, a.start) << a.name;
    EXPECT_EQ(b.vol_shock, a.vol_shock) << a.name;
    ASSERT_EQ(b.shocks.size(), a.shocks.size()) << a.name;
    for (const auto& s : a.shocks) {
      const factors::FactorShock* f = b.find(s.factor);
      ASSERT_NE(f, nullptr) << a.name << " " << s.factor;
      EXPECT_EQ(f->shock, s.shock) << a.name << " " << s.factor;  // shortest round-trip text: exact
    }
  }
  // The file's shocks are an object keyed by factor; a historical scenario has its window.
  const nlohmann::json doc = nlohmann::json::parse(text);
  EXPECT_TRUE(doc["scenarios"][0]["shocks"].is_object());
  EXPECT_EQ(doc.contains("factor_data"), !lib.factor_data.empty());  // absent when the library names none
}

}  // namespace
}  // namespace keel::service
