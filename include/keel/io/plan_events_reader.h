// keel/io/plan_events_reader.h: life events of a retirement plan from CSV or JSON.
//
// CSV: header `year,type,amount` (+ optional `label`), one event per row; `year` a whole number of
// years from the start (0 = the first simulated year), `type` one of expense, income_change,
// windfall, savings_rate_change, `amount` in today's money (a decimal rate for
// savings_rate_change). JSON: an array of {"year":..,"type":..,"amount":..,"label":..} or an
// object {"events":[...]}. Every problem is recorded with its place (file:line:column for CSV,
// "events[2].year" for JSON) before the caller throws; nothing is half-read.
//
// Thread-safety: stateless functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/diagnostics.h"
#include "keel/core/env.h"
#include "keel/io/csv.h"
#include "keel/plan/model.h"

namespace keel::io {

// When `horizon_years` is given, events in or after that year are errors at their cell.
std::vector<plan::LifeEvent> read_plan_events_csv(CsvReader& csv, Diagnostics& diags,
                                                  std::optional<int> horizon_years = {});

// `display_name` prefixes JSON diagnostics (e.g. the file name or "<request>").
std::vector<plan::LifeEvent> read_plan_events_json(const std::string& display_name,
                                                   const std::string& text, Diagnostics& diags,
                                                   std::optional<int> horizon_years = {});

// Reads `path`, opened through `files` (the request field "events_file"), as JSON when it ends
// in .json or starts with '[' or '{', else as CSV. Throws keel::Error: forbidden when `files`
// refuses paths, not_found for a missing file, invalid_input with every problem otherwise. The
// reader's warnings (a CSV whose last line has no line ending, an unknown column) are appended to
// `warnings` as "file:line: message" when it is given.
std::vector<plan::LifeEvent> read_plan_events_file(const Files& files, const std::string& path,
                                                   std::optional<int> horizon_years = {},
                                                   std::vector<std::string>* warnings = nullptr);

}  // namespace keel::io
