// Fuzz target: the JSON documents: a CLO deal, life events (JSON and CSV), scenario libraries, and
// rows sent as JSON (an upload's positions) turned into CSV for the positions reader.
// The deal's base directory does not exist, so file references are refused, never read.
#include "fuzz_common.h"
#include <nlohmann/json.hpp>

#include "keel/io/clo_deal_reader.h"
#include "keel/io/json_input.h"
#include "keel/io/plan_events_reader.h"
#include "keel/io/readers.h"
#include "keel/io/scenario_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keel;
  const std::string text = fuzz::text(data, size);
  fuzz::run([&] { io::parse_clo_deal(text, "deal.json", "/nonexistent-keel-fuzz"); });
  fuzz::run([&] {
    Diagnostics d;
    io::read_plan_events_json("events.json", text, d, 40);
    fuzz::check(d);
  });
  fuzz::run([&] {
    Diagnostics d;
    auto csv = io::CsvReader::from_text("events.csv", text, d);
    io::read_plan_events_csv(csv, d, 40);
    fuzz::check(d);
  });
  fuzz::run([&] {
    Diagnostics d;
    io::parse_scenarios(text, "scenarios.json", d);
    fuzz::check(d);
  });
  fuzz::run([&] {
    if (const auto problem = io::check_json_text(text, "positions.json")) {
      fuzz::check_message(problem->to_string());
      return;
    }
    const auto rows = nlohmann::json::parse(text);
    if (!rows.is_array()) return;
    Diagnostics d;
    auto csv = io::CsvReader::from_text("positions.json", io::csv_of_json_rows(rows, "positions array", "", {"tags"}), d);
    io::read_positions(csv, d);
    fuzz::check(d);
  });
  return 0;
}
