// keel/io/scenario_reader.h: stress scenario files (JSON) into a keel::factors::ScenarioLibrary.
//
// Format (docs/stress.md; data/stress/scenarios.json is the built-in library):
//   {"format": "keel-stress-scenarios/1", "derived_by": "...", "factor_data": "...",
//    "scenarios": [{"name": "covid_crash_2020", "label": "COVID crash", "kind": "historical",
//                   "start": "2020-02-19", "end": "2020-03-23", "description": "...",
//                   "shocks": {"mkt_rf": -0.343, "smb": -0.076}, "vol_shock": 0.10}]}
// Units: shocks are decimal returns over the scenario (> -1), vol_shock an absolute change of
// implied vol in decimal (in (-1, 5]). Rules: `name` is required, unique, of [a-z0-9_-];
// `kind` is historical, hypothetical or user (default user); historical scenarios need `start` <
// `end` (ISO dates); `shocks` is a non-empty object of numbers, factor names lower case.
// Every problem is reported with the file and the JSON field path
// ("scenarios.json: scenarios[3].shocks.mkt_rf: must be a number, got \"x\""), or with line and
// column for JSON that does not parse; unknown fields are warnings. Nothing is returned unless
// the whole file is valid.
//
// Thread-safety: stateless functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/diagnostics.h"
#include "keel/core/env.h"
#include "keel/factors/scenario.h"

namespace keel::io {

// Parses `text` reported as `display_name`; problems and warnings go to `diags`.
factors::ScenarioLibrary parse_scenarios(std::string_view text, const std::string& display_name,
                                         Diagnostics& diags);

// Reads the file at `path`, opened through `files` (the request field "scenarios"). Throws
// keel::Error: forbidden when `files` refuses paths; not_found when it does not exist;
// invalid_input listing every problem. Warnings (unknown fields) are appended to `warnings` when
// given.
factors::ScenarioLibrary read_scenarios(const Files& files, const std::string& path,
                                        std::vector<std::string>* warnings = nullptr);

// The library compiled into keel (data/stress/scenarios.json). Throws keel::Error(internal) if the
// compiled-in text is invalid (a build problem).
factors::ScenarioLibrary builtin_scenarios();

}  // namespace keel::io
